{#-
    Seeds on DuckDB load only when they changed.

    dbt's seed materialization (global_project, seeds/seed.sql) reads every CSV with
    agate, then empties and refills its table in every build: 35 seeds, about 1.6 s
    of every `dbt build`, all of it before the ingest can start (dbt runs the graph
    one depth at a time). This one keeps a fingerprint of each load in
    audit.seed_loads: the file's checksum, the seed's config and the dbt version.
    When the table exists and the fingerprint is the one recorded, the seed is not
    read again and its table stays as it is; otherwise, and always under
    --full-refresh, it runs dbt's own materialization and records the fingerprint.

    A seed table changed by hand outside dbt is not noticed (dbt's seeds never
    promised to restore one either); `dbt seed --full-refresh` reloads every seed.
    A seed file over 1 MiB, whose content dbt does not hash, loads in every build.
    Other engines use dbt's materialization as it is.
-#}

{%- macro seed_loads_relation() -%}
    {{ return(api.Relation.create(database=target.database, schema='audit', identifier='seed_loads')) }}
{%- endmacro -%}

{%- macro create_seed_loads() -%}
    {{ return(adapter.dispatch('create_seed_loads', 'social_warehouse')()) }}
{%- endmacro -%}

{%- macro default__create_seed_loads() -%}
    select 'every seed loads in every build on this engine' as seed_loads
{%- endmacro -%}

{%- macro duckdb__create_seed_loads() -%}
    {#- on-run-start: the table the seed materialization keeps its fingerprints in.
        dbt listed the relations before this hook runs: the table is added to that
        cache, or the first invocation's seeds would not see it. -#}
    {%- do adapter.cache_added(seed_loads_relation().incorporate(type='table')) -%}
    create schema if not exists {{ seed_loads_relation().without_identifier() }};
    create table if not exists {{ seed_loads_relation() }} (
        seed_id varchar not null,
        fingerprint varchar not null,
        loaded_at timestamp not null
    )
{%- endmacro -%}

{%- macro seed_fingerprint(node) -%}
    {#- What a seed's table depends on: the file, the seed's config, dbt's version. -#}
    {{ return(local_md5(node.checksum.checksum ~ '|' ~ tojson(node.config) ~ '|' ~ dbt_version)) }}
{%- endmacro -%}

{%- materialization seed, adapter='duckdb' -%}
    {%- set old_relation = adapter.get_relation(database=database, schema=schema, identifier=model['alias']) -%}
    {%- set loads = seed_loads_relation() -%}
    {%- set fingerprint = seed_fingerprint(model) -%}
    {%- set recorded = none -%}
    {%- set can_record = adapter.get_relation(loads.database, loads.schema, loads.identifier) is not none -%}
    {#- dbt gives a seed over 1 MiB a checksum of its path, not of its content: such a
        seed loads in every build -#}
    {%- set content_known = model.checksum.name == 'sha256' -%}
    {%- if can_record and content_known and old_relation is not none and old_relation.is_table
        and not should_full_refresh() -%}
        {%- set recorded = run_query(
            "select fingerprint from " ~ loads ~ " where seed_id = '" ~ model.unique_id ~ "'"
        ).columns[0].values() | first -%}
    {%- endif -%}

    {%- if recorded == fingerprint -%}
        {#- unchanged: what `dbt seed --show` prints is read from the table -#}
        {%- do store_result('agate_table', response='OK',
            agate_table=run_query('select * from ' ~ old_relation ~ ' limit 10')) -%}
        {%- call noop_statement('main', 'UNCHANGED', 'UNCHANGED', 0) -%}
            -- {{ old_relation }}: seed file and config unchanged since it was loaded
        {%- endcall -%}
        {{ return({'relations': [this.incorporate(type='table')]}) }}
    {%- endif -%}

    {%- set result = materialization_seed_default() -%}
    {%- if can_record -%}
        {%- call statement('record_seed_load') -%}
            delete from {{ loads }} where seed_id = '{{ model.unique_id }}';
            insert into {{ loads }} values ('{{ model.unique_id }}', '{{ fingerprint }}', {{ build_time() }})
        {%- endcall -%}
        {%- do adapter.commit() -%}
    {%- endif -%}
    {{ return(result) }}
{%- endmaterialization -%}
