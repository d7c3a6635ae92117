-- Every defect of every landed row that did not make it into staging: one row
-- per file, row and column, with the raw value and the reason, so a steward
-- sees all of a row's defects at once. Nothing is dropped silently: the
-- reconciliation test proves rows read = rows staged + rows quarantined.

with defects_in_staging as (
    {%- for entity in staged_entities() %}
        select
            source_file,
            source_file_hash,
            source_row_number,
            source_sheet,
            export_kind,
            account_key,
            {{ unnest_list('rejections') }} as defect,
            rejection_reason as row_rejection_reasons,
            loaded_at
        from {{ ref('base_social__' ~ entity) }}
        where rejection_reason is not null
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

rejected_in_staging as (
    select
        source_file,
        source_file_hash,
        source_row_number,
        source_sheet,
        export_kind,
        account_key,
        defect.rejected_column,
        defect.rejected_value,
        defect.rejection_reason,
        row_rejection_reasons,
        'staging' as rejected_by,
        loaded_at
    from defects_in_staging
),

rejected_by_reader as (
    select
        r._source_file as source_file,
        r._file_hash as source_file_hash,
        r._row_number as source_row_number,
        '' as source_sheet,
        r._export_kind as export_kind,
        r._account_key as account_key,
        '(whole row)' as rejected_column,
        r.raw_value as rejected_value,
        r.reason as rejection_reason,
        r.reason as row_rejection_reasons,
        'reader' as rejected_by,
        cast(null as timestamp) as loaded_at
    from {{ source('landing_raw', 'rejected_rows') }} as r
),

rejected_by_connectors as (
    -- connector rows (seed connector_columns), read from the connector's tables
    -- at every build: their `source_file` names the connector, table and schema
    {%- for entity in connector_entities() %}
        select
            c.source_file,
            c.source_file_hash,
            c.source_row_number,
            c.source_sheet,
            c.export_kind,
            c.account_key,
            c.defect.rejected_column,
            c.defect.rejected_value,
            c.defect.rejection_reason,
            c.row_rejection_reasons,
            'staging' as rejected_by,
            c.loaded_at
        from (
            select
                source_file,
                source_file_hash,
                source_row_number,
                source_sheet,
                export_kind,
                account_key,
                {{ unnest_list('rejections') }} as defect,
                rejection_reason as row_rejection_reasons,
                loaded_at
            from {{ ref('base_connector__' ~ entity) }}
            where rejection_reason is not null
        ) as c
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

landed as (
    select distinct file_hash from {{ ref('landing_files') }}
),

rejected as (
    select * from rejected_in_staging
    union all
    select * from rejected_by_reader
)

-- only files still landed: a bad export removed from the landing folder leaves
-- the quarantine (and stops blocking publishing) at the next build
select rejected.*
from rejected
where rejected.source_file_hash in (select landed.file_hash from landed)
union all
select * from rejected_by_connectors
