-- One row per account and local day with the page-level figures the platforms
-- export per day (LinkedIn's Metrics sheet, TikTok's Overview, YouTube's daily
-- views), from the latest export that covers the day, with the day's follower
-- figure.

with page_days as (
    select * from {{ ref('stg_social__page_days') }}
),

accounts as (
    select
        account_key,
        organization_id
    from {{ ref('social_accounts') }}
),

followers as (
    select
        account_key,
        activity_date,
        followers_end_of_day
    from {{ ref('int_followers_daily') }}
)

select
    page_days.account_key,
    page_days.activity_date,
    page_days.platform,
    accounts.organization_id,
    page_days.impressions,
    page_days.impressions_organic,
    page_days.impressions_sponsored,
    page_days.video_views,
    page_days.profile_views,
    page_days.clicks,
    page_days.reactions,
    page_days.likes,
    page_days.comments,
    page_days.shares,
    page_days.reposts,
    page_days.engagement_rate_reported,
    cast(followers.followers_end_of_day as bigint) as followers_end_of_day,
    page_days.source_file,
    page_days.exported_at
from page_days
inner join accounts
    on page_days.account_key = accounts.account_key
left join followers
    on
        page_days.account_key = followers.account_key
        and page_days.activity_date = followers.activity_date
