{{ base_config() }}
-- depends_on: {{ ref('landing_files') }}

-- Every row of every landed X account-analytics content export (2024+): one
-- row per post with its date (no time of day) in the account's time zone.

with source as (
    {{ with_parsing_context(source('x_raw', 'posts')) }}
),

parsed as (
    select
        *,
        {{ parse_x_date('post_date') }} as post_day
    from source
),

checked as (
    select
        *,
        {{ rejection_columns([
            ['account_key', '_account_key', account_problem()],
            ['post_id', 'post_id', id_problem('post_id', 'post_id')],
            ['post_date', 'post_date',
                timestamp_problem('cast(post_day as timestamp)', 'post_date', 'post_date', '2006-03-21')],
            ['likes', 'likes', count_problem('likes', 'likes')],
            ['reposts', 'reposts', count_problem('reposts', 'reposts')],
            ['replies', 'replies', count_problem('replies', 'replies')],
            ['impressions', 'impressions', count_problem('impressions', 'impressions')],
        ]) }}
    from parsed
),

renamed as (
    select
        ----------  ids
        'x' as platform,
        _account_key as account_key,
        trim(post_id) as post_id,

        ----------  timestamps: local midnight of the post's day, in UTC
        {{ local_to_utc('cast(post_day as timestamp)', '_time_zone') }} as published_at,
        'day' as published_at_precision,

        ----------  attributes
        nullif(trim(permalink), '') as permalink,

        ----------  lifetime counts as of the export
        {{ parse_count('likes') }} as likes,
        {{ parse_count('reposts') }} as reposts,
        {{ parse_count('replies') }} as replies,
        {{ parse_count('impressions') }} as impressions,
        {{ parse_count('url_clicks') }} as link_clicks,
        {{ parse_count('profile_visits') }} as profile_visits,
        {{ parse_count('detail_expands') }} as detail_expands,
        {{ parse_count('bookmarks') }} as bookmarks,
        {{ parse_count('new_follows') }} as new_follows,

        ----------  quarantine
        rejection_reason,
        rejected_column,
        rejected_value,

        ----------  lineage
        _export_kind as export_kind,
        _header_language as header_language,
        {{ lineage_columns() }}
    from checked
)

select * from renamed
