-- One row per organisation, quarter and framework indicator: its 0-1 score,
-- observed or self-assessed, and the points it adds to the maturity score.

select
    organization_id,
    quarter_start,
    quarter_label,
    indicator_id,
    dimension,
    indicator_name,
    measurement,
    weight,
    indicator_source_status,
    indicator_score,
    is_missing,
    points
from {{ ref('int_maturity_indicators_scored') }}
