{#-
    A seed's column rules in one test: not_null, unique, accepted_values and
    relationships as dbt's built-in tests define them, checked in one query.

    Each failing row is returned whole after `defects`, every rule it breaks
    (`column: problem`, separated by `; `), so a steward sees all of a row's
    defects at once and the report finds its line in the seed file. Unlike the
    built-in tests, one failure is one row (two rows sharing a key are two
    failures).

    Why one test: a seed's dozen column tests were a dozen dbt nodes, and at
    about 45 ms of dbt's own work per node the 178 seed column tests cost some
    8 s in every build, most of it before the ingest could start (dbt runs all
    tests of one depth of the graph before the next). See docs/benchmarks.md.

    Arguments:
      not_null: [column, ...]
      unique: [column, ...]
      accepted_values: {column: [value, ...]}   strings are quoted, numbers and
                                                booleans are not; nulls pass
      relationships: [{column, to, field, where}, ...]   `where` (optional)
                                                limits the rows checked; nulls pass
-#}
{% test valid_rows(model, not_null=[], unique=[], accepted_values={}, relationships=[]) %}
    {{ config(meta={
        'steward_action': 'Correct each seed row shown at the line named: its `defects` column lists'
            ' every rule the row breaks (column: problem). Add a missing referenced row to the seed it'
            ' points to, or correct the value.',
        'steward_description': 'Every row of {subject} must meet its column rules: values present,'
            ' keys unique, values from the accepted lists, references that exist.',
        'steward_count': '{failures} row(s) break a rule'}) }}
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
        from {{ model }} as checked
        {%- for link in relationships %}
            left join (
                select distinct {{ link.field }} as parent_value
                from {{ link.to }}
            ) as parent_{{ loop.index }}
                on checked.{{ link.column }} = parent_{{ loop.index }}.parent_value
        {%- endfor %}
    ) as rows_checked
    where defects <> ''
{% endtest %}
