{{ snapshot_config(['post_id']) }}
-- One row per X post, from its latest export, whichever of the two export
-- formats (legacy "Tweet activity" or account analytics) it came from.

with both_formats as (
    select * from {{ ref('base_x__posts_legacy') }}
    union all by name
    select * from {{ ref('base_x__posts') }}
),

latest as (
    {{ latest_snapshot(
        'both_formats',
        ['post_id'],
        'coalesce(likes, 0) + coalesce(reposts, 0) + coalesce(replies, 0)'
    ) }}
)

select * from latest
