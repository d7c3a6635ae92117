{#-
    Fails on every value of `column_name` that has no row in `to`.`field`,
    returning the value itself so that the failure names it (e.g. an
    unmapped spend label). Unlike `relationships`, blanks fail too.
-#}
{% test values_mapped(model, column_name, to, field) %}
    {{ config(meta={'steward_action': 'Map each label shown to a benchmark channel in'
        ' seeds/organizations/channel_taxonomy.csv, then rebuild.',
        'steward_description': 'Every value of {subject} must be mapped in {to}.',
        'steward_count': '{failures} value(s) not mapped'}) }}
    select distinct
        m.{{ column_name }} as unmapped_value
    from {{ model }} as m
    left join {{ to }} as t
        on m.{{ column_name }} = t.{{ field }}
    where t.{{ field }} is null
{% endtest %}
