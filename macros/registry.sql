{#-
    The registry of export kinds (seeds under seeds/config/) read at compile
    time, so that models can be generated from it. See docs/architecture.md.
-#}

{%- macro registry_rows(seed_name) -%}
    {#-
        Rows of a registry seed as a list of dicts of text (empty cells are
        none). Read from the seed's CSV file, not from the seed's table: models
        are compiled before the seeds are loaded into a fresh database, in unit
        tests and by sqlfluff. Nothing is read while dbt parses the project.
    -#}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set table = run_query(adapter.dispatch('registry_query', 'social_warehouse')(seed_name)) -%}
    {%- set rows = [] -%}
    {%- for row in table.rows -%}
        {%- set record = {} -%}
        {%- for name in table.column_names -%}
            {%- do record.update({name: row[name]}) -%}
        {%- endfor -%}
        {%- do rows.append(record) -%}
    {%- endfor -%}
    {{ return(rows) }}
{%- endmacro -%}

{%- macro registry_csv_path(seed_name) -%}
    {#- The registry seed's CSV, relative to the directory dbt runs in. -#}
    {{ return((invocation_args_dict.get('project_dir') or '.') ~ '/seeds/config/' ~ seed_name ~ '.csv') }}
{%- endmacro -%}

{%- macro default__registry_query(seed_name) -%}
    {#- Engines that cannot read a CSV file in SQL read the loaded seed table. -#}
    select * from seeds.{{ seed_name }}
{%- endmacro -%}

{%- macro duckdb__registry_query(seed_name) -%}
    select * from read_csv('{{ registry_csv_path(seed_name) }}', header = true, all_varchar = true)
{%- endmacro -%}

{%- macro registry_kinds(entity) -%}
    {#-
        The export kinds of an entity (posts, follows, page_days), each with its
        columns in order: {'export_kind', 'platform', 'decimal_mark', 'columns': [...]}.
        Unit tests narrow the list with the `selected_export_kinds` override.
    -#}
    {%- set selected = selected_export_kinds() -%}
    {%- set columns = registry_rows('export_columns') -%}
    {%- set kinds = [] -%}
    {%- for kind in registry_rows('export_kinds') | sort(attribute='export_kind') -%}
        {%- if kind.entity == entity and (not selected or kind.export_kind in selected) -%}
            {%- set own = columns | selectattr('export_kind', 'equalto', kind.export_kind) | list -%}
            {%- for column in own -%}
                {%- do column.update({'position': (column.column_position or 9999) | int}) -%}
            {%- endfor -%}
            {%- do kinds.append({
                'export_kind': kind.export_kind,
                'platform': kind.platform,
                'decimal_mark': kind.decimal_mark,
                'columns': own | sort(attribute='position') | list,
            }) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(kinds) }}
{%- endmacro -%}

{%- macro selected_export_kinds() -%}
    {#- Every kind (an empty list). Unit tests override this macro with the kinds they test. -#}
    {{ return([]) }}
{%- endmacro -%}

{%- macro staging_contract(entity) -%}
    {#- The entity's staging columns in order: [{'column_name', 'data_type', 'is_snapshot_key'}]. -#}
    {%- set contract = registry_rows('staging_columns') | selectattr('entity', 'equalto', entity) | list -%}
    {%- for column in contract -%}
        {%- do column.update({'position': column.column_position | int}) -%}
    {%- endfor -%}
    {{ return(contract | sort(attribute='position') | list) }}
{%- endmacro -%}

{%- macro snapshot_key(entity) -%}
    {#- The columns naming one row of the entity (one post, one account-day). -#}
    {{ return(staging_contract(entity) | selectattr('is_snapshot_key', 'equalto', 'true')
        | map(attribute='column_name') | list) }}
{%- endmacro -%}
