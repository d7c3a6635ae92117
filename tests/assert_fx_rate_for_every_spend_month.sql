-- Every month and currency of spend (and of staff cost) that differs from the
-- organisation's reporting currency needs a rate: a missing one names itself.
{{ config(
    severity='error',
    meta={'steward_action': "Add the missing month's rate to seeds/organizations/fx_rates.csv."}
) }}

with needs as (
    select
        s.organization_id,
        s.spend_month as rate_month,
        s.currency,
        o.reporting_currency
    from {{ ref('channel_spend') }} as s
    inner join {{ ref('organizations') }} as o on s.organization_id = o.organization_id
    union
    select
        t.organization_id,
        t.staff_month,
        t.currency,
        o.reporting_currency
    from {{ ref('staff_time_on_social') }} as t
    inner join {{ ref('organizations') }} as o on t.organization_id = o.organization_id
)

select needs.*
from needs
left join {{ ref('fx_rates') }} as fx
    on
        needs.rate_month = fx.rate_month
        and needs.currency = fx.from_currency
        and needs.reporting_currency = fx.to_currency
where needs.currency <> needs.reporting_currency and fx.rate is null
