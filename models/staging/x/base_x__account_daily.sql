{{ base_config() }}
-- depends_on: {{ ref('landing_files') }}

-- Every row of every landed X account overview export: one row per day with
-- new follows and unfollows (so net follows are exact on X).

with source as (
    {{ with_parsing_context(source('x_raw', 'account_daily')) }}
),

parsed as (
    select
        *,
        {{ parse_x_date('activity_date') }} as activity_day
    from source
),

checked as (
    select
        *,
        {{ rejection_columns([
            ['account_key', '_account_key', account_problem()],
            ['activity_date', 'activity_date',
                timestamp_problem('cast(activity_day as timestamp)', 'activity_date', 'activity_date', '2006-03-21')],
            ['new_follows', 'new_follows', count_problem('new_follows', 'new_follows')],
            ['unfollows', 'unfollows', count_problem('unfollows', 'unfollows')],
            ['create_post', 'create_post', count_problem('create_post', 'create_post')],
        ]) }}
    from parsed
),

renamed as (
    select
        'x' as platform,
        _account_key as account_key,
        activity_day as activity_date,
        {{ parse_count('new_follows') }} as new_follows,
        {{ parse_count('unfollows') }} as unfollows,
        {{ parse_count('create_post') }} as posts_created,
        {{ parse_count('impressions') }} as impressions,
        {{ parse_count('engagements') }} as engagements_reported,
        {{ parse_count('likes') }} as likes,
        {{ parse_count('replies') }} as replies,
        {{ parse_count('reposts') }} as reposts,
        rejection_reason,
        rejected_column,
        rejected_value,
        _export_kind as export_kind,
        _header_language as header_language,
        {{ lineage_columns() }}
    from checked
)

select * from renamed
