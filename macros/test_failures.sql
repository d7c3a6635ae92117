{#-
    dbt's data test materialization, storing failing rows only for a test that
    warns or fails.

    dbt's own (global_project, tests/test.sql) with store_failures drops the test's
    audit table, writes the failing rows into a new one and counts them there, for
    every test in every build. At 387 data tests that is 387 drops, creates and
    commits per build, most of them of empty tables, about a third of a test's
    time. This version counts first, as dbt does without store_failures; only a
    test that warns or fails writes its rows (running its query a second time,
    which a failing build can afford). A test that passes drops the table a
    previous failure left, so the audit schema holds exactly the failing rows of
    the tests that warned or failed in their last run (docs/stewards_guide.md).

    The result statement is dbt's (`main`, get_test_sql), so statuses, failure
    counts, warn_if, error_if, fail_calc and limit behave as in dbt.
-#}
{%- materialization test, default -%}

    {%- set relations = [] -%}
    {%- set limit = config.get('limit') -%}
    {%- set sql_header = config.get('sql_header') if flags.REQUIRE_SQL_HEADER_IN_TEST_CONFIGS else none -%}
    {%- set sql_with_limit -%}
        {{ get_limit_subquery_sql(sql, limit) }}
    {%- endset -%}

    {%- call statement('main', fetch_result=True) -%}
        {% if sql_header %}{{ sql_header }}{% endif %}
        {{ get_test_sql(sql_with_limit, config.get('fail_calc'), config.get('warn_if'), config.get('error_if'), limit=none) }}
    {%- endcall -%}

    {%- if should_store_failures() -%}
        {%- set identifier = model['alias'] -%}
        {%- set old_relation = adapter.get_relation(database=database, schema=schema, identifier=identifier) -%}
        {%- set row = load_result('main')['table'].rows[0] -%}
        {%- set flagged = (row['should_warn'] | string | lower) == 'true'
            or (row['should_error'] | string | lower) == 'true' -%}
        {%- if old_relation -%}
            {%- do adapter.drop_relation(old_relation) -%}
        {%- endif -%}
        {%- if flagged -%}
            {%- set store_failures_as = config.get('store_failures_as') or 'table' -%}
            {%- if store_failures_as not in ['table', 'view'] -%}
                {{ exceptions.raise_compiler_error(
                    "'" ~ store_failures_as ~ "' is not a valid value for `store_failures_as`. "
                    "Accepted values are: ['ephemeral', 'table', 'view']") }}
            {%- endif -%}
            {%- set target_relation = api.Relation.create(
                identifier=identifier, schema=schema, database=database, type=store_failures_as) -%}
            {%- call statement(auto_begin=True) -%}
                {% if sql_header %}{{ sql_header }}{% endif %}
                {{ get_create_sql(target_relation, sql_with_limit) }}
            {%- endcall -%}
            {%- do relations.append(target_relation) -%}
        {%- endif -%}
        {%- if old_relation or flagged -%}
            {{ adapter.commit() }}
        {%- endif -%}
    {%- endif -%}

    {{ return({'relations': relations}) }}

{%- endmaterialization -%}

{%- macro drop_stale_audit_tables() -%}
    {{ return(adapter.dispatch('drop_stale_audit_tables', 'social_warehouse')()) }}
{%- endmacro -%}

{%- macro default__drop_stale_audit_tables() -%}
    select 'audit tables of removed tests are kept on this engine' as audit_cleanup
{%- endmacro -%}

{%- macro duckdb__drop_stale_audit_tables() -%}
    {#-
        on-run-end: drops the audit tables that belong to no data test of the project
        any more (a test removed, renamed or folded into another), so the audit schema
        lists only what the current tests found. The tables of every test in the
        project are kept, whether or not this invocation selected it, and so are the
        bookkeeping tables (test_watermarks, seed_loads).
    -#}
    {%- set keep = [test_watermarks_relation().identifier, seed_loads_relation().identifier] -%}
    {%- for node in (graph.nodes.values() if execute else []) -%}
        {%- if node.resource_type == 'test' -%}
            {%- do keep.append(node.alias | lower) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set stale = [] -%}
    {%- if execute -%}
        {%- for row in run_query(
            "select table_name, table_type from information_schema.tables where table_catalog = '"
            ~ target.database ~ "' and table_schema = 'audit' order by table_name"
        ).rows -%}
            {%- if row[0] | lower not in keep -%}
                {%- do stale.append(row) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if stale -%}
        {%- for name, table_type in stale %}
        drop {{ 'view' if table_type == 'VIEW' else 'table' }} if exists
            {{ api.Relation.create(database=target.database, schema='audit', identifier=name) }};
        {%- endfor %}
        select '{{ stale | length }} audit table(s) of removed tests dropped' as audit_cleanup
    {%- else -%}
        select 'no audit table of a removed test' as audit_cleanup
    {%- endif -%}
{%- endmacro -%}
