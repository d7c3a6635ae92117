{%- macro build_time() -%}
    {#- Start of this dbt invocation: stamps the rows a model (re)writes, so the next
        incremental model knows what changed since it was last built. -#}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
{%- endmacro -%}

{%- macro delete_vanished_posts() -%}
    {#- fct_posts post-hook: posts without a staged snapshot any more (their exports
        were removed from the landing folder) leave the mart. After the incremental
        insert the mart holds every staged post, so equal row counts mean nothing
        vanished and the anti-join over every post is skipped. -#}
    {%- set staged = ref('int_posts_unioned') -%}
    {%- if execute -%}
        {%- set counts = run_query(
            "select (select count(*) from " ~ this ~ ") - (select count(*) from " ~ staged ~ ")"
        ).columns[0].values()[0] -%}
    {%- else -%}
        {%- set counts = 1 -%}
    {%- endif -%}
    {%- if counts == 0 -%}
        select 'no post vanished' as fct_posts_post_hook
    {%- else -%}
        delete from {{ this }} as t
        where not exists (
            select 1
            from {{ staged }} as p
            where p.platform = t.platform and p.post_id = t.post_id
        )
    {%- endif -%}
{%- endmacro -%}

{%- macro watermark() -%}
    {#- The start of the last build that wrote rows into this model (incremental runs). -#}
    (select coalesce(max(w.built_at), timestamp '1900-01-01') from {{ this }} as w)
{%- endmacro -%}
