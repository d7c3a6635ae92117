-- Per connector table of observations (each connection of each enabled
-- connector, seed connector_columns): rows in the table = rows staged (good rows
-- of the base_connector models) + rows quarantined. Any difference is a row lost
-- or invented between the connector and staging. Counted from the connector's
-- table itself, not from the base model.
{{ config(
    severity='error',
    meta={'steward_action': 'Rows were lost or invented between a connector table and staging for'
        ' the tables shown: rebuild and report the table with its row counts.'}
) }}

with read_rows as (
    {%- for entity in connector_entities() %}
        {%- for table in connector_observation_tables(entity) %}
    select
        '{{ table.source_file }}' as source_file,
        count(*) as rows_read
    from {{ table.relation }}
    union all
        {%- endfor %}
    {%- endfor %}
    select
        cast(null as {{ dbt.type_string() }}) as source_file,
        cast(0 as bigint) as rows_read
    where 1 = 0
),

staged as (
    {%- for entity in connector_entities() %}
        select
            source_file,
            count(*) as rows_staged
        from {{ ref('base_connector__' ~ entity) }}
        where rejection_reason is null
        group by source_file
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

quarantined as (
    select
        source_file,
        count(distinct source_row_number) as rows_quarantined
    from {{ ref('stg_landing__quarantined_rows') }}
    where export_kind like 'connector:%'
    group by source_file
)

select
    read_rows.source_file,
    read_rows.rows_read,
    coalesce(staged.rows_staged, 0) as rows_staged,
    coalesce(quarantined.rows_quarantined, 0) as rows_quarantined
from read_rows
left join staged
    on read_rows.source_file = staged.source_file
left join quarantined
    on read_rows.source_file = quarantined.source_file
where
    read_rows.rows_read
    <> coalesce(staged.rows_staged, 0) + coalesce(quarantined.rows_quarantined, 0)
