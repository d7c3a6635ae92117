"""Read a landed file as downloaded: find its encoding, preamble, header row
and data rows, every value as text. No knowledge of export kinds here."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

HEADER_SCAN_LINES = 6
# below this many characters Python's csv module reads a table faster than pyarrow,
# whose fixed cost per call (about 0.3 ms here) exceeds the parsing of a few dozen rows;
# TikTok's and YouTube's exports are mostly a few kB
SMALL_TABLE_CHARS = 8192


@dataclass
class Table:
    """One table found in a file: a CSV, or one sheet of a workbook."""

    header: list[str]
    header_row: int  # 1-based row of the header in the file or sheet
    rows: pa.Table  # columns c0..cN as strings, in file order
    first_data_row: int
    preamble: list[str] = field(default_factory=list)  # single-cell lines above the header
    sheet: str | None = None
    bad_rows: list[tuple[int, str, str]] = field(default_factory=list)  # (row, raw, reason)
    row_numbers: list[int] | None = None  # 1-based file row of each data row


@dataclass
class Decoded:
    text: str
    encoding: str
    note: str | None = None


class UnreadableFile(Exception):
    """The file cannot be read as any export (empty, binary, broken workbook)."""


def decode(data: bytes) -> Decoded:
    """Decode by BOM, then strict UTF-8; Windows-1252 as a reported fallback."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _no_nul(Decoded(data[3:].decode("utf-8"), "utf-8-sig"))
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            try:
                return _no_nul(Decoded(data[2:].decode(codec), codec))
            except UnicodeDecodeError as err:
                raise UnreadableFile(
                    f"is a UTF-16 file cut off in the middle of a character (at byte "
                    f"{err.start + 2} of {len(data)}): the download is incomplete; download "
                    "it again"
                ) from err
    try:
        return _no_nul(Decoded(data.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError as err:
        return _no_nul(
            Decoded(
                data.decode("cp1252", errors="replace"),
                "cp1252",
                f"not valid UTF-8 at byte {err.start}: read as Windows-1252 (Latin-1)",
            )
        )


def _no_nul(decoded: Decoded) -> Decoded:
    """Text exports hold no NUL character: one means a binary file (or UTF-16 without its
    byte-order mark), and NULs would cut values short in the readers downstream."""
    at = decoded.text.find("\x00")
    if at >= 0:
        raise UnreadableFile(
            f"holds NUL bytes (the first at character {at + 1}): a binary file, or a UTF-16 "
            "file without its byte-order mark? Export it again as CSV"
        )
    return decoded


def read_delimited(data: bytes) -> tuple[list[Table], Decoded]:
    if not data.strip():
        raise UnreadableFile("the file is empty")
    decoded = decode(data)
    text = decoded.text
    lines = _first_lines(text, HEADER_SCAN_LINES)
    delimiter = ","
    start = 0
    preamble: list[str] = []
    if lines and lines[0].lower().startswith("sep="):
        delimiter = lines[0][4:5] or ","
        start = 1
    # single-cell lines before the header (e.g. the metric name of Meta daily exports)
    header_index = start
    for i in range(start, len(lines)):
        cells = next(csv.reader([lines[i]], delimiter=delimiter), [])
        if len(cells) >= 2:
            header_index = i
            break
        preamble.append(cells[0] if cells else "")
    else:
        header_index = start if lines else 0
        preamble = []
    header = next(csv.reader([lines[header_index]], delimiter=delimiter), []) if lines else []
    if not header:
        raise UnreadableFile("no header row found")
    first_data_row = header_index + 2
    names = [f"c{i}" for i in range(len(header))]
    rows = None
    if len(text) > SMALL_TABLE_CHARS:
        body = _body_bytes(data, decoded.encoding, header_index)
        if body is None:  # another encoding, or unusual line breaks: from the text's lines
            body = _joined(text.splitlines()[header_index + 1 :])
        if body is not None:
            rows, numbers, bad = _parse_fast(body, names, delimiter, first_data_row)
    if rows is None:
        body_lines = text.splitlines()[header_index + 1 :]
        rows, numbers, bad = _parse_exact(body_lines, names, delimiter, first_data_row)
    table = Table(header, header_index + 1, rows, first_data_row, preamble, None, bad, numbers)
    return [table], decoded


def _first_lines(text: str, n: int) -> list[str]:
    """text.splitlines()[:n] without splitting the whole text (a file of megabytes)."""
    end = -1
    for _ in range(n + 1):
        end = text.find("\n", end + 1)
        if end < 0:
            return text.splitlines()[:n]
    return text[: end + 1].splitlines()[:n]


# characters str.splitlines() breaks at besides \n and \r\n, as UTF-8 bytes
_OTHER_BREAKS = (
    b"\x0b",
    b"\x0c",
    b"\x1c",
    b"\x1d",
    b"\x1e",
    b"\xc2\x85",
    b"\xe2\x80\xa8",
    b"\xe2\x80\xa9",
)


def _body_bytes(data: bytes, encoding: str, header_index: int) -> bytes | None:
    """The UTF-8 bytes after the header line, handed to pyarrow as they are (no decoding,
    splitting and joining of a text in Python), when lines break only at \n or \r\n;
    else None."""
    if encoding not in ("utf-8", "utf-8-sig"):
        return None
    raw = data[3:] if encoding == "utf-8-sig" else data
    if raw.count(b"\r") != raw.count(b"\r\n") or any(b in raw for b in _OTHER_BREAKS):
        return None
    at = -1
    for _ in range(header_index + 1):
        at = raw.find(b"\n", at + 1)
        if at < 0:
            return b""
    return raw[at + 1 :]


def _joined(lines: list[str]) -> bytes | None:
    """The lines as UTF-8 for pyarrow; None when one is blank (row numbers then need the
    exact path)."""
    content = [ln for ln in lines if ln.strip()]
    if len(content) != len(lines):
        return b"" if not content else None
    return "\n".join(content).encode("utf-8")


def _parse_fast(payload: bytes, names, delimiter, first_row):
    """pyarrow's C++ reader: used when every record sits on one line (the usual case):
    the rows it reads must be as many as the payload's lines, else None (the exact
    path reads the file)."""
    if not payload.strip():
        return pa.table({n: pa.array([], pa.string()) for n in names}), [], []
    lines = payload.count(b"\n") + (0 if payload.endswith(b"\n") else 1)
    invalid = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        invalid.append(row)
        return "skip"

    rows = pacsv.read_csv(
        io.BytesIO(payload),
        # one block the size of the file (up to 16 MiB), on this thread: most exports are
        # a few kB, and a 16 MiB buffer and a thread hand-off per file cost more than
        # parsing them
        read_options=pacsv.ReadOptions(
            column_names=names,
            block_size=min(1 << 24, max(1 << 16, len(payload) + 1)),
            use_threads=False,
        ),
        parse_options=pacsv.ParseOptions(
            delimiter=delimiter, newlines_in_values=True, invalid_row_handler=on_invalid
        ),
        convert_options=pacsv.ConvertOptions(
            column_types={n: pa.string() for n in names},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    if invalid or rows.num_rows != lines:
        return None, None, None
    return rows, list(range(first_row, first_row + rows.num_rows)), []


def _parse_exact(lines, names, delimiter, first_row):
    """Python's csv module: exact file row numbers, quoted newlines, ragged rows."""
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
    data: list[list[str]] = []
    numbers: list[int] = []
    bad: list[tuple[int, str, str]] = []
    width = len(names)
    start_line = 1
    for record in reader:
        row_number = first_row + start_line - 1
        start_line = reader.line_num + 1
        if not record or not any(v.strip() for v in record):
            continue
        if len(record) != width:
            raw = delimiter.join(record)
            bad.append((row_number, raw, f"expected {width} fields, found {len(record)}"))
            continue
        data.append(record)
        numbers.append(row_number)
    # one string array for every cell, column after column, sliced into the columns:
    # a file of a few rows is mostly per-array overhead (one array per column cost
    # 2.7 times as much over thousands of small exports)
    cells = pa.array([value for column in zip(*data, strict=True) for value in column], pa.string())
    height = len(data)
    columns = [cells.slice(i * height, height) for i in range(width)]
    return pa.Table.from_arrays(columns, names=names), numbers, bad


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def read_workbook(source: Path | bytes) -> list[Table]:
    """Every sheet of an .xlsx workbook (a path, or its bytes from inside a zip); the
    header is found within the first rows (LinkedIn puts a note on row 1). Read with
    calamine (Rust): about 15 times faster than openpyxl on LinkedIn's exports."""
    from python_calamine import CalamineWorkbook

    try:
        book = (
            CalamineWorkbook.from_filelike(io.BytesIO(source))
            if isinstance(source, bytes)
            else CalamineWorkbook.from_path(str(source))
        )
        sheets = [(name, book.get_sheet_by_name(name).to_python()) for name in book.sheet_names]
    except Exception as err:  # calamine raises its own error types for broken files
        raise UnreadableFile(f"not a readable .xlsx workbook ({err.__class__.__name__})") from err
    tables = []
    for title, raw_rows in sheets:
        values = [[v if type(v) is str else _cell_text(v) for v in row] for row in raw_rows]
        # header = first row within the scan window with at least two non-empty cells
        header_index = next(
            (
                i
                for i, row in enumerate(values[:HEADER_SCAN_LINES])
                if sum(1 for v in row if v) >= 2
            ),
            None,
        )
        if header_index is None:
            continue
        header = list(values[header_index])
        while header and not header[-1]:
            header.pop()
        width = len(header)
        numbered = [
            (header_index + 2 + i, row[:width] + [""] * (width - len(row)))
            for i, row in enumerate(values[header_index + 1 :])
        ]
        numbered = [(n, row) for n, row in numbered if any(row)]
        data = [row for _, row in numbered]
        names = [f"c{i}" for i in range(width)]
        cols = list(zip(*data, strict=True)) if data else [()] * width
        rows = pa.table(
            {n: pa.array(list(c), pa.string()) for n, c in zip(names, cols, strict=True)}
        )
        preamble = [next((v for v in r if v), "") for r in values[:header_index]]
        tables.append(
            Table(
                header,
                header_index + 1,
                rows,
                header_index + 2,
                preamble,
                title,
                [],
                [n for n, _ in numbered],
            )
        )
    return tables


@dataclass(frozen=True)
class ZipLimits:
    """What a landed .zip may hold: platform downloads are a few small CSV files."""

    members: int = 50
    member_bytes: int = 200 * 1024 * 1024  # one unpacked member
    total_bytes: int = 500 * 1024 * 1024  # all members unpacked
    ratio: int = 200  # unpacked / packed size of a member: more is a zip bomb


ZIP_LIMITS = ZipLimits()
IGNORED_MEMBERS = ("__MACOSX/", ".DS_Store", "Thumbs.db")


def read_zip(data: bytes, limits: ZipLimits = ZIP_LIMITS) -> list[tuple[str, bytes]]:
    """The files inside a downloaded .zip (TikTok Studio, YouTube Studio), as (name,
    bytes), in the archive's order. Nothing is written to disk. A member whose path
    leaves the archive (absolute, `..`), a link, an encrypted member, or an archive past
    a limit is refused with the reason and the limit, before anything is unpacked."""
    import stat
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as err:
        raise UnreadableFile(f"not a readable .zip archive ({err})") from err
    infos = [
        i
        for i in archive.infolist()
        if not i.is_dir() and not any(part in i.filename for part in IGNORED_MEMBERS)
    ]
    if len(infos) > limits.members:
        raise UnreadableFile(f"the .zip holds {len(infos)} files; the limit is {limits.members}")
    declared = 0
    for info in infos:
        name = info.filename.replace("\\", "/")
        if name.startswith("/") or ".." in name.split("/") or ":" in name.split("/")[0]:
            raise UnreadableFile(f"the .zip holds a path outside itself: {info.filename!r}")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise UnreadableFile(f"the .zip holds a link: {info.filename!r}")
        if info.flag_bits & 0x1:
            raise UnreadableFile(f"the .zip holds an encrypted file: {info.filename!r}")
        if info.file_size > limits.member_bytes:
            raise UnreadableFile(
                f"{info.filename!r} unpacks to {info.file_size:,} bytes;"
                f" the limit is {limits.member_bytes:,}"
            )
        if info.compress_size and info.file_size / info.compress_size > limits.ratio:
            raise UnreadableFile(
                f"{info.filename!r} unpacks to {info.file_size / info.compress_size:.0f} times"
                f" its packed size (a zip bomb?); the limit is {limits.ratio}"
            )
        declared += info.file_size
    if declared > limits.total_bytes:
        raise UnreadableFile(
            f"the .zip unpacks to {declared:,} bytes; the limit is {limits.total_bytes:,}"
        )
    members = []
    for info in infos:
        # the sizes in the directory can lie: read no more than the limit allows
        with archive.open(info) as fh:
            content = fh.read(limits.member_bytes + 1)
        if len(content) > limits.member_bytes or len(content) != info.file_size:
            raise UnreadableFile(
                f"{info.filename!r} does not unpack to the size the archive declares"
            )
        members.append((info.filename, content))
    if not members:
        raise UnreadableFile("the .zip holds no file")
    return members
