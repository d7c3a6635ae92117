-- The ledger's paid social and the ad managers' exports agree within the seeded
-- tolerance (seed spend_reconciliation_tolerances), per organisation, month and
-- scope (int_paid_social_spend_reconciled). A warning, not a stop: the ledger
-- stays the book of record for the share of spend; the rows say which month
-- and network to look at.
{{ config(
    severity='warn',
    meta={'steward_action': "Compare the month's paid-social invoices with the ad managers'"
        " exports of that month: a missing or partial export, an ad account missing from"
        " seeds/paid_social/ad_accounts.csv, or a ledger line booked to the wrong month."}
) }}

select
    organization_id,
    spend_month,
    reconciliation_scope,
    ledger_labels,
    ad_networks,
    ledger_amount,
    ad_exports_amount,
    difference,
    tolerance_amount,
    reconciliation_status
from {{ ref('int_paid_social_spend_reconciled') }}
where reconciliation_status in ('differs', 'not_in_ledger')
