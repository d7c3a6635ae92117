{{ base_config() }}
-- depends_on: {{ ref('landing_files') }}

-- Every row of every landed Instagram posts export, typed, with the reason it
-- cannot be used (null for a good row). One row per post per export file.

with source as (
    {{ with_parsing_context(source('instagram_raw', 'posts')) }}
),

parsed as (
    select
        *,
        {{ parse_local_datetime('published_local', '_date_order') }} as published_local_ts
    from source
),

checked as (
    select
        *,
        {{ rejection_columns([
            ['account_key', '_account_key', account_problem()],
            ['post_id', 'post_id', id_problem('post_id', 'post_id')],
            ['published_local', 'published_local',
                timestamp_problem('published_local_ts', 'published_local', 'published_local', '2010-10-06')],
            ['likes', 'likes', count_problem('likes', 'likes', '_decimal_separator')],
            ['comments', 'comments', count_problem('comments', 'comments', '_decimal_separator')],
            ['shares', 'shares', count_problem('shares', 'shares', '_decimal_separator')],
            ['saves', 'saves', count_problem('saves', 'saves', '_decimal_separator')],
            ['views', 'views', count_problem('views', 'views', '_decimal_separator')],
            ['reach', 'reach', count_problem('reach', 'reach', '_decimal_separator')],
        ]) }}
    from parsed
),

renamed as (
    select
        ----------  ids
        'instagram' as platform,
        _account_key as account_key,
        trim(post_id) as post_id,
        trim(account_id) as page_account_id,

        ----------  timestamps
        published_local_ts as published_local,
        {{ local_to_utc('published_local_ts', '_time_zone') }} as published_at,
        'minute' as published_at_precision,

        ----------  attributes
        nullif(trim(post_type), '') as post_type,
        nullif(trim(permalink), '') as permalink,
        {{ parse_count('duration_sec', '_decimal_separator') }} as duration_sec,

        ----------  lifetime counts as of the export
        {{ parse_count('likes', '_decimal_separator') }} as likes,
        {{ parse_count('comments', '_decimal_separator') }} as comments,
        {{ parse_count('shares', '_decimal_separator') }} as shares,
        {{ parse_count('saves', '_decimal_separator') }} as saves,
        {{ parse_count('follows', '_decimal_separator') }} as follows,
        {{ parse_count('views', '_decimal_separator') }} as impressions,
        {{ parse_count('reach', '_decimal_separator') }} as reach,

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
