{#-
    Small SQL pieces whose spelling differs between engines, each dispatched:
    `default__` is DuckDB's spelling, `spark__` (macros/spark.sql) Spark's.
-#}

{%- macro arg_max(value, ordering) -%}
    {{ return(adapter.dispatch('arg_max', 'social_warehouse')(value, ordering)) }}
{%- endmacro -%}

{%- macro default__arg_max(value, ordering) -%}
    {#- The value on the row with the largest `ordering` (an aggregate). -#}
    arg_max({{ value }}, {{ ordering }})
{%- endmacro -%}

{%- macro date_series(start, stop, step) -%}
    {{ return(adapter.dispatch('date_series', 'social_warehouse')(start, stop, step)) }}
{%- endmacro -%}

{%- macro default__date_series(start, stop, step) -%}
    {#- One row per date from `start` to `stop` (both included) by `step`, an
        interval (in a select list: a generator, never inside another expression). -#}
    cast(unnest(generate_series({{ start }}, {{ stop }}, {{ step }})) as date)
{%- endmacro -%}

{%- macro parse_year_month(text) -%}
    {{ return(adapter.dispatch('parse_year_month', 'social_warehouse')(text)) }}
{%- endmacro -%}

{%- macro default__parse_year_month(text) -%}
    {#- `YYYY-MM` text as the first day of the month (a timestamp on DuckDB: cast it). -#}
    strptime({{ text }}, '%Y-%m')
{%- endmacro -%}

{%- macro format_year_month(date_expression) -%}
    {{ return(adapter.dispatch('format_year_month', 'social_warehouse')(date_expression)) }}
{%- endmacro -%}

{%- macro default__format_year_month(date_expression) -%}
    strftime({{ date_expression }}, '%Y-%m')
{%- endmacro -%}

{%- macro split_text(text, separator) -%}
    {{ return(adapter.dispatch('split_text', 'social_warehouse')(text, separator)) }}
{%- endmacro -%}

{%- macro default__split_text(text, separator) -%}
    {#- A list of the parts of `text` between `separator` (a plain character). -#}
    string_split({{ text }}, '{{ separator }}')
{%- endmacro -%}

{%- macro supports_keyed_delete() -%}
    {{ return(adapter.dispatch('supports_keyed_delete', 'social_warehouse')()) }}
{%- endmacro -%}

{%- macro default__supports_keyed_delete() -%}
    {#- Whether tables take `delete` and the delete+insert incremental strategy: on
        engines that do not (Spark on Parquet), keyed incremental models are tables
        rebuilt in full. -#}
    {{ return(true) }}
{%- endmacro -%}

{%- macro spark__supports_keyed_delete() -%}
    {{ return(false) }}
{%- endmacro -%}

{%- macro sorted_text_agg(expression, separator, distinct=false) -%}
    {{ return(adapter.dispatch('sorted_text_agg', 'social_warehouse')(expression, separator, distinct)) }}
{%- endmacro -%}

{%- macro default__sorted_text_agg(expression, separator, distinct=false) -%}
    {#- Aggregate: the texts in order, joined by `separator` (null when there is none). -#}
    string_agg({{ 'distinct ' if distinct }}{{ expression }}, '{{ separator }}' order by {{ expression }})
{%- endmacro -%}

{%- macro last_value_ignoring_nulls(expression) -%}
    {{ return(adapter.dispatch('last_value_ignoring_nulls', 'social_warehouse')(expression)) }}
{%- endmacro -%}

{%- macro default__last_value_ignoring_nulls(expression) -%}
    {#- Window function (the caller writes `over (...)`): the last non-null value. -#}
    last_value({{ expression }} ignore nulls)
{%- endmacro -%}
