-- A build in which no post landed must not pass silently with empty engagement
-- marts: it warns, and the warning says so. One row when no post reached staging.
{{ config(
    severity='warn',
    meta={'steward_action': 'Drop the platforms'' post exports into the landing folder'
        ' (LANDING_DIR, default data/landing/<platform>/<account_key>/), or run'
        ' `make sample` for the sample exports, then build again.'}
) }}

select 'no posts landed: the engagement marts are empty' as problem
where not exists (
    select 1 from {{ ref('stg_social__posts') }}
)
