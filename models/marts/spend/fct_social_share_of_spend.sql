-- One row per organisation and month: total marketing spend and social spend
-- (paid social, social tools, social agency and staff time on social, each
-- shown) in the reporting currency, social's share against the benchmark
-- share (Gartner CMO Spend Survey 2020: 11.3 %), the gap in percentage points,
-- social's rank among the organisation's channels, and the cost of results.
-- Paid social comes from the ledger (the book of record); where the ad managers'
-- exports cover the month, their sum, its difference with the ledger, whether
-- it reconciles and the split per platform are shown beside it, each column
-- saying its source.

with lines as (
    select * from {{ ref('int_spend_lines_converted') }}
),

by_channel as (
    select
        organization_id,
        spend_month,
        channel_id,
        sum(amount_reporting) as channel_spend
    from lines
    group by all
),

ranked_channels as (
    select
        *,
        rank() over (
            partition by organization_id, spend_month order by channel_spend desc
        ) as channel_rank,
        count(*) over (partition by organization_id, spend_month) as channels_with_spend
    from by_channel
    where channel_id <> 'other'
),

monthly as (
    select
        organization_id,
        spend_month,
        any_value(reporting_currency) as reporting_currency,
        sum(amount_reporting) as total_marketing_spend,
        sum(amount_reporting) filter (where is_social) as social_spend,
        sum(amount_reporting) filter (where spend_component = 'paid_social') as paid_social_spend,
        sum(amount_reporting) filter (where spend_component = 'social_tools') as social_tools_spend,
        sum(amount_reporting) filter (where spend_component = 'social_agency') as social_agency_spend,
        sum(amount_reporting) filter (where spend_component = 'social_staff_time')
            as social_staff_time_spend
    from lines
    group by all
),

benchmark as (
    select
        b.share_pct / 100.0 as benchmark_social_share,
        s.publisher || ', ' || s.title as benchmark_source,
        b.status as benchmark_status
    from {{ ref('benchmark_channel_budget_shares') }} as b
    inner join {{ ref('benchmark_sources') }} as s
        on b.survey_id = s.source_id
    where b.is_social and b.survey_id = 'gartner_cmo_2020'
),

group_currency as (
    select group_currency from {{ ref('group_reporting_currency') }}
),

fx_rates as (
    select * from {{ ref('fx_rates') }}
),

results as (
    select
        organization_id,
        cast(date_trunc('month', published_local_date) as date) as spend_month,
        cast(sum(engagements) as bigint) as engagements,
        cast(sum(impressions) as bigint) as impressions
    from {{ ref('int_posts_rated') }}
    group by all
),

ad_exports as (
    -- the ad exports' paid social and how it compares with the ledger
    select
        organization_id,
        spend_month,
        round(sum(ad_exports_amount), 2) as ad_exports_amount,
        round(sum(difference) filter (where reconciliation_status <> 'no_ad_exports'), 2)
            as difference,
        bool_and(reconciliation_status = 'reconciles') filter (
            where reconciliation_status <> 'no_ad_exports'
        ) as reconciles
    from {{ ref('int_paid_social_spend_reconciled') }}
    group by organization_id, spend_month
),

platform_split as (
    select
        organization_id,
        spend_month,
        -- sorted on the text, which starts with the platform
        {{ sorted_text_agg("platform || ' ' || cast(round(amount_reporting, 2) as string)", '; ') }} as split
    from {{ ref('int_paid_social_spend_monthly') }}
    group by organization_id, spend_month
)

select
    monthly.organization_id,
    monthly.spend_month,
    monthly.reporting_currency,
    round(monthly.total_marketing_spend, 2) as total_marketing_spend,
    round(coalesce(monthly.social_spend, 0), 2) as social_spend,
    round(coalesce(monthly.paid_social_spend, 0), 2) as paid_social_spend,
    round(coalesce(monthly.social_tools_spend, 0), 2) as social_tools_spend,
    round(coalesce(monthly.social_agency_spend, 0), 2) as social_agency_spend,
    round(coalesce(monthly.social_staff_time_spend, 0), 2) as social_staff_time_spend,
    {{ safe_divide('coalesce(monthly.social_spend, 0)', 'monthly.total_marketing_spend') }}
        as social_share_of_spend,
    benchmark.benchmark_social_share,
    benchmark.benchmark_source,
    benchmark.benchmark_status,
    round(
        (
            {{ safe_divide('coalesce(monthly.social_spend, 0)', 'monthly.total_marketing_spend') }}
            - benchmark.benchmark_social_share
        ) * 100,
        2
    ) as social_share_gap_pp,
    -- bigint on every engine (Spark's rank() is an int)
    cast(social_rank.channel_rank as bigint) as social_channel_rank,
    social_rank.channels_with_spend,
    coalesce(results.engagements, 0) as engagements,
    coalesce(results.impressions, 0) as impressions,
    {{ safe_divide('monthly.social_spend', 'results.engagements') }} as cost_per_engagement,
    {{ safe_divide('monthly.social_spend * 1000', 'results.impressions') }}
        as cost_per_thousand_impressions,
    'ledger' as paid_social_spend_source,
    ad_exports.ad_exports_amount as paid_social_ad_exports_spend,
    ad_exports.difference as paid_social_ledger_difference,
    ad_exports.reconciles as paid_social_reconciles,
    platform_split.split as paid_social_platform_split,
    case when platform_split.split is not null then 'ad_exports' else 'none' end
        as paid_social_split_source,
    group_currency.group_currency,
    round(monthly.total_marketing_spend * to_group.rate, 2) as total_marketing_spend_group,
    round(coalesce(monthly.social_spend, 0) * to_group.rate, 2) as social_spend_group,
    -- the organisation's latest month of spend may still be in progress
    monthly.spend_month < max(monthly.spend_month) over (
        partition by monthly.organization_id
    ) as is_period_complete
from monthly
cross join benchmark
cross join group_currency
left join (
    -- the month's rate from the reporting to the group currency (1 when they are the same)
    select
        m.organization_id,
        m.spend_month,
        case
            when m.reporting_currency = g.group_currency then 1.0 else fx.rate
        end as rate
    from monthly as m
    cross join group_currency as g
    left join fx_rates as fx
        on
            substr(cast(m.spend_month as string), 1, 7) = fx.rate_month
            and m.reporting_currency = fx.from_currency
            and g.group_currency = fx.to_currency
) as to_group
    on
        monthly.organization_id = to_group.organization_id
        and monthly.spend_month = to_group.spend_month
left join ranked_channels as social_rank
    on
        monthly.organization_id = social_rank.organization_id
        and monthly.spend_month = social_rank.spend_month
        and social_rank.channel_id = 'social_marketing'
left join results
    on
        monthly.organization_id = results.organization_id
        and monthly.spend_month = results.spend_month
left join ad_exports
    on
        monthly.organization_id = ad_exports.organization_id
        and monthly.spend_month = ad_exports.spend_month
left join platform_split
    on
        monthly.organization_id = platform_split.organization_id
        and monthly.spend_month = platform_split.spend_month
