{{ base_config() }}
-- depends_on: {{ ref('landing_files') }}

-- Every row of every landed legacy "Tweet activity" export (40 columns, times
-- in UTC with an explicit offset, counts written as floats like `424.0`).

with source as (
    {{ with_parsing_context(source('x_raw', 'posts_legacy')) }}
),

parsed as (
    select
        *,
        {{ parse_x_legacy_time('published_utc') }} as published_ts
    from source
),

checked as (
    select
        *,
        {{ rejection_columns([
            ['account_key', '_account_key', account_problem()],
            ['post_id', 'post_id', id_problem('post_id', 'post_id')],
            ['published_utc', 'published_utc',
                timestamp_problem('published_ts', 'published_utc', 'published_utc', '2006-03-21')],
            ['likes', 'likes', count_problem('likes', 'likes')],
            ['retweets', 'retweets', count_problem('retweets', 'retweets')],
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

        ----------  timestamps
        published_ts as published_at,
        'minute' as published_at_precision,

        ----------  attributes
        nullif(trim(permalink), '') as permalink,

        ----------  lifetime counts as of the export
        {{ parse_count('likes') }} as likes,
        {{ parse_count('retweets') }} as reposts,
        {{ parse_count('replies') }} as replies,
        {{ parse_count('impressions') }} as impressions,
        {{ parse_count('url_clicks') }} as link_clicks,
        {{ parse_count('user_profile_clicks') }} as profile_visits,
        {{ parse_count('detail_expands') }} as detail_expands,
        cast(null as bigint) as bookmarks,
        {{ parse_count('follows') }} as new_follows,

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
