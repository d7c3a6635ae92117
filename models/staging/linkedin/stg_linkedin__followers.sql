{{ snapshot_config(['account_key', 'activity_date']) }}
-- New LinkedIn followers per page and day, from the latest export covering the day.

with latest as (
    {{ latest_snapshot(
        ref('base_linkedin__followers'),
        ['account_key', 'activity_date'],
        'coalesce(new_follows, 0)'
    ) }}
)

select * from latest
