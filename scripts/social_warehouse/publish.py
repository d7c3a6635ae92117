"""Publish the marts for BI in one atomic step, keeping the last few versions.

Which marts are published is the project's to say (contract-enforced public models of
the marts folder: `artifacts.published_marts`); the caller passes them in.

Layout of PUBLISH_DIR (default `publish/` in the project):

    versions/<run_id>/warehouse.duckdb      the marts (schema `marts`), read-only file
    versions/<run_id>/parquet/<mart>.parquet
    versions/<run_id>/manifest.json         run id, time, git commit, row counts, checks
    current -> versions/<run_id>            the one link that is swapped
    warehouse.duckdb -> current/warehouse.duckdb
    parquet -> current/parquet

A new version is written completely into a hidden folder, renamed into
`versions/`, and only then does `current` change, by renaming a new link over
the old one (atomic on POSIX). A reader that opened the previous file keeps
reading it; a crash at any point leaves `current` on a complete version.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from social_warehouse import settings


@dataclass
class Published:
    run_id: str
    published_at: str
    git_commit: str
    dbt_invocation_id: str
    row_counts: dict[str, int]
    checks: dict[str, int]
    version_dir: str
    inputs_digest: str = ""
    project_digest: str = ""


def default_publish_dir() -> Path:
    return settings.publish_dir()


def _git_commit(project: Path | None) -> str:
    """The commit of the project that was built ("unknown" outside a git checkout)."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=project or settings.project_dir(),
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        )
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError, settings.ProjectNotFound):
        return "unknown"


def _fsync_tree(folder: Path) -> None:
    for path in [*folder.rglob("*"), folder]:
        if path.is_file():
            with path.open("rb") as fh:
                os.fsync(fh.fileno())
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _pause(step: str) -> None:
    """Test hook: PUBLISH_PAUSE_AT=<step> sleeps there, so a test can kill the process."""
    if settings.publish_pause_at() == step:
        import time

        time.sleep(settings.publish_pause_seconds())


def _swap_link(link: Path, target: str) -> None:
    tmp = link.with_name(f".{link.name}.{os.getpid()}.tmp")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(target)
    os.replace(tmp, link)


def current_version(publish_dir: Path) -> str | None:
    link = publish_dir / "current"
    return Path(os.readlink(link)).name if link.is_symlink() else None


def read_manifest(publish_dir: Path) -> dict | None:
    path = publish_dir / "current" / "manifest.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def publish(
    database: Path,
    publish_dir: Path,
    dbt_invocation_id: str,
    checks: dict[str, int],
    marts: Sequence[str],
    inputs_digest: str = "",
    project_digest: str = "",
    project: Path | None = None,
    keep: int | None = None,
) -> Published:
    """Copy `marts` of the built `database` into a new version and make it current.

    `project`: the dbt project built (its git commit is recorded; default: the project
    directory); `keep`: versions kept (default: PUBLISH_KEEP_VERSIONS)."""
    if not marts:
        raise ValueError("no marts to publish: the manifest declares none")
    now = datetime.now(UTC)
    run_id = f"{now:%Y%m%dT%H%M%S%fZ}-{dbt_invocation_id[:8]}"
    versions = publish_dir / "versions"
    versions.mkdir(parents=True, exist_ok=True)
    for stale in versions.glob(".building-*"):  # left by a crash: never current
        shutil.rmtree(stale, ignore_errors=True)
    building = versions / f".building-{run_id}"
    (building / "parquet").mkdir(parents=True)

    con = duckdb.connect(str(building / "warehouse.duckdb"))
    counts: dict[str, int] = {}
    try:
        con.execute(f"attach '{database}' as build (read_only)")
        con.execute("create schema marts")
        for mart in marts:
            con.execute(f"create table marts.{mart} as select * from build.marts.{mart}")
            counts[mart] = con.execute(f"select count(*) from marts.{mart}").fetchall()[0][0]
            _pause("copy")
            target = building / "parquet" / f"{mart}.parquet"
            con.execute(f"copy marts.{mart} to '{target}' (format parquet)")
        con.execute("detach build")
        con.execute("checkpoint")
    finally:
        con.close()
    record = Published(
        run_id=run_id,
        published_at=now.isoformat(),
        git_commit=_git_commit(project),
        dbt_invocation_id=dbt_invocation_id,
        row_counts=counts,
        checks=checks,
        version_dir=f"versions/{run_id}",
        inputs_digest=inputs_digest,
        project_digest=project_digest,
    )
    (building / "manifest.json").write_text(json.dumps(asdict(record), indent=1), encoding="utf-8")
    (building / "warehouse.duckdb").chmod(0o444)
    _fsync_tree(building)
    final = versions / run_id
    os.replace(building, final)
    _pause("swap")
    _swap_link(publish_dir / "current", f"versions/{run_id}")
    for name, target in (
        ("warehouse.duckdb", "current/warehouse.duckdb"),
        ("parquet", "current/parquet"),
    ):
        link = publish_dir / name
        if not link.is_symlink() or os.readlink(link) != target:
            _swap_link(link, target)
    _prune(
        versions,
        keep=settings.publish_keep_versions() if keep is None else keep,
        current=run_id,
    )
    return record


def _prune(versions: Path, keep: int, current: str) -> None:
    done = sorted(p for p in versions.iterdir() if p.is_dir() and not p.name.startswith("."))
    for old in done[:-keep] if keep > 0 else []:
        if old.name != current:
            for path in old.rglob("*"):
                if path.is_file():
                    path.chmod(0o644)
            shutil.rmtree(old, ignore_errors=True)
