"""The corpus of bad exports: each case is a small file in a native format with one
defect, and the outcome the warehouse must give it. README.md's "Bad input" table is
checked against this list (test_corpus.py).

Outcomes:
- `stops`: the landing ingest refuses the file; the build stops with a message naming
  the file (and column where it applies); nothing is published.
- `quarantined`: the row(s) go to stg_landing__quarantined_rows with file, row, column,
  raw value and reason; publishing waits for a steward; other rows are staged.
- `accepted`: staged as expected (what is said is checked).
"""

from __future__ import annotations

import csv
import functools
import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from social_warehouse.generator import ads as ADS
from social_warehouse.generator import headers as H

PAGE_ID = "104835129933411"


def _zip(members: dict[str, bytes], compression: int | None = None) -> bytes:
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        for name, content in members.items():
            info = zipfile.ZipInfo(name, (2026, 10, 2, 9, 0, 0))
            info.compress_type = compression or zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buf.getvalue()


TT_BOM = b"\xef\xbb\xbf"
TT_FOLLOWERS = (
    TT_BOM + b'"Date","Followers","Difference in followers from previous day"\n'
    b'"September 30","10405","35"\n"October 1","10440","0"'
)
YT_CHART = (
    b"Date,Content,Video title,Video publish time,Duration,Views\n"
    b'2026-09-30,2q4TS4z4Rpk,Guide,"Jan 6, 2024",2496,300\n'
)
YT_TOTALS = b"Date,Subscribers\n2026-09-30,3\n2026-10-01,-1\n"


def _row(**values: str) -> dict[str, str]:
    base = {h: "" for h in H.FACEBOOK_POSTS_EN}
    base.update(
        {
            "Post ID": "1777000000000001",
            "Page ID": PAGE_ID,
            "Page name": "HarborFederalBank",
            "Description": "Hello",
            "Duration (sec)": "0",
            "Publish time": "10/20/2026 10:48",
            "Permalink": "https://www.facebook.com/HarborFederalBank/posts/1",
            "Is crosspost": "No",
            "Is share": "No",
            "Post type": "Photos",
            "Date": "Lifetime",
            "Views": "9238",
            "Reach": "7193",
            "Reactions, comments and shares": "12",
            "Reactions": "8",
            "Comments": "3",
            "Shares": "1",
            "Total clicks": "43",
            "Other Clicks": "18",
            "Link Clicks": "25",
        }
    )
    base.update(values)
    return base


def fb_posts(
    rows: list[dict[str, str]],
    header: list[str] | None = None,
    encoding: str = "utf-8-sig",
    delimiter: str = ",",
    newline: str = "\n",
) -> bytes:
    header = header or H.FACEBOOK_POSTS_EN
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator=newline)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header])
    return buf.getvalue().encode(encoding)


def fb_follows(account_rows: list[tuple[str, str]]) -> bytes:
    lines = ["sep=,", '"Facebook follows"', '"Date","Primary"']
    lines += [f'"{d}","{v}"' for d, v in account_rows]
    return b"\xff\xfe" + ("\r\n".join(lines) + "\r\n").encode("utf-16-le")


def meta_ads(rows: list[tuple[str, str, str]], currency: str = "USD") -> bytes:
    """A Meta Ads Manager export (one row per ad and day), as downloaded."""
    header = [h.replace("{currency}", currency) for h in ADS.META_EN]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for ad_id, day, spent in rows:
        counts = ["90", "120", "Post engagement", "7", "7", "", "", ""]
        writer.writerow([day, day, "Awareness", "Set A", "Ad", ad_id, spent, *counts])
    return buf.getvalue().encode("utf-8-sig")


def linkedin_ads_with_total() -> bytes:
    """A LinkedIn Campaign Manager export with two days and a totals row last."""
    lines = [["Campaign Performance Report (in UTC)"], ADS.LINKEDIN_ADS]
    lines += [["10/01/2026", "G", "C", "612009001", "USD", "10.00", "100", "1", "1", "0", "0", "2"]]
    lines += [["10/02/2026", "G", "C", "612009001", "USD", "12.00", "120", "2", "1", "0", "0", "3"]]
    lines += [["Total", "", "", "", "USD", "22.00", "220", "3", "2", "0", "0", "5"]]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(lines)
    return buf.getvalue().encode("utf-8")


@dataclass(frozen=True)
class Case:
    case_id: str
    defect: str
    path: str  # relative to the landing folder
    content: bytes
    outcome: str  # stops | quarantined | accepted
    expect: str  # message / reason substring, or what is checked for accepted cases
    level: str = "ingest"  # ingest (Python only) or build (needs dbt)
    mtime: float | None = None  # set the file's modification time (download time)
    extra: dict = field(default_factory=dict)
    build: Callable[[], bytes] | None = None  # large content, made when a test lands it

    def data(self) -> bytes:
        return self.build() if self.build else self.content


FB = "facebook/harbor_fb/"
LI = "linkedin/nordhafen_li/"
XLSX_PARTS = {
    "[Content_Types].xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        b'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        b'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
        b'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        b'worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    ),
    "_rels/.rels": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://'
        b'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type='
        b'"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"'
        b' Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://'
        b'schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.'
        b'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="All posts"'
        b' sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://'
        b'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type='
        b'"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"'
        b' Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.'
        b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"'
        b' Target="sharedStrings.xml"/></Relationships>'
    ),
}
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
SHEET_ROOT = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
SHEET_OPEN = XML_DECLARATION + SHEET_ROOT
SHEET_CLOSE = b"</sheetData></worksheet>"
STRINGS_OPEN = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _xlsx(rows: bytes = b"", strings: bytes = b"", sheet_prolog: bytes = b"") -> bytes:
    """A workbook as a spreadsheet program zips it: the parts an .xlsx needs, with the
    given rows in its one sheet and texts in its shared-strings table."""
    members = {
        **XLSX_PARTS,
        # a DTD (the prolog) comes after the XML declaration, before the root element
        "xl/worksheets/sheet1.xml": XML_DECLARATION
        + sheet_prolog
        + SHEET_ROOT
        + rows
        + SHEET_CLOSE,
        "xl/sharedStrings.xml": STRINGS_OPEN + strings + b"</sst>",
    }
    return _zip(members)


@functools.cache
def xlsx_million_rows() -> bytes:
    """1,000,001 rows of one number each: small packed (about 5 MB), 49 MB unpacked."""
    rows = b"".join(
        b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (i, i) for i in range(1, 1_000_002)
    )
    return _xlsx(rows)


@functools.cache
def xlsx_huge_shared_strings() -> bytes:
    """A shared-strings table of 1,000,001 distinct texts behind a one-row sheet."""
    strings = b"".join(b"<si><t>text %d</t></si>" % i for i in range(1_000_001))
    return _xlsx(b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>', strings)


XXE = (
    b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<si><t>&xxe;</t></si></sst>"
)
LAUGHS = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
        for i in range(1, 10)
    )
    + b"]>"
)
SEPT_2025 = {"Publish time": "09/01/2025 10:00"}  # before both downloads of that case
UTF8_HEADER_ONLY = fb_posts([])

CASES: list[Case] = [
    # --- files the ingest refuses: the build stops and names the file ----------------
    Case("empty_file", "empty file", FB + "empty.csv", b"", "stops", "the file is empty"),
    Case(
        "truncated_header",
        "file cut off inside its header",
        FB + "cut.csv",
        "\ufeffPost ID,Page ID,Pa".encode(),
        "stops",
        "matches no known export kind",
    ),
    Case(
        "wrong_delimiter",
        "semicolons instead of commas",
        FB + "semicolons.csv",
        fb_posts([_row()], delimiter=";"),
        "stops",
        "wrong delimiter?); closest known kind: facebook_posts",
    ),
    Case(
        "unknown_kind",
        "a file that is no known export",
        FB + "budget.csv",
        b"Quarter,Budget,Owner\nQ1,100,Ann\n",
        "stops",
        "matches no known export kind; no known kind shares its headers",
    ),
    Case(
        "missing_required_column",
        "the `Reactions` column is missing",
        FB + "no_reactions.csv",
        fb_posts([_row()], header=[h for h in H.FACEBOOK_POSTS_EN if h != "Reactions"]),
        "stops",
        "lacks required column(s): reactions",
    ),
    Case(
        "wrong_platform_folder",
        "a Facebook export dropped in the X folder",
        "x/harbor_x/posts.csv",
        fb_posts([_row()]),
        "stops",
        "is a facebook_posts export but sits in the 'x' folder",
    ),
    Case(
        "zip_with_a_path_outside_it",
        "a YouTube zip whose member path climbs out of the archive (../)",
        "youtube/keystone_yt/Content 2026-01-01_2026-10-01 Keystone.zip",
        _zip({"../Table data.csv": YT_TOTALS}),
        "stops",
        "the .zip holds a path outside itself: '../Table data.csv'",
    ),
    Case(
        "zip_bomb",
        "a zip whose member unpacks to thousands of times its size",
        "tiktok/prairie_tt/Followers_prairiemembers.zip",
        _zip({"FollowerHistory.csv": TT_FOLLOWERS + b" " * 20_000_000}),
        "stops",
        "(a zip bomb?); the limit is 200",
    ),
    Case(
        "tiktok_missing_required_column",
        "a TikTok FollowerHistory.csv without its Followers column",
        "tiktok/prairie_tt/Followers_prairiemembers (2).zip",
        _zip(
            {"FollowerHistory.csv": TT_BOM + b'"Date","Difference in followers"\n"October 1","3"'}
        ),
        "stops",
        "lacks required column(s): followers (sheet 'FollowerHistory.csv')",
    ),
    Case(
        "youtube_zip_without_table_data",
        "a YouTube zip without its Table data.csv (chart and totals only)",
        "youtube/keystone_yt/Date 2026-09-01_2026-10-01 Keystone.zip",
        _zip({"Chart data.csv": YT_CHART, "Totals.csv": YT_TOTALS}),
        "accepted",
        "its daily subscribers are read; no video rows: the chart is kept in raw only",
    ),
    Case(
        "outside_layout",
        "a file directly under a platform folder",
        "facebook/stray.csv",
        fb_posts([_row()]),
        "stops",
        "expected <platform>/<account_key>/<file>",
    ),
    # --- hostile workbooks: checked before calamine opens them --------------------------
    Case(
        "xlsx_zip_bomb",
        "a LinkedIn workbook whose sheet unpacks to thousands of times its size",
        LI + "bomb.xlsx",
        _xlsx(b'<row r="1"><c r="A1"><v>1</v></c></row>' + b" " * 20_000_000),
        "stops",
        "unpacks to",
    ),
    Case(
        "xlsx_million_rows",
        "a workbook with 1,000,001 rows",
        LI + "million.xlsx",
        b"",
        "stops",
        "holds rows: more than 1,000,000; the limit INGEST_MAX_ROWS is 1,000,000",
        build=xlsx_million_rows,
    ),
    Case(
        "xlsx_huge_shared_strings",
        "a workbook whose shared-strings table holds 1,000,001 texts",
        LI + "strings.xlsx",
        b"",
        "stops",
        "the limit INGEST_MAX_SHARED_STRINGS is 1,000,000",
        build=xlsx_huge_shared_strings,
    ),
    Case(
        "xlsx_external_entity",
        "a workbook whose shared strings declare an external entity (file:///etc/passwd)",
        LI + "xxe.xlsx",
        _zip(
            {
                **XLSX_PARTS,
                "xl/worksheets/sheet1.xml": SHEET_OPEN + SHEET_CLOSE,
                "xl/sharedStrings.xml": XXE,
            }
        ),
        "stops",
        "'xl/sharedStrings.xml' declares a DTD or entities",
    ),
    Case(
        "xlsx_entity_expansion",
        "a workbook whose sheet declares nested entities (billion laughs)",
        LI + "laughs.xlsx",
        _xlsx(
            b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>',
            sheet_prolog=LAUGHS,
        ),
        "stops",
        "'xl/worksheets/sheet1.xml' declares a DTD or entities",
    ),
    Case(
        "xlsx_not_a_workbook",
        "a CSV file named .xlsx",
        LI + "posts.xlsx",
        fb_posts([_row()]),
        "stops",
        "not a readable .xlsx workbook",
    ),
    # --- limits (a lower limit set for the case where the default needs a huge file) --
    Case(
        "file_too_large",
        "a file larger than INGEST_MAX_FILE_BYTES (set to 500 for the case)",
        FB + "large.csv",
        fb_posts([_row()] * 3),
        "stops",
        "; the limit INGEST_MAX_FILE_BYTES is 500",
        extra={"env": {"INGEST_MAX_FILE_BYTES": "500"}},
    ),
    Case(
        "too_many_rows",
        "more rows than INGEST_MAX_ROWS (set to 2 for the case)",
        FB + "rows.csv",
        fb_posts([_row(**{"Post ID": f"177700000000002{i}"}) for i in range(3)]),
        "stops",
        "the table holds rows: 3; the limit INGEST_MAX_ROWS is 2",
        extra={"env": {"INGEST_MAX_ROWS": "2"}},
    ),
    Case(
        "too_many_columns",
        "a header of 332 columns (the limit is 300)",
        FB + "wide.csv",
        fb_posts([_row()], header=[*H.FACEBOOK_POSTS_EN, *(f"Extra {i}" for i in range(300))]),
        "stops",
        "the header holds columns: 332; the limit INGEST_MAX_COLUMNS is 300",
    ),
    Case(
        "cell_too_long",
        "a post text of 100,001 characters (the limit is 100,000)",
        FB + "long.csv",
        fb_posts([_row(Description="x" * 100_001)]),
        "stops",
        "row 2, column 'Description': a cell holds characters: 100,001; "
        "the limit INGEST_MAX_CELL_CHARS is 100,000",
    ),
    Case(
        "zip_unpacked_too_large",
        "a TikTok zip unpacking past INGEST_MAX_UNPACKED_BYTES (set to 1000 for the case)",
        "tiktok/prairie_tt/Followers_prairiemembers (3).zip",
        _zip(
            {
                "FollowerHistory.csv": TT_FOLLOWERS
                + b"".join(
                    b'\n"%s %d","1044%d","1"' % (month, d, d % 10)
                    for month in (b"October", b"November")
                    for d in range(2, 31)
                )
            }
        ),
        "stops",
        "bytes; the limit is 1,000",
        extra={"env": {"INGEST_MAX_UNPACKED_BYTES": "1000"}},
    ),
    Case(
        "empty_zip",
        "a zip with nothing inside",
        "tiktok/prairie_tt/Followers_empty.zip",
        _zip({}),
        "stops",
        "the .zip holds no file",
    ),
    # --- broken text files -----------------------------------------------------------
    Case(
        "nul_bytes",
        "NUL bytes inside a CSV export",
        FB + "nul.csv",
        fb_posts([_row(Description="Hello\x00\x00world")]),
        "stops",
        "holds NUL bytes",
    ),
    Case(
        "image_named_csv",
        "a PNG image saved as .csv",
        FB + "screenshot.csv",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06",
        "stops",
        "holds NUL bytes",
    ),
    Case(
        "utf16_cut_mid_character",
        "a UTF-16 export cut off in the middle of a character",
        FB + "utf16_cut.csv",
        (
            b"\xff\xfe"
            + fb_posts([_row()], encoding="utf-8").decode("utf-8-sig").encode("utf-16-le")
        )[:-1],
        "stops",
        "is a UTF-16 file cut off in the middle of a character",
    ),
    Case(
        "duplicated_header_names",
        "the `Reactions` header written twice",
        FB + "twice.csv",
        fb_posts([_row()], header=[*H.FACEBOOK_POSTS_EN, "Reactions"]),
        "stops",
        "the header names a column twice ('Reactions' in columns 21, 33)",
    ),
    # --- odd files and file names ------------------------------------------------------
    Case(
        "name_with_newline",
        "a file name holding a newline",
        FB + "posts\nsecond line.csv",
        fb_posts([_row()]),
        "stops",
        "the name holds a control character",
    ),
    Case(
        "name_not_utf8",
        "a file name with bytes that are not UTF-8 (Latin-1 é)",
        FB + os.fsdecode(b"r\xe9sum\xe9.csv"),
        fb_posts([_row()]),
        "stops",
        "the name is not valid UTF-8",
    ),
    Case(
        "growing_file",
        "a file still growing while the ingest reads it",
        FB + "downloading.csv",
        fb_posts([_row()]),
        "stops",
        "changed while it was read",
        extra={"special": "grow"},
    ),
    Case(
        "unreadable_file",
        "a file the ingest may not read (permission denied)",
        FB + "locked.csv",
        fb_posts([_row()]),
        "stops",
        "cannot be read (Permission denied)",
        extra={"special": "unreadable"},
    ),
    Case(
        "fifo_in_landing",
        "a named pipe where a file should be (reading it would wait for ever)",
        FB + "pipe.csv",
        b"",
        "stops",
        "is not a regular file",
        extra={"special": "fifo"},
    ),
    Case(
        "broken_link",
        "a symbolic link to nothing",
        FB + "gone.csv",
        b"",
        "stops",
        "broken or looping link",
        extra={"special": "broken_link"},
    ),
    # --- files the ingest reads --------------------------------------------------------
    Case(
        "name_255_bytes",
        "a file name of 255 bytes, the most a file system allows",
        FB + "p" * 251 + ".csv",
        fb_posts([_row()]),
        "accepted",
        "read; source_file is the whole name",
    ),
    Case(
        "name_leading_dash",
        "a file name starting with a dash (an option to command-line tools)",
        FB + "-posts.csv",
        fb_posts([_row()]),
        "accepted",
        "read",
    ),
    Case(
        "mtime_in_future",
        "a modification time in 2100 (a wrong clock)",
        FB + "future_clock.csv",
        fb_posts([_row()]),
        "accepted",
        "exported_at is the load time, reported in landing_files.note",
        mtime=4_102_444_800.0,
    ),
    Case(
        "header_only",
        "header, no rows",
        FB + "header_only.csv",
        UTF8_HEADER_ONLY,
        "accepted",
        "0 rows read",
    ),
    Case(
        "truncated_last_line",
        "download cut off in the last row",
        FB + "truncated.csv",
        fb_posts([_row(), _row(**{"Post ID": "1777000000000002"})])[:-60],
        "quarantined",
        "expected 32 fields",
    ),
    Case(
        "extra_column",
        "an unknown extra column",
        FB + "extra.csv",
        fb_posts([_row()], header=[*H.FACEBOOK_POSTS_EN, "Boost budget"]),
        "accepted",
        "unknown column reported: Boost budget",
    ),
    Case(
        "reordered_columns",
        "columns in another order",
        FB + "reordered.csv",
        fb_posts([_row()], header=list(reversed(H.FACEBOOK_POSTS_EN))),
        "accepted",
        "post_id read by name",
    ),
    Case(
        "latin1_in_utf8",
        "Latin-1 text in a UTF-8 export",
        FB + "latin1.csv",
        fb_posts([_row(Description="Caf\u00e9 cr\u00e8me")], encoding="latin-1"),
        "accepted",
        "read as Windows-1252, reported in landing_files.note",
    ),
    Case(
        "utf8_without_bom",
        "UTF-8 without BOM",
        FB + "nobom.csv",
        fb_posts([_row()], encoding="utf-8"),
        "accepted",
        "read",
    ),
    Case(
        "utf16_big_endian",
        "UTF-16 big-endian",
        FB + "utf16be.csv",
        b"\xfe\xff" + fb_posts([_row()], encoding="utf-8")[0:].decode().encode("utf-16-be"),
        "accepted",
        "read",
    ),
    Case(
        "windows_line_endings",
        "CRLF line endings",
        FB + "crlf.csv",
        fb_posts([_row()], newline="\r\n"),
        "accepted",
        "read",
    ),
    # --- values: staging decides (needs dbt) ---------------------------------------------
    Case(
        "scientific_notation_id",
        "IDs in scientific notation (re-saved in Excel)",
        FB + "excel.csv",
        fb_posts([_row(**{"Post ID": "1.77700E+15"})]),
        "quarantined",
        "post_id: id in scientific notation",
        level="build",
    ),
    Case(
        "negative_count",
        "a negative count",
        FB + "negative.csv",
        fb_posts([_row(**{"Post ID": "1777000000000101", "Reactions": "-3"})]),
        "quarantined",
        "reactions: negative count",
        level="build",
    ),
    Case(
        "non_numeric_count",
        "a non-numeric count",
        FB + "text_count.csv",
        fb_posts([_row(**{"Post ID": "1777000000000102", "Comments": "many"})]),
        "quarantined",
        "comments: not a number",
        level="build",
    ),
    Case(
        "absurd_count",
        "an absurdly large count",
        FB + "huge.csv",
        fb_posts([_row(**{"Post ID": "1777000000000103", "Shares": "99999999999"})]),
        "quarantined",
        "shares: implausibly large count",
        level="build",
    ),
    Case(
        "future_date",
        "a publish time after the download",
        FB + "future.csv",
        fb_posts([_row(**{"Post ID": "1777000000000104", "Publish time": "12/24/2030 10:00"})]),
        "quarantined",
        "published_local: after the export was downloaded",
        level="build",
    ),
    Case(
        "date_before_platform",
        "a publish time before Facebook existed",
        FB + "ancient.csv",
        fb_posts([_row(**{"Post ID": "1777000000000105", "Publish time": "01/01/1999 10:00"})]),
        "quarantined",
        "published_local: before the platform existed",
        level="build",
    ),
    Case(
        "ambiguous_date_by_locale",
        "05/11/2026 in a French export (5 November, not 11 May)",
        "facebook/rhone_fb/ambiguous.csv",
        fb_posts(
            [
                {
                    H.FACEBOOK_POSTS_FR[k]: v
                    for k, v in _row(
                        **{"Post ID": "1777000000000106", "Publish time": "05/11/2026 10:00"}
                    ).items()
                }
            ],
            header=[H.FACEBOOK_POSTS_FR[h] for h in H.FACEBOOK_POSTS_EN],
        ),
        "accepted",
        "published_local = 2026-11-05 10:00",
        level="build",
    ),
    Case(
        "duplicate_rows",
        "the same row twice in one file",
        FB + "dupes.csv",
        fb_posts([_row(**{"Post ID": "1777000000000107"})] * 2),
        "accepted",
        "one post in stg_social__posts",
        level="build",
    ),
    Case(
        "older_snapshot_landed_later",
        "an older export of a post landed after a newer one",
        FB + "older.csv",
        fb_posts([_row(**{"Post ID": "1777000000000108", "Reactions": "2", **SEPT_2025})]),
        "accepted",
        "the newer export's reactions (50) are kept",
        level="build",
        mtime=1_760_000_000.0,  # downloaded 2025-10-09: older than the newer one below
        extra={
            "newer": (
                FB + "newer.csv",
                fb_posts([_row(**{"Post ID": "1777000000000108", "Reactions": "50", **SEPT_2025})]),
                1_762_000_000.0,
            )
        },
    ),
    Case(
        "graph_api_post_ids",
        "the same post exported with the Graph API's <page id>_<post id> ID, then with the bare ID",
        FB + "graph_api_ids.csv",
        fb_posts(
            [_row(**{"Post ID": f"{PAGE_ID}_1777000000000120", "Reactions": "3", **SEPT_2025})]
        ),
        "accepted",
        "one post, 1777000000000120, with the later export's reactions (30); nothing quarantined",
        level="build",
        mtime=1_760_000_000.0,  # downloaded 2025-10-09: older than the bare-ID export below
        extra={
            "newer": (
                FB + "bare_ids.csv",
                fb_posts([_row(**{"Post ID": "1777000000000120", "Reactions": "30", **SEPT_2025})]),
                1_762_000_000.0,
            )
        },
    ),
    Case(
        "unknown_account_posts",
        "posts for an account not in the accounts seed",
        "facebook/ghost_fb/posts.csv",
        fb_posts([_row(**{"Post ID": "1777000000000109"})]),
        "quarantined",
        "account_key: not in the social_accounts seed",
        level="build",
    ),
    Case(
        "unknown_account_follows",
        "a follows file for an unknown account",
        "facebook/ghost_fb/follows.csv",
        fb_follows([("2026-10-01T00:00:00", "4")]),
        "quarantined",
        "account_key: not in the social_accounts seed",
        level="build",
        extra={"row": 4},  # sep=, metric name and header come first
    ),
    Case(
        "missing_followers",
        "a post before the account's first follower anchor",
        FB + "early.csv",
        fb_posts([_row(**{"Post ID": "1777000000000110", "Publish time": "03/01/2024 10:00"})]),
        "accepted",
        "engagement_rate_by_followers is null (not zero), counted in posts_without_followers",
        level="build",
    ),
    Case(
        "awkward_text",
        "quotes, newlines, emoji, right-to-left text and =, +, -, @ at the start",
        FB + "text.csv",
        fb_posts(
            [
                _row(
                    **{
                        "Post ID": "1777000000000111",
                        "Description": '=HYPERLINK("http://x") "quoted"\nline 2 🏦 مرحبا',
                        "Title": "@handle",
                        "Custom labels": "+1-2",
                    }
                )
            ]
        ),
        "accepted",
        "text kept as it was; BI gets Parquet and DuckDB, never CSV",
        level="build",
    ),
    Case(
        "html_in_post_text",
        "HTML and a script in the post text",
        FB + "html_text.csv",
        fb_posts(
            [
                _row(
                    **{
                        "Post ID": "1777000000000130",
                        "Description": '<script>alert("x")</script><b>bold</b>',
                    }
                )
            ]
        ),
        "accepted",
        "text kept as it was in staging",
        level="build",
    ),
    Case(
        "html_in_rejected_value",
        "a script where a count should be: the steward report shows it",
        FB + "html_count.csv",
        fb_posts(
            [_row(**{"Post ID": "1777000000000131", "Comments": "<script>alert(1)</script>"})]
        ),
        "quarantined",
        "comments: not a number",
        level="build",
        extra={"report_escapes": "<script>alert(1)</script>"},
    ),
    Case(
        "account_key_with_quotes_and_sql",
        "an account folder named with quotes and SQL",
        "facebook/o'brien\"; drop table marts.fct_posts; --/posts.csv",
        fb_posts([_row(**{"Post ID": "1777000000000132"})]),
        "quarantined",
        "account_key: not in the social_accounts seed",
        level="build",
    ),
    Case(
        "mtime_in_past",
        "a modification time in 2000 (a clock in the past), before the posts it holds",
        FB + "past_clock.csv",
        fb_posts([_row(**{"Post ID": "1777000000000133"})]),
        "quarantined",
        "published_local: after the export was downloaded",
        level="build",
        mtime=946_684_800.0,
    ),
    # --- ad managers' exports (issue 18) ------------------------------------------------
    Case(
        "ad_currency_mismatch",
        "an ad export whose header names another currency than the ad account's",
        "facebook/harbor_meta_ads/eur.csv",
        meta_ads([("120000000000900001", "2026-10-20", "12.00")], currency="EUR"),
        "quarantined",
        "currency_code: EUR differs from the ad account's currency USD",
        level="build",
    ),
    Case(
        "ad_overlapping_windows",
        "two ad exports whose reporting windows overlap (the same ad-day twice)",
        "facebook/harbor_meta_ads/oct19_20.csv",
        meta_ads(
            [
                ("120000000000900002", "2026-10-19", "8.00"),
                ("120000000000900002", "2026-10-20", "10.00"),
            ]
        ),
        "accepted",
        "the ad-day in both exports counts once, from the later download",
        level="build",
        mtime=1_792_700_000.0,  # 2026-10-22: downloaded before the other export
        extra={
            "newer": (
                "facebook/harbor_meta_ads/oct20_21.csv",
                meta_ads(
                    [
                        ("120000000000900002", "2026-10-20", "11.00"),
                        ("120000000000900002", "2026-10-21", "9.00"),
                    ]
                ),
                1_793_000_000.0,  # 2026-10-26
            )
        },
    ),
    Case(
        "ad_total_row_last",
        "an ad export with a totals row at the end",
        "linkedin/harbor_li_ads/with_total.csv",
        linkedin_ads_with_total(),
        "accepted",
        "the totals row is skipped and counted in rows_skipped_as_summary",
    ),
]
