"""The generator writes what the platforms write (EXPORT_FORMATS.md), deterministically."""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import re
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from social_warehouse.generator import GeneratorConfig, generate, sample_seeds
from social_warehouse.generator import headers as H
from social_warehouse.generator.simulate import read_accounts, simulate_followers, simulate_posts
from social_warehouse.generator.video import tiktok_videos, youtube_videos

PROJECT_ROOT = Path(__file__).resolve().parents[2]  # this checkout, whose files the tests read


def _digest(folder: Path) -> dict[str, tuple[str, int]]:
    return {
        p.relative_to(folder).as_posix(): (
            hashlib.sha256(p.read_bytes()).hexdigest(),
            int(p.stat().st_mtime),
        )
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _csv_rows(path: Path, encoding: str = "utf-8-sig") -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode(encoding))))


def _files(landing: Path, account: str, pattern: str) -> list[Path]:
    return sorted((landing / account.split("/")[0] / account.split("/")[1]).glob(pattern))


def test_same_seed_gives_byte_identical_files(sample_landing: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    generate(GeneratorConfig(landing_dir=again))
    assert _digest(again) == _digest(sample_landing)


def test_another_seed_gives_other_numbers(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    generate(GeneratorConfig(landing_dir=a, accounts=("harbor_fb",)))
    generate(GeneratorConfig(landing_dir=b, accounts=("harbor_fb",), seed=7))
    assert _digest(a) != _digest(b)


def test_scale_multiplies_the_posts(tmp_path: Path) -> None:
    small = generate(GeneratorConfig(landing_dir=tmp_path / "s", accounts=("harbor_x",)))
    large = generate(
        GeneratorConfig(landing_dir=tmp_path / "l", accounts=("harbor_x",), frequency_scale=4.0)
    )
    assert 3.5 < large.posts / small.posts < 4.5


def test_every_english_header_written_is_documented(
    sample_landing: Path, export_formats_doc: str
) -> None:
    doc = " ".join(export_formats_doc.split())  # the doc wraps lists across lines
    written = set(H.FACEBOOK_POSTS_EN_OLDER + H.FACEBOOK_POSTS_EN + H.INSTAGRAM_POSTS_EN)
    written |= set(H.X_CONTENT_POSTS + H.X_ACCOUNT_OVERVIEW + H.LINKEDIN_CONTENT_EN)
    written |= {*H.LINKEDIN_FOLLOWERS_EN, "Date", "Primary"}
    legacy_metrics = [h for h in H.X_LEGACY_POSTS if not h.startswith("promoted ")]
    written |= set(legacy_metrics)
    missing = sorted(h for h in written if h not in doc)
    assert missing == []
    assert len(H.X_LEGACY_POSTS) == 40  # "40 columns"


def test_facebook_posts_export_format(sample_landing: Path) -> None:
    path = _files(sample_landing, "facebook/harbor_fb", "Aug-01-2026_Oct-31-2026_*.csv")[0]
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM"
    rows = _csv_rows(path)
    header, data = rows[0], rows[1:]
    assert header == H.FACEBOOK_POSTS_EN and 32 <= len(header) <= 34
    col = {h: i for i, h in enumerate(header)}
    assert {r[col["Date"]] for r in data} == {"Lifetime"}
    assert all(re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", r[col["Publish time"]]) for r in data)
    assert all(re.fullmatch(r"\d{15,17}", r[col["Post ID"]]) for r in data)


def test_older_facebook_exports_say_impressions(sample_landing: Path) -> None:
    path = _files(sample_landing, "facebook/harbor_fb", "Nov-01-2024_*_104835129933411.csv")[0]
    header = _csv_rows(path)[0]
    assert "Impressions" in header and "Views" not in header
    assert "Reactions, Comments and Shares" in header and len(header) == 34


def test_localised_facebook_exports(sample_landing: Path) -> None:
    fr = _files(sample_landing, "facebook/rhone_fb", "Aug-01-2026_Oct-31-2026_*0119874.csv")[0]
    rows = _csv_rows(fr)
    col = {h: i for i, h in enumerate(rows[0])}
    assert "Heure de publication" in col
    times = [r[col["Heure de publication"]] for r in rows[1:]]
    days = {int(t[:2]) for t in times}
    assert max(days) > 12, "day first: some days above 12"
    assert any("\u202f" in r[col["Vues"]] for r in rows[1:]), "French groups thousands"
    assert any("," in r[col["Secondes vues en moyenne"]] for r in rows[1:]), "decimal comma"
    de = _files(sample_landing, "facebook/nordhafen_fb", "Aug-01-2026_Oct-31-2026_*.csv")[0]
    drows = _csv_rows(de)
    dcol = {h: i for i, h in enumerate(drows[0])}
    assert "Veröffentlichungszeitpunkt" in dcol
    assert any(re.fullmatch(r"\d{1,3}(\.\d{3})+", r[dcol["Aufrufe"]]) for r in drows[1:])


def test_meta_follows_files_are_utf16_with_preamble(sample_landing: Path) -> None:
    path = _files(sample_landing, "facebook/harbor_fb", "*_Follows.csv")[0]
    raw = path.read_bytes()
    assert raw.startswith(b"\xff\xfe"), "UTF-16 LE"
    lines = raw[2:].decode("utf-16-le").splitlines()
    assert lines[0] == "sep=,"
    assert lines[1].strip('"') == "Facebook follows"
    assert lines[2] == '"Date","Primary"'
    assert re.fullmatch(r'"\d{4}-\d{2}-\d{2}T00:00:00","\d+"', lines[3])
    ig = _files(sample_landing, "instagram/harbor_ig", "*_Follows.csv")[0]
    assert ig.read_bytes()[2:].decode("utf-16-le").splitlines()[1].strip('"') == "Instagram follows"


def test_instagram_numbers_are_quoted_with_thousands(sample_landing: Path) -> None:
    path = _files(sample_landing, "instagram/harbor_ig", "Aug-01-2026_*_17841403719082215.csv")[0]
    text = path.read_text(encoding="utf-8-sig")
    assert re.search(r'"\d{1,3}(,\d{3})+"', text)
    assert _csv_rows(path)[0] == H.INSTAGRAM_POSTS_EN


def test_both_x_formats(sample_landing: Path) -> None:
    legacy = _files(sample_landing, "x/harbor_x", "tweet_activity_metrics_HarborHelp_*_en.csv")
    assert legacy, "legacy file named tweet_activity_metrics_<handle>_<start>_<end>_<lang>.csv"
    rows = _csv_rows(legacy[0], "utf-8")
    assert len(rows[0]) == 40
    col = {h: i for i, h in enumerate(rows[0])}
    assert all(
        re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} \+0000", r[col["time"]]) for r in rows[1:]
    )
    assert all(r[col["impressions"]].endswith(".0") for r in rows[1:])
    assert {r[col["promoted impressions"]] for r in rows[1:]} == {"-"}
    new = _files(sample_landing, "x/harbor_x", "account_analytics_content_*.csv")[0]
    nrows = _csv_rows(new, "utf-8")
    assert nrows[0] == H.X_CONTENT_POSTS
    assert re.fullmatch(r"[A-Z][a-z]{2}, [A-Z][a-z]{2} \d{2}, \d{4}", nrows[1][1])
    overview = _files(sample_landing, "x/harbor_x", "account_overview_analytics_*.csv")[0]
    assert _csv_rows(overview, "utf-8")[0] == H.X_ACCOUNT_OVERVIEW


def test_linkedin_workbooks_have_a_note_row(sample_landing: Path) -> None:
    content = _files(sample_landing, "linkedin/harbor_li", "*_content_*.xlsx")[0]
    book = openpyxl.load_workbook(content, read_only=True)
    assert {"All posts", "Metrics"} <= set(book.sheetnames)
    rows = list(book["All posts"].iter_rows(values_only=True))
    assert rows[0][0] and rows[0][1] is None, "row 1 is a note"
    assert list(rows[1]) == H.LINKEDIN_CONTENT_EN
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", rows[2][5])
    followers = _files(sample_landing, "linkedin/harbor_li", "*_followers_*.xlsx")[0]
    frows = list(
        openpyxl.load_workbook(followers, read_only=True)["New followers"].iter_rows(
            values_only=True
        )
    )
    assert list(frows[1]) == H.LINKEDIN_FOLLOWERS_EN
    de = _files(sample_landing, "linkedin/nordhafen_li", "*_content_*.xlsx")[0]
    drows = list(
        openpyxl.load_workbook(de, read_only=True)["All posts"].iter_rows(values_only=True)
    )
    assert drows[1][4] == "Gepostet von"
    assert re.fullmatch(r"\d{2}\.\d{2}\.\d{4}", drows[2][5])


def test_a_reexport_carries_larger_lifetime_totals(sample_landing: Path) -> None:
    first = _files(
        sample_landing, "facebook/harbor_fb", "Aug-01-2026_Oct-31-2026_104835129933411.csv"
    )[0]
    later = _files(
        sample_landing, "facebook/harbor_fb", "Aug-01-2026_Oct-31-2026_104835129933411 (1).csv"
    )[0]
    assert later.stat().st_mtime > first.stat().st_mtime, "downloaded later"
    a = pd.read_csv(first, dtype=str, encoding="utf-8-sig").set_index("Post ID")
    b = pd.read_csv(later, dtype=str, encoding="utf-8-sig").set_index("Post ID")
    common = a.index.intersection(b.index)
    assert len(common) > 10
    ra, rb = a.loc[common, "Reactions"].astype(int), b.loc[common, "Reactions"].astype(int)
    assert (rb >= ra).all() and (rb > ra).any()


def test_engagement_sits_near_the_published_medians() -> None:
    accounts = {
        a.account_key: a
        for a in read_accounts(PROJECT_ROOT / "seeds/organizations/social_accounts.csv")
    }
    days = pd.date_range("2024-11-01", "2026-10-31")
    medians = {}
    for key, platform in [("harbor_fb", "facebook"), ("harbor_ig", "instagram"), ("harbor_x", "x")]:
        followers = simulate_followers(accounts[key], days, 20261123)
        posts = simulate_posts(accounts[key], days[0].date(), days[-1].date(), followers, 20261123)
        numerator = {
            "facebook": ["reactions", "comments", "shares"],
            "instagram": ["likes", "comments"],
            "x": ["likes", "reposts", "replies"],
        }[platform]
        parts = posts[numerator].sum(axis=1)
        medians[platform] = float(np.median(parts / posts["followers_at_post"]))
    # all-industry medians 2019-2023 (FACTS.md): FB 0.06-0.09 %, IG 0.47-1.6 %, X 0.035-0.045 %
    assert 0.0003 < medians["facebook"] < 0.002
    assert 0.003 < medians["instagram"] < 0.02
    assert 0.0002 < medians["x"] < 0.001


def test_committed_sample_seeds_match_the_generator() -> None:
    for name, frame in sample_seeds.all_frames(20261123).items():
        committed = (PROJECT_ROOT / "seeds" / "organizations" / name).read_text(encoding="utf-8")
        assert sample_seeds.render(frame) == committed, (
            f"{name}: run `social-warehouse sample-seeds`"
        )


@pytest.mark.parametrize("kind", ["facebook_posts", "linkedin_posts", "linkedin_followers"])
def test_localised_headers_are_marked_unconfirmed(kind: str) -> None:
    aliases = pd.read_csv(PROJECT_ROOT / "seeds/config/header_aliases.csv", dtype=str)
    rows = aliases[(aliases.export_kind == kind) & (aliases.header_locale != "en")]
    assert len(rows) >= 8
    assert set(rows.alias_status) == {"unconfirmed"}


# --- TikTok Studio and YouTube Studio (research of issue 14) ---------------------------

MONTH_NAMES = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
)
BOM = b"\xef\xbb\xbf"


def _accounts() -> dict:
    return {
        a.account_key: a
        for a in read_accounts(PROJECT_ROOT / "seeds/organizations/social_accounts.csv")
    }


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def _downloaded_at(path: Path, account: str) -> pd.Timestamp:
    tz = _accounts()[account].time_zone
    return pd.Timestamp(path.stat().st_mtime, unit="s", tz="UTC").tz_convert(tz)


def _tiktok_rows(raw: bytes) -> list[list[str]]:
    """Rows of a TikTok CSV, after checking its shape: BOM, every field quoted, no
    newline at the end."""
    assert raw.startswith(BOM), "UTF-8 with BOM"
    assert not raw.endswith(b"\n"), "no newline at the end"
    text = raw[3:].decode("utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    again = io.StringIO()
    csv.writer(again, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    assert again.getvalue().removesuffix("\n") == text, "every field quoted"
    return rows


def _day_label(day: pd.Timestamp, day_first: bool) -> str:
    month = MONTH_NAMES.split("|")[day.month - 1]
    return f"{day.day} {month}" if day_first else f"{month} {day.day}"


def test_tiktok_downloads_are_one_zip_per_section(sample_landing: Path) -> None:
    overviews = _files(sample_landing, "tiktok/prairie_tt", "Overview_*.zip")
    assert len(overviews) >= 20, "monthly downloads"
    for path in overviews:
        m = re.fullmatch(r"Overview_(\d{4}-\d{2}-\d{2})_(\d{10})_prairiemembers\.zip", path.name)
        assert m, path.name
        assert int(m.group(2)) == int(path.stat().st_mtime), "epoch in the name = download"
        assert list(_members(path)) == H.TIKTOK_OVERVIEW_FILES
    followers = _files(sample_landing, "tiktok/prairie_tt", "Followers_*.zip")
    names = {p.name for p in followers}
    assert {"Followers_prairiemembers.zip", "Followers_prairiemembers (1).zip"} <= names
    assert len(names) == len(overviews)
    content = _files(sample_landing, "tiktok/prairie_tt", "Content_*.zip")
    assert "Content_prairiemembers.zip" in {p.name for p in content}
    assert len(content) > 2 * len(overviews) - 4, "Content every two weeks"
    for path in [*followers, *content]:
        assert re.fullmatch(r"(Followers|Content)_prairiemembers( \(\d+\))?\.zip", path.name)
    for path in [overviews[3], followers[3], content[3]]:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
        assert all(i.compress_type == zipfile.ZIP_STORED for i in infos), "stored"
        assert all("/" not in i.filename for i in infos), "entries at the root"
        local = _downloaded_at(path, "prairie_tt")
        assert {i.date_time for i in infos} == {local.timetuple()[:6]}
    assert list(_members(followers[0])) == H.TIKTOK_FOLLOWERS_FILES
    assert list(_members(content[0])) == H.TIKTOK_CONTENT_FILES


def test_tiktok_csvs_and_their_dates(sample_landing: Path) -> None:
    for account, day_first in [("prairie_tt", False), ("nordhafen_tt", True)]:
        folder = f"tiktok/{account}"
        day = rf"\d{{1,2}} ({MONTH_NAMES})" if day_first else rf"({MONTH_NAMES}) \d{{1,2}}"
        overview = _files(sample_landing, folder, "Overview_*.zip")[5]
        rows = _tiktok_rows(_members(overview)["Overview.csv"])
        assert rows[0] == H.TIKTOK_OVERVIEW
        assert 28 <= len(rows) - 1 <= 60
        assert all(re.fullmatch(day, r[0]) for r in rows[1:]), "no year, ever"
        start = pd.Timestamp(overview.name.split("_")[1])
        assert rows[1][0] == _day_label(start, day_first), "name date = first day"
        downloaded = _downloaded_at(overview, account)
        yesterday = downloaded.normalize() - pd.Timedelta(days=1)
        assert rows[-1][0] == _day_label(yesterday, day_first)
        assert rows[-1][1:] == ["undefined"] * 5, "yesterday is not settled yet"
        assert all(re.fullmatch(r"-?\d+", v) for r in rows[1:-1] for v in r[1:])
        members = _members(_files(sample_landing, folder, "Followers_*.zip")[0])
        expected = [
            H.TIKTOK_FOLLOWER_HISTORY,
            H.TIKTOK_FOLLOWER_ACTIVITY,
            H.TIKTOK_FOLLOWER_GENDER,
            H.TIKTOK_FOLLOWER_TERRITORIES,
        ]
        for data, header in zip(members.values(), expected, strict=True):
            assert _tiktok_rows(data)[0] == header
        content = _files(sample_landing, folder, "Content_*.zip")[0]
        crows = _tiktok_rows(_members(content)["Content.csv"])
        assert crows[0] == H.TIKTOK_CONTENT
        assert all(re.fullmatch(day, r[0]) and re.fullmatch(day, r[3]) for r in crows[1:])


def test_tiktok_video_ids_hold_the_post_time(sample_landing: Path) -> None:
    tz = _accounts()["prairie_tt"].time_zone
    for path in _files(sample_landing, "tiktok/prairie_tt", "Content_*.zip")[::5]:
        rows = _tiktok_rows(_members(path)["Content.csv"])[1:]
        assert 0 < len(rows) <= 15, "about 15 videos per download"
        downloaded = _downloaded_at(path, "prairie_tt")
        assert {r[0] for r in rows} == {_day_label(downloaded, False)}, "Time = snapshot day"
        for r in rows:
            m = re.fullmatch(r"https://www\.tiktok\.com/@prairiemembers/video/(\d{19})", r[2])
            assert m, r[2]
            posted = pd.Timestamp(int(m.group(1)) >> 32, unit="s", tz="UTC").tz_convert(tz)
            assert r[3] == _day_label(posted, False), "Post time = top 32 bits of the id"
            assert posted < downloaded - pd.Timedelta(days=3), "the last days are left out"


def test_tiktok_follower_history_difference_is_to_the_next_day(sample_landing: Path) -> None:
    path = _files(sample_landing, "tiktok/nordhafen_tt", "Followers_*.zip")[4]
    members = _members(path)
    rows = _tiktok_rows(members["FollowerHistory.csv"])[1:]
    followers = [int(r[1]) for r in rows]
    difference = [int(r[2]) for r in rows]
    assert difference[:-1] == [b - a for a, b in itertools.pairwise(followers)]
    assert difference[-1] == 0, "0 on the last row"
    activity = _tiktok_rows(members["FollowerActivity.csv"])[1:]
    assert len(activity) == 7 * 24, "the last 7 days, 24 hours each"
    assert [r[1] for r in activity[:24]] == [str(h) for h in range(24)]
    assert activity[-1][0] == rows[-1][0]
    gender = _tiktok_rows(members["FollowerGender.csv"])[1:]
    assert abs(sum(float(r[1]) for r in gender) - 1) < 1e-9
    territories = _tiktok_rows(members["FollowerTopTerritories.csv"])[1:]
    assert len(territories) <= 5 and territories[0][0] == "DE"
    assert all(
        re.fullmatch(r"[A-Z]{2}", r[0]) and re.fullmatch(r"0\.\d+", r[1]) for r in territories
    )


def test_tiktok_content_downloads_cover_the_posts(sample_landing: Path) -> None:
    seen: dict[str, list[int]] = {}
    for path in _files(sample_landing, "tiktok/prairie_tt", "Content_*.zip"):
        copy = re.search(r"\((\d+)\)", path.name)
        order = int(copy.group(1)) if copy else 0
        for r in _tiktok_rows(_members(path)["Content.csv"])[1:]:
            seen.setdefault(r[2].rsplit("/", 1)[1], []).append((order, int(r[7])))
    account = _accounts()["prairie_tt"]
    days = pd.date_range("2024-11-01", "2026-10-31")
    followers = simulate_followers(account, days, 20261123)
    posts = simulate_posts(account, days[0].date(), days[-1].date(), followers, 20261123)
    videos = tiktok_videos(account, posts, 20261123)
    older = videos[videos["local_time"] < pd.Timestamp("2026-10-27")]
    covered = older["video_id"].isin(list(seen)).mean()
    assert covered > 0.95, "a Content download every two weeks catches almost every video"
    for views in seen.values():
        totals = [v for _, v in sorted(views)]
        assert totals == sorted(totals), "lifetime totals never shrink"


def test_youtube_zips_as_downloaded(sample_landing: Path) -> None:
    for account, pattern, lang in [
        (
            "keystone_yt",
            r"Content 2024-11-01_(\d{4}-\d{2}-\d{2}) Keystone Mutual Insurance\.zip",
            "en",
        ),
        ("rhein_yt", r"Videos 2024-11-01_(\d{4}-\d{2}-\d{2}) Rhein Versicherung AG\.zip", "de"),
    ]:
        zips = _files(sample_landing, f"youtube/{account}", "*.zip")
        assert len(zips) >= 20, "monthly downloads"
        for path in zips:
            m = re.fullmatch(pattern, path.name)
            assert m, path.name
            assert list(_members(path)) == H.YOUTUBE_FILES[lang]
            assert _downloaded_at(path, account).date() > pd.Timestamp(m.group(1)).date()


def test_youtube_table_data_starts_with_the_total_row(sample_landing: Path) -> None:
    zips = _files(sample_landing, "youtube/keystone_yt", "*.zip")
    first = _members(zips[0])
    header = next(csv.reader(io.StringIO(first["Table data.csv"].decode())))
    assert header == H.YOUTUBE_TABLE_EN_OLDER, "downloads before 2025 say Impressions"
    path = zips[10]
    members = _members(path)
    assert not members["Table data.csv"].startswith(BOM)
    table = list(csv.reader(io.StringIO(members["Table data.csv"].decode("utf-8"))))
    assert table[0] == H.YOUTUBE_TABLE_EN
    col = {h: i for i, h in enumerate(table[0])}
    total, videos = table[1], table[2:]
    assert total[:4] == ["Total", "", "", ""]
    assert len(videos) > 30
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{10}[AEIMQUYcgkosw048]", r[0]) for r in videos)
    publish = [r[col["Video publish time"]] for r in videos]
    assert all(re.fullmatch(r"[A-Z][a-z]{2} \d{1,2}, \d{4}", p) for p in publish)
    assert f'"{publish[0]}"' in members["Table data.csv"].decode(), "quoted: it has a comma"
    for name in ["Views", "Likes", "Comments added", "Shares", "Thumbnail impressions"]:
        assert int(total[col[name]]) == sum(int(r[col[name]]) for r in videos), name
    views = [int(r[col["Views"]]) for r in videos]
    assert views == sorted(views, reverse=True)
    totals = list(csv.reader(io.StringIO(members["Totals.csv"].decode())))
    assert totals[0] == H.YOUTUBE_TOTALS_EN
    days = pd.to_datetime([r[0] for r in totals[1:]], format="%Y-%m-%d")
    start, end = re.search(r"(\S+)_(\S+)", path.name).groups()
    assert list(days) == list(pd.date_range(start, end)), "every day of the range"
    assert int(total[col["Subscribers"]]) == sum(int(r[1]) for r in totals[1:])
    chart = list(csv.reader(io.StringIO(members["Chart data.csv"].decode())))
    assert chart[0] == H.YOUTUBE_CHART_EN
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", r[0]) for r in chart[1:])
    plotted = {r[1] for r in chart[1:]}
    assert plotted == {r[0] for r in videos[:5]}, "the chart plots the top rows"


def test_german_youtube_export(sample_landing: Path) -> None:
    path = _files(sample_landing, "youtube/rhein_yt", "*.zip")[-1]
    members = _members(path)
    table = list(csv.reader(io.StringIO(members["Tabellendaten.csv"].decode("utf-8"))))
    assert table[0] == H.localise(H.YOUTUBE_TABLE_EN, H.YOUTUBE_TABLE_DE)
    assert table[0][:3] == ["Videos", "Videotitel", "Veröffentlichungszeitpunkt des Videos"]
    assert table[1][0] == "Gesamt"
    col = {h: i for i, h in enumerate(table[0])}
    hours = [r[col["Wiedergabezeit (Stunden)"]] for r in table[1:]]
    assert all(re.fullmatch(r"\d+(,\d+)?", h) for h in hours) and any("," in h for h in hours)
    chart = list(csv.reader(io.StringIO(members["Diagrammdaten.csv"].decode())))
    assert chart[0] == [
        "Datum",
        "Videos",
        "Videotitel",
        *H.localise(H.YOUTUBE_CHART_EN[3:], H.YOUTUBE_TABLE_DE),
    ]
    totals = list(csv.reader(io.StringIO(members["Gesamtwerte.csv"].decode())))
    assert totals[0] == ["Datum", "Abonnenten"]


def test_youtube_figures_are_lifetime_totals_as_of_each_download(sample_landing: Path) -> None:
    history: dict[str, list[int]] = {}
    for path in _files(sample_landing, "youtube/keystone_yt", "*.zip"):
        table = list(csv.reader(io.StringIO(_members(path)["Table data.csv"].decode())))
        for r in table[2:]:
            history.setdefault(r[0], []).append(int(r[4]))
    assert all(v == sorted(v) for v in history.values()), "totals only grow"
    assert any(v[0] < v[-1] for v in history.values())


def test_tiktok_and_youtube_sit_near_the_benchmarks() -> None:
    accounts = _accounts()
    days = pd.date_range("2024-11-01", "2026-10-31")
    for key in ["prairie_tt", "nordhafen_tt", "keystone_yt", "rhein_yt"]:
        account = accounts[key]
        followers = simulate_followers(account, days, 20261123)
        posts = simulate_posts(account, days[0].date(), days[-1].date(), followers, 20261123)
        weeks = len(days) / 7
        if account.platform == "tiktok":
            videos = tiktok_videos(account, posts, 20261123)
            engaged = videos["likes"] + videos["comments"] + videos["shares"]
            # Rival IQ 2024 TikTok medians: 2.6 % by follower, 3.4 % by view
            assert 0.02 < np.median(engaged / videos["followers_at_post"]) < 0.032, key
            assert 0.028 < np.median(engaged / videos["views"]) < 0.04, key
            assert 2.0 <= len(videos) / weeks <= 3.0, key
        else:
            videos = youtube_videos(account, posts, 20261123)
            engaged = videos["likes"] + videos["comments"]
            assert 0.01 < np.median(engaged / videos["followers_at_post"]) < 0.03, key
            assert 0.8 <= len(videos) / weeks <= 1.3, key


def test_tiktok_and_youtube_zips_are_byte_identical_for_a_seed(tmp_path: Path) -> None:
    keys = ("prairie_tt", "rhein_yt")
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate(GeneratorConfig(landing_dir=a, accounts=keys))
    generate(GeneratorConfig(landing_dir=b, accounts=keys))
    generate(GeneratorConfig(landing_dir=c, accounts=keys, seed=7))
    assert _digest(a) == _digest(b)
    assert _digest(a) != _digest(c)


def test_tiktok_and_youtube_headers_are_documented(export_formats_doc: str) -> None:
    doc = " ".join(export_formats_doc.split())
    if "Video Views" not in doc or "Watch time (hours)" not in doc:
        pytest.skip("docs/export_formats.md does not describe TikTok and YouTube exports yet")
    written = set(H.TIKTOK_OVERVIEW + H.TIKTOK_FOLLOWER_HISTORY + H.TIKTOK_CONTENT)
    written |= set(H.YOUTUBE_TABLE_EN + H.YOUTUBE_TABLE_EN_OLDER + H.YOUTUBE_CHART_EN)
    written |= set(H.YOUTUBE_TOTALS_EN)
    assert sorted(h for h in written if h not in doc) == []
