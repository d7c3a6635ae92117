"""The main job killed at any point: BI keeps a complete version, the next run recovers."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import duckdb
import pytest
from test_end_to_end import BIN, Warehouse


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory, sample_landing: Path) -> Warehouse:
    root = tmp_path_factory.mktemp("faults")
    landing = root / "landing"
    shutil.copytree(sample_landing, landing, copy_function=shutil.copy2)
    # hold one account back so that each later run has new files to load
    shutil.move(landing / "instagram" / "keystone_ig", root / "held_back")
    wh = Warehouse(root, landing)
    first = wh.job()
    assert first.returncode == 0, first.stdout[-3000:]
    return wh


def _assert_complete(wh: Warehouse) -> dict:
    manifest = json.loads((wh.publish_dir / "current" / "manifest.json").read_text())
    con = duckdb.connect(str(wh.publish_dir / "warehouse.duckdb"), read_only=True)
    try:
        for mart, rows in manifest["row_counts"].items():
            assert con.execute(f"select count(*) from marts.{mart}").fetchall() == [(rows,)]
    finally:
        con.close()
    return manifest


def _kill_when(wh: Warehouse, marker, env: dict[str, str] | None = None) -> None:
    proc = subprocess.Popen(
        [str(BIN / "social-warehouse"), "run", "--no-use-colors"],
        cwd=wh.project,
        env={**wh.env, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group: dbt dies with it
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")))
    reader.start()
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if marker("".join(lines)):
                break
            time.sleep(0.05)
        assert proc.poll() is None, (
            "the job ended before the kill point:\n" + "".join(lines)[-2000:]
        )
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        reader.join(timeout=10)


@pytest.mark.parametrize(
    ("phase", "env"),
    [
        ("staging", None),
        ("tests", None),
        ("publish", {"PUBLISH_PAUSE_AT": "copy", "PUBLISH_PAUSE_SECONDS": "120"}),
    ],
)
def test_killed_job_leaves_a_complete_version(
    published: Warehouse, phase: str, env: dict[str, str] | None
) -> None:
    before = _assert_complete(published)
    digest = published.published_digest()
    held = published.root / "held_back"
    if held.exists():  # new files: the killed run has real work to do
        shutil.move(held, published.landing / "instagram" / "keystone_ig")
    building = published.publish_dir / "versions"

    def reached(out: str) -> bool:
        if phase == "staging":
            return "START sql incremental model staging.base_social__posts" in out
        if phase == "tests":
            return "START test" in out
        return any(building.glob(".building-*/warehouse.duckdb"))

    _kill_when(published, reached, env)
    assert published.published_digest() == digest
    assert _assert_complete(published)["run_id"] == before["run_id"]


def test_the_next_run_recovers_and_publishes(published: Warehouse) -> None:
    before = _assert_complete(published)
    run = published.job()
    assert run.returncode == 0, run.stdout[-3000:]
    after = _assert_complete(published)
    assert after["run_id"] != before["run_id"]
    assert after["row_counts"]["fct_posts"] > before["row_counts"]["fct_posts"]
    assert not list((published.publish_dir / "versions").glob(".building-*"))
