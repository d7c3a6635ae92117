{#-
    What the project needs on Apache Spark (dbt-spark, Parquet tables) that
    DuckDB does natively: portable type names, the raw Parquet registered as
    tables, seeds with the project's type names. See docs/spark.md.
-#}

{%- macro sql_type(data_type) -%}
    {{ return(adapter.dispatch('sql_type', 'social_warehouse')(data_type)) }}
{%- endmacro -%}

{%- macro default__sql_type(data_type) -%}
    {#- The project's type names (seeds, contracts, registry) are DuckDB's. -#}
    {{ return(data_type) }}
{%- endmacro -%}

{%- macro spark__sql_type(data_type) -%}
    {#- Spark needs a length for varchar; its text type is `string`. -#}
    {{ return('string' if (data_type | trim | lower) in ('varchar', 'text') else data_type) }}
{%- endmacro -%}

{#- dbt's own cast (used by contracts and unit-test fixtures) with the project's type names. -#}
{%- macro spark__cast(field, type) -%}
    cast({{ field }} as {{ spark__sql_type(type) }})
{%- endmacro -%}

{%- macro register_raw_sources() -%}
    {{ return(adapter.dispatch('register_raw_sources', 'social_warehouse')()) }}
{%- endmacro -%}

{%- macro default__register_raw_sources() -%}
    {#- DuckDB reads the raw Parquet through the sources' external_location: nothing to do. -#}
    select 1 as raw_sources_are_external_locations
{%- endmacro -%}

{%- macro spark__register_raw_sources() -%}
    {#-
        on-run-start on Spark: the ingest's raw Parquet folders (RAW_DIR/<entity>/)
        as external tables of schema landing_raw (the sources), re-created at every
        run so that their file list and merged schema are current. Dropping an
        external table leaves its files alone. Spark skips files named `_*`: the
        ingest step for Spark copies `_empty.parquet` to `schema.parquet`, so a
        folder with no batch yet still has the entity's columns.
    -#}
    {%- set raw_dir = raw_dir_absolute() -%}
    {#- each table's folder, from the DuckDB location the source declares (`<RAW_DIR>/<folder>/*.parquet`) -#}
    {%- set folders = {} -%}
    {%- for source in (graph.sources.values() if execute else []) if source.source_name == 'landing_raw' -%}
        {%- set location = source.meta.get('external_location') or source.config.meta.get('external_location', '') -%}
        {%- set found = modules.re.search('/([^/]+)/[*][.]parquet', location) -%}
        {%- if found -%}
            {%- do folders.update({source.name: found.group(1)}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if execute -%}
        {%- do run_query('create schema if not exists landing_raw') -%}
        {%- for name, folder in folders.items() -%}
            {%- do run_query('drop table if exists landing_raw.' ~ name) -%}
            {%- do run_query(
                "create table landing_raw." ~ name ~ " using parquet options (path '"
                ~ raw_dir ~ "/" ~ folder ~ "', mergeSchema 'true')") -%}
        {%- endfor -%}
    {%- endif -%}
    select 1 as raw_sources_registered
{%- endmacro -%}

{%- macro raw_dir_absolute() -%}
    {#- RAW_DIR as an absolute path (Spark resolves relative paths against its own directory). -#}
    {%- set raw_dir = env_var('RAW_DIR', 'data/raw') -%}
    {%- if not raw_dir.startswith('/') -%}
        {%- set raw_dir = (invocation_args_dict.get('project_dir') or env_var('PWD', '.')) ~ '/' ~ raw_dir -%}
    {%- endif -%}
    {{ return(raw_dir) }}
{%- endmacro -%}

{%- macro spark__registry_query(seed_name) -%}
    {#- The registry seed's CSV as a temporary view: every value as text, empty cells null. -#}
    {%- do run_query(
        "create or replace temporary view registry__" ~ seed_name ~ " using csv options (path '"
        ~ registry_csv_path(seed_name) ~ "', header 'true', inferSchema 'false')") -%}
    select * from registry__{{ seed_name }}
{%- endmacro -%}

{%- macro spark__read_raw_files(paths) -%}
    {#- The entity's raw table (the caller filters on the files it has not loaded yet). -#}
    landing_raw.{{ paths[0].split('/')[-2] }}
{%- endmacro -%}

{#- Seeds on Spark: dbt-spark's seed macros with the project's type names. -#}
{% macro spark__create_csv_table(model, agate_table) %}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set quote_seed_column = model['config'].get('quote_columns', None) -%}
    {% set sql %}
    create table {{ this.render() }} (
        {%- for col_name in agate_table.column_names -%}
            {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
            {%- set type = spark__sql_type(column_override.get(col_name, inferred_type)) -%}
            {%- set column_name = (col_name | string) -%}
            {{ adapter.quote_seed_column(column_name, quote_seed_column) }} {{ type }} {%- if not loop.last -%}, {%- endif -%}
        {%- endfor -%}
    )
    {{ file_format_clause() }}
    {{ comment_clause() }}
    {% endset %}
    {% call statement('_') -%}
        {{ sql }}
    {%- endcall %}
    {{ return(sql) }}
{% endmacro %}

{% macro spark__load_csv_rows(model, agate_table) %}
    {#- Values written into the SQL, not bound: dbt-spark's session cursor pastes
        bindings between quotes as they are, so an apostrophe breaks the statement
        and an empty cell becomes the text 'None'. Text goes in as hex of its UTF-8. -#}
    {% set column_override = model['config'].get('column_types', {}) %}
    {% set statements = [] %}
    {% for chunk in agate_table.rows | batch(get_batch_size()) %}
        {% set sql %}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for col_name in agate_table.column_names -%}
                    {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
                    {%- set type = spark__sql_type(column_override.get(col_name, inferred_type)) -%}
                    cast({{ spark_seed_literal(row[loop.index0]) }} as {{ type }})
                    {%- if not loop.last %},{%- endif %}
                {%- endfor -%})
                {%- if not loop.last %},{%- endif %}
            {%- endfor %}
        {% endset %}
        {% do adapter.add_query(sql, abridge_sql_log=True) %}
        {% if loop.index0 == 0 %}
            {% do statements.append(sql) %}
        {% endif %}
    {% endfor %}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}

{%- macro spark_seed_literal(value) -%}
    {%- if value is none -%}
        null
    {%- elif value is sameas true or value is sameas false -%}
        {{ 'true' if value else 'false' }}
    {%- elif value is number -%}
        {{ value }}
    {%- elif value is string -%}
        cast(unhex('{{ value.encode("utf-8").hex() }}') as string)
    {%- else -%}
        '{{ value }}'
    {%- endif -%}
{%- endmacro -%}

{%- macro spark__full_match(expression, pattern) -%}
    ({{ expression }} rlike '^(?:{{ pattern }})$')
{%- endmacro -%}

{%- macro spark__local_to_utc(timestamp_expression, time_zone) -%}
    to_utc_timestamp({{ timestamp_expression }}, {{ time_zone }})
{%- endmacro -%}

{%- macro spark__utc_to_local(timestamp_expression, time_zone) -%}
    from_utc_timestamp({{ timestamp_expression }}, {{ time_zone }})
{%- endmacro -%}

{%- macro spark__clean_number_text(column, decimal_separator) -%}
    {#- The apostrophe (Swiss grouping) as \x{0027}: Spark does not read '' inside a literal. -#}
    case
        when {{ decimal_separator }} = ','
            then replace(
                regexp_replace(trim({{ column }}), '[\s\x{00a0}\x{202f}\x{0027}.]', ''),
                ',', '.'
            )
        else regexp_replace(trim({{ column }}), '[\s\x{00a0}\x{202f}\x{0027},]', '')
    end
{%- endmacro -%}

{%- macro java_datetime_pattern(format) -%}
    {#- A strptime format as a Java (Spark) datetime pattern; the weekday is not parsed by Spark. -#}
    {%- set result = namespace(pattern=format | replace('%a, ', '')) -%}
    {%- set codes = {'%Y': 'yyyy', '%m': 'M', '%d': 'd', '%H': 'H', '%M': 'mm', '%S': 'ss',
        '%b': 'MMM', '%B': 'MMMM', '%z': 'Z', '%y': 'yy'} -%}
    {%- for code, java in codes.items() -%}
        {%- set result.pattern = result.pattern | replace(code, java) -%}
    {%- endfor -%}
    {{ return(result.pattern) }}
{%- endmacro -%}

{%- macro spark__try_strptime(text, format) -%}
    {%- if '%a, ' in format -%}
        try_to_timestamp(regexp_replace({{ text }}, '^[A-Za-z]+, ', ''), '{{ java_datetime_pattern(format) }}')
    {%- else -%}
        try_to_timestamp({{ text }}, '{{ java_datetime_pattern(format) }}')
    {%- endif -%}
{%- endmacro -%}

{%- macro spark__parse_utc_datetime(column, value_format) -%}
    {%- if value_format == 'tiktok_video_id_time' -%}
        timestamp_seconds(shiftrightunsigned(
            try_cast(nullif(regexp_extract({{ column }}, '/video/([0-9]+)', 1), '') as bigint), 32
        ))
    {%- else -%}
        {{ spark__try_strptime('trim(' ~ column ~ ')', value_format) }}
    {%- endif -%}
{%- endmacro -%}

{%- macro spark__arg_max(value, ordering) -%}
    max_by({{ value }}, {{ ordering }})
{%- endmacro -%}

{%- macro spark__date_series(start, stop, step) -%}
    explode(sequence(cast({{ start }} as date), cast({{ stop }} as date), {{ step }}))
{%- endmacro -%}

{%- macro spark__parse_year_month(text) -%}
    to_date({{ text }}, 'yyyy-MM')
{%- endmacro -%}

{%- macro spark__format_year_month(date_expression) -%}
    date_format({{ date_expression }}, 'yyyy-MM')
{%- endmacro -%}

{%- macro spark__split_text(text, separator) -%}
    split({{ text }}, '{{ separator }}')
{%- endmacro -%}

{%- macro spark__sorted_text_agg(expression, separator, distinct=false) -%}
    nullif(array_join(array_sort({{ 'collect_set' if distinct else 'collect_list' }}({{ expression }})), '{{ separator }}'), '')
{%- endmacro -%}

{%- macro spark__last_value_ignoring_nulls(expression) -%}
    last_value({{ expression }}, true)
{%- endmacro -%}

{#- dbt's quote escaping (unit-test fixtures) for string literals read raw
    (spark.sql.parser.escapedStringLiterals): the quote is concatenated in. -#}
{%- macro spark__escape_single_quotes(expression) -%}
    {{ expression | replace("'", "' || chr(39) || '") }}
{%- endmacro -%}
