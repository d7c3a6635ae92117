"""The generator writes what the platforms write (EXPORT_FORMATS.md), deterministically."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from social_warehouse.generator import GeneratorConfig, generate, sample_seeds
from social_warehouse.generator import headers as H
from social_warehouse.generator.simulate import read_accounts, simulate_followers, simulate_posts

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
