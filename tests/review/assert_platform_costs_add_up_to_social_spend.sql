-- The costs allocated to platforms add up to the organisation's social spend in
-- every month in which one of its platforms has data: allocation moves money
-- between platforms, it neither loses nor creates any.
{{ config(
    severity='error',
    meta={'steward_action': 'A cost was lost or created while allocating social spend to'
        ' platforms: check seeds/review/platform_cost_allocation.csv has a rule for every'
        ' spend component and the platforms column of seeds/organizations/channel_taxonomy.csv,'
        ' then the model int_platform_costs_monthly.'}
) }}

with allocated as (
    select
        organization_id,
        spend_month,
        sum(platform_cost) as allocated_cost
    from {{ ref('int_platform_costs_monthly') }}
    group by all
),

social as (
    select
        organization_id,
        spend_month,
        sum(amount_reporting) as social_spend
    from {{ ref('int_spend_lines_converted') }}
    where is_social
    group by all
),

active as (
    select distinct
        organization_id,
        activity_month as spend_month
    from {{ ref('int_engagement_monthly') }}
)

select
    social.organization_id,
    social.spend_month,
    social.social_spend,
    allocated.allocated_cost
from social
inner join active
    on
        social.organization_id = active.organization_id
        and social.spend_month = active.spend_month
left join allocated
    on
        social.organization_id = allocated.organization_id
        and social.spend_month = allocated.spend_month
-- each platform's four parts are rounded to cents: allow a few cents in all
where abs(social.social_spend - coalesce(allocated.allocated_cost, 0)) > 0.2
