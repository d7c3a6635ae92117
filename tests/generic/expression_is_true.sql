{#-
    Fails on every row of the model where `expression` is not true.
    Arguments: expression (SQL boolean over the model's columns).
    Tested by unit-style fixtures in tests/generic_test_checks/.
-#}
{% test expression_is_true(model, expression, column_name=none) %}
    select *
    from {{ model }}
    where not coalesce(({{ expression }}), false)
{% endtest %}
