"""Landing inventory: loads new native exports into raw Parquet, one row per landed file.

Runs the project's ingest (social_warehouse.ingest) inside `dbt build`, so a plain
`dbt build` picks up whatever was dropped into LANDING_DIR. The export kinds, their
columns and header spellings come from the registry seeds (seeds/config/), read from
their CSV files as the Spark job's ingest reads them: a `ref()` would make the ingest
wait for every seed and seed test (dbt runs the graph a depth at a time), about 3 s
of every build. A file that cannot be recognised stops the build with a message
naming the file (and every other bad file).
"""

from pathlib import Path


def model(dbt, session):
    dbt.config(materialized="table")
    from dbt.flags import get_flags

    from social_warehouse.ingest import Catalogue, ingest

    # the project dbt is building (--project-dir, DBT_PROJECT_DIR, or the folder found
    # from the current one), as dbt resolved it
    project = Path(getattr(get_flags(), "PROJECT_DIR", None) or ".")
    catalogue = Catalogue.from_seeds(project)
    landing = Path(dbt.config.get("landing_dir"))
    raw = Path(dbt.config.get("raw_dir"))
    result = ingest(landing, raw, catalogue)
    return result.as_table()
