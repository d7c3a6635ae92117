"""Every environment setting the tooling reads: its default and what it means.

This is the one place a default is written. Modules read a setting through the
accessors below, never with `os.environ` directly; `social-warehouse settings`
prints them all with their current values.

The project directory is `social-warehouse --project-dir`, else DBT_PROJECT_DIR,
else the current directory, and must hold `dbt_project.yml`: the job builds and
publishes the project it is run in, never the checkout the package was installed
from. Relative paths (defaults or values) are resolved against that directory,
which is also where dbt runs, so that Python and dbt's `env_var()` defaults in
profiles.yml and the models name the same files. An empty value counts as unset.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    default: str  # as it would be written in the environment; "" = computed, see meaning
    meaning: str
    is_path: bool = False
    secret: bool = False  # never printed: `social-warehouse settings` says only whether set


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "DBT_PROJECT_DIR",
        "",
        "the dbt project to build (the folder holding dbt_project.yml); default: the current "
        "directory; `social-warehouse --project-dir` sets it",
    ),
    Setting(
        "LANDING_DIR",
        "data/landing",
        "where native exports are dropped, as <platform>/<account_key>/<file>",
        is_path=True,
    ),
    Setting(
        "RAW_DIR",
        "data/raw",
        "raw Parquet the ingest writes and the staging sources read",
        is_path=True,
    ),
    Setting(
        "DUCKDB_PATH",
        "warehouse/warehouse.duckdb",
        "the DuckDB file dbt builds, the gate checks and the publish copies from",
        is_path=True,
    ),
    Setting("DBT_TARGET", "dev", "output of profiles/profiles.yml that dbt builds"),
    Setting(
        "DBT_TARGET_PATH",
        "target",
        "dbt's artifacts folder (manifest.json, run_results.json)",
        is_path=True,
    ),
    Setting(
        "DBT_PROFILES_DIR",
        "profiles",
        "folder holding profiles.yml, given to dbt (used only if it holds a profiles.yml)",
        is_path=True,
    ),
    Setting(
        "PUBLISH_DIR",
        "publish",
        "published versions BI reads (current/, versions/, warehouse.duckdb, parquet/)",
        is_path=True,
    ),
    Setting(
        "REPORTS_DIR",
        "",
        "steward report, gate result and Data Docs; default: reports/ beside DUCKDB_PATH",
        is_path=True,
    ),
    Setting(
        "BUILD_LOCK_WAIT_SECONDS",
        "0",
        "how long a job waits for another running build before giving up",
    ),
    Setting(
        "FORCE_BUILD",
        "0",
        "1: build even when nothing changed since the published version",
    ),
    Setting(
        "GATE_FRESHNESS_DAYS",
        "62",
        "the latest day in the marts must be this close to the latest landed export",
    ),
    Setting("PUBLISH_KEEP_VERSIONS", "5", "published versions kept (older ones are removed)"),
    Setting(
        "PUBLISH_PAUSE_AT",
        "",
        "test hook: publish step (copy, swap) at which to pause, so a test can kill the job",
    ),
    Setting("PUBLISH_PAUSE_SECONDS", "30", "test hook: how long PUBLISH_PAUSE_AT pauses"),
    Setting(
        "DBT_TEST_SCOPE",
        "added",
        "data tests on models stamped with built_at: `added` reads only rows written since a"
        " test last passed (keys: every row sharing a key with them); `all` reads every row",
    ),
    Setting(
        "INGEST_WORKERS",
        "",
        "processes reading landed files; default: the number of cores",
    ),
    Setting(
        "INGEST_MAX_FILE_BYTES",
        "209715200",
        "ingest limit: size of one landed file in bytes (200 MiB); a larger file stops the run",
    ),
    Setting("INGEST_MAX_ROWS", "1000000", "ingest limit: rows of one table (CSV, sheet, member)"),
    Setting("INGEST_MAX_COLUMNS", "300", "ingest limit: columns of one table"),
    Setting("INGEST_MAX_CELL_CHARS", "100000", "ingest limit: characters in one cell"),
    Setting(
        "INGEST_MAX_UNPACKED_BYTES",
        "524288000",
        "ingest limit: unpacked size of an .xlsx or .zip, all members (500 MiB)",
    ),
    Setting(
        "INGEST_MAX_SHARED_STRINGS",
        "1000000",
        "ingest limit: distinct texts in an .xlsx's shared-strings table",
    ),
    Setting(
        "INGEST_PAUSE_SECONDS",
        "0",
        "test hook: the ingest waits this long before it writes anything, so a test can fill"
        " the disk or kill the job at that point",
    ),
    Setting(
        "GX_ANALYTICS_ENABLED",
        "False",
        "Great Expectations usage statistics; the gate turns them off unless this is set",
    ),
    Setting(
        "SOCIAL_WAREHOUSE_PSEUDONYM_KEY",
        "",
        "secret (at least 32 characters) keying the pseudonyms of personal data; default: "
        "the key file below",
        secret=True,
    ),
    Setting(
        "SOCIAL_WAREHOUSE_PSEUDONYM_KEY_FILE",
        "",
        "file holding the pseudonym key (`social-warehouse key init` creates it, mode 0600);"
        " default: $XDG_CONFIG_HOME/social-warehouse/pseudonym.key, outside the repository",
    ),
    Setting(
        "XDG_CONFIG_HOME",
        "",
        "the user's configuration folder, where the pseudonym key file is; default: ~/.config",
    ),
    Setting(
        "SPARK_HOME_DIR",
        "warehouse/spark",
        "Spark target: its metastore, table files, derby.log and exported marts (docs/spark.md)",
        is_path=True,
    ),
    Setting("SPARK_DRIVER_MEMORY", "1g", "Spark target: memory of the local Spark driver"),
    Setting("SPARK_THREADS", "4", "Spark target: dbt threads sharing the local Spark session"),
)

_BY_NAME = {s.name: s for s in SETTINGS}


class ProjectNotFound(Exception):
    """The project directory holds no dbt_project.yml."""

    def __init__(self, folder: Path):
        self.folder = folder
        super().__init__(
            f"no dbt_project.yml in {folder}: run from the project folder or pass --project-dir"
        )


def default(name: str) -> str:
    return _BY_NAME[name].default


def text(name: str) -> str:
    """The setting's value as text: the environment's unless unset or empty, else the default."""
    return os.environ.get(name) or _BY_NAME[name].default


def is_set(name: str) -> bool:
    return bool(os.environ.get(name))


def project_dir() -> Path:
    """The dbt project the tooling works on: DBT_PROJECT_DIR, else the current directory."""
    raw = os.environ.get("DBT_PROJECT_DIR")
    folder = (Path(raw).expanduser() if raw else Path.cwd()).resolve()
    if not (folder / "dbt_project.yml").is_file():
        raise ProjectNotFound(folder)
    return folder


def use_project_dir(folder: str | Path) -> Path:
    """Make `folder` the project directory of this process and of the dbt it starts."""
    resolved = Path(folder).expanduser().resolve()
    os.environ["DBT_PROJECT_DIR"] = str(resolved)
    return project_dir()


def path(name: str) -> Path:
    """A path setting, relative values resolved against the project directory."""
    if not _BY_NAME[name].is_path:
        raise ValueError(f"{name} is not a path setting")
    value = Path(text(name)).expanduser()
    return value if value.is_absolute() else project_dir() / value


def landing_dir() -> Path:
    return path("LANDING_DIR")


def raw_dir() -> Path:
    return path("RAW_DIR")


def duckdb_path() -> Path:
    return path("DUCKDB_PATH")


def dbt_target() -> str:
    return text("DBT_TARGET")


def dbt_target_path() -> Path:
    return path("DBT_TARGET_PATH")


def dbt_profiles_dir() -> Path:
    return path("DBT_PROFILES_DIR")


def publish_dir() -> Path:
    return path("PUBLISH_DIR")


def reports_dir() -> Path:
    return path("REPORTS_DIR") if is_set("REPORTS_DIR") else duckdb_path().parent / "reports"


def build_lock_wait_seconds() -> float:
    return float(text("BUILD_LOCK_WAIT_SECONDS"))


def force_build() -> bool:
    return text("FORCE_BUILD").strip().lower() not in ("", "0", "false", "no")


def gate_freshness_days() -> int:
    return int(text("GATE_FRESHNESS_DAYS"))


def publish_keep_versions() -> int:
    return int(text("PUBLISH_KEEP_VERSIONS"))


def publish_pause_at() -> str:
    return text("PUBLISH_PAUSE_AT")


def publish_pause_seconds() -> float:
    return float(text("PUBLISH_PAUSE_SECONDS"))


def ingest_workers() -> int:
    return int(text("INGEST_WORKERS") or os.cpu_count() or 1)


def ingest_pause_seconds() -> float:
    return float(text("INGEST_PAUSE_SECONDS"))


def gx_analytics_default() -> None:
    """Great Expectations reads GX_ANALYTICS_ENABLED itself: give it our default."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", _BY_NAME["GX_ANALYTICS_ENABLED"].default)


def value(name: str) -> str:
    """The effective value as text (paths resolved), e.g. for a digest of the settings."""
    if name == "DBT_PROJECT_DIR":
        return str(project_dir())
    if name == "REPORTS_DIR":
        return str(reports_dir())
    return str(path(name)) if _BY_NAME[name].is_path else text(name)


def dbt_environment() -> dict[str, str]:
    """The environment dbt runs in: this one, with the project and every path dbt reads
    resolved, so that dbt builds exactly the files the job then checks and publishes."""
    env = {
        **os.environ,
        "DBT_PROJECT_DIR": str(project_dir()),
        "DBT_TARGET_PATH": str(dbt_target_path()),
        "DUCKDB_PATH": str(duckdb_path()),
        "LANDING_DIR": str(landing_dir()),
        "RAW_DIR": str(raw_dir()),
    }
    profiles = dbt_profiles_dir()
    if is_set("DBT_PROFILES_DIR") or (profiles / "profiles.yml").is_file():
        env["DBT_PROFILES_DIR"] = str(profiles)
    return env


def describe() -> str:
    """Every setting: name, current value (or why there is none), default and meaning."""
    lines = []
    for setting in SETTINGS:
        try:
            current = value(setting.name)
        except ProjectNotFound as err:
            current = f"? ({err})"
        if setting.secret:
            current = "(set, not shown)" if current else ""
        lines.append(
            f"{setting.name}={current}\n"
            f"    default: {setting.default or '(computed)'}; {setting.meaning}"
        )
    return "\n".join(lines)
