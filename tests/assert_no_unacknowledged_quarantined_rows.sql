-- Quarantined rows block publishing until a steward fixes the export or
-- acknowledges them (seed quarantine_acknowledgements): nothing wrong reaches
-- BI unseen. The failing rows name the file, row, column, value and reason.
{{ config(
    severity='error',
    meta={'steward_action': 'Fix the export (or download it again) and land the corrected'
        ' file; or, if the rows are known to be unusable, acknowledge them in'
        ' seeds/organizations/quarantine_acknowledgements.csv.'}
) }}

select
    q.source_file,
    q.source_row_number,
    q.rejected_column,
    q.rejected_value,
    q.rejection_reason,
    q.rejected_by
from {{ ref('stg_landing__quarantined_rows') }} as q
left join {{ ref('quarantine_acknowledgements') }} as a
    on
        q.source_file = a.source_file
        and q.rejected_column = a.rejected_column
where a.source_file is null
