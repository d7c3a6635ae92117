-- Per landed file (and sheet): rows the reader found = rows staged (good
-- rows in the base models) + rows quarantined (a row with several defects
-- counts once). Any difference is a row lost or invented between landing and
-- staging. Every staged export kind of the registry is covered: an entity's
-- base model holds every kind of that entity.
{{ config(
    severity='error',
    meta={'steward_action': 'Rows were lost or invented between landing and staging for the'
        ' files shown: rebuild with --full-refresh and report the file.'}
) }}

with staged as (
    {%- for entity in staged_entities() %}
        select
            source_file_hash,
            source_sheet,
            count(*) as rows_staged
        from {{ ref('base_social__' ~ entity) }}
        where rejection_reason is null
        group by source_file_hash, source_sheet
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

quarantined as (
    select
        source_file_hash,
        source_sheet,
        count(distinct source_row_number) as rows_quarantined
    from {{ ref('stg_landing__quarantined_rows') }}
    group by source_file_hash, source_sheet
),

landed as (
    select
        file_hash,
        sheet,
        export_kind,
        source_file,
        rows_read
    from {{ ref('landing_files') }}
    where
        status <> 'duplicate_content'
        -- kinds kept in raw Parquet only (seed export_kinds, entity `unstaged`:
        -- demographic breakdowns, per-video charts) have no staged rows to count
        and entity in ('{{ staged_entities() | join("', '") }}')
)

select
    landed.source_file,
    landed.sheet,
    landed.export_kind,
    landed.rows_read,
    coalesce(staged.rows_staged, 0) as rows_staged,
    coalesce(quarantined.rows_quarantined, 0) as rows_quarantined
from landed
left join staged
    on landed.file_hash = staged.source_file_hash and landed.sheet = staged.source_sheet
left join quarantined
    on landed.file_hash = quarantined.source_file_hash and landed.sheet = quarantined.source_sheet
where
    landed.rows_read
    <> coalesce(staged.rows_staged, 0) + coalesce(quarantined.rows_quarantined, 0)
