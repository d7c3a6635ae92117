-- One row per organisation, platform and quarter: the evidence over the
-- trailing four quarters (engagement index and its trend, posting frequency,
-- follower growth, cost per engagement and per thousand impressions against
-- the organisation's other platforms, coverage) and a verdict - keep, improve,
-- review (consider leaving) or insufficient_data - with its reasons in words.
-- Every threshold is a row of seed platform_review_rules.

with quarters as (
    select * from {{ ref('int_platform_quarters_measured') }}
),

rules as (
    select
        max(case when rule_id = 'min_months_with_data' then threshold end) as min_months_with_data,
        max(case when rule_id = 'min_posts' then threshold end) as min_posts,
        max(case when rule_id = 'max_share_posts_without_followers' then threshold end)
            as max_share_posts_without_followers,
        max(case when rule_id = 'keep_min_engagement_index' then threshold end)
            as keep_min_engagement_index,
        max(case when rule_id = 'review_max_engagement_index' then threshold end)
            as review_max_engagement_index,
        max(case when rule_id = 'review_min_quarters_below' then threshold end)
            as review_min_quarters_below,
        max(case when rule_id = 'review_min_cost_ratio' then threshold end) as review_min_cost_ratio,
        max(case when rule_id = 'improve_min_posting_frequency_index' then threshold end)
            as improve_min_posting_frequency_index,
        max(case when rule_id = 'falling_trend_slope' then threshold end) as falling_trend_slope,
        max(case when rule_id = 'improve_min_follower_growth' then threshold end)
            as improve_min_follower_growth
    from {{ ref('platform_review_rules') }}
),

windowed as (
    select
        q.organization_id,
        q.platform,
        q.quarter_start,
        q.quarter_label,
        q.engagement_index as quarter_engagement_index,
        q.posts as quarter_posts,
        q.followers_end_of_quarter,
        {{ safe_divide(
            'q.followers_end_of_quarter',
            'lag(q.followers_end_of_quarter) over (partition by q.organization_id, q.platform'
            ~ ' order by q.quarter_number)'
        ) }} - 1 as follower_growth,
        count(*) over w as quarters_in_window,
        sum(q.months_with_data) over w as months_with_data,
        sum(q.posts) over w as posts,
        sum(q.posts_without_followers) over w as posts_without_followers,
        sum(q.engagements) over w as engagements,
        sum(q.impressions) over w as impressions,
        sum(q.engagement_rate_sum) over w as engagement_rate_sum,
        sum(q.benchmark_rate_sum) over w as benchmark_rate_sum,
        sum(q.days_observed) over w as days_observed,
        avg(q.benchmark_posts_per_week) over w as benchmark_posts_per_week,
        sum(q.platform_cost) over w as platform_cost,
        -- one quarter has no slope: null on every engine (DuckDB's regr_slope gives NaN)
        case
            when isnan(regr_slope(q.engagement_index, q.quarter_number) over w) then null
            else regr_slope(q.engagement_index, q.quarter_number) over w
        end as engagement_index_trend,
        sum(
            case when q.engagement_index < rules.review_max_engagement_index then 1 else 0 end
        ) over w as quarters_far_below_benchmark
    from quarters as q
    cross join rules
    window w as (
        partition by q.organization_id, q.platform
        order by q.quarter_number
        range between 3 preceding and current row
    )
),

measured as (
    select
        *,
        {{ safe_divide('engagement_rate_sum', 'benchmark_rate_sum') }} as engagement_index,
        posts * cast(7 as double) / days_observed as posts_per_week,
        {{ safe_divide('posts * cast(7 as double) / days_observed', 'benchmark_posts_per_week') }}
            as posting_frequency_index,
        {{ safe_divide('posts_without_followers', 'posts') }} as share_posts_without_followers,
        {{ safe_divide('platform_cost', 'engagements') }} as cost_per_engagement,
        {{ safe_divide('platform_cost * 1000', 'impressions') }} as cost_per_thousand_impressions
    from windowed
),

peers as (
    -- the organisation's other platforms in the same quarter
    select
        m.organization_id,
        m.platform,
        m.quarter_start,
        {{ median_value('o.cost_per_engagement') }} as peer_median_cost_per_engagement,
        {{ median_value('o.cost_per_thousand_impressions') }}
            as peer_median_cost_per_thousand_impressions
    from measured as m
    inner join measured as o
        on
            m.organization_id = o.organization_id
            and m.quarter_start = o.quarter_start
            and m.platform <> o.platform
    group by all
),

compared as (
    select
        m.*,
        p.peer_median_cost_per_engagement,
        p.peer_median_cost_per_thousand_impressions,
        {{ safe_divide('m.cost_per_engagement', 'p.peer_median_cost_per_engagement') }}
            as cost_per_engagement_ratio,
        {{ safe_divide(
            'm.cost_per_thousand_impressions', 'p.peer_median_cost_per_thousand_impressions'
        ) }} as cost_per_thousand_impressions_ratio
    from measured as m
    left join peers as p
        on
            m.organization_id = p.organization_id
            and m.platform = p.platform
            and m.quarter_start = p.quarter_start
),

flagged as (
    select
        c.*,
        rules.*,
        (
            c.months_with_data < rules.min_months_with_data
            or c.posts < rules.min_posts
            or c.engagement_index is null
            or coalesce(c.platform_cost, 0) = 0
            or c.share_posts_without_followers > rules.max_share_posts_without_followers
        ) as is_insufficient,
        (
            c.quarters_far_below_benchmark >= rules.review_min_quarters_below
            and c.cost_per_engagement_ratio >= rules.review_min_cost_ratio
        ) as is_review,
        coalesce(c.engagement_index < rules.keep_min_engagement_index, false) as is_below_par,
        coalesce(c.engagement_index_trend <= rules.falling_trend_slope, false) as is_falling,
        coalesce(
            c.posting_frequency_index < rules.improve_min_posting_frequency_index, false
        ) as is_posting_rarely,
        coalesce(c.follower_growth < rules.improve_min_follower_growth, false) as is_losing_followers
    from compared as c
    cross join rules
),

worded as (
    select
        *,
        case
            when is_insufficient then 'insufficient_data'
            when is_review then 'review'
            when is_below_par or is_falling or is_posting_rarely or is_losing_followers
                then 'improve'
            else 'keep'
        end as verdict,
        concat_ws(
            '; ',
            case
                when months_with_data < min_months_with_data then
                    'only ' || cast(months_with_data as string)
                    || ' months with posts in the trailing four quarters (a verdict needs '
                    || cast(cast(min_months_with_data as integer) as string) || ')'
            end,
            case
                when posts < min_posts then
                    'only ' || cast(posts as string) || ' posts in the trailing four quarters (a verdict needs '
                    || cast(cast(min_posts as integer) as string) || ')'
            end,
            case
                when engagement_index is null then
                    'no published engagement benchmark for ' || platform
            end,
            case
                when coalesce(platform_cost, 0) = 0 then
                    'no social cost recorded for the organisation in these quarters'
            end,
            case
                when share_posts_without_followers > max_share_posts_without_followers then
                    cast(round(share_posts_without_followers * 100) as string)
                    || ' % of the posts have no follower figure'
            end
        ) as insufficient_reasons,
        concat_ws(
            '; ',
            case
                when is_review then
                    'engagement below ' || cast(review_max_engagement_index as string)
                    || 'x the benchmark in ' || cast(quarters_far_below_benchmark as string)
                    || ' of the trailing four quarters while costing '
                    || cast(round(cost_per_engagement_ratio, 1) as string)
                    || 'x the organisation' || chr(39) || 's median per engagement on its other platforms'
            end,
            case
                when is_below_par then
                    'engagement at ' || cast(round(engagement_index, 2) as string)
                    || 'x the benchmark over the trailing four quarters (on par from '
                    || cast(keep_min_engagement_index as string) || 'x)'
            end,
            case
                when is_falling then
                    'engagement index falling by ' || cast(round(-engagement_index_trend, 2) as string)
                    || ' a quarter'
            end,
            case
                when is_posting_rarely then
                    'posting ' || cast(round(posts_per_week, 1) as string) || ' times a week against a typical '
                    || cast(round(benchmark_posts_per_week, 1) as string)
            end,
            case
                when is_losing_followers then
                    'followers fell ' || cast(round(-follower_growth * 100, 1) as string)
                    || ' % over the quarter'
            end
        ) as concern_reasons
    from flagged
)

select
    organization_id,
    platform,
    quarter_start,
    quarter_label,
    cast(quarters_in_window as bigint) as quarters_in_window,
    cast(months_with_data as bigint) as months_with_data,
    cast(posts as bigint) as posts,
    cast(posts_without_followers as bigint) as posts_without_followers,
    share_posts_without_followers,
    cast(engagements as bigint) as engagements,
    cast(impressions as bigint) as impressions,
    engagement_index,
    quarter_engagement_index,
    engagement_index_trend,
    cast(quarters_far_below_benchmark as bigint) as quarters_far_below_benchmark,
    posts_per_week,
    benchmark_posts_per_week,
    posting_frequency_index,
    cast(followers_end_of_quarter as bigint) as followers_end_of_quarter,
    follower_growth,
    round(platform_cost, 2) as platform_cost,
    cost_per_engagement,
    peer_median_cost_per_engagement,
    cost_per_engagement_ratio,
    cost_per_thousand_impressions,
    peer_median_cost_per_thousand_impressions,
    cost_per_thousand_impressions_ratio,
    verdict,
    case verdict
        when 'insufficient_data' then insufficient_reasons
        when 'keep'
            then
                'engagement at ' || cast(round(engagement_index, 2) as string)
                || 'x the benchmark over the trailing four quarters, not falling'
                || coalesce(
                    ', posting ' || cast(round(posts_per_week, 1) as string)
                    || ' times a week against a typical '
                    || cast(round(benchmark_posts_per_week, 1) as string),
                    ''
                )
                || coalesce(
                    ', followers ' || case when follower_growth >= 0 then 'up ' else 'down ' end
                    || cast(round(abs(follower_growth) * 100, 1) as string) || ' % over the quarter',
                    ''
                )
        else concern_reasons
    end as verdict_reasons
from worded
