-- One row per account and calendar month (the account's local time) from its
-- first to its last month with data: posts, engagements, the mean of per-post
-- rates by followers (how the benchmark is built), the benchmark it is
-- compared with and the engagement index. fct_engagement_monthly publishes it;
-- the maturity indicators read it.

{{ config(
    materialized='incremental' if supports_keyed_delete() else 'table',
    incremental_strategy='delete+insert',
    unique_key='account_key',
    on_schema_change='fail',
    post_hook=["{{ delete_accounts_without_posts() }}"] if supports_keyed_delete() else [],
) }}

-- Incremental by account: a build recomputes every month of the accounts whose
-- posts were rewritten in int_posts_rated since this table was built, whose post count
-- changed (removed exports) or whose month-end follower figure changed; their
-- rows are replaced (delete+insert on account_key).

with
{%- if is_incremental() %}

changed_accounts as (
    -- accounts with posts rewritten since this table was built, or a different post count
    {{ changed_keys(ref('int_posts_rated'), ['account_key'], upstream_rows='*', this_rows='posts') }}
    union
    select t.account_key
    from {{ this }} as t
    left join (
        select
            account_key,
            cast(date_trunc('month', activity_date) as date) as activity_month,
            {{ arg_max('followers_end_of_day', 'activity_date') }} as followers_end_of_month
        from {{ ref('int_followers_daily') }}
        group by all
    ) as f
        on t.account_key = f.account_key and t.activity_month = f.activity_month
    where t.followers_end_of_month is distinct from cast(f.followers_end_of_month as bigint)
),
{%- endif %}

posts as (
    select
        *,
        cast(date_trunc('month', published_local_date) as date) as activity_month
    from {{ ref('int_posts_rated') }}
    {%- if is_incremental() %}
        where account_key in (select c.account_key from changed_accounts as c)
    {%- endif %}
),

followers as (
    select
        account_key,
        cast(date_trunc('month', activity_date) as date) as activity_month,
        {{ arg_max('followers_end_of_day', 'activity_date') }} as followers_end_of_month
    from {{ ref('int_followers_daily') }}
    group by all
),

accounts as (
    select
        a.account_key,
        a.platform,
        a.organization_id,
        o.industry
    from {{ ref('social_accounts') }} as a
    inner join {{ ref('organizations') }} as o
        on a.organization_id = o.organization_id
),

months as (
    select
        account_key,
        {{ date_series('min(activity_month)', 'max(activity_month)', 'interval 1 month') }}
            as activity_month
    from posts
    group by account_key
),

monthly as (
    select
        months.account_key,
        months.activity_month,
        count(posts.post_id) as posts,
        cast(coalesce(sum(posts.engagements), 0) as bigint) as engagements,
        count(posts.engagement_rate_by_followers) as posts_with_rate,
        count(posts.post_id) - count(posts.engagement_rate_by_followers) as posts_without_followers,
        avg(posts.engagement_rate_by_followers) as avg_engagement_rate_per_post,
        cast(sum(posts.impressions) as bigint) as impressions
    from months
    left join posts
        on
            months.account_key = posts.account_key
            and months.activity_month = posts.activity_month
    group by all
),

frequency as (
    select
        platform,
        avg(posts_per_week) as benchmark_posts_per_week
    from {{ ref('benchmark_posting_frequency') }}
    group by platform
),

joined as (
    select
        monthly.*,
        accounts.platform,
        accounts.organization_id,
        followers.followers_end_of_month,
        bench.benchmark_id,
        bench.benchmark_engagement_rate,
        bench.report_year as benchmark_report_year,
        bench.data_year as benchmark_data_year,
        bench.benchmark_industry,
        bench.source_title as benchmark_source,
        bench.benchmark_status,
        coalesce(bench.benchmark_fallback, 'no_benchmark_for_platform') as benchmark_fallback,
        frequency.benchmark_posts_per_week,
        monthly.posts * cast(7 as double) / day(last_day(monthly.activity_month)) as posts_per_week
    from monthly
    inner join accounts
        on monthly.account_key = accounts.account_key
    left join followers
        on
            monthly.account_key = followers.account_key
            and monthly.activity_month = followers.activity_month
    left join {{ ref('int_benchmarks_ranked') }} as bench
        on
            accounts.platform = bench.platform
            and accounts.industry = bench.industry
            and extract(year from monthly.activity_month) = bench.calendar_year
    left join frequency
        on accounts.platform = frequency.platform
)

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
    cast(followers_end_of_month as bigint) as followers_end_of_month,
    benchmark_engagement_rate,
    {{ safe_divide('avg_engagement_rate_per_post', 'benchmark_engagement_rate') }} as engagement_index,
    benchmark_id,
    benchmark_source,
    benchmark_report_year,
    benchmark_data_year,
    benchmark_industry,
    benchmark_status,
    benchmark_fallback,
    posts_per_week,
    benchmark_posts_per_week,
    {{ safe_divide('posts_per_week', 'benchmark_posts_per_week') }} as posting_frequency_index,
    {{ build_time() }} as built_at
from joined
