"""Land native exports into raw Parquet, in batches of landed files.

For every file under `LANDING_DIR/<platform>/<account_key>/`:
1. hash its content (a file already loaded is not read again; the same
   content landed twice is recorded once, with the duplicate named);
2. recognise its export kind from the header (never from the file name);
3. map every header to its canonical column through the alias seed, keep
   every value as text, and add lineage columns;
4. write the rows of up to 500 files as one `RAW_DIR/<entity>/b<stamp>_<chunk>.parquet`
   per entity (posts, follows, page_days: seed `export_kinds`), holding every
   canonical column of the entity's kinds (the file each landed export went to
   is its `raw_file`).

Typing, parsing and quarantine happen in the dbt staging models, where the
rules are SQL with unit tests. A file that cannot be recognised, lacks a
required column or sits in the wrong place stops the run with a message that
names the file; every such problem is listed, not just the first.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import gc
import hashlib
import json
import math
import operator
import os
import shutil
import sys
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.compute  # (pa.compute)
import pyarrow.parquet as pq

from social_warehouse import pseudonyms, settings
from social_warehouse.ingest.limits import (
    IngestLimits,
    LimitExceeded,
    check_file_size,
    check_table,
    check_workbook,
)
from social_warehouse.ingest.readers import (
    ZIP_LIMITS,
    Table,
    UnreadableFile,
    read_delimited,
    read_workbook,
    read_zip,
)
from social_warehouse.ingest.signatures import Catalogue, ExportKind, normalise

LINEAGE = [
    "_source_file",
    "_file_hash",
    "_row_number",
    "_account_key",
    "_platform",
    "_export_kind",
    "_header_language",
    "_exported_at",
    "_loaded_at",
]
REJECTS = "_rejected_rows"
STATE_FILE = "_state.json"
# raw Parquet per entity, in batches of files, personal columns pseudonymised with a key
# (4); older layouts, and raw data written under another key, are read again
LAYOUT = 4
IGNORED_NAMES = {"README.md", ".DS_Store", "Thumbs.db"}


class LandingError(Exception):
    """One or more landed files cannot be loaded; the message names each file."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        listing = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{len(problems)} landed file(s) cannot be loaded:\n{listing}")


@contextmanager
def collector_paused():
    """Python's cyclic garbage collector off for the block, back on (if it was) after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class FileRecord:
    source_file: str
    file_hash: str
    platform: str
    account_key: str
    export_kind: str
    sheet: str
    header_language: str
    encoding: str
    rows_read: int
    rows_rejected_by_reader: int
    unknown_columns: str
    exported_at: str
    status: str  # loaded | already_loaded | duplicate_content
    duplicate_of: str
    note: str
    raw_file: str = ""  # RAW_DIR-relative Parquet holding its rows (a batch of files)
    entity: str = ""  # the raw table and staging contract of its kind (seed export_kinds)
    rows_skipped_as_summary: int = 0  # a "Total" row the platform writes above the data


INVENTORY_SCHEMA = pa.schema(
    [
        (c, pa.int64() if c.startswith("rows_") else pa.string())
        for c in FileRecord.__dataclass_fields__
    ]
)


class IngestResult:
    """One row per landed file (per sheet of a workbook): `files` as records, or the
    same rows as an Arrow table (`as_table`, built once: after the last record is
    added). A run that found the landing unchanged
    holds the table its previous run wrote (see _cached_inventory), and builds the
    records only when asked for them."""

    def __init__(self, files: list[FileRecord] | None = None, table: pa.Table | None = None):
        self._files = files if files is not None or table is not None else []
        self._table = table

    @property
    def files(self) -> list[FileRecord]:
        if self._files is None:
            self._files = [FileRecord(**row) for row in self._table.to_pylist()]
        return self._files

    @property
    def loaded(self) -> int:
        return sum(1 for f in self.files if f.status == "loaded")

    def as_table(self) -> pa.Table:
        if self._table is None:
            rows = map(operator.attrgetter(*INVENTORY_SCHEMA.names), self.files)
            columns = zip(*rows, strict=True) if self.files else [[]] * len(INVENTORY_SCHEMA)
            self._table = pa.table(
                [
                    pa.array(values, column.type)
                    for values, column in zip(columns, INVENTORY_SCHEMA, strict=True)
                ],
                schema=INVENTORY_SCHEMA,
            )
        return self._table


def _file_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _closest(kinds: dict[str, ExportKind], cells: list[str]) -> tuple[ExportKind, set[str], float]:
    """The kind whose headers the file shares most, with what it lacks."""
    best, best_missing, best_score = None, set(), -1.0
    normed = [normalise(c) for c in cells]
    for kind in kinds.values():
        mapping, _ = kind.match(cells)
        known = set(kind.aliases)
        fuzzy = sum(
            1 for c in normed if c in known or difflib.get_close_matches(c, known, n=1, cutoff=0.85)
        )
        score = fuzzy / max(len(set(kind.columns)), 1)
        if score > best_score:
            best, best_missing, best_score = kind, kind.required - set(mapping.values()), score
    assert best is not None
    return best, best_missing, best_score


_RECOGNISED: dict[tuple, tuple] = {}


def recognise(
    table: Table, catalogue: Catalogue, platform: str
) -> tuple[ExportKind | None, dict[int, str], str, str | None]:
    """Return (kind, position->column mapping, language, problem).

    Thousands of files share a handful of headers: the answer is remembered per
    (catalogue, header, preamble, platform folder)."""
    key = (catalogue.digest, tuple(table.header), tuple(table.preamble), platform)
    if key not in _RECOGNISED:
        _RECOGNISED[key] = _recognise(table, catalogue, platform)
    return _RECOGNISED[key]


def _recognise(
    table: Table, catalogue: Catalogue, platform: str
) -> tuple[ExportKind | None, dict[int, str], str, str | None]:
    cells = table.header + table.preamble
    candidates = []
    for kind in catalogue.kinds.values():
        mapping, langs = kind.match(cells)
        if kind.required <= set(mapping.values()):
            candidates.append((len(mapping), kind, mapping, langs))
    # A kind of the folder's platform first. Another platform's kind is named (the file
    # sits in the wrong folder) only when none of this platform fits and that kind reads
    # most of the file's headers: a kind needing two common headers (YouTube's daily
    # `Date`, `Views`) must not claim a Facebook posts export that lost a column.
    headers = sum(1 for c in table.header if c.strip())
    candidates = [c for c in candidates if c[1].platform == platform or c[0] >= max(headers, 1) / 2]
    if candidates:
        candidates.sort(key=lambda c: (c[1].platform != platform, -c[0], c[1].name))
        _, kind, mapping, langs = candidates[0]
        non_en = sorted(langs - {"en"})
        lang = non_en[0] if non_en else "en"
        if kind.platform != platform:
            return (
                kind,
                mapping,
                lang,
                (f"is a {kind.name} export but sits in the '{platform}' folder"),
            )
        return kind, mapping, lang, None
    hint = ""
    if len(table.header) <= 2 and any(";" in c or "\t" in c for c in table.header):
        hint = " (the header holds ';' or tab characters: wrong delimiter?)"
        sep = ";" if ";" in table.header[0] else "\t"
        cells = [c.strip().strip('"') for c in ",".join(table.header).split(sep)]
    # the closest kind of the folder's platform when it shares a quarter of its columns
    # with the file, else the closest kind of any platform when it shares half
    own = {n: k for n, k in catalogue.kinds.items() if k.platform == platform}
    closest, missing, score = _closest(own, cells) if own else (None, set(), 0.0)
    threshold = 0.25
    if score < threshold:
        closest, missing, score = _closest(catalogue.kinds, cells)
        threshold = 0.5
    if not hint and score >= threshold and missing:
        return (
            None,
            {},
            "",
            (
                f"looks like a {closest.name} export but lacks required column(s): "
                f"{', '.join(sorted(missing))}"
            ),
        )
    shown = ", ".join(table.header[:4])
    shown = shown if len(shown) <= 80 else shown[:77] + "..."
    nearest = (
        f"closest known kind: {closest.name}" if score > 0 else "no known kind shares its headers"
    )
    return None, {}, "", f"matches no known export kind{hint}; {nearest} (header starts: {shown})"


def _empty_schema(columns: list[str] | tuple[str, ...]) -> pa.Schema:
    return _schema(tuple(columns))


@functools.lru_cache(maxsize=64)
def _schema(columns: tuple[str, ...]) -> pa.Schema:
    fields = [pa.field(c, pa.string()) for c in columns]
    fields += [pa.field(c, pa.int64() if c == "_row_number" else pa.string()) for c in LINEAGE]
    fields += [pa.field("_sheet", pa.string())]
    return pa.schema(fields)


def _repeated(value: str | None, n: int) -> pa.Array:
    """One text value on every row, built in Arrow (not from a Python list of n items)."""
    return pa.repeat(pa.scalar(value, pa.string()), n)


@dataclass
class _Piece:
    """The rows of one table read from a landed file, before they join their batch: the
    columns the file has, and the values that are the same on every row (lineage, a
    preamble cell, a value read from a header). Columns the kind lacks are not built
    per file: a batch holds hundreds of files and its entity dozens of columns."""

    n: int
    arrays: dict[str, pa.Array]
    constants: dict[str, str | None]
    row_numbers: list[int]


def _to_raw(
    table: Table,
    mapping: dict[int, str],
    lineage: dict[str, str],
    parameters: dict[str, str] | None = None,
) -> _Piece:
    n = table.rows.num_rows
    metric_pos = len(table.header)  # preamble cells follow the header in `cells`
    arrays: dict[str, pa.Array] = {}
    constants: dict[str, str | None] = dict(parameters or {})  # `Amount spent (EUR)`
    for pos, col in mapping.items():
        if pos >= metric_pos:  # a value from the preamble (the metric name)
            constants[col] = table.preamble[pos - metric_pos]
        else:
            column = table.rows.column(f"c{pos}")
            column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
            arrays[col] = column if column.type == pa.string() else column.cast(pa.string())
            constants.pop(col, None)
    constants.update(lineage)
    constants["_sheet"] = table.sheet or ""
    return _Piece(n, arrays, constants, list(table.row_numbers or []))


def _assemble(pieces: list[_Piece], schema: pa.Schema) -> pa.Table:
    """One table of the entity's columns from the pieces of a batch, each column one
    contiguous array. A value the same on every row of a piece (lineage above all) is
    dictionary-encoded over the batch: one index per row, no text copied; Parquet stores
    such a column dictionary-encoded anyway, and it reads back as plain text."""
    import numpy as np

    counts = np.array([p.n for p in pieces], dtype=np.int64)
    spread = np.repeat(np.arange(len(pieces), dtype=np.int32), counts)
    columns, names = [], []
    for f in schema:
        names.append(f.name)
        if f.name == "_row_number":
            numbers = [r for p in pieces for r in p.row_numbers]
            columns.append(pa.array(numbers, pa.int64()))
        elif not any(f.name in p.arrays for p in pieces):
            values = [p.constants.get(f.name) for p in pieces]
            missing = [v is None for v in values]
            if all(missing):
                columns.append(pa.nulls(len(spread), pa.string()))
                continue
            mask = np.repeat(np.array(missing), counts) if any(missing) else None
            indices = pa.array(spread, pa.int32(), mask=mask)
            dictionary = pa.array(["" if v is None else v for v in values], pa.string())
            columns.append(pa.DictionaryArray.from_arrays(indices, dictionary))
        else:
            parts = []
            for p in pieces:
                if f.name in p.arrays:
                    parts.append(p.arrays[f.name])
                elif p.constants.get(f.name) is None:
                    parts.append(pa.nulls(p.n, pa.string()))
                else:
                    parts.append(_repeated(p.constants[f.name], p.n))
            columns.append(pa.concat_arrays(parts))
    return pa.Table.from_arrays(columns, names=names)


def _landing_files(
    landing: Path, platforms: list[str]
) -> tuple[list[tuple[str, os.stat_result]], list[str]]:
    """Every landed file as (path relative to the landing folder, its stat), sorted.

    Walks with os.scandir (tens of thousands of files are listed in well under a
    second); only symbolic links are resolved, and one that leads outside the
    landing folder is refused."""
    files, problems = [], []
    root = landing.resolve()

    def walk(folder: str, rel_parts: tuple[str, ...]) -> None:
        with os.scandir(folder) as entries:
            for entry in sorted(entries, key=lambda e: e.name):
                name = entry.name
                if name in IGNORED_NAMES or name.startswith("."):
                    continue
                parts = (*rel_parts, name)
                rel = "/".join(parts)
                odd = _odd_name(name)
                if odd:
                    problems.append(f"{shown(rel)}: {odd}; rename it (not read)")
                    continue
                if entry.is_symlink():
                    try:
                        resolved = Path(entry.path).resolve(strict=True)
                    except (FileNotFoundError, RuntimeError):
                        problems.append(f"{rel}: broken or looping link")
                        continue
                    if root not in resolved.parents:
                        problems.append(
                            f"{rel}: points outside the landing folder ({resolved}); not read"
                        )
                        continue
                    if resolved.is_dir():
                        continue  # linked folders are not followed
                elif entry.is_dir(follow_symlinks=False):
                    walk(entry.path, parts)
                    continue
                if not entry.is_file():
                    problems.append(
                        f"{rel}: is not a regular file (a pipe, socket or device?); not read"
                    )
                    continue
                if len(parts) != 3:
                    problems.append(
                        f"{rel}: expected <platform>/<account_key>/<file>, "
                        f"found {len(parts)} level(s)"
                    )
                    continue
                if parts[0] not in platforms:
                    problems.append(
                        f"{rel}: unknown platform folder '{parts[0]}' ({', '.join(platforms)})"
                    )
                    continue
                files.append((rel, entry.stat()))

    if landing.exists():
        walk(str(landing), ())
    files.sort(key=lambda f: f[0])
    return files, problems


def shown(rel: str) -> str:
    """A landed path as it can be printed: bytes that are not UTF-8 as \\xNN, control
    characters escaped (\\n), so a message names the file on one line."""
    text = rel.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def _odd_name(name: str) -> str | None:
    """Why a file or folder name cannot be carried into the warehouse, if it cannot."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "the name is not valid UTF-8 (bytes from another encoding)"
    if not name.isprintable() and any(not ch.isprintable() and ch != " " for ch in name):
        return "the name holds a control character (a newline or tab?)"
    return None


FUTURE_TOLERANCE_SECONDS = 300  # clocks of the downloading and the loading machine differ


def _exported_at(mtime: float) -> tuple[str, str]:
    """The download time (the file's modification time) as UTC text, and a note when the
    modification time lies in the future: then the load time stands in for it, so that
    a wrong clock cannot make this export the newest one for ever."""
    now = time.time()
    if mtime > now + FUTURE_TOLERANCE_SECONDS:
        moment = datetime.fromtimestamp(mtime, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        at = datetime.fromtimestamp(now, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return at, f"modification time {moment} is in the future: exported_at is the load time"
    return datetime.fromtimestamp(mtime, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), ""


def _read_bytes(path: Path) -> bytes:
    return path.read_bytes()


def _load_state(raw: Path, digest: str, key_id: str = "") -> dict:
    path = raw / STATE_FILE
    if path.exists():
        state = orjson.loads(path.read_bytes())
        if (
            state.get("catalogue") == digest
            and state.get("layout") == LAYOUT
            and state.get("pseudonym_key_id", "") == key_id
        ):
            return state
    # first run, the header aliases changed, or another pseudonym key: every file is
    # read again
    for child in raw.iterdir() if raw.exists() else []:
        if child.is_dir():
            shutil.rmtree(child)
    return {"catalogue": digest, "layout": LAYOUT, "pseudonym_key_id": key_id, "files": {}}


def _process(
    path: Path,
    rel: str,
    raw: Path,
    stamp: str,
    catalogue: Catalogue,
    known: frozenset[str],
) -> dict:
    """Hash one landed file and, unless its content is known, read it and write its raw
    Parquet. Runs in a worker process for large landings."""
    platform, account_key = Path(rel).parts[:2]
    limits = IngestLimits.from_settings()
    failed = {"rel": rel, "digest": "", "fingerprint": [0, 0], "exported_at": "", "status": "error"}
    try:
        before = path.stat()
        check_file_size(before.st_size, limits)
        data = _read_bytes(path)
        stat = path.stat()
    except LimitExceeded as err:
        return {**failed, "problem": f"{rel}: {err}"}
    except OSError as err:
        reason = err.strerror or err.__class__.__name__
        return {**failed, "problem": f"{rel}: cannot be read ({reason}); check its permissions"}
    if len(data) != before.st_size or (stat.st_size, stat.st_mtime_ns) != (
        before.st_size,
        before.st_mtime_ns,
    ):
        return {
            **failed,
            "problem": f"{rel}: changed while it was read (still being downloaded or copied?);"
            " not loaded: run again once it is complete",
        }
    digest = _file_hash(data)
    exported_at, clock_note = _exported_at(stat.st_mtime)
    out = {
        "rel": rel,
        "digest": digest,
        "fingerprint": [stat.st_size, stat.st_mtime_ns],
        "exported_at": exported_at,
    }
    if digest in known:
        return {**out, "status": "known"}
    try:
        records, tables = _read_one(
            path, data, rel, platform, account_key, digest, out["exported_at"], stamp,
            catalogue, raw,
        )  # fmt: skip
    except _BadFile as err:
        return {**out, "status": "error", "problem": f"{rel}: {err}"}
    if clock_note:
        for record in records:
            record.note = "; ".join(n for n in (record.note, clock_note) if n)
    entries = [
        {"entity": entity, "record": asdict(record), "piece": piece}
        for record, (entity, piece) in zip(records, tables, strict=True)
    ]
    return {**out, "status": "loaded", "entries": entries}


def _process_chunk(
    items: list[tuple[Path, str]],
    raw: Path,
    stamp: str,
    catalogue: Catalogue,
    known: frozenset[str],
) -> list[dict]:
    """Process a chunk of landed files and write their rows as one Parquet per entity
    (`RAW_DIR/<entity>/b<stamp>_<chunk>.parquet`): tens of thousands of small
    exports become a few dozen files for DuckDB to read. Content seen twice in the
    chunk is written once."""
    outcomes = [_process(p, rel, raw, stamp, catalogue, known) for p, rel in items]
    by_kind: dict[str, list] = {}
    written: set[str] = set()
    for outcome in outcomes:
        if outcome["status"] != "loaded":
            continue
        first = outcome["digest"] not in written
        written.add(outcome["digest"])
        for entry in outcome["entries"]:
            piece = entry.pop("piece")
            if first:
                by_kind.setdefault(entry["entity"], []).append(piece)
    chunk_id = hashlib.sha256("\n".join(o["rel"] for o in outcomes).encode()).hexdigest()[:12]
    compact = "".join(ch for ch in stamp if ch.isdigit())[:14]
    names = {}
    for kind, pieces in by_kind.items():
        name = f"b{compact}_{chunk_id}.parquet"
        target = raw / kind / name
        tmp = target.with_name(f".{name}.{os.getpid()}.tmp")
        table = _assemble(pieces, _empty_schema(catalogue.entity_columns(kind)))
        # no Arrow schema stored: the dictionary-encoded columns read back as text
        pq.write_table(table, tmp, store_schema=False)
        os.replace(tmp, target)
        names[kind] = name
    for outcome in outcomes:
        for entry in outcome.get("entries", []):
            entry["parquet"] = names[entry["entity"]]
            entry["record"]["raw_file"] = f"{entry['entity']}/{entry['parquet']}"
    return outcomes


_WORKER: dict = {}


def _init_worker(
    raw: Path,
    stamp: str,
    catalogue: Catalogue,
    known: frozenset[str],
    pseudonymiser: pseudonyms.Pseudonymiser | None = None,
) -> None:
    _WORKER.update(raw=raw, stamp=stamp, catalogue=catalogue, known=known)
    _PSEUDONYMISER[:] = [pseudonymiser] if pseudonymiser else []


def _chunk_in_worker(items: list[tuple[Path, str]]) -> list[dict]:
    return _process_chunk(items, _WORKER["raw"], _WORKER["stamp"], _WORKER["catalogue"],
                          _WORKER["known"])  # fmt: skip


CHUNK_FILES = 500  # landed files per raw Parquet batch


def _run_all(items, raw, stamp, catalogue, known, workers) -> list[dict]:
    if not items:
        return []
    size = max(1, min(CHUNK_FILES, math.ceil(len(items) / max(workers, 1))))
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    if workers <= 1 or len(items) < 16:
        return [o for c in chunks for o in _process_chunk(c, raw, stamp, catalogue, known)]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")  # no fork of dbt's threads
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_init_worker,
        initargs=(raw, stamp, catalogue, known, *_PSEUDONYMISER),
    ) as pool:
        with _main_script_hidden():
            parts = pool.map(_chunk_in_worker, chunks)  # submits every chunk: workers start
        return [o for part in parts for o in part]


@contextmanager
def _main_script_hidden():
    """While the workers start, the path of a main *script* is hidden from them (the
    parent hands it to each worker it starts; nothing else reads it meanwhile).

    A spawned worker runs the parent's main script again before it does anything; under
    `dbt build` that script is dbt's command line, whose imports cost each worker about
    1.8 s (at 10M posts the workers read a two-day increment in about 3 s). The workers
    need only this module, which they import by name. A main run as a module
    (`python -m ...`, `__spec__` set) is left alone."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if main is None or path is None or getattr(main, "__spec__", None) is not None:
        yield
        return
    del main.__file__
    try:
        yield
    finally:
        main.__file__ = path


def _drop_copies(raw: Path, outcomes: list[dict]) -> None:
    """Remove second copies' rows from their batches (the first copy's rows are kept).

    Each batch is read and rewritten once for all the copies it holds: a landing with
    a hundred duplicates would otherwise rewrite a 500-file batch a hundred times."""
    copies: dict[Path, set[str]] = {}
    for outcome in outcomes:
        for entry in outcome["entries"]:
            copies.setdefault(raw / entry["entity"] / entry["parquet"], set()).add(outcome["rel"])
    for target, rels in sorted(copies.items()):
        table = pq.read_table(target)
        keep = pa.compute.invert(
            pa.compute.is_in(table.column("_source_file"), value_set=pa.array(sorted(rels)))
        )
        if not pa.compute.all(keep).as_py():
            tmp = target.with_name(f".{target.name}.tmp")
            pq.write_table(table.filter(keep), tmp)
            os.replace(tmp, target)


_PRESENT: dict[str, set[str]] = {}  # entity folder -> its file names, listed once per run


def _loaded(state: dict, raw: Path, digest: str) -> bool:
    """Whether the file's rows are in raw Parquet (listed once per kind folder)."""
    entry = state["files"].get(digest)
    if not entry:
        return False
    for t in entry["tables"]:
        entity = t["entity"]
        present = _PRESENT.get(entity)
        if present is None:
            folder = raw / entity
            present = _PRESENT[entity] = set(os.listdir(folder)) if folder.exists() else set()
        if t["parquet"] not in present:
            return False
    return True


def ingest(
    landing: Path,
    raw: Path,
    catalogue: Catalogue | None = None,
    loaded_at: datetime | None = None,
    workers: int | None = None,
    pseudonymiser: pseudonyms.Pseudonymiser | None = None,
) -> IngestResult:
    """Load every new landed file; raise LandingError listing every bad file.

    `catalogue`: the registry of export kinds (default: the project's seeds).
    `pseudonymiser`: keys the pseudonyms of personal columns (default: the configured
    key, see pseudonyms.py); without a key nothing is read or written (MissingKey).

    A file whose size and modification time are unchanged since it was loaded is
    not read again (not even hashed); other files are hashed, and read only when
    their content is new. Large landings are read by `workers` processes
    (INGEST_WORKERS, default: the number of cores).

    Python's cyclic garbage collector is paused while it runs: the load state holds a few
    objects per landed file (millions at 10M posts), and every collection walked them
    all again, a third of a run with nothing new. Nothing here builds cycles worth
    collecting early; the collector runs again when the ingest returns.
    """
    with collector_paused():
        return _ingest(landing, raw, catalogue, loaded_at, workers, pseudonymiser)


def _ingest(
    landing: Path,
    raw: Path,
    catalogue: Catalogue | None,
    loaded_at: datetime | None,
    workers: int | None,
    pseudonymiser: pseudonyms.Pseudonymiser | None,
) -> IngestResult:
    """ingest() with the collector paused."""
    if catalogue is None:  # the registry of the project being built
        catalogue = Catalogue.from_seeds(settings.project_dir())
    unrendered = [str(p) for p in (landing, raw) if "{{" in str(p)]
    if unrendered:
        raise LandingError(
            [
                f"{p}: the path holds '{{{{' (an unrendered dbt template?); "
                "set LANDING_DIR / RAW_DIR to real folders"
                for p in unrendered
            ]
        )
    # personal data is pseudonymised before anything is written: no key, no ingest
    pseudonymiser = pseudonymiser or pseudonyms.pseudonymiser()
    _PSEUDONYMISER[:] = [pseudonymiser]
    if settings.ingest_pause_seconds() > 0:  # test hook (fault tests), off by default
        time.sleep(settings.ingest_pause_seconds())
    workers = workers or settings.ingest_workers()
    raw.mkdir(parents=True, exist_ok=True)
    _PRESENT.clear()
    files, problems = _landing_files(landing, catalogue.platforms)
    if not problems:
        unchanged = _cached_inventory(raw, catalogue, pseudonymiser.key_id, files)
        if unchanged is not None:
            return IngestResult(table=unchanged)
    state = _load_state(raw, catalogue.digest, pseudonymiser.key_id)
    state.setdefault("paths", {})
    stamp = (loaded_at or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    for entity in catalogue.entities:
        (raw / entity).mkdir(exist_ok=True)
        empty = raw / entity / "_empty.parquet"
        if not empty.exists():
            pq.write_table(_empty_schema(catalogue.entity_columns(entity)).empty_table(), empty)
    (raw / REJECTS).mkdir(exist_ok=True)
    if not (raw / REJECTS / "_empty.parquet").exists():
        pq.write_table(REJECT_SCHEMA.empty_table(), raw / REJECTS / "_empty.parquet")

    outcomes: dict[str, dict] = {}
    todo: list[tuple[Path, str]] = []
    for rel, stat in files:
        cached = state["paths"].get(rel)
        if (
            cached
            and cached[:2] == [stat.st_size, stat.st_mtime_ns]
            and _loaded(state, raw, cached[2])
        ):
            outcomes[rel] = {
                "rel": rel,
                "digest": cached[2],
                "fingerprint": cached[:2],
                "exported_at": _exported_at(stat.st_mtime)[0],
                "status": "known",
            }
        else:
            todo.append((landing / rel, rel))
    # what is already in raw, for the files read now (none in a run with nothing new)
    known = frozenset(d for d in state["files"] if _loaded(state, raw, d)) if todo else frozenset()
    first_copy: set[str] = set()
    second_copies: list[dict] = []  # the same content landed twice in this run
    for outcome in _run_all(todo, raw, stamp, catalogue, known, workers):
        outcomes[outcome["rel"]] = outcome
        if outcome["status"] == "loaded" and outcome["digest"] in first_copy:
            second_copies.append(outcome)
        elif outcome["status"] == "loaded":
            first_copy.add(outcome["digest"])
    _drop_copies(raw, second_copies)

    result = IngestResult()
    seen: dict[str, str] = {}
    for rel, _ in files:
        outcome = outcomes[rel]
        digest = outcome["digest"]
        platform, account_key = rel.split("/")[:2]
        base = dict(
            source_file=rel,
            file_hash=digest,
            platform=platform,
            account_key=account_key,
            exported_at=outcome["exported_at"],
        )
        if outcome["status"] == "error":
            problems.append(outcome["problem"])
            continue
        if digest in seen:
            first = state["files"].get(digest, {})
            result.files.append(
                FileRecord(
                    **base,
                    export_kind=first.get("export_kind", ""),
                    entity=first.get("entity", ""),
                    sheet="",
                    header_language=first.get("header_language", ""),
                    encoding="",
                    rows_read=0,
                    rows_rejected_by_reader=0,
                    unknown_columns="",
                    status="duplicate_content",
                    duplicate_of=seen[digest],
                    note=f"same content as {seen[digest]}: not loaded twice",
                )
            )
            state["paths"][rel] = [*outcome["fingerprint"], digest]
            continue
        seen[digest] = rel
        if outcome["status"] == "known":
            for t in state["files"][digest]["tables"]:
                result.files.append(
                    FileRecord(**{**t["record"], **base, "status": "already_loaded"})
                )
        else:
            entries = outcome["entries"]
            result.files.extend(FileRecord(**e["record"]) for e in entries)
            state["files"][digest] = {
                "export_kind": entries[0]["record"]["export_kind"],
                "entity": entries[0]["record"]["entity"],
                "header_language": entries[0]["record"]["header_language"],
                "tables": entries,
            }
        state["paths"][rel] = [*outcome["fingerprint"], digest]
    if problems:
        raise LandingError(problems)
    # raw keeps what was loaded: a file removed from landing stays in the warehouse
    # until a full refresh (`make clean` or removing RAW_DIR).
    if todo or not (raw / STATE_FILE).exists():  # nothing read: the state is unchanged
        tmp_state = raw / (STATE_FILE + ".tmp")
        tmp_state.write_bytes(orjson.dumps(state, option=orjson.OPT_SORT_KEYS))
        os.replace(tmp_state, raw / STATE_FILE)
    _save_inventory(raw, catalogue, pseudonymiser.key_id, files, result)
    return result


INVENTORY_CACHE = "_inventory.parquet"  # in RAW_DIR: the rows the next unchanged run returns


def _listing_key(raw: Path, catalogue: Catalogue, key_id: str, files: list) -> bytes:
    """What an ingest's inventory depends on when it reads nothing: the registry, the raw
    layout, the pseudonym key, the load state (its file's size and modification time:
    it is rewritten whenever a file is read) and every landed file's path, size and
    modification time."""
    state = raw / STATE_FILE
    saved = state.stat() if state.exists() else None
    digest = hashlib.sha256(
        json.dumps(
            [catalogue.digest, LAYOUT, key_id, [saved.st_size, saved.st_mtime_ns] if saved else 0]
        ).encode()
    )
    for rel, stat in files:
        digest.update(
            f"{rel}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode("utf-8", "surrogateescape")
        )
    return digest.hexdigest().encode()


def _save_inventory(
    raw: Path, catalogue: Catalogue, key_id: str, files: list, result: IngestResult
) -> None:
    """Keep this run's inventory as the next run will report it when nothing changed:
    what was loaded now is `already_loaded` then, everything else reads the same.

    Not kept when a file's modification time lies in the future: its `exported_at` is
    the load time (see _exported_at), which the next run would set again."""
    target = raw / INVENTORY_CACHE
    future = time.time() + FUTURE_TOLERANCE_SECONDS
    if any(stat.st_mtime > future for _, stat in files):
        target.unlink(missing_ok=True)
        return
    table = result.as_table()
    index = table.schema.get_field_index("status")
    status = table.column(index)
    table = table.set_column(
        index,
        "status",
        pa.compute.if_else(pa.compute.equal(status, "loaded"), "already_loaded", status),
    ).replace_schema_metadata({b"listing": _listing_key(raw, catalogue, key_id, files)})
    tmp = raw / f".{INVENTORY_CACHE}.{os.getpid()}.tmp"
    pq.write_table(table, tmp)
    os.replace(tmp, target)


def _cached_inventory(raw: Path, catalogue: Catalogue, key_id: str, files: list) -> pa.Table | None:
    """The last run's inventory when the landing, the load state and the registry are
    as that run left them, and the raw Parquet it names is still there; else None.

    The run that finds nothing new then reads neither the load state (tens of
    megabytes of JSON at 10M posts) nor a record per landed file."""
    try:
        # ParquetFile, not read_table: read_table imports pyarrow.dataset (and pandas),
        # 0.4 s of a build that finds nothing new
        kept = pq.ParquetFile(raw / INVENTORY_CACHE)
        saved = (kept.schema_arrow.metadata or {}).get(b"listing")
    except (OSError, pa.ArrowException):
        return None
    if saved != _listing_key(raw, catalogue, key_id, files):
        return None
    table = kept.read().replace_schema_metadata(None)
    needed = {raw / entity / "_empty.parquet" for entity in catalogue.entities}
    needed.add(raw / REJECTS / "_empty.parquet")
    needed.update(raw / f for f in pa.compute.unique(table.column("raw_file")).to_pylist() if f)
    if not all(path.exists() for path in needed):
        return None
    return table


class _BadFile(Exception):
    pass


_PSEUDONYMISER: list[pseudonyms.Pseudonymiser] = []  # set by ingest() and in each worker


def _pseudonymise(piece: _Piece, personal: set[str]) -> _Piece:
    """Personal columns replaced by their keyed pseudonym, before anything is written."""
    if not personal:
        return piece
    if not _PSEUDONYMISER:
        raise pseudonyms.MissingKey("no pseudonym key given to the ingest")
    pseudo = _PSEUDONYMISER[0]
    for column in sorted(personal & set(piece.arrays)):
        values = [pseudo(v) for v in piece.arrays[column].to_pylist()]
        piece.arrays[column] = pa.array(values, pa.string())
    for column in sorted(personal & set(piece.constants)):
        piece.constants[column] = pseudo(piece.constants[column])
    return piece


def _slug(text: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in text.lower())


def _skip_summary_row(table: Table, kind: ExportKind) -> int:
    """Drop the totals row some platforms write first (YouTube's `Total` / `Gesamt`)
    or last (ad managers' totals), seed export_kinds.summary_row_labels: a first or
    last row whose first non-blank cell is one of the labels sums the other rows
    and is no post or ad. Returns the number of rows dropped."""
    if not kind.summary_labels or table.rows.num_rows == 0:
        return 0
    skipped = 0
    if _is_summary(table, 0, kind):
        table.rows = table.rows.slice(1)
        table.row_numbers = table.row_numbers[1:] if table.row_numbers else table.row_numbers
        skipped += 1
    last = table.rows.num_rows - 1
    if last >= 0 and _is_summary(table, last, kind):
        table.rows = table.rows.slice(0, last)
        table.row_numbers = table.row_numbers[:-1] if table.row_numbers else table.row_numbers
        skipped += 1
    return skipped


def _is_summary(table: Table, index: int, kind: ExportKind) -> bool:
    for name in table.rows.column_names:
        cell = table.rows.column(name)[index].as_py()
        if cell is not None and str(cell).strip():
            return normalise(str(cell)) in kind.summary_labels
    return False


def _read_archive(
    data: bytes, limits: IngestLimits | None = None
) -> tuple[list[Table], str, str | None]:
    """The tables of every file inside a downloaded .zip (TikTok Studio, YouTube Studio),
    each named by its member (its `sheet`), so rows are counted per member."""
    limits = limits or IngestLimits.from_settings()
    tables: list[Table] = []
    encodings: list[str] = []
    notes: list[str] = []
    zip_limits = dataclasses.replace(ZIP_LIMITS, total_bytes=limits.unpacked_bytes)
    for name, content in read_zip(data, zip_limits):
        try:
            if name.lower().endswith((".xlsx", ".xlsm")):
                check_workbook(content, limits)
                found = read_workbook(content)
                for table in found:
                    table.sheet = f"{name}/{table.sheet}"
                encodings.append("xlsx")
            elif name.lower().endswith((".csv", ".txt")):
                found, decoded = read_delimited(content)
                for table in found:
                    table.sheet = name
                encodings.append(decoded.encoding)
                if decoded.note:
                    notes.append(f"{name}: {decoded.note}")
            else:
                raise UnreadableFile("is neither a CSV file nor a workbook")
        except UnreadableFile as err:
            raise UnreadableFile(f"{name!r} inside the .zip: {err}") from err
        tables.extend(found)
    encoding = "zip: " + ", ".join(sorted(set(encodings)))
    return tables, encoding, "; ".join(notes) or None


def _duplicated(table: Table, kind: ExportKind, mapping: dict[int, str]) -> str | None:
    """A header the kind reads, written twice: which column holds the value is unclear."""
    read = {normalise(table.header[p]) for p in mapping if p < len(table.header)}
    positions: dict[str, list[int]] = {}
    for i, cell in enumerate(table.header):
        if normalise(cell) in read:
            positions.setdefault(normalise(cell), []).append(i + 1)
    twice = [(table.header[p[0] - 1], p) for p in positions.values() if len(p) > 1]
    if not twice:
        return None
    listed = "; ".join(f"'{h}' in columns {', '.join(map(str, p))}" for h, p in twice)
    return f"the header names a column twice ({listed}): which one to read is unclear"


def _read_one(path, data, rel, platform, account_key, digest, exported_at, stamp, catalogue, raw):
    limits = IngestLimits.from_settings()
    try:
        if path.suffix.lower() in {".xlsx", ".xlsm"}:
            check_workbook(data, limits)  # before any XML parser sees it
            tables, encoding, note = read_workbook(data), "xlsx", None
        elif path.suffix.lower() == ".zip":
            tables, encoding, note = _read_archive(data, limits)
        elif data[:2] == b"PK":
            raise _BadFile(
                "is a zip or workbook without a .zip or .xlsx name; rename it as downloaded"
            )
        else:
            tables, decoded = read_delimited(data)
            encoding, note = decoded.encoding, decoded.note
    except UnreadableFile as err:
        raise _BadFile(str(err)) from err
    records, outputs, sheet_problems = [], [], []
    for table in tables:
        try:
            check_table(table, limits)
        except UnreadableFile as err:
            raise _BadFile(str(err)) from err
        kind, mapping, lang, problem = recognise(table, catalogue, platform)
        if problem:
            where = f" (sheet '{table.sheet}')" if table.sheet else ""
            sheet_problems.append(f"{problem}{where}")
            continue
        twice = _duplicated(table, kind, mapping)
        if twice:
            where = f" (sheet '{table.sheet}')" if table.sheet else ""
            raise _BadFile(f"{twice}{where}")
        skipped = _skip_summary_row(table, kind)
        unknown = [h for i, h in enumerate(table.header) if i not in mapping and h.strip()]
        lineage = {
            "_source_file": rel,
            "_file_hash": digest,
            "_account_key": account_key,
            "_platform": platform,
            "_export_kind": kind.name,
            "_header_language": lang,
            "_exported_at": exported_at,
            "_loaded_at": stamp,
        }
        parameters = kind.header_parameters(table.header)
        piece = _pseudonymise(_to_raw(table, mapping, lineage, parameters), kind.personal)
        outputs.append((kind.entity, piece))
        if table.bad_rows:
            _write_rejects(raw, table, lineage, withhold=bool(kind.personal))
        records.append(
            FileRecord(
                source_file=rel,
                file_hash=digest,
                platform=platform,
                account_key=account_key,
                export_kind=kind.name,
                sheet=table.sheet or "",
                header_language=lang,
                encoding=encoding,
                rows_read=table.rows.num_rows + len(table.bad_rows),
                rows_skipped_as_summary=skipped,
                entity=kind.entity,
                rows_rejected_by_reader=len(table.bad_rows),
                unknown_columns="; ".join(unknown),
                exported_at=exported_at,
                status="loaded",
                duplicate_of="",
                note=note or "",
            )
        )
    if not records:
        raise _BadFile("; ".join(sheet_problems) or "no table found")
    return records, outputs


REJECT_SCHEMA = pa.schema(
    [
        ("_source_file", pa.string()),
        ("_file_hash", pa.string()),
        ("_row_number", pa.int64()),
        ("_account_key", pa.string()),
        ("_export_kind", pa.string()),
        ("raw_value", pa.string()),
        ("reason", pa.string()),
    ]
)


WITHHELD = "(withheld: this kind of export holds personal data)"


def _write_rejects(
    raw: Path, table: Table, lineage: dict[str, str], withhold: bool = False
) -> None:
    """Rows the reader itself could not split are kept, with their raw text; unless the
    kind has personal columns (`withhold`): a row that cannot be split cannot be
    pseudonymised, so its text is not kept."""
    raw_dir = raw / REJECTS
    n = len(table.bad_rows)
    arrow = pa.table(
        {
            "_source_file": [lineage["_source_file"]] * n,
            "_file_hash": [lineage["_file_hash"]] * n,
            "_row_number": pa.array([r for r, _, _ in table.bad_rows], pa.int64()),
            "_account_key": [lineage["_account_key"]] * n,
            "_export_kind": [lineage["_export_kind"]] * n,
            "raw_value": [WITHHELD if withhold else raw for _, raw, _ in table.bad_rows],
            "reason": [reason for _, _, reason in table.bad_rows],
        },
        schema=REJECT_SCHEMA,
    )
    pq.write_table(arrow, raw_dir / f"{lineage['_file_hash'][:32]}.parquet")
