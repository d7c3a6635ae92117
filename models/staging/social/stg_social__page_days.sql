{{ snapshot_config(['platform', 'account_key', 'activity_date']) }}
-- Page-level figures per account and local day, from the latest export that
-- covers the day (overlapping exports are never added together).

{{ latest_snapshot('page_days', 'coalesce(snap.impressions, 0)') }}
