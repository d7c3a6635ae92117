"""The quality gate on Spark DataFrames (`python -m social_warehouse.spark gate`).

Its own module, imported only by the gate: Great Expectations imports PySpark, and
PySpark's import exits a process started with no main file, as the ingest's worker
processes are (`social_warehouse.spark ingest` must not import it).
"""

from __future__ import annotations

from pathlib import Path

from social_warehouse import settings
from social_warehouse.artifacts import load_manifest
from social_warehouse.quality_gate import GateResult, MartReader, validate
from social_warehouse.spark import spark_session

# contract types (the marts' YAML) as Spark's catalog names them
SPARK_TYPES = {"varchar": "string", "integer": "int"}


class SparkMarts(MartReader):
    """The quality gate's reader on Spark: each mart is a Spark DataFrame, validated by
    GX's Spark Data Source; reference values and column types come from the session."""

    def __init__(self, session):  # a pyspark.sql.SparkSession
        from pyspark.errors import PySparkException

        self.session = session
        self.errors = (PySparkException,)

    def rows(self, sql: str) -> list[tuple]:
        return [tuple(row) for row in self.session.sql(sql).collect()]

    def data_source(self, context):
        return context.data_sources.add_or_update_spark("marts")

    def frame(self, mart: str):
        return self.session.table(f"marts.{mart}").cache()

    def column_types(self, mart: str) -> dict[str, str]:
        return dict(self.session.table(f"marts.{mart}").dtypes)

    @staticmethod
    def expected_type(contract_type: str) -> str:
        return SPARK_TYPES.get(contract_type, contract_type)


def run_spark_gate(gx_root: Path, target: Path | None = None) -> GateResult:
    """The quality gate over the Spark build's marts (`python -m social_warehouse.spark gate`)."""
    manifest = load_manifest(target or settings.dbt_target_path())
    session = spark_session("social-warehouse-gate")
    try:
        return validate(SparkMarts(session), manifest, gx_root)
    finally:
        session.stop()
