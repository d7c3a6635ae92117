"""The project's generic dbt tests, tested themselves: each passes on good data and
fails, with the right number of failing rows, on bad data (a tiny dbt project)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]  # this checkout, whose files the tests read


SEEDS = {
    "shares_ok.csv": "survey,share\na,60\na,40.2\nb,100\n",
    "shares_bad.csv": "survey,share\na,60\na,30\nb,100\n",
    "labels.csv": "label\nTV\nWeb\n",
    "spend_ok.csv": "label,amount\nTV,1\nWeb,2\n",
    "spend_bad.csv": "label,amount\nTV,1\nRadio,2\nPodcast,3\nRadio,4\n",
    "grain_ok.csv": "k1,k2\n1,a\n1,b\n2,a\n",
    "grain_bad.csv": "k1,k2\n1,a\n1,a\n2,a\n2,a\n3,a\n",
}
SCHEMA = """
seeds:
  - name: shares_ok
    data_tests:
      - sums_to: {arguments: {column_name: share, group_by: survey, total: 100, tolerance: 0.5}}
      - expression_is_true: {arguments: {expression: "share > 0"}}
  - name: shares_bad
    data_tests:
      - sums_to: {arguments: {column_name: share, group_by: survey, total: 100, tolerance: 0.5}}
      - expression_is_true: {arguments: {expression: "share > 50"}}
  - name: spend_ok
    columns:
      - name: label
        data_tests:
          - values_mapped: {arguments: {to: "ref('labels')", field: label}}
  - name: spend_bad
    columns:
      - name: label
        data_tests:
          - values_mapped: {arguments: {to: "ref('labels')", field: label}}
  - name: grain_ok
    data_tests:
      - unique_combination: {arguments: {columns: [k1, k2]}}
  - name: grain_bad
    data_tests:
      - unique_combination: {arguments: {columns: [k1, k2]}}
"""


def test_generic_tests_pass_and_fail_as_documented(tmp_path: Path) -> None:
    project = tmp_path / "p"
    (project / "seeds").mkdir(parents=True)
    shutil.copytree(PROJECT_ROOT / "tests" / "generic", project / "tests" / "generic")
    (project / "dbt_project.yml").write_text(
        "name: generic_checks\nversion: '1.0'\nconfig-version: 2\nprofile: generic_checks\n"
        "flags: {send_anonymous_usage_stats: false}\n"
    )
    (project / "profiles.yml").write_text(
        "generic_checks:\n  target: t\n  outputs:\n    t:\n      type: duckdb\n"
        f"      path: '{tmp_path / 'g.duckdb'}'\n      threads: 1\n"
    )
    for name, text in SEEDS.items():
        (project / "seeds" / name).write_text(text)
    (project / "seeds" / "schema.yml").write_text(SCHEMA)
    run = subprocess.run(
        [str(Path(sys.executable).with_name("dbt")), "build", "--no-use-colors"],
        cwd=project,
        env={
            **os.environ,
            "DBT_PROFILES_DIR": str(project),
            "DBT_TARGET_PATH": str(project / "target"),
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    results = json.loads((project / "target" / "run_results.json").read_text())["results"]
    outcome = {
        r["unique_id"].split(".")[2]: (r["status"], r["failures"])
        for r in results
        if r["unique_id"].startswith("test.")
    }
    assert run.returncode != 0  # the bad seeds fail their tests
    expected = {
        "sums_to_shares_ok": ("pass", 0),
        "sums_to_shares_bad": ("fail", 1),  # survey a sums to 90
        "expression_is_true_shares_ok": ("pass", 0),
        "expression_is_true_shares_bad": ("fail", 1),  # only 30 is not above 50
        "values_mapped_spend_ok": ("pass", 0),
        "values_mapped_spend_bad": ("fail", 2),  # Radio and Podcast, each named once
        "unique_combination_grain_ok": ("pass", 0),
        "unique_combination_grain_bad": ("fail", 2),  # (1,a) and (2,a)
    }
    found = {
        prefix: next(v for k, v in outcome.items() if k.startswith(prefix)) for prefix in expected
    }
    assert found == expected, run.stdout[-3000:]
