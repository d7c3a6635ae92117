{{ snapshot_config(['post_id']) }}
-- One row per LinkedIn post, from its latest export (see macro latest_snapshot).

with latest as (
    {{ latest_snapshot(
        ref('base_linkedin__posts'),
        ['post_id'],
        'coalesce(reactions, 0) + coalesce(comments, 0) + coalesce(reposts, 0)'
    ) }}
)

select * from latest
