"""Which marts are published, summarised and gated comes from dbt's manifest (contracts and
access), and the gate's reference values from the built warehouse, not from lists in code."""

from __future__ import annotations

from pathlib import Path

import duckdb
import great_expectations.expectations as gxe
import pytest

from social_warehouse import publish, quality_gate, summary
from social_warehouse.artifacts import Manifest, ModelNode, published_marts

REPO = Path(__file__).resolve().parents[2]


def _model(name: str, folder: str = "marts", contract: bool = True, access: str = "protected"):
    return ModelNode(
        unique_id=f"model.social_warehouse.{name}",
        name=name,
        schema=folder,
        relation_name=f'"w"."{folder}"."{name}"',
        contract_enforced=contract,
        columns=(),
        description="",
        access=access,
        fqn=("social_warehouse", folder, "sub", name),
    )


def _manifest(*models: ModelNode, exposures=None) -> Manifest:
    return Manifest(
        {m.unique_id: m for m in models},
        {},
        {},
        project_name="social_warehouse",
        exposures=exposures or {},
    )


def test_contract_enforced_marts_until_access_is_declared() -> None:
    manifest = _manifest(
        _model("fct_b"),
        _model("time_spine_daily"),
        _model("dim_z"),
        _model("fct_a"),
        _model("fct_draft", contract=False),
        _model("stg_x", folder="staging"),
        _model("dim_a"),
    )
    assert published_marts(manifest) == (
        "dim_a",
        "dim_z",
        "fct_a",
        "fct_b",
        "time_spine_daily",
    )


def test_once_access_is_declared_only_public_contracted_marts() -> None:
    manifest = _manifest(
        _model("fct_b", access="public"),
        _model("time_spine_daily", access="protected"),
        _model("dim_a", access="public"),
        _model("fct_open", access="public", contract=False),
        _model("int_x", folder="intermediate", access="public"),
    )
    assert published_marts(manifest) == ("dim_a", "fct_b")


def test_no_module_restates_the_marts() -> None:
    for module in (publish, summary, quality_gate):
        assert not hasattr(module, "MARTS"), module.__name__
    source = (REPO / "scripts/social_warehouse/publish.py").read_text(encoding="utf-8")
    assert "fct_posts" not in source


def test_the_gate_names_undeclared_marts_and_unpublished_exposure_reads() -> None:
    manifest = _manifest(
        _model("fct_a", access="public"),
        _model("fct_b"),
        exposures={"dash": ("model.social_warehouse.fct_a", "model.social_warehouse.fct_b")},
    )
    marts = published_marts(manifest)
    run, failures = quality_gate._declarations(manifest, marts, {"fct_a": [], "fct_c": []})
    assert run == 2 + 1 + 2
    assert {(f.mart, f.expectation) for f in failures} == {
        ("fct_c", "mart_is_published"),
        ("fct_b", "exposure_reads_published_mart"),
    }
    _, none = quality_gate._declarations(_manifest(), (), {})
    assert [f.expectation for f in none] == ["marts_declared"]


@pytest.fixture
def warehouse() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("create schema staging; create schema seeds; create schema marts")
    con.execute(
        "create table staging.stg_social__posts as select * from (values"
        " ('facebook', '1'), ('x', '1'), ('x', '2'), ('bluesky', '9')) as t(platform, post_id)"
    )
    con.execute(
        "create table seeds.platforms as select * from (values"
        " ('x', 'X'), ('facebook', 'Facebook'), ('bluesky', 'Bluesky')) as t(platform, label)"
    )
    con.execute("create table marts.fct_posts as select timestamp '2026-10-30' as exported_at")
    con.execute(
        "create table seeds.channel_spend as select * from (values"
        " ('o1', date '2026-01-01'), ('o1', date '2026-01-01'), ('o1', date '2026-02-01'))"
        " as t(organization_id, spend_month)"
    )
    con.execute("create table seeds.organizations as select 'o1' as organization_id")
    con.execute(
        "create table seeds.social_accounts as select 'a' || range as account_key from range(3)"
    )
    con.execute(
        "create table staging.stg_social__page_days as select * from (values"
        " ('a0', date '2026-01-01'), ('a0', date '2026-01-02'), ('gone', date '2026-01-01'))"
        " as t(account_key, activity_date)"
    )
    con.execute("create table seeds.maturity_stages as select 'emerging' as stage_name")
    yield con
    con.close()


def test_gate_reference_values_come_from_the_warehouse(
    warehouse: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GATE_FRESHNESS_DAYS", "10")
    specs = quality_gate._specs(warehouse)
    posts = specs["fct_posts"]
    (count,) = [e for e in posts if isinstance(e, gxe.ExpectTableRowCountToEqual)]
    assert count.value == 4  # one per (platform, post_id) of the single staged model
    in_set = [e for e in posts if isinstance(e, gxe.ExpectColumnValuesToBeInSet)]
    assert [(e.column, e.value_set) for e in in_set] == [
        ("platform", ["bluesky", "facebook", "x"])  # the platforms seed, whatever it holds
    ]
    (page_days,) = [
        e for e in specs["fct_page_days"] if isinstance(e, gxe.ExpectTableRowCountToEqual)
    ]
    assert page_days.value == 2  # staged account-days of known accounts
    (fresh,) = [e for e in posts if isinstance(e, gxe.ExpectColumnMaxToBeBetween)]
    assert str(fresh.min_value)[:10] == "2026-10-20"
    (monthly,) = [
        e for e in specs["fct_engagement_monthly"] if isinstance(e, gxe.ExpectColumnSumToBeBetween)
    ]
    assert monthly.min_value == monthly.max_value == 4
    (org_months,) = [
        e
        for e in specs["fct_social_share_of_spend"]
        if isinstance(e, gxe.ExpectTableRowCountToEqual)
    ]
    assert org_months.value == 2
