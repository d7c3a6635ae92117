"""Read a published version as a BI client does, with whatever `duckdb` this interpreter has.

Run by test_bi_clients.py under another interpreter (DuckDB 1.x): it needs nothing but the
standard library and `duckdb`. Usage: python bi_client_probe.py <publish dir>

Prints one JSON object: the DuckDB version, then per mart of the published DuckDB file
(opened read-only) its column types, row count and every value read, and the same from
its Parquet file. Values are printed as text (None stays null), so that two clients'
readings can be compared whatever Python types they return.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import duckdb


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[list[str | None]]:
    return [[None if v is None else str(v) for v in row] for row in con.execute(sql).fetchall()]


def main(publish_dir: Path) -> dict:
    con = duckdb.connect(str(publish_dir / "warehouse.duckdb"), read_only=True)
    try:
        marts = [
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables"
                " where table_schema = 'marts' order by table_name"
            ).fetchall()
        ]
        tables = {}
        for mart in marts:
            columns = con.execute(
                "select column_name, data_type from information_schema.columns"
                " where table_schema = 'marts' and table_name = ? order by ordinal_position",
                [mart],
            ).fetchall()
            tables[mart] = {
                "columns": [list(c) for c in columns],
                "rows": con.execute(f'select count(*) from marts."{mart}"').fetchall()[0][0],
                "values": _rows(con, f'select * from marts."{mart}" order by all'),
            }
    finally:
        con.close()
    parquet = {}
    reader = duckdb.connect()
    try:
        for path in sorted((publish_dir / "parquet").glob("*.parquet")):
            source = f"read_parquet('{path}')"
            parquet[path.stem] = {
                "rows": reader.execute(f"select count(*) from {source}").fetchall()[0][0],
                "values": _rows(reader, f"select * from {source} order by all"),
            }
    finally:
        reader.close()
    return {"duckdb_version": duckdb.__version__, "tables": tables, "parquet": parquet}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]))))
