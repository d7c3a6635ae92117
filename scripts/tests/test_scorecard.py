"""The scorecards: one self-contained page per organisation, written with each publish,
that opens offline in a browser with every chart drawn.

The marts here are made from the contracts in the project's YAML (every column, its
declared type), so a scorecard query that names a column the contract lacks fails here.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import yaml
from browser import chromium, open_local_file

from social_warehouse.publish import publish, read_manifest

REPO = Path(__file__).resolve().parents[2]
MARTS = (
    "dim_organizations",
    "fct_engagement_monthly",
    "fct_social_share_of_spend",
    "fct_maturity_indicators",
    "fct_platform_reviews",
)
CHARTS = 4


@pytest.fixture(autouse=True)
def _no_project_manifest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DBT_TARGET_PATH", str(tmp_path / "target"))


def _contracts() -> dict[str, list[tuple[str, str]]]:
    found = {}
    for path in (REPO / "models" / "marts").rglob("_*__models.yml"):
        for model in yaml.safe_load(path.read_text(encoding="utf-8")).get("models", []):
            if model["name"] in MARTS:
                found[model["name"]] = [(c["name"], c["data_type"]) for c in model["columns"]]
    assert set(found) == set(MARTS)
    return found


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    for row in rows:
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        con.execute(f"insert into {table} ({names}) values ({marks})", list(row.values()))


def _build(path: Path) -> Path:
    """A build database with the marts the scorecards read: one organisation with a year
    of data, one with nothing yet (its charts must still render, saying so)."""
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute("create schema seeds")
    for mart, columns in _contracts().items():
        body = ", ".join(f"{name} {dtype}" for name, dtype in columns)
        con.execute(f"create table marts.{mart} ({body})")
    con.execute(
        "create table seeds.maturity_stages as select * from (values"
        " ('Planning', 0), ('Presence', 15), ('Engagement', 30), ('Formalized', 50),"
        " ('Strategic', 65), ('Converged', 85)) as t(stage_name, min_score)"
    )
    _insert(
        con,
        "marts.dim_organizations",
        [
            {
                "organization_id": "keystone",
                "organization_name": "Keystone",
                "reporting_currency": "USD",
            },
            {
                "organization_id": "newcomer",
                "organization_name": "Newcomer",
                "reporting_currency": "EUR",
            },
        ],
    )
    months = [f"2026-{m:02d}-01" for m in range(1, 13)]
    engagement = []
    for platform, rate, bench in (("facebook", 0.0011, 0.0007), ("x", 0.0002, 0.00045)):
        for i, month in enumerate(months):
            engagement.append(
                {
                    "account_key": f"keystone_{platform}",
                    "activity_month": month,
                    "organization_id": "keystone",
                    "platform": platform,
                    "posts": 20,
                    "posts_with_rate": 20,
                    "avg_engagement_rate_per_post": rate * (1 - i / 30),
                    "benchmark_engagement_rate": bench,
                }
            )
    _insert(con, "marts.fct_engagement_monthly", engagement)
    _insert(
        con,
        "marts.fct_social_share_of_spend",
        [
            {
                "organization_id": "keystone",
                "spend_month": month,
                "total_marketing_spend": 800_000.0,
                "social_share_of_spend": 0.09 + i / 1000,
                "benchmark_social_share": 0.113,
                "benchmark_source": "Gartner, CMO Spend Survey 2020",
            }
            for i, month in enumerate(months)
        ],
    )
    _insert(
        con,
        "marts.fct_maturity_indicators",
        [
            {
                "organization_id": "keystone",
                "quarter_start": f"2026-{3 * q + 1:02d}-01",
                "quarter_label": f"2026Q{q + 1}",
                "maturity_score": 40.0 + 3 * q,
                "maturity_stage": "Engagement",
            }
            for q in range(4)
        ],
    )
    _insert(
        con,
        "marts.fct_platform_reviews",
        [
            {
                "organization_id": "keystone",
                "platform": platform,
                "quarter_start": "2026-10-01",
                "quarter_label": "2026Q4",
                "engagement_index": index,
                "verdict": verdict,
                "verdict_reasons": reasons,
            }
            for platform, index, verdict, reasons in (
                ("facebook", 1.5, "keep", "engagement at 1.5x the benchmark"),
                (
                    "x",
                    0.4,
                    "review",
                    "engagement below 0.5x the benchmark in 3 of the trailing four quarters"
                    " while costing 29.9x the organisation's median per engagement",
                ),
                ("linkedin", None, "insufficient_data", "no published engagement benchmark"),
            )
        ],
    )
    con.close()
    return path


@pytest.fixture
def published(tmp_path: Path) -> Path:
    out = tmp_path / "publish"
    publish(_build(tmp_path / "build.duckdb"), out, "scorecards", {}, MARTS, scorecards=True)
    return out


def test_publish_writes_and_lists_one_scorecard_per_organisation(published: Path) -> None:
    listed = read_manifest(published)["scorecards"]
    assert listed == [
        "scorecards/keystone.html",
        "scorecards/newcomer.html",
        "scorecards/index.html",
    ]
    for name in listed:
        assert (published / name).is_file()
    page = (published / "scorecards" / "keystone.html").read_text(encoding="utf-8")
    # self-contained: plotly.js is inlined once, no script or stylesheet is fetched
    assert page.count("plotly.js v") == 1
    assert "<script src=" not in page and "<link " not in page
    assert "29.9x the organisation" in page


def test_without_scorecards_publish_writes_none(tmp_path: Path) -> None:
    out = tmp_path / "publish"
    record = publish(_build(tmp_path / "b.duckdb"), out, "plain", {}, MARTS)
    assert record.scorecards == [] and not (out / "scorecards").exists()


CHART_STATE = """
() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(el => {
    const svg = el.querySelector('svg.main-svg');
    const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
    return {
        id: el.id,
        width: box.width,
        height: box.height,
        traces: (el.data || []).length,
        drawn: el.querySelectorAll(
            '.scatterlayer .trace, .barlayer .trace, .table .y-column').length,
        shapes: el.querySelectorAll('.shapelayer path, .layer-below path').length,
    };
})
"""


def test_every_scorecard_opens_offline_with_every_chart_drawn(
    published: Path, tmp_path: Path
) -> None:
    pages = sorted((published / "scorecards").glob("*.html"))
    cards = [p for p in pages if p.name != "index.html"]
    assert len(cards) == 2
    with chromium() as context:
        for card in cards:
            with open_local_file(card, context=context) as visit:
                visit.page.wait_for_function(
                    f"document.querySelectorAll('.js-plotly-plot svg.main-svg').length >= {CHARTS}"
                )
                charts = visit.page.evaluate(CHART_STATE)
                png = visit.screenshot(tmp_path / f"{card.stem}.png")
                assert visit.console_errors == [], (card.name, visit.console_errors)
                assert visit.page_errors == [], (card.name, visit.page_errors)
                assert visit.network_requests == [], (card.name, visit.network_requests)
                text = visit.text()
            assert len(charts) == CHARTS, (card.name, charts)
            for chart in charts:
                assert chart["width"] > 300 and chart["height"] > 200, (card.name, chart)
            assert png.stat().st_size > 20_000
            if card.stem == "keystone":
                engagement, spend, maturity, review = charts
                # facebook and x, each with its benchmark: four lines drawn
                assert engagement["traces"] == 4 and engagement["drawn"] >= 4
                assert spend["traces"] == 2 and spend["drawn"] >= 2
                # the six stage bands are drawn under the score
                assert maturity["traces"] == 1 and maturity["shapes"] >= 6
                assert review["traces"] == 1 and review["drawn"] >= 9
                assert "29.9x the organisation's median" in text and "insufficient" in text
            else:
                assert "no posts" in text and "no spend recorded" in text
