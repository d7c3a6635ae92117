-- One row per organisation, platform and quarter: the evidence a platform
-- review weighs, as additive sums so that fct_platform_reviews can add four
-- quarters up: posts, engagements, the sum of per-post rates and of their
-- benchmarks, days observed, followers at the end of the quarter and the cost
-- allocated to the platform (all from int_platform_costs_monthly).

with monthly as (
    select
        *,
        cast(date_trunc('quarter', spend_month) as date) as quarter_start
    from {{ ref('int_platform_costs_monthly') }}
),

followers_last_month as (
    -- followers at the end of the quarter: its latest month with a figure
    select
        organization_id,
        platform,
        quarter_start,
        followers_end_of_month as followers_end_of_quarter
    from (
        select
            *,
            row_number() over (
                partition by organization_id, platform, quarter_start
                order by spend_month desc
            ) as month_rank
        from monthly
        where followers_end_of_month is not null
    ) as ranked
    where month_rank = 1
),

measured as (
    select
        organization_id,
        platform,
        quarter_start,
        count(*) filter (where posts > 0) as months_with_data,
        count(*) as months_observed,
        sum(days_in_month) as days_observed,
        sum(posts) as posts,
        sum(engagements) as engagements,
        sum(impressions) as impressions,
        sum(posts_with_rate) as posts_with_rate,
        sum(posts_without_followers) as posts_without_followers,
        sum(engagement_rate_sum) as engagement_rate_sum,
        sum(benchmark_rate_sum) as benchmark_rate_sum,
        avg(benchmark_posts_per_week) as benchmark_posts_per_week,
        sum(platform_cost) as platform_cost
    from monthly
    group by all
)

select
    m.organization_id,
    m.platform,
    m.quarter_start,
    cast(extract(year from m.quarter_start) as string)
    || 'Q' || cast(extract(quarter from m.quarter_start) as string) as quarter_label,
    cast(extract(year from m.quarter_start) * 4 + extract(quarter from m.quarter_start) - 1 as bigint)
        as quarter_number,
    cast(m.months_with_data as bigint) as months_with_data,
    cast(m.months_observed as bigint) as months_observed,
    cast(m.days_observed as bigint) as days_observed,
    cast(m.posts as bigint) as posts,
    cast(m.engagements as bigint) as engagements,
    cast(m.impressions as bigint) as impressions,
    cast(m.posts_with_rate as bigint) as posts_with_rate,
    cast(m.posts_without_followers as bigint) as posts_without_followers,
    m.engagement_rate_sum,
    m.benchmark_rate_sum,
    {{ safe_divide('m.engagement_rate_sum', 'm.benchmark_rate_sum') }} as engagement_index,
    m.posts * cast(7 as double) / m.days_observed as posts_per_week,
    m.benchmark_posts_per_week,
    f.followers_end_of_quarter,
    m.platform_cost
from measured as m
left join followers_last_month as f
    on
        m.organization_id = f.organization_id
        and m.platform = f.platform
        and m.quarter_start = f.quarter_start
