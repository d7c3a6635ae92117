"""What the ingest accepts from one landed file, and the checks it makes before a reader
(pyarrow, calamine) opens it: a hostile or broken file is refused with the limit it
broke, never allowed to exhaust memory or disk.

The limits are settings (`social-warehouse settings` lists them with their defaults):

| setting | limit |
|---|---|
| INGEST_MAX_FILE_BYTES | size of a landed file |
| INGEST_MAX_ROWS | rows of a table (a CSV, a sheet, a member of a .zip) |
| INGEST_MAX_COLUMNS | columns of a table |
| INGEST_MAX_CELL_CHARS | characters in one cell |
| INGEST_MAX_UNPACKED_BYTES | unpacked size of an .xlsx or .zip, all members |
| INGEST_MAX_SHARED_STRINGS | distinct texts in an .xlsx's shared-strings table |

An .xlsx is a zip of XML files: before calamine reads it, its members are unpacked
as a stream (never to disk) to check the unpacked size and ratio (a zip bomb), that no
XML declares a DTD or entities (external entities, "billion laughs"), and that no sheet
holds more rows, nor the shared-strings table more texts, than the limits.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from social_warehouse import settings
from social_warehouse.ingest.readers import Table, UnreadableFile

ZIP_BOMB_RATIO = 200  # unpacked / packed size of one member: more is a zip bomb
WORKBOOK_MEMBERS = 1000  # an export's workbook has a few dozen parts
_CHUNK = 1 << 20


class LimitExceeded(UnreadableFile):
    """A file breaks one of the ingest limits; the message names it."""


@dataclass(frozen=True)
class IngestLimits:
    file_bytes: int
    rows: int
    columns: int
    cell_chars: int
    unpacked_bytes: int
    shared_strings: int

    @classmethod
    def from_settings(cls) -> IngestLimits:
        def number(name: str) -> int:
            return int(settings.text(name).replace("_", ""))

        return cls(
            file_bytes=number("INGEST_MAX_FILE_BYTES"),
            rows=number("INGEST_MAX_ROWS"),
            columns=number("INGEST_MAX_COLUMNS"),
            cell_chars=number("INGEST_MAX_CELL_CHARS"),
            unpacked_bytes=number("INGEST_MAX_UNPACKED_BYTES"),
            shared_strings=number("INGEST_MAX_SHARED_STRINGS"),
        )


def broken(what: str, found: int, setting: str, limit: int) -> LimitExceeded:
    return LimitExceeded(f"{what} {found:,}; the limit {setting} is {limit:,}")


def check_file_size(size: int, limits: IngestLimits) -> None:
    if size > limits.file_bytes:
        raise broken("the file holds bytes:", size, "INGEST_MAX_FILE_BYTES", limits.file_bytes)


def check_table(table: Table, limits: IngestLimits) -> None:
    """Columns, rows and cell length of one table read from a file."""
    where = f" (sheet '{table.sheet}')" if table.sheet else ""
    if len(table.header) > limits.columns:
        raise broken(
            f"the header{where} holds columns:",
            len(table.header),
            "INGEST_MAX_COLUMNS",
            limits.columns,
        )
    rows = table.rows.num_rows + len(table.bad_rows)
    if rows > limits.rows:
        raise broken(f"the table{where} holds rows:", rows, "INGEST_MAX_ROWS", limits.rows)
    cells = [*table.header, *table.preamble, *(raw for _, raw, _ in table.bad_rows)]
    longest = max((len(c) for c in cells), default=0)
    if longest > limits.cell_chars:
        raise broken(
            f"a header or unsplit row{where} holds characters:",
            longest,
            "INGEST_MAX_CELL_CHARS",
            limits.cell_chars,
        )
    if table.rows.get_total_buffer_size() <= limits.cell_chars:
        return  # no cell can hold more characters than the table holds bytes
    for position, name in enumerate(table.rows.column_names):
        column = table.rows.column(name)
        if len(column) == 0:
            continue
        lengths = pc.utf8_length(column)
        longest = pc.max(lengths).as_py() or 0
        if longest > limits.cell_chars:
            index = pc.index(lengths, pa.scalar(longest, lengths.type)).as_py()
            row = table.row_numbers[index] if table.row_numbers else index + 1
            header = table.header[position] if position < len(table.header) else name
            raise broken(
                f"row {row}, column '{header}'{where}: a cell holds characters:",
                longest,
                "INGEST_MAX_CELL_CHARS",
                limits.cell_chars,
            )


_ROW = re.compile(rb"<row[\s/>]")
_SHARED_STRING = re.compile(rb"<si[\s/>]")
_DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)")


def _stream(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int):
    """The member's unpacked bytes in chunks, stopping past `budget` bytes."""
    seen = 0
    with archive.open(info) as fh:
        while chunk := fh.read(_CHUNK):
            seen += len(chunk)
            if seen > budget:
                raise LimitExceeded(f"{info.filename!r} unpacks past its limit")
            yield chunk


def check_workbook(data: bytes, limits: IngestLimits) -> None:
    """Check an .xlsx before any workbook reader parses it (see the module's notes)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as err:
        raise UnreadableFile(f"not a readable .xlsx workbook ({err})") from err
    infos = [i for i in archive.infolist() if not i.is_dir()]
    if len(infos) > WORKBOOK_MEMBERS:
        raise LimitExceeded(
            f"the workbook holds {len(infos):,} parts; a workbook has at most {WORKBOOK_MEMBERS:,}"
        )
    declared = sum(i.file_size for i in infos)
    if declared > limits.unpacked_bytes:
        raise broken(
            "the workbook unpacks to bytes:",
            declared,
            "INGEST_MAX_UNPACKED_BYTES",
            limits.unpacked_bytes,
        )
    for info in infos:
        if info.compress_size and info.file_size / info.compress_size > ZIP_BOMB_RATIO:
            raise LimitExceeded(
                f"the workbook's {info.filename!r} unpacks to "
                f"{info.file_size / info.compress_size:.0f} times its packed size (a zip "
                f"bomb?); the limit is {ZIP_BOMB_RATIO}"
            )
    unpacked = 0
    for info in infos:
        name = info.filename
        if not name.lower().endswith((".xml", ".rels", ".vml")):
            continue
        is_sheet = name.startswith("xl/worksheets/")
        is_strings = name == "xl/sharedStrings.xml"
        rows = strings = 0
        tail = b""
        budget = limits.unpacked_bytes - unpacked
        try:
            for chunk in _stream(archive, info, budget):
                unpacked += len(chunk)
                window = tail + chunk
                if _DECLARATION.search(window):
                    raise LimitExceeded(
                        f"the workbook's {name!r} declares a DTD or entities (<!DOCTYPE or "
                        "<!ENTITY): refused, an export never does (an XML entity attack?)"
                    )
                if is_sheet:
                    rows += len(_ROW.findall(window)) - len(_ROW.findall(tail))
                    if rows > limits.rows:
                        raise broken(
                            f"the workbook's {name!r} holds rows: more than",
                            limits.rows,
                            "INGEST_MAX_ROWS",
                            limits.rows,
                        )
                if is_strings:
                    strings += len(_SHARED_STRING.findall(window)) - len(
                        _SHARED_STRING.findall(tail)
                    )
                    if strings > limits.shared_strings:
                        raise broken(
                            "the workbook's shared-strings table holds texts: more than",
                            limits.shared_strings,
                            "INGEST_MAX_SHARED_STRINGS",
                            limits.shared_strings,
                        )
                tail = chunk[-9:]
        except LimitExceeded as err:
            if "past its limit" in str(err):
                raise broken(
                    "the workbook unpacks to bytes: more than",
                    limits.unpacked_bytes,
                    "INGEST_MAX_UNPACKED_BYTES",
                    limits.unpacked_bytes,
                ) from err
            raise
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as err:
            raise UnreadableFile(f"not a readable .xlsx workbook ({err})") from err
