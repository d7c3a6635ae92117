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
    {{ rows_breaking_rules(model, not_null, unique, accepted_values, relationships) }}
{% endtest %}
