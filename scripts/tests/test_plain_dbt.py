"""Plain `dbt build` (no Makefile, no job) explains itself.

- With an empty landing folder it warns in words, "no posts landed: the engagement marts
  are empty" (the warn-severity test assert_posts_landed and the on-run-end hook), and
  stops warning once a posts export has landed.
- After `make clean` removed `warehouse/`, the database's folder is created (the
  dbt-duckdb plugin social_warehouse.duckdb_folder) instead of failing with a bare
  "No such file or directory".

Only the landing ingest, the posts staging and that test are built: seconds, not a full
build.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from test_end_to_end import NEGATIVE_REACTIONS, Warehouse

from social_warehouse.duckdb_folder import database_folder

SENTENCE = "no posts landed: the engagement marts are empty"
SELECTION = ("--select", "+assert_posts_landed", "--indirect-selection=cautious")


def test_empty_landing_warns_and_a_missing_warehouse_folder_is_created(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    landing.mkdir()
    wh = Warehouse(tmp_path / "run", landing)
    shutil.rmtree(wh.database.parent)  # as after `make clean`
    assert not wh.database.parent.exists()

    run = wh.build(*SELECTION)
    assert run.returncode == 0, run.stdout[-4000:]
    assert wh.database.exists(), "the warehouse folder and database were not created"
    assert "No such file or directory" not in run.stdout
    assert "WARN" in run.stdout and "assert_posts_landed" in run.stdout
    assert f"WARNING: {SENTENCE}" in run.stdout
    assert wh.query("select count(*) from staging.stg_social__posts") == [(0,)]

    # a posts export lands: the warning is gone
    export = landing / "facebook" / "harbor_fb" / "Oct-30-2026_Oct-31-2026_104835129933411.csv"
    export.parent.mkdir(parents=True)
    export.write_text(NEGATIVE_REACTIONS, encoding="utf-8")
    run = wh.build(*SELECTION)
    assert SENTENCE not in run.stdout, run.stdout[-4000:]
    assert wh.query("select count(*) from staging.stg_social__posts")[0][0] >= 1


def test_database_folder_only_for_local_files() -> None:
    assert database_folder("warehouse/warehouse.duckdb") == Path("warehouse")
    assert database_folder(":memory:") is None
    assert database_folder("md:my_db") is None
    assert database_folder("s3://bucket/w.duckdb") is None
