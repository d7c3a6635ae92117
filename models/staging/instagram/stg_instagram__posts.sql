{{ snapshot_config(['post_id']) }}
-- One row per Instagram post, from its latest export (see macro latest_snapshot).

with latest as (
    {{ latest_snapshot(
        ref('base_instagram__posts'),
        ['post_id'],
        'coalesce(likes, 0) + coalesce(comments, 0)'
    ) }}
)

select * from latest
