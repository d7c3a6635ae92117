-- One row per day: the time spine MetricFlow joins time-based metrics to.

with days as (
    select
        {{ date_series("date '2010-01-01'", "date '2035-12-31'", 'interval 1 day') }}
            as date_day
)

select date_day from days
