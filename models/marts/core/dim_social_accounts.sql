-- One row per social account, with the span of its posts and its latest follower figure.

with accounts as (
    select * from {{ ref('social_accounts') }}
),

platforms as (
    select * from {{ ref('platforms') }}
),

posts as (
    select
        account_key,
        count(*) as posts,
        min(published_at) as first_post_at,
        max(published_at) as last_post_at
    from {{ ref('int_posts_rated') }}
    group by account_key
),

followers as (
    select
        account_key,
        {{ arg_max('followers_end_of_day', 'activity_date') }} as latest_followers,
        max(activity_date) as latest_followers_date
    from {{ ref('int_followers_daily') }}
    where followers_end_of_day is not null
    group by account_key
)

select
    accounts.account_key,
    accounts.organization_id,
    accounts.platform,
    accounts.handle,
    accounts.owning_department,
    accounts.export_time_zone,
    accounts.export_locale,
    accounts.opened_on,
    coalesce(posts.posts, 0) as posts,
    posts.first_post_at,
    posts.last_post_at,
    cast(followers.latest_followers as bigint) as latest_followers,
    followers.latest_followers_date,
    platforms.platform_name
from accounts
left join platforms
    on accounts.platform = platforms.platform
left join posts
    on accounts.account_key = posts.account_key
left join followers
    on accounts.account_key = followers.account_key
