{#-
    Fails on every row of the model where `expression` is not true.
    Arguments: expression (SQL boolean over the model's columns).
    Tested by unit-style fixtures in tests/generic_test_checks/.
-#}
{% test expression_is_true(model, expression, column_name=none) %}
    {{ config(meta={'steward_action': 'Rows of {model} break the rule `{expression}`: check'
        ' the rows shown and the file they came from.'}) }}
    select *
    from {{ model }}
    where not coalesce(({{ expression }}), false)
{% endtest %}
