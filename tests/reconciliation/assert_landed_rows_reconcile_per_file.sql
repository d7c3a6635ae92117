-- Per landed file (and sheet): rows the reader found = rows staged (good
-- rows in the base models) + rows quarantined. Any difference is a row lost
-- or invented between landing and staging.
{{ config(severity='error') }}

{%- set bases = staged_export_kinds().values() | list %}

with staged as (
    {%- for base in bases %}
        select
            source_file_hash,
            source_sheet,
            count(*) as rows_staged
        from {{ ref(base) }}
        where rejection_reason is null
        group by all
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

quarantined as (
    select
        source_file_hash,
        source_sheet,
        count(*) as rows_quarantined
    from {{ ref('stg_landing__quarantined_rows') }}
    group by all
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
        and export_kind in (
            '{{ staged_export_kinds().keys() | join("', '") }}'
        )
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
