{#-
    The rows of `model` that break a column rule, each with `defects`: every rule it
    breaks (`column: problem`, separated by `; `). The body of the generic tests
    valid_rows (seeds) and row_rules (models); rules as dbt's built-in tests define
    them, nulls pass every rule but not_null.
-#}
{% macro rows_breaking_rules(model, not_null=[], unique=[], accepted_values={}, relationships=[]) %}
    {%- set checks = [] -%}
    {%- for column in not_null -%}
        {%- do checks.append("case when checked." ~ column ~ " is null then '" ~ column ~ ": empty' end") -%}
    {%- endfor -%}
    {%- for column in unique -%}
        {%- do checks.append(
            "case when checked." ~ column ~ " is not null and count(*) over (partition by checked."
            ~ column ~ ") > 1 then '" ~ column ~ ": duplicate value' end") -%}
    {%- endfor -%}
    {%- for column, values in accepted_values.items() -%}
        {%- set listed = [] -%}
        {%- for value in values -%}
            {%- do listed.append("'" ~ value | replace("'", "''") ~ "'" if value is string else value | string) -%}
        {%- endfor -%}
        {%- do checks.append(
            "case when checked." ~ column ~ " not in (" ~ listed | join(', ') ~ ") then '"
            ~ column ~ ": value not in the accepted list' end") -%}
    {%- endfor -%}
    {%- for link in relationships -%}
        {%- do checks.append(
            "case when checked." ~ link.column ~ " is not null and parent_" ~ loop.index
            ~ ".parent_value is null" ~ (" and (" ~ link.where ~ ")" if link.where else "")
            ~ " then '" ~ link.column ~ ": no match in " ~ link.field ~ " of "
            ~ (link.to.identifier if link.to.identifier is defined else link.to) ~ "' end") -%}
    {%- endfor %}
    select *
    from (
        select
            concat_ws(
                '; ',
                {{ checks | join(',\n                ') if checks else "cast(null as string)" }}
            ) as defects,
            checked.*
        from (select * from {{ model }}) as checked
        {%- for link in relationships %}
            left join (
                select distinct {{ link.field }} as parent_value
                from {{ link.to }}
            ) as parent_{{ loop.index }}
                on checked.{{ link.column }} = parent_{{ loop.index }}.parent_value
        {%- endfor %}
    ) as rows_checked
    where defects <> ''
{% endmacro %}
