"""The job builds the project it is run in: a copied checkout builds the copy, never the
checkout the package was installed from. dbt itself is replaced by a recorder."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from settings_helpers import clear_settings

from social_warehouse import cli, settings

REPO = Path(__file__).resolve().parents[2]  # the checkout the package is installed from
PROJECT_PARTS = ("dbt_project.yml", "models", "macros", "seeds", "tests", "profiles")


@pytest.fixture
def copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The repository's dbt project copied into tmp, no setting in the environment."""
    clear_settings(monkeypatch)
    target = tmp_path / "copy"
    target.mkdir()
    for part in PROJECT_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        else:
            shutil.copy2(source, target / part)
    return target.resolve()


@pytest.fixture
def dbt_calls(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """Record each dbt run (command, cwd, env); it fails, leaving an empty manifest."""
    calls: list[dict] = []

    def fake_run(command, cwd=None, env=None, check=False, **kwargs):
        calls.append({"command": list(command), "cwd": Path(cwd), "env": dict(env or {})})
        target = Path(env["DBT_TARGET_PATH"])
        target.mkdir(parents=True, exist_ok=True)
        manifest = {"metadata": {"project_name": "social_warehouse"}, "nodes": {}, "sources": {}}
        (target / "manifest.json").write_text(json.dumps(manifest))
        return subprocess.CompletedProcess(command, 1)

    monkeypatch.setattr("social_warehouse.pipeline.subprocess.run", fake_run)
    return calls


def _assert_builds(copy: Path, call: dict) -> None:
    env = call["env"]
    assert call["command"][1] == "build"
    assert call["cwd"] == copy
    assert env["DBT_PROJECT_DIR"] == str(copy)
    assert env["DBT_PROFILES_DIR"] == str(copy / "profiles")
    assert env["DBT_TARGET_PATH"] == str(copy / "target")
    assert env["DUCKDB_PATH"] == str(copy / "warehouse" / "warehouse.duckdb")
    assert env["LANDING_DIR"] == str(copy / "data" / "landing")
    assert env["RAW_DIR"] == str(copy / "data" / "raw")
    for value in (env[k] for k in ("DBT_PROJECT_DIR", "DUCKDB_PATH", "LANDING_DIR", "RAW_DIR")):
        assert not Path(value).is_relative_to(REPO)
    # what the job wrote is in the copy too
    assert (copy / "warehouse" / "reports" / "steward_report.txt").exists()
    assert (copy / "warehouse" / "warehouse.duckdb.build.lock").exists()


def test_run_in_a_copied_project_builds_the_copy(
    copy: Path, dbt_calls: list[dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(copy)
    assert settings.project_dir() == copy
    assert cli.main(["run", "--no-use-colors"]) == 1  # the fake dbt failed: nothing published
    assert len(dbt_calls) == 1
    _assert_builds(copy, dbt_calls[0])
    assert "--no-use-colors" in dbt_calls[0]["command"]
    assert not (copy / "publish").exists()


def test_project_dir_option_builds_that_project_from_anywhere(
    copy: Path, dbt_calls: list[dict], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)  # even from inside the original checkout
    assert cli.main(["--project-dir", str(copy), "run"]) == 1
    _assert_builds(copy, dbt_calls[-1])


def test_dbt_project_dir_setting_builds_that_project(
    copy: Path, dbt_calls: list[dict], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DBT_PROJECT_DIR", str(copy))
    assert cli.main(["run"]) == 1
    _assert_builds(copy, dbt_calls[-1])


def test_no_project_no_build(
    tmp_path: Path, dbt_calls: list[dict], monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    clear_settings(monkeypatch)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["run"]) == 2
    assert dbt_calls == []
    assert f"no dbt_project.yml in {tmp_path.resolve()}" in capsys.readouterr().err


def test_generate_reads_the_accounts_of_the_project_run_in(
    copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen = {}

    def fake_generate(config):
        seen["config"] = config
        return type("S", (), {"files": 0, "posts": 0, "rows": 0, "by_kind": {}})()

    monkeypatch.setattr("social_warehouse.generator.generate", fake_generate)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["--project-dir", str(copy), "generate"]) == 0
    assert seen["config"].accounts_csv == copy / "seeds" / "organizations" / "social_accounts.csv"
    assert seen["config"].landing_dir == copy / "data" / "landing"
