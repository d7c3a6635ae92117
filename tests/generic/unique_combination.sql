{#-
    Fails on every combination of `columns` that occurs more than once
    (the grain test for models keyed by several columns).
-#}
{% test unique_combination(model, columns) %}
    {{ config(meta={'steward_action': 'Duplicate keys in {model}: look for the same export'
        ' landed under two accounts, or a join that multiplies rows.',
        'steward_description': 'Each key of {subject} must appear only once.',
        'steward_count': '{failures} key(s) appear more than once, on {rows} rows'}) }}
    select
        {{ columns | join(', ') }},
        count(*) as occurrences
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endtest %}
