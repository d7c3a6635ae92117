{{ snapshot_config([
    'platform', 'account_key', 'ad_id', 'publisher_platform',
    'reporting_started_on', 'reporting_ended_on',
]) }}
-- One row per ad (or LinkedIn campaign), publisher platform and reporting
-- period, from the latest export of it: the same ad and period exported twice is
-- counted once. Overlapping periods of different lengths are resolved in
-- int_ad_results_deduplicated.

{{ latest_snapshot('ad_results', 'coalesce(snap.amount_spent, 0)') }}
