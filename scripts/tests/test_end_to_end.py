"""The whole flow, driving the real commands (`dbt build`, `social-warehouse run`) on a
private copy of the dbt project and of the sample landing folder."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pytest

from social_warehouse.artifacts import load_manifest
from social_warehouse.generator import GeneratorConfig, generate
from social_warehouse.generator.core import STAFF
from social_warehouse.publish import read_manifest
from social_warehouse.quality_gate import run_gate

PROJECT_ROOT = Path(__file__).resolve().parents[2]  # this checkout, whose files the tests read

BIN = Path(sys.executable).parent
PROJECT_PARTS = ("dbt_project.yml", "models", "macros", "seeds", "tests", "profiles")
NEGATIVE_REACTIONS = (
    "\ufeffPost ID,Page ID,Page name,Title,Description,Duration (sec),Publish time,Caption type,"
    "Permalink,Is crosspost,Is share,Post type,Languages,Custom labels,Funded content status,"
    'Data comment,Date,Views,Reach,"Reactions, comments and shares",Reactions,Comments,Shares,'
    "Total clicks,Other Clicks,Link Clicks\n"
    "1999999999999991,104835129933411,HarborFederalBank,,Hello,0,10/30/2026 10:48,,https://x,"
    "No,No,Photos,,,,,Lifetime,9238,7193,8,4,4,0,43,18,25\n"
    "1999999999999992,104835129933411,HarborFederalBank,,Hello,0,10/30/2026 11:48,,https://x,"
    "No,No,Photos,,,,,Lifetime,9238,7193,8,-4,4,0,43,18,25\n"
)


class Warehouse:
    def __init__(self, root: Path, landing: Path):
        self.root = root
        self.project = root / "project"
        self.landing = landing
        self.database = root / "warehouse" / "warehouse.duckdb"
        self.publish_dir = root / "publish"
        self.env = {
            **os.environ,
            "DBT_PROFILES_DIR": str(self.project / "profiles"),
            "DBT_PROJECT_DIR": str(self.project),
            "DBT_TARGET": "dev",
            "DUCKDB_PATH": str(self.database),
            "LANDING_DIR": str(landing),
            "RAW_DIR": str(root / "raw"),
            "PUBLISH_DIR": str(self.publish_dir),
            "DBT_TARGET_PATH": str(root / "target"),
            "DBT_LOG_PATH": str(root / "logs"),
        }
        self.project.mkdir(parents=True)
        self.database.parent.mkdir(parents=True)
        (root / "tmp").mkdir()
        for part in PROJECT_PARTS:
            source = PROJECT_ROOT / part
            if source.is_dir():
                shutil.copytree(source, self.project / part)
            else:
                shutil.copy2(source, self.project / part)

    def _run(self, command: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            command,
            cwd=self.project,
            env={**self.env, **kwargs.pop("env", {})},
            capture_output=True,
            text=True,
            timeout=900,
            **kwargs,
        )

    def build(self, *extra: str) -> subprocess.CompletedProcess[str]:
        return self._run([str(BIN / "dbt"), "build", "--no-use-colors", *extra])

    def job(self, **env: str) -> subprocess.CompletedProcess[str]:
        return self._run([str(BIN / "social-warehouse"), "run", "--no-use-colors"], env=env)

    def query(self, sql: str) -> list[tuple]:
        con = duckdb.connect(str(self.database), read_only=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()

    def test_status(self, test: str) -> str | None:
        """The status of the data test named `test` in the last dbt invocation."""
        results = json.loads((self.root / "target" / "run_results.json").read_text())["results"]
        found = [r["status"] for r in results if r["unique_id"].split(".")[2] == test]
        return found[0] if found else None

    def stored_failures(self, test: str) -> int | None:
        """The failing rows the data test `test` stored in the audit schema, or None when
        it stored none (a test that passed stores nothing: macros/test_failures.sql)."""
        tables = self.query(
            "select count(*) from information_schema.tables"
            f" where table_schema = 'audit' and table_name = '{test}'"
        )
        if tables == [(0,)]:
            return None
        return self.query(f"select count(*) from audit.{test}")[0][0]

    def published_digest(self) -> str:
        return hashlib.sha256((self.publish_dir / "warehouse.duckdb").read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory, sample_landing: Path) -> Warehouse:
    root = tmp_path_factory.mktemp("e2e")
    landing = root / "landing"
    shutil.copytree(sample_landing, landing, copy_function=shutil.copy2)
    # hold one account back: it is dropped in later, as a user would
    shutil.move(landing / "linkedin" / "rhein_li", root / "held_back_rhein_li")
    return Warehouse(root, landing)


COUNTED = {
    "facebook base rows": "staging.base_social__posts where platform = 'facebook'",
    "linkedin base rows": "staging.base_social__posts where platform = 'linkedin'",
    "marts.fct_posts": "marts.fct_posts",
    "marts.fct_engagement_monthly": "marts.fct_engagement_monthly",
    "staging.stg_landing__quarantined_rows": "staging.stg_landing__quarantined_rows",
}


def _counts(wh: Warehouse) -> dict[str, int]:
    return {name: wh.query(f"select count(*) from {rel}")[0][0] for name, rel in COUNTED.items()}


def test_first_build_reconciles_every_landed_row(warehouse: Warehouse) -> None:
    run = warehouse.build()
    assert run.returncode == 0, run.stdout[-4000:]
    assert "assert_landed_rows_reconcile_per_file" in run.stdout
    counts = _counts(warehouse)
    assert counts["marts.fct_posts"] > 9000
    # the deliberately bad file (IDs re-saved in Excel) is the only thing quarantined
    rows = warehouse.query(
        "select distinct source_file, rejected_column from staging.stg_landing__quarantined_rows"
    )
    assert rows == [("facebook/harbor_fb/posts_export_resaved_in_excel.csv", "post_id")]
    assert counts["staging.stg_landing__quarantined_rows"] == 3
    # two snapshots of the same posts were landed; each post appears once
    dupes = warehouse.query(
        "select count(*) from (select platform, post_id from marts.fct_posts"
        " group by all having count(*) > 1)"
    )
    assert dupes == [(0,)]
    # Meta posts were exported twice (two downloads of the last half-year); TikTok's
    # Content download, every two weeks, holds the same recent videos many times
    seen = dict(
        warehouse.query("select platform, max(snapshots_seen) from marts.fct_posts group by 1")
    )
    assert seen["facebook"] == seen["instagram"] == 2 and seen["tiktok"] > 2
    rows = warehouse.query(
        "select platform, engagement_index from marts.fct_engagement_monthly "
        "where account_key like 'harbor%' and activity_month = date '2026-09-01' order by platform"
    )
    assert [r[0] for r in rows] == ["facebook", "instagram", "linkedin", "x"]
    assert all(r[1] is not None for r in rows if r[0] != "linkedin")


def test_the_gate_passes_on_good_marts_and_names_what_breaks(warehouse: Warehouse) -> None:
    manifest = load_manifest(warehouse.root / "target")
    good = run_gate(warehouse.database, manifest, warehouse.root / "gx")
    assert good.success and good.marts_checked == 10 and good.expectations_run > 100
    broken = warehouse.root / "broken.duckdb"
    shutil.copy2(warehouse.database, broken)
    con = duckdb.connect(str(broken))
    con.execute("update marts.fct_social_share_of_spend set social_share_of_spend = 1.5 where true")
    # fct_posts is a view of int_posts_rated: break what it reads
    con.execute("delete from intermediate.int_posts_rated where platform = 'x'")
    con.close()
    bad = run_gate(broken, manifest, warehouse.root / "gx")
    assert not bad.success
    found = {(f.mart, f.column, f.expectation) for f in bad.failures}
    assert (
        "fct_social_share_of_spend",
        "social_share_of_spend",
        "expect_column_values_to_be_between",
    ) in found
    assert ("fct_posts", None, "expect_table_row_count_to_equal") in found


def test_a_new_account_and_a_duplicate_file_need_one_build_and_no_code(
    warehouse: Warehouse,
) -> None:
    before = _counts(warehouse)
    shutil.move(warehouse.root / "held_back_rhein_li", warehouse.landing / "linkedin" / "rhein_li")
    some = next((warehouse.landing / "facebook" / "harbor_fb").glob("Aug-01-2025*.csv"))
    shutil.copy2(some, some.with_name(some.stem + " (2).csv"))
    run = warehouse.build()
    assert run.returncode == 0, run.stdout[-4000:]
    after = _counts(warehouse)
    assert (
        warehouse.query(
            "select count(*) from staging.stg_social__posts where account_key = 'rhein_li'"
        )[0][0]
        > 0
    )
    assert after["facebook base rows"] == before["facebook base rows"]
    assert after["linkedin base rows"] > before["linkedin base rows"]
    statuses = dict(
        warehouse.query("select status, count(*) from landing.landing_files group by status")
    )
    assert statuses["duplicate_content"] == 1


def test_a_rebuild_with_nothing_new_changes_nothing(warehouse: Warehouse) -> None:
    before = _counts(warehouse)
    run = warehouse.build()
    assert run.returncode == 0, run.stdout[-4000:]
    assert _counts(warehouse) == before
    assert warehouse.query(
        "select count(*) from landing.landing_files where status = 'loaded'"
    ) == [(0,)]


INCREMENTAL_TABLES = [
    "staging.stg_social__posts",
    "staging.stg_social__follows",
    "staging.stg_social__page_days",
    "intermediate.int_posts_rated",
    "intermediate.int_followers_daily",
    "intermediate.int_engagement_monthly",
    "marts.fct_posts",
    "marts.fct_engagement_monthly",
    "marts.dim_social_accounts",
]


def _contents(wh: Warehouse) -> dict[str, tuple]:
    """Row count and an order-free digest of every row (but its build time) per table.

    Doubles are rounded to 12 significant digits: a parallel mean may differ in its last
    bits from one run to the next, whatever the build."""

    def norm(value: object) -> object:
        return float(f"{value:.12g}") if isinstance(value, float) else value

    out = {}
    for table in INCREMENTAL_TABLES:
        rows = wh.query(f"select columns(lambda c: c <> 'built_at') from {table}")
        digest = hashlib.sha256()
        for row in sorted(repr(tuple(norm(v) for v in r)) for r in rows):
            digest.update(row.encode())
        out[table] = (len(rows), digest.hexdigest())
    return out


def test_new_days_and_a_removed_export_are_built_incrementally(warehouse: Warehouse) -> None:
    before = _contents(warehouse)
    # exports already built leave the landing folder: the latest Instagram posts export
    # of one account (its posts fall back to their previous export, or leave the marts),
    # a Facebook follows export (those days lose their follows) and another account's
    # latest follows export (its last six months leave its daily followers, and its
    # posts of those months lose their follower figure)
    removed = [
        p
        for p in sorted((warehouse.landing / "instagram" / "harbor_ig").glob("*.csv"))
        if not p.name.endswith("Follows.csv")
    ][-1]
    removed_follows = sorted((warehouse.landing / "facebook" / "harbor_fb").glob("*Follows.csv"))[0]
    span_cut = warehouse.landing / "facebook" / "rhone_fb" / "May-01-2026_Oct-31-2026_Follows.csv"
    removed.unlink()
    removed_follows.unlink()
    span_cut.unlink()
    aside = warehouse.root / "new_days"
    config = GeneratorConfig(
        landing_dir=aside,
        seed=7,
        first_day=GeneratorConfig(landing_dir=aside).last_day + timedelta(days=1),
        days=2,
        include_bad_examples=False,
        accounts=("harbor_fb", "harbor_ig", "harbor_x", "nordhafen_fb"),
    )
    assert generate(config).posts > 0
    for path in sorted(p for p in aside.rglob("*") if p.is_file()):
        target = warehouse.landing / path.relative_to(aside)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    run = warehouse.build()
    assert run.returncode == 0, run.stdout[-4000:]
    after = _contents(warehouse)
    for table in (
        "staging.stg_social__posts",
        "staging.stg_social__follows",
        "intermediate.int_posts_rated",
        "marts.fct_posts",
    ):
        assert after[table] != before[table], table
    assert warehouse.query(
        "select max(activity_date) from intermediate.int_followers_daily"
        " where account_key = 'rhone_fb'"
    ) == [(date(2026, 4, 30),)]
    gone = f"instagram/harbor_ig/{removed.name}"
    assert warehouse.query(
        f"select count(*) from marts.fct_posts where source_file = '{gone}'"
    ) == [(0,)]
    assert (
        warehouse.query(
            "select count(*) from marts.fct_posts"
            f" where published_local_date >= '{config.first_day}'"
        )[0][0]
        > 0
    )


def test_full_refresh_rebuilds_exactly_what_incremental_builds_built(
    warehouse: Warehouse,
) -> None:
    before = _contents(warehouse)
    run = warehouse.build("--full-refresh")
    assert run.returncode == 0, run.stdout[-4000:]
    assert _contents(warehouse) == before


def test_an_unknown_file_stops_the_build_and_names_the_file(warehouse: Warehouse) -> None:
    bad = warehouse.landing / "instagram" / "harbor_ig" / "budget.csv"
    bad.write_text("Quarter,Budget\nQ1,100\n", encoding="utf-8")
    try:
        run = warehouse.build()
        assert run.returncode != 0
        assert "instagram/harbor_ig/budget.csv" in run.stdout
        assert "matches no known export kind" in run.stdout
    finally:
        bad.unlink()


def test_a_clean_run_publishes(warehouse: Warehouse) -> None:
    run = warehouse.job()
    assert run.returncode == 0, run.stdout[-4000:]
    assert "VERDICT: PUBLISHED version" in run.stdout
    con = duckdb.connect(str(warehouse.publish_dir / "warehouse.duckdb"), read_only=True)
    try:
        posts = con.execute("select count(*) from marts.fct_posts").fetchall()[0][0]
    finally:
        con.close()
    assert posts == warehouse.query("select count(*) from marts.fct_posts")[0][0]
    assert (warehouse.publish_dir / "parquet" / "fct_posts.parquet").exists()
    report = (warehouse.root / "warehouse" / "reports" / "steward_report.html").read_text()
    assert "PUBLISHED" in report and "<style>" in report and "http" not in report.split("<body>")[0]
    # one scorecard per organisation is published with the version, listed in its
    # manifest and linked from the steward report (scripts/tests/test_scorecard.py opens them)
    listed = read_manifest(warehouse.publish_dir)["scorecards"]
    organizations = warehouse.query("select count(*) from marts.dim_organizations")[0][0]
    assert len(listed) == organizations + 1 and "scorecards/index.html" in listed
    assert all((warehouse.publish_dir / name).is_file() for name in listed)
    assert "publish/scorecards/keystone_mutual.html" in report


def test_staff_names_never_reach_what_bi_reads(warehouse: Warehouse) -> None:
    names = [n for group in STAFF.values() for n in group]
    assert (
        warehouse.query(
            "select count(*) from staging.base_social__posts"
            " where platform = 'linkedin' and posted_by_hash is not null"
        )[0][0]
        > 0
    )
    con = duckdb.connect()
    try:
        for parquet in (warehouse.publish_dir / "parquet").glob("*.parquet"):
            text_columns = [
                name
                for name, kind in con.execute(
                    f"select column_name, column_type from (describe select * from '{parquet}')"
                ).fetchall()
                if kind == "VARCHAR"
            ]
            for column in text_columns:
                hits = con.execute(
                    f"select count(*) from '{parquet}' where "
                    + " or ".join(f"{column} ilike ?" for _ in names),
                    [f"%{n}%" for n in names],
                ).fetchall()[0][0]
                assert hits == 0, f"{parquet.name}.{column} holds a staff name"
    finally:
        con.close()


def test_a_bad_export_is_not_published_and_the_report_names_file_row_and_test(
    warehouse: Warehouse,
) -> None:
    before = warehouse.published_digest()
    bad = warehouse.landing / "facebook" / "harbor_fb" / "Oct-30-2026_Oct-30-2026_extra.csv"
    bad.write_text(NEGATIVE_REACTIONS, encoding="utf-8")
    try:
        run = warehouse.job()
        assert run.returncode != 0
        assert "VERDICT: NOT PUBLISHED" in run.stdout
        assert warehouse.published_digest() == before
        text = (warehouse.root / "warehouse" / "reports" / "steward_report.txt").read_text()
        assert "assert_no_unacknowledged_quarantined_rows" in text
        assert "facebook/harbor_fb/Oct-30-2026_Oct-30-2026_extra.csv" in text
        assert "source_row_number=3" in text and "reactions: negative count" in text
        html = (warehouse.root / "warehouse" / "reports" / "steward_report.html").read_text()
        assert "Oct-30-2026_Oct-30-2026_extra.csv" in html
        # the failing test stored its rows for the report; passing tests stored nothing
        assert warehouse.test_status("assert_no_unacknowledged_quarantined_rows") == "fail"
        assert (warehouse.stored_failures("assert_no_unacknowledged_quarantined_rows") or 0) >= 1
        assert warehouse.test_status("assert_landed_rows_reconcile_per_file") == "pass"
        assert warehouse.stored_failures("assert_landed_rows_reconcile_per_file") is None
    finally:
        bad.unlink()
    # the steward removes the bad export: its rows leave the quarantine, publishing resumes
    # (the landing is back as published, so the job would skip: force a real build)
    again = warehouse.job(FORCE_BUILD="1")
    assert again.returncode == 0, again.stdout[-3000:]
    assert "VERDICT: PUBLISHED" in again.stdout
    # the test passes again and its stored rows of the failed run are gone
    assert warehouse.test_status("assert_no_unacknowledged_quarantined_rows") == "pass"
    assert warehouse.stored_failures("assert_no_unacknowledged_quarantined_rows") is None


def test_an_unmapped_spend_label_is_not_published_and_is_named(warehouse: Warehouse) -> None:
    before = warehouse.published_digest()
    spend = warehouse.project / "seeds" / "organizations" / "channel_spend.csv"
    original = spend.read_text(encoding="utf-8")
    with spend.open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow(
            ["harbor_federal_bank", "2026-10", "TikTok creators", "agency", "MKT", 5000.0, "USD"]
        )
    try:
        run = warehouse.job()
        assert run.returncode != 0
        assert warehouse.published_digest() == before
        text = (warehouse.root / "warehouse" / "reports" / "steward_report.txt").read_text()
        assert "values_mapped_channel_spend_spend_label" in text
        assert "unmapped_value=TikTok creators" in text
        assert "channel_taxonomy.csv" in text
    finally:
        spend.write_text(original, encoding="utf-8")


def test_nothing_new_means_no_build(warehouse: Warehouse) -> None:
    before = warehouse.published_digest()
    started = time.monotonic()
    run = warehouse.job()
    assert run.returncode == 0, run.stdout[-3000:]
    assert "VERDICT: UP TO DATE" in run.stdout
    assert time.monotonic() - started < 15
    assert warehouse.published_digest() == before
    forced = warehouse.job(FORCE_BUILD="1")
    assert forced.returncode == 0 and "VERDICT: PUBLISHED" in forced.stdout


def test_a_second_build_at_the_same_time_stops_with_a_clear_message(warehouse: Warehouse) -> None:
    lock = warehouse.database.with_name(warehouse.database.name + ".build.lock")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys, time; f = open(sys.argv[1], 'a+'); "
            "fcntl.flock(f.fileno(), fcntl.LOCK_EX); f.write('pid test holder'); f.flush(); "
            "print('locked', flush=True); time.sleep(60)",
            str(lock),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        run = warehouse.job()
        assert run.returncode == 75
        assert "another build is running" in run.stderr
        assert time.monotonic() - started < 30
    finally:
        holder.kill()
        holder.wait()


def test_the_semantic_layer_agrees_with_the_marts(warehouse: Warehouse) -> None:
    """MetricFlow's social_share_of_spend for one organisation and month equals the mart's."""
    # mf reads <project>/target/semantic_manifest.json whatever DBT_TARGET_PATH says
    (warehouse.project / "target").mkdir(exist_ok=True)
    shutil.copy2(
        warehouse.root / "target" / "semantic_manifest.json",
        warehouse.project / "target" / "semantic_manifest.json",
    )
    query = warehouse._run(
        [
            str(BIN / "mf"),
            "query",
            "--metrics",
            "social_share_of_spend,posts",
            "--group-by",
            "metric_time__month,organization",
            "--where",
            "{{ Entity('organization') }} = 'harbor_federal_bank'",
            "--csv",
            str(warehouse.root / "mf.csv"),
        ]
    )
    assert query.returncode == 0, query.stdout[-3000:] + query.stderr[-3000:]
    with (warehouse.root / "mf.csv").open(encoding="utf-8") as fh:
        rows = {r["metric_time__month"][:10]: r for r in csv.DictReader(fh)}
    share, posts = warehouse.query(
        "select s.social_share_of_spend, (select count(*) from marts.fct_posts p"
        " where p.organization_id = s.organization_id"
        " and date_trunc('month', p.published_local_date) = s.spend_month)"
        " from marts.fct_social_share_of_spend as s"
        " where s.organization_id = 'harbor_federal_bank' and s.spend_month = date '2026-03-01'"
    )[0]
    assert abs(float(rows["2026-03-01"]["social_share_of_spend"]) - share) < 1e-9
    assert int(rows["2026-03-01"]["posts"]) == posts
