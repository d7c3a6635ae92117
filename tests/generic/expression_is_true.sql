{#-
    Fails on every row of the model where `expression` is not true.
    Arguments: expression (SQL boolean over the model's columns).
    Tested by unit-style fixtures in tests/generic_test_checks/.
-#}
{% test expression_is_true(model, expression, column_name=none) %}
    {{ config(meta={'steward_action': 'Rows of {model} break the rule `{expression}`: check'
        ' the rows shown and the file they came from.',
        'steward_description': 'Every row of {subject} must satisfy `{expression}`.',
        'steward_count': '{failures} row(s) break the rule'}) }}
    select *
    from {{ model }}
    where not coalesce(({{ expression }}), false)
{% endtest %}
