{%- macro build_time() -%}
    {#- Start of this dbt invocation: stamps the rows a model (re)writes, so the next
        incremental model knows what changed since it was last built. -#}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
{%- endmacro -%}

{%- macro delete_vanished_posts() -%}
    {#- int_posts_rated post-hook: posts without a staged snapshot any more (their exports
        were removed from the landing folder) leave the mart. After the incremental
        insert the mart holds every staged post, so equal row counts mean nothing
        vanished and the anti-join over every post is skipped. -#}
    {%- set staged = ref('stg_social__posts') -%}
    {{ return(delete_matching_rows(
        "not exists (select 1 from " ~ staged ~ " as p"
            ~ " where p.platform = t.platform and p.post_id = t.post_id)",
        'no post vanished',
        check="select (select count(*) from " ~ this ~ ") - (select count(*) from " ~ staged ~ ")")) }}
{%- endmacro -%}

{%- macro delete_matching_rows(condition, none_left, check=none) -%}
    {#-
        A post-hook's delete from this model (alias `t`) of the rows meeting
        `condition`, run only when a select finds one: DuckDB's delete visits and
        locks every row it scans even when none matches, several times the cost of
        the select (at 10M posts, 1.6 s against 0.3 s for removed exports and 1.0 s
        against 0.2 s for connector rows, in a build that removed nothing).
        `none_left`: what the statement says when nothing matched; `check`: a
        cheaper query counting what would match (default: count the condition).
    -#}
    {%- if execute -%}
        {%- set matching = run_query(
            check or "select count(*) from " ~ this ~ " as t where (" ~ condition ~ ")"
        ).columns[0].values()[0] -%}
    {%- else -%}
        {%- set matching = 1 -%}
    {%- endif -%}
    {%- if matching == 0 -%}
        select '{{ none_left }}' as post_hook
    {%- else -%}
        delete from {{ this }} as t
        where ({{ condition }})
    {%- endif -%}
{%- endmacro -%}

{%- macro delete_days_out_of_bounds() -%}
    {#- int_followers_daily post-hook: the days no longer inside an account's span
        (first to last day with follows or an anchor) leave the model, and so do
        accounts with neither (their exports were removed). An incremental build
        rewrites only the days from the first changed one, so it cannot delete
        them itself. -#}
    {%- set spans -%}
        (
            select
                d.account_key,
                min(d.day) as first_day,
                max(d.day) as last_day
            from (
                select f.account_key, f.activity_date as day from {{ ref('stg_social__follows') }} as f
                union all
                select a.account_key, a.recorded_on as day from {{ ref('follower_anchors') }} as a
            ) as d
            group by d.account_key
        )
    {%- endset -%}
    {#- the count joins the spans (0.02 s at 10M posts); `not exists` with a range
        took 0.5 to 0.8 s -#}
    {{ return(delete_matching_rows(
        "not exists (select 1 from " ~ spans ~ " as s where s.account_key = t.account_key"
            ~ " and t.activity_date between s.first_day and s.last_day)",
        'every day inside its span',
        check="select count(*) from " ~ this ~ " as t left join " ~ spans ~ " as s"
            ~ " on s.account_key = t.account_key where s.account_key is null"
            ~ " or t.activity_date < s.first_day or t.activity_date > s.last_day")) }}
{%- endmacro -%}

{%- macro delete_accounts_without_posts() -%}
    {#- int_engagement_monthly post-hook: accounts left with no rated post (their
        exports were removed) leave the model. Distinct accounts are compared first:
        0.02 s at 10M posts, where the row-by-row `not in` took 0.6 to 0.9 s. -#}
    {%- set posted = "(select distinct p.account_key from " ~ ref('int_posts_rated') ~ " as p)" -%}
    {{ return(delete_matching_rows(
        "t.account_key not in " ~ posted,
        'every account has posts',
        check="select count(*) from (select distinct account_key from " ~ this
            ~ ") as t where t.account_key not in " ~ posted)) }}
{%- endmacro -%}

{%- macro delete_quarters_without_posts() -%}
    {#- int_posts_quarterly post-hook: account quarters left with no rated post (their
        exports were removed). After the incremental insert every other row holds
        the exact count of its posts, so equal totals mean there is none. -#}
    {%- set posts = ref('int_posts_rated') -%}
    {{ return(delete_matching_rows(
        "not exists (select 1 from " ~ posts ~ " as p where p.account_key = t.account_key"
            ~ " and cast(date_trunc('quarter', p.published_local_date) as date) = t.quarter_start)",
        'every quarter has posts',
        check="select (select coalesce(sum(posts), 0) from " ~ this ~ ") - (select count(*) from "
            ~ posts ~ ")")) }}
{%- endmacro -%}

{%- macro watermark() -%}
    {#- The start of the last build that wrote rows into this model (incremental runs). -#}
    (select coalesce(max(w.built_at), timestamp '1900-01-01') from {{ this }} as w)
{%- endmacro -%}

{%- macro changed_keys(upstream, keys, upstream_rows=none, this_rows=none) -%}
    {#-
        The keys an incremental model must recompute: keys with rows written to
        `upstream` since this model was last built (its built_at watermark) and,
        with `upstream_rows`/`this_rows`, keys whose row count differs between
        `upstream` (count of `upstream_rows` rows, e.g. `*`) and this model (sum
        of `this_rows`), which is how rows removed upstream are noticed. Models
        add their own reasons (a new anchor, a changed follower figure) with
        `union`. `keys`: list of column names.
    -#}
    select {{ keys | join(', ') }}
    from {{ upstream }}
    where built_at > {{ watermark() }}
    {%- if upstream_rows %}
    union
    select
        {%- for key in keys %}
        coalesce(upstream_counts.{{ key }}, this_counts.{{ key }}) as {{ key }}{{ "," if not loop.last }}
        {%- endfor %}
    from (
        select
            {{ keys | join(', ') }},
            count({{ upstream_rows }}) as row_count
        from {{ upstream }}
        group by {{ keys | join(', ') }}
    ) as upstream_counts
    full outer join (
        select
            {{ keys | join(', ') }},
            sum({{ this_rows }}) as row_count
        from {{ this }}
        group by {{ keys | join(', ') }}
    ) as this_counts
        on
        {%- for key in keys %}
            upstream_counts.{{ key }} = this_counts.{{ key }}{{ " and" if not loop.last }}
        {%- endfor %}
    where upstream_counts.row_count is distinct from this_counts.row_count
    {%- endif %}
{%- endmacro -%}
