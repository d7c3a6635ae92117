"""Python tooling around the social marketing warehouse dbt project.

The project directory is `settings.project_dir()` (--project-dir, DBT_PROJECT_DIR or
the current directory), never where this package happens to be installed.
"""

from pathlib import Path

# deprecated: use settings.project_dir(). Where this file sits, not the project being
# built; kept only until ingest/, generator/ and the tests stop importing it.
PROJECT_ROOT = Path(__file__).resolve().parents[2]

__all__ = ["PROJECT_ROOT"]
