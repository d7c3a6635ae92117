-- All platforms' posts in one shape, with the benchmark engagement count of
-- each platform (seed engagement_definitions) and the post's local date.

with facebook as (
    select
        platform,
        account_key,
        post_id,
        published_at,
        published_at_precision,
        post_type,
        permalink,
        reactions,
        cast(null as bigint) as likes,
        comments,
        shares,
        cast(null as bigint) as reposts,
        cast(null as bigint) as replies,
        impressions,
        reach,
        clicks,
        cast(null as bigint) as saves,
        snapshots_seen,
        source_file,
        exported_at,
        built_at
    from {{ ref('stg_facebook__posts') }}
),

instagram as (
    select
        platform,
        account_key,
        post_id,
        published_at,
        published_at_precision,
        post_type,
        permalink,
        cast(null as bigint) as reactions,
        likes,
        comments,
        shares,
        cast(null as bigint) as reposts,
        cast(null as bigint) as replies,
        impressions,
        reach,
        cast(null as bigint) as clicks,
        saves,
        snapshots_seen,
        source_file,
        exported_at,
        built_at
    from {{ ref('stg_instagram__posts') }}
),

x as (
    select
        platform,
        account_key,
        post_id,
        published_at,
        published_at_precision,
        cast(null as varchar) as post_type,
        permalink,
        cast(null as bigint) as reactions,
        likes,
        cast(null as bigint) as comments,
        cast(null as bigint) as shares,
        reposts,
        replies,
        impressions,
        cast(null as bigint) as reach,
        link_clicks as clicks,
        bookmarks as saves,
        snapshots_seen,
        source_file,
        exported_at,
        built_at
    from {{ ref('stg_x__posts') }}
),

linkedin as (
    select
        platform,
        account_key,
        post_id,
        published_at,
        published_at_precision,
        post_type,
        permalink,
        reactions,
        cast(null as bigint) as likes,
        comments,
        cast(null as bigint) as shares,
        reposts,
        cast(null as bigint) as replies,
        impressions,
        cast(null as bigint) as reach,
        clicks,
        cast(null as bigint) as saves,
        snapshots_seen,
        source_file,
        exported_at,
        built_at
    from {{ ref('stg_linkedin__posts') }}
),

unioned as (
    select * from facebook
    union all
    select * from instagram
    union all
    select * from x
    union all
    select * from linkedin
),

definitions as (
    select * from {{ ref('engagement_definitions') }}
),

accounts as (
    select
        account_key,
        organization_id,
        export_time_zone
    from {{ ref('social_accounts') }}
),

counted as (
    select
        unioned.*,
        accounts.organization_id,
        cast({{ utc_to_local('unioned.published_at', 'accounts.export_time_zone') }} as date)
            as published_local_date,
        case
            when definitions.platform is null then null else
                case when definitions.counts_reactions then coalesce(unioned.reactions, 0) else 0 end
                + case when definitions.counts_likes then coalesce(unioned.likes, 0) else 0 end
                + case when definitions.counts_comments then coalesce(unioned.comments, 0) else 0 end
                + case when definitions.counts_shares then coalesce(unioned.shares, 0) else 0 end
                + case when definitions.counts_reposts then coalesce(unioned.reposts, 0) else 0 end
                + case when definitions.counts_replies then coalesce(unioned.replies, 0) else 0 end
        end as engagements
    from unioned
    inner join accounts
        on unioned.account_key = accounts.account_key
    left join definitions
        on unioned.platform = definitions.platform
)

select * from counted
