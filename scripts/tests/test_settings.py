"""Every environment setting has its default in settings.py, resolved against the project
directory; the tooling reads settings only through it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from settings_helpers import clear_settings

from social_warehouse import cli, settings

REPO = Path(__file__).resolve().parents[2]  # this checkout, for reading its files
PACKAGE = REPO / "scripts" / "social_warehouse"
READ = re.compile(
    r"""os\.(?:environ\.get|getenv)\(\s*["'](\w+)["']|os\.environ\[\s*["'](\w+)["']"""
)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty dbt project folder, with no setting in the environment."""
    clear_settings(monkeypatch)
    folder = tmp_path / "proj"
    folder.mkdir()
    (folder / "dbt_project.yml").write_text("name: p\n")
    return folder


def test_defaults_resolve_under_the_current_directory(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    assert settings.project_dir() == project.resolve()
    root = project.resolve()
    assert settings.landing_dir() == root / "data" / "landing"
    assert settings.raw_dir() == root / "data" / "raw"
    assert settings.duckdb_path() == root / "warehouse" / "warehouse.duckdb"
    assert settings.publish_dir() == root / "publish"
    assert settings.dbt_target_path() == root / "target"
    assert settings.dbt_profiles_dir() == root / "profiles"
    assert settings.reports_dir() == root / "warehouse" / "reports"
    assert settings.dbt_target() == "dev"
    assert settings.build_lock_wait_seconds() == 0
    assert settings.gate_freshness_days() == 62
    assert settings.publish_keep_versions() == 5
    assert settings.force_build() is False
    assert settings.ingest_workers() >= 1


def test_relative_values_resolve_against_the_project_not_the_current_directory(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("DBT_PROJECT_DIR", str(project))
    monkeypatch.setenv("LANDING_DIR", "drop")
    monkeypatch.setenv("DUCKDB_PATH", str(tmp_path / "abs.duckdb"))
    monkeypatch.setenv("REPORTS_DIR", "out/reports")
    monkeypatch.setenv("FORCE_BUILD", "1")
    monkeypatch.setenv("RAW_DIR", "")  # empty counts as unset
    root = project.resolve()
    assert settings.landing_dir() == root / "drop"
    assert settings.duckdb_path() == tmp_path / "abs.duckdb"
    assert settings.reports_dir() == root / "out" / "reports"
    assert settings.raw_dir() == root / "data" / "raw"
    assert settings.force_build() is True


def test_no_project_here_is_a_clear_error(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)
    with pytest.raises(settings.ProjectNotFound, match=r"no dbt_project\.yml in"):
        settings.landing_dir()
    for argv in (["run"], ["summary"], ["--project-dir", str(tmp_path), "settings"]):
        assert cli.main(argv) == 2
        err = capsys.readouterr().err
        assert "no dbt_project.yml in" in err
        assert "run from the project folder or pass --project-dir" in err


def test_project_dir_option_before_or_after_the_command(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)  # not a project
    for argv in (
        ["--project-dir", str(project), "settings"],
        ["settings", "--project-dir", "proj"],
    ):
        assert cli.main(argv) == 0
        out = capsys.readouterr().out
        assert f"LANDING_DIR={project.resolve() / 'data' / 'landing'}" in out
        assert "default: data/landing;" in out


def test_every_setting_the_package_reads_is_declared() -> None:
    declared = {s.name for s in settings.SETTINGS}
    read: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        for match in READ.finditer(path.read_text(encoding="utf-8")):
            read.setdefault(match.group(1) or match.group(2), set()).add(path.name)
    assert set(read) <= declared, {k: v for k, v in read.items() if k not in declared}


OWNED = (
    "__init__",
    "__main__",
    "cli",
    "pipeline",
    "publish",
    "summary",
    "steward",
    "quality_gate",
    "fingerprint",
    "artifacts",
    "bench",
)


@pytest.mark.parametrize("module", OWNED)
def test_the_tooling_reads_settings_only_through_the_settings_module(module: str) -> None:
    source = (PACKAGE / f"{module}.py").read_text(encoding="utf-8")
    assert not READ.search(source)
    assert "os.environ.setdefault" not in source
    assert "PROJECT_ROOT" not in source or module == "__init__"


def test_dbt_defaults_agree_with_the_settings() -> None:
    """profiles.yml and the models fall back to the same relative paths (dbt runs in the
    project directory): a plain `dbt build` and the job use the same files."""
    defaults: dict[str, set[str]] = {}
    pattern = re.compile(r"env_var\(\s*'+(\w+)'+\s*,\s*'+([^']*)'+\s*\)")
    for folder in ("profiles", "models"):
        for path in (REPO / folder).rglob("*.yml"):
            for name, default in pattern.findall(path.read_text(encoding="utf-8")):
                defaults.setdefault(name, set()).add(default)
    for name in ("LANDING_DIR", "RAW_DIR", "DBT_TARGET"):
        assert defaults[name] == {settings.default(name)}, name
    assert settings.default("DUCKDB_PATH") in defaults["DUCKDB_PATH"]  # the dev output's
