{#-
    The staging generator: every base_social__<entity> model is this macro
    applied to the registry (seeds/config/). See docs/architecture.md.
-#}

{%- macro base_entity(entity) -%}
    {#-
        Every landed row of every export kind of `entity`, typed into the
        entity's staging contract (seed staging_columns), with every defect of
        the row (`rejections`, one entry per column) and lineage. Each kind's
        columns are parsed by their registry row: value type, format, the
        staging column they map to, and their checks. A contract column that a
        kind lacks is a typed null.

        An incremental build with no new raw batch for the entity selects no
        row from the model itself: it neither generates nor plans the parsing
        SQL, nor scans the model for the files it has loaded.
    -#}
    {%- set pending = pending_raw_batches(entity) -%}
    {%- if pending is not none and pending | length == 0 %}
-- nothing new landed for {{ entity }}
select * from {{ this }} where 1 = 0
    {%- else -%}
    {%- set kinds = registry_kinds(entity) -%}
    {%- set contract = staging_contract(entity) -%}
    {%- set types = {} -%}
    {%- for column in contract -%}
        {%- do types.update({column.column_name: column.data_type}) -%}
    {%- endfor -%}
    {#- per staged column: the kinds that fill it, with the registry row -#}
    {%- set fills = {} -%}
    {%- set problems = [] -%}
    {%- for kind in kinds -%}
        {%- set decimal = "'.'" if kind.decimal_mark == 'dot' else '_decimal_separator' -%}
        {%- do problems.append({
            'kind': kind.export_kind, 'column': 'account_key', 'raw': '_account_key',
            'expression': "case when not _is_known_account then 'account_key: not in the "
                ~ ('ad_accounts' if entity == 'ad_results' else 'social_accounts') ~ " seed' end",
        }) -%}
        {%- for column in kind.columns if column.staged_as -%}
            {%- if column.staged_as not in types -%}
                {{ exceptions.raise_compiler_error(
                    "export_columns: " ~ kind.export_kind ~ "." ~ column.canonical_column ~ " is staged as '"
                    ~ column.staged_as ~ "', which is not a column of the " ~ entity ~ " staging contract (seed staging_columns)") }}
            {%- endif -%}
            {%- set raw = column.derived_from or column.canonical_column -%}
            {%- set value = '_value__' ~ column.staged_as -%}
            {%- do fills.setdefault(column.staged_as, []).append({
                'kind': kind.export_kind,
                'value_type': column.value_type,
                'parse': registry_value(column.value_type, column.value_format, raw, decimal),
                'final': registry_final(column.value_type, value, types[column.staged_as]),
            }) -%}
            {%- for check in (column.checks or '').split(';') if check -%}
                {%- do problems.append({
                    'kind': kind.export_kind,
                    'column': raw,
                    'raw': 'null' if column.value_type == 'personal' else raw,
                    'expression': registry_problem(check, column.value_type, column.value_format, raw, value, raw),
                }) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endfor -%}

with source as (
    {{ with_parsing_context(source('landing_raw', entity), entity, pending) }}
),

parsed as (
    -- each staged column read by the rule of the row's export kind
    select
        *
        {%- for name, entries in fills.items() %},
        {{ by_kind(entries, 'parse') }} as _value__{{ name }}
        {%- endfor %}
    from source
),

checked as (
    -- one column per check of each kind: the reason, or null when the value is fine
    select
        *
        {%- for problem in problems %},
        case when _export_kind = '{{ problem.kind }}' then {{ problem.expression }} end as _problem__{{ loop.index }}
        {%- endfor %}
    from parsed
),

flagged as (
    select
        *,
        nullif(concat_ws(
            {{ reason_separator() }}
            {%- for problem in problems %},
            _problem__{{ loop.index }}
            {%- endfor %}
        ), '') as rejection_reason
    from checked
),

renamed as (
    select
        {%- for column in contract %}
            {%- set name = column.column_name %}
            {%- if name == 'platform' %}
        case _export_kind
            {%- for kind in kinds %}
            when '{{ kind.export_kind }}' then '{{ kind.platform }}'
            {%- endfor %}
        end as platform,
            {%- elif name == 'account_key' %}
        _account_key as account_key,
            {%- elif name in fills %}
        {{ by_kind(fills[name], 'final') }} as {{ name }},
            {%- elif name.endswith('_precision') and name[:-10] in fills %}
        {{ by_kind(fills[name[:-10]], 'precision') }} as {{ name }},
            {%- else %}
        cast(null as {{ sql_type(column.data_type) }}) as {{ name }},
            {%- endif %}
        {%- endfor %}

        ----------  quarantine: every defect of the row
        rejection_reason,
        case when rejection_reason is not null then
            {{ defect_list(problems) }}
        end as rejections,

        ----------  lineage
        _export_kind as export_kind,
        _header_language as header_language,
        {{ lineage_columns() }}
    from flagged
)

select * from renamed
    {%- endif -%}
{%- endmacro -%}

{%- macro reason_separator() -%}
    {#- '; ' between a row's reasons, written without a semicolon in the SQL text:
        dbt's unit-test runner splits statements on semicolons. -#}
    chr(59) || ' '
{%- endmacro -%}

{%- macro by_kind(entries, part) -%}
    {#- A case over the row's export kind, giving `part` of each kind's rule. -#}
    case _export_kind
        {%- for entry in entries %}
        when '{{ entry.kind }}' then
            {%- if part == 'precision' %} '{{ 'day' if entry.value_type == 'local_date' else 'minute' }}'
            {%- else %} {{ entry[part] }}
            {%- endif %}
        {%- endfor %}
    end
{%- endmacro -%}

{%- macro registry_value(value_type, value_format, raw, decimal_separator) -%}
    {#-
        The value of a raw text column by its registry type, before the staging
        contract's type: ids normalised, numbers as doubles, local date/times as
        local timestamps, UTC date/times as UTC timestamps, personal data as a
        pseudonym, text as it was (blank is null).
    -#}
    {%- if value_type == 'id' -%}
        {{ parse_id(raw, value_format) }}
    {%- elif value_type in ('count', 'decimal', 'percent') -%}
        {{ parse_decimal(raw, decimal_separator) }}
    {%- elif value_type in ('local_datetime', 'local_date') and value_format -%}
        {{ parse_datetime_format(raw, value_format) }}
    {%- elif value_type in ('local_datetime', 'local_date') -%}
        {{ parse_local_datetime(raw, '_date_order') }}
    {%- elif value_type == 'utc_datetime' -%}
        {{ parse_utc_datetime(raw, value_format) }}
    {%- elif value_type == 'personal' -%}
        {{ pseudonym(raw) }}
    {%- elif value_type == 'text' and value_format and value_format.startswith('constant:') -%}
        '{{ value_format[9:] }}'
    {%- elif value_type == 'text' and value_format and value_format.startswith('default:') -%}
        coalesce(case when trim({{ raw }}) = '' then null else lower(trim({{ raw }})) end, '{{ value_format[8:] }}')
    {%- elif value_type == 'text' -%}
        case when trim({{ raw }}) = '' then null else {{ raw }} end
    {%- else -%}
        {{ exceptions.raise_compiler_error("export_columns: unknown value_type '" ~ value_type ~ "'") }}
    {%- endif -%}
{%- endmacro -%}

{%- macro registry_final(value_type, value, data_type) -%}
    {#- The parsed value in the staging contract's type: local times become UTC for a timestamp column. -#}
    {%- if value_type == 'count' -%}
        case when {{ value }} = floor({{ value }}) then try_cast({{ value }} as bigint) end
    {%- elif value_type in ('local_datetime', 'local_date') and data_type == 'timestamp' -%}
        {{ local_to_utc(value, '_time_zone') }}
    {%- elif value_type in ('local_datetime', 'local_date', 'utc_datetime') and data_type == 'date' -%}
        cast({{ value }} as date)
    {%- else -%}
        cast({{ value }} as {{ sql_type(data_type) }})
    {%- endif -%}
{%- endmacro -%}

{%- macro registry_problem(check, value_type, value_format, raw, value, name) -%}
    {#- Why a value fails one registry check (the reason names the column), or null. -#}
    {%- set number = value_type in ('count', 'decimal', 'percent') -%}
    {%- set moment = value_type in ('local_datetime', 'local_date', 'utc_datetime') -%}
    {%- if check == 'not_blank' -%}
        case when {{ is_blank(raw) }} then '{{ name }}: missing' end
    {%- elif check == 'parses' and value_type == 'id' -%}
        case when not {{ is_blank(raw) }} and {{ value }} is null then {{ id_problem(raw, value_format, name) }} end
    {%- elif check == 'parses' and number -%}
        case when not {{ is_blank(raw) }} and {{ value }} is null then '{{ name }}: not a number' end
    {%- elif check == 'parses' and moment -%}
        case when not {{ is_blank(raw) }} and {{ value }} is null then '{{ name }}: unreadable date/time' end
    {%- elif check == 'non_negative' and number -%}
        case when {{ value }} < 0 then '{{ name }}: negative {{ "count" if value_type == "count" else "value" }}' end
    {%- elif check == 'whole' and number -%}
        case when {{ value }} <> floor({{ value }}) then '{{ name }}: not a whole number' end
    {%- elif check == 'at_most_1e9' and number -%}
        case when {{ value }} > 1000000000 then '{{ name }}: implausibly large count' end
    {%- elif check == 'not_before_platform' and moment -%}
        case when {{ value }} < cast(_platform_launched_on as timestamp) then '{{ name }}: before the platform existed' end
    {%- elif check == 'matches_ad_account' and value_type == 'text' -%}
        case
            when upper(trim({{ raw }})) <> _ad_account_currency
                then '{{ name }}: ' || upper(trim({{ raw }})) || ' differs from the ad account' || chr(39) || 's currency '
                || _ad_account_currency || ' (seed ad_accounts)'
        end
    {%- elif check == 'within_start_month' and moment -%}
        case
            when date_trunc('month', {{ value }}) <> date_trunc('month', _value__reporting_started_on)
                then '{{ name }}: the reporting period spans more than one calendar month'
                || ' (export with a daily or monthly time breakdown)'
            when {{ value }} < _value__reporting_started_on then '{{ name }}: before the reporting start'
        end
    {%- elif check == 'not_after_export' and moment -%}
        case
            when {{ value }} > cast(_exported_at as timestamp) + interval 1 day
                then '{{ name }}: after the export was downloaded'
        end
    {%- else -%}
        {{ exceptions.raise_compiler_error(
            "export_columns: check '" ~ check ~ "' does not apply to value_type '" ~ value_type ~ "' (" ~ name ~ ")") }}
    {%- endif -%}
{%- endmacro -%}

{%- macro defect_list(problems) -%}
    {{ return(adapter.dispatch('defect_list', 'social_warehouse')(problems)) }}
{%- endmacro -%}

{%- macro default__defect_list(problems) -%}
    {#- The defects of a row: (rejected_column, rejected_value, rejection_reason) for each failed check. -#}
    filter(array(
        {%- for problem in problems %}
        named_struct(
            'rejected_column', '{{ problem.column }}',
            'rejected_value', cast({{ problem.raw }} as string),
            'rejection_reason', _problem__{{ loop.index }}
        ){{ "," if not loop.last }}
        {%- endfor %}
    ), defect -> defect.rejection_reason is not null)
{%- endmacro -%}

{%- macro duckdb__defect_list(problems) -%}
    list_filter([
        {%- for problem in problems %}
        struct_pack(
            rejected_column := '{{ problem.column }}',
            rejected_value := cast({{ problem.raw }} as varchar),
            rejection_reason := _problem__{{ loop.index }}
        ){{ "," if not loop.last }}
        {%- endfor %}
    ], lambda defect: defect.rejection_reason is not null)
{%- endmacro -%}

{%- macro with_parsing_context(relation, entity, pending=none) -%}
    {#-
        Adds to every raw row how to read it: the account's time zone, the date
        order and decimal mark (from the header language when it is not English,
        else from the account's export locale), whether the account is known and
        when its platform launched.
    -#}
    select
        src.*,
        acc.account_key is not null as _is_known_account,
        acc.export_time_zone as _time_zone,
        coalesce(loc.date_order, 'MDY') as _date_order,
        coalesce(loc.decimal_separator, '.') as _decimal_separator,
        {%- if entity == 'ad_results' %}
        acc.currency_code as _ad_account_currency,
        {%- endif %}
        plat.launched_on as _platform_launched_on
    from {{ raw_rows(relation, pending) }} as src
    {%- if entity == 'ad_results' %}
    -- ad exports land under an ad account (seed ad_accounts), not a social account
    left join (
        select
            ad_account_key as account_key,
            export_time_zone,
            export_locale,
            currency_code
        from {{ ref('ad_accounts') }}
    ) as acc
    {%- else %}
    left join {{ ref('social_accounts') }} as acc
    {%- endif %}
        on src._account_key = acc.account_key
    left join {{ ref('platforms') }} as plat
        on src._platform = plat.platform
    -- the header language's default locale (a join, not a correlated subquery: Spark
    -- takes none in a join condition)
    left join {{ ref('export_locales') }} as language_default
        on
            language_default.language = src._header_language
            and language_default.is_language_default
    left join {{ ref('export_locales') }} as loc
        on loc.locale = case
            when src._header_language = 'en' then acc.export_locale
            else language_default.locale
        end
    {% if is_incremental() -%}
        where src._file_hash not in (select distinct source_file_hash from {{ this }})
    {%- endif %}
{%- endmacro -%}

{%- macro pending_raw_batches(entity) -%}
    {#-
        On an incremental build, the raw Parquet batches (paths under RAW_DIR)
        that hold files of `entity` this model has not loaded yet, from
        `landing_files.raw_file`; none on a first build, a full refresh or at
        parse time.
    -#}
    {%- if not (is_incremental() and execute) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set raw_dir = env_var('RAW_DIR', 'data/raw') -%}
    {%- set pending -%}
        select distinct raw_file
        from {{ ref('landing_files') }}
        where raw_file like '{{ entity }}/%'
            -- a file whose every row the reader quarantined (or that has none) put
            -- no row in its batch, and never will be in the model
            and rows_read > rows_rejected_by_reader
            and file_hash not in (select distinct source_file_hash from {{ this }})
        order by raw_file
    {%- endset -%}
    {%- set paths = [] -%}
    {%- for batch in run_query(pending).columns[0].values() -%}
        {%- do paths.append(raw_dir ~ '/' ~ batch) -%}
    {%- endfor -%}
    {{ return(paths) }}
{%- endmacro -%}

{%- macro raw_rows(relation, pending) -%}
    {#-
        What a base model reads: the whole raw source on a first build or full
        refresh; on an incremental build only the pending raw batches (see
        pending_raw_batches), so a build with one new day of exports does not
        scan every batch.
    -#}
    {%- if pending -%}
        {{ read_raw_files(pending) }}
    {%- else -%}
        {{ relation }}
    {%- endif -%}
{%- endmacro -%}

{%- macro read_raw_files(paths) -%}
    {{ return(adapter.dispatch('read_raw_files', 'social_warehouse')(paths)) }}
{%- endmacro -%}

{%- macro default__read_raw_files(paths) -%}
    {#- Spark reads a list of Parquet files through a temporary view of the folder. -#}
    parquet.`{{ paths | join(',') }}`
{%- endmacro -%}

{%- macro duckdb__read_raw_files(paths) -%}
    read_parquet([
        {%- for path in paths %}'{{ path }}'{{ ", " if not loop.last }}{% endfor -%}
    ], union_by_name = true)
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

{%- macro base_config() -%}
    {{ config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        tags=['base'],
    ) }}
{%- endmacro -%}

{%- macro snapshot_config(unique_key) -%}
    {#-
        Staging models holding the latest snapshot per key: incremental, each build
        recomputing only the keys that have new rows or rows from removed exports
        (see latest_snapshot). The post-hook drops keys left with no landed row.
        dbt needs the key when it parses the project, before any seed can be read,
        so the model states it; latest_snapshot checks it against the registry.
    -#}
    {%- if not supports_keyed_delete() -%}
        {{ config(materialized='table', unique_key=unique_key) }}
    {%- else -%}
    {{ config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=unique_key,
        on_schema_change='fail',
        post_hook=[
            "{{ delete_unlanded_snapshots() }}",
            "{{ delete_stale_connector_snapshots() }}",
        ],
    ) }}
    {%- endif -%}
{%- endmacro -%}

{%- macro delete_unlanded_snapshots() -%}
    {#- snapshot_config post-hook: rows of exports no longer in the landing folder
        leave the model. The check compares distinct file hashes (0.25 s at 10M
        posts, against 0.3 to 1 s row by row). -#}
    {%- set landed = "(select distinct l.file_hash from " ~ ref('landing_files') ~ " as l)" -%}
    {{ return(delete_matching_rows(
        "t.input = 'export' and t.source_file_hash not in " ~ landed,
        'no landed export removed',
        check="select count(*) from (select distinct source_file_hash from " ~ this
            ~ " where input = 'export') as h where h.source_file_hash not in " ~ landed)) }}
{%- endmacro -%}

{%- macro latest_snapshot(entity, tie_break, with_engagement_definitions=false) -%}
    {#-
        Lifetime-snapshot semantics: of the good rows of the entity's base model,
        keep one per key, from the latest export (download time). Ties go to the
        larger `tie_break` (lifetime totals only grow), then to the file hash. Two
        exports of one post are never added together. With
        `with_engagement_definitions`, the tie-break can use the platform's row
        of seed engagement_definitions as `definitions`.
        Incremental (see snapshot_config): only keys with rows appended to the
        base since this table was built, or with rows from exports no longer
        landed, are recomputed, from all of their rows.
    -#}
    {%- set base_relation = snapshot_inputs(entity) -%}
    {%- set key_columns = snapshot_key(entity) -%}
    {%- if execute and config.get('unique_key') is not none and key_columns != config.get('unique_key') -%}
        {{ exceptions.raise_compiler_error(
            "unique_key " ~ config.get('unique_key') ~ " differs from the snapshot key of " ~ entity
            ~ " in seed staging_columns: " ~ key_columns) }}
    {%- endif -%}
    {%- set keys = key_columns | join(', ') %}
    {%- set snap_keys = 'snap.' ~ key_columns | join(', snap.') %}
    select
        {%- for column in base_columns(entity) %}
        ranked.{{ column }},
        {%- endfor %}
        ranked.input,
        ranked.snapshots_seen,
        {{ build_time() }} as built_at
    from (
        select
            snap.*,
            count(*) over (partition by {{ snap_keys }}) as snapshots_seen,
            row_number() over (
                partition by {{ snap_keys }}
                order by snap.exported_at desc, {{ tie_break }} desc, snap.source_file_hash
            ) as snapshot_rank
        from ({{ base_relation }}) as snap
        {%- if with_engagement_definitions %}
            left join {{ ref('engagement_definitions') }} as definitions
                on snap.platform = definitions.platform
        {%- endif %}
        {%- if is_incremental() %}
            inner join (
                select distinct {{ keys }}
                from ({{ base_relation }}) as inputs
                where
                    inputs.built_at > {{ watermark() }}
                    or inputs.source_file_hash not in (select l.file_hash from {{ ref('landing_files') }} as l)
            ) as affected
                on
                {%- for key in key_columns %}
                    snap.{{ key }} = affected.{{ key }}{{ " and" if not loop.last }}
                {%- endfor %}
        {%- endif %}
        where
            snap.rejection_reason is null
            -- only files still landed: removing an export from the landing folder
            -- removes its rows at the next build (base models keep them as an archive);
            -- connector rows are read from the connector's tables at every build
            and (
                snap.input <> 'export'
                or snap.source_file_hash in (select l.file_hash from {{ ref('landing_files') }} as l)
            )
    ) as ranked
    -- the latest observation wins; when it is a connector's deletion, the post is gone
    where ranked.snapshot_rank = 1 and not ranked.is_deleted
{%- endmacro -%}

{%- macro base_columns(entity) -%}
    {#- The columns a base model gives its staging model: the contract, then lineage. -#}
    {%- set names = staging_contract(entity) | map(attribute='column_name') | list -%}
    {{ return(names + ['export_kind', 'header_language', 'source_file', 'source_file_hash',
        'source_row_number', 'source_sheet', 'exported_at', 'loaded_at']) }}
{%- endmacro -%}

{%- macro staged_entities() -%}
    {#-
        The entities staged from landed exports, each with its base model: the
        quarantine model and the reconciliation test read this list. An entity is
        a staging contract (seed staging_columns) with its own downstream models,
        so adding one is code; adding an export kind or a platform is not.
    -#}
    {{ return(['posts', 'follows', 'page_days', 'ad_results']) }}
{%- endmacro -%}

{%- macro unnest_list(expression) -%}
    {{ return(adapter.dispatch('unnest_list', 'social_warehouse')(expression)) }}
{%- endmacro -%}

{%- macro default__unnest_list(expression) -%}
    {#- One output row per element of a list (in a select list). -#}
    explode({{ expression }})
{%- endmacro -%}

{%- macro duckdb__unnest_list(expression) -%}
    unnest({{ expression }})
{%- endmacro -%}
