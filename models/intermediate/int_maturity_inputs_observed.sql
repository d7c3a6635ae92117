-- Observed maturity indicators per organisation and quarter, each scored 0-1
-- by the rule written in seed maturity_framework.

-- A table, not a view like the other intermediate models on DuckDB: both
-- maturity marts and its key test read it. Post facts come per account and
-- quarter from int_posts_quarterly (incremental), not from every post.
{{ config(materialized='table') }}

{%- set observed_indicators = ['platform_presence', 'posting_consistency', 'conversation_over_broadcast', 'social_in_customer_care', 'social_in_hr', 'performance_vs_benchmark', 'paid_share_of_social'] %}

with posts as (
    select
        q.*,
        a.owning_department,
        pl.is_core_platform
    from {{ ref('int_posts_quarterly') }} as q
    inner join {{ ref('social_accounts') }} as a
        on q.account_key = a.account_key
    inner join {{ ref('platforms') }} as pl
        on q.platform = pl.platform
),

quarters as (
    select distinct
        organization_id,
        quarter_start
    from posts
    union
    select distinct
        organization_id,
        cast(date_trunc('quarter', spend_month) as date) as quarter_start
    from {{ ref('int_spend_lines_converted') }}
),

weeks_in_quarter as (
    select
        quarter_start,
        count(distinct cast(date_trunc('week', day) as date)) as weeks
    from (
        select
            quarter_start,
            {{ date_series(
                'quarter_start', 'quarter_start + interval 3 month - interval 1 day', 'interval 1 day'
            ) }} as day
        from (select distinct quarter_start from quarters) as distinct_quarters
    ) as quarter_days
    group by quarter_start
),

org_accounts as (
    select
        organization_id,
        count(*) as accounts
    from {{ ref('social_accounts') }}
    group by organization_id
),

post_facts as (
    select
        organization_id,
        quarter_start,
        count(distinct case when is_core_platform then platform end) as platforms_posting,
        -- weeks are counted per account: the sum over accounts is the account-weeks
        sum(weeks_with_posts) as account_weeks_with_posts,
        sum(conversations) as conversations,
        sum(engagements) as engagements,
        max(case when owning_department = 'customer_care' then 1 else 0 end) as care_posted,
        max(case when owning_department = 'hr' then 1 else 0 end) as hr_posted
    from posts
    group by all
),

benchmark_facts as (
    select
        organization_id,
        cast(date_trunc('quarter', activity_month) as date) as quarter_start,
        count(engagement_index) as months_with_index,
        count(*) filter (where engagement_index >= 1) as months_at_or_above
    from {{ ref('int_engagement_monthly') }}
    group by all
),

spend_facts as (
    select
        organization_id,
        cast(date_trunc('quarter', spend_month) as date) as quarter_start,
        sum(amount_reporting) filter (where spend_component = 'paid_social') as paid_social_spend,
        sum(amount_reporting) filter (where is_social) as social_spend
    from {{ ref('int_spend_lines_converted') }}
    group by all
),

facts as (
    select
        quarters.organization_id,
        quarters.quarter_start,
        post_facts.platforms_posting,
        post_facts.account_weeks_with_posts,
        org_accounts.accounts * weeks_in_quarter.weeks as account_weeks,
        post_facts.conversations,
        post_facts.engagements,
        post_facts.care_posted,
        post_facts.hr_posted,
        benchmark_facts.months_with_index,
        benchmark_facts.months_at_or_above,
        spend_facts.paid_social_spend,
        spend_facts.social_spend
    from quarters
    left join post_facts
        on
            quarters.organization_id = post_facts.organization_id
            and quarters.quarter_start = post_facts.quarter_start
    left join org_accounts
        on quarters.organization_id = org_accounts.organization_id
    left join weeks_in_quarter
        on quarters.quarter_start = weeks_in_quarter.quarter_start
    left join benchmark_facts
        on
            quarters.organization_id = benchmark_facts.organization_id
            and quarters.quarter_start = benchmark_facts.quarter_start
    left join spend_facts
        on
            quarters.organization_id = spend_facts.organization_id
            and quarters.quarter_start = spend_facts.quarter_start
),

scored as (
    select
        organization_id,
        quarter_start,
        {{ safe_divide('coalesce(platforms_posting, 0)', '(select count(*) from ' ~ ref('platforms') ~ ' where is_core_platform)') }}
            as platform_presence,
        {{ safe_divide('coalesce(account_weeks_with_posts, 0)', 'account_weeks') }}
            as posting_consistency,
        least(1.0, {{ safe_divide('conversations', 'engagements') }} / 0.25)
            as conversation_over_broadcast,
        coalesce(care_posted, 0) * 1.0 as social_in_customer_care,
        coalesce(hr_posted, 0) * 1.0 as social_in_hr,
        {{ safe_divide('months_at_or_above', 'months_with_index') }} as performance_vs_benchmark,
        least(1.0, {{ safe_divide('paid_social_spend', 'social_spend') }} / 0.30)
            as paid_share_of_social
    from facts
)

{%- for indicator in observed_indicators %}

    select
        organization_id,
        quarter_start,
        '{{ indicator }}' as indicator_id,
        cast({{ indicator }} as double) as indicator_score
    from scored
    {% if not loop.last %}union all
    {% endif %}
{%- endfor %}
