-- fct_platform_reviews reads every threshold by name from seed
-- platform_review_rules: a missing row would silently leave a rule null.
{{ config(
    severity='error',
    meta={'steward_action': "Add the missing rule (see docs/platform_review.md) to seeds/review/platform_review_rules.csv."}
) }}

with expected as (
    select t.rule_id
    from (
        values
        ('min_months_with_data'),
        ('min_posts'),
        ('max_share_posts_without_followers'),
        ('keep_min_engagement_index'),
        ('review_max_engagement_index'),
        ('review_min_quarters_below'),
        ('review_min_cost_ratio'),
        ('improve_min_posting_frequency_index'),
        ('falling_trend_slope'),
        ('improve_min_follower_growth')
    ) as t (rule_id)
)

select expected.rule_id
from expected
left join {{ ref('platform_review_rules') }} as rules
    on expected.rule_id = rules.rule_id
where rules.rule_id is null
