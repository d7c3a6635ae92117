"""Small connector-synced tables, written from the connectors' documented schemas.

The tables look like what Fivetran's Facebook Pages, Instagram Business and Twitter Organic
connectors write into a destination (table and column names and types as their schemas and
open dbt packages document them, with the `_fivetran_synced` sync time and the
`_fivetran_deleted` soft-delete flag), for one made-up credit union, Lakeside, whose team
syncs its accounts instead of downloading exports. The rows are our own:

- Instagram: a carousel synced three times (its likes grow 100 -> 150 -> 180: the latest
  sync is its total, never the sum), an image synced once, a post deleted on Instagram
  (its history row is marked deleted), and two posts also in a downloaded export (one
  synced after the download, one before); follower totals synced on three days.
- Facebook: one post synced twice, with the page's daily figures; its
  `lifetime_post_metrics_total` lacks two documented reaction columns (schema drift of
  optional columns, read as missing terms of the reactions sum).
- X: one tweet synced twice and one tweet of an account nobody registered (quarantined);
  follower totals synced on two days.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

DATABASE_ALIAS = "fivetran"  # how the warehouse attaches the file (var connector_duckdb_files)

ORGANIZATION = "lakeside_cu"
IG_USER = 17841400000000101
FB_PAGE = "200000000000101"
X_USER = 3000000101
X_UNKNOWN_USER = 3000000999

# rows appended to the project's seeds: the organisation and its accounts (no anchors: the
# connectors' follower history gives them)
SEED_ROWS = {
    "seeds/organizations/organizations.csv": [
        f"{ORGANIZATION},Lakeside Community Credit Union,credit_union,Financial Services,US,USD,"
        "false",
    ],
    "seeds/organizations/social_accounts.csv": [
        f"lakeside_ig,{ORGANIZATION},instagram,lakesidecu,{IG_USER},marketing,America/Chicago,"
        "en_US,2016-04-01",
        f"lakeside_fb,{ORGANIZATION},facebook,LakesideCU,{FB_PAGE},marketing,America/Chicago,"
        "en_US,2012-04-01",
        f"lakeside_x,{ORGANIZATION},x,LakesideCU,{X_USER},customer_care,America/Chicago,en_US,"
        "2013-04-01",
    ],
}

CAROUSEL = "179000000000000101"
IMAGE = "179000000000000102"
DELETED = "179000000000000103"
BOTH_CONNECTOR_LATER = "179000000000000104"
BOTH_EXPORT_LATER = "179000000000000105"
FB_POST = f"{FB_PAGE}_300000000000101"
TWEET = "1890000000000000101"
TWEET_UNKNOWN = "1890000000000000102"

# the Instagram "Posts" export of the same account, downloaded on 2026-02-26 (America/Chicago
# local times); two of its posts are also synced by the connector
EXPORT_DOWNLOADED_AT = 1_772_107_200.0  # 2026-02-26 12:00 UTC
EXPORT = (
    "\ufeffPost ID,Account ID,Account username,Account name,Description,Duration (sec),"
    "Publish time,Permalink,Post type,Data comment,Date,Views,Reach,Likes,Shares,Follows,"
    "Comments,Saves\n"
    f"{BOTH_CONNECTOR_LATER},{IG_USER},lakesidecu,Lakeside CU,Spring savings,0,"
    "02/18/2026 09:00,https://www.instagram.com/p/L104/,IG image,,Lifetime,900,800,60,1,0,3,2\n"
    f"{BOTH_EXPORT_LATER},{IG_USER},lakesidecu,Lakeside CU,Branch opening,0,"
    "02/19/2026 09:00,https://www.instagram.com/p/L105/,IG image,,Lifetime,700,650,44,0,0,6,1\n"
)

TABLES = {
    "instagram_business.media_history": """
        create table instagram_business.media_history (
            _fivetran_id varchar, _fivetran_synced timestamp with time zone,
            _fivetran_deleted boolean, caption varchar, carousel_album_id bigint,
            created_time timestamp with time zone, id bigint, ig_id bigint,
            is_comment_enabled boolean, is_story boolean, media_type varchar,
            media_url varchar, permalink varchar, shortcode varchar, thumbnail_url varchar,
            user_id bigint, username varchar
        )""",
    "instagram_business.media_insights": """
        create table instagram_business.media_insights (
            _fivetran_id varchar, _fivetran_synced timestamp with time zone,
            carousel_album_engagement bigint, carousel_album_impressions bigint,
            carousel_album_reach bigint, carousel_album_saved bigint,
            comment_count bigint, id bigint, like_count bigint,
            video_photo_engagement bigint, video_photo_impressions bigint,
            video_photo_reach bigint, video_photo_saved bigint, video_views bigint
        )""",
    "instagram_business.user_history": """
        create table instagram_business.user_history (
            _fivetran_id varchar, _fivetran_synced timestamp with time zone,
            followers_count bigint, follows_count bigint, id bigint, ig_id bigint,
            media_count bigint, name varchar, username varchar, website varchar
        )""",
    "facebook_pages.post_history": """
        create table facebook_pages.post_history (
            _fivetran_synced timestamp with time zone, _fivetran_deleted boolean,
            allowed_advertising_objects varchar, created_time timestamp with time zone,
            id varchar, is_eligible_for_promotion boolean, is_hidden boolean,
            is_instagram_eligible boolean, is_published boolean, message varchar,
            page_id varchar, parent_id varchar, promotable_id varchar, share_count bigint,
            status_type varchar, updated_time timestamp with time zone
        )""",
    # documented but absent here: post_reactions_sorry_total, post_reactions_anger_total
    "facebook_pages.lifetime_post_metrics_total": """
        create table facebook_pages.lifetime_post_metrics_total (
            _fivetran_synced timestamp with time zone, date timestamp,
            post_clicks bigint, post_engaged_fan bigint, post_engaged_users bigint,
            post_id varchar, post_impressions bigint, post_impressions_organic bigint,
            post_impressions_paid bigint, post_reactions_haha_total bigint,
            post_reactions_like_total bigint, post_reactions_love_total bigint,
            post_reactions_wow_total bigint, post_video_views bigint
        )""",
    "facebook_pages.daily_page_metrics_total": """
        create table facebook_pages.daily_page_metrics_total (
            _fivetran_synced timestamp with time zone, date timestamp,
            page_fan_adds bigint, page_fan_removes bigint, page_fans bigint,
            page_id varchar, page_impressions bigint, page_post_engagements bigint,
            page_views_total bigint
        )""",
    "twitter_organic.tweet": """
        create table twitter_organic.tweet (
            _fivetran_synced timestamp with time zone, _fivetran_deleted boolean,
            account_id varchar, created_at timestamp with time zone, favorite_count bigint,
            full_text varchar, id bigint, in_reply_to_status_id bigint, lang varchar,
            retweet_count bigint, source varchar, truncated boolean, tweet_type varchar,
            user_id bigint
        )""",
    "twitter_organic.twitter_user_history": """
        create table twitter_organic.twitter_user_history (
            _fivetran_synced timestamp with time zone, created_at timestamp with time zone,
            description varchar, followers_count bigint, id bigint, location varchar,
            name varchar, screen_name varchar
        )""",
}

ROWS = {
    "instagram_business.media_history": [
        # (_fivetran_id, synced, deleted, caption, carousel_album_id, created_time, id, ig_id,
        #  comments on, story, media_type, media_url, permalink, shortcode, thumbnail, user, name)
        (
            "h1",
            "2026-02-11 06:00:00+00",
            False,
            "Five ways to save",
            None,
            "2026-02-10 15:00:00+00",
            CAROUSEL,
            None,
            True,
            False,
            "CAROUSEL_ALBUM",
            None,
            "https://www.instagram.com/p/L101/",
            "L101",
            None,
            IG_USER,
            "lakesidecu",
        ),
        (
            "h2",
            "2026-03-01 06:00:00+00",
            False,
            "Five ways to save (edited)",
            None,
            "2026-02-10 15:00:00+00",
            CAROUSEL,
            None,
            True,
            False,
            "CAROUSEL_ALBUM",
            None,
            "https://www.instagram.com/p/L101/",
            "L101",
            None,
            IG_USER,
            "lakesidecu",
        ),
        (
            "h3",
            "2026-03-01 06:00:00+00",
            False,
            "Our new app",
            None,
            "2026-02-15 11:00:00+00",
            IMAGE,
            None,
            True,
            False,
            "IMAGE",
            None,
            "https://www.instagram.com/p/L102/",
            "L102",
            None,
            IG_USER,
            "lakesidecu",
        ),
        (
            "h4",
            "2026-02-21 06:00:00+00",
            False,
            "Oops",
            None,
            "2026-02-20 12:00:00+00",
            DELETED,
            None,
            True,
            False,
            "IMAGE",
            None,
            "https://www.instagram.com/p/L103/",
            "L103",
            None,
            IG_USER,
            "lakesidecu",
        ),
        (
            "h5",
            "2026-02-25 06:00:00+00",
            True,
            "Oops",
            None,
            "2026-02-20 12:00:00+00",
            DELETED,
            None,
            True,
            False,
            "IMAGE",
            None,
            "https://www.instagram.com/p/L103/",
            "L103",
            None,
            IG_USER,
            "lakesidecu",
        ),
        (
            "h6",
            "2026-03-01 06:00:00+00",
            False,
            "Spring savings",
            None,
            "2026-02-18 15:00:00+00",
            BOTH_CONNECTOR_LATER,
            None,
            True,
            False,
            "IMAGE",
            None,
            "https://www.instagram.com/p/L104/",
            "L104",
            None,
            IG_USER,
            "lakesidecu",
        ),
        (
            "h7",
            "2026-02-20 06:00:00+00",
            False,
            "Branch opening",
            None,
            "2026-02-19 15:00:00+00",
            BOTH_EXPORT_LATER,
            None,
            True,
            False,
            "IMAGE",
            None,
            "https://www.instagram.com/p/L105/",
            "L105",
            None,
            IG_USER,
            "lakesidecu",
        ),
    ],
    "instagram_business.media_insights": [
        # (_fivetran_id, synced, carousel engagement, impressions, reach, saved, comments, id,
        #  likes, video/photo engagement, impressions, reach, saved, video_views)
        (
            "i1",
            "2026-02-11 06:00:00+00",
            105,
            900,
            700,
            4,
            5,
            CAROUSEL,
            100,
            None,
            None,
            None,
            None,
            None,
        ),
        (
            "i2",
            "2026-02-20 06:00:00+00",
            158,
            1400,
            1100,
            6,
            8,
            CAROUSEL,
            150,
            None,
            None,
            None,
            None,
            None,
        ),
        (
            "i3",
            "2026-03-01 06:00:00+00",
            190,
            1700,
            1300,
            9,
            10,
            CAROUSEL,
            180,
            None,
            None,
            None,
            None,
            None,
        ),
        (
            "i4",
            "2026-03-01 06:00:00+00",
            None,
            None,
            None,
            None,
            2,
            IMAGE,
            50,
            52,
            800,
            600,
            3,
            None,
        ),
        (
            "i5",
            "2026-02-21 06:00:00+00",
            None,
            None,
            None,
            None,
            1,
            DELETED,
            40,
            41,
            300,
            250,
            0,
            None,
        ),
        (
            "i6",
            "2026-03-01 06:00:00+00",
            None,
            None,
            None,
            None,
            4,
            BOTH_CONNECTOR_LATER,
            80,
            84,
            1200,
            1000,
            2,
            None,
        ),
        (
            "i7",
            "2026-02-20 06:00:00+00",
            None,
            None,
            None,
            None,
            2,
            BOTH_EXPORT_LATER,
            30,
            32,
            500,
            480,
            1,
            None,
        ),
    ],
    "instagram_business.user_history": [
        (
            "u1",
            "2026-01-31 12:00:00+00",
            5000,
            210,
            IG_USER,
            None,
            300,
            "Lakeside CU",
            "lakesidecu",
            None,
        ),
        (
            "u2",
            "2026-02-14 12:00:00+00",
            5100,
            211,
            IG_USER,
            None,
            304,
            "Lakeside CU",
            "lakesidecu",
            None,
        ),
        (
            "u3",
            "2026-03-01 12:00:00+00",
            5200,
            211,
            IG_USER,
            None,
            309,
            "Lakeside CU",
            "lakesidecu",
            None,
        ),
    ],
    "facebook_pages.post_history": [
        (
            "2026-02-13 06:00:00+00",
            False,
            None,
            "2026-02-12 14:00:00+00",
            FB_POST,
            True,
            False,
            True,
            True,
            "Mortgage rates explained",
            FB_PAGE,
            None,
            None,
            3,
            "added_photos",
            "2026-02-12 14:00:00+00",
        ),
    ],
    "facebook_pages.lifetime_post_metrics_total": [
        # (synced, date, clicks, engaged fan, engaged users, post_id, impressions, organic,
        #  paid, haha, like, love, wow, video views)
        (
            "2026-02-13 06:00:00+00",
            "2026-02-13 00:00:00",
            10,
            5,
            20,
            FB_POST,
            400,
            400,
            0,
            0,
            20,
            2,
            0,
            None,
        ),
        (
            "2026-03-01 06:00:00+00",
            "2026-03-01 00:00:00",
            14,
            7,
            30,
            FB_POST,
            600,
            600,
            0,
            1,
            30,
            5,
            0,
            None,
        ),
    ],
    "facebook_pages.daily_page_metrics_total": [
        ("2026-02-11 06:00:00+00", "2026-02-10 00:00:00", 4, 1, 1200, FB_PAGE, 900, 40, 30),
        ("2026-02-12 06:00:00+00", "2026-02-11 00:00:00", 6, 0, 1206, FB_PAGE, 950, 35, 28),
        # the same day synced again later: the later sync wins, the rows are never added
        ("2026-02-13 06:00:00+00", "2026-02-11 00:00:00", 7, 0, 1207, FB_PAGE, 960, 36, 29),
    ],
    "twitter_organic.tweet": [
        (
            "2026-02-12 06:00:00+00",
            False,
            "18ce54d4x5t",
            "2026-02-11 16:00:00+00",
            12,
            "Card fraud? Here is what to do",
            TWEET,
            None,
            "en",
            1,
            "web",
            False,
            "organic",
            X_USER,
        ),
        (
            "2026-03-01 06:00:00+00",
            False,
            "18ce54d4x5t",
            "2026-02-11 16:00:00+00",
            15,
            "Card fraud? Here is what to do",
            TWEET,
            None,
            "en",
            3,
            "web",
            False,
            "organic",
            X_USER,
        ),
        (
            "2026-03-01 06:00:00+00",
            False,
            "18ce54d4x5t",
            "2026-02-12 16:00:00+00",
            2,
            "Someone else's tweet",
            TWEET_UNKNOWN,
            None,
            "en",
            0,
            "web",
            False,
            "organic",
            X_UNKNOWN_USER,
        ),
    ],
    "twitter_organic.twitter_user_history": [
        (
            "2026-02-01 12:00:00+00",
            "2013-04-01 00:00:00+00",
            None,
            800,
            X_USER,
            None,
            "Lakeside CU",
            "LakesideCU",
        ),
        (
            "2026-03-01 12:00:00+00",
            "2013-04-01 00:00:00+00",
            None,
            820,
            X_USER,
            None,
            "Lakeside CU",
            "LakesideCU",
        ),
    ],
}


def write_connector_tables(path: Path, drop: dict[str, list[str]] | None = None) -> Path:
    """Writes the connector tables into a DuckDB file; `drop` removes documented columns."""
    con = duckdb.connect(str(path))
    try:
        con.execute("set timezone = 'UTC'")
        for schema in sorted({name.split(".")[0] for name in TABLES}):
            con.execute(f"create schema if not exists {schema}")
        for name, ddl in TABLES.items():
            con.execute(ddl)
            rows = ROWS[name]
            marks = ", ".join("?" for _ in rows[0])
            con.executemany(f"insert into {name} values ({marks})", rows)
            for column in (drop or {}).get(name, []):
                con.execute(f"alter table {name} drop column {column}")
    finally:
        con.close()
    return path


def connector_vars(path: Path, connectors: tuple[str, ...] | None = None) -> str:
    """The --vars that attach the file and enable the connectors (YAML, for dbt)."""
    names = connectors or ("facebook_pages", "instagram_business", "twitter_organic")
    enabled = ", ".join(
        f"{name}_enabled: true, {name}_database: {DATABASE_ALIAS}" for name in names
    )
    return f"{{connector_duckdb_files: {{{DATABASE_ALIAS}: '{path}'}}, {enabled}}}"
