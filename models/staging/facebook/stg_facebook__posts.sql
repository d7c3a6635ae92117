{{ snapshot_config(['post_id']) }}
-- One row per Facebook post, from its latest export (see macro latest_snapshot).

with latest as (
    {{ latest_snapshot(
        ref('base_facebook__posts'),
        ['post_id'],
        'coalesce(reactions, 0) + coalesce(comments, 0) + coalesce(shares, 0)'
    ) }}
)

select * from latest
