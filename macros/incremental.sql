{%- macro build_time() -%}
    {#- Start of this dbt invocation: stamps the rows a model (re)writes, so the next
        incremental model knows what changed since it was last built. -#}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as timestamp)
{%- endmacro -%}

{%- macro delete_vanished_posts() -%}
    {#- fct_posts post-hook: posts without a staged snapshot any more (their exports
        were removed from the landing folder) leave the mart. -#}
    delete from {{ this }} as t
    where not exists (
        select 1
        from {{ ref('int_posts_unioned') }} as p
        where p.platform = t.platform and p.post_id = t.post_id
    )
{%- endmacro -%}

{%- macro watermark() -%}
    {#- The start of the last build that wrote rows into this model (incremental runs). -#}
    (select coalesce(max(w.built_at), timestamp '1900-01-01') from {{ this }} as w)
{%- endmacro -%}
