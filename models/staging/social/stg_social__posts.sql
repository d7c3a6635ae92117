{{ snapshot_config(['platform', 'post_id']) }}
-- One row per post, from its latest export (lifetime totals are never added
-- together). Ties go to the larger benchmark engagement count.

{{ latest_snapshot(
    'posts',
    engagement_count('snap', 'definitions'),
    with_engagement_definitions=true,
) }}
