{{ snapshot_config(['account_key', 'activity_date']) }}
-- One row per X account and day, from the latest export covering the day.

with latest as (
    {{ latest_snapshot(
        ref('base_x__account_daily'),
        ['account_key', 'activity_date'],
        'coalesce(new_follows, 0) + coalesce(unfollows, 0)'
    ) }}
)

select * from latest
