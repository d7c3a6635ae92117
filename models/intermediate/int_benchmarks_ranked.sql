-- For every platform, industry and calendar year a mart may need, the
-- engagement benchmark to compare with. Fallback order (documented in README):
-- 1. the organisation's industry, latest report year not after the year;
-- 2. all industries, latest report year not after the year;
-- 3. if no report that old exists, the earliest report (industry, then all).
-- Only rows measuring engagement per post by followers are used.

with benchmarks as (
    select
        b.*,
        s.publisher || ', ' || s.title as source_title
    from {{ ref('benchmark_engagement_rates') }} as b
    inner join {{ ref('benchmark_sources') }} as s
        on b.source_id = s.source_id
    where b.metric = 'engagement_rate_per_post_by_followers'
),

needs as (
    select distinct
        p.platform,
        o.industry,
        extract(year from p.published_local_date) as calendar_year
    from {{ ref('int_posts_rated') }} as p
    inner join {{ ref('organizations') }} as o
        on p.organization_id = o.organization_id
),

candidates as (
    select
        needs.platform,
        needs.industry,
        needs.calendar_year,
        benchmarks.benchmark_id,
        benchmarks.rate_pct / 100.0 as benchmark_engagement_rate,
        benchmarks.report_year,
        benchmarks.data_year,
        benchmarks.industry as benchmark_industry,
        benchmarks.statistic,
        benchmarks.source_title,
        benchmarks.status as benchmark_status,
        case
            when benchmarks.industry = needs.industry then 'industry'
            else 'all_industries'
        end as industry_match,
        benchmarks.report_year <= needs.calendar_year as is_not_later
    from needs
    inner join benchmarks
        on
            needs.platform = benchmarks.platform
            and (benchmarks.industry = needs.industry or benchmarks.industry = 'All industries')
),

ranked as (
    select
        *,
        row_number() over (
            partition by platform, industry, calendar_year
            order by
                is_not_later desc,
                industry_match = 'industry' desc,
                case when is_not_later then report_year else -report_year end desc
        ) as preference
    from candidates
)

select
    platform,
    industry,
    calendar_year,
    benchmark_id,
    benchmark_engagement_rate,
    report_year,
    data_year,
    benchmark_industry,
    statistic,
    source_title,
    benchmark_status,
    case
        when industry_match = 'industry' and is_not_later then 'industry_match'
        when is_not_later then 'all_industries_fallback'
        else 'later_report_fallback'
    end as benchmark_fallback
from ranked
where preference = 1
