"""The job's steps that are Spark's own (docs/spark.md).

- `ingest`: dbt-spark runs no Python model in a local session, so the landing
  ingest runs before `dbt build --target spark` and writes its inventory
  (RAW_DIR/_landing_files/landing_files.parquet) for the Spark `landing_files` model.
- `export`: each mart of the Spark build as one Parquet file, swapped into place
  atomically (`os.replace`), for BI and for the comparison with DuckDB.
- `compare_tables`: the row-for-row comparison of two builds of one mart.

PySpark is imported only by the functions that need it: the DuckDB install
does not have it (requirements-spark.lock).
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from social_warehouse import settings
from social_warehouse.artifacts import load_manifest, published_marts
from social_warehouse.ingest import ingest

INVENTORY_FOLDER = "_landing_files"
# doubles equal to 9 significant digits: the engines sum and divide in other orders
REL_TOLERANCE = 1e-9
ABS_TOLERANCE = 1e-12
# amounts the SQL rounds to cents: a sum that lands on a half cent in one engine's
# order of addition and just under it in the other's rounds one cent apart
CENT = 0.01


def _cents_apart(x: float, y: float) -> bool:
    """Both values whole cents and exactly one cent apart (a rounding tie)."""
    return round(x, 2) == x and round(y, 2) == y and math.isclose(abs(x - y), CENT, rel_tol=1e-6)


def spark_home() -> Path:
    """Where Spark keeps its metastore, table files and derby.log (SPARK_HOME_DIR)."""
    return settings.path("SPARK_HOME_DIR").resolve()


def write_inventory(table: pa.Table, raw: Path) -> Path:
    """The landing inventory as RAW_DIR/_landing_files/landing_files.parquet, swapped in."""
    folder = raw / INVENTORY_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "landing_files.parquet"
    tmp = folder / ".landing_files.parquet.tmp"
    pq.write_table(table, tmp)
    os.replace(tmp, target)
    return target


def schema_files(raw: Path) -> list[Path]:
    """A copy of each raw folder's `_empty.parquet` named `schema.parquet`.

    Spark skips files named `_*` even when a glob names them, and cannot read a
    folder with no file: the copy (no rows, every column of the entity) gives the
    landing_raw table its columns before the first batch of an entity lands.
    """
    copies = []
    for empty in sorted(raw.glob("*/_empty.parquet")):
        copy = empty.with_name("schema.parquet")
        if not copy.exists():
            shutil.copyfile(empty, copy)
        copies.append(copy)
    return copies


def ingest_for_spark(landing: Path, raw: Path) -> Path:
    """Run the landing ingest (as the DuckDB build's Python model does) and keep its inventory."""
    inventory = write_inventory(ingest(landing, raw).as_table(), raw)
    schema_files(raw)
    return inventory


def spark_session(app_name: str = "social-warehouse"):  # pragma: no cover - needs a JVM
    """A local session on the metastore and table files the dbt `spark` target uses."""
    from pyspark.sql import SparkSession

    home = spark_home()
    builder = (
        SparkSession.builder.appName(app_name)
        .master("local[2]")
        .enableHiveSupport()
        .config("spark.driver.memory", settings.text("SPARK_DRIVER_MEMORY"))
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.parser.escapedStringLiterals", "true")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.warehouse.dir", str(home / "spark-warehouse"))
        .config(
            "spark.hadoop.javax.jdo.option.ConnectionURL",
            f"jdbc:derby:;databaseName={home}/metastore_db;create=true",
        )
        .config(
            "spark.driver.extraJavaOptions",
            f"-Dderby.system.home={home} -Dderby.stream.error.file={home}/derby.log",
        )
    )
    return builder.getOrCreate()


def export_marts(out: Path, marts: Sequence[str], schema: str = "marts") -> list[Path]:
    """Write each mart of the Spark build to `out/<mart>.parquet`, each replaced atomically."""
    session = spark_session("social-warehouse-export")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    try:
        for mart in marts:
            table = session.table(f"{schema}.{mart}").toArrow()
            tmp = out / f".{mart}.parquet.tmp"
            pq.write_table(table, tmp)
            os.replace(tmp, out / f"{mart}.parquet")
            written.append(out / f"{mart}.parquet")
    finally:
        session.stop()
    return written


def _normalise(value: object) -> object:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return value
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return float(value)
    return value


def _sort_key(row: tuple) -> tuple:
    return tuple((v is None, str(v) if v is not None else "") for v in row)


def compare_tables(left: pa.Table, right: pa.Table, name: str = "") -> list[str]:
    """Differences between two builds of one table: columns, row count, then row for row.

    Rows are matched after sorting on every column (doubles rounded to 9 significant
    digits for the sort); numbers are equal within REL_TOLERANCE, or when both are whole
    cents one cent apart (a half cent rounded by `round(x, 2)` after sums added in another
    order); everything else exactly.
    """
    problems: list[str] = []
    if set(left.column_names) != set(right.column_names):
        only_left = sorted(set(left.column_names) - set(right.column_names))
        only_right = sorted(set(right.column_names) - set(left.column_names))
        return [f"{name}: columns differ (only left {only_left}, only right {only_right})"]
    columns = sorted(left.column_names)
    if left.num_rows != right.num_rows:
        return [f"{name}: {left.num_rows} rows against {right.num_rows}"]

    def rows(table: pa.Table) -> list[tuple]:
        data = [table.column(c).to_pylist() for c in columns]
        out = [tuple(_normalise(col[i]) for col in data) for i in range(table.num_rows)]

        def key(row: tuple) -> tuple:
            return _sort_key(tuple(float(f"{v:.9g}") if isinstance(v, float) else v for v in row))

        return sorted(out, key=key)

    for index, (a, b) in enumerate(zip(rows(left), rows(right), strict=True)):
        for column, x, y in zip(columns, a, b, strict=True):
            same = (
                math.isclose(x, y, rel_tol=REL_TOLERANCE, abs_tol=ABS_TOLERANCE)
                or _cents_apart(x, y)
                if isinstance(x, float) and isinstance(y, float)
                else x == y
            )
            if not same:
                problems.append(f"{name} row {index} column {column}: {x!r} against {y!r}")
        if len(problems) > 20:
            problems.append(f"{name}: more differences not listed")
            break
    return problems


def mart_names(target: Path | None = None) -> list[str]:
    """The marts BI reads, from dbt's manifest (as the DuckDB publish lists them)."""
    return list(published_marts(load_manifest(target or settings.dbt_target_path())))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m social_warehouse.spark")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("ingest", help="land new exports into raw Parquet before a Spark build")
    gate = sub.add_parser("gate", help="Great Expectations over the Spark build's marts")
    gate.add_argument("--out", default="warehouse/spark/gate")
    export = sub.add_parser("export", help="write every mart of the Spark build as Parquet")
    export.add_argument("--out", default="warehouse/spark/export")
    args = parser.parse_args(argv)
    if args.command == "ingest":
        path = ingest_for_spark(settings.landing_dir(), settings.raw_dir())
        print(f"landing inventory: {path}")
    elif args.command == "gate":
        # Great Expectations imports PySpark, whose import exits a process started with no
        # main file (the ingest's worker processes): imported here, for the gate only
        from social_warehouse.spark_gate import run_spark_gate

        out = Path(args.out)
        result = run_spark_gate(out / "great_expectations")
        result.write(out / "gate.json")
        print(
            f"quality gate: {'passed' if result.success else 'FAILED'}: "
            f"{result.expectations_run} checks on {result.marts_checked} marts, "
            f"{len(result.failures)} failed ({out / 'gate.json'})"
        )
        for failure in result.failures:
            print(
                f"  {failure.mart} {failure.expectation} {failure.column or ''}: {failure.details}"
            )
        return 0 if result.success else 1
    else:
        for path in export_marts(Path(args.out), mart_names()):
            print(f"exported {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
