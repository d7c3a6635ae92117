{#-
    Data tests that check only the rows written since they last passed.

    Every staged, intermediate and engagement model stamps the rows it writes with
    `built_at` (the start of the dbt invocation that wrote them). Incremental models
    leave the rows they did not recompute alone, so a test that passed on those rows
    need not read them again: at 10M posts the data tests re-read some 40 million
    rows in a build that added none.

    A test is scoped when its model has a `built_at` column and the test is one whose
    verdict on the old rows cannot change when rows are added:
      - row by row (not_null, accepted_values, expression_is_true, row_rules): it reads the
        rows with `built_at` after the test's watermark;
      - keys (unique, unique_combination): it reads every row whose key is also the
        key of such a row, so a new row that repeats an old key is still caught.
    Tests that compare with another relation (relationships, values_mapped) or sum
    over the model (sums_to) always read every row.

    The watermark is the start of the last invocation in which the test passed with
    the model's current SQL (audit.test_watermarks, written by the on-run-end hook
    record_test_watermarks). A test that failed or warned keeps its old watermark and
    reads the same rows again next time; a changed model (its checksum) or an empty
    audit table means no watermark, so every row. Every row is also read under
    --full-refresh and when DBT_TEST_SCOPE=all.

    Only DuckDB scopes: the audit table is rewritten with delete, which Spark tables
    on Parquet do not have. Other engines use dbt's get_where_subquery as it is.
-#}

{%- macro test_watermarks_relation() -%}
    {{ return(api.Relation.create(
        database=target.database, schema='audit', identifier='test_watermarks')) }}
{%- endmacro -%}

{%- macro scoped_test_kinds() -%}
    {{ return({
        'not_null': 'rows', 'accepted_values': 'rows', 'expression_is_true': 'rows', 'row_rules': 'rows',
        'unique': 'keys', 'unique_combination': 'keys'}) }}
{%- endmacro -%}

{%- macro test_scope(test_node) -%}
    {#- How the test reads its model: none (every row), or {'kind', 'keys', 'checksum'}. -#}
    {%- if not execute or flags.FULL_REFRESH or env_var('DBT_TEST_SCOPE', 'added') == 'all' -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set metadata = test_node.get('test_metadata') or {} -%}
    {%- set kind = scoped_test_kinds().get(metadata.get('name')) -%}
    {%- set attached = graph.nodes.get(test_node.get('attached_node') or '') -%}
    {%- if kind is none or attached is none or 'built_at' not in attached.columns -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set kwargs = metadata.get('kwargs', {}) -%}
    {%- if metadata.get('name') == 'unique' -%}
        {%- set keys = [kwargs.get('column_name')] -%}
    {%- elif metadata.get('name') == 'unique_combination' -%}
        {%- set keys = kwargs.get('columns') -%}
    {%- else -%}
        {%- set keys = [] -%}
    {%- endif -%}
    {{ return({'kind': kind, 'keys': keys, 'checksum': attached.checksum.checksum}) }}
{%- endmacro -%}

{%- macro duckdb__get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- set scope = test_scope(model) -%}
    {%- set watermark = none -%}
    {%- set table = test_watermarks_relation() -%}
    {#- no table before an on-run-start hook made it (dbt compile, docs generate): every row -#}
    {%- if scope is not none and adapter.get_relation(table.database, table.schema, table.identifier) is not none -%}
        {#- read when the test runs: without a watermark the test is the plain full scan
            (a key test as a semi-join of the whole model with itself would cost twice) -#}
        {%- set found = run_query(
            "select cast(max(passed_from) as varchar) from " ~ table
            ~ " where test_id = '" ~ model.unique_id ~ "' and model_checksum = '" ~ scope.checksum ~ "'"
        ).columns[0].values()[0] -%}
        {%- set watermark = "timestamp '" ~ found ~ "'" if found else none -%}
    {%- endif -%}
    {%- if watermark is none -%}
        {{ return(dbt.default__get_where_subquery(relation)) }}
    {%- endif -%}
    {%- set filtered -%}
        {%- if scope.kind == 'rows' %}
            (select * from {{ relation }} where built_at > {{ watermark }}
                {%- if where %} and ({{ where }}){% endif %}) dbt_subquery
        {%- else %}
            (
                select * from {{ relation }} as scoped_all
                where exists (
                    select 1 from {{ relation }} as scoped_new
                    where scoped_new.built_at > {{ watermark }}
                    {%- for key in scope['keys'] %}
                        and scoped_new.{{ key }} is not distinct from scoped_all.{{ key }}
                    {%- endfor %}
                )
                {%- if where %} and ({{ where }}){% endif %}
            ) dbt_subquery
        {%- endif %}
    {%- endset -%}
    {{ return(filtered) }}
{%- endmacro -%}

{%- macro create_test_watermarks() -%}
    {{ return(adapter.dispatch('create_test_watermarks', 'social_warehouse')()) }}
{%- endmacro -%}

{%- macro default__create_test_watermarks() -%}
    select 'tests read every row on this engine' as test_watermarks
{%- endmacro -%}

{%- macro duckdb__create_test_watermarks() -%}
    {#- on-run-start: the table scoped tests read their watermark from. -#}
    create schema if not exists {{ test_watermarks_relation().without_identifier() }};
    create table if not exists {{ test_watermarks_relation() }} (
        test_id varchar not null,
        model_checksum varchar not null,
        passed_from timestamp not null
    )
{%- endmacro -%}

{%- macro record_test_watermarks(results) -%}
    {{ return(adapter.dispatch('record_test_watermarks', 'social_warehouse')(results)) }}
{%- endmacro -%}

{%- macro default__record_test_watermarks(results) -%}
    select 'tests read every row on this engine' as test_watermarks
{%- endmacro -%}

{%- macro duckdb__record_test_watermarks(results) -%}
    {#-
        on-run-end: every scoped test that passed in this invocation read all the
        rows written up to now; the next invocation reads only rows written after
        its start. Failed, warned, skipped and errored tests keep their watermark.
    -#}
    {%- set passed = [] -%}
    {%- for result in (results if execute else []) -%}
        {%- if result.node.resource_type == 'test' and result.status == 'pass' -%}
            {%- set attached = graph.nodes.get(result.node.attached_node or '') -%}
            {%- if attached is not none and 'built_at' in attached.columns -%}
                {%- do passed.append((result.node.unique_id, attached.checksum.checksum)) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if passed -%}
        delete from {{ test_watermarks_relation() }}
        where test_id in (
            {%- for test_id, checksum in passed %}'{{ test_id }}'{{ ", " if not loop.last }}{% endfor -%}
        );
        insert into {{ test_watermarks_relation() }} (test_id, model_checksum, passed_from)
        values
        {%- for test_id, checksum in passed %}
            ('{{ test_id }}', '{{ checksum }}', {{ build_time() }}){{ "," if not loop.last }}
        {%- endfor %}
    {%- else -%}
        select 'no scoped test passed' as test_watermarks
    {%- endif -%}
{%- endmacro -%}
