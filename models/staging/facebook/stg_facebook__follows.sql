{{ snapshot_config(['account_key', 'activity_date']) }}
-- New follows per Facebook page and local day, from the latest export that
-- covers the day (overlapping exports are never added together).

with latest as (
    {{ latest_snapshot(
        ref('base_facebook__follows'),
        ['account_key', 'activity_date'],
        'coalesce(new_follows, 0)'
    ) }}
)

select * from latest
