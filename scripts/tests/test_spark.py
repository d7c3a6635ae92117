"""The same project on Apache Spark gives the same marts as on DuckDB.

The comparison itself (`compare_tables`) is tested on small tables everywhere.
The builds (the sample through DuckDB and through a local PySpark session, every
mart compared row for row) need Java and the Spark packages and take minutes:
they run with SPARK_TESTS=1, which `make test-spark` sets.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from social_warehouse.spark import compare_tables

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
# stamped with the time of each dbt invocation: differs between any two builds
BUILD_STAMPS = {"built_at"}


def _table(**columns: list) -> pa.Table:
    return pa.table(columns)


def test_equal_tables_in_another_row_order_compare_equal() -> None:
    left = _table(
        post_id=["1", "2", None],
        rate=[0.1, 1 / 3, None],
        published_on=[date(2024, 1, 1), date(2024, 1, 2), None],
    )
    right = _table(
        published_on=[None, date(2024, 1, 2), date(2024, 1, 1)],
        post_id=[None, "2", "1"],
        rate=[None, 1 / 3 + 1e-15, 0.1],
    )
    assert compare_tables(left, right, "t") == []


def test_a_double_beyond_the_precision_is_a_difference() -> None:
    left = _table(post_id=["1"], rate=[0.123456789])
    right = _table(post_id=["1"], rate=[0.123456889])
    assert compare_tables(left, right, "t") == [
        "t row 0 column rate: 0.123456789 against 0.123456889"
    ]


def test_rounded_amounts_may_be_one_cent_apart_and_no_more() -> None:
    left = _table(amount=[2479.09, 10.0, 0.12])
    assert compare_tables(left, _table(amount=[2479.1, 10.0, 0.12]), "t") == []
    assert compare_tables(left, _table(amount=[2479.11, 10.0, 0.12]), "t") == [
        "t row 2 column amount: 2479.09 against 2479.11"
    ]
    assert compare_tables(left, _table(amount=[2479.095, 10.0, 0.12]), "t") != []


def test_missing_rows_columns_and_changed_values_are_named() -> None:
    base = _table(post_id=["1", "2"], posts=[3, 4])
    assert compare_tables(base, _table(post_id=["1"], posts=[3]), "t") == ["t: 2 rows against 1"]
    assert "only left ['posts']" in compare_tables(base, _table(post_id=["1", "2"]), "t")[0]
    assert compare_tables(base, _table(post_id=["1", "2"], posts=[3, 5]), "t") == [
        "t row 1 column posts: 4.0 against 5.0"
    ]
    assert compare_tables(
        _table(at=[datetime(2024, 1, 1, 10)]), _table(at=[datetime(2024, 1, 1, 11)]), "t"
    ) == [
        "t row 0 column at: datetime.datetime(2024, 1, 1, 10, 0) against "
        "datetime.datetime(2024, 1, 1, 11, 0)"
    ]


needs_spark = pytest.mark.skipif(
    os.environ.get("SPARK_TESTS") != "1",
    reason="Spark builds run with SPARK_TESTS=1 (make test-spark)",
)


def _run(command: list[str], env: dict[str, str]) -> float:
    started = time.monotonic()
    done = subprocess.run(
        command,
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
        check=False,
    )
    assert done.returncode == 0, (
        f"{' '.join(command)} failed:\n{done.stdout[-6000:]}\n{done.stderr[-3000:]}"
    )
    return time.monotonic() - started


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory, sample_landing: Path) -> dict[str, object]:
    root = tmp_path_factory.mktemp("engines")
    base = {
        **os.environ,
        "DBT_PROFILES_DIR": str(PROJECT_ROOT / "profiles"),
        "DBT_PROJECT_DIR": str(PROJECT_ROOT),
        "LANDING_DIR": str(sample_landing),
    }
    duck = {
        **base,
        "DBT_TARGET": "dev",
        "DUCKDB_PATH": str(root / "duckdb" / "warehouse.duckdb"),
        "RAW_DIR": str(root / "duckdb" / "raw"),
        "DBT_TARGET_PATH": str(root / "duckdb" / "target"),
        "DBT_LOG_PATH": str(root / "duckdb" / "logs"),
    }
    spark = {
        **base,
        "DBT_TARGET": "spark",
        "SPARK_HOME_DIR": str(root / "spark"),
        "RAW_DIR": str(root / "spark" / "raw"),
        "DBT_TARGET_PATH": str(root / "spark" / "target"),
        "DBT_LOG_PATH": str(root / "spark" / "logs"),
    }
    (root / "duckdb").mkdir()
    (root / "spark").mkdir()
    times = {"duckdb": _run([str(BIN / "dbt"), "build", "--no-use-colors"], duck)}
    module = [str(BIN / "python"), "-m", "social_warehouse.spark"]
    times["spark ingest"] = _run([*module, "ingest"], spark)
    times["spark"] = _run([str(BIN / "dbt"), "build", "--no-use-colors"], spark)
    times["spark gate"] = _run([*module, "gate", "--out", str(root / "spark" / "gate")], spark)
    times["spark export"] = _run(
        [*module, "export", "--out", str(root / "spark" / "export")], spark
    )
    print(f"build times (s): { {k: round(v) for k, v in times.items()} }")
    return {
        "database": duck["DUCKDB_PATH"],
        "export": root / "spark" / "export",
        "gate": root / "spark" / "gate",
        "env": spark,
    }


# The gate over two marts' Spark DataFrames, one given a duplicated row: run in its own
# process (the Derby metastore admits one JVM at a time).
BROKEN_GATE = """
import json, sys
from pathlib import Path
from social_warehouse.spark import spark_session
from social_warehouse.spark_gate import SparkMarts
from social_warehouse.quality_gate import validate
from social_warehouse.artifacts import load_manifest
from social_warehouse import settings

class Duplicated(SparkMarts):
    def frame(self, mart):
        frame = super().frame(mart)
        return frame.union(frame.limit(1)) if mart == "dim_organizations" else frame

session = spark_session("broken-gate")
try:
    result = validate(Duplicated(session), load_manifest(settings.dbt_target_path()),
                      Path(sys.argv[1]), only=("dim_organizations", "dim_social_accounts"))
finally:
    session.stop()
print(json.dumps([[f.mart, f.expectation, f.column] for f in result.failures]))
"""


@needs_spark
def test_every_mart_is_the_same_on_spark_and_on_duckdb(builds: dict[str, object]) -> None:
    exported = sorted(Path(builds["export"]).glob("*.parquet"))
    marts = [p.stem for p in exported]
    assert {"fct_posts", "fct_engagement_monthly", "dim_organizations"} <= set(marts)
    con = duckdb.connect(str(builds["database"]), read_only=True)
    problems: list[str] = []
    try:
        for path in exported:
            on_duckdb = con.sql(f"select * from marts.{path.stem}").to_arrow_table()
            on_spark = pq.read_table(path)
            assert on_duckdb.num_rows > 0 or path.stem.startswith("fct_"), path.stem
            keep = [c for c in on_duckdb.column_names if c not in BUILD_STAMPS]
            problems += compare_tables(
                on_duckdb.select(keep),
                on_spark.select([c for c in on_spark.column_names if c not in BUILD_STAMPS]),
                path.stem,
            )
    finally:
        con.close()
    assert problems == []


@needs_spark
def test_the_gate_passes_on_the_spark_build(builds: dict[str, object]) -> None:
    gate = json.loads((Path(builds["gate"]) / "gate.json").read_text())
    exported = {p.stem for p in Path(builds["export"]).glob("*.parquet")}
    assert gate["success"], gate["failures"]
    assert gate["marts_checked"] == len(exported)
    assert gate["expectations_run"] > 200  # contract columns and types, and the checks


@needs_spark
def test_the_gate_on_spark_dataframes_finds_a_duplicated_row(
    builds: dict[str, object], tmp_path: Path
) -> None:
    # a script file, not `python -c`: PySpark exits at import under a `__main__` with no file
    script = tmp_path / "broken_gate.py"
    script.write_text(BROKEN_GATE)
    done = subprocess.run(
        [str(BIN / "python"), str(script), str(tmp_path / "gx")],
        cwd=PROJECT_ROOT,
        env=builds["env"],
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    failures = json.loads(done.stdout.strip().splitlines()[-1])
    assert ["dim_organizations", "expect_column_values_to_be_unique", "organization_id"] in failures
    assert ["dim_organizations", "expect_table_row_count_to_equal", None] in failures
    assert {f[0] for f in failures} == {"dim_organizations"}
