{{ config(materialized='table' if target.type == 'spark' else 'view') }}
-- One row per platform post (latest export of it) with its benchmark
-- engagement count, the follower figure it is rated against, and its rates.
-- A view of int_posts_rated, which does the work incrementally; the published
-- copy is a table.

select
    post_id,
    platform,
    account_key,
    organization_id,
    published_at,
    published_at_precision,
    published_local_date,
    post_type,
    permalink,
    reactions,
    likes,
    comments,
    shares,
    reposts,
    replies,
    clicks,
    saves,
    impressions,
    reach,
    video_views,
    engagements,
    followers_at_post,
    followers_anchor_date,
    engagement_rate_by_followers,
    engagement_rate_by_impressions,
    engagement_rate_by_reach,
    engagement_rate_by_views,
    snapshots_seen,
    source_file,
    exported_at,
    built_at
from {{ ref('int_posts_rated') }}
