"""Great Expectations checkpoint over the marts: the BI contract, checked after `dbt build`.

GX 1.x cannot validate DuckDB through SQLAlchemy (its SQL engine returns empty
metric results with duckdb-engine), so each mart is read from DuckDB into a
pandas DataFrame and validated by a pandas Data Source. On Spark (docs/spark.md)
each mart is a Spark DataFrame validated by a Spark Data Source: the same suite,
with reference values and column types read through the engine (`MartReader`).
The suite is built here from the dbt manifest (which marts are published, their
contract columns and types) plus the checks below, and its Data Docs are written
to `<gx root>/gx/uncommitted/data_docs/local_site/`. Reference values the checks
compare with (post count, platforms, organisations, stages) are read from the
built warehouse (staging models and seeds), not written here.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import duckdb
import great_expectations as gx
import great_expectations.expectations as gxe
import pandas as pd

from social_warehouse import settings
from social_warehouse.artifacts import Manifest, published_marts
from social_warehouse.gate_result import Failure, GateResult

# Column types are checked against DuckDB's catalog, not with GX's type-list
# expectation: GX 1.24 does not recognise pandas 3's default string dtype or its
# nullable integer dtypes, and the catalog holds the exact types BI will see.
DUCKDB_TYPES = {
    "varchar": "VARCHAR",
    "bigint": "BIGINT",
    "integer": "INTEGER",
    "double": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
}


class MartReader:
    """What the gate reads from a built warehouse: reference values by SQL, each mart as
    a DataFrame GX validates, and the catalog's column types. This one reads DuckDB."""

    errors: tuple[type[Exception], ...] = (duckdb.Error,)

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con

    def rows(self, sql: str) -> list[tuple]:
        return self.con.execute(sql).fetchall()

    def data_source(self, context):
        return context.data_sources.add_or_update_pandas("marts")

    def frame(self, mart: str):
        return self.con.execute(f"select * from marts.{mart}").df()

    def column_types(self, mart: str) -> dict[str, str]:
        sql = (
            "select column_name, data_type from information_schema.columns"
            " where table_schema = 'marts' and table_name = ?"
        )
        return dict(self.con.execute(sql, [mart]).fetchall())

    @staticmethod
    def expected_type(contract_type: str) -> str:
        return DUCKDB_TYPES.get(contract_type, contract_type.upper())


def _scalar(con: duckdb.DuckDBPyConnection | MartReader, sql: str):
    return _rows(con, sql)[0][0]


def _rows(con: duckdb.DuckDBPyConnection | MartReader, sql: str) -> list[tuple]:
    return con.rows(sql) if isinstance(con, MartReader) else con.execute(sql).fetchall()


def _specs(con: duckdb.DuckDBPyConnection | MartReader) -> dict[str, list]:
    """Expectations beyond the contract columns, with the reference counts they need."""
    # every post staged, once per (platform, post_id), whatever the platform
    staged_posts = _scalar(
        con,
        "select count(*) from (select distinct platform, post_id from staging.stg_social__posts)",
    )
    platforms = [r[0] for r in _rows(con, "select platform from seeds.platforms order by platform")]
    # every staged account-day of a known account is a row of fct_page_days
    staged_page_days = _scalar(
        con,
        "select count(*) from staging.stg_social__page_days as p"
        " join seeds.social_accounts as a using (account_key)",
    )
    latest_export = _scalar(
        con,
        "select cast(max(cast(exported_at as date)) as string) from marts.fct_posts",
    )
    # the latest day in the marts must be this close to the latest landed export
    freshness = pd.Timedelta(days=settings.gate_freshness_days())
    freshest = (pd.Timestamp(latest_export) - freshness).strftime("%Y-%m-%dT00:00:00")
    org_months = _scalar(
        con,
        "select count(*) from (select distinct organization_id, spend_month"
        " from seeds.channel_spend)",
    )
    organizations = _scalar(con, "select count(*) from seeds.organizations")
    accounts = _scalar(con, "select count(*) from seeds.social_accounts")
    stages = [r[0] for r in _rows(con, "select stage_name from seeds.maturity_stages")]

    def between(column, low, high=None):
        return gxe.ExpectColumnValuesToBeBetween(column=column, min_value=low, max_value=high)

    return {
        "fct_posts": [
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["platform", "post_id"]),
            gxe.ExpectTableRowCountToEqual(value=staged_posts),
            *[
                gxe.ExpectColumnValuesToNotBeNull(column=c)
                for c in [
                    "post_id",
                    "account_key",
                    "organization_id",
                    "published_at",
                    "engagements",
                ]
            ],
            between("engagements", 0),
            between("engagement_rate_by_followers", 0),
            between("engagement_rate_by_impressions", 0),
            gxe.ExpectColumnValuesToBeInSet(column="platform", value_set=platforms),
            gxe.ExpectColumnMaxToBeBetween(column="published_local_date", min_value=freshest),
        ],
        "fct_engagement_monthly": [
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["account_key", "activity_month"]),
            gxe.ExpectColumnSumToBeBetween(
                column="posts", min_value=staged_posts, max_value=staged_posts
            ),
            between("avg_engagement_rate_per_post", 0, 1),
            between("posts", 0),
            gxe.ExpectColumnMaxToBeBetween(column="activity_month", min_value=freshest),
        ],
        "fct_social_share_of_spend": [
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["organization_id", "spend_month"]),
            gxe.ExpectTableRowCountToEqual(value=org_months),
            between("social_share_of_spend", 0, 1),
            between("total_marketing_spend", 0.01),
            gxe.ExpectColumnValuesToNotBeNull(column="benchmark_social_share"),
        ],
        "fct_maturity_indicators": [
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["organization_id", "quarter_start"]),
            between("maturity_score", 0, 100),
            gxe.ExpectColumnValuesToBeInSet(column="maturity_stage", value_set=stages),
        ],
        "fct_maturity_indicator_scores": [
            gxe.ExpectCompoundColumnsToBeUnique(
                column_list=["organization_id", "quarter_start", "indicator_id"]
            ),
            between("indicator_score", 0, 1),
        ],
        "dim_organizations": [
            gxe.ExpectColumnValuesToBeUnique(column="organization_id"),
            gxe.ExpectTableRowCountToEqual(value=organizations),
        ],
        "dim_social_accounts": [
            gxe.ExpectColumnValuesToBeUnique(column="account_key"),
            gxe.ExpectTableRowCountToEqual(value=accounts),
        ],
        "fct_platform_reviews": [
            gxe.ExpectCompoundColumnsToBeUnique(
                column_list=["organization_id", "platform", "quarter_start"]
            ),
            gxe.ExpectColumnValuesToBeInSet(
                column="verdict", value_set=["keep", "improve", "review", "insufficient_data"]
            ),
            gxe.ExpectColumnValuesToNotBeNull(column="verdict_reasons"),
            gxe.ExpectColumnValuesToBeInSet(column="platform", value_set=platforms),
            between("engagement_index", 0),
            between("platform_cost", 0),
        ],
        "fct_page_days": [
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["account_key", "activity_date"]),
            gxe.ExpectTableRowCountToEqual(value=staged_page_days),
            between("engagement_rate_reported", 0, 1),
            between("impressions", 0),
            gxe.ExpectColumnValuesToBeInSet(column="platform", value_set=platforms),
        ],
    }


def _contract_columns(manifest: Manifest, mart: str) -> list:
    model = manifest.model(mart)
    return [gxe.ExpectTableColumnsToMatchOrderedList(column_list=[c.name for c in model.columns])]


def _contract_types(reader: MartReader, manifest: Manifest, mart: str) -> list[Failure]:
    """Each contract column has its declared type in the engine's catalog."""
    actual = reader.column_types(mart)
    failures = []
    for column in manifest.model(mart).columns:
        expected = reader.expected_type(column.data_type)
        if actual.get(column.name) != expected:
            failures.append(
                Failure(
                    mart,
                    "contract_column_type",
                    column.name,
                    f"expected {expected}; observed {actual.get(column.name, 'missing')}",
                )
            )
    return failures


def _describe(result) -> tuple[str | None, str]:
    config = result.expectation_config
    kwargs = dict(config.kwargs)
    column = kwargs.pop("column", None)
    kwargs.pop("batch_id", None)
    observed = result.result.get("observed_value")
    unexpected = result.result.get("partial_unexpected_list")
    bits = [f"expected {json.dumps(kwargs, default=str)}"]
    if observed is not None:
        bits.append(f"observed {observed}")
    if unexpected:
        bits.append(f"examples {unexpected[:5]}")
    if result.exception_info and result.exception_info.get("raised_exception"):
        bits.append(f"error {result.exception_info.get('exception_message')}")
    return column, "; ".join(bits)


def _declarations(
    manifest: Manifest, marts: tuple[str, ...], specs: dict[str, list]
) -> tuple[int, list[Failure]]:
    """The project's declarations agree: every mart with checks here and every model an
    exposure reads is published. (checks run, failures)"""
    failures = [
        Failure(
            mart,
            "mart_is_published",
            None,
            "the gate checks this mart but the project does not publish it: "
            "give it an enforced contract and access: public",
        )
        for mart in sorted(set(specs) - set(marts))
    ]
    if not marts:
        failures.append(
            Failure("-", "marts_declared", None, "the manifest declares no published mart")
        )
    run = len(specs) + 1
    for exposure, nodes in sorted(manifest.exposures.items()):
        for uid in nodes:
            model = manifest.models.get(uid)
            if model is None:
                continue
            run += 1
            if model.name not in marts:
                failures.append(
                    Failure(
                        model.name,
                        "exposure_reads_published_mart",
                        None,
                        f"exposure {exposure} reads it but it is not published: "
                        "give it an enforced contract and access: public",
                    )
                )
    return run, failures


def run_gate(database: Path, manifest: Manifest, gx_root: Path) -> GateResult:
    """Validate every published mart of a DuckDB build; success only if every
    expectation passed."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        return validate(MartReader(con), manifest, gx_root)
    finally:
        con.close()


def validate(
    reader: MartReader, manifest: Manifest, gx_root: Path, only: tuple[str, ...] = ()
) -> GateResult:
    """The checkpoint over every published mart (or the `only` ones), read through
    `reader` (any engine)."""
    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    settings.gx_analytics_default()
    context = gx.get_context(mode="file", project_root_dir=str(gx_root))
    context.variables.progress_bars = {"globally": False}
    source = reader.data_source(context)
    failures: list[Failure] = []
    run = 0
    published = published_marts(manifest)
    marts = tuple(m for m in published if not only or m in only)
    try:
        specs = _specs(reader)
    except reader.errors as err:  # a reference model or seed is missing: say which
        specs = {}
        failures.append(Failure("-", "reference_values", None, f"could not read them: {err}"))
    run, declared = _declarations(manifest, published, specs)
    failures.extend(declared)
    for mart in marts:
        extra = specs.get(mart, [])
        frame = reader.frame(mart)
        asset = next((a for a in source.assets if a.name == mart), None)
        asset = asset or source.add_dataframe_asset(mart)
        batch = next((b for b in asset.batch_definitions if b.name == "whole"), None)
        batch = batch or asset.add_batch_definition_whole_dataframe("whole")
        suite = gx.ExpectationSuite(name=f"marts.{mart}")
        failures.extend(_contract_types(reader, manifest, mart))
        run += len(manifest.model(mart).columns)
        for expectation in _contract_columns(manifest, mart) + extra:
            suite.add_expectation(expectation)
        suite = context.suites.add_or_update(suite)
        definition = context.validation_definitions.add_or_update(
            gx.ValidationDefinition(name=f"marts.{mart}", data=batch, suite=suite)
        )
        checkpoint = context.checkpoints.add_or_update(
            gx.Checkpoint(
                name=f"marts.{mart}",
                validation_definitions=[definition],
                actions=[gx.checkpoint.UpdateDataDocsAction(name="update_data_docs")],
            )
        )
        outcome = checkpoint.run(batch_parameters={"dataframe": frame})
        for validation in outcome.run_results.values():
            for result in validation.results:
                run += 1
                if not result.success:
                    column, details = _describe(result)
                    failures.append(Failure(mart, result.expectation_config.type, column, details))
    docs = gx_root / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html"
    return GateResult(not failures, len(marts), run, failures, str(docs))
