"""What a build depends on, as one digest: the dbt project's files and the landed
files (path, size, modification time). Equal digests mean a new build would compute
exactly what is already published, so the main job can skip it."""

from __future__ import annotations

import hashlib
from pathlib import Path

from social_warehouse import settings

PROJECT_INPUTS = ("dbt_project.yml", "profiles", "models", "macros", "seeds", "tests")
# settings that change what a build computes (effective values: defaults and resolved paths)
SETTINGS = ("DBT_TARGET", "LANDING_DIR", "RAW_DIR", "GATE_FRESHNESS_DAYS")


def _files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def project_digest(project: Path) -> str:
    """The dbt project alone (models, macros, seeds, tests, settings): when it changes,
    incremental models must be rebuilt from the raw layer (a full refresh)."""
    digest = hashlib.sha256()
    for part in PROJECT_INPUTS:
        for path in _files(project / part):
            digest.update(path.relative_to(project).as_posix().encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def inputs_digest(
    project: Path,
    landing: Path,
    dbt_args: list[str] | None = None,
    project_hash: str | None = None,
) -> str:
    """`project_hash`: the project's digest when the caller has it already."""
    digest = hashlib.sha256()
    digest.update(" ".join(dbt_args or []).encode())
    digest.update((project_hash or project_digest(project)).encode())
    for name in SETTINGS:
        digest.update(f"{name}={settings.value(name)}".encode())
    if landing.exists():
        for path in sorted(landing.rglob("*")):
            if path.is_file() or path.is_symlink():
                stat = path.lstat()
                rel = path.relative_to(landing).as_posix()
                digest.update(f"{rel}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()
