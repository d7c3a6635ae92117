"""No staff name in clear in anything the job writes: raw Parquet, the ingest's state,
the build and published DuckDB files, published Parquet, stored test failures, dbt's
artifacts and logs, the steward report and the gate's pages."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from test_end_to_end import Warehouse

from social_warehouse.generator.core import STAFF
from social_warehouse.ingest.readers import read_workbook

NAMES = sorted({name for names in STAFF.values() for name in names})


def _files(root: Path) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file() and not p.is_symlink()}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory, sample_landing: Path) -> tuple:
    """The sample built and published once; every file the job created or changed."""
    root = tmp_path_factory.mktemp("privacy")
    landing = root / "landing"
    shutil.copytree(sample_landing, landing, copy_function=shutil.copy2)
    wh = Warehouse(root, landing)
    before = _files(root)
    run = wh.job()
    assert run.returncode == 0, run.stdout[-3000:]
    after = _files(root)
    changed = sorted(p for p, mtime in after.items() if before.get(p) != mtime)
    return wh, changed, run


def _texts(path: Path) -> Iterator[str]:
    """Every text a file holds, decoded: Parquet and DuckDB compress their strings, so
    their bytes alone would hide a name; other files as UTF-8 (and Latin-1) text."""
    data = path.read_bytes()
    yield data.decode("utf-8", errors="replace")
    yield data.decode("latin-1")
    if data[:4] == b"PAR1":
        table = pq.read_table(path)
        for column in table.columns:
            if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
                yield "\n".join(v for v in column.to_pylist() if v)
    elif path.suffix == ".duckdb" and data[8:12] == b"DUCK":
        con = duckdb.connect(str(path), read_only=True)
        try:
            columns = con.execute(
                "select table_schema, table_name, column_name from information_schema.columns"
                " where data_type = 'VARCHAR' and table_catalog = current_database()"
            ).fetchall()
            for schema, table, column in columns:
                values = con.execute(
                    f'select distinct "{column}" from "{schema}"."{table}"'
                    f' where "{column}" is not null'
                ).fetchall()
                yield "\n".join(v for (v,) in values)
        finally:
            con.close()


def test_the_sample_has_staff_names_to_hide(sample_landing: Path) -> None:
    """The check below can fail: the sample's LinkedIn exports do name the staff."""
    seen = set()
    for path in sample_landing.glob("linkedin/*/*.xlsx"):
        for table in read_workbook(path):
            for column in table.rows.column_names:
                seen |= set(table.rows.column(column).to_pylist()) & set(NAMES)
    assert len(seen) >= 3, seen


def test_no_staff_name_in_any_file_the_job_wrote(written: tuple) -> None:
    wh, changed, _ = written
    kinds = {p.suffix for p in changed}
    assert {".parquet", ".duckdb", ".json", ".html", ".txt", ".log"} <= kinds, kinds
    assert any(p.name == "_state.json" for p in changed)
    unkeyed = {hashlib.sha256(n.lower().encode()).hexdigest() for n in NAMES}
    found = []
    for path in changed:
        for text in _texts(path):
            folded = text.casefold()
            found += [(str(path.relative_to(wh.root)), n) for n in NAMES if n.casefold() in folded]
            found += [
                (str(path.relative_to(wh.root)), "unkeyed hash") for h in unkeyed if h in text
            ]
    assert found == []


def test_the_authors_are_kept_as_keyed_pseudonyms(written: tuple) -> None:
    wh, _, _ = written
    rows = wh.query(
        "select count(*), count(posted_by_hash), count(distinct posted_by_hash)"
        " from staging.stg_social__posts where platform = 'linkedin'"
    )
    posts, with_author, authors = rows[0]
    assert posts > 0 and with_author > 0
    assert 3 <= authors <= len(NAMES)  # one pseudonym per person, not per post
    assert wh.query(
        "select count(*) from staging.stg_social__posts"
        " where posted_by_hash is not null"
        " and not regexp_full_match(posted_by_hash, '[0-9a-f]{64}')"
    ) == [(0,)]
