"""Publish the marts for BI in one atomic step, keeping the last few versions.

Which marts are published is the project's to say (contract-enforced public models of
the marts folder: `artifacts.published_marts`); the caller passes them in.

Layout of PUBLISH_DIR (default `publish/` in the project):

    versions/<run_id>/warehouse.duckdb      the marts (schema `marts`), read-only file
    versions/<run_id>/parquet/<mart>.parquet
    versions/<run_id>/manifest.json         run id, time, git commit, row counts, checks
    versions/<run_id>/scorecards/<organization_id>.html, index.html   (`scorecards=True`)
    current -> versions/<run_id>            the one link that is swapped
    warehouse.duckdb -> current/warehouse.duckdb
    parquet -> current/parquet
    scorecards -> current/scorecards

A new version is written completely into a hidden folder, renamed into
`versions/`, and only then does `current` change, by renaming a new link over
the old one (atomic on POSIX). A reader that opened the previous file keeps
reading it; a crash at any point leaves `current` on a complete version.

What BI clients get (docs/bi_clients.md):

- the DuckDB file in the storage format of DuckDB 1.0 (`STORAGE_VERSION`), which every
  DuckDB from 1.0.0 on reads, not the newest format, which only DuckDB 2.0 reads;
- Parquet files whose schema follows the marts' contracts, not the data: a column is
  required (non-null) only when its contract says it is never null (`not_null_columns`),
  every other column is optional even when this version's rows hold no null.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Collection, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from social_warehouse import settings
from social_warehouse.artifacts import load_manifest
from social_warehouse.scorecard import write_scorecards

# The oldest storage format DuckDB 2.0 writes: storage version 64, which DuckDB 1.0.0 and
# every later release read (DuckDB 2.0's own format, 999, is read by DuckDB 2.0 only). It
# holds every type the marts use: varchar, integer, bigint, double, date, timestamp,
# boolean. DuckDB tags such a file `v1.0.0+`; asking for an older version writes the same.
STORAGE_VERSION = "v1.0.0"
# rows per Parquet row group: DuckDB's own default, so the files are laid out as before
PARQUET_ROW_GROUP_ROWS = 122_880
# contract constraints that make a column never null (dbt-duckdb enforces both on tables)
NOT_NULL_CONSTRAINTS = frozenset({"not_null", "primary_key"})
# data tests that can make a column required: dbt's not_null, and the project's row_rules
# (tests/generic/row_rules.sql) through its `not_null` argument
NOT_NULL_TESTS = frozenset({"not_null", "row_rules"})


@dataclass
class Published:
    run_id: str
    published_at: str
    git_commit: str
    dbt_invocation_id: str
    row_counts: dict[str, int]
    checks: dict[str, int]
    version_dir: str
    inputs_digest: str = ""
    project_digest: str = ""
    scorecards: list[str] = field(default_factory=list)


def default_publish_dir() -> Path:
    return settings.publish_dir()


def _git_commit(project: Path | None) -> str:
    """The commit of the project that was built ("unknown" outside a git checkout)."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=project or settings.project_dir(),
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError, settings.ProjectNotFound):
        return "unknown"


def _fsync_tree(folder: Path) -> None:
    for path in [*folder.rglob("*"), folder]:
        if path.is_file():
            with path.open("rb") as fh:
                os.fsync(fh.fileno())
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _pause(step: str) -> None:
    """Test hook: PUBLISH_PAUSE_AT=<step> sleeps there, so a test can kill the process."""
    if settings.publish_pause_at() == step:
        import time

        time.sleep(settings.publish_pause_seconds())


def _swap_link(link: Path, target: str) -> None:
    tmp = link.with_name(f".{link.name}.{os.getpid()}.tmp")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(target)
    os.replace(tmp, link)


def current_version(publish_dir: Path) -> str | None:
    link = publish_dir / "current"
    return Path(os.readlink(link)).name if link.is_symlink() else None


def read_manifest(publish_dir: Path) -> dict | None:
    path = publish_dir / "current" / "manifest.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def not_null_columns(target: Path, marts: Collection[str]) -> dict[str, frozenset[str]]:
    """Per mart, the columns (lower case) its contract says are never null, from dbt's
    `manifest.json` in `target`: a `not_null` or `primary_key` constraint of a table or
    incremental model (on the column, or on the model naming it), or a `not_null` data
    test (or a column in the `not_null` list of a `row_rules` test) that blocks
    publishing (severity error, failing on any null row, no `where` filter). A test
    that only warns, tolerates some nulls or checks some rows proves nothing about the
    published rows, nor does a constraint on a view (not enforced).

    Every other column is nullable, whatever the data holds. Without a manifest, or for a
    mart it does not know, no column is required."""
    path = target / "manifest.json"
    if not path.is_file():
        return {}
    manifest = load_manifest(target)
    # constraints, materialisations and test filters: keys the typed view does not parse
    nodes = json.loads(path.read_text(encoding="utf-8"))["nodes"]
    names = {m.unique_id: m.name for m in manifest.models.values() if m.name in marts}
    required: dict[str, set[str]] = {name: set() for name in names.values()}
    for uid, name in names.items():
        node = nodes[uid]
        if node.get("config", {}).get("materialized") not in ("table", "incremental"):
            continue
        for column in node.get("columns", {}).values():
            if any(c.get("type") in NOT_NULL_CONSTRAINTS for c in column.get("constraints") or ()):
                required[name].add(column["name"].lower())
        for constraint in node.get("constraints") or ():
            if constraint.get("type") in NOT_NULL_CONSTRAINTS:
                required[name].update(c.lower() for c in constraint.get("columns") or ())
    for test in manifest.tests.values():
        if test.test_type not in NOT_NULL_TESTS or test.attached_node not in names:
            continue
        config = nodes[test.unique_id].get("config", {})
        fails_on_any_null = str(config.get("error_if") or "!=0").replace(" ", "") in ("!=0", ">0")
        blocking = test.severity == "error" and fails_on_any_null and not config.get("where")
        if test.test_type == "row_rules":
            columns = test.kwargs.get("not_null") or []
        else:
            columns = [test.column_name] if test.column_name else []
        if blocking:
            required[names[test.attached_node]].update(c.strip('"').lower() for c in columns)
    return {name: frozenset(columns) for name, columns in required.items()}


def _write_parquet(
    con: duckdb.DuckDBPyConnection, table: str, target: Path, required: Collection[str]
) -> None:
    """`table` as Parquet, every column optional except the `required` ones (lower case),
    streamed in row groups. A null in a required column stops the publish: the contract
    and the data disagree."""
    reader = con.sql(f"select * from {table}").to_arrow_reader(PARQUET_ROW_GROUP_ROWS)
    schema = pa.schema(
        [f.with_nullable(f.name.lower() not in required) for f in reader.schema],
        metadata=reader.schema.metadata,
    )
    checked = [f.name for f in schema if not f.nullable]
    with pq.ParquetWriter(target, schema) as writer:
        for batch in reader:
            for name in checked:
                nulls = batch.column(name).null_count
                if nulls:
                    raise ValueError(
                        f"{table}.{name}: the contract says it is never null, but "
                        f"{nulls} row(s) are null; nothing was published"
                    )
            writer.write_batch(pa.RecordBatch.from_arrays(batch.columns, schema=schema))


def publish(
    database: Path,
    publish_dir: Path,
    dbt_invocation_id: str,
    checks: dict[str, int],
    marts: Sequence[str],
    inputs_digest: str = "",
    project_digest: str = "",
    project: Path | None = None,
    keep: int | None = None,
    required: Mapping[str, Collection[str]] | None = None,
    scorecards: bool = False,
) -> Published:
    """Copy `marts` of the built `database` into a new version and make it current.

    `project`: the dbt project built (its git commit is recorded; default: the project
    directory); `keep`: versions kept (default: PUBLISH_KEEP_VERSIONS); `required`: per
    mart, the columns never null, written as required in Parquet (default: from the
    contracts in the manifest of DBT_TARGET_PATH, `not_null_columns`); `scorecards`: also
    write the organisations' HTML scorecards into the version (`scorecard.py`)."""
    if not marts:
        raise ValueError("no marts to publish: the manifest declares none")
    if required is None:
        try:
            required = not_null_columns(settings.dbt_target_path(), marts)
        except settings.ProjectNotFound:
            required = {}
    now = datetime.now(UTC)
    run_id = f"{now:%Y%m%dT%H%M%S%fZ}-{dbt_invocation_id[:8]}"
    versions = publish_dir / "versions"
    versions.mkdir(parents=True, exist_ok=True)
    for stale in versions.glob(".building-*"):  # left by a crash: never current
        shutil.rmtree(stale, ignore_errors=True)
    building = versions / f".building-{run_id}"
    (building / "parquet").mkdir(parents=True)

    con = duckdb.connect()
    counts: dict[str, int] = {}
    try:
        con.execute(
            f"attach '{building / 'warehouse.duckdb'}' as published"
            f" (storage_version '{STORAGE_VERSION}')"
        )
        con.execute(f"attach '{database}' as build (read_only)")
        con.execute("create schema published.marts")
        for mart in marts:
            table = f"published.marts.{mart}"
            con.execute(f"create table {table} as select * from build.marts.{mart}")
            counts[mart] = con.execute(f"select count(*) from {table}").fetchall()[0][0]
            _pause("copy")
            columns = {c.lower() for c in required.get(mart, ())}
            _write_parquet(con, table, building / "parquet" / f"{mart}.parquet", columns)
        con.execute("detach build")
        con.execute("checkpoint published")
        con.execute("detach published")
    finally:
        con.close()
    cards = write_scorecards(database, building / "scorecards") if scorecards else []
    record = Published(
        run_id=run_id,
        published_at=now.isoformat(),
        git_commit=_git_commit(project),
        dbt_invocation_id=dbt_invocation_id,
        row_counts=counts,
        checks=checks,
        version_dir=f"versions/{run_id}",
        inputs_digest=inputs_digest,
        project_digest=project_digest,
        scorecards=[f"scorecards/{name}" for name in cards],
    )
    (building / "manifest.json").write_text(json.dumps(asdict(record), indent=1), encoding="utf-8")
    (building / "warehouse.duckdb").chmod(0o444)
    _fsync_tree(building)
    final = versions / run_id
    os.replace(building, final)
    _pause("swap")
    _swap_link(publish_dir / "current", f"versions/{run_id}")
    for name, target in (
        ("warehouse.duckdb", "current/warehouse.duckdb"),
        ("parquet", "current/parquet"),
        *([("scorecards", "current/scorecards")] if cards else []),
    ):
        link = publish_dir / name
        if not link.is_symlink() or os.readlink(link) != target:
            _swap_link(link, target)
    _prune(
        versions,
        keep=settings.publish_keep_versions() if keep is None else keep,
        current=run_id,
    )
    return record


def _prune(versions: Path, keep: int, current: str) -> None:
    done = sorted(p for p in versions.iterdir() if p.is_dir() and not p.name.startswith("."))
    for old in done[:-keep] if keep > 0 else []:
        if old.name != current:
            for path in old.rglob("*"):
                if path.is_file():
                    path.chmod(0o644)
            shutil.rmtree(old, ignore_errors=True)
