"""Connector-synced tables as a second input (docs/connectors.md).

A made-up credit union, Lakeside, syncs its Instagram, Facebook and X accounts with
Fivetran instead of downloading exports. Its connector tables (connector_fixtures.py, written
from the connectors' documented schemas) are attached as a DuckDB file to a private copy of
the project whose landing folder is empty: the main job must publish every mart from them
alone. Then an Instagram export of the same account is landed: a post in both inputs is one
post, with the totals of its latest observation.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest
from connector_fixtures import (
    BOTH_CONNECTOR_LATER,
    BOTH_EXPORT_LATER,
    CAROUSEL,
    DELETED,
    EXPORT,
    EXPORT_DOWNLOADED_AT,
    FB_POST,
    IMAGE,
    SEED_ROWS,
    TWEET,
    TWEET_UNKNOWN,
    connector_vars,
    write_connector_tables,
)
from test_end_to_end import BIN, Warehouse

from social_warehouse.artifacts import load_manifest, published_marts
from social_warehouse.connectors import enabled_connectors

UNKNOWN_TWEET_FILE = "connector:twitter_organic.tweet (fivetran.twitter_organic)"
ACKNOWLEDGED = (
    f'"{UNKNOWN_TWEET_FILE}",account_key,data steward,2026-03-02,'
    '"A tweet of an account we do not run, synced by mistake: not ours."'
)


def _append(project: Path, rel: str, rows: list[str]) -> None:
    path = project / rel
    text = path.read_text(encoding="utf-8")
    path.write_text(text + ("" if text.endswith("\n") else "\n") + "\n".join(rows) + "\n")


class ConnectorWarehouse(Warehouse):
    def __init__(self, root: Path, landing: Path):
        super().__init__(root, landing)
        for rel, rows in SEED_ROWS.items():
            _append(self.project, rel, rows)
        _append(self.project, "seeds/organizations/quarantine_acknowledgements.csv", [ACKNOWLEDGED])
        self.connector_file = write_connector_tables(root / "fivetran.duckdb")
        self.vars = connector_vars(self.connector_file)

    def run_job(self):
        return self._run([str(BIN / "social-warehouse"), "run", "--no-use-colors",
                          "--vars", self.vars])  # fmt: skip

    def one(self, sql: str) -> tuple:
        rows = self.query(sql)
        assert len(rows) == 1, (sql, rows)
        return rows[0]


@pytest.fixture(scope="module")
def lakeside(tmp_path_factory: pytest.TempPathFactory) -> ConnectorWarehouse:
    root = tmp_path_factory.mktemp("connectors")
    landing = root / "landing"
    landing.mkdir()
    wh = ConnectorWarehouse(root, landing)
    wh.first = wh.run_job()  # type: ignore[attr-defined]
    return wh


def _post(wh: Warehouse, post_id: str) -> dict:
    columns = ["likes", "comments", "reactions", "shares", "reposts", "engagements",
               "followers_at_post", "followers_anchor_date", "engagement_rate_by_followers",
               "snapshots_seen", "source_file", "exported_at"]  # fmt: skip
    rows = wh.query(f"select {', '.join(columns)} from marts.fct_posts where post_id = '{post_id}'")
    assert len(rows) == 1, (post_id, rows)
    return dict(zip(columns, rows[0], strict=True))


def test_connector_tables_alone_publish_every_mart(lakeside: ConnectorWarehouse) -> None:
    run = lakeside.first  # type: ignore[attr-defined]
    assert run.returncode == 0, run.stdout[-6000:]
    assert "VERDICT: PUBLISHED version" in run.stdout
    assert "Connectors enabled (facebook_pages, instagram_business, twitter_organic)" in run.stdout
    assert not any(lakeside.landing.iterdir())
    marts = published_marts(load_manifest(lakeside.root / "target"))
    assert {"fct_posts", "fct_engagement_monthly", "fct_social_share_of_spend"} <= set(marts)
    for mart in marts:
        assert (lakeside.publish_dir / "parquet" / f"{mart}.parquet").exists(), mart
    platforms = lakeside.query(
        "select platform, count(*) from marts.fct_posts where organization_id = 'lakeside_cu'"
        " group by platform order by platform"
    )
    # Instagram: the carousel, the image and the two posts an export will also have; the
    # post deleted on Instagram is not there
    assert platforms == [("facebook", 1), ("instagram", 4), ("x", 1)]
    monthly = lakeside.query(
        "select account_key, posts from marts.fct_engagement_monthly"
        " where account_key like 'lakeside_%' and activity_month = date '2026-02-01'"
        " order by account_key"
    )
    assert monthly == [("lakeside_fb", 1), ("lakeside_ig", 4), ("lakeside_x", 1)]


def test_the_latest_sync_is_the_total_never_the_sum(lakeside: ConnectorWarehouse) -> None:
    carousel = _post(lakeside, CAROUSEL)
    # three syncs: 100, 150, 180 likes; the sum would be 430
    assert (carousel["likes"], carousel["comments"], carousel["engagements"]) == (180, 10, 190)
    assert carousel["snapshots_seen"] == 3
    assert carousel["source_file"] == (
        "connector:instagram_business.media_insights (fivetran.instagram_business)"
    )
    assert str(carousel["exported_at"]) == "2026-03-01 06:00:00"
    # Facebook: reactions are the sum of the reaction columns the table has (two documented
    # ones are missing: tolerated, they are optional); shares come from the post's history
    facebook = _post(lakeside, FB_POST.split("_")[1])
    assert (facebook["reactions"], facebook["shares"], facebook["engagements"]) == (36, 3, 39)
    tweet = _post(lakeside, TWEET)
    assert (tweet["likes"], tweet["reposts"], tweet["engagements"]) == (15, 3, 18)


def test_a_deleted_post_is_not_staged(lakeside: ConnectorWarehouse) -> None:
    assert lakeside.query(f"select * from marts.fct_posts where post_id = '{DELETED}'") == []
    assert (
        lakeside.query(f"select * from staging.stg_social__posts where post_id = '{DELETED}'") == []
    )
    # it was read (and counted), and is known as deleted
    assert lakeside.one(
        f"select bool_or(is_deleted) from staging.base_connector__posts where post_id = '{DELETED}'"
    ) == (True,)


def test_followers_at_post_come_from_the_connectors_follower_history(
    lakeside: ConnectorWarehouse,
) -> None:
    # the image was published 2026-02-15 05:00 in Chicago; the day before, 2026-02-14, the
    # connector synced 5,100 followers (user_history.followers_count): that is the anchor
    image = _post(lakeside, IMAGE)
    assert image["followers_at_post"] == 5100
    assert str(image["followers_anchor_date"]) == "2026-02-14"
    assert round(image["engagement_rate_by_followers"], 8) == round(52 / 5100, 8)
    carousel = _post(lakeside, CAROUSEL)
    assert (carousel["followers_at_post"], str(carousel["followers_anchor_date"])) == (
        5000,
        "2026-01-31",
    )
    # X: twitter_user_history gives the anchor of 2026-02-01 (800 followers)
    tweet = _post(lakeside, TWEET)
    assert tweet["followers_at_post"] == 800
    # Facebook: the page's daily figures synced twice for 2026-02-11: the later sync wins
    follows = lakeside.query(
        "select activity_date, new_follows, followers_total, input from staging.stg_social__follows"
        " where account_key = 'lakeside_fb' order by activity_date"
    )
    assert [(str(d), n, t, i) for d, n, t, i in follows] == [
        ("2026-02-10", 4, 1200, "connector:facebook_pages"),
        ("2026-02-11", 7, 1207, "connector:facebook_pages"),
    ]


def test_bad_connector_rows_are_quarantined_and_reconciled(lakeside: ConnectorWarehouse) -> None:
    quarantined = lakeside.query(
        "select source_file, rejected_column, rejected_value, rejection_reason"
        " from staging.stg_landing__quarantined_rows where export_kind like 'connector:%'"
    )
    assert quarantined == [
        (UNKNOWN_TWEET_FILE, "account_key", "3000000999",
         "account_key: not in the social_accounts seed"),
    ]  # fmt: skip
    assert lakeside.query(f"select * from marts.fct_posts where post_id = '{TWEET_UNKNOWN}'") == []
    # rows in each observation table = staged + quarantined (the singular test checks the
    # same for every connector table; here by hand for one)
    staged = lakeside.one(
        "select count(*) from staging.base_connector__posts"
        f" where source_file = '{UNKNOWN_TWEET_FILE}' and rejection_reason is null"
    )[0]
    assert (staged, len(quarantined)) == (2, 1)  # the tweet table holds 3 rows


def test_a_post_in_both_inputs_is_one_post_with_the_latest_totals(
    lakeside: ConnectorWarehouse,
) -> None:
    export = lakeside.landing / "instagram" / "lakeside_ig" / "Feb-01-2026_Feb-26-2026.csv"
    export.parent.mkdir(parents=True)
    export.write_text(EXPORT, encoding="utf-8")
    os.utime(export, (EXPORT_DOWNLOADED_AT, EXPORT_DOWNLOADED_AT))
    run = lakeside.run_job()
    assert run.returncode == 0, run.stdout[-6000:]
    assert "VERDICT: PUBLISHED version" in run.stdout
    # synced 2026-03-01 (80 likes) after the download of 2026-02-26 (60 likes): the sync wins
    later_sync = _post(lakeside, BOTH_CONNECTOR_LATER)
    assert (later_sync["likes"], later_sync["comments"], later_sync["snapshots_seen"]) == (80, 4, 2)
    assert later_sync["source_file"].startswith("connector:instagram_business.media_insights")
    # synced 2026-02-20 (30 likes) before the download (44 likes): the export wins
    later_export = _post(lakeside, BOTH_EXPORT_LATER)
    assert (later_export["likes"], later_export["comments"]) == (44, 6)
    assert later_export["source_file"] == "instagram/lakeside_ig/Feb-01-2026_Feb-26-2026.csv"
    inputs = lakeside.query(
        "select input, count(*) from staging.stg_social__posts where account_key = 'lakeside_ig'"
        " group by input order by input"
    )
    assert inputs == [("connector:instagram_business", 3), ("export", 1)]
    assert lakeside.one(
        "select count(*), count(distinct post_id) from marts.fct_posts"
        " where account_key = 'lakeside_ig'"
    ) == (4, 4)


def test_a_run_with_a_connector_is_never_skipped_as_nothing_new(
    lakeside: ConnectorWarehouse,
) -> None:
    # nothing landed since the last run, but the connector synced: the image was deleted on
    # Instagram (Fivetran marks its history row deleted) and the carousel got more likes
    con = duckdb.connect(str(lakeside.connector_file))
    try:
        con.execute("set timezone = 'UTC'")
        con.execute(
            "insert into instagram_business.media_history select * replace ("
            " 'h8' as _fivetran_id, timestamptz '2026-03-02 06:00:00+00' as _fivetran_synced,"
            f" true as _fivetran_deleted) from instagram_business.media_history where id = {IMAGE}"
        )
        con.execute(
            "insert into instagram_business.media_insights select * replace ("
            " 'i9' as _fivetran_id, timestamptz '2026-03-02 06:00:00+00' as _fivetran_synced,"
            f" 200 as like_count) from instagram_business.media_insights"
            f" where id = {CAROUSEL} and _fivetran_id = 'i3'"
        )
    finally:
        con.close()
    before = _post(lakeside, IMAGE)["likes"]
    assert before == 50
    run = lakeside.run_job()
    assert run.returncode == 0, run.stdout[-3000:]
    assert "UP TO DATE" not in run.stdout
    assert "VERDICT: PUBLISHED version" in run.stdout
    # the incremental build removed the deleted post from staging and the marts
    assert lakeside.query(f"select * from marts.fct_posts where post_id = '{IMAGE}'") == []
    assert (
        lakeside.query(f"select * from staging.stg_social__posts where post_id = '{IMAGE}'") == []
    )
    carousel = _post(lakeside, CAROUSEL)
    assert (carousel["likes"], carousel["snapshots_seen"]) == (200, 4)


def test_a_missing_required_column_names_the_table_and_the_column(tmp_path: Path) -> None:
    drifted = write_connector_tables(
        tmp_path / "drifted.duckdb", drop={"instagram_business.media_insights": ["like_count"]}
    )
    wh = Warehouse(tmp_path / "wh", tmp_path / "landing")
    run = wh._run([str(BIN / "dbt"), "compile", "--no-use-colors", "-s", "base_connector__posts",
                   "--vars", connector_vars(drifted, ("instagram_business",))])  # fmt: skip
    assert run.returncode != 0
    assert "media_insights" in run.stdout and "'like_count'" in run.stdout, run.stdout[-3000:]


def test_enabled_connectors_come_from_vars_on_the_command_line_or_the_project(
    tmp_path: Path,
) -> None:
    (tmp_path / "dbt_project.yml").write_text(
        "name: p\nvars:\n  facebook_pages_enabled: true\n  twitter_organic_enabled: false\n"
    )
    assert enabled_connectors(tmp_path, []) == ["facebook_pages"]
    args = ["--vars", "{instagram_business_enabled: true, facebook_pages_enabled: false}"]
    assert enabled_connectors(tmp_path, args) == ["instagram_business"]
    assert enabled_connectors(tmp_path, ["--vars={twitter_organic_enabled: 'true'}"]) == [
        "facebook_pages",
        "twitter_organic",
    ]
