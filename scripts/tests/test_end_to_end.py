"""The whole flow, driving the real `dbt build` on copies of the sample landing folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from social_warehouse import PROJECT_ROOT

DBT = Path(sys.executable).with_name("dbt")


class Warehouse:
    def __init__(self, root: Path, landing: Path):
        self.root = root
        self.landing = landing
        self.database = root / "warehouse.duckdb"
        self.env = {
            **os.environ,
            "DBT_PROFILES_DIR": str(PROJECT_ROOT / "profiles"),
            "DBT_TARGET": "dev",
            "DUCKDB_PATH": str(self.database),
            "DUCKDB_TEMP_DIR": str(root / "tmp"),
            "LANDING_DIR": str(landing),
            "RAW_DIR": str(root / "raw"),
            "DBT_TARGET_PATH": str(root / "target"),
            "DBT_LOG_PATH": str(root / "logs"),
        }

    def build(self, *extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(DBT), "build", "--no-use-colors", *extra],
            cwd=PROJECT_ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=900,
        )

    def query(self, sql: str) -> list[tuple]:
        con = duckdb.connect(str(self.database), read_only=True)
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory, sample_landing: Path) -> Warehouse:
    root = tmp_path_factory.mktemp("e2e")
    landing = root / "landing"
    shutil.copytree(sample_landing, landing, copy_function=shutil.copy2)
    # hold one account back: it is dropped in later, as a user would
    shutil.move(landing / "linkedin" / "rhein_li", root / "held_back_rhein_li")
    return Warehouse(root, landing)


def _counts(wh: Warehouse) -> dict[str, int]:
    tables = [
        "staging.base_facebook__posts",
        "staging.base_linkedin__posts",
        "marts.fct_posts",
        "marts.fct_engagement_monthly",
        "staging.stg_landing__quarantined_rows",
    ]
    return {t: wh.query(f"select count(*) from {t}")[0][0] for t in tables}


def test_first_build_publishes_marts_with_everything_reconciled(warehouse: Warehouse) -> None:
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
    assert warehouse.query("select max(snapshots_seen) from marts.fct_posts")[0][0] == 2
    # a bank's engagement index per platform is there for a recent month
    rows = warehouse.query(
        "select platform, engagement_index from marts.fct_engagement_monthly "
        "where account_key like 'harbor%' and activity_month = date '2026-09-01' order by platform"
    )
    assert [r[0] for r in rows] == ["facebook", "instagram", "linkedin", "x"]
    assert all(r[1] is not None for r in rows if r[0] != "linkedin")


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
            "select count(*) from staging.stg_linkedin__posts where account_key = 'rhein_li'"
        )[0][0]
        > 0
    )
    assert after["staging.base_facebook__posts"] == before["staging.base_facebook__posts"]
    assert after["staging.base_linkedin__posts"] > before["staging.base_linkedin__posts"]
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


def test_full_refresh_rebuilds_the_same_numbers(warehouse: Warehouse) -> None:
    before = _counts(warehouse)
    run = warehouse.build("--full-refresh")
    assert run.returncode == 0, run.stdout[-4000:]
    assert _counts(warehouse) == before


def test_an_unknown_file_stops_the_build_and_names_the_file(warehouse: Warehouse) -> None:
    bad = warehouse.landing / "instagram" / "harbor_ig" / "budget.csv"
    bad.write_text("Quarter,Budget\nQ1,100\n", encoding="utf-8")
    try:
        run = warehouse.build()
        assert run.returncode != 0
        assert "instagram/harbor_ig/budget.csv" in run.stdout
        assert "closest known kind" in run.stdout
    finally:
        bad.unlink()
