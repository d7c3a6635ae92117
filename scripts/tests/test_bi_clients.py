"""BI clients on DuckDB 1.x read what is published (docs/bi_clients.md).

The published DuckDB file is written in DuckDB 1.0's storage format. This is proved with
a real DuckDB 1.x client: a small environment of its own holding only `duckdb`
(DUCKDB1_VERSION), created once under `.venv-duckdb1/` (ignored by git) and reused, which
opens a published version read-only and reads every mart and every Parquet file. Its
readings must equal those of the project's DuckDB 2.x.

The published version is built from a small database of marts with every column type
the contracts use, not from a dbt build, so the whole module takes seconds. The test is
skipped only when pip cannot get that DuckDB from the package index (offline machine).
"""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
import yaml

from social_warehouse.publish import publish, read_manifest

REPOSITORY = Path(__file__).resolve().parents[2]
# the newest DuckDB that reads only storage version 64 (DuckDB 1.2 reads 65, 1.4 up to 67):
# if the file needed anything newer than DuckDB 1.0's format, this client would refuse it
DUCKDB1_VERSION = "1.1.3"
CLIENTS_DIR = REPOSITORY / ".venv-duckdb1"
PROBE = Path(__file__).with_name("bi_client_probe.py")

# every type the marts' contracts use, nulls in nullable columns, a mart with no rows
MARTS = {
    "dim_things": """
        select 'thing-' || range as thing_id,
               case when range % 7 = 0 then null else 'Label ' || range end as label,
               date '2024-01-01' + range::integer as opened_on,
               range % 2 = 0 as is_active,
               (range % 100)::integer as sort_order
        from range(300)""",
    "fct_events": """
        select range as event_id,
               'thing-' || (range % 300) as thing_id,
               timestamp '2025-03-30 00:30:00' + to_minutes(range) as happened_at,
               case when range % 11 = 0 then null else range / 8.0 end as amount,
               (range % 1000) / 1000.0 as rate,
               case when range % 13 = 0 then null else range * 1000003 end as big_count
        from range(5000)""",
    "fct_nothing": "select 1::bigint as id, 'x' as note where false",
}
REQUIRED = {"dim_things": {"thing_id"}, "fct_events": {"event_id", "thing_id"}}
TYPES = {"varchar", "integer", "bigint", "double", "date", "timestamp", "boolean"}


def _pip(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _index_offers(version: str) -> bool:
    """Whether the package index pip reaches lists `duckdb==version`."""
    listing = _pip("index", "versions", "duckdb")
    return listing.returncode == 0 and version in listing.stdout.replace(",", " ").split()


@pytest.fixture(scope="session")
def duckdb1_python() -> Path:
    """An interpreter whose only package is duckdb==DUCKDB1_VERSION (built once, reused)."""
    venv = CLIENTS_DIR / f"duckdb-{DUCKDB1_VERSION}"
    python = venv / "bin" / "python"
    ready = venv / "ready"
    CLIENTS_DIR.mkdir(exist_ok=True)
    with (CLIENTS_DIR / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another session may be building it
        if not ready.exists():
            shutil.rmtree(venv, ignore_errors=True)
            subprocess.run(
                [sys.executable, "-m", "venv", "--without-pip", str(venv)],
                check=True,
                capture_output=True,
            )
            install = _pip(
                "--python", str(python), "install", "--quiet", f"duckdb=={DUCKDB1_VERSION}"
            )
            if install.returncode != 0:
                shutil.rmtree(venv, ignore_errors=True)
                if not _index_offers(DUCKDB1_VERSION):
                    pytest.skip(
                        f"pip cannot reach a package index offering duckdb=={DUCKDB1_VERSION}"
                        f" (offline?): {install.stderr.strip().splitlines()[-1:]}"
                    )
                pytest.fail(f"pip could not install duckdb=={DUCKDB1_VERSION}:\n{install.stderr}")
            ready.write_text(DUCKDB1_VERSION, encoding="utf-8")
    version = subprocess.run(
        [str(python), "-c", "import duckdb; print(duckdb.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert version == DUCKDB1_VERSION
    return python


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A published version of small marts, made by the project's publish step."""
    root = tmp_path_factory.mktemp("bi")
    build = root / "build.duckdb"
    con = duckdb.connect(str(build))
    con.execute("create schema marts")
    for mart, sql in MARTS.items():
        con.execute(f"create table marts.{mart} as {sql}")
    con.close()
    out = root / "publish"
    publish(build, out, "bi-clients", {}, tuple(MARTS), required=REQUIRED)
    return out


def _probe(python: Path | str, publish_dir: Path) -> dict:
    run = subprocess.run(
        [str(python), str(PROBE), str(publish_dir)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def test_a_duckdb_1_client_reads_every_mart_as_duckdb_2_does(
    duckdb1_python: Path, published: Path
) -> None:
    old = _probe(duckdb1_python, published)
    new = _probe(sys.executable, published)
    assert old["duckdb_version"] == DUCKDB1_VERSION
    assert new["duckdb_version"].startswith("2.")
    expected_rows = read_manifest(published)["row_counts"]
    assert {m: t["rows"] for m, t in old["tables"].items()} == expected_rows
    assert {m: p["rows"] for m, p in old["parquet"].items()} == expected_rows
    assert expected_rows["fct_events"] == 5000 and expected_rows["fct_nothing"] == 0
    for mart in MARTS:
        assert old["tables"][mart] == new["tables"][mart], mart
        assert old["parquet"][mart] == new["parquet"][mart], mart
        assert old["parquet"][mart]["values"] == old["tables"][mart]["values"], mart
    types = {t.lower() for table in old["tables"].values() for _, t in table["columns"]}
    assert types == TYPES


def test_the_check_covers_every_type_the_marts_contracts_use() -> None:
    """A contract column of another type must be added to MARTS first: DuckDB writes some
    newer types into the old storage format that old clients may not read."""
    declared = set()
    for path in (REPOSITORY / "models" / "marts").rglob("*.yml"):
        for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models") or []:
            declared.update(
                c["data_type"].lower() for c in model.get("columns") or [] if c.get("data_type")
            )
    assert declared, "no contract declares a column type"
    assert declared <= TYPES, f"not checked with a DuckDB 1.x client: {declared - TYPES}"


def test_a_duckdb_1_client_refuses_duckdb_2s_own_format(
    duckdb1_python: Path, tmp_path: Path
) -> None:
    """The control: without the storage version, a DuckDB 1.x client cannot open the file."""
    (tmp_path / "parquet").mkdir()
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    con.execute("create schema marts; create table marts.t as select 1 as x")
    con.close()
    run = subprocess.run(
        [str(duckdb1_python), str(PROBE), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode != 0
    assert "version number" in run.stderr


def test_parquet_readers_get_the_contracts_nullability(published: Path) -> None:
    for mart in MARTS:
        schema = pq.read_schema(published / "parquet" / f"{mart}.parquet")
        required = {f.name for f in schema if not f.nullable}
        assert required == REQUIRED.get(mart, set()), mart
    # a nullable column with no null in this version's rows is still optional
    events = pq.read_table(published / "parquet" / "fct_events.parquet")
    assert events.column("rate").null_count == 0
    assert events.schema.field("rate").nullable
