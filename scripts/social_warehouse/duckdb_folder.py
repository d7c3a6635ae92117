"""dbt-duckdb plugin: create the database file's folder before DuckDB opens it.

DuckDB refuses to create a database in a folder that does not exist ("No such file or
directory"), which is what a plain `dbt build` met after `make clean` removed
`warehouse/`. The profile's DuckDB targets load this plugin (`plugins: - module:
social_warehouse.duckdb_folder`); dbt-duckdb calls `update_connection_config` just
before it connects.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dbt.adapters.duckdb.plugins import BasePlugin


def database_folder(path: str | None) -> Path | None:
    """The folder a local database file lives in, or None (in memory, MotherDuck, URLs)."""
    if not path or path == ":memory:" or path.startswith(("md:", "motherduck:")) or "://" in path:
        return None
    return Path(path).expanduser().parent


class Plugin(BasePlugin):
    def update_connection_config(self, creds: Any, config: dict[str, Any]) -> None:
        folder = database_folder(getattr(creds, "path", None))
        if folder is not None and str(folder) not in ("", "."):
            folder.mkdir(parents=True, exist_ok=True)
