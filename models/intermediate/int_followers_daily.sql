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
    unique_key=['account_key', 'activity_date'],
    on_schema_change='fail',
    post_hook=["{{ delete_days_out_of_bounds() }}"] if supports_keyed_delete() else [],
) }}

-- Incremental by account and day: a build recomputes an account's days from its
-- first changed day on (the first day of follows staged since this table was
-- built, of follows gone because their exports were removed, or of an anchor
-- added, changed or removed; at the latest the day after the last day held),
-- carrying on from the day before it (its followers, anchor and days without
-- data). Earlier days are left as they are, so the models downstream see only
-- the recomputed days as new. The post-hook deletes the days no longer inside an
-- account's span.

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

held_anchors as (
    select
        account_key,
        activity_date as recorded_on,
        anchor_followers_total as followers_total
    from {{ this }}
    where activity_date = anchor_date
),

changes as (
    -- follows staged since this table was built
    select
        account_key,
        min(activity_date) as changed_from
    from all_follows
    where built_at > {{ watermark() }}
    group by account_key
    union all
    -- days whose follows are gone (their exports were removed)
    select
        account_key,
        min(activity_date) as changed_from
    from (
        select
            account_key,
            activity_date
        from {{ this }}
        where has_follow_data
        except
        select
            account_key,
            activity_date
        from all_follows
    ) as gone
    group by account_key
    union all
    -- anchors added, changed or removed
    select
        account_key,
        min(recorded_on) as changed_from
    from (
        (select * from all_anchors except select * from held_anchors)
        union all
        (select * from held_anchors except select * from all_anchors)
    ) as anchor_changes
    group by account_key
),

changed_accounts as (
    -- from the first changed day, at the latest the day after the last day held
    -- (the days between are filled in); an account this table lacks has every
    -- day changed, so it starts at its first day
    select
        changes.account_key,
        least(min(changes.changed_from), max(held.last_day) + 1) as recompute_from
    from changes
    left join (
        select
            account_key,
            max(activity_date) as last_day
        from {{ this }}
        group by account_key
    ) as held
        on changes.account_key = held.account_key
    group by changes.account_key
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
    -- each account's span, and the first day to compute
    select
        known_days.account_key,
        min(known_days.day) as first_day,
        max(known_days.day) as last_day,
        greatest(
            min(known_days.day),
            coalesce({{ 'max(c.recompute_from)' if is_incremental() else 'null' }}, min(known_days.day))
        ) as start_day
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
    {%- if is_incremental() %}
    inner join changed_accounts as c
        on known_days.account_key = c.account_key
    {%- endif %}
    group by known_days.account_key
),

{%- if is_incremental() %}

carried_in as (
    -- the day before the first computed day, as this table holds it (none when the
    -- account's span starts there: days before it are gone)
    select
        t.account_key,
        t.followers_end_of_day,
        t.anchor_date,
        t.anchor_followers_total,
        t.days_without_follow_data_since_anchor
    from {{ this }} as t
    inner join bounds
        on
            t.account_key = bounds.account_key
            and t.activity_date = bounds.start_day - 1
    where bounds.start_day > bounds.first_day
),
{%- endif %}

spine as (
    select
        account_key,
        {{ date_series('start_day', 'last_day', 'interval 1 day') }} as activity_date
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
        anchors.followers_total as anchor_total,
        -- carried in from the day before (a full build starts from nothing)
        {{ 'carried_in.followers_end_of_day' if is_incremental() else 'cast(null as bigint)' }}
            as carried_followers,
        {{ 'carried_in.anchor_date' if is_incremental() else 'cast(null as date)' }}
            as carried_anchor_date,
        {{ 'carried_in.anchor_followers_total' if is_incremental() else 'cast(null as bigint)' }}
            as carried_anchor_total,
        coalesce({{ 'carried_in.days_without_follow_data_since_anchor' if is_incremental() else 'null' }}, 0)
            as carried_days_without_follow_data
    from spine
    left join follows
        on
            spine.account_key = follows.account_key
            and spine.activity_date = follows.activity_date
    left join anchors
        on
            spine.account_key = anchors.account_key
            and spine.activity_date = anchors.recorded_on
    {%- if is_incremental() %}
    left join carried_in
        on spine.account_key = carried_in.account_key
    {%- endif %}
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
    -- the latest anchor among the computed days (none: the carried one holds)
    select
        *,
        {{ last_value_ignoring_nulls('case when anchor_total is not null then activity_date end') }} over (
            partition by account_key order by activity_date
            rows between unbounded preceding and current row
        ) as computed_anchor_date,
        {{ last_value_ignoring_nulls('anchor_total') }} over (
            partition by account_key order by activity_date
            rows between unbounded preceding and current row
        ) as computed_anchor_total,
        {{ last_value_ignoring_nulls('case when anchor_total is not null then cumulative_net end') }} over (
            partition by account_key order by activity_date
            rows between unbounded preceding and current row
        ) as cumulative_net_at_anchor
    from cumulated
),

carried as (
    select
        *,
        coalesce(computed_anchor_date, carried_anchor_date) as anchor_date,
        coalesce(computed_anchor_total, carried_anchor_total) as anchor_followers_total,
        coalesce(
            anchor_total,
            computed_anchor_total + cumulative_net - cumulative_net_at_anchor,
            carried_followers + cumulative_net
        ) as followers_end_of_day
    from anchored
)

select
    account_key,
    activity_date,
    new_follows,
    unfollows,
    net_follows,
    has_follow_data,
    anchor_date,
    anchor_followers_total,
    followers_end_of_day,
    sum(case when has_follow_data then 0 else 1 end) over (
        partition by account_key, anchor_date order by activity_date
        rows between unbounded preceding and current row
    ) + case when computed_anchor_date is null then carried_days_without_follow_data else 0 end
        as days_without_follow_data_since_anchor,
    {{ build_time() }} as built_at
from carried
