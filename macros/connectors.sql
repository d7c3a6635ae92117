{#-
    Connector-synced tables (Fivetran's schemas) as a second input: which
    connectors are enabled and where their tables are (project variables, named
    as Fivetran's own packages name them), and the base_connector__<entity>
    models generated from seed connector_columns. See docs/connectors.md.
-#}

{%- macro connector_entities() -%}
    {#- The staged entities a connector can feed (the others come from exports only). -#}
    {{ return(['posts', 'follows']) }}
{%- endmacro -%}

{%- macro connectors() -%}
    {#-
        Every connector of seed connector_columns with its platform and where
        its tables are: `<connector>_enabled` (default false),
        `<connector>_database` (default the target's database),
        `<connector>_schema` (default the connector's name) and, for several
        connections of one connector, `<connector>_union_schemas` or
        `<connector>_union_databases` (lists), whose tables are unioned with a
        `source_relation` column. Empty while dbt parses the project.
    -#}
    {%- set found = {} -%}
    {%- for row in registry_rows('connector_columns') -%}
        {%- do found.setdefault(row.connector, row.platform) -%}
    {%- endfor -%}
    {%- set result = [] -%}
    {%- for name, platform in found | dictsort -%}
        {%- set enabled = var(name ~ '_enabled', false) -%}
        {%- do result.append({
            'name': name,
            'platform': platform,
            'enabled': enabled in (true, 'true', 'True', 1, '1'),
            'database': var(name ~ '_database', target.get('database')),
            'schema': var(name ~ '_schema', name),
            'union_schemas': var(name ~ '_union_schemas', []),
            'union_databases': var(name ~ '_union_databases', []),
        }) -%}
    {%- endfor -%}
    {{ return(result) }}
{%- endmacro -%}

{%- macro connectors_enabled() -%}
    {#- The names of the enabled connectors. -#}
    {{ return(connectors() | selectattr('enabled') | map(attribute='name') | list) }}
{%- endmacro -%}

{%- macro connector_locations(connector) -%}
    {#- The (database, schema) pairs where the connector's tables are: one per connection. -#}
    {%- set locations = [] -%}
    {%- if connector.union_schemas -%}
        {%- for schema in connector.union_schemas -%}
            {%- do locations.append({'database': connector.database, 'schema': schema}) -%}
        {%- endfor -%}
    {%- elif connector.union_databases -%}
        {%- for database in connector.union_databases -%}
            {%- do locations.append({'database': database, 'schema': connector.schema}) -%}
        {%- endfor -%}
    {%- else -%}
        {%- do locations.append({'database': connector.database, 'schema': connector.schema}) -%}
    {%- endif -%}
    {{ return(locations) }}
{%- endmacro -%}

{%- macro connector_source_file(connector, location, table) -%}
    {#- The lineage name of a connector table's rows (their `source_file`): connector, table, location. -#}
    {{ return('connector:' ~ connector.name ~ '.' ~ table ~ ' (' ~ location.database ~ '.' ~ location.schema ~ ')') }}
{%- endmacro -%}

{%- macro connector_observation_tables(entity) -%}
    {#- Every enabled connection's observation table of `entity`: [{'source_file', 'relation'}]. -#}
    {%- set tables = [] -%}
    {%- set rows = registry_rows('connector_columns') | selectattr('entity', 'equalto', entity)
        | selectattr('table_role', 'equalto', 'observations') | list -%}
    {%- for connector in connectors() if connector.enabled -%}
        {%- for table in rows | selectattr('connector', 'equalto', connector.name) | map(attribute='source_table') | unique -%}
            {%- for location in connector_locations(connector) -%}
                {%- do tables.append({
                    'source_file': connector_source_file(connector, location, table),
                    'relation': connector_relation(connector, location, table),
                }) -%}
            {%- endfor -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(tables) }}
{%- endmacro -%}

{%- macro connector_relation(connector, location, table) -%}
    {#- The connector's table at one location; a missing table stops the build with its name. -#}
    {%- do attach_connector_databases() -%}
    {%- set relation = adapter.get_relation(database=location.database, schema=location.schema, identifier=table) -%}
    {%- if relation is none -%}
        {{ exceptions.raise_compiler_error(
            "connector " ~ connector.name ~ " is enabled but its table '" ~ table ~ "' is not in "
            ~ location.database ~ "." ~ location.schema ~ " (set " ~ connector.name ~ "_database / "
            ~ connector.name ~ "_schema, or attach the connector's database: docs/connectors.md)") }}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro -%}

{%- macro connector_expression(connector, table, relation, row, alias) -%}
    {#-
        The SQL of one mapping row over its table: `a+b+c` is a sum (missing
        terms count as 0, all missing is null), `a|b|c` the first non-null. A
        documented column the table lacks (schema drift) stops the build when the
        row is required, else it is left out of the expression and reported in
        the log, naming the table and the column.
    -#}
    {%- set present = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
    {%- set operator = '+' if '+' in row.source_column else '|' -%}
    {%- set terms = [] -%}
    {%- for term in row.source_column.split(operator) -%}
        {%- if term.strip().lower() in present -%}
            {%- do terms.append(alias ~ '.' ~ term.strip()) -%}
        {%- elif row.is_required == 'true' -%}
            {{ exceptions.raise_compiler_error(
                "connector " ~ connector ~ ": table " ~ relation ~ " lacks the column '" ~ term.strip()
                ~ "' (" ~ table ~ "." ~ row.source_column ~ " -> " ~ row.staged_as
                ~ ", required in seed connector_columns)") }}
        {%- else -%}
            {%- do log("connector " ~ connector ~ ": table " ~ relation ~ " lacks the optional column '"
                ~ term.strip() ~ "' (-> " ~ row.staged_as ~ "): read as null", info=true) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not terms -%}
        {{ return('null') }}
    {%- elif terms | length == 1 -%}
        {{ return(terms[0]) }}
    {%- elif operator == '+' -%}
        {{ return('case when coalesce(' ~ terms | join(', ') ~ ') is null then null else '
            ~ terms | map('replace', alias ~ '.', 'coalesce(' ~ alias ~ '.') | join(', 0) + ') ~ ', 0) end') }}
    {%- else -%}
        {{ return('coalesce(' ~ terms | join(', ') ~ ')') }}
    {%- endif -%}
{%- endmacro -%}

{%- macro connector_value(value_type, value_format, column) -%}
    {#- A connector column's value before the staging contract's type (the columns are typed already). -#}
    {%- if value_type == 'id' -%}
        {{ parse_id('cast(' ~ column ~ ' as ' ~ dbt.type_string() ~ ')', value_format) }}
    {%- elif value_type in ('count', 'decimal') -%}
        try_cast({{ column }} as double)
    {%- elif value_type == 'utc_datetime' -%}
        try_cast({{ column }} as timestamp)
    {%- elif value_type == 'boolean' -%}
        try_cast({{ column }} as boolean)
    {%- elif value_type == 'text' -%}
        case when trim(cast({{ column }} as {{ dbt.type_string() }})) = '' then null
            else cast({{ column }} as {{ dbt.type_string() }}) end
    {%- elif value_type == 'personal' -%}
        {{ pseudonym('cast(' ~ column ~ ' as ' ~ dbt.type_string() ~ ')') }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("connector_columns: unknown value_type '" ~ value_type ~ "'") }}
    {%- endif -%}
{%- endmacro -%}

{%- macro base_connector_entity(entity) -%}
    {#-
        Every row of every enabled connector's observation table of `entity`
        (one row per sync of a post, or per account and day), with the latest
        row of its attribute tables (the post's own history table), typed into
        the entity's staging contract with the same checks and quarantine
        reasons as the exports, plus `input`, `is_deleted` and
        `source_relation`. One select per connection, unioned.
    -#}
    {%- set contract = staging_contract(entity) -%}
    {%- set rows = registry_rows('connector_columns') | selectattr('entity', 'equalto', entity) | list -%}
    {%- set parts = [] -%}
    {%- for connector in connectors() if connector.enabled -%}
        {%- set own = rows | selectattr('connector', 'equalto', connector.name) | list -%}
        {%- if own -%}
            {%- for location in connector_locations(connector) -%}
                {%- do parts.append(connector_select(entity, contract, connector, location, own)) -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if parts -%}
        {{ parts | join('\nunion all\n') }}
    {%- else -%}
        {{ connector_nothing(contract) }}
    {%- endif -%}
{%- endmacro -%}

{%- macro connector_nothing(contract) -%}
    {#- No connector enabled: the base model's columns, no row. -#}
    select
        {%- for column in contract %}
        cast(null as {{ sql_type(column.data_type) }}) as {{ column.column_name }},
        {%- endfor %}
        cast(null as {{ dbt.type_string() }}) as rejection_reason,
        {{ defect_list([{'column': 'none', 'raw': 'null'}]) }} as rejections,
        {{ connector_lineage_types() }}
    from (select cast(null as {{ dbt.type_string() }}) as _problem__1) as nothing
    where 1 = 0
{%- endmacro -%}

{%- macro connector_lineage_types() -%}
    cast(null as {{ dbt.type_string() }}) as export_kind,
    cast(null as {{ dbt.type_string() }}) as header_language,
    cast(null as {{ dbt.type_string() }}) as source_file,
    cast(null as {{ dbt.type_string() }}) as source_file_hash,
    cast(null as bigint) as source_row_number,
    cast(null as {{ dbt.type_string() }}) as source_sheet,
    cast(null as timestamp) as exported_at,
    cast(null as timestamp) as loaded_at,
    cast(null as timestamp) as built_at,
    cast(null as {{ dbt.type_string() }}) as input,
    cast(null as boolean) as is_deleted,
    cast(null as {{ dbt.type_string() }}) as source_relation
{%- endmacro -%}

{%- macro connector_select(entity, contract, connector, location, own) -%}
    {#- The rows of one connection of one connector for `entity` (see base_connector_entity). -#}
    {%- set types = {} -%}
    {%- for column in contract -%}
        {%- do types.update({column.column_name: column.data_type}) -%}
    {%- endfor -%}
    {%- set observed_rows = own | selectattr('table_role', 'equalto', 'observations') | list -%}
    {%- if observed_rows | map(attribute='source_table') | unique | list | length != 1 -%}
        {{ exceptions.raise_compiler_error("connector_columns: " ~ connector.name ~ " " ~ entity
            ~ " needs exactly one table with table_role 'observations'") }}
    {%- endif -%}
    {%- set observed_table = observed_rows[0].source_table -%}
    {%- set observed = connector_relation(connector, location, observed_table) -%}
    {%- set attribute_tables = own | selectattr('table_role', 'equalto', 'attributes')
        | map(attribute='source_table') | unique | list -%}
    {#- every mapping row as SQL over its table's alias -#}
    {%- set sources = [] -%}
    {%- set joins = [] -%}
    {%- set key_row = observed_rows | selectattr('staged_as', 'equalto', 'post_id') | first -%}
    {%- for row in observed_rows -%}
        {%- do sources.append({'row': row, 'sql': connector_expression(connector.name, observed_table, observed, row, 'obs')}) -%}
    {%- endfor -%}
    {%- for table in attribute_tables -%}
        {%- set alias = 'att' ~ loop.index -%}
        {%- set relation = connector_relation(connector, location, table) -%}
        {%- set table_rows = own | selectattr('source_table', 'equalto', table) | list -%}
        {%- set join_row = table_rows | selectattr('staged_as', 'equalto', '_join_key') | first -%}
        {%- set synced_row = table_rows | selectattr('staged_as', 'equalto', '_observed_at') | first -%}
        {%- set join_sql = connector_expression(connector.name, table, relation, join_row, 'a') -%}
        {%- do joins.append({
            'alias': alias,
            'relation': relation,
            'key': connector_value('id', join_row.value_format, join_sql),
            'order': connector_expression(connector.name, table, relation, synced_row, 'a'),
            'observed_key': connector_value('id', key_row.value_format,
                connector_expression(connector.name, observed_table, observed, key_row, 'obs')),
        }) -%}
        {%- for row in table_rows if row.staged_as not in ('_join_key', '_observed_at') -%}
            {%- do sources.append({'row': row, 'sql': connector_expression(connector.name, table, relation, row, alias), 'alias': alias}) -%}
        {%- endfor -%}
    {%- endfor -%}
    {#- staged columns, checks and the special columns -#}
    {%- set problems = [{
        'column': 'account_key', 'raw': '_src___account_id',
        'expression': "case when not _is_known_account then 'account_key: not in the social_accounts seed' end",
    }] -%}
    {%- set staged = {} -%}
    {%- set deleted = [] -%}
    {%- for source in sources -%}
        {%- set row = source.row -%}
        {%- set name = row.staged_as -%}
        {%- set position = loop.index -%}
        {%- if name == '_is_deleted' -%}
            {%- do deleted.append('coalesce(_value_' ~ position ~ ', false)') -%}
        {%- elif not name.startswith('_') -%}
            {%- if name not in types -%}
                {{ exceptions.raise_compiler_error("connector_columns: " ~ connector.name ~ "." ~ row.source_table
                    ~ " is staged as '" ~ name ~ "', which is not a column of the " ~ entity ~ " staging contract") }}
            {%- endif -%}
            {%- do staged.update({name: registry_final(row.value_type, '_value_' ~ position, types[name])}) -%}
        {%- endif -%}
        {%- for check in (row.checks or '').split(';') if check -%}
            {%- do problems.append({
                'column': row.source_table ~ '.' ~ row.source_column,
                'raw': '_src_' ~ position,
                'expression': registry_problem(check, row.value_type, row.value_format,
                    'cast(_src_' ~ position ~ ' as ' ~ dbt.type_string() ~ ')', '_value_' ~ position,
                    row.source_table ~ '.' ~ row.source_column),
            }) -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- set observed_at = connector_expression(connector.name, observed_table, observed,
        observed_rows | selectattr('staged_as', 'equalto', '_observed_at') | first, 'obs') -%}
    {%- set account_source = sources | selectattr('row.staged_as', 'equalto', '_account_id') | first -%}
    {%- set label = connector.name ~ '.' ~ observed_table -%}
    {%- set where = location.database ~ '.' ~ location.schema -%}
    select
        {%- for column in contract %}
            {%- set name = column.column_name %}
            {%- if name == 'platform' %}
        '{{ connector.platform }}' as platform,
            {%- elif name == 'account_key' %}
        _account_key as account_key,
            {%- elif name in staged %}
        {{ staged[name] }} as {{ name }},
            {%- elif name.endswith('_precision') and name[:-10] in staged %}
        'minute' as {{ name }},
            {%- else %}
        cast(null as {{ sql_type(column.data_type) }}) as {{ name }},
            {%- endif %}
        {%- endfor %}
        rejection_reason,
        case when rejection_reason is not null then {{ defect_list(problems) }} end as rejections,
        'connector:{{ label }}' as export_kind,
        cast(null as {{ dbt.type_string() }}) as header_language,
        '{{ connector_source_file(connector, location, observed_table) }}' as source_file,
        md5('{{ connector_source_file(connector, location, observed_table) }}') as source_file_hash,
        _row_number as source_row_number,
        '' as source_sheet,
        _exported_at as exported_at,
        _exported_at as loaded_at,
        {{ build_time() }} as built_at,
        'connector:{{ connector.name }}' as input,
        {{ ('(' ~ deleted | join(' or ') ~ ')') if deleted else 'false' }} as is_deleted,
        '{{ where }}' as source_relation
    from (
        select
            checked.*,
            nullif(concat_ws(
                {{ reason_separator() }}
                {%- for problem in problems %},
                _problem__{{ loop.index }}
                {%- endfor %}
            ), '') as rejection_reason
        from (
            select
                valued.*
                {%- for problem in problems %},
                {{ problem.expression }} as _problem__{{ loop.index }}
                {%- endfor %}
            from (
                select
                    sourced.*,
                    acc.account_key as _account_key,
                    acc.account_key is not null as _is_known_account,
                    plat.launched_on as _platform_launched_on
                    {%- for source in sources %},
                    {{ connector_value(source.row.value_type, source.row.value_format, '_src_' ~ loop.index) }}
                        as _value_{{ loop.index }}
                    {%- endfor %}
                from (
                    select
                        {%- for source in sources %}
                        {{ source.sql }} as _src_{{ loop.index }},
                        {%- endfor %}
                        {{ account_source.sql if account_source else 'null' }} as _src___account_id,
                        try_cast({{ observed_at }} as timestamp) as _exported_at,
                        row_number() over (
                            order by {{ observed_at }}{% for source in sources %}, {{ source.sql }}{% endfor %}
                        ) as _row_number
                    from {{ observed }} as obs
                    {%- for join in joins %}
                    left join (
                        select
                            a.*,
                            {{ join.key }} as _join_key,
                            row_number() over (partition by {{ join.key }} order by {{ join.order }} desc) as _join_rank
                        from {{ join.relation }} as a
                    ) as {{ join.alias }}
                        on {{ join.alias }}._join_rank = 1 and {{ join.alias }}._join_key = {{ join.observed_key }}
                    {%- endfor %}
                ) as sourced
                left join {{ ref('social_accounts') }} as acc
                    on
                        acc.platform = '{{ connector.platform }}'
                        and acc.platform_account_id = cast(sourced._src___account_id as {{ dbt.type_string() }})
                left join {{ ref('platforms') }} as plat
                    on plat.platform = '{{ connector.platform }}'
            ) as valued
        ) as checked
    ) as flagged
{%- endmacro -%}

{%- macro snapshot_inputs(entity) -%}
    {#-
        What a stg_social__<entity> model chooses its latest snapshot from: the
        rows of the native exports (`input` 'export') and, for an entity a
        connector can feed, the connectors' rows (`input` 'connector:<name>'),
        with the same columns.
    -#}
    {%- set columns = base_columns(entity) + ['rejection_reason', 'built_at'] -%}
    select
        {%- for column in columns %}
        b.{{ column }},
        {%- endfor %}
        'export' as input,
        false as is_deleted
    from {{ ref('base_social__' ~ entity) }} as b
    {%- if entity in connector_entities() %}
    union all
    select
        {%- for column in columns %}
        c.{{ column }},
        {%- endfor %}
        c.input,
        c.is_deleted
    from {{ ref('base_connector__' ~ entity) }} as c
    {%- endif %}
{%- endmacro -%}

{%- macro delete_stale_connector_snapshots() -%}
    {#-
        stg_social__<entity> post-hook: a connector row leaves staging when its
        observation is no longer in the connector's table, and a post leaves
        staging when a connector marks it deleted at or after its kept row.
    -#}
    {%- set entity = this.identifier.split('__')[-1] -%}
    {%- if entity in connector_entities() -%}
        {%- set keys = snapshot_key(entity) if execute else [] -%}
        {%- set connector_rows = ref('base_connector__' ~ entity) -%}
        {%- set condition -%}
            (
                t.input <> 'export'
                and not exists (
                    select 1
                    from {{ connector_rows }} as c
                    where
                        c.source_file_hash = t.source_file_hash
                        and c.exported_at = t.exported_at
                        and c.rejection_reason is null
                        and not c.is_deleted
                        {%- for key in keys %}
                        and c.{{ key }} = t.{{ key }}
                        {%- endfor %}
                )
            )
            or exists (
                select 1
                from {{ connector_rows }} as c
                where
                    c.is_deleted
                    and c.rejection_reason is null
                    and c.exported_at >= t.exported_at
                    {%- for key in keys %}
                    and c.{{ key }} = t.{{ key }}
                    {%- endfor %}
            )
        {%- endset -%}
        {{ return(delete_matching_rows(condition, 'no connector row gone')) }}
    {%- else -%}
        select 'no connector feeds {{ entity }}' as stg_post_hook
    {%- endif -%}
{%- endmacro -%}

{%- macro attach_connector_databases() -%}
    {{ return(adapter.dispatch('attach_connector_databases', 'social_warehouse')()) }}
{%- endmacro -%}

{%- macro default__attach_connector_databases() -%}
    {#- Engines with a shared catalogue (Spark) see the connector's schemas already. -#}
{%- endmacro -%}

{%- macro duckdb__attach_connector_databases() -%}
    {#-
        Attaches, read-only and once, the DuckDB files a connector writes to
        (project variable `connector_duckdb_files`: {alias: path}); the alias is
        then the connector's `<connector>_database`. Called before a connector's
        tables are looked up, in models and tests alike.
    -#}
    {%- if execute -%}
        {%- for alias, path in var('connector_duckdb_files', {}).items() -%}
            {%- do run_query("attach if not exists '" ~ path ~ "' as " ~ alias ~ " (read_only)") -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro -%}
