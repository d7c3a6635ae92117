"""The project's generic dbt tests, tested themselves: each passes on good data and
fails, with the right number of failing rows, on bad data (a tiny dbt project)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

PROJECT_ROOT = Path(__file__).resolve().parents[2]  # this checkout, whose files the tests read


SEEDS = {
    "shares_ok.csv": "survey,share\na,60\na,40.2\nb,100\n",
    "shares_bad.csv": "survey,share\na,60\na,30\nb,100\n",
    "labels.csv": "label\nTV\nWeb\n",
    "spend_ok.csv": "label,amount\nTV,1\nWeb,2\n",
    "spend_bad.csv": "label,amount\nTV,1\nRadio,2\nPodcast,3\nRadio,4\n",
    "grain_ok.csv": "k1,k2\n1,a\n1,b\n2,a\n",
    "grain_bad.csv": "k1,k2\n1,a\n1,a\n2,a\n2,a\n3,a\n",
    "accounts_ok.csv": "account,label,answer,kind\nx1,TV,0,paid\nx2,Web,4,\nx3,,2,own\n",
    # x1: clean; x2: label unmapped, answer 7, kind "rented"; x2 again: duplicate account;
    # blank account: empty; y1: unmapped label but its kind is excluded by the where
    "accounts_bad.csv": (
        "account,label,answer,kind\nx1,TV,0,paid\nx2,Radio,7,rented\nx2,Web,1,own\n"
        ",TV,1,own\ny1,Podcast,2,skip\n"
    ),
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
  - name: accounts_ok
    data_tests: &account_rules
      - valid_rows:
          arguments:
            not_null: [account]
            unique: [account]
            accepted_values: {answer: [0, 1, 2, 3, 4], kind: [paid, own, skip, "it's"]}
            relationships:
              - {column: label, to: "ref('labels')", field: label, where: "kind <> 'skip'"}
      - row_rules:
          arguments: {not_null: [account, answer], accepted_values: {kind: [paid, own, skip]}}
  - name: accounts_bad
    data_tests: *account_rules
"""


def test_generic_tests_pass_and_fail_as_documented(tmp_path: Path) -> None:
    project = tmp_path / "p"
    (project / "seeds").mkdir(parents=True)
    shutil.copytree(PROJECT_ROOT / "tests" / "generic", project / "tests" / "generic")
    (project / "macros").mkdir()  # the body valid_rows and row_rules share
    shutil.copy(PROJECT_ROOT / "macros" / "row_rules.sql", project / "macros")
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
        [
            str(Path(sys.executable).with_name("dbt")),
            "build",
            "--no-use-colors",
            "--store-failures",
        ],
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
        "valid_rows_accounts_ok": ("pass", 0),
        "valid_rows_accounts_bad": ("fail", 3),  # the two x2 rows and the blank account
        "row_rules_accounts_ok": ("pass", 0),  # x2's empty kind passes: nulls are accepted
        "row_rules_accounts_bad": ("fail", 2),  # the blank account, x2's kind "rented"
    }
    found = {
        prefix: next(v for k, v in outcome.items() if k.startswith(prefix)) for prefix in expected
    }
    assert found == expected, run.stdout[-3000:]
    # each failing row is returned whole, with every rule it breaks
    con = duckdb.connect(str(tmp_path / "g.duckdb"), read_only=True)

    def defects_of(prefix: str) -> dict[str, str]:
        stored = next(
            r["relation_name"] for r in results if r["unique_id"].split(".")[2].startswith(prefix)
        )
        return dict(
            con.execute(
                f"select coalesce(account, '(blank)') || '/' || label, defects from {stored}"
            ).fetchall()
        )

    try:
        defects = defects_of("valid_rows_accounts_bad")
        row_defects = defects_of("row_rules_accounts_bad")
    finally:
        con.close()
    assert row_defects == {
        "(blank)/TV": "account: empty",
        "x2/Radio": "kind: value not in the accepted list",
    }
    assert defects == {
        "(blank)/TV": "account: empty",
        "x2/Radio": "account: duplicate value; answer: value not in the accepted list; "
        "kind: value not in the accepted list; label: no match in label of labels",
        "x2/Web": "account: duplicate value",
    }
