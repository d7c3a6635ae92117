"""The steward's advice is data written with each test (meta `steward_action`), or, for
dbt's built-in generic tests, a row of the `steward_actions` seed; steward.py holds none."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from social_warehouse import steward
from social_warehouse.artifacts import Manifest, NodeResult, RunResults, TestNode, load_manifest

REPO = Path(__file__).resolve().parents[2]
ACTIONS_CSV = (
    "test_type,steward_action\n"
    'not_null,"Find why `{column}` is empty in {model}."\n'
    'relationships,"A `{column}` value in {model} has no match in {to}."\n'
)


def _test(test_type: str, **kw) -> TestNode:
    base = {
        "unique_id": f"test.p.{test_type}_x",
        "name": f"{test_type}_x",
        "test_type": test_type,
        "attached_node": "model.p.m",
        "column_name": "c",
        "severity": "error",
        "description": "",
    }
    return TestNode(**{**base, **kw})


@pytest.mark.parametrize(
    "path",
    sorted(p.relative_to(REPO).as_posix() for p in (REPO / "tests").rglob("*.sql")),
)
def test_every_project_test_carries_its_advice(path: str) -> None:
    """Singular tests and the project's generic tests say what a steward should do."""
    text = (REPO / path).read_text(encoding="utf-8")
    config = re.search(r"\{\{\s*config\((.*?)\)\s*\}\}", text, re.S)
    assert config and "'steward_action'" in config.group(1), path


def test_advice_comes_from_meta_then_the_seed_then_the_default(tmp_path: Path) -> None:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "steward_actions.csv").write_text(ACTIONS_CSV, encoding="utf-8")
    manifest = Manifest({}, {}, {}, seed_files={"steward_actions": "seeds/steward_actions.csv"})
    by_type = steward.actions_by_type(manifest, tmp_path)
    assert set(by_type) == {"not_null", "relationships"}
    meta = _test(
        "expression_is_true",
        kwargs={"expression": " a > 0 "},
        meta={"steward_action": "Rows of {model} break `{expression}` ({unknown})"},
    )
    assert steward._action(meta, "fct", by_type) == "Rows of fct break `a > 0` ({unknown})"
    relationships = _test("relationships", kwargs={"to": "ref('seed_x')", "field": "k"})
    assert steward._action(relationships, "fct", by_type) == (
        "A `c` value in fct has no match in seed_x."
    )
    assert steward._action(_test("unique"), "fct", by_type) == steward.DEFAULT_ACTION
    # without the seed, built-in tests get the default; a stray brace is shown as written
    assert steward._action(_test("not_null"), "fct", {}) == steward.DEFAULT_ACTION
    odd = _test("singular", meta={"steward_action": "Fix {model} {"})
    assert steward._action(odd, "fct", by_type) == "Fix {model} {"
    no_seed = Manifest({}, {}, {})
    assert steward.actions_by_type(no_seed, tmp_path) == {}


def test_steward_module_restates_no_advice() -> None:
    assert not hasattr(steward, "ACTIONS")
    source = (REPO / "scripts" / "social_warehouse" / "steward.py").read_text(encoding="utf-8")
    for advice in ("fx_rates.csv", "channel_taxonomy.csv", "header_aliases.csv", "full-refresh"):
        assert advice not in source


SCHEMA = """
seeds:
  - name: spend
    data_tests:
      - unique_combination: {arguments: {columns: [label]}}
      - expression_is_true: {arguments: {expression: "amount > 0"}}
      - sums_to: {arguments: {column_name: amount, group_by: label, total: 1, tolerance: 0}}
    columns:
      - name: label
        data_tests:
          - not_null
          - values_mapped: {arguments: {to: "ref('labels')", field: label}}
          - relationships: {arguments: {to: "ref('labels')", field: label}}
"""


def test_meta_of_the_test_definitions_reaches_the_report(tmp_path: Path) -> None:
    """dbt parse of a tiny project with the repository's generic tests, a singular test
    and the advice seed; the steward report built from its manifest gives each advice."""
    project = tmp_path / "p"
    (project / "seeds").mkdir(parents=True)
    shutil.copytree(REPO / "tests" / "generic", project / "tests" / "generic")
    singular = (REPO / "tests" / "assert_fx_rate_for_every_spend_month.sql").read_text()
    config = re.search(r"\{\{\s*config\(.*?\)\s*\}\}", singular, re.S).group(0)
    (project / "tests" / "assert_spend_positive.sql").write_text(
        config + "\nselect * from {{ ref('spend') }} where amount < 0\n"
    )
    (project / "dbt_project.yml").write_text(
        "name: meta_checks\nversion: '1.0'\nconfig-version: 2\nprofile: meta_checks\n"
        "flags: {send_anonymous_usage_stats: false}\n"
    )
    (project / "profiles.yml").write_text(
        "meta_checks:\n  target: t\n  outputs:\n    t:\n      type: duckdb\n"
        f"      path: '{tmp_path / 'm.duckdb'}'\n      threads: 1\n"
    )
    (project / "seeds" / "labels.csv").write_text("label\nTV\n")
    (project / "seeds" / "spend.csv").write_text("label,amount\nTV,1\n")
    (project / "seeds" / "steward_actions.csv").write_text(ACTIONS_CSV)
    (project / "seeds" / "schema.yml").write_text(SCHEMA)
    run = subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), "parse", "--no-use-colors"],
        cwd=project,
        env={
            **os.environ,
            "DBT_PROFILES_DIR": str(project),
            "DBT_TARGET_PATH": str(project / "target"),
            "DBT_PROJECT_DIR": str(project),
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-3000:]
    manifest = load_manifest(project / "target")
    results = RunResults(
        "inv",
        "now",
        "build",
        tuple(NodeResult(uid, "fail", 1, "", None, 0.0) for uid in manifest.tests),
    )
    report = steward.build_report(
        manifest, results, tmp_path / "absent.duckdb", None, None, [], project
    )
    actions = {issue.test_type: issue.action for issue in report.issues}
    definitions = {p.stem: p.read_text() for p in (REPO / "tests" / "generic").glob("*.sql")}
    for test_type in ("unique_combination", "expression_is_true", "sums_to", "values_mapped"):
        assert "steward_action" in definitions[test_type]
        assert actions[test_type] != steward.DEFAULT_ACTION, test_type
        assert "{model}" not in actions[test_type] and "{expression}" not in actions[test_type]
    assert "amount > 0" in actions["expression_is_true"]
    assert "fx_rates.csv" in actions["singular"]
    assert actions["not_null"] == "Find why `label` is empty in spend."
    assert actions["relationships"] == "A `label` value in spend has no match in labels."
    assert json.loads((project / "target" / "manifest.json").read_text())["metadata"]
