{#- Shared pieces of the base_ models that read raw landed exports. -#}

{%- macro with_parsing_context(relation) -%}
    {#-
        Adds to every raw row how to read it: the account's time zone, the date
        order and decimal mark (from the header language when it is not English,
        else from the account's export locale), and whether the account is known.
    -#}
    select
        src.*,
        acc.account_key is not null as _is_known_account,
        acc.export_time_zone as _time_zone,
        coalesce(loc.date_order, 'MDY') as _date_order,
        coalesce(loc.decimal_separator, '.') as _decimal_separator
    from {{ raw_rows(relation) }} as src
    left join {{ ref('social_accounts') }} as acc
        on src._account_key = acc.account_key
    left join {{ ref('export_locales') }} as loc
        on loc.locale = case
            when src._header_language = 'en' then acc.export_locale
            else (
                select l.locale
                from {{ ref('export_locales') }} as l
                where l.language = src._header_language and l.is_language_default
            )
        end
    {% if is_incremental() -%}
        where src._file_hash not in (select distinct source_file_hash from {{ this }})
    {%- endif %}
{%- endmacro -%}

{%- macro raw_rows(relation) -%}
    {#-
        What a base model reads: the whole raw source on a first build or full
        refresh; on an incremental build only the raw Parquet batches that hold
        files this model has not loaded yet (from `landing_files.raw_file`), so a
        build with one new day of exports does not scan every batch, and a build
        with nothing new reads an empty file.
    -#}
    {%- if is_incremental() and execute -%}
        {%- set folder = (relation | string).split("read_parquet('")[1].split('/*.parquet')[0] -%}
        {%- set kind = folder.split('/')[-1] -%}
        {%- set raw_dir = folder[:(folder | length) - (kind | length) - 1] -%}
        {%- set pending -%}
            select distinct raw_file
            from {{ ref('landing_files') }}
            where export_kind = '{{ kind }}' and raw_file <> ''
                and file_hash not in (select distinct source_file_hash from {{ this }})
            order by raw_file
        {%- endset -%}
        {%- set batches = run_query(pending).columns[0].values() -%}
        {%- if batches | length == 0 -%}
            read_parquet('{{ folder }}/_empty.parquet')
        {%- else -%}
            read_parquet([
                {%- for b in batches %}'{{ raw_dir }}/{{ b }}'{{ ", " if not loop.last }}{% endfor -%}
            ], union_by_name = true)
        {%- endif -%}
    {%- else -%}
        {{ relation }}
    {%- endif -%}
{%- endmacro -%}

{%- macro rejection_columns(checks) -%}
    {#-
        checks: list of [column name, raw value expression, problem expression]
        where the problem expression yields a reason text or null. Emits the
        first problem's reason, column and raw value (all null for a good row).
    -#}
    coalesce(
        {%- for c in checks %}
        {{ c[2] }}{{ "," if not loop.last }}
        {%- endfor %}
    ) as rejection_reason,
    case
        {%- for c in checks %}
        when ({{ c[2] }}) is not null then '{{ c[0] }}'
        {%- endfor %}
    end as rejected_column,
    case
        {%- for c in checks %}
        when ({{ c[2] }}) is not null then cast({{ c[1] }} as varchar)
        {%- endfor %}
    end as rejected_value
{%- endmacro -%}

{%- macro account_problem() -%}
    case when not _is_known_account then 'account_key: not in the social_accounts seed' end
{%- endmacro -%}

{%- macro timestamp_problem(parsed, raw, column_name, platform_launch) -%}
    {#- Unreadable, before the platform existed, or after the file was downloaded. -#}
    case
        when {{ is_blank(raw) }} then '{{ column_name }}: missing'
        when {{ parsed }} is null then '{{ column_name }}: unreadable date/time'
        when {{ parsed }} < timestamp '{{ platform_launch }}'
            then '{{ column_name }}: before the platform existed'
        when {{ parsed }} > cast(_exported_at as timestamp) + interval 1 day
            then '{{ column_name }}: after the export was downloaded'
    end
{%- endmacro -%}

{%- macro lineage_columns() -%}
    _source_file as source_file,
    _file_hash as source_file_hash,
    _row_number as source_row_number,
    _sheet as source_sheet,
    cast(_exported_at as timestamp) as exported_at,
    cast(_loaded_at as timestamp) as loaded_at,
    {{ build_time() }} as built_at
{%- endmacro -%}

{%- macro snapshot_config(key_columns) -%}
    {#-
        Staging models holding the latest snapshot per key: incremental, each build
        recomputing only the keys that have new rows or rows from removed exports
        (see latest_snapshot). The post-hook drops keys left with no landed row.
    -#}
    {{ config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=key_columns,
        on_schema_change='fail',
        post_hook=[
            "delete from {{ this }} where source_file_hash not in "
            ~ "(select l.file_hash from {{ ref('landing_files') }} as l)"
        ],
    ) }}
{%- endmacro -%}

{%- macro base_config() -%}
    {{ config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        tags=['base'],
    ) }}
{%- endmacro -%}

{%- macro latest_snapshot(base_relation, key_columns, lifetime_total) -%}
    {#-
        Lifetime-snapshot semantics: of the good rows of `base_relation`, keep
        one per key, from the latest export (download time). Ties go to the
        larger lifetime total (totals only grow), then to the file hash. Two
        exports of one post are never added together.
        Incremental (see snapshot_config): only keys with rows appended to the
        base since this table was built, or with rows from exports no longer
        landed, are recomputed, from all of their rows.
    -#}
    {%- set keys = key_columns | join(', ') %}
    select
        snap.* exclude (rejection_reason, rejected_column, rejected_value, built_at),
        count(*) over (partition by {{ keys }}) as snapshots_seen,
        {{ build_time() }} as built_at
    from {{ base_relation }} as snap
    {%- if is_incremental() %}
        inner join (
            select distinct {{ keys }}
            from {{ base_relation }}
            where
                built_at > {{ watermark() }}
                or source_file_hash not in (select l.file_hash from {{ ref('landing_files') }} as l)
        ) as affected using ({{ keys }})
    {%- endif %}
    where
        snap.rejection_reason is null
        -- only files still landed: removing an export from the landing folder
        -- removes its rows at the next build (base models keep them as an archive)
        and snap.source_file_hash in (select l.file_hash from {{ ref('landing_files') }} as l)
    qualify row_number() over (
        partition by {{ keys }}
        order by snap.exported_at desc, {{ lifetime_total }} desc, snap.source_file_hash
    ) = 1
{%- endmacro -%}

{%- macro base_meta_daily_follows(relation, platform, platform_launch) -%}
    {#-
        Body of a base model over a Meta page-level daily "follows" export (UTF-16,
        `sep=,` and metric-name preamble): new follows per local day, not totals.
        Facebook and Instagram write the same format.
    -#}
    with source as (
        {{ with_parsing_context(relation) }}
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
                    timestamp_problem('follow_ts', 'follow_date', 'follow_date', platform_launch)],
                ['new_follows', 'new_follows',
                    count_problem('new_follows', 'new_follows', '_decimal_separator')],
            ]) }}
        from parsed
    )

    select
        '{{ platform }}' as platform,
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
{%- endmacro -%}

{%- macro staged_export_kinds() -%}
    {#-
        Export kinds that have a base_ model, with that model's name: the one list
        the quarantine model and the reconciliation test read, so a new kind is
        added in one place.
    -#}
    {{ return({
        'facebook_posts': 'base_facebook__posts',
        'facebook_follows': 'base_facebook__follows',
        'instagram_posts': 'base_instagram__posts',
        'instagram_follows': 'base_instagram__follows',
        'x_posts_legacy': 'base_x__posts_legacy',
        'x_posts': 'base_x__posts',
        'x_account_daily': 'base_x__account_daily',
        'linkedin_posts': 'base_linkedin__posts',
        'linkedin_followers': 'base_linkedin__followers',
    }) }}
{%- endmacro -%}
