"""Landing ingest: recognise every export by content, lose nothing, say what is wrong."""

from __future__ import annotations

import collections
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from social_warehouse.ingest import Catalogue, LandingError, ingest
from social_warehouse.ingest.readers import decode

REPO = Path(__file__).resolve().parents[2]

FB_HEADER = (
    "Post ID,Page ID,Page name,Title,Description,Duration (sec),Publish time,Caption type,"
    "Permalink,Is crosspost,Is share,Post type,Languages,Custom labels,Funded content status,"
    'Data comment,Date,Views,Reach,"Reactions, comments and shares",Reactions,Comments,Shares,'
    "Total clicks,Other Clicks,Link Clicks"
)
FB_ROW = (
    "1239148978137433,104835129933411,HarborFederalBank,,Hello,0,11/01/2024 10:48,,https://x,No,No,"
    "Photos,,,,,Lifetime,9238,7193,8,4,4,0,43,18,25"
)


def _land(landing: Path, rel: str, data: bytes) -> Path:
    path = landing / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _raw_rows(raw: Path, kind: str) -> int:
    """Rows of one export kind in raw Parquet (folders are per entity, rows name their kind)."""
    entity = Catalogue.from_seeds(REPO).kinds[kind].entity
    return sum(
        pq.read_table(p, columns=["_export_kind"]).column(0).to_pylist().count(kind)
        for p in (raw / entity).glob("*.parquet")
    )


def test_sample_exports_are_all_recognised(landing_copy: Path, tmp_path: Path) -> None:
    result = ingest(landing_copy, tmp_path / "raw")
    kinds = collections.Counter(f.export_kind for f in result.files)
    assert set(kinds) == {
        "facebook_posts", "facebook_follows", "instagram_posts", "instagram_follows",
        "x_posts_legacy", "x_posts", "x_account_daily",
        "linkedin_posts", "linkedin_page_daily", "linkedin_followers",
        "tiktok_posts", "tiktok_followers", "tiktok_overview", "tiktok_follower_activity",
        "tiktok_follower_gender", "tiktok_follower_territories",
        "youtube_videos", "youtube_video_days", "youtube_daily_subscribers",
        "meta_ads", "linkedin_ads",
    }  # fmt: skip
    languages = {f.header_language for f in result.files}
    assert languages == {"en", "fr", "de"}
    assert all(f.status == "loaded" and not f.unknown_columns for f in result.files)
    # every row read reaches raw Parquet (the reader rejected none)
    for kind in kinds:
        read = sum(f.rows_read for f in result.files if f.export_kind == kind)
        assert _raw_rows(tmp_path / "raw", kind) == read


def test_a_file_is_recognised_by_content_not_name(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    _land(landing, "facebook/harbor_fb/whatever.txt", f"\ufeff{FB_HEADER}\n{FB_ROW}\n".encode())
    result = ingest(landing, tmp_path / "raw")
    assert [f.export_kind for f in result.files] == ["facebook_posts"]
    assert result.files[0].rows_read == 1


def test_an_unknown_file_stops_with_its_name_and_the_closest_kind(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    _land(landing, "facebook/harbor_fb/notes.csv", b"Campaign,Budget,Owner\nSpring,100,Ann\n")
    _land(landing, "facebook/harbor_fb/ok.csv", f"{FB_HEADER}\n{FB_ROW}\n".encode())
    with pytest.raises(LandingError) as err:
        ingest(landing, tmp_path / "raw")
    message = str(err.value)
    assert "facebook/harbor_fb/notes.csv" in message
    assert "matches no known export kind; no known kind shares its headers" in message
    assert "ok.csv" not in message


def test_a_missing_required_column_is_named(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    header = FB_HEADER.replace("Publish time,", "")
    row = FB_ROW.replace("11/01/2024 10:48,", "")
    _land(landing, "facebook/harbor_fb/posts.csv", f"{header}\n{row}\n".encode())
    with pytest.raises(LandingError) as err:
        ingest(landing, tmp_path / "raw")
    assert "facebook/harbor_fb/posts.csv" in str(err.value)
    assert (
        "looks like a facebook_posts export but lacks required column(s): published_local"
        in str(err.value)
    )


def test_a_wrong_delimiter_is_pointed_out(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    _land(landing, "facebook/harbor_fb/p.csv", (FB_HEADER.replace(",", ";") + "\n").encode())
    with pytest.raises(LandingError, match="wrong delimiter"):
        ingest(landing, tmp_path / "raw")


def test_an_export_in_the_wrong_platform_folder_is_refused(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    _land(landing, "x/harbor_x/p.csv", f"{FB_HEADER}\n{FB_ROW}\n".encode())
    with pytest.raises(LandingError, match="is a facebook_posts export but sits in the 'x' folder"):
        ingest(landing, tmp_path / "raw")


def test_same_content_twice_is_loaded_once_and_rerun_reads_nothing(tmp_path: Path) -> None:
    landing, raw = tmp_path / "landing", tmp_path / "raw"
    data = f"{FB_HEADER}\n{FB_ROW}\n".encode()
    _land(landing, "facebook/harbor_fb/a.csv", data)
    _land(landing, "facebook/harbor_fb/a (1).csv", data)
    first = ingest(landing, raw)
    assert sorted(f.status for f in first.files) == ["duplicate_content", "loaded"]
    assert _raw_rows(raw, "facebook_posts") == 1
    second = ingest(landing, raw)
    assert sorted(f.status for f in second.files) == ["already_loaded", "duplicate_content"]
    assert second.loaded == 0


def test_changed_aliases_reload_every_file(tmp_path: Path) -> None:
    landing, raw = tmp_path / "landing", tmp_path / "raw"
    _land(landing, "facebook/harbor_fb/a.csv", f"{FB_HEADER}\n{FB_ROW}\n".encode())
    catalogue = Catalogue.from_seeds(REPO)
    ingest(landing, raw, catalogue)
    catalogue.kinds["facebook_posts"].aliases["vues totales"] = ("views", "fr")
    catalogue.digest = "changed"
    assert ingest(landing, raw, catalogue).loaded == 1


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),
    ],
)
def test_encodings_and_line_endings(tmp_path: Path, encoding: str, bom: bytes) -> None:
    landing = tmp_path / "landing"
    text = f"{FB_HEADER}\r\n{FB_ROW}\r\n"
    _land(landing, "facebook/harbor_fb/p.csv", bom + text.encode(encoding))
    result = ingest(landing, tmp_path / "raw")
    assert result.files[0].rows_read == 1
    table = pq.read_table(next((tmp_path / "raw/posts").glob("[!_]*.parquet")))
    assert table.column("post_id").to_pylist() == ["1239148978137433"]
    assert table.column("shares").to_pylist() == ["0"]


def test_latin1_text_in_a_utf8_export_is_read_and_reported() -> None:
    decoded = decode("Caf\u00e9 cr\u00e8me".encode("latin-1"))
    assert decoded.text == "Caf\u00e9 cr\u00e8me"
    assert decoded.encoding == "cp1252" and "not valid UTF-8" in (decoded.note or "")


def test_ragged_rows_are_kept_with_their_row_number(tmp_path: Path) -> None:
    landing, raw = tmp_path / "landing", tmp_path / "raw"
    text = (
        f"{FB_HEADER}\n{FB_ROW}\n1,2,3\n{FB_ROW.replace('1239148978137433', '1239148978137434')}\n"
    )
    _land(landing, "facebook/harbor_fb/p.csv", text.encode())
    result = ingest(landing, raw)
    assert result.files[0].rows_read == 3 and result.files[0].rows_rejected_by_reader == 1
    rejects = pq.read_table(next((raw / "_rejected_rows").glob("[!_]*.parquet"))).to_pylist()
    assert rejects[0]["_row_number"] == 3 and rejects[0]["raw_value"] == "1,2,3"
    rows = pq.read_table(next((raw / "posts").glob("[!_]*.parquet")))
    assert rows.column("_row_number").to_pylist() == [2, 4]


def test_quoted_newlines_keep_exact_row_numbers(tmp_path: Path) -> None:
    landing, raw = tmp_path / "landing", tmp_path / "raw"
    multi = FB_ROW.replace(",Hello,", ',"Hello\nworld, ""quoted""",')
    second = FB_ROW.replace("1239148978137433", "1239148978137434")
    _land(landing, "facebook/harbor_fb/p.csv", f"{FB_HEADER}\n{multi}\n{second}\n".encode())
    ingest(landing, raw)
    rows = pq.read_table(next((raw / "posts").glob("[!_]*.parquet")))
    assert rows.column("description").to_pylist()[0] == 'Hello\nworld, "quoted"'
    assert rows.column("_row_number").to_pylist() == [2, 4]


def test_empty_and_header_only_files(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    _land(landing, "facebook/harbor_fb/empty.csv", b"")
    with pytest.raises(LandingError, match=r"empty\.csv: the file is empty"):
        ingest(landing, tmp_path / "raw")
    (landing / "facebook/harbor_fb/empty.csv").unlink()
    _land(landing, "facebook/harbor_fb/header.csv", f"{FB_HEADER}\n".encode())
    result = ingest(landing, tmp_path / "raw")
    assert result.files[0].rows_read == 0


def test_links_out_of_the_landing_folder_are_not_read(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    secret = _land(tmp_path, "outside/secret.csv", f"{FB_HEADER}\n{FB_ROW}\n".encode())
    (landing / "facebook/harbor_fb").mkdir(parents=True)
    (landing / "facebook/harbor_fb/link.csv").symlink_to(secret)
    with pytest.raises(LandingError, match="points outside the landing folder"):
        ingest(landing, tmp_path / "raw")


def test_files_outside_the_folder_layout_are_errors(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    _land(landing, "facebook/stray.csv", f"{FB_HEADER}\n".encode())
    _land(landing, "myspace/acc/a.csv", f"{FB_HEADER}\n".encode())
    with pytest.raises(LandingError) as err:
        ingest(landing, tmp_path / "raw")
    assert "expected <platform>/<account_key>/<file>" in str(err.value)
    assert "unknown platform folder 'myspace'" in str(err.value)


def test_unknown_extra_columns_are_accepted_and_reported(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    _land(landing, "facebook/harbor_fb/p.csv", f"{FB_HEADER},Mood\n{FB_ROW},happy\n".encode())
    result = ingest(landing, tmp_path / "raw")
    assert result.files[0].unknown_columns == "Mood"


def test_columns_are_mapped_by_name_not_position(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    head, row = FB_HEADER.split(","), FB_ROW.split(",")
    # move Post ID to the end (the quoted header cell spans three commas: keep it whole)
    _land(
        landing,
        "facebook/harbor_fb/p.csv",
        (",".join([*head[1:], head[0]]) + "\n" + ",".join([*row[1:], row[0]]) + "\n").encode(),
    )
    ingest(landing, tmp_path / "raw")
    rows = pq.read_table(next((tmp_path / "raw/posts").glob("[!_]*.parquet")))
    assert rows.column("post_id").to_pylist() == ["1239148978137433"]


def test_a_copied_sample_account_keeps_nothing_behind(landing_copy: Path, tmp_path: Path) -> None:
    """Removing an account's folder after loading keeps its raw rows (warehouse history)."""
    raw = tmp_path / "raw"
    ingest(landing_copy, raw)
    before = _raw_rows(raw, "x_posts")
    shutil.rmtree(landing_copy / "x/harbor_x")
    ingest(landing_copy, raw)
    assert _raw_rows(raw, "x_posts") == before


def test_a_path_holding_an_unrendered_template_is_refused(tmp_path: Path) -> None:
    """A RAW_DIR like `{{ env_var('RAW_DIR', 'data/raw') }}` (a template nobody rendered)
    once filled a folder of that name inside the repository."""
    landing = tmp_path / "landing"
    landing.mkdir()
    raw = tmp_path / "{{ env_var('RAW_DIR', 'data/raw') }}"
    with pytest.raises(LandingError, match="unrendered dbt template"):
        ingest(landing, raw)
    assert not raw.exists()


def test_platforms_and_raw_tables_come_from_the_registry() -> None:
    catalogue = Catalogue.from_seeds(REPO)
    assert catalogue.platforms == ["facebook", "instagram", "linkedin", "tiktok", "x", "youtube"]
    assert catalogue.entities == ["ad_results", "follows", "page_days", "posts", "unstaged"]
    # a derived column (LinkedIn's post id, read from the link) is not a raw column
    assert "post_id" not in catalogue.kinds["linkedin_posts"].columns
    posts = catalogue.entity_columns("posts")
    assert {"post_link", "published_utc", "retweets", "views"} <= set(posts)
    assert len(posts) == len(set(posts))


def _zip(members: dict[str, bytes]) -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buf.getvalue()


YOUTUBE_TABLE = (
    b"Content,Video title,Video publish time,Duration,Likes,Comments added,Views,"
    b"Watch time (hours),Subscribers,Thumbnail impressions,Thumbnail click-through rate (%)\n"
    b"Total,,,,230,12,9000,1000.5,140,150000,4.1\n"
    b'2q4TS4z4Rpk,Guide,"Jan 6, 2024",2496,196,10,8542,927.58,140,138912,4.02\n'
    b'a1b2c3d4e5F,Tips,"Feb 2, 2024",600,34,2,458,72.9,0,11088,5.2\n'
)


def test_a_youtube_zip_is_read_member_by_member(tmp_path: Path) -> None:
    """YouTube Studio's "Export current view" is a zip of three CSV files: each is
    recognised on its own (its member name is its sheet); the Total row above the
    videos is skipped and counted; the per-video chart is kept in raw only."""
    landing = tmp_path / "landing"
    (landing / "youtube" / "harbor_yt").mkdir(parents=True)
    (landing / "youtube" / "harbor_yt" / "Content 2024-01-01_2024-03-01 Harbor.zip").write_bytes(
        _zip(
            {
                "Table data.csv": YOUTUBE_TABLE,
                "Chart data.csv": b"Date,Content,Video title,Video publish time,Duration,Views\n"
                b'2024-01-06,2q4TS4z4Rpk,Guide,"Jan 6, 2024",2496,300\n',
                "Totals.csv": b"Date,Subscribers\n2024-01-06,3\n2024-01-07,-1\n",
            }
        )
    )
    result = ingest(landing, tmp_path / "raw")
    by_sheet = {f.sheet: f for f in result.files}
    assert {s: (f.export_kind, f.entity, f.rows_read) for s, f in by_sheet.items()} == {
        "Table data.csv": ("youtube_videos", "posts", 2),
        "Chart data.csv": ("youtube_video_days", "unstaged", 1),
        "Totals.csv": ("youtube_daily_subscribers", "follows", 2),
    }
    assert by_sheet["Table data.csv"].rows_skipped_as_summary == 1
    posts = pq.read_table(next((tmp_path / "raw" / "posts").glob("[!_]*.parquet")))
    assert posts.column("content").to_pylist() == ["2q4TS4z4Rpk", "a1b2c3d4e5F"]
    assert posts.column("_row_number").to_pylist() == [3, 4]  # row 2 is the Total row


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"../evil.csv": b"Date,Subscribers\n"}, "a path outside itself: '../evil.csv'"),
        ({"/etc/passwd.csv": b"Date,Subscribers\n"}, "a path outside itself"),
        ({"Table data.csv": b"0" * 5_000_000}, "a zip bomb?"),
        ({"notes.pdf": b"%PDF-1.4"}, "'notes.pdf' inside the .zip: is neither a CSV file"),
        ({}, "the .zip holds no file"),
    ],
    ids=["dot_dot", "absolute", "bomb", "not_a_table", "empty"],
)
def test_a_hostile_zip_is_refused_with_the_reason(
    tmp_path: Path, members: dict[str, bytes], message: str
) -> None:
    landing = tmp_path / "landing"
    (landing / "youtube" / "harbor_yt").mkdir(parents=True)
    (landing / "youtube" / "harbor_yt" / "export.zip").write_bytes(_zip(members))
    with pytest.raises(LandingError) as err:
        ingest(landing, tmp_path / "raw")
    assert "youtube/harbor_yt/export.zip" in str(err.value)
    assert message in str(err.value)


def test_a_zip_past_the_member_limit_names_the_limit() -> None:
    from social_warehouse.ingest.readers import UnreadableFile, ZipLimits, read_zip

    data = _zip({f"f{i}.csv": b"a,b\n1,2\n" for i in range(4)})
    with pytest.raises(UnreadableFile, match="holds 4 files; the limit is 3"):
        read_zip(data, ZipLimits(members=3))
    with pytest.raises(UnreadableFile, match="unpacks to 32 bytes; the limit is 20"):
        read_zip(data, ZipLimits(total_bytes=20))


def test_tiktok_studio_zips_are_recognised_section_by_section(tmp_path: Path) -> None:
    """TikTok Studio downloads each section as a zip; the follower zip also holds
    demographic breakdowns, which are recognised and kept in raw only."""
    folder = tmp_path / "landing" / "tiktok" / "harbor_tt"
    folder.mkdir(parents=True)
    bom = b"\xef\xbb\xbf"
    (folder / "Content_harborbank.zip").write_bytes(
        _zip(
            {
                "Content.csv": bom
                + b'"Time","Video title","Video link","Post time","Total likes","Total comments",'
                b'"Total shares","Total views"\n"January 12","Tips","https://www.tiktok.com/@harborbank'
                b'/video/7593820674163100946","January 10","310","12","9","15200"'
            }
        )
    )
    (folder / "Followers_harborbank.zip").write_bytes(
        _zip(
            {
                "FollowerHistory.csv": bom + b'"Date","Followers","Difference in followers from'
                b' previous day"\n"January 11","10405","35"\n"January 12","10440","0"',
                "FollowerGender.csv": bom + b'"Gender","Distribution"\n"Female","0.59"',
                "FollowerTopTerritories.csv": bom + b'"Top territories","Distribution"\n"US","0.8"',
                "FollowerActivity.csv": bom + b'"Date","Hour","Active followers"',
            }
        )
    )
    result = ingest(tmp_path / "landing", tmp_path / "raw")
    kinds = sorted((f.export_kind, f.entity, f.rows_read) for f in result.files)
    assert kinds == [
        ("tiktok_follower_activity", "unstaged", 0),
        ("tiktok_follower_gender", "unstaged", 1),
        ("tiktok_follower_territories", "unstaged", 1),
        ("tiktok_followers", "follows", 2),
        ("tiktok_posts", "posts", 1),
    ]
