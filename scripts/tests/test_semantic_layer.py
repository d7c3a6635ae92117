"""The semantic layer (MetricFlow) on the published copy.

One build of the sample (models and seeds only: the data tests are other modules' job),
published with the project's own `publish`, then a few `mf query` runs with the
`published` target, which opens the published file read-only:

- a query runs while another process holds the build database (as a build does), and the
  build database's own target fails at that moment: the lock is real;
- money metrics are stated in the group currency: the sample's organisations report in
  EUR and in USD, and the group totals equal the amounts converted in this test from the
  seeds (group currency, FX rates), not the sum of the raw amounts;
- the README's queries (engagement index by month and platform name, social share of
  spend by quarter and organisation name) answer, with the flags of incomplete periods.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from test_end_to_end import BIN, Warehouse

from social_warehouse.artifacts import load_manifest, published_marts
from social_warehouse.publish import publish

# the README's example queries, run as written by the tests below
ENGAGEMENT_QUERY = (
    "--metrics",
    "engagement_index,benchmark_engagement_rate,posting_frequency",
    "--group-by",
    "metric_time__month,social_account__platform_name,account_month__is_period_complete",
)
SHARE_QUERY = (
    "--metrics",
    "social_share_of_spend,benchmark_social_share,social_share_gap_pp",
    "--group-by",
    "metric_time__quarter,organization__organization_name",
)
README = Path(__file__).resolve().parents[2] / "README.md"
FX_SEED = Path("seeds/organizations/fx_rates.csv")
GROUP_SEED = Path("seeds/organizations/group_reporting_currency.csv")
ORGS_SEED = Path("seeds/organizations/organizations.csv")


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory, sample_landing: Path) -> Warehouse:
    wh = Warehouse(tmp_path_factory.mktemp("semantic"), sample_landing)
    run = wh.build("--exclude", "resource_type:test", "resource_type:unit_test")
    assert run.returncode == 0, run.stdout[-4000:]
    manifest = load_manifest(wh.root / "target")
    publish(wh.database, wh.publish_dir, "semantic", {}, published_marts(manifest), required={})
    # mf reads <project>/target/semantic_manifest.json: parse for the published target
    parse = wh._run(
        [str(BIN / "dbt"), "parse", "--quiet"],
        env={"DBT_TARGET": "published", "DBT_TARGET_PATH": str(wh.project / "target")},
    )
    assert parse.returncode == 0, parse.stdout[-3000:]
    return wh


def _mf(wh: Warehouse, name: str, *args: str, target: str = "published") -> list[dict]:
    out = wh.root / f"{name}.csv"
    out.unlink(missing_ok=True)
    run = wh._run(
        [str(BIN / "mf"), "query", *args, "--csv", str(out)],
        env={"DBT_TARGET": target, "DBT_TARGET_PATH": str(wh.project / "target")},
    )
    if run.returncode != 0 or not out.exists():
        raise AssertionError(f"mf query failed:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    with out.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _seed(wh: Warehouse, path: Path) -> list[dict]:
    with (wh.project / path).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_queries_run_while_a_build_holds_the_build_database(published: Warehouse) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]);"
            " print('holding', flush=True); time.sleep(120)",
            str(published.database),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        rows = _mf(published, "engagement", *ENGAGEMENT_QUERY)
        with pytest.raises(AssertionError, match=r"(?i)lock"):
            _mf(published, "on_build_db", "--metrics", "posts", target="dev")
    finally:
        holder.kill()
        holder.wait()
    platforms = {r["social_account__platform_name"] for r in rows}
    assert {"Facebook", "Instagram", "LinkedIn"} <= platforms
    flags = {r["account_month__is_period_complete"].lower() for r in rows}
    assert flags == {"true", "false"}
    # the benchmark and the index are there where a benchmark exists
    indexed = [r for r in rows if r["engagement_index"] and r["benchmark_engagement_rate"]]
    assert indexed and all(float(r["engagement_index"]) > 0 for r in indexed)


def test_money_metrics_add_one_currency_only(published: Warehouse) -> None:
    group = _seed(published, GROUP_SEED)[0]["group_currency"]
    currency = {o["organization_id"]: o["reporting_currency"] for o in _seed(published, ORGS_SEED)}
    assert {"EUR", "USD"} <= set(currency.values()), "the sample group must mix currencies"
    rate = {
        (r["rate_month"], r["from_currency"], r["to_currency"]): float(r["rate"])
        for r in _seed(published, FX_SEED)
    }
    converted: dict[str, float] = defaultdict(float)
    raw: dict[str, float] = defaultdict(float)
    for month, org, social in published.query(
        "select strftime(spend_month, '%Y-%m'), organization_id, social_spend"
        " from marts.fct_social_share_of_spend"
    ):
        quarter = f"{month[:4]}-{(int(month[5:]) - 1) // 3 * 3 + 1:02d}"
        factor = 1.0 if currency[org] == group else rate[(month, currency[org], group)]
        converted[quarter] += social * factor
        raw[quarter] += social
    rows = _mf(
        published,
        "spend",
        "--metrics",
        "social_spend_total,marketing_spend_total",
        "--group-by",
        "metric_time__quarter",
    )
    assert rows
    for row in rows:
        quarter = row["metric_time__quarter"][:7]
        assert float(row["social_spend_total"]) == pytest.approx(converted[quarter], abs=0.01 * 40)
        # EUR and USD differ by more than rounding: the raw sum would be another number
        assert abs(float(row["social_spend_total"]) - raw[quarter]) > 1.0


def test_share_of_spend_by_quarter_and_organisation_name(published: Warehouse) -> None:
    rows = _mf(published, "share", *SHARE_QUERY)
    names = {r["organization__organization_name"] for r in rows}
    assert "Harbor Federal Bank" in names
    for row in rows:
        assert float(row["benchmark_social_share"]) == pytest.approx(0.113)
        gap = (float(row["social_share_of_spend"]) - 0.113) * 100
        assert float(row["social_share_gap_pp"]) == pytest.approx(gap)
    # one organisation and quarter against the mart, in its own (single) currency
    (share,) = published.query(
        "select sum(s.social_spend) / sum(s.total_marketing_spend)"
        " from marts.fct_social_share_of_spend as s"
        " where s.organization_id = 'harbor_federal_bank'"
        " and s.spend_month >= date '2026-01-01' and s.spend_month < date '2026-04-01'"
    )[0]
    (row,) = [
        r
        for r in rows
        if r["organization__organization_name"] == "Harbor Federal Bank"
        and r["metric_time__quarter"].startswith("2026-01-01")
    ]
    assert float(row["social_share_of_spend"]) == pytest.approx(share)


def test_the_current_quarters_score_is_flagged_incomplete(published: Warehouse) -> None:
    rows = _mf(
        published,
        "maturity",
        "--metrics",
        "maturity_score",
        "--group-by",
        "metric_time__quarter,organization_quarter__is_score_complete",
    )
    latest = max(r["metric_time__quarter"] for r in rows)
    assert {r["organization_quarter__is_score_complete"].lower() for r in rows} == {"true", "false"}
    assert any(
        r["metric_time__quarter"] == latest
        and r["organization_quarter__is_score_complete"].lower() == "false"
        for r in rows
    )


def test_the_readme_shows_the_tested_queries() -> None:
    text = README.read_text(encoding="utf-8")
    assert "DBT_TARGET=published" in text
    for query in (ENGAGEMENT_QUERY, SHARE_QUERY):
        assert "mf query " + " ".join(query) in text
