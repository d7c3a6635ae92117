"""Landing inventory: loads new native exports into raw Parquet, one row per landed file.

Runs the project's ingest (social_warehouse.ingest) inside `dbt build`, so a plain
`dbt build` picks up whatever was dropped into LANDING_DIR. The export kinds, their
columns and header spellings come from the registry seeds (seeds/config/). A file
that cannot be recognised stops the build with a message naming the file (and every
other bad file).
"""

from pathlib import Path


def model(dbt, session):
    dbt.config(materialized="table")
    from social_warehouse.ingest import Catalogue, ingest

    catalogue = Catalogue.from_rows(
        dbt.ref("export_kinds").df().to_dict("records"),
        dbt.ref("export_columns").df().to_dict("records"),
        dbt.ref("header_aliases").df().to_dict("records"),
    )
    landing = Path(dbt.config.get("landing_dir"))
    raw = Path(dbt.config.get("raw_dir"))
    result = ingest(landing, raw, catalogue)
    return result.as_table()
