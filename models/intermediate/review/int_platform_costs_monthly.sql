-- One row per organisation, platform and month with data: the platform's
-- monthly evidence (posts, engagements, sums of per-post rates and of their
-- benchmarks, followers) and the social cost it carries, in the reporting
-- currency (null when the organisation recorded no social cost that month).
-- Paid social: the ledger's amount is the book of record; where the ad
-- managers' exports (int_paid_social_spend_monthly) cover a ledger line's
-- network (or every network, for a one-line ledger) that month, the line is
-- split across platforms in the exports' proportions; otherwise it goes to the
-- platforms its spend label names (seed channel_taxonomy, column platforms).
-- Tools, agency and staff time, which serve every platform, are allocated by
-- the rule of seed platform_cost_allocation (a convention: share of posts).

with lines as (
    select
        l.organization_id,
        l.spend_month,
        l.spend_component,
        l.spend_label,
        l.amount_reporting,
        t.platforms
    from {{ ref('int_spend_lines_converted') }} as l
    left join {{ ref('channel_taxonomy') }} as t
        on l.spend_label = t.spend_label
    where l.is_social
),

paid_ledger as (
    -- paid social lines of the ledger, with the network each one books
    -- (seed paid_social_ledger_labels: a network, or `all`)
    select
        lines.organization_id,
        lines.spend_month,
        lines.spend_component,
        lines.platforms,
        labels.ad_network as ledger_scope,
        sum(lines.amount_reporting) as amount_reporting
    from lines
    left join {{ ref('paid_social_ledger_labels') }} as labels
        on lines.spend_label = labels.spend_label
    where lines.spend_component = 'paid_social'
    group by all
),

active_platforms as (
    select distinct
        organization_id,
        platform,
        activity_month as spend_month
    from {{ ref('int_engagement_monthly') }}
),

export_rows as (
    -- ad-export rows on a platform with posts that month (spend on a platform
    -- without posts cannot be allocated to it: it falls back to the label)
    select exports.*
    from {{ ref('int_paid_social_spend_monthly') }} as exports
    where
        exports.amount_reporting > 0
        and exists (
            select 1
            from active_platforms as active
            where
                active.organization_id = exports.organization_id
                and active.spend_month = exports.spend_month
                and '|' || exports.platform || '|' like '%|' || active.platform || '|%'
        )
),

paid_split as (
    -- each ledger line with the ad-export rows of its scope and month
    select
        ledger.*,
        exports.platform as export_platforms,
        exports.amount_reporting as export_amount,
        sum(exports.amount_reporting) over (
            partition by
                ledger.organization_id,
                ledger.spend_month,
                ledger.ledger_scope,
                ledger.platforms
        ) as export_scope_amount
    from paid_ledger as ledger
    left join export_rows as exports
        on
            ledger.organization_id = exports.organization_id
            and ledger.spend_month = exports.spend_month
            and (ledger.ledger_scope = 'all' or ledger.ledger_scope = exports.ad_network)
),

paid_social as (
    select
        organization_id,
        spend_month,
        spend_component,
        case
            when export_scope_amount > 0 then export_platforms else platforms
        end as platforms,
        case
            when export_scope_amount > 0 then 'ad_exports' else 'ledger_label'
        end as split_source,
        sum(
            case
                when export_scope_amount > 0
                    then amount_reporting * export_amount / export_scope_amount
                else amount_reporting
            end
        ) as amount_reporting
    from paid_split
    group by all
),

shared_social as (
    select
        organization_id,
        spend_month,
        spend_component,
        platforms,
        cast(null as string) as split_source,
        sum(amount_reporting) as amount_reporting
    from lines
    where spend_component <> 'paid_social'
    group by all
),

social_costs as (
    select * from paid_social
    union all
    select * from shared_social
),

platform_months as (
    select
        organization_id,
        platform,
        activity_month as spend_month,
        sum(posts) as posts,
        sum(engagements) as engagements,
        sum(impressions) as impressions,
        sum(posts_with_rate) as posts_with_rate,
        sum(posts_without_followers) as posts_without_followers,
        sum(avg_engagement_rate_per_post * posts_with_rate)
        filter (where benchmark_engagement_rate is not null) as engagement_rate_sum,
        sum(benchmark_engagement_rate * posts_with_rate) as benchmark_rate_sum,
        avg(benchmark_posts_per_week) as benchmark_posts_per_week,
        sum(followers_end_of_month) as followers_end_of_month,
        day(last_day(activity_month)) as days_in_month
    from {{ ref('int_engagement_monthly') }}
    group by all
),

named as (
    -- a cost that names platforms goes to those of them active that month
    select
        c.*,
        p.platform,
        p.posts
    from social_costs as c
    inner join platform_months as p
        on
            c.organization_id = p.organization_id
            and c.spend_month = p.spend_month
            and '|' || c.platforms || '|' like '%|' || p.platform || '|%'
),

named_keys as (
    select distinct
        organization_id,
        spend_month,
        spend_component,
        platforms
    from named
),

spread as (
    -- a cost that names no platform, or none active that month, goes to every
    -- platform of the organisation active that month (nothing is lost)
    select
        c.*,
        p.platform,
        p.posts
    from social_costs as c
    left join named_keys as k
        on
            c.organization_id = k.organization_id
            and c.spend_month = k.spend_month
            and c.spend_component = k.spend_component
            and c.platforms = k.platforms
    inner join platform_months as p
        on
            c.organization_id = p.organization_id
            and c.spend_month = p.spend_month
    where k.organization_id is null
),

candidates as (
    select
        c.organization_id,
        c.spend_month,
        c.spend_component,
        c.platforms,
        c.split_source,
        c.amount_reporting,
        c.platform,
        c.posts,
        r.allocation_basis
    from (
        select * from named
        union all
        select * from spread
    ) as c
    inner join {{ ref('platform_cost_allocation') }} as r
        on c.spend_component = r.spend_component
),

shared as (
    select
        *,
        case
            when
                allocation_basis = 'share_of_posts'
                and sum(posts) over (
                    partition by organization_id, spend_month, spend_component, platforms, split_source
                ) > 0
                then cast(posts as double) / sum(posts) over (
                    partition by organization_id, spend_month, spend_component, platforms, split_source
                )
            -- equal_split, or no posts on any candidate platform that month
            else 1.0 / count(*) over (
                partition by organization_id, spend_month, spend_component, platforms, split_source
            )
        end as allocation_share
    from candidates
),

allocated as (
    select
        organization_id,
        platform,
        spend_month,
        sum(amount_reporting * allocation_share)
        filter (where spend_component = 'paid_social') as paid_social_cost,
        sum(amount_reporting * allocation_share)
        filter (where spend_component = 'social_tools') as social_tools_cost,
        sum(amount_reporting * allocation_share)
        filter (where spend_component = 'social_agency') as social_agency_cost,
        sum(amount_reporting * allocation_share)
        filter (where spend_component = 'social_staff_time') as social_staff_time_cost,
        sum(amount_reporting * allocation_share) as platform_cost,
        case
            when bool_or(split_source = 'ad_exports') then 'ad_exports'
            when bool_or(split_source = 'ledger_label') then 'ledger_label'
        end as paid_social_split_source
    from shared
    group by all
)

select
    m.organization_id,
    m.platform,
    m.spend_month,
    cast(m.posts as bigint) as posts,
    cast(m.engagements as bigint) as engagements,
    cast(m.impressions as bigint) as impressions,
    cast(m.posts_with_rate as bigint) as posts_with_rate,
    cast(m.posts_without_followers as bigint) as posts_without_followers,
    m.engagement_rate_sum,
    m.benchmark_rate_sum,
    m.benchmark_posts_per_week,
    cast(m.followers_end_of_month as bigint) as followers_end_of_month,
    m.days_in_month,
    round(coalesce(a.paid_social_cost, 0), 2) as paid_social_cost,
    round(coalesce(a.social_tools_cost, 0), 2) as social_tools_cost,
    round(coalesce(a.social_agency_cost, 0), 2) as social_agency_cost,
    round(coalesce(a.social_staff_time_cost, 0), 2) as social_staff_time_cost,
    round(a.platform_cost, 2) as platform_cost,
    a.paid_social_split_source
from platform_months as m
left join allocated as a
    on
        m.organization_id = a.organization_id
        and m.platform = a.platform
        and m.spend_month = a.spend_month
