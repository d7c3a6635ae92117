{%- macro median_value(expression) -%}
    {#- The median of `expression` as an aggregate (engines spell it differently). -#}
    {{ return(adapter.dispatch('median_value', 'social_warehouse')(expression)) }}
{%- endmacro -%}

{%- macro default__median_value(expression) -%}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro -%}

{%- macro duckdb__median_value(expression) -%}
    median({{ expression }})
{%- endmacro -%}

{%- macro spark__median_value(expression) -%}
    percentile({{ expression }}, 0.5)
{%- endmacro -%}
