{#-
    A model's row-by-row column rules in one test: not_null and accepted_values as
    dbt's built-in tests define them (nulls pass accepted_values), checked in one
    query. Each failing row is returned whole after `defects`, every rule it breaks
    (`column: problem`, separated by `; `), so a steward sees all of a row's defects
    at once, with its source file and row where the model carries them.

    Why one test: the model's one-rule-per-column tests were some 100 dbt nodes, each
    costing about 40 ms of dbt's own work in every build, also when it reads no row
    (docs/benchmarks.md). A rule that needs its own severity, filter or steward text
    stays a test of its own.

    Every rule reads one row at a time, so the test is scoped like not_null
    (macros/test_scope.sql): once it passed, it reads only the rows written since.

    Arguments:
      not_null: [column, ...]
      accepted_values: {column: [value, ...]}   strings are quoted, numbers and
                                                booleans are not; nulls pass
-#}
{% test row_rules(model, not_null=[], accepted_values={}) %}
    {{ config(meta={
        'steward_action': 'Each row shown lists in `defects` every rule it breaks (column: problem).'
            ' An empty column that comes from an export usually means its header is not mapped'
            ' (seeds/config/header_aliases.csv); a value outside the accepted list is either'
            ' corrected at its source or, when legitimate, added to the list in the model\'s YAML.',
        'steward_description': 'Every row of {subject} must have its required values, and values'
            ' from the accepted lists.',
        'steward_count': '{failures} row(s) break a rule'}) }}
    {{ rows_breaking_rules(model, not_null=not_null, accepted_values=accepted_values) }}
{% endtest %}
