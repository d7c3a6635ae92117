"""One self-contained HTML scorecard per organisation, written with each publish.

A scorecard is what a marketing leader reads: four charts drawn by Plotly, with
plotly.js inlined in the page (it opens offline, with no request to anywhere):

- the monthly engagement rate per post by followers against the benchmark, per platform
  (`fct_engagement_monthly`);
- social's share of marketing spend against the benchmark share, 11.3 % from Gartner's
  CMO Spend Survey 2020 (`fct_social_share_of_spend`);
- the maturity score by quarter over the bands of the maturity stages
  (`fct_maturity_indicators`, bands from seed `maturity_stages`);
- the platform review of the latest quarter with its verdicts and reasons
  (`fct_platform_reviews`).

`write_scorecards` reads the marts of the build database that was just published (and
the stage bands from its seeds) and writes `<organization_id>.html` and an
`index.html` into a folder of the version being published.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd
import plotly.graph_objects as go

PALETTE = {
    "facebook": "#1877f2",
    "instagram": "#c13584",
    "x": "#333333",
    "linkedin": "#0a66c2",
    "tiktok": "#00a19c",
    "youtube": "#e02424",
}
VERDICT_COLOURS = {
    "keep": "#d9f2df",
    "improve": "#fff3cd",
    "review": "#f8d7da",
    "insufficient_data": "#e9ecef",
}
BAND_COLOURS = ("#f4f6f8", "#e8eef5")
PLOT_CONFIG = {"displaylogo": False, "responsive": True}
CSS = """
body { font-family: system-ui, sans-serif; margin: 1.5rem auto; max-width: 1100px; color: #222; }
h1 { margin-bottom: 0.2rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #ddd; }
.muted { color: #666; font-size: 0.9rem; } .chart { min-height: 380px; }
"""


def _frame(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> pd.DataFrame:
    return con.execute(sql, params).df()


def _empty(fig: go.Figure, message: str) -> go.Figure:
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    return fig


def engagement_chart(con: duckdb.DuckDBPyConnection, organization_id: str) -> go.Figure:
    data = _frame(
        con,
        """
        select
            platform,
            activity_month,
            sum(avg_engagement_rate_per_post * posts_with_rate)
                / nullif(sum(posts_with_rate), 0) * 100 as rate_pct,
            avg(benchmark_engagement_rate) * 100 as benchmark_pct
        from marts.fct_engagement_monthly
        where organization_id = ?
        group by all
        order by platform, activity_month
        """,
        [organization_id],
    )
    fig = go.Figure()
    for platform, rows in data.groupby("platform", sort=True):
        colour = PALETTE.get(str(platform), "#888888")
        fig.add_trace(
            go.Scatter(
                x=rows["activity_month"],
                y=rows["rate_pct"],
                name=f"{platform}",
                mode="lines+markers",
                line={"color": colour},
            )
        )
        if rows["benchmark_pct"].notna().any():
            fig.add_trace(
                go.Scatter(
                    x=rows["activity_month"],
                    y=rows["benchmark_pct"],
                    name=f"{platform} benchmark",
                    mode="lines",
                    line={"color": colour, "dash": "dot"},
                )
            )
    fig.update_layout(
        title="Engagement rate per post by followers, monthly mean, against the benchmark median",
        yaxis={"title": "% of followers", "type": "log"},
        legend={"orientation": "h"},
        margin={"t": 60},
    )
    return fig if len(data) else _empty(fig, "no posts")


def spend_chart(con: duckdb.DuckDBPyConnection, organization_id: str) -> go.Figure:
    data = _frame(
        con,
        """
        select spend_month, social_share_of_spend * 100 as share_pct,
            benchmark_social_share * 100 as benchmark_pct, benchmark_source
        from marts.fct_social_share_of_spend
        where organization_id = ?
        order by spend_month
        """,
        [organization_id],
    )
    fig = go.Figure()
    if not len(data):
        return _empty(fig, "no spend recorded")
    fig.add_trace(go.Bar(x=data["spend_month"], y=data["share_pct"], name="social share of spend"))
    benchmark = (
        float(data["benchmark_pct"].dropna().iloc[0])
        if data["benchmark_pct"].notna().any()
        else None
    )
    if benchmark is not None:
        fig.add_trace(
            go.Scatter(
                x=data["spend_month"],
                y=data["benchmark_pct"],
                name=f"benchmark {benchmark:.1f} % ({data['benchmark_source'].iloc[0]})",
                mode="lines",
                line={"color": "#d62728", "dash": "dash"},
            )
        )
    fig.update_layout(
        title="Social share of marketing spend (staff time included) against the benchmark",
        yaxis={"title": "% of marketing spend", "rangemode": "tozero"},
        legend={"orientation": "h"},
        margin={"t": 60},
    )
    return fig


def maturity_chart(
    con: duckdb.DuckDBPyConnection, organization_id: str, stages: pd.DataFrame
) -> go.Figure:
    data = _frame(
        con,
        """
        select quarter_label, maturity_score, maturity_stage,
            coalesce(indicators_missing, 0) > 0 as is_incomplete
        from marts.fct_maturity_indicators
        where organization_id = ?
        order by quarter_start
        """,
        [organization_id],
    )
    fig = go.Figure()
    ordered = stages.sort_values("min_score").reset_index(drop=True)
    for i, stage in ordered.iterrows():
        top = float(ordered["min_score"].iloc[i + 1]) if i + 1 < len(ordered) else 100.0
        fig.add_hrect(
            y0=float(stage["min_score"]),
            y1=top,
            fillcolor=BAND_COLOURS[i % 2],
            line_width=0,
            layer="below",
            annotation_text=str(stage["stage_name"]),
            annotation_position="top left",
        )
    if not len(data):
        return _empty(fig, "no maturity score")
    complete = data[~data["is_incomplete"]]
    fig.add_trace(
        go.Scatter(
            x=complete["quarter_label"],
            y=complete["maturity_score"],
            text=complete["maturity_stage"],
            name="maturity score",
            mode="lines+markers",
            line={"color": "#2c7a7b"},
        )
    )
    incomplete = data[data["is_incomplete"]]
    if len(incomplete):  # a quarter still missing indicators scores low: shown apart
        fig.add_trace(
            go.Scatter(
                x=incomplete["quarter_label"],
                y=incomplete["maturity_score"],
                name="quarter with indicators missing (so far)",
                mode="markers",
                marker={"color": "#2c7a7b", "symbol": "circle-open", "size": 10},
            )
        )
    fig.update_layout(
        title="Social maturity score (0-100) by quarter, with the stage bands",
        yaxis={"title": "score", "range": [0, 100]},
        margin={"t": 60},
    )
    return fig


def review_frame(con: duckdb.DuckDBPyConnection, organization_id: str) -> pd.DataFrame:
    """The platform review of the organisation's latest quarter."""
    return _frame(
        con,
        """
        select platform, quarter_label, verdict, engagement_index, engagement_index_trend,
            posts_per_week, benchmark_posts_per_week, follower_growth,
            cost_per_engagement_ratio, verdict_reasons
        from marts.fct_platform_reviews
        where organization_id = ?
            and quarter_start = (
                select max(quarter_start) from marts.fct_platform_reviews
                where organization_id = ?
            )
        order by platform
        """,
        [organization_id, organization_id],
    )


def _fmt(value: object, pattern: str) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "-"
    return pattern.format(value)


def review_chart(review: pd.DataFrame) -> go.Figure:
    header = [
        "platform",
        "quarter",
        "verdict",
        "engagement index (4 quarters)",
        "trend a quarter",
        "posts a week (typical)",
        "followers over the quarter",
        "cost per engagement vs other platforms",
        "reasons",
    ]
    cells = [
        list(review["platform"]),
        list(review["quarter_label"]),
        [v.replace("_", " ") for v in review["verdict"]],
        [_fmt(v, "{:.2f}x") for v in review["engagement_index"]],
        [_fmt(v, "{:+.2f}") for v in review["engagement_index_trend"]],
        [
            _fmt(p, "{:.1f}") + (f" ({_fmt(b, '{:.1f}')})" if pd.notna(b) else "")
            for p, b in zip(
                review["posts_per_week"], review["benchmark_posts_per_week"], strict=True
            )
        ],
        [_fmt(v, "{:+.1%}") for v in review["follower_growth"]],
        [_fmt(v, "{:.1f}x") for v in review["cost_per_engagement_ratio"]],
        list(review["verdict_reasons"]),
    ]
    fill = [[VERDICT_COLOURS.get(v, "white") for v in review["verdict"]]] * len(header)
    fig = go.Figure(
        go.Table(
            columnwidth=[60, 50, 60, 60, 50, 60, 60, 70, 300],
            header={"values": header, "fill_color": "#dde3ea", "align": "left"},
            cells={"values": cells, "fill_color": fill, "align": "left", "height": 28},
        )
    )
    fig.update_layout(
        title="Platform review, latest quarter: keep, improve, review (consider leaving)",
        height=160 + 90 * max(len(review), 1),
        margin={"t": 60, "l": 10, "r": 10},
    )
    return fig


def render(
    con: duckdb.DuckDBPyConnection,
    organization_id: str,
    organization_name: str,
    currency: str,
    stages: pd.DataFrame,
) -> str:
    """The scorecard page of one organisation: HTML with plotly.js inlined once."""
    review = review_frame(con, organization_id)
    figures = [
        ("Engagement against the benchmark", engagement_chart(con, organization_id)),
        ("Share of marketing spend on social", spend_chart(con, organization_id)),
        ("Social maturity", maturity_chart(con, organization_id, stages)),
        ("Platform review", review_chart(review)),
    ]
    e = html.escape
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>Social scorecard: {e(organization_name)}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<h1>Social scorecard: {e(organization_name)}</h1>",
        f"<div class='muted'>Amounts in {e(currency)}. Generated "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M UTC} from the published marts.</div>",
    ]
    for i, (heading, figure) in enumerate(figures):
        parts.append(f"<h2>{e(heading)}</h2>")
        parts.append(
            figure.to_html(
                full_html=False,
                include_plotlyjs=(i == 0),  # inlined once, never fetched
                config=PLOT_CONFIG,
                div_id=f"chart-{i}",
            )
        )
    parts.append("</body></html>")
    return "\n".join(parts)


def _stages(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    try:
        return con.execute("select stage_name, min_score from seeds.maturity_stages").df()
    except duckdb.CatalogException:
        return pd.DataFrame({"stage_name": [], "min_score": []})


def write_scorecards(database: Path, folder: Path) -> list[str]:
    """Write one scorecard per organisation of `database` (and an index) into `folder`.
    Returns the file names written, index last."""
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(database), read_only=True)
    written: list[str] = []
    try:
        stages = _stages(con)
        organizations = con.execute(
            "select organization_id, organization_name, reporting_currency"
            " from marts.dim_organizations order by organization_name"
        ).fetchall()
        for organization_id, name, currency in organizations:
            page = render(con, organization_id, name, currency, stages)
            file_name = f"{organization_id}.html"
            (folder / file_name).write_text(page, encoding="utf-8")
            written.append(file_name)
    finally:
        con.close()
    links = "".join(
        f"<li><a href='{html.escape(f)}'>{html.escape(n)}</a></li>"
        for f, (_, n, _) in zip(written, organizations, strict=True)
    )
    (folder / "index.html").write_text(
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>Social scorecards</title><style>{CSS}</style></head><body>"
        f"<h1>Social scorecards</h1><ul>{links}</ul></body></html>",
        encoding="utf-8",
    )
    written.append("index.html")
    return written
