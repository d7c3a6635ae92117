"""The benchmark harness's own pieces: sizes, the profile read from run_results.json,
and the report, which puts Spark's figures next to DuckDB's."""

from __future__ import annotations

import json
from pathlib import Path

from social_warehouse.bench import parse_size, plan, profile, refresh_scale_ratio, render


def test_sizes_and_the_plan_of_replicas() -> None:
    assert parse_size("1M") == 1_000_000
    assert parse_size("2500") == 2500
    # up to 100x the sample, more accounts only; above, a higher posting frequency too
    assert plan(10_530 * 50) == (50, 1.0)
    sets, scale = plan(10_000_000)
    assert scale == 8.0 and sets * scale * 10_530 >= 10_000_000


def test_the_profile_adds_node_times_by_type_and_lists_the_slowest(tmp_path: Path) -> None:
    results = [
        {"unique_id": "model.p.base_a", "execution_time": 4.04},
        {"unique_id": "model.p.fct_b", "execution_time": 1.0},
        {"unique_id": "test.p.not_null_b.1a", "execution_time": 0.5},
        {"unique_id": "seed.p.s", "execution_time": 0.25},
    ]
    (tmp_path / "run_results.json").write_text(json.dumps({"results": results}))
    got = profile(tmp_path, top=2)
    assert got["seconds_by_type"] == {"model": 5.0, "test": 0.5, "seed": 0.2}
    assert got["slowest"] == [["base_a", 4.0], ["fct_b", 1.0]]


def _spark_results() -> dict:
    return {
        "size": "1m",
        "target": "spark",
        "size_posts": 982_586,
        "accounts": 1995,
        "files": 25_556,
        "full_build_s": 900.5,
        "full_ingest_s": 31.0,
        "incremental_s": 700.0,
        "noop_s": 650.0,
        "peak_rss_mib": 2500.0,
        "duckdb": {"full_build_s": 62.3, "noop_s": 21.9, "measured_on": "2026-12-03"},
        "machine": {"cores": 2, "memory_gib": 23.5, "python": "3.11.7"},
        "versions": {"dbt-spark": "1.11.0"},
        "profile": {"full": {"seconds_by_type": {"model": 300.0}, "slowest": [["fct_x", 70.0]]}},
        "load_average": "6.0 at the start, 8.5 at the end",
    }


def test_the_spark_report_puts_duckdb_figures_beside_spark_ones() -> None:
    text = render(_spark_results())
    assert "| measure | Spark | DuckDB | target |" in text
    assert "| full_build_s | 900.5 | 62.3 |  |" in text
    assert "| noop_s | 650.0 | 21.9 | <= 15 |" in text
    # a figure DuckDB has no counterpart for is left blank, not invented
    assert "| full_ingest_s | 31.0 |  |  |" in text
    assert "| fct_x | 70.0 |" in text
    assert "Load average: 6.0 at the start, 8.5 at the end." in text


def test_the_duckdb_report_has_one_value_column() -> None:
    results = {**_spark_results(), "target": "duckdb"}
    del results["duckdb"]
    text = render(results)
    assert "| measure | value | target |" in text
    assert "| full_build_s | 900.5 |  |" in text
    assert "DuckDB" not in text


def test_the_scale_ratio_uses_the_latest_runs_in_either_order(tmp_path: Path) -> None:
    def write(size: str, full_s: float) -> None:
        results = {**_spark_results(), "target": "duckdb", "size": size, "full_build_s": full_s}
        del results["duckdb"]
        (tmp_path / f"results-{size}.json").write_text(json.dumps(results))

    write("10m", 300.0)
    assert refresh_scale_ratio(tmp_path) is None  # no 1m results yet
    write("1m", 150.0)
    assert refresh_scale_ratio(tmp_path) == 2.0
    # 10m ran first, then a new 1m: the ratio follows the new 1m
    write("1m", 120.0)
    assert refresh_scale_ratio(tmp_path) == 2.5
    assert json.loads((tmp_path / "results-10m.json").read_text())["ratio_10m_to_1m"] == 2.5
    assert "| ratio_10m_to_1m | 2.5 | <= 11 |" in (tmp_path / "results-10m.md").read_text()
