{{ config(materialized='table' if target.type == 'spark' else 'view') }}
-- One row per account and calendar month: posts, engagements, the mean of
-- per-post rates by followers, the benchmark it is compared with and the
-- engagement index. A view of int_engagement_monthly (built incrementally);
-- the published copy is a table.

select
    account_key,
    activity_month,
    organization_id,
    platform,
    posts,
    engagements,
    impressions,
    posts_with_rate,
    posts_without_followers,
    avg_engagement_rate_per_post,
    followers_end_of_month,
    benchmark_engagement_rate,
    engagement_index,
    benchmark_id,
    benchmark_source,
    benchmark_report_year,
    benchmark_data_year,
    benchmark_industry,
    benchmark_status,
    benchmark_fallback,
    posts_per_week,
    benchmark_posts_per_week,
    posting_frequency_index,
    built_at,
    -- the account's latest month with data may still be in progress
    activity_month < max(activity_month) over (partition by account_key) as is_period_complete
from {{ ref('int_engagement_monthly') }}
