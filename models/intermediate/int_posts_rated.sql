-- One row per staged post with its organisation, its local publication date,
-- its benchmark engagement count (seed engagement_definitions), the follower
-- figure it is rated against and its rates. fct_posts publishes it.

{{ config(
    materialized='incremental' if supports_keyed_delete() else 'table',
    incremental_strategy='delete+insert',
    unique_key=['platform', 'post_id'],
    on_schema_change='fail',
    post_hook=["{{ delete_vanished_posts() }}"] if supports_keyed_delete() else [],
) }}

-- Incremental: a build recomputes only the posts re-snapshotted in staging since
-- this table was built, and the posts whose follower figure or organisation
-- changed (new follows, a new anchor, an account moved); posts no longer in
-- staging (their exports were removed) are deleted by the post-hook.

with staged as (
    select * from {{ ref('stg_social__posts') }}
),

accounts as (
    select
        account_key,
        organization_id,
        export_time_zone
    from {{ ref('social_accounts') }}
),

definitions as (
    select * from {{ ref('engagement_definitions') }}
),

followers as (
    select
        account_key,
        activity_date,
        followers_end_of_day,
        anchor_date
    from {{ ref('int_followers_daily') }}
),

{%- if is_incremental() %}

changed as (
    -- reads the model, not the staged CTE: a CTE read twice is materialised whole
    {{ changed_keys(ref('stg_social__posts'), ['platform', 'post_id']) }}
    union
    select
        t.platform,
        t.post_id
    from {{ this }} as t
    left join accounts as a
        on t.account_key = a.account_key
    where t.organization_id is distinct from a.organization_id
    union
    -- follower figures: the days int_followers_daily wrote since this table was
    -- built (it rewrites an account's days only from the first changed one), where
    -- the figure differs
    select
        t.platform,
        t.post_id
    from {{ this }} as t
    inner join {{ ref('int_followers_daily') }} as f
        on
            t.account_key = f.account_key
            and f.activity_date = t.published_local_date - 1
    where
        f.built_at > {{ watermark() }}
        and (
            t.followers_at_post is distinct from cast(f.followers_end_of_day as bigint)
            or t.followers_anchor_date is distinct from f.anchor_date
        )
    union
    -- and posts with a figure whose day is no longer inside the account's days (their
    -- exports were removed), or whose account has no day any more
    select
        t.platform,
        t.post_id
    from {{ this }} as t
    left join (
        select
            account_key,
            min(activity_date) as first_day,
            max(activity_date) as last_day
        from {{ ref('int_followers_daily') }}
        group by account_key
    ) as spans
        on t.account_key = spans.account_key
    where
        (t.followers_at_post is not null or t.followers_anchor_date is not null)
        and (
            spans.account_key is null
            or t.published_local_date - 1 < spans.first_day
            or t.published_local_date - 1 > spans.last_day
        )
),
{%- endif %}

counted as (
    select
        staged.*,
        accounts.organization_id,
        cast({{ utc_to_local('staged.published_at', 'accounts.export_time_zone') }} as date)
            as published_local_date,
        {{ engagement_count('staged', 'definitions') }} as engagements
    from staged
    inner join accounts
        on staged.account_key = accounts.account_key
    left join definitions
        on staged.platform = definitions.platform
    {%- if is_incremental() %}
    -- a join, not `(platform, post_id) in (...)`: DuckDB filtered that only after
    -- converting every staged post's time (4 to 6 s at 10M posts with nothing
    -- changed, against 1.3 s as a join); `changed` is a union, so a key joins once
    inner join changed
        on
            staged.platform = changed.platform
            and staged.post_id = changed.post_id
    {%- endif %}
),

rated as (
    select
        counted.*,
        -- the day before publication: the day's own follows cannot be split by hour
        followers.followers_end_of_day as followers_at_post,
        followers.anchor_date as followers_anchor_date
    from counted
    left join followers
        on
            counted.account_key = followers.account_key
            and followers.activity_date = counted.published_local_date - 1
)

select
    post_id,
    platform,
    account_key,
    organization_id,
    published_at,
    published_at_precision,
    published_local_date,
    post_type,
    permalink,
    reactions,
    likes,
    comments,
    shares,
    reposts,
    replies,
    clicks,
    saves,
    impressions,
    reach,
    video_views,
    engagements,
    cast(followers_at_post as bigint) as followers_at_post,
    followers_anchor_date,
    {{ safe_divide('engagements', 'followers_at_post') }} as engagement_rate_by_followers,
    {{ safe_divide('engagements', 'impressions') }} as engagement_rate_by_impressions,
    {{ safe_divide('engagements', 'reach') }} as engagement_rate_by_reach,
    {{ safe_divide('engagements', 'video_views') }} as engagement_rate_by_views,
    snapshots_seen,
    source_file,
    exported_at,
    {{ build_time() }} as built_at
from rated
