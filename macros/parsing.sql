{#-
    Parsing helpers for native exports. Every raw value arrives as text;
    these macros turn it into a typed value or null, and say why a value
    is invalid so that staging can quarantine the row with that reason.
    Engine-specific SQL goes through adapter.dispatch (default__ + duckdb__).
-#}

{%- macro clean_number_text(column, decimal_separator) -%}
    {#- Remove grouping (spaces, no-break spaces, the other separator), make the decimal a dot. -#}
    case
        when {{ decimal_separator }} = ','
            then replace(
                regexp_replace(trim({{ column }}), '[\s\x{00a0}\x{202f}.'']', '', 'g'),
                ',', '.'
            )
        else regexp_replace(trim({{ column }}), '[\s\x{00a0}\x{202f},'']', '', 'g')
    end
{%- endmacro -%}

{%- macro is_blank(column) -%}
    (nullif(trim({{ column }}), '') is null or trim({{ column }}) = '-')
{%- endmacro -%}

{%- macro parse_count(column, decimal_separator="'.'") -%}
    {#- A whole count; blank, '-' and non-whole values are null. '424.0' is 424. -#}
    case
        when {{ is_blank(column) }} then null
        when try_cast({{ clean_number_text(column, decimal_separator) }} as double)
            = floor(try_cast({{ clean_number_text(column, decimal_separator) }} as double))
            then try_cast(
                try_cast({{ clean_number_text(column, decimal_separator) }} as double) as bigint
            )
    end
{%- endmacro -%}

{%- macro parse_decimal(column, decimal_separator="'.'") -%}
    {#- A decimal; '12,5 %' and '12.5%' are 0.125 (percentages become fractions). -#}
    case
        when {{ is_blank(column) }} then null
        when trim({{ column }}) like '%\%%' escape '\'
            then try_cast(
                {{ clean_number_text("replace(" ~ column ~ ", '%', '')", decimal_separator) }}
                as double
            ) / 100
        else try_cast({{ clean_number_text(column, decimal_separator) }} as double)
    end
{%- endmacro -%}

{%- macro count_problem(column, column_name, decimal_separator="'.'", max_value=1000000000) -%}
    {#- Why a count cannot be used, or null when it is fine (blank is fine). -#}
    case
        when {{ is_blank(column) }} then null
        when try_cast({{ clean_number_text(column, decimal_separator) }} as double) is null
            then '{{ column_name }}: not a number'
        when try_cast({{ clean_number_text(column, decimal_separator) }} as double) < 0
            then '{{ column_name }}: negative count'
        when try_cast({{ clean_number_text(column, decimal_separator) }} as double)
            <> floor(try_cast({{ clean_number_text(column, decimal_separator) }} as double))
            then '{{ column_name }}: not a whole number'
        when try_cast({{ clean_number_text(column, decimal_separator) }} as double)
            > {{ max_value }}
            then '{{ column_name }}: implausibly large count'
    end
{%- endmacro -%}

{%- macro id_problem(column, column_name) -%}
    {#- IDs are digit strings; scientific notation means the file was re-saved in Excel. -#}
    case
        when {{ is_blank(column) }} then '{{ column_name }}: missing id'
        when regexp_full_match(trim({{ column }}), '[0-9]+(\.[0-9]+)?[eE][+-]?[0-9]+')
            then '{{ column_name }}: id in scientific notation (file re-saved in Excel?)'
        when not regexp_full_match(trim({{ column }}), '[0-9]+')
            then '{{ column_name }}: id is not a digit string'
    end
{%- endmacro -%}

{%- macro parse_local_datetime(column, date_order) -%}
    {{ return(adapter.dispatch('parse_local_datetime', 'social_warehouse')(column, date_order)) }}
{%- endmacro -%}

{%- macro default__parse_local_datetime(column, date_order) -%}
    {#- `MM/DD/YYYY HH:MM`, `DD/MM/YYYY HH:MM`, `DD.MM.YYYY`, ISO `YYYY-MM-DD[THH:MM[:SS]]`. -#}
    case
        when regexp_full_match(trim({{ column }}), '\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?')
            then try_cast(replace(trim({{ column }}), 'T', ' ') as timestamp)
        when regexp_full_match(
            trim({{ column }}), '\d{1,2}[/.\-]\d{1,2}[/.\-]\d{4}( \d{1,2}:\d{2}(:\d{2})?)?'
        )
            then try_cast(
                make_timestamp(
                    cast(regexp_extract(trim({{ column }}), '^\d+[/.\-]\d+[/.\-](\d{4})', 1) as bigint),
                    cast(regexp_extract(
                        trim({{ column }}),
                        case when {{ date_order }} = 'DMY' then '^\d+[/.\-](\d+)' else '^(\d+)' end,
                        1
                    ) as bigint),
                    cast(regexp_extract(
                        trim({{ column }}),
                        case when {{ date_order }} = 'DMY' then '^(\d+)' else '^\d+[/.\-](\d+)' end,
                        1
                    ) as bigint),
                    coalesce(try_cast(regexp_extract(trim({{ column }}), ' (\d{1,2}):', 1) as bigint), 0),
                    coalesce(try_cast(regexp_extract(trim({{ column }}), ' \d{1,2}:(\d{2})', 1) as bigint), 0),
                    coalesce(try_cast(regexp_extract(trim({{ column }}), ' \d{1,2}:\d{2}:(\d{2})', 1) as double), 0)
                ) as timestamp
            )
    end
{%- endmacro -%}

{%- macro local_to_utc(timestamp_expression, time_zone) -%}
    {{ return(adapter.dispatch('local_to_utc', 'social_warehouse')(timestamp_expression, time_zone)) }}
{%- endmacro -%}

{%- macro default__local_to_utc(timestamp_expression, time_zone) -%}
    cast(timezone('UTC', timezone({{ time_zone }}, {{ timestamp_expression }})) as timestamp)
{%- endmacro -%}

{%- macro parse_x_legacy_time(column) -%}
    {#- X legacy `time`: `2015-09-30 18:42 +0000`, already in UTC (offset given). -#}
    cast(timezone('UTC', try_strptime(trim({{ column }}), '%Y-%m-%d %H:%M %z')) as timestamp)
{%- endmacro -%}

{%- macro parse_x_date(column) -%}
    {#- X account analytics `Date`: `Tue, Jul 14, 2026` (no time of day). -#}
    cast(try_strptime(trim({{ column }}), '%a, %b %d, %Y') as date)
{%- endmacro -%}

{%- macro first_problem(problems) -%}
    {#- The first non-null reason of a list, i.e. why a row is quarantined. -#}
    coalesce({{ problems | join(', ') }})
{%- endmacro -%}

{%- macro utc_to_local(timestamp_expression, time_zone) -%}
    {{ return(adapter.dispatch('utc_to_local', 'social_warehouse')(timestamp_expression, time_zone)) }}
{%- endmacro -%}

{%- macro default__utc_to_local(timestamp_expression, time_zone) -%}
    cast(timezone({{ time_zone }}, timezone('UTC', {{ timestamp_expression }})) as timestamp)
{%- endmacro -%}
