{{ base_config() }}
-- depends_on: {{ ref('landing_files') }}

-- Every row of every landed Facebook page-level "follows" export (UTF-16,
-- `sep=,` and metric-name preamble): new follows per local day, not totals.

with source as (
    {{ with_parsing_context(source('facebook_raw', 'follows')) }}
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
                timestamp_problem('follow_ts', 'follow_date', 'follow_date', '2004-02-04')],
            ['new_follows', 'new_follows', count_problem('new_follows', 'new_follows', '_decimal_separator')],
        ]) }}
    from parsed
),

renamed as (
    select
        'facebook' as platform,
        _account_key as account_key,
        cast(follow_ts as date) as activity_date,
        {{ parse_count('new_follows', '_decimal_separator') }} as new_follows,
        cast(null as bigint) as unfollows,
        metric_name,
        rejection_reason,
        rejected_column,
        rejected_value,
        _export_kind as export_kind,
        _header_language as header_language,
        {{ lineage_columns() }}
    from checked
)

select * from renamed
