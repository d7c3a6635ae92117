{{ snapshot_config(['platform', 'account_key', 'activity_date']) }}
-- Follower movements per account and local day, from the latest export that
-- covers the day (overlapping exports are never added together).

{{ latest_snapshot('follows', 'coalesce(snap.new_follows, 0) + coalesce(snap.unfollows, 0)') }}
