"""TikTok Studio and YouTube Studio exports, as they are downloaded.

Both follow the research on the real export formats (issue 14: TikTok section 1,
YouTube section 2).

TikTok Studio, "Analytics" -> "Download data": one zip per section, downloaded as
  `Overview_<window start>_<unix seconds>_<handle>.zip`  -> Overview.csv
  `Followers_<handle>.zip`  -> FollowerHistory.csv, FollowerActivity.csv,
                               FollowerGender.csv, FollowerTopTerritories.csv
  `Content_<handle>.zip`    -> Content.csv
Entries sit at the root, stored uncompressed. The CSVs are UTF-8 with a BOM, every
field quoted, no newline at the end. Headers stay English whatever the UI language;
dates have no year. The Followers and Content zips carry no date in their names, so a
browser saves the second download as `Followers_<handle> (1).zip`, and so on.

YouTube Studio, Advanced mode, Content tab (German UI: "Videos"), "Export current view"
-> `<tab> <start>_<end> <channel name>.zip` holding Table data.csv (header, the Total
row, one row per video), Chart data.csv (long: one row per day and plotted video) and
Totals.csv (the chart metric per day, channel-wide), with localised file names.

The teams' download habits (an assumption of the sample, not of the research):
- TikTok: Overview and Followers once a month (the 1st, the last 60 days up to yesterday,
  whose Overview row is still `undefined`), Content every two weeks (Content.csv holds
  only about 15 recent videos, so a longer gap would miss videos).
- YouTube: once a month (the 2nd), a custom range from the start of the sample period to
  the end of the previous month. Every video in the file was published in that range, so
  its figures are its lifetime totals as of the end of the range.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from social_warehouse.generator import headers as H
from social_warehouse.generator.simulate import (
    PLATFORM_LEVELS,
    Account,
    account_rng,
    lifetime_fraction,
)

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
MONTHS_SHORT = [m[:3] for m in MONTHS]

TIKTOK_WINDOW_DAYS = 60  # "Last 60 days" (clipped to the start of the sample period)
TIKTOK_CONTENT_EVERY_DAYS = 14
TIKTOK_CONTENT_ROWS = 15  # Content.csv holds about 15 videos (research 1.4)
TIKTOK_CONTENT_LAG_DAYS = 4  # ... and leaves out those of the last days before the download
TIKTOK_ACTIVITY_DAYS = 7  # FollowerActivity.csv: the last 7 days only, 24 rows per day
# Share of a day's comments deleted again: Overview's daily comments can be -1 (research 1.4).
TIKTOK_NEGATIVE_COMMENTS_P = 0.03
# Chart data.csv holds the videos plotted in the chart: the top 5 rows of the table, from
# each one's publish day (an assumption: the research says only that the file is long).
YOUTUBE_PLOTTED_VIDEOS = 5
# YouTube renamed Impressions to Thumbnail impressions; downloads before this day say
# "Impressions" / "Impressions click-through rate (%)".
YOUTUBE_THUMBNAIL_NAMES_SINCE = date(2025, 1, 1)
HORIZON_DAYS = {"tiktok": 14, "youtube": 150}  # a video's figures have all come in by then

TIKTOK_TITLES = {
    "en": [
        "3 money habits we wish we'd learned at 20 💸 #moneytok #personalfinance",
        "POV: your first paycheck just landed #budgeting #creditunion",
        'How to spot a scam text in 10 seconds 🚩 #fraudalert "never share your code"',
        "A day at our Main Street branch ☀️ #banklife #community",
        "Savings challenge, week 1 💪 #savingmoney",
        "What is a credit score, really? #financetips",
    ],
    "de": [
        "3 Spartipps, die wirklich funktionieren 💶 #finanzen #sparen",
        "Phishing-SMS in 10 Sekunden erkennen 🚩 #betrug #sicherheit",
        "Ein Tag in unserer Filiale am Hafen ⚓ #banking #hamburg",
        "Ausbildung bei uns: eure Fragen, unsere Antworten #ausbildung #karriere",
        "Was ist eigentlich die Schufa? #finanzwissen",
    ],
}
YOUTUBE_TITLES = {
    "en": [
        "Home insurance explained in 5 minutes",
        "What to do after a car accident, step by step",
        "Meet our claims team | Behind the scenes",
        "Term vs. whole life insurance, simply explained",
        "Storm season checklist for homeowners",
        "3 ways to lower your premium",
    ],
    "de": [
        "Hausratversicherung einfach erklärt",
        "Was tun nach einem Autounfall? Schritt für Schritt",
        "Unser Schadenteam stellt sich vor",
        "Berufsunfähigkeit: Warum sie jeden treffen kann",
        "Unwetter-Checkliste für Hausbesitzer",
        "3 Wege, beim Beitrag zu sparen",
    ],
}
# Audience snapshots (FollowerGender, FollowerTopTerritories): ISO-2 codes, at most 5.
TERRITORIES = {
    "en": [("US", 0.914), ("CA", 0.021), ("MX", 0.011), ("GB", 0.008), ("PH", 0.006)],
    "de": [("DE", 0.874), ("AT", 0.047), ("CH", 0.029), ("TR", 0.008), ("PL", 0.006)],
}
FEMALE_SHARE = {"en": 0.57, "de": 0.49}


# --- shared helpers ------------------------------------------------------------------


def _lang(account: Account) -> str:
    return "de" if account.locale.split("_")[0] == "de" else "en"


def _moment(account: Account, day: date, hour: int, minute: int) -> pd.Timestamp:
    local = pd.Timestamp(day) + pd.Timedelta(hours=hour, minutes=minute)
    return local.tz_localize(ZoneInfo(account.time_zone))


def _download_days(config, every_days: int | None) -> list[date]:
    """Download days: each 1st of a month (or every `every_days` days) after the first day
    of the period, and always the day after its last day."""
    first = pd.Timestamp(config.first_day)
    after_last = pd.Timestamp(config.last_day) + pd.Timedelta(days=1)
    if every_days:
        days = pd.date_range(
            first + pd.Timedelta(days=every_days), after_last, freq=f"{every_days}D"
        )
    else:
        days = pd.date_range(first + pd.Timedelta(days=1), after_last, freq="MS")
    out = [d.date() for d in days]
    if not out or out[-1] != after_last.date():
        out.append(after_last.date())
    return out


def _write_zip(
    path: Path, members: list[tuple[str, bytes]], moment: pd.Timestamp, compression: int
) -> None:
    """A zip whose bytes depend only on its members and the download moment."""
    stamp = moment.tz_localize(None).to_pydatetime().timetuple()[:6]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = compression
            info.create_system = 0
            info.external_attr = 0
            zf.writestr(info, data)
    path.write_bytes(buf.getvalue())
    ts = moment.timestamp()
    os.utime(path, (ts, ts))  # the browser's download time


def _copy_name(stem: str, copy: int) -> str:
    """How a browser names the n-th download of a file name it already saved."""
    return f"{stem} ({copy}).zip" if copy else f"{stem}.zip"


def _cumulative(final: np.ndarray, published: np.ndarray, horizon: int, tau_h: float) -> np.ndarray:
    """Each video's lifetime figure at the end of its k-th day (k = 0: its publish day)."""
    pub = published.astype("datetime64[ns]")
    day_ends = (pub.astype("datetime64[D]")[:, None] + np.arange(1, horizon + 1)).astype(
        "datetime64[ns]"
    )
    age_h = (day_ends - pub[:, None]) / np.timedelta64(1, "h")
    return np.floor(final[:, None] * lifetime_fraction(age_h, tau_h)).astype(np.int64)


def _at(final: np.ndarray, published: np.ndarray, moment_local: pd.Timestamp, tau_h: float):
    """Lifetime figures as of a local moment."""
    age_h = (np.datetime64(moment_local.to_datetime64(), "ns") - published) / np.timedelta64(1, "h")
    return np.floor(final * lifetime_fraction(age_h, tau_h)).astype(np.int64)


def _positional(values, digits: int, comma: bool = False) -> list[str]:
    """Decimals as the platforms print them: rounded, no trailing zeros."""
    text = [
        np.format_float_positional(round(float(v), digits), trim="-")
        for v in np.asarray(values, dtype=float)
    ]
    return [t.replace(".", ",") for t in text] if comma else text


def _titles(pool: dict[str, list[str]], lang: str, seq: np.ndarray) -> np.ndarray:
    titles = np.array(pool[lang], dtype=object)
    return titles[seq % len(titles)]


# --- TikTok ---------------------------------------------------------------------------


def tiktok_videos(account: Account, posts: pd.DataFrame, seed: int) -> pd.DataFrame:
    """The simulated posts as TikTok videos: views and 19-digit video ids.

    A TikTok video id holds the post's Unix time in its top 32 bits:
    id = (unix_seconds << 32) | 32 random bits (research 1.5).
    """
    rng = account_rng(seed, account.account_key, "tiktok/videos")
    n = len(posts)
    engaged = (posts["likes"] + posts["comments"] + posts["shares"]).to_numpy()
    view_rate = PLATFORM_LEVELS["tiktok"]["view_rate"]
    views = np.maximum(
        engaged / (view_rate * rng.lognormal(0.0, 0.35, n)), engaged + rng.integers(40, 400, n)
    ).astype(np.int64)
    utc = (
        pd.DatetimeIndex(posts["local_time"])
        .tz_localize(ZoneInfo(account.time_zone))
        .tz_convert("UTC")
        .tz_localize(None)
    )
    unix = utc.to_numpy().astype("datetime64[s]").astype(np.int64).astype(np.uint64)
    ids = (unix << np.uint64(32)) | rng.integers(0, 2**32, n, dtype=np.uint64)
    return posts.assign(views=views, video_id=ids.astype(str))


def _tiktok_days(days, account: Account) -> list[str]:
    """`September 25` (US English). No year, ever.

    Month names follow the UI language, headers stay English (research 1.5). No German
    file was found, so the German accounts get English month names too, day first as
    English exports from day-first locales were seen to write them (`28 August`).
    """
    idx = pd.DatetimeIndex(days)
    months = np.array(MONTHS, dtype=object)[idx.month - 1]
    if account.locale == "en_US":
        return [f"{m} {d}" for m, d in zip(months, idx.day, strict=True)]
    return [f"{d} {m}" for m, d in zip(months, idx.day, strict=True)]


def _csv_text(header: list[str], columns: list, quoting: int) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=quoting, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(zip(*columns, strict=True))
    return buf.getvalue()


def _tiktok_csv(header: list[str], columns: list) -> bytes:
    """UTF-8 with BOM, every field quoted, no newline at the end."""
    text = _csv_text(header, columns, csv.QUOTE_ALL)
    return ("\ufeff" + text.removesuffix("\n")).encode("utf-8")


def write_tiktok(account, posts, followers, config, out, summary) -> None:
    level = PLATFORM_LEVELS["tiktok"]
    posts = tiktok_videos(account, posts, config.seed)
    published = posts["local_time"].to_numpy().astype("datetime64[ns]")
    days = pd.DatetimeIndex(followers["day"])
    n_days = len(days)
    first = np.datetime64(config.first_day, "D")

    # settled daily figures, the same in every download that covers a day
    horizon = HORIZON_DAYS["tiktok"]
    offset = (published.astype("datetime64[D]") - first).astype(np.int64)[:, None] + np.arange(
        horizon
    )
    inside = offset < n_days
    daily = {}
    for col in ["views", "likes", "comments", "shares"]:
        cum = _cumulative(posts[col].to_numpy(), published, horizon, level["tau_h"])
        step = np.diff(cum, axis=1, prepend=0)
        daily[col] = np.zeros(n_days, dtype=np.int64)
        np.add.at(daily[col], offset[inside], step[inside])
    rng = account_rng(config.seed, account.account_key, "tiktok/daily")
    profile_views = rng.binomial(daily["views"], 0.012) + rng.poisson(2.0, n_days)
    deleted = (daily["comments"] == 0) & (rng.random(n_days) < TIKTOK_NEGATIVE_COMMENTS_P)
    daily["comments"] = np.where(deleted, -1, daily["comments"])
    totals = followers["followers_total"].to_numpy()
    labels = np.array(_tiktok_days(days, account), dtype=object)

    for copy, day in enumerate(_download_days(config, None)):
        moment = _moment(account, day, 10, 15 + copy % 30)
        end = min(day - timedelta(days=1), config.last_day)
        start = max(day - timedelta(days=TIKTOK_WINDOW_DAYS), config.first_day)
        i0, i1 = (start - config.first_day).days, (end - config.first_day).days + 1
        window = days[i0:i1]
        _write_tiktok_overview(
            account, out, summary, moment, window, labels, daily, profile_views, i0, i1, end, day
        )
        _write_tiktok_followers(
            account,
            config,
            out,
            summary,
            moment + pd.Timedelta(minutes=1),  # the next section, a minute later
            copy,
            labels[i0:i1],
            totals[i0:i1],
        )
    for copy, day in enumerate(_download_days(config, TIKTOK_CONTENT_EVERY_DAYS)):
        moment = _moment(account, day, 9, 5 + copy % 50)
        _write_tiktok_content(account, posts, published, config, out, summary, moment, copy, day)


def _write_tiktok_overview(
    account, out, summary, moment, window, labels, daily, profile_views, i0, i1, end, day
) -> None:
    values = [
        daily["views"][i0:i1],
        profile_views[i0:i1],
        daily["likes"][i0:i1],
        daily["comments"][i0:i1],
        daily["shares"][i0:i1],
    ]
    columns = [labels[i0:i1]] + [v.astype(str).astype(object) for v in values]
    if end == day - timedelta(days=1):
        # yesterday has no settled numbers yet: TikTok writes the literal `undefined`
        for col in columns[1:]:
            col[-1] = "undefined"
    data = _tiktok_csv(H.TIKTOK_OVERVIEW, columns)
    name = f"Overview_{window[0]:%Y-%m-%d}_{int(moment.timestamp())}_{account.handle}.zip"
    _write_zip(out / name, [("Overview.csv", data)], moment, zipfile.ZIP_STORED)
    summary.add("tiktok_overview", len(window))


def _write_tiktok_followers(account, config, out, summary, moment, copy, labels, followers):
    rng = account_rng(config.seed, account.account_key, f"tiktok/audience/{copy}")
    lang = _lang(account)
    n = len(labels)
    # "Difference in followers from previous day" is the change to the NEXT day:
    # followers[D+1] - followers[D], and 0 on the last row (research 1.4)
    difference = np.append(np.diff(followers), 0)
    history = _tiktok_csv(
        H.TIKTOK_FOLLOWER_HISTORY,
        [labels, followers.astype(str), difference.astype(str)],
    )
    last = labels[-TIKTOK_ACTIVITY_DAYS:]
    hours = np.arange(24)
    shape = (
        0.02 + 0.10 * np.exp(-((hours - 19.5) ** 2) / 8) + 0.06 * np.exp(-((hours - 11.5) ** 2) / 5)
    )
    active = np.rint(
        followers[-len(last) :, None] * shape * rng.lognormal(0.0, 0.08, (len(last), 24))
    ).astype(np.int64)
    activity = _tiktok_csv(
        H.TIKTOK_FOLLOWER_ACTIVITY,
        [
            np.repeat(last, 24),
            np.tile(hours.astype(str), len(last)),
            active.ravel().astype(str),
        ],
    )
    female = round(FEMALE_SHARE[lang] + float(rng.normal(0, 0.01)), 2)
    gender = _tiktok_csv(
        H.TIKTOK_FOLLOWER_GENDER,
        [["Female", "Male"], _positional([female, 1 - female], 2)],
    )
    codes, shares = zip(*TERRITORIES[lang], strict=True)
    share = np.array(shares) * rng.lognormal(0.0, 0.05, len(shares))
    share = share / share.sum() * sum(shares)
    territories = _tiktok_csv(H.TIKTOK_FOLLOWER_TERRITORIES, [list(codes), _positional(share, 3)])
    members = [
        ("FollowerHistory.csv", history),
        ("FollowerActivity.csv", activity),
        ("FollowerGender.csv", gender),
        ("FollowerTopTerritories.csv", territories),
    ]
    path = out / _copy_name(f"Followers_{account.handle}", copy)
    _write_zip(path, members, moment, zipfile.ZIP_STORED)
    summary.add("tiktok_followers", n)


def _write_tiktok_content(
    account, posts, published, config, out, summary, moment, copy, day
) -> None:
    """About 15 recent videos with their lifetime totals as of the download."""
    cutoff = np.datetime64(day - timedelta(days=TIKTOK_CONTENT_LAG_DAYS - 1), "ns")
    recent = np.flatnonzero(published < cutoff)[-TIKTOK_CONTENT_ROWS:]
    snap = posts.iloc[recent]
    local_moment = moment.tz_localize(None)
    tau = PLATFORM_LEVELS["tiktok"]["tau_h"]
    pub = published[recent]
    totals = {
        c: _at(snap[c].to_numpy(), pub, local_moment, tau)
        for c in ["likes", "comments", "shares", "views"]
    }
    # no clear sort order in the real files: roughly by views, with exceptions
    rng = account_rng(config.seed, account.account_key, f"tiktok/content/{copy}")
    order = np.argsort(-(totals["views"] * rng.lognormal(0.0, 0.4, len(snap))), kind="stable")
    n = len(snap)
    columns = [
        [_tiktok_days([day], account)[0]] * n,
        _titles(TIKTOK_TITLES, _lang(account), snap["seq"].to_numpy()),
        [f"https://www.tiktok.com/@{account.handle}/video/{v}" for v in snap["video_id"]],
        _tiktok_days(snap["local_time"], account),
        totals["likes"].astype(str),
        totals["comments"].astype(str),
        totals["shares"].astype(str),
        totals["views"].astype(str),
    ]
    columns = [np.asarray(c, dtype=object)[order] for c in columns]
    data = _tiktok_csv(H.TIKTOK_CONTENT, columns)
    path = out / _copy_name(f"Content_{account.handle}", copy)
    _write_zip(path, [("Content.csv", data)], moment, zipfile.ZIP_STORED)
    summary.add("tiktok_content", n)


# --- YouTube --------------------------------------------------------------------------

_YOUTUBE_ID_CHARS = np.array(
    list("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
)
_YOUTUBE_ID_LAST = np.array(list("AEIMQUYcgkosw048"))  # an id's 11th character carries 4 bits


def _youtube_ids(rng: np.random.Generator, n: int) -> np.ndarray:
    ids = np.array([], dtype=object)
    while len(ids) < n or len(set(ids)) < n:
        head = _YOUTUBE_ID_CHARS[rng.integers(0, 64, (n, 10))]
        last = _YOUTUBE_ID_LAST[rng.integers(0, 16, n)]
        ids = np.array(["".join(h) + t for h, t in zip(head, last, strict=True)], dtype=object)
    return ids


def youtube_videos(account: Account, posts: pd.DataFrame, seed: int) -> pd.DataFrame:
    """The simulated posts as YouTube videos (about a third of them Shorts)."""
    rng = account_rng(seed, account.account_key, "youtube/videos")
    n = len(posts)
    level = PLATFORM_LEVELS["youtube"]
    short = rng.random(n) < 0.3
    duration = np.where(
        short,
        rng.integers(15, 61, n),
        np.clip(rng.lognormal(np.log(240), 0.6, n), 45, 1800),
    ).astype(np.int64)
    engaged = (posts["likes"] + posts["comments"]).to_numpy()
    views = np.maximum(
        engaged / (level["view_rate"] * rng.lognormal(0.0, 0.35, n)),
        engaged + rng.integers(20, 200, n),
    ).astype(np.int64)
    viewed = np.where(short, rng.uniform(0.6, 0.95, n), rng.uniform(0.2, 0.5, n))
    ctr = np.round(rng.uniform(2.0, 9.0, n), 2)
    return posts.assign(
        video_id=_youtube_ids(rng, n),
        duration=duration,
        short=short,
        views=views,
        watch_hours=views * duration * viewed / 3600,
        subscribers=rng.binomial(views, 0.004),
        shares=rng.binomial(views, 0.003),
        impressions=(views * rng.uniform(0.4, 0.7, n) / (ctr / 100)).astype(np.int64),
        ctr=ctr,
    )


@lru_cache(maxsize=8)
def _organization_names(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["organization_id"]: r["organization_name"] for r in csv.DictReader(fh)}


def _channel_name(account: Account, config) -> str:
    names = _organization_names(Path(config.accounts_csv).parent / "organizations.csv")
    return names.get(account.organization_id, account.handle)


def _publish_time(local_time: pd.Series) -> list[str]:
    """`Jan 6, 2024`. No German file showed its publish times, so the German exports use
    this English form as well (an assumption: research 2.2 gives only the English one)."""
    idx = pd.DatetimeIndex(local_time)
    months = np.array(MONTHS_SHORT, dtype=object)[idx.month - 1]
    return [f"{m} {d}, {y}" for m, d, y in zip(months, idx.day, idx.year, strict=True)]


def _youtube_csv(header: list[str], columns: list) -> bytes:
    """Plain CSV: UTF-8, quoted only where needed (`"Jan 6, 2024"`). Whether Studio writes a
    BOM is unconfirmed (research 2.2): none is written."""
    return _csv_text(header, columns, csv.QUOTE_MINIMAL).encode("utf-8")


def write_youtube(account, posts, followers, config, out, summary) -> None:
    tau = PLATFORM_LEVELS["youtube"]["tau_h"]
    horizon = HORIZON_DAYS["youtube"]
    lang = _lang(account)
    comma = lang == "de"  # German numbers take a decimal comma
    posts = youtube_videos(account, posts, config.seed)
    published = posts["local_time"].to_numpy().astype("datetime64[ns]")
    pub_day = published.astype("datetime64[D]")
    titles = _titles(YOUTUBE_TITLES, lang, posts["seq"].to_numpy())
    titles = np.where(posts["short"].to_numpy(), titles + " #Shorts", titles)
    publish_time = np.array(_publish_time(posts["local_time"]), dtype=object)
    subs_cum = _cumulative(posts["subscribers"].to_numpy(), published, horizon, tau)
    subs_step = np.diff(subs_cum, axis=1, prepend=0)
    # Totals.csv holds the chart's metric per day for the channel. The teams plot
    # Subscribers (not the default Views), so that the export gives the channel's daily
    # net subscribers; Chart data.csv then holds Subscribers per day and video too.
    net = (followers["new_follows"] - followers["unfollows"]).to_numpy()
    days = pd.DatetimeIndex(followers["day"])
    channel = _channel_name(account, config)
    tab, files = H.YOUTUBE_TAB[lang], H.YOUTUBE_FILES[lang]
    mapping = H.YOUTUBE_TABLE_DE if lang == "de" else None

    for day in _download_days(config, None):
        download = day + timedelta(days=1)  # the 2nd of the month
        moment = _moment(account, download, 9, 40)
        start, end = config.first_day, min(day - timedelta(days=1), config.last_day)
        n_range = (end - start).days + 1
        end_of_range = pd.Timestamp(end) + pd.Timedelta(days=1)
        shown = np.flatnonzero(pub_day <= np.datetime64(end, "D"))
        snap = {
            c: _at(posts[c].to_numpy()[shown], published[shown], end_of_range, tau)
            for c in ["views", "subscribers", "likes", "comments", "shares", "impressions"]
        }
        frac = lifetime_fraction(
            (np.datetime64(end_of_range.to_datetime64(), "ns") - published[shown])
            / np.timedelta64(1, "h"),
            tau,
        )
        watch = posts["watch_hours"].to_numpy()[shown] * frac
        order = np.argsort(-snap["views"], kind="stable")[:500]  # Studio exports 500 rows at most
        rows = shown[order]
        ctr = posts["ctr"].to_numpy()[rows]
        impressions = snap["impressions"][order]
        total_ctr = float((impressions * ctr).sum() / max(impressions.sum(), 1))
        header = (
            H.YOUTUBE_TABLE_EN
            if download >= YOUTUBE_THUMBNAIL_NAMES_SINCE
            else H.YOUTUBE_TABLE_EN_OLDER
        )
        table = _youtube_csv(
            H.localise(header, mapping),
            [
                [H.YOUTUBE_TOTAL_ROW[lang], *posts["video_id"].to_numpy()[rows]],
                ["", *titles[rows]],
                ["", *publish_time[rows]],
                ["", *posts["duration"].to_numpy()[rows].astype(str)],
                [str(snap["views"].sum()), *snap["views"][order].astype(str)],
                _positional([watch.sum(), *watch[order]], 4, comma),
                [str(net[:n_range].sum()), *snap["subscribers"][order].astype(str)],
                *[
                    [str(snap[c].sum()), *snap[c][order].astype(str)]
                    for c in ["likes", "comments", "shares", "impressions"]
                ],
                _positional([total_ctr, *ctr], 2, comma),
            ],
        )
        chart = _youtube_chart(
            account,
            posts,
            rows[:YOUTUBE_PLOTTED_VIDEOS],
            pub_day,
            subs_step,
            titles,
            publish_time,
            start,
            end,
            mapping,
        )
        totals = _youtube_csv(
            H.localise(H.YOUTUBE_TOTALS_EN, mapping),
            [days[:n_range].strftime("%Y-%m-%d"), net[:n_range].astype(str)],
        )
        name = f"{tab} {start:%Y-%m-%d}_{end:%Y-%m-%d} {channel}.zip"
        members = list(zip(files, [table, chart, totals], strict=True))
        _write_zip(out / name, members, moment, zipfile.ZIP_DEFLATED)
        summary.add("youtube_content", len(rows) + 1)


def _youtube_chart(
    account, posts, plotted, pub_day, subs_step, titles, publish_time, start, end, mapping
) -> bytes:
    """One row per day and plotted video, from the video's publish day to the range end."""
    first = np.maximum(pub_day[plotted], np.datetime64(start, "D"))
    lengths = (np.datetime64(end, "D") - first).astype(np.int64) + 1
    p = np.repeat(plotted, lengths)
    rank = np.repeat(np.arange(len(plotted)), lengths)
    within = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    day = np.repeat(first, lengths) + within
    k = (day - pub_day[p]).astype(np.int64)
    horizon = subs_step.shape[1]
    value = np.where(k < horizon, subs_step[p, np.minimum(k, horizon - 1)], 0)
    order = np.lexsort((rank, day))  # by day, then by the video's place in the table
    p, day, value = p[order], day[order], value[order]
    return _youtube_csv(
        H.localise(H.YOUTUBE_CHART_EN, mapping),
        [
            day.astype(str),
            posts["video_id"].to_numpy()[p],
            titles[p],
            publish_time[p],
            posts["duration"].to_numpy()[p].astype(str),
            value.astype(str),
        ],
    )
