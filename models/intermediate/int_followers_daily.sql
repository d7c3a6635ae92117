-- Followers per account at the end of each day: the latest recorded total
-- (seed follower_anchors) plus the net follows of every day since it.
-- Facebook, Instagram and LinkedIn exports give new follows only (no
-- unfollows), so between anchors the count drifts upwards; X gives both and
-- YouTube the net change of subscribers, which are exact. TikTok gives the
-- total itself each day: every such day is an anchor. Each new anchor resets
-- the drift. Days before an account's first anchor have no follower figure
-- (null), never zero.

{{ config(
    materialized='incremental' if supports_keyed_delete() else 'table',
    incremental_strategy='delete+insert',
    unique_key='account_key',
    on_schema_change='fail',
) }}

-- Incremental by account: a build recomputes every day of the accounts with
-- follows staged since this table was built, with follows gone (removed
-- exports) or with anchors added, changed or removed; their rows are replaced.

with all_follows as (
    select
        account_key,
        activity_date,
        new_follows,
        unfollows,
        net_follows,
        followers_total,
        built_at
    from {{ ref('stg_social__follows') }}
),

recorded_anchors as (
    select
        account_key,
        recorded_on,
        followers_total
    from {{ ref('follower_anchors') }}
),

all_anchors as (
    -- totals recorded by hand (seed follower_anchors) and totals an export gives
    -- per day (TikTok's follower history); a recorded total wins on its day
    select * from recorded_anchors
    union all
    select
        f.account_key,
        f.activity_date as recorded_on,
        f.followers_total
    from all_follows as f
    where
        f.followers_total is not null
        and not exists (
            select 1
            from recorded_anchors as r
            where r.account_key = f.account_key and r.recorded_on = f.activity_date
        )
),
{%- if is_incremental() %}

changed_accounts as (
    -- accounts with follows staged since this table was built, or follows gone
    {{ changed_keys(ref('stg_social__follows'), ['account_key'], upstream_rows='*',
        this_rows='case when has_follow_data then 1 else 0 end') }}
    union
    select account_key
    from (
        (
            select
                account_key,
                recorded_on,
                followers_total
            from all_anchors
            except
            select
                account_key,
                activity_date,
                anchor_followers_total
            from {{ this }}
            where activity_date = anchor_date
        )
        union all
        (
            select
                account_key,
                activity_date,
                anchor_followers_total
            from {{ this }}
            where activity_date = anchor_date
            except
            select
                account_key,
                recorded_on,
                followers_total
            from all_anchors
        )
    ) as anchor_changes
),
{%- endif %}

follows as (
    select
        account_key,
        activity_date,
        new_follows,
        unfollows,
        -- the day's net change: given (YouTube subscribers), or new minus lost
        coalesce(net_follows, coalesce(new_follows, 0) - coalesce(unfollows, 0)) as net_follows
    from all_follows
    {%- if is_incremental() %}
        where account_key in (select c.account_key from changed_accounts as c)
    {%- endif %}
),

anchors as (
    select
        account_key,
        recorded_on,
        followers_total
    from all_anchors
    {%- if is_incremental() %}
        where account_key in (select c.account_key from changed_accounts as c)
    {%- endif %}
),

bounds as (
    select
        account_key,
        min(day) as first_day,
        max(day) as last_day
    from (
        select
            account_key,
            activity_date as day
        from follows
        union all
        select
            account_key,
            recorded_on as day
        from anchors
    ) as known_days
    group by account_key
),

spine as (
    select
        account_key,
        {{ date_series('first_day', 'last_day', 'interval 1 day') }} as activity_date
    from bounds
),

daily as (
    select
        spine.account_key,
        spine.activity_date,
        follows.new_follows,
        follows.unfollows,
        follows.account_key is not null as has_follow_data,
        coalesce(follows.net_follows, 0) as net_follows,
        anchors.followers_total as anchor_total
    from spine
    left join follows
        on
            spine.account_key = follows.account_key
            and spine.activity_date = follows.activity_date
    left join anchors
        on
            spine.account_key = anchors.account_key
            and spine.activity_date = anchors.recorded_on
),

cumulated as (
    select
        *,
        sum(net_follows) over (
            partition by account_key order by activity_date
            rows between unbounded preceding and current row
        ) as cumulative_net
    from daily
),

anchored as (
    select
        *,
        {{ last_value_ignoring_nulls('case when anchor_total is not null then activity_date end') }} over (
            partition by account_key order by activity_date
            rows between unbounded preceding and current row
        ) as anchor_date,
        {{ last_value_ignoring_nulls('anchor_total') }} over (
            partition by account_key order by activity_date
            rows between unbounded preceding and current row
        ) as latest_anchor_total,
        {{ last_value_ignoring_nulls('case when anchor_total is not null then cumulative_net end') }} over (
            partition by account_key order by activity_date
            rows between unbounded preceding and current row
        ) as cumulative_net_at_anchor
    from cumulated
)

select
    account_key,
    activity_date,
    new_follows,
    unfollows,
    net_follows,
    has_follow_data,
    anchor_date,
    latest_anchor_total as anchor_followers_total,
    coalesce(anchor_total, latest_anchor_total + cumulative_net - cumulative_net_at_anchor) as followers_end_of_day,
    sum(case when has_follow_data then 0 else 1 end) over (
        partition by account_key, anchor_date order by activity_date
        rows between unbounded preceding and current row
    ) as days_without_follow_data_since_anchor,
    {{ build_time() }} as built_at
from anchored
