"""Publishing is atomic, keeps versions, and never leaves BI with a half-written file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from social_warehouse.publish import current_version, publish, read_manifest

MARTS = ("fct_a", "fct_b")


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
