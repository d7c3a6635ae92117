"""Which connectors a build reads (docs/connectors.md), for the main job.

A connector's tables change without any file landing, so a run with a connector enabled
is never skipped as "nothing new". A connector is enabled by the dbt variable
`<connector>_enabled`, set in `dbt_project.yml` or passed with `--vars`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


def _vars_from_args(dbt_args: list[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for index, arg in enumerate(dbt_args):
        text = None
        if arg == "--vars" and index + 1 < len(dbt_args):
            text = dbt_args[index + 1]
        elif arg.startswith("--vars="):
            text = arg.removeprefix("--vars=")
        if text:
            parsed = yaml.safe_load(text)
            if isinstance(parsed, dict):
                found.update(parsed)
    return found


def _vars_from_project(project: Path) -> dict[str, Any]:
    path = project / "dbt_project.yml"
    if not path.exists():
        return {}
    parsed = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    project_vars = parsed.get("vars") or {}
    return project_vars if isinstance(project_vars, dict) else {}


def enabled_connectors(project: Path, dbt_args: list[str]) -> list[str]:
    """The connectors whose `<connector>_enabled` variable is true (command line wins)."""
    merged = {**_vars_from_project(project), **_vars_from_args(dbt_args)}
    return sorted(
        name.removesuffix("_enabled")
        for name, value in merged.items()
        if name.endswith("_enabled") and str(value).lower() in ("true", "1")
    )
