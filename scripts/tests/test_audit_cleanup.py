"""Audit tables of tests that no longer exist are dropped at the end of a run
(macros/test_failures.sql, drop_stale_audit_tables).

A table named like no data test of the project goes, whichever nodes the run selected;
the stored failures of an existing test (selected or not) and the bookkeeping tables
stay.
"""

from __future__ import annotations

import json

import duckdb
from test_end_to_end import BIN, Warehouse


def _audit_tables(wh: Warehouse) -> set[str]:
    return {
        name
        for (name,) in wh.query(
            "select table_name from information_schema.tables where table_schema = 'audit'"
        )
    }


def test_tables_of_removed_tests_are_dropped_and_others_kept(tmp_path) -> None:
    landing = tmp_path / "landing"
    landing.mkdir()
    wh = Warehouse(tmp_path / "run", landing)
    seed = [str(BIN / "dbt"), "seed", "--no-use-colors", "--select", "platforms"]
    run = wh._run(seed)
    assert run.returncode == 0, run.stdout[-4000:]

    manifest = json.loads((wh.root / "target" / "manifest.json").read_text())
    aliases = sorted(
        n["alias"]
        for n in manifest["nodes"].values()
        if n["resource_type"] == "test" and "platforms" not in n["alias"]
    )
    existing = aliases[0]  # a test this run does not select
    con = duckdb.connect(str(wh.database))
    try:
        con.execute(f'create table audit."{existing}" as select 1 as failing_row')
        con.execute("create table audit.not_null_a_test_removed_long_ago as select 1 as x")
        con.execute("create view audit.unique_a_renamed_test as select 1 as x")
    finally:
        con.close()
    assert {"not_null_a_test_removed_long_ago", "unique_a_renamed_test"} <= _audit_tables(wh)

    run = wh._run(seed)
    assert run.returncode == 0, run.stdout[-4000:]
    left = _audit_tables(wh)
    assert "not_null_a_test_removed_long_ago" not in left
    assert "unique_a_renamed_test" not in left
    assert {existing, "test_watermarks", "seed_loads"} <= left
    assert wh.query(f'select failing_row from audit."{existing}"') == [(1,)]
