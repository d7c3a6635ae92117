{{ base_config() }}
-- depends_on: {{ ref('landing_files') }}

-- Every row of every landed Facebook posts export, typed, with the reason it
-- cannot be used (null for a good row). One row per post per export file.

with source as (
    {{ with_parsing_context(source('facebook_raw', 'posts')) }}
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
                timestamp_problem('published_local_ts', 'published_local', 'published_local', '2004-02-04')],
            ['reactions', 'reactions', count_problem('reactions', 'reactions', '_decimal_separator')],
            ['comments', 'comments', count_problem('comments', 'comments', '_decimal_separator')],
            ['shares', 'shares', count_problem('shares', 'shares', '_decimal_separator')],
            ['views', 'views', count_problem('views', 'views', '_decimal_separator')],
            ['reach', 'reach', count_problem('reach', 'reach', '_decimal_separator')],
            ['total_clicks', 'total_clicks', count_problem('total_clicks', 'total_clicks', '_decimal_separator')],
            ['link_clicks', 'link_clicks', count_problem('link_clicks', 'link_clicks', '_decimal_separator')],
        ]) }}
    from parsed
),

renamed as (
    select
        ----------  ids
        'facebook' as platform,
        _account_key as account_key,
        trim(post_id) as post_id,
        trim(page_id) as page_account_id,

        ----------  timestamps
        published_local_ts as published_local,
        {{ local_to_utc('published_local_ts', '_time_zone') }} as published_at,
        'minute' as published_at_precision,

        ----------  attributes
        nullif(trim(post_type), '') as post_type,
        nullif(description, '') as post_text,
        nullif(trim(permalink), '') as permalink,
        nullif(trim(funded_content_status), '') as funded_content_status,
        {{ parse_count('duration_sec', '_decimal_separator') }} as duration_sec,

        ----------  lifetime counts as of the export
        {{ parse_count('reactions', '_decimal_separator') }} as reactions,
        {{ parse_count('comments', '_decimal_separator') }} as comments,
        {{ parse_count('shares', '_decimal_separator') }} as shares,
        {{ parse_count('views', '_decimal_separator') }} as impressions,
        {{ parse_count('reach', '_decimal_separator') }} as reach,
        {{ parse_count('total_clicks', '_decimal_separator') }} as clicks,
        {{ parse_count('link_clicks', '_decimal_separator') }} as link_clicks,
        {{ parse_count('seconds_viewed', '_decimal_separator') }} as seconds_viewed,

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
