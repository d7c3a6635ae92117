-- Every header alias must point at a canonical column of its export kind.
{{ config(
    severity='error',
    meta={'steward_action': 'Point the alias at a canonical column of its export kind'
        ' (seeds/config/export_columns.csv).'}
) }}

select
    a.export_kind,
    a.canonical_column,
    a.header_text
from {{ ref('header_aliases') }} as a
left join {{ ref('export_columns') }} as c
    on a.export_kind = c.export_kind and a.canonical_column = c.canonical_column
where c.canonical_column is null
