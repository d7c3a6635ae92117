{#-
    Fails on every group (`group_by`) whose sum of `column_name` is further
    than `tolerance` from `total` (e.g. channel shares of one survey = 100 %).
-#}
{% test sums_to(model, column_name, group_by, total, tolerance) %}
    {{ config(meta={'steward_action': 'The values of {model} no longer add up to the'
        ' published total: check the row that was changed.',
        'steward_description': 'The values of {subject} must add up to the published total.',
        'steward_count': '{failures} group(s) do not add up'}) }}
    select
        {{ group_by }},
        sum({{ column_name }}) as summed
    from {{ model }}
    group by {{ group_by }}
    having abs(sum({{ column_name }}) - {{ total }}) > {{ tolerance }}
{% endtest %}
