"""Landing ingest in batches: copies of one export spread over several batches are
loaded once, and the other files of those batches keep their rows."""

from __future__ import annotations

import collections
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from social_warehouse.ingest import core, ingest, readers
from social_warehouse.ingest.readers import read_delimited

FB_HEADER = (
    "Post ID,Page ID,Page name,Title,Description,Duration (sec),Publish time,Caption type,"
    "Permalink,Is crosspost,Is share,Post type,Languages,Custom labels,Funded content status,"
    'Data comment,Date,Views,Reach,"Reactions, comments and shares",Reactions,Comments,Shares,'
    "Total clicks,Other Clicks,Link Clicks"
)


def _export(post_id: str) -> bytes:
    row = (
        f"{post_id},104835129933411,HarborFederalBank,,Hello,0,11/01/2024 10:48,,https://x,No,"
        "No,Photos,,,,,Lifetime,9238,7193,8,4,4,0,43,18,25"
    )
    return f"{FB_HEADER}\n{row}\n".encode()


def test_copies_in_several_batches_are_loaded_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    landing, raw = tmp_path / "landing", tmp_path / "raw"
    folder = landing / "facebook" / "harbor_fb"
    folder.mkdir(parents=True)
    # sorted by name and two files per batch: [a, b], [c, d], [e]; c and d copy a
    contents = {"a": "1001", "b": "1002", "c": "1001", "d": "1001", "e": "1003"}
    for name, post_id in contents.items():
        (folder / f"{name}.csv").write_bytes(_export(post_id))
    monkeypatch.setattr(core, "CHUNK_FILES", 2)
    result = ingest(landing, raw, workers=1)
    statuses = {Path(f.source_file).stem: f.status for f in result.files}
    assert statuses == {
        "a": "loaded",
        "b": "loaded",
        "c": "duplicate_content",
        "d": "duplicate_content",
        "e": "loaded",
    }
    batches = sorted(p for p in (raw / "posts").glob("b*.parquet"))
    assert len(batches) == 3
    rows = collections.Counter()
    for batch in batches:
        table = pq.read_table(batch, columns=["_source_file", "post_id"]).to_pylist()
        rows.update((Path(r["_source_file"]).stem, r["post_id"]) for r in table)
    assert rows == {("a", "1001"): 1, ("b", "1002"): 1, ("e", "1003"): 1}
    again = ingest(landing, raw, workers=1)
    assert again.loaded == 0


@pytest.mark.parametrize("rows", [0, 1, 2_000])
def test_the_fast_reader_reads_every_row_of_a_file_of_any_size(rows: int) -> None:
    body = "".join(f'{i},x{i},"a, quoted"\n' for i in range(rows))
    [table], _ = read_delimited(f"id,name,note\n{body}".encode())
    assert table.rows.num_rows == rows
    assert table.row_numbers == list(range(2, 2 + rows))
    if rows:
        last = table.rows.slice(rows - 1).to_pylist()[0]
        assert last == {"c0": str(rows - 1), "c1": f"x{rows - 1}", "c2": "a, quoted"}


def _padded(quirk: str, newline: str = "\n") -> str:
    """A file past SMALL_TABLE_CHARS (so the pyarrow path is tried) with one oddity in
    the middle of its rows."""
    rows = [f'{i},x{i},"a, quoted"' for i in range(400)]
    rows.insert(200, quirk)
    return newline.join(["id,name,note", *rows]) + newline


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plain", _padded("200a,y,z").encode()),
        ("crlf", _padded("200a,y,z", "\r\n").encode()),
        ("bom", b"\xef\xbb\xbf" + _padded("200a,y,z").encode()),
        ("blank line", _padded("").encode()),
        ("whitespace line", _padded("   ").encode()),
        ("ragged row", _padded("1,2").encode()),
        ("quoted newline", _padded('q,"two\nlines",z').encode()),
        ("lone carriage return", _padded('q,"one\rtwo",z').encode()),
        ("line separator in a cell", _padded("q,a\u2028b,z").encode()),
        ("sep line", ("sep=,\n" + _padded("200a,y,z")).encode()),
        ("preamble", ("Lifetime views\n" + _padded("200a,y,z")).encode()),
        ("no final newline", _padded("200a,y,z").rstrip("\n").encode()),
        ("utf-16", b"\xff\xfe" + _padded("200a,y,\u00e9").encode("utf-16-le")),
        ("cp1252", _padded("200a,y,caf\xe9").encode("cp1252")),
    ],
)
def test_the_fast_reader_reads_what_the_exact_reader_reads(name: str, content: bytes) -> None:
    """Files past SMALL_TABLE_CHARS go to pyarrow, straight from their bytes where they
    are UTF-8 with plain line breaks; whatever path a file takes, its rows, row numbers
    and rejected rows are those of Python's csv module reading the text line by line."""
    assert len(content) > readers.SMALL_TABLE_CHARS
    [table], decoded = read_delimited(content)
    body = decoded.text.splitlines()[table.header_row :]
    names = [f"c{i}" for i in range(len(table.header))]
    rows, numbers, bad = readers._parse_exact(body, names, ",", table.first_data_row)
    assert table.rows.to_pylist() == rows.to_pylist()
    assert table.row_numbers == numbers
    assert table.bad_rows == bad


def test_a_batch_of_unlike_files_is_written_as_plain_text(tmp_path: Path) -> None:
    """Pieces of one batch may have different columns (two kinds of one entity), values
    the same on every row (lineage, a header's currency), and no rows at all; each
    column comes back from Parquet as text, row by row as the files had it."""
    lineage = {c: None for c in core.LINEAGE if c != "_row_number"}
    first = core._Piece(
        2, {"a": pa.array(["1", "2"])}, {**lineage, "b": "EUR", "_source_file": "f1"}, [2, 3]
    )
    second = core._Piece(1, {"b": pa.array(["x"])}, {**lineage, "_source_file": "f2"}, [5])
    empty = core._Piece(0, {}, {**lineage, "_source_file": "f3"}, [])
    table = core._assemble([first, second, empty], core._empty_schema(["a", "b", "c"]))
    pq.write_table(table, tmp_path / "batch.parquet", store_schema=False)
    back = pq.read_table(tmp_path / "batch.parquet")
    assert back.schema == core._empty_schema(["a", "b", "c"])
    picked = back.select(["a", "b", "c", "_source_file", "_row_number", "_loaded_at"])
    assert picked.to_pylist() == [
        {
            "a": "1",
            "b": "EUR",
            "c": None,
            "_source_file": "f1",
            "_row_number": 2,
            "_loaded_at": None,
        },
        {
            "a": "2",
            "b": "EUR",
            "c": None,
            "_source_file": "f1",
            "_row_number": 3,
            "_loaded_at": None,
        },
        {
            "a": None,
            "b": "x",
            "c": None,
            "_source_file": "f2",
            "_row_number": 5,
            "_loaded_at": None,
        },
    ]
