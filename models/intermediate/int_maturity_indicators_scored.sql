-- One row per organisation, quarter and framework indicator: its 0-1 score,
-- whether it was observed in the data or self-assessed, and the points it adds
-- to the maturity score (weight x score). A missing score adds 0 points and is
-- flagged, so the score is reproducible from the framework seed alone. Both
-- maturity marts read it.

with framework as (
    select * from {{ ref('maturity_framework') }}
),

observed as (
    select
        organization_id,
        quarter_start,
        indicator_id,
        indicator_score
    from {{ ref('int_maturity_inputs_observed') }}
),

self_assessed as (
    select
        organization_id,
        cast(
            make_date(
                cast(left(assessed_quarter, 4) as integer),
                (cast(right(assessed_quarter, 1) as integer) - 1) * 3 + 1,
                1
            ) as date
        ) as quarter_start,
        indicator_id,
        answer / 4.0 as indicator_score
    from {{ ref('maturity_self_assessments') }}
),

quarters as (
    select distinct
        organization_id,
        quarter_start
    from observed
),

grid as (
    select
        quarters.organization_id,
        quarters.quarter_start,
        framework.indicator_id,
        framework.dimension,
        framework.indicator_name,
        framework.measurement,
        framework.weight,
        framework.status as indicator_source_status
    from quarters
    cross join framework
)

select
    grid.organization_id,
    grid.quarter_start,
    cast(year(grid.quarter_start) as string) || 'Q' || cast(quarter(grid.quarter_start) as string)
        as quarter_label,
    grid.indicator_id,
    grid.dimension,
    grid.indicator_name,
    grid.measurement,
    grid.weight,
    grid.indicator_source_status,
    coalesce(observed.indicator_score, self_assessed.indicator_score) as indicator_score,
    coalesce(observed.indicator_score, self_assessed.indicator_score) is null as is_missing,
    grid.weight * coalesce(observed.indicator_score, self_assessed.indicator_score, 0) as points
from grid
left join observed
    on
        grid.measurement = 'observed'
        and grid.organization_id = observed.organization_id
        and grid.quarter_start = observed.quarter_start
        and grid.indicator_id = observed.indicator_id
left join self_assessed
    on
        grid.measurement = 'self_assessed'
        and grid.organization_id = self_assessed.organization_id
        and grid.quarter_start = self_assessed.quarter_start
        and grid.indicator_id = self_assessed.indicator_id
