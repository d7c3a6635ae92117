-- Paid social in the ledger (seed channel_spend, lines named in seed
-- paid_social_ledger_labels) against the sum of the ad managers' exports, per
-- organisation, month and scope: a network where the organisation's ledger has
-- the network's own line (`Paid Social - Meta`), or `all` where its ledger has
-- one line for every network. Only months with at least one ad export of the
-- organisation are compared. The tolerance (seed
-- spend_reconciliation_tolerances) is the larger of a share of the ledger and a
-- minimum amount; the warn test paid_social_ledger_matches_ad_exports reports
-- rows beyond it.

with labels as (
    select * from {{ ref('paid_social_ledger_labels') }}
),

ledger as (
    select
        lines.organization_id,
        lines.spend_month,
        labels.ad_network as reconciliation_scope,
        sum(lines.amount_reporting) as ledger_amount,
        {{ sorted_text_agg('lines.spend_label', ', ', distinct=true) }} as ledger_labels
    from {{ ref('int_spend_lines_converted') }} as lines
    inner join labels
        on lines.spend_label = labels.spend_label
    where lines.spend_source = 'channel_spend'
    group by lines.organization_id, lines.spend_month, labels.ad_network
),

scopes as (
    -- whether an organisation's ledger books paid social in one line for every network
    select
        lines.organization_id,
        bool_or(labels.ad_network = 'all') as has_one_line_for_all
    from {{ ref('channel_spend') }} as lines
    inner join labels
        on lines.spend_label = labels.spend_label
    group by lines.organization_id
),

exports as (
    select
        spend.organization_id,
        spend.spend_month,
        case when coalesce(scopes.has_one_line_for_all, false) then 'all' else spend.ad_network end
            as reconciliation_scope,
        sum(spend.amount_reporting) as ad_exports_amount,
        {{ sorted_text_agg('spend.ad_network', ', ', distinct=true) }} as ad_networks
    from {{ ref('int_paid_social_spend_monthly') }} as spend
    left join scopes
        on spend.organization_id = scopes.organization_id
    group by all
),

covered_months as (
    select distinct
        organization_id,
        spend_month
    from exports
),

compared as (
    select
        coalesce(ledger.organization_id, exports.organization_id) as organization_id,
        coalesce(ledger.spend_month, exports.spend_month) as spend_month,
        coalesce(ledger.reconciliation_scope, exports.reconciliation_scope)
            as reconciliation_scope,
        ledger.ledger_labels,
        exports.ad_networks,
        round(ledger.ledger_amount, 2) as ledger_amount,
        round(exports.ad_exports_amount, 2) as ad_exports_amount
    from ledger
    full outer join exports
        on
            ledger.organization_id = exports.organization_id
            and ledger.spend_month = exports.spend_month
            and ledger.reconciliation_scope = exports.reconciliation_scope
),

tolerances as (
    select
        relative_tolerance,
        minimum_absolute_tolerance
    from {{ ref('spend_reconciliation_tolerances') }}
    where tolerance_id = 'paid_social_ledger_vs_ad_exports'
)

select
    compared.organization_id,
    compared.spend_month,
    compared.reconciliation_scope,
    compared.ledger_labels,
    compared.ad_networks,
    compared.ledger_amount,
    compared.ad_exports_amount,
    round(compared.ad_exports_amount - compared.ledger_amount, 2) as difference,
    {{ safe_divide('compared.ad_exports_amount - compared.ledger_amount', 'compared.ledger_amount') }}
        as relative_difference,
    round(
        greatest(
            tolerances.relative_tolerance * abs(coalesce(compared.ledger_amount, 0)),
            tolerances.minimum_absolute_tolerance
        ),
        2
    ) as tolerance_amount,
    case
        when compared.ad_exports_amount is null then 'no_ad_exports'
        when compared.ledger_amount is null then 'not_in_ledger'
        when
            abs(compared.ad_exports_amount - compared.ledger_amount)
            <= greatest(
                tolerances.relative_tolerance * abs(compared.ledger_amount),
                tolerances.minimum_absolute_tolerance
            )
            then 'reconciles'
        else 'differs'
    end as reconciliation_status
from compared
inner join covered_months
    on
        compared.organization_id = covered_months.organization_id
        and compared.spend_month = covered_months.spend_month
cross join tolerances
