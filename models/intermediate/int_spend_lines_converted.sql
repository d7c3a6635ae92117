-- Every spend line in the organisation's reporting currency, mapped to its
-- benchmark channel: the channel-spend ledger plus the cost of staff time on
-- social (often booked to other cost centres, so invisible in the ledger).
-- A line whose currency has no rate for its month gets a null amount; the
-- test on this model stops the build before a mart adds it up.

with organizations as (
    select
        organization_id,
        reporting_currency
    from {{ ref('organizations') }}
),

ledger as (
    select
        s.organization_id,
        cast({{ parse_year_month('s.spend_month') }} as date) as spend_month,
        s.spend_label,
        s.cost_type,
        s.cost_center,
        s.amount,
        s.currency,
        t.channel_id,
        t.is_social,
        coalesce(t.social_component, 'not_social') as spend_component,
        'channel_spend' as spend_source
    from {{ ref('channel_spend') }} as s
    left join {{ ref('channel_taxonomy') }} as t
        on s.spend_label = t.spend_label
),

staff as (
    select
        organization_id,
        cast({{ parse_year_month('staff_month') }} as date) as spend_month,
        'Staff time on social (' || department || ')' as spend_label,
        'labour' as cost_type,
        cost_center,
        fte_on_social * monthly_cost_per_fte as amount,
        currency,
        'social_marketing' as channel_id,
        true as is_social,
        'social_staff_time' as spend_component,
        'staff_time_on_social' as spend_source
    from {{ ref('staff_time_on_social') }}
),

lines as (
    select * from ledger
    union all
    select * from staff
),

converted as (
    select
        lines.*,
        organizations.reporting_currency,
        case
            when lines.currency = organizations.reporting_currency then 1.0
            else fx.rate
        end as fx_rate
    from lines
    inner join organizations
        on lines.organization_id = organizations.organization_id
    left join {{ ref('fx_rates') }} as fx
        on
            {{ format_year_month('lines.spend_month') }} = fx.rate_month
            and lines.currency = fx.from_currency
            and organizations.reporting_currency = fx.to_currency
)

select
    *,
    amount * fx_rate as amount_reporting
from converted
