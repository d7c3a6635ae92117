"""Landing ingest in batches: copies of one export spread over several batches are
loaded once, and the other files of those batches keep their rows."""

from __future__ import annotations

import collections
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from social_warehouse.ingest import core, ingest
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
