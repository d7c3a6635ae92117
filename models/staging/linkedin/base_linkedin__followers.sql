{{ base_config() }}
-- depends_on: {{ ref('landing_files') }}

-- Every row of every landed LinkedIn followers export (sheet "New followers").
-- `Total followers` is the number of NEW followers that day, not a running total.

with source as (
    {{ with_parsing_context(source('linkedin_raw', 'followers')) }}
),

parsed as (
    select
        *,
        {{ parse_local_datetime('follow_date', '_date_order') }} as follow_ts
    from source
),

checked as (
    select
        *,
        {{ rejection_columns([
            ['account_key', '_account_key', account_problem()],
            ['follow_date', 'follow_date',
                timestamp_problem('follow_ts', 'follow_date', 'follow_date', '2003-05-05')],
            ['new_followers', 'new_followers', count_problem('new_followers', 'new_followers')],
        ]) }}
    from parsed
),

renamed as (
    select
        'linkedin' as platform,
        _account_key as account_key,
        cast(follow_ts as date) as activity_date,
        {{ parse_count('new_followers') }} as new_follows,
        cast(null as bigint) as unfollows,
        {{ parse_count('sponsored_followers') }} as sponsored_follows,
        {{ parse_count('organic_followers') }} as organic_follows,
        {{ parse_count('auto_invited_followers') }} as auto_invited_follows,
        rejection_reason,
        rejected_column,
        rejected_value,
        _export_kind as export_kind,
        _header_language as header_language,
        {{ lineage_columns() }}
    from checked
)

select * from renamed
