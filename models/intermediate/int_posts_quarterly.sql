-- One row per account and quarter (of the posts' local publication dates) with
-- rated posts: the post facts the maturity indicators need, so that
-- int_maturity_inputs_observed reads some thousands of rows, not every post.

{{ config(
    materialized='incremental' if supports_keyed_delete() else 'table',
    incremental_strategy='delete+insert',
    unique_key=['account_key', 'quarter_start'],
    on_schema_change='fail',
    post_hook=["{{ delete_quarters_without_posts() }}"] if supports_keyed_delete() else [],
) }}

-- Incremental by account and quarter: a build recomputes the quarters with posts
-- rewritten in int_posts_rated since this table was built, or whose post count
-- differs (posts removed); quarters left with no post are deleted by the post-hook.

with posts as (
    select
        account_key,
        organization_id,
        platform,
        cast(date_trunc('quarter', published_local_date) as date) as quarter_start,
        cast(date_trunc('week', published_local_date) as date) as week_start,
        comments,
        replies,
        engagements
    from {{ ref('int_posts_rated') }}
),

{%- if is_incremental() %}

changed as (
    -- reads the model, not the posts CTE: a CTE read twice is materialised whole
    select distinct
        account_key,
        cast(date_trunc('quarter', published_local_date) as date) as quarter_start
    from {{ ref('int_posts_rated') }}
    where built_at > {{ watermark() }}
    union
    select
        coalesce(upstream_counts.account_key, this_counts.account_key) as account_key,
        coalesce(upstream_counts.quarter_start, this_counts.quarter_start) as quarter_start
    from (
        select
            account_key,
            cast(date_trunc('quarter', published_local_date) as date) as quarter_start,
            count(*) as posts
        from {{ ref('int_posts_rated') }}
        group by all
    ) as upstream_counts
    full outer join {{ this }} as this_counts
        on
            upstream_counts.account_key = this_counts.account_key
            and upstream_counts.quarter_start = this_counts.quarter_start
    where upstream_counts.posts is distinct from this_counts.posts
),
{%- endif %}

recomputed as (
    select posts.*
    from posts
    {%- if is_incremental() %}
    inner join changed
        on
            posts.account_key = changed.account_key
            and posts.quarter_start = changed.quarter_start
    {%- endif %}
)

select
    account_key,
    quarter_start,
    -- an account belongs to one organisation and one platform (int_posts_rated
    -- rewrites its posts when it moves)
    max(organization_id) as organization_id,
    max(platform) as platform,
    count(*) as posts,
    count(distinct week_start) as weeks_with_posts,
    sum(coalesce(comments, 0) + coalesce(replies, 0)) as conversations,
    sum(engagements) as engagements,
    {{ build_time() }} as built_at
from recomputed
group by account_key, quarter_start
