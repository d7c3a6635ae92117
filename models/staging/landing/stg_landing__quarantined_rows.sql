-- Every landed row that did not make it into staging, with the file, the row,
-- the column, the raw value and the reason. Nothing is dropped silently: the
-- reconciliation test proves rows read = rows staged + rows quarantined.

{%- set bases = staged_export_kinds().values() | list %}

with rejected_in_staging as (
    {%- for base in bases %}
        select
            source_file,
            source_file_hash,
            source_row_number,
            source_sheet,
            export_kind,
            account_key,
            rejected_column,
            rejected_value,
            rejection_reason,
            'staging' as rejected_by,
            loaded_at
        from {{ ref(base) }}
        where rejection_reason is not null
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
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
        'reader' as rejected_by,
        cast(null as timestamp) as loaded_at
    from {{ source('landing_raw', 'rejected_rows') }} as r
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
