-- One row per platform post (latest export of it) with its benchmark
-- engagement count, the follower figure it is rated against, and its rates.

with posts as (
    select * from {{ ref('int_posts_unioned') }}
),

followers as (
    select
        account_key,
        activity_date,
        followers_end_of_day,
        anchor_date
    from {{ ref('int_followers_daily') }}
),

rated as (
    select
        posts.*,
        -- the day before publication: the day's own follows cannot be split by hour
        followers.followers_end_of_day as followers_at_post,
        followers.anchor_date as followers_anchor_date
    from posts
    left join followers
        on
            posts.account_key = followers.account_key
            and followers.activity_date = posts.published_local_date - 1
)

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
    engagements,
    cast(followers_at_post as bigint) as followers_at_post,
    followers_anchor_date,
    {{ safe_divide('engagements', 'followers_at_post') }} as engagement_rate_by_followers,
    {{ safe_divide('engagements', 'impressions') }} as engagement_rate_by_impressions,
    {{ safe_divide('engagements', 'reach') }} as engagement_rate_by_reach,
    snapshots_seen,
    source_file,
    exported_at
from rated
