-- One row per organisation and quarter: the maturity score (0-100, weighted
-- sum of the indicator scores), the Altimeter stage it falls in, and how much
-- of it rests on self-assessment rather than on observed data.

with scores as (
    select * from {{ ref('int_maturity_indicators_scored') }}
),

summed as (
    select
        organization_id,
        quarter_start,
        any_value(quarter_label) as quarter_label,
        sum(points) as maturity_score,
        sum(points) filter (where measurement = 'observed') as observed_points,
        sum(points) filter (where measurement = 'self_assessed') as self_assessed_points,
        count(*) filter (where measurement = 'observed' and not is_missing) as indicators_observed,
        count(*) filter (where measurement = 'self_assessed' and not is_missing)
            as indicators_self_assessed,
        count(*) filter (where is_missing) as indicators_missing,
        sum(weight) filter (where is_missing) as weight_missing
    from scores
    group by all
),

stages as (
    select * from {{ ref('maturity_stages') }}
),

-- the highest stage whose minimum the score reaches (a join and max, not an
-- ASOF join: Spark has none)
reached as (
    select
        summed.organization_id,
        summed.quarter_start,
        max(stages.min_score) as stage_min_score
    from summed
    inner join stages
        on summed.maturity_score >= stages.min_score
    group by summed.organization_id, summed.quarter_start
)

select
    summed.organization_id,
    summed.quarter_start,
    summed.quarter_label,
    round(summed.maturity_score, 2) as maturity_score,
    round(coalesce(summed.observed_points, 0), 2) as observed_points,
    round(coalesce(summed.self_assessed_points, 0), 2) as self_assessed_points,
    {{ safe_divide('coalesce(summed.self_assessed_points, 0)', 'summed.maturity_score') }}
        as self_assessed_share_of_score,
    summed.indicators_observed,
    summed.indicators_self_assessed,
    summed.indicators_missing,
    coalesce(summed.weight_missing, 0) as weight_missing,
    stage.stage_name as maturity_stage,
    stage.stage_order as maturity_stage_order
from summed
left join reached
    on
        summed.organization_id = reached.organization_id
        and summed.quarter_start = reached.quarter_start
left join stages as stage
    on reached.stage_min_score = stage.min_score
