{{ base_config() }}
-- depends_on: {{ ref('landing_files') }}

-- Every row of every landed LinkedIn content export (sheet "All posts"; the
-- note row above the header is skipped by the ingest). The post ID is the
-- activity URN in the post link. Numbers are native spreadsheet numbers, so
-- the decimal mark is always '.', whatever the locale of the headers.
-- `Posted by` names a staff member: it is hashed here and never kept in clear.

with source as (
    {{ with_parsing_context(source('linkedin_raw', 'posts')) }}
),

parsed as (
    select
        *,
        regexp_extract(post_link, 'urn:li:(?:activity|share|ugcPost):([0-9]+)', 1) as urn_id,
        {{ parse_local_datetime('created_date', '_date_order') }} as created_ts
    from source
),

checked as (
    select
        *,
        {{ rejection_columns([
            ['account_key', '_account_key', account_problem()],
            ['post_link', 'post_link',
                "case when nullif(urn_id, '') is null then 'post_link: no activity URN in the link' end"],
            ['created_date', 'created_date',
                timestamp_problem('created_ts', 'created_date', 'created_date', '2003-05-05')],
            ['likes', 'likes', count_problem('likes', 'likes')],
            ['comments', 'comments', count_problem('comments', 'comments')],
            ['reposts', 'reposts', count_problem('reposts', 'reposts')],
            ['impressions', 'impressions', count_problem('impressions', 'impressions')],
            ['clicks', 'clicks', count_problem('clicks', 'clicks')],
        ]) }}
    from parsed
),

renamed as (
    select
        ----------  ids
        'linkedin' as platform,
        _account_key as account_key,
        urn_id as post_id,

        ----------  timestamps: local midnight of the creation day, in UTC
        {{ local_to_utc('created_ts', '_time_zone') }} as published_at,
        'day' as published_at_precision,

        ----------  attributes
        nullif(trim(post_type), '') as post_type,
        nullif(trim(content_type), '') as content_type,
        nullif(trim(post_link), '') as permalink,
        nullif(trim(campaign_name), '') as campaign_name,
        case
            when {{ is_blank('posted_by') }} then null
            else sha256(lower(trim(posted_by)))
        end as posted_by_hash,

        ----------  lifetime counts as of the export
        {{ parse_count('likes') }} as reactions,
        {{ parse_count('comments') }} as comments,
        {{ parse_count('reposts') }} as reposts,
        {{ parse_count('impressions') }} as impressions,
        {{ parse_count('clicks') }} as clicks,
        {{ parse_count('follows') }} as new_follows,
        {{ parse_decimal('click_through_rate') }} as click_through_rate_reported,
        {{ parse_decimal('engagement_rate') }} as engagement_rate_reported,

        ----------  quarantine
        rejection_reason,
        rejected_column,
        case when rejected_column = 'posted_by' then null else rejected_value end as rejected_value,

        ----------  lineage
        _export_kind as export_kind,
        _header_language as header_language,
        {{ lineage_columns() }}
    from checked
)

select * from renamed
