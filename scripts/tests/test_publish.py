"""Publishing is atomic, keeps versions, and never leaves BI with a half-written file."""

from __future__ import annotations

import json
import os
import signal
import struct
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from social_warehouse.publish import current_version, not_null_columns, publish, read_manifest

MARTS = ("fct_a", "fct_b")


@pytest.fixture(autouse=True)
def _no_project_manifest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Publish reads no dbt manifest but the ones these tests write."""
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))


def _build(path: Path, rows: int) -> Path:
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    for mart in MARTS:
        con.execute(f"create table marts.{mart} as select range as id from range({rows})")
    con.close()
    return path


def _published_rows(publish_dir: Path) -> dict[str, int]:
    con = duckdb.connect(str(publish_dir / "warehouse.duckdb"), read_only=True)
    try:
        return {m: con.execute(f"select count(*) from marts.{m}").fetchall()[0][0] for m in MARTS}
    finally:
        con.close()


def test_publish_writes_a_complete_version_and_points_current_at_it(tmp_path: Path) -> None:
    out = tmp_path / "publish"
    record = publish(_build(tmp_path / "b.duckdb", 5), out, "abcdef123", {"x": 1}, MARTS)
    assert current_version(out) == record.run_id
    assert _published_rows(out) == {"fct_a": 5, "fct_b": 5}
    assert sorted(p.name for p in (out / "parquet").iterdir()) == ["fct_a.parquet", "fct_b.parquet"]
    manifest = read_manifest(out)
    assert manifest["row_counts"] == {"fct_a": 5, "fct_b": 5}
    assert manifest["dbt_invocation_id"] == "abcdef123" and manifest["git_commit"]
    assert (out / "current" / "warehouse.duckdb").stat().st_mode & 0o222 == 0


def test_a_reader_keeps_its_version_while_a_new_one_is_published(tmp_path: Path) -> None:
    out = tmp_path / "publish"
    publish(_build(tmp_path / "b1.duckdb", 5), out, "run1", {}, MARTS)
    reader = duckdb.connect(str(out / "warehouse.duckdb"), read_only=True)
    try:
        publish(_build(tmp_path / "b2.duckdb", 7), out, "run2", {}, MARTS)
        # the open reader still sees the version it opened, whole
        assert reader.execute("select count(*) from marts.fct_a").fetchall() == [(5,)]
        assert reader.execute("select count(*) from marts.fct_b").fetchall() == [(5,)]
    finally:
        reader.close()
    assert _published_rows(out) == {"fct_a": 7, "fct_b": 7}


def test_only_the_last_versions_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PUBLISH_KEEP_VERSIONS", "2")
    out = tmp_path / "publish"
    ids = [
        publish(_build(tmp_path / f"b{i}.duckdb", i + 1), out, f"run{i}", {}, MARTS).run_id
        for i in range(4)
    ]
    kept = sorted(p.name for p in (out / "versions").iterdir())
    assert kept == ids[-2:]
    assert current_version(out) == ids[-1]


@pytest.mark.parametrize("step", ["copy", "swap"])
def test_a_publish_killed_midway_leaves_a_readable_complete_version(
    tmp_path: Path, step: str
) -> None:
    out = tmp_path / "publish"
    first = publish(_build(tmp_path / "b1.duckdb", 5), out, "run1", {}, MARTS)
    before = (out / "warehouse.duckdb").read_bytes()
    second_db = _build(tmp_path / "b2.duckdb", 9)
    code = (
        "from pathlib import Path; from social_warehouse.publish import publish; "
        f"publish(Path({str(second_db)!r}), Path({str(out)!r}), 'run2', {{}}, {MARTS!r})"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        env={**os.environ, "PUBLISH_PAUSE_AT": step, "PUBLISH_PAUSE_SECONDS": "60"},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if step == "copy" and any((out / "versions").glob(".building-*/parquet")):
            break
        if step == "swap" and len(list((out / "versions").iterdir())) == 2:
            break
        time.sleep(0.1)
    time.sleep(0.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # BI still reads the first version, complete and byte-identical
    assert current_version(out) == first.run_id
    assert (out / "warehouse.duckdb").read_bytes() == before
    assert _published_rows(out) == {"fct_a": 5, "fct_b": 5}
    # the next publish succeeds and cleans what the crash left
    third = publish(_build(tmp_path / "b3.duckdb", 3), out, "run3", {}, MARTS)
    assert current_version(out) == third.run_id
    assert not list((out / "versions").glob(".building-*"))
    assert json.loads((out / "current" / "manifest.json").read_text())["row_counts"]["fct_a"] == 3


def test_the_kept_versions_can_be_given_and_nothing_is_published_without_marts(
    tmp_path: Path,
) -> None:
    out = tmp_path / "publish"
    for i in range(3):
        publish(_build(tmp_path / f"b{i}.duckdb", 1), out, f"run{i}", {}, MARTS, keep=1)
    assert len(list((out / "versions").iterdir())) == 1
    with pytest.raises(ValueError, match="no marts"):
        publish(_build(tmp_path / "empty.duckdb", 1), out, "run9", {}, ())


def test_the_duckdb_file_is_in_the_storage_format_duckdb_1_reads(tmp_path: Path) -> None:
    out = tmp_path / "publish"
    publish(_build(tmp_path / "b.duckdb", 5), out, "run1", {}, MARTS)
    with (out / "warehouse.duckdb").open("rb") as fh:
        magic, storage = struct.unpack("<8x4sQ", fh.read(20))
    # 64: DuckDB 1.0 to 1.1's number, read by every later DuckDB (2.0's own is 999)
    assert (magic, storage) == (b"DUCK", 64)
    con = duckdb.connect(str(out / "warehouse.duckdb"), read_only=True)
    try:
        (tags,) = con.execute(
            "select tags from duckdb_databases() where database_name = 'warehouse'"
        ).fetchone()
    finally:
        con.close()
    assert tags["storage_version"] == "v1.0.0+"
    assert not list((out / "current").glob("*.wal"))


def _mixed(path: Path, nulls: bool = False) -> Path:
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute(
        "create table marts.fct_a as select range as id, range / 2 as rate,"
        f" {'null' if nulls else 'range'}::bigint as total, 'x' as label from range(10)"
    )
    con.execute("create table marts.fct_b as select range as id from range(3)")
    con.close()
    return path


def test_parquet_nullability_follows_the_contract_not_the_data(tmp_path: Path) -> None:
    out = tmp_path / "publish"
    required = {"fct_a": {"ID", "total"}}  # the contract's names, in any case
    publish(_mixed(tmp_path / "b.duckdb"), out, "run1", {}, MARTS, required=required)
    fct_a = pq.read_schema(out / "parquet" / "fct_a.parquet")
    # no row of rate or label is null, yet the contract lets them be: optional
    assert {f.name: f.nullable for f in fct_a} == {
        "id": False,
        "rate": True,
        "total": False,
        "label": True,
    }
    assert pq.read_schema(out / "parquet" / "fct_b.parquet").field("id").nullable
    assert pq.read_table(out / "parquet" / "fct_a.parquet").num_rows == 10


def test_a_null_where_the_contract_says_never_publishes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "publish"
    first = publish(_build(tmp_path / "b1.duckdb", 5), out, "run1", {}, MARTS)
    with pytest.raises(ValueError, match=r"fct_a\.total: the contract says it is never null"):
        publish(
            _mixed(tmp_path / "b2.duckdb", nulls=True),
            out,
            "run2",
            {},
            MARTS,
            required={"fct_a": {"total"}},
        )
    assert current_version(out) == first.run_id
    assert _published_rows(out) == {"fct_a": 5, "fct_b": 5}


def _model(name: str, materialized: str, columns: dict, constraints=()) -> dict:
    return {
        "resource_type": "model",
        "name": name,
        "schema": "marts",
        "fqn": ["social_warehouse", "marts", name],
        "config": {"materialized": materialized},
        "contract": {"enforced": True},
        "constraints": list(constraints),
        "columns": {
            c: {"name": c, "description": "", "data_type": "varchar", "constraints": k}
            for c, k in columns.items()
        },
    }


def _not_null(model: str, column: str, **config) -> dict:
    return {
        "resource_type": "test",
        "name": f"not_null_{model}_{column}",
        "attached_node": f"model.social_warehouse.{model}",
        "column_name": column,
        "test_metadata": {"name": "not_null", "kwargs": {"column_name": column}},
        "config": {"severity": "ERROR", "error_if": "!= 0", "where": None, **config},
    }


def _row_rules(model: str, columns: list[str], **config) -> dict:
    return {
        "resource_type": "test",
        "name": f"row_rules_{model}_",
        "attached_node": f"model.social_warehouse.{model}",
        "column_name": None,
        "test_metadata": {
            "name": "row_rules",
            "kwargs": {"not_null": columns, "accepted_values": {"k": ["x"]}},
        },
        "config": {"severity": "ERROR", "error_if": "!= 0", "where": None, **config},
    }


def test_not_null_columns_come_from_constraints_and_blocking_tests(tmp_path: Path) -> None:
    not_null = [{"type": "not_null"}]
    nodes = {
        "model.social_warehouse.fct_t": _model(
            "fct_t",
            "table",
            {
                "a": not_null,
                "b": [{"type": "primary_key"}],
                "c": [],
                "d": [{"type": "check"}],
                "e": [],
                "f": [],
                "g": [],
                "h": [],
                "i": [],
                "j": [],
                "k": [],
            },
            constraints=[{"type": "primary_key", "columns": ["C"]}],
        ),
        "model.social_warehouse.fct_v": _model("fct_v", "view", {"a": not_null, "b": []}),
        "model.social_warehouse.fct_other": _model("fct_other", "table", {"a": not_null}),
        "test.social_warehouse.t1": _not_null("fct_t", "e"),
        "test.social_warehouse.t2": _not_null("fct_t", "f", severity="warn"),
        "test.social_warehouse.t3": _not_null("fct_t", "g", where="g_day > '2026-01-01'"),
        "test.social_warehouse.t4": _not_null("fct_t", "h", error_if=">10"),
        "test.social_warehouse.t5": _not_null("fct_v", "b"),
        # the project's row_rules: its not_null columns, not its accepted_values ones
        "test.social_warehouse.t6": _row_rules("fct_t", ["i"]),
        "test.social_warehouse.t7": _row_rules("fct_t", ["j"], severity="warn"),
    }
    target = tmp_path / "target"
    target.mkdir()
    manifest = {"metadata": {"project_name": "social_warehouse"}, "nodes": nodes}
    (target / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    assert not_null_columns(target, ("fct_t", "fct_v", "fct_unknown")) == {
        # constraints on a table (column or model level) and a test that blocks publishing;
        # not a warning, a filtered test, a tolerated count, nor a view's constraint
        "fct_t": frozenset({"a", "b", "c", "e", "i"}),
        "fct_v": frozenset({"b"}),
    }
    assert not_null_columns(tmp_path / "nowhere", ("fct_t",)) == {}
    # by default the publish reads the manifest of DBT_TARGET_PATH (the autouse fixture's)
    build = tmp_path / "b.duckdb"
    con = duckdb.connect(str(build))
    con.execute("create schema marts")
    con.execute("create table marts.fct_t as select 'x' as a, 'y' as e, 'z' as f")
    con.close()
    publish(build, tmp_path / "publish", "run1", {}, ("fct_t",))
    schema = pq.read_schema(tmp_path / "publish" / "parquet" / "fct_t.parquet")
    assert [f.nullable for f in schema] == [False, False, True]
