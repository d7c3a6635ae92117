"""The ingest's kept inventory: a run that finds the landing unchanged returns the rows
the previous run wrote, and they are the rows a full read of the load state gives."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pytest

from social_warehouse.ingest import core, ingest


def _sorted(table: pa.Table) -> pa.Table:
    return table.sort_by([("source_file", "ascending"), ("sheet", "ascending")])


def _read_in_full(landing: Path, raw: Path) -> pa.Table:
    """The inventory as the load state gives it (the kept inventory removed first)."""
    (raw / core.INVENTORY_CACHE).unlink(missing_ok=True)
    return ingest(landing, raw).as_table()


@pytest.fixture
def state_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Records every load of the state file (an ingest that used the kept inventory
    does not load it)."""
    calls: list[Path] = []
    load = core._load_state

    def recorded(raw: Path, *args, **kwargs):
        calls.append(raw)
        return load(raw, *args, **kwargs)

    monkeypatch.setattr(core, "_load_state", recorded)
    return calls


def _first_file(landing: Path) -> Path:
    return sorted(p for p in landing.rglob("*") if p.is_file() and p.name != "README.md")[0]


def test_an_unchanged_landing_returns_what_a_full_read_returns(
    landing_copy: Path, tmp_path: Path, state_reads: list[Path]
) -> None:
    raw = tmp_path / "raw"
    first = _first_file(landing_copy)
    shutil.copy2(first, first.with_name(f"copy of {first.name}"))  # a duplicate too
    loaded = ingest(landing_copy, raw).as_table()
    assert "loaded" in loaded.column("status").to_pylist()
    assert len(state_reads) == 1

    again = ingest(landing_copy, raw)
    assert len(state_reads) == 1, "an unchanged landing should not load the state"
    kept = again.as_table()
    assert set(kept.column("status").to_pylist()) == {"already_loaded", "duplicate_content"}
    assert again.loaded == 0
    assert [f.source_file for f in again.files] == kept.column("source_file").to_pylist()

    full = _read_in_full(landing_copy, raw)
    assert len(state_reads) == 2
    assert _sorted(kept).equals(_sorted(full))
    # the run that read in full keeps its inventory too
    assert _sorted(ingest(landing_copy, raw).as_table()).equals(_sorted(full))
    assert len(state_reads) == 2


def test_a_touched_file_or_a_lost_batch_reads_past_the_kept_inventory(
    landing_copy: Path, tmp_path: Path, state_reads: list[Path]
) -> None:
    raw = tmp_path / "raw"
    ingest(landing_copy, raw)
    touched = _first_file(landing_copy)
    stat = touched.stat()
    os.utime(touched, ns=(stat.st_atime_ns, stat.st_mtime_ns - 60_000_000_000))
    moved = ingest(landing_copy, raw).as_table()
    assert len(state_reads) == 2
    row = moved.filter(pa.compute.equal(moved.column("source_file"), "/".join(
        touched.relative_to(landing_copy).parts)))  # fmt: skip
    assert row.column("exported_at")[0].as_py() == time.strftime(
        "%Y-%m-%dT%H:%M:%SZ", time.gmtime(stat.st_mtime - 60)
    )

    batch = next(f for f in moved.column("raw_file").to_pylist() if f)
    (raw / batch).unlink()
    reread = ingest(landing_copy, raw).as_table()
    assert len(state_reads) == 3
    assert "loaded" in reread.column("status").to_pylist()


def test_a_file_dated_in_the_future_is_not_kept(
    landing_copy: Path, tmp_path: Path, state_reads: list[Path]
) -> None:
    raw = tmp_path / "raw"
    future = _first_file(landing_copy)
    ahead = time.time() + 3600
    os.utime(future, (ahead, ahead))
    ingest(landing_copy, raw)
    assert not (raw / core.INVENTORY_CACHE).exists()
    ingest(landing_copy, raw)
    assert len(state_reads) == 2, "its exported_at is the load time: every run sets it again"


def test_workers_read_what_one_process_reads_and_main_is_left_as_it_was(
    landing_copy: Path, tmp_path: Path
) -> None:
    """Two worker processes (started with the main script's path hidden from them, see
    core._main_script_hidden) load the same rows as one process."""
    main = sys.modules["__main__"]
    before = getattr(main, "__file__", None)
    assert len([p for p in landing_copy.rglob("*") if p.is_file()]) >= 16  # the pool's minimum
    parallel = ingest(landing_copy, tmp_path / "raw2", workers=2).as_table()
    assert getattr(main, "__file__", None) == before
    single = ingest(landing_copy, tmp_path / "raw1", workers=1).as_table()
    columns = [c for c in parallel.column_names if c != "raw_file"]  # batch names differ
    assert _sorted(parallel.select(columns)).equals(_sorted(single.select(columns)))
    assert parallel.num_rows > 0


def test_workers_do_not_run_the_main_script_again(landing_copy: Path, tmp_path: Path) -> None:
    """Spawned workers re-run the parent's main script (under dbt: dbt's command line, 1.8 s
    of imports each) unless its path is hidden while they start."""
    marker = tmp_path / "imports.txt"
    script = tmp_path / "main_script.py"
    script.write_text(
        "import os, sys\n"
        f"open({str(marker)!r}, 'a').write(f'{{os.getpid()}}\\n')\n"
        "from pathlib import Path\n"
        "from social_warehouse.ingest import ingest\n"
        "if __name__ == '__main__':\n"
        "    result = ingest(Path(sys.argv[1]), Path(sys.argv[2]), workers=2)\n"
        "    assert result.loaded > 0 and sys.modules['__main__'].__file__ == sys.argv[0]\n"
    )
    run = subprocess.run(
        [sys.executable, str(script), str(landing_copy), str(tmp_path / "raw")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert len(marker.read_text().split()) == 1, "a worker ran the main script again"
