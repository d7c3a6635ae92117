"""Write native platform exports for the sample institutions.

Each platform's files are written the way the platform writes them
(EXPORT_FORMATS.md): encodings, preambles, header spellings by era and UI
language, number and date formats, lifetime totals as of the export date, and
file modification times equal to the download time. The same seed always
gives byte-identical files.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import xlsxwriter

from social_warehouse import settings
from social_warehouse.generator import headers as H
from social_warehouse.generator.ads import AD_MONTHS, write_ad_exports
from social_warehouse.generator.simulate import (
    PLATFORM_LEVELS,
    Account,
    lifetime_fraction,
    read_accounts,
    simulate_followers,
    simulate_posts,
)
from social_warehouse.generator.video import write_tiktok, write_youtube

# Meta changed "Impressions" to "Views" in its exports; windows starting before
# this date are written with the older header set.
META_VIEWS_SINCE = date(2025, 5, 1)
# Windows starting before this date are written in X's legacy "Tweet activity" format.
X_NEW_FORMAT_SINCE = date(2025, 5, 1)
STAFF = {
    "en": ["Jordan Miller", "Avery Thompson", "Sam O'Neil", "Priya Raman"],
    "fr": ["Camille Durand", "Hélène Faure", "Léo Martin"],
    "de": ["Jana Schröder", "Lukas Weiß", "Miriam Öztürk"],
}
TEXTS = {
    "en": [
        'Rates are moving: what it means for your savings. Read "5 questions" on our blog',
        "Meet our branch team in Riverside 👋",
        "Fraud alert: we will never ask for your PIN, by phone or by text.",
        "Homebuying webinar Thursday, 6 pm. Sign up, it's free!",
        "Community day: 120 volunteers, 3 parks, one great team 🌳",
    ],
    "fr": [
        "Taux, épargne, crédit : nos conseillers répondent à vos questions",
        "Journée portes ouvertes dans nos agences de Lyon 🏦",
        "Attention aux SMS frauduleux : nous ne demandons jamais vos codes.",
        "Nouveau : l'application mobile, plus simple, plus rapide",
    ],
    "de": [
        "Baufinanzierung einfach erklärt – jetzt im Webinar",
        "Vorsicht, Phishing! Wir fragen niemals nach Ihrer PIN.",
        "Unser Team in Hamburg freut sich auf Ihren Besuch 👋",
        "Ausbildung 2026: Bewerben Sie sich jetzt!",
    ],
}


@dataclass(frozen=True)
class GeneratorConfig:
    """What to generate. `frequency_scale` multiplies every account's posting rate."""

    landing_dir: Path
    seed: int = 20261123
    first_day: date = date(2024, 11, 1)
    months: int = 24
    frequency_scale: float = 1.0
    accounts_csv: Path = field(
        default_factory=lambda: (
            settings.project_dir() / "seeds" / "organizations" / "social_accounts.csv"
        )
    )
    include_bad_examples: bool = True
    accounts: tuple[str, ...] = field(default_factory=tuple)
    days: int = 0  # when set, the period is this many days (instead of `months`)

    @property
    def last_day(self) -> date:
        if self.days:
            return self.first_day + timedelta(days=self.days - 1)
        first = pd.Timestamp(self.first_day)
        return (first + pd.DateOffset(months=self.months) - pd.Timedelta(days=1)).date()


@dataclass
class Summary:
    files: int = 0
    posts: int = 0
    rows: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str, rows: int) -> None:
        self.files += 1
        self.rows += rows
        self.by_kind[kind] = self.by_kind.get(kind, 0) + 1


def generate(config: GeneratorConfig) -> Summary:
    """Generate every sample export into `config.landing_dir`."""
    summary = Summary()
    accounts = read_accounts(config.accounts_csv)
    if config.accounts:
        accounts = [a for a in accounts if a.account_key in config.accounts]
    days = pd.date_range(config.first_day, config.last_day, freq="D")
    for account in accounts:
        out = config.landing_dir / account.platform / account.account_key
        out.mkdir(parents=True, exist_ok=True)
        followers = simulate_followers(account, days, config.seed)
        posts = simulate_posts(
            account,
            config.first_day,
            config.last_day,
            followers,
            config.seed,
            config.frequency_scale,
        )
        summary.posts += len(posts)
        writer = _WRITERS[account.platform]
        writer(account, posts, followers, config, out, summary)
    if not config.accounts and config.first_day <= date.fromisoformat(AD_MONTHS[0] + "-01"):
        last = date.fromisoformat(AD_MONTHS[-1] + "-01")
        if config.last_day >= last:  # the sample period covers the ad exports' months
            for kind, files in write_ad_exports(config.landing_dir, config.seed).items():
                summary.files += files
                summary.by_kind[kind] = summary.by_kind.get(kind, 0) + files
    return summary


def follower_anchors(config: GeneratorConfig) -> pd.DataFrame:
    """Recorded follower totals (end of day) that the organisations keep.

    One on the day before the period (the starting total) and one a year later.
    The seed `follower_anchors.csv` holds exactly these figures.
    """
    rows = []
    days = pd.date_range(config.first_day, config.last_day, freq="D")
    for account in read_accounts(config.accounts_csv):
        followers = simulate_followers(account, days, config.seed)
        first = followers["followers_total"].iloc[0] - (
            followers["new_follows"].iloc[0] - followers["unfollows"].iloc[0]
        )
        rows.append((account.account_key, config.first_day - timedelta(days=1), int(first)))
        year_on = pd.Timestamp(config.first_day) + pd.DateOffset(years=1) - pd.Timedelta(days=1)
        total = followers.loc[followers["day"] == year_on, "followers_total"]
        if len(total):
            rows.append((account.account_key, year_on.date(), int(total.iloc[0])))
    return pd.DataFrame(rows, columns=["account_key", "recorded_on", "followers_total"])


# --- helpers ------------------------------------------------------------------


def _lang(account: Account) -> str:
    return account.locale.split("_")[0]


def _windows(config: GeneratorConfig, months: int) -> Iterator[tuple[date, date]]:
    start = pd.Timestamp(config.first_day)
    end_all = pd.Timestamp(config.last_day)
    while start <= end_all:
        end = min(start + pd.DateOffset(months=months) - pd.Timedelta(days=1), end_all)
        yield start.date(), end.date()
        start = end + pd.Timedelta(days=1)


def _export_moment(account: Account, window_end: date, delay_days: int) -> pd.Timestamp:
    """Local time at which a user downloaded the export (10:15 a few days later)."""
    local = pd.Timestamp(window_end) + pd.Timedelta(days=delay_days, hours=10, minutes=15)
    return local.tz_localize(ZoneInfo(account.time_zone))


def _set_mtime(path: Path, moment: pd.Timestamp) -> None:
    ts = moment.timestamp()
    os.utime(path, (ts, ts))


def _at_export(posts: pd.DataFrame, account: Account, moment: pd.Timestamp) -> pd.DataFrame:
    """Lifetime totals as the platform reports them at `moment`."""
    local_pub = posts["local_time"].dt.tz_localize(ZoneInfo(account.time_zone))
    age_h = (moment - local_pub).dt.total_seconds().to_numpy() / 3600
    frac = lifetime_fraction(age_h, PLATFORM_LEVELS[account.platform]["tau_h"])
    snap = posts.copy()
    for col in [
        "impressions",
        "reach",
        "clicks",
        "link_clicks",
        "saves",
        "bookmarks",
        "profile_visits",
        "new_follows",
        "video_seconds",
        "reactions",
        "comments",
        "shares",
        "likes",
        "reposts",
        "replies",
    ]:
        if col in snap:
            snap[col] = np.floor(snap[col].to_numpy() * frac).astype(np.int64)
    return snap[age_h > 0]


def _in_window(posts: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    day = posts["local_time"].dt.normalize()
    return posts[(day >= pd.Timestamp(start)) & (day <= pd.Timestamp(end))]


def _fmt_int(values: pd.Series | np.ndarray, locale: str, grouped: bool) -> pd.Series:
    """Integers as text, with the locale's thousands separator when `grouped`."""
    s = pd.Series(np.asarray(values, dtype=np.int64))
    if not grouped:
        return s.astype(str)
    text = s.map("{:,}".format).astype(str)
    sep = {"en": ",", "fr": "\u202f", "de": "."}[locale.split("_")[0]]
    return text.str.replace(",", sep, regex=False) if sep != "," else text


def _fmt_dec(values: np.ndarray, locale: str, digits: int) -> pd.Series:
    text = (
        pd.Series(np.round(np.asarray(values, dtype=float), digits))
        .map(lambda v: f"{v:.{digits}f}")
        .astype(str)
    )
    return text.str.replace(".", ",", regex=False) if _is_comma(locale) else text


def _is_comma(locale: str) -> bool:
    return locale.split("_")[0] in {"fr", "de"}


def _fmt_local(ts: pd.Series, locale: str, with_time: bool = True, sep: str = "/") -> pd.Series:
    day_first = locale != "en_US"
    pattern = f"%d{sep}%m{sep}%Y" if day_first else f"%m{sep}%d{sep}%Y"
    if with_time:
        pattern += " %H:%M"
    return ts.dt.strftime(pattern)


def _texts(account: Account, n: int, seq: np.ndarray) -> pd.Series:
    pool = TEXTS[_lang(account)]
    return pd.Series(np.array(pool, dtype=object)[seq % len(pool)])


def _write_csv(
    path: Path, frame: pd.DataFrame, encoding: str, quoting: int = csv.QUOTE_MINIMAL
) -> None:
    buf = io.StringIO()
    frame.to_csv(buf, index=False, quoting=quoting, lineterminator="\n")
    path.write_bytes(buf.getvalue().encode(encoding))


def _meta_name(start: date, end: date, account: Account, copy: int = 0) -> str:
    fmt = "%b-%d-%Y"
    suffix = f" ({copy})" if copy else ""
    return f"{start.strftime(fmt)}_{end.strftime(fmt)}_{account.platform_account_id}{suffix}.csv"


# --- Facebook -------------------------------------------------------------------


def _write_facebook(account, posts, followers, config, out, summary) -> None:
    lang = _lang(account)
    windows = list(_windows(config, 3))
    for i, (start, end) in enumerate(windows):
        exports = [(_export_moment(account, end, 3), 0)]
        if i >= len(windows) - 2:  # the last half-year is downloaded again later
            exports.append((_export_moment(account, config.last_day, 20), 1))
        for moment, copy in exports:
            snap = _at_export(_in_window(posts, start, end), account, moment)
            frame = _facebook_frame(account, snap, lang, older=start < META_VIEWS_SINCE)
            path = out / _meta_name(start, end, account, copy)
            _write_csv(path, frame, "utf-8-sig")
            _set_mtime(path, moment)
            summary.add("facebook_posts", len(frame))
    _write_follows(account, followers, config, out, summary)
    if config.include_bad_examples and account.account_key == "harbor_fb":
        _write_excel_resaved(account, posts, config, out, summary)


def _facebook_frame(account: Account, snap: pd.DataFrame, lang: str, older: bool) -> pd.DataFrame:
    n = len(snap)
    grouped = lang != "en"  # localised exports group thousands
    loc = account.locale
    engaged = snap["reactions"] + snap["comments"] + snap["shares"]
    other = snap["clicks"] - snap["link_clicks"]
    values = {
        "Post ID": snap["post_id"].to_numpy(),
        "Page ID": account.platform_account_id,
        "Page name": account.handle,
        "Title": "",
        "Description": _texts(account, n, snap["seq"].to_numpy()).to_numpy(),
        "Duration (sec)": snap["duration_sec"].astype(str).to_numpy(),
        "Publish time": _fmt_local(snap["local_time"], loc).to_numpy(),
        "Caption type": "",
        "Permalink": [
            f"https://www.facebook.com/{account.handle}/posts/{p}" for p in snap["post_id"]
        ],
        "Is crosspost": "No" if lang == "en" else ("Non" if lang == "fr" else "Nein"),
        "Is share": "No" if lang == "en" else ("Non" if lang == "fr" else "Nein"),
        "Post type": snap["post_type"].to_numpy(),
        "Languages": "",
        "Custom labels": "",
        "Funded content status": np.where(snap["is_boosted"], "Boosted", ""),
        "Data comment": "",
        "Date": H.LIFETIME[lang],
        "Views": _fmt_int(snap["impressions"], loc, grouped).to_numpy(),
        "Reach": _fmt_int(snap["reach"], loc, grouped).to_numpy(),
        "Reactions, comments and shares": _fmt_int(engaged, loc, grouped).to_numpy(),
        "Reactions": _fmt_int(snap["reactions"], loc, grouped).to_numpy(),
        "Comments": _fmt_int(snap["comments"], loc, grouped).to_numpy(),
        "Shares": _fmt_int(snap["shares"], loc, grouped).to_numpy(),
        "Total clicks": _fmt_int(snap["clicks"], loc, grouped).to_numpy(),
        "Other Clicks": _fmt_int(other, loc, grouped).to_numpy(),
        "Matched Audience Targeting Consumption (Photo Click)": "0",
        "Link Clicks": _fmt_int(snap["link_clicks"], loc, grouped).to_numpy(),
        "Seconds viewed": _fmt_int(snap["video_seconds"], loc, grouped).to_numpy(),
        "Average Seconds viewed": _fmt_dec(
            snap["video_seconds"].to_numpy() / np.maximum(snap["reach"].to_numpy(), 1), loc, 2
        ).to_numpy(),
        "Estimated earnings (USD)": "",
        "Ad CPM (USD)": "",
        "Ad impressions": "",
    }
    if older:
        organic = np.where(snap["is_boosted"], snap["reach"] // 3, snap["reach"])
        values["Reach from Organic posts"] = _fmt_int(organic, loc, grouped).to_numpy()
        values["Reach from Boosted posts"] = _fmt_int(
            snap["reach"] - organic, loc, grouped
        ).to_numpy()
        columns = [*H.FACEBOOK_POSTS_EN, "Reach from Organic posts", "Reach from Boosted posts"]
        header = H.FACEBOOK_POSTS_EN_OLDER
    else:
        columns = H.FACEBOOK_POSTS_EN
        mapping = {"fr": H.FACEBOOK_POSTS_FR, "de": H.FACEBOOK_POSTS_DE}.get(lang)
        header = H.localise(columns, mapping)
    frame = pd.DataFrame({c: _broadcast(values[c], n) for c in columns})
    frame.columns = header
    return frame


def _broadcast(value, n: int):
    if isinstance(value, str):
        return [value] * n
    return value


def _write_follows(account, followers, config, out, summary) -> None:
    """Meta page-level daily export: UTF-16 LE, `sep=,`, metric name, header."""
    lang = _lang(account) if account.platform == "facebook" else "en"
    metric = H.FOLLOWS_METRIC.get(
        (account.platform, lang), H.FOLLOWS_METRIC[(account.platform, "en")]
    )
    head = H.FOLLOWS_HEADER[lang]
    for start, end in _windows(config, 6):
        part = followers[
            (followers["day"] >= pd.Timestamp(start)) & (followers["day"] <= pd.Timestamp(end))
        ]
        lines = ["sep=,", f'"{metric}"', ",".join(f'"{h}"' for h in head)]
        lines += [
            f'"{d}","{v}"'
            for d, v in zip(
                part["day"].dt.strftime("%Y-%m-%dT%H:%M:%S"), part["new_follows"], strict=True
            )
        ]
        text = "\r\n".join(lines) + "\r\n"
        path = out / f"{start.strftime('%b-%d-%Y')}_{end.strftime('%b-%d-%Y')}_Follows.csv"
        path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
        _set_mtime(path, _export_moment(account, end, 3))
        summary.add(f"{account.platform}_follows", len(part))


def _write_excel_resaved(account, posts, config, out, summary) -> None:
    """A deliberately bad file: three posts re-saved in Excel, IDs turned into
    scientific notation. Staging must quarantine these rows, not guess the IDs."""
    start, end = next(iter(_windows(config, 3)))
    moment = _export_moment(account, end, 40)
    snap = _at_export(_in_window(posts, start, end), account, moment).head(3)
    frame = _facebook_frame(account, snap, "en", older=True)
    frame["Post ID"] = [f"{float(p):.5E}".replace("E+", "E+") for p in snap["post_id"]]
    frame["Page ID"] = f"{float(account.platform_account_id):.5E}"
    path = out / "posts_export_resaved_in_excel.csv"
    _write_csv(path, frame, "utf-8-sig")
    _set_mtime(path, moment)
    summary.add("facebook_posts", len(frame))


# --- Instagram ------------------------------------------------------------------


def _write_instagram(account, posts, followers, config, out, summary) -> None:
    windows = list(_windows(config, 3))
    for i, (start, end) in enumerate(windows):
        exports = [(_export_moment(account, end, 4), 0)]
        if i == len(windows) - 1:
            exports.append((_export_moment(account, config.last_day, 21), 1))
        for moment, copy in exports:
            snap = _at_export(_in_window(posts, start, end), account, moment)
            n = len(snap)
            loc = account.locale
            views_header = "Views" if start >= META_VIEWS_SINCE else "Impressions"
            frame = pd.DataFrame(
                {
                    "Post ID": snap["post_id"].to_numpy(),
                    "Account ID": [account.platform_account_id] * n,
                    "Account username": [account.handle] * n,
                    "Account name": [account.handle.title()] * n,
                    "Description": _texts(account, n, snap["seq"].to_numpy()).to_numpy(),
                    "Duration (sec)": snap["duration_sec"].astype(str).to_numpy(),
                    "Publish time": _fmt_local(snap["local_time"], loc).to_numpy(),
                    "Permalink": [
                        f"https://www.instagram.com/p/C{p[-10:]}/" for p in snap["post_id"]
                    ],
                    "Post type": snap["post_type"].to_numpy(),
                    "Data comment": [""] * n,
                    "Date": ["Lifetime"] * n,
                    views_header: _fmt_int(snap["impressions"], loc, True).to_numpy(),
                    "Reach": _fmt_int(snap["reach"], loc, True).to_numpy(),
                    "Likes": _fmt_int(snap["likes"], loc, True).to_numpy(),
                    "Shares": _fmt_int(snap["link_clicks"] // 4, loc, True).to_numpy(),
                    "Follows": _fmt_int(snap["new_follows"], loc, True).to_numpy(),
                    "Comments": _fmt_int(snap["comments"], loc, True).to_numpy(),
                    "Saves": _fmt_int(snap["saves"], loc, True).to_numpy(),
                }
            )
            path = out / _meta_name(start, end, account, copy)
            _write_csv(path, frame, "utf-8-sig")
            _set_mtime(path, moment)
            summary.add("instagram_posts", n)
    _write_follows(account, followers, config, out, summary)


# --- X ------------------------------------------------------------------------------


def _write_x(account, posts, followers, config, out, summary) -> None:
    for start, end in _windows(config, 3):
        moment = _export_moment(account, end, 2)
        snap = _at_export(_in_window(posts, start, end), account, moment)
        if start < X_NEW_FORMAT_SINCE:
            frame = _x_legacy_frame(account, snap)
            name = f"tweet_activity_metrics_{account.handle}_{start:%Y%m%d}_{end:%Y%m%d}_en.csv"
            kind = "x_posts_legacy"
        else:
            frame = _x_content_frame(account, snap)
            name = f"account_analytics_content_{start:%Y-%m-%d}_{end:%Y-%m-%d}.csv"
            kind = "x_posts"
        path = out / name
        _write_csv(path, frame, "utf-8")
        _set_mtime(path, moment)
        summary.add(kind, len(frame))
    for start, end in _windows(config, 6):
        part = followers[
            (followers["day"] >= pd.Timestamp(start)) & (followers["day"] <= pd.Timestamp(end))
        ]
        frame = _x_overview_frame(part, posts)
        path = out / f"account_overview_analytics_{start:%Y-%m-%d}_{end:%Y-%m-%d}.csv"
        _write_csv(path, frame, "utf-8")
        _set_mtime(path, _export_moment(account, end, 2))
        summary.add("x_account_daily", len(frame))


def _x_legacy_frame(account: Account, snap: pd.DataFrame) -> pd.DataFrame:
    n = len(snap)
    utc = snap["local_time"].dt.tz_localize(ZoneInfo(account.time_zone)).dt.tz_convert("UTC")
    engagements = (
        snap["likes"] + snap["reposts"] + snap["replies"] + snap["clicks"] + snap["profile_visits"]
    )
    rate = engagements / np.maximum(snap["impressions"], 1)

    def flt(v):
        return pd.Series(np.asarray(v, dtype=float)).map(lambda x: f"{x:.1f}").to_numpy()

    values = {
        "Tweet id": snap["post_id"].to_numpy(),
        "Tweet permalink": [
            f"https://twitter.com/{account.handle}/status/{p}" for p in snap["post_id"]
        ],
        "Tweet text": _texts(account, n, snap["seq"].to_numpy()).to_numpy(),
        "time": utc.dt.strftime("%Y-%m-%d %H:%M +0000").to_numpy(),
        "impressions": flt(snap["impressions"]),
        "engagements": flt(engagements),
        "engagement rate": rate.map(lambda x: f"{x:.16g}").to_numpy(),
        "retweets": flt(snap["reposts"]),
        "replies": flt(snap["replies"]),
        "likes": flt(snap["likes"]),
        "user profile clicks": flt(snap["profile_visits"]),
        "url clicks": flt(snap["link_clicks"]),
        "hashtag clicks": flt(snap["clicks"] // 10),
        "detail expands": flt(snap["clicks"] - snap["link_clicks"]),
        "permalink clicks": flt(snap["clicks"] // 20),
        "app opens": flt(np.zeros(n)),
        "app installs": flt(np.zeros(n)),
        "follows": flt(snap["new_follows"]),
        "email tweet": flt(np.zeros(n)),
        "dial phone": flt(np.zeros(n)),
        "media views": flt(snap["video_seconds"] // 5),
        "media engagements": flt(snap["clicks"] // 8),
    }
    frame = pd.DataFrame({c: values[c] for c in H.X_LEGACY_POSTS[:22]})
    for c in H.X_LEGACY_POSTS[22:]:
        frame[c] = "-"
    return frame


def _x_content_frame(account: Account, snap: pd.DataFrame) -> pd.DataFrame:
    n = len(snap)
    engagements = snap["likes"] + snap["reposts"] + snap["replies"] + snap["clicks"]
    return pd.DataFrame(
        {
            "Post id": snap["post_id"].to_numpy(),
            "Date": snap["local_time"].dt.strftime("%a, %b %d, %Y").to_numpy(),
            "Post text": _texts(account, n, snap["seq"].to_numpy()).to_numpy(),
            "Post Link": [f"https://x.com/{account.handle}/status/{p}" for p in snap["post_id"]],
            "Impressions": snap["impressions"].to_numpy(),
            "Likes": snap["likes"].to_numpy(),
            "Engagements": engagements.to_numpy(),
            "Bookmarks": snap["bookmarks"].to_numpy(),
            "Shares": (snap["link_clicks"] // 6).to_numpy(),
            "New follows": snap["new_follows"].to_numpy(),
            "Replies": snap["replies"].to_numpy(),
            "Reposts": snap["reposts"].to_numpy(),
            "Profile visits": snap["profile_visits"].to_numpy(),
            "Detail Expands": (snap["clicks"] - snap["link_clicks"]).to_numpy(),
            "URL Clicks": snap["link_clicks"].to_numpy(),
            "Hashtag Clicks": (snap["clicks"] // 10).to_numpy(),
            "Permalink Clicks": (snap["clicks"] // 20).to_numpy(),
        }
    )


def _x_overview_frame(part: pd.DataFrame, posts: pd.DataFrame) -> pd.DataFrame:
    day = posts["local_time"].dt.normalize()
    daily = (
        posts.assign(day=day)
        .groupby("day")[
            ["impressions", "likes", "replies", "reposts", "bookmarks", "profile_visits", "clicks"]
        ]
        .sum()
    )
    daily["posts"] = posts.assign(day=day).groupby("day").size()
    merged = part.set_index("day").join(daily).fillna(0)
    eng = merged["likes"] + merged["replies"] + merged["reposts"] + merged["clicks"]
    return pd.DataFrame(
        {
            "Date": merged.index.strftime("%a, %b %d, %Y"),
            "Impressions": merged["impressions"].astype(np.int64).to_numpy(),
            "Engagements": eng.astype(np.int64).to_numpy(),
            "Likes": merged["likes"].astype(np.int64).to_numpy(),
            "Replies": merged["replies"].astype(np.int64).to_numpy(),
            "Reposts": merged["reposts"].astype(np.int64).to_numpy(),
            "New follows": merged["new_follows"].astype(np.int64).to_numpy(),
            "Unfollows": merged["unfollows"].astype(np.int64).to_numpy(),
            "Bookmarks": merged["bookmarks"].astype(np.int64).to_numpy(),
            "Shares": (merged["clicks"] // 30).astype(np.int64).to_numpy(),
            "Profile visits": merged["profile_visits"].astype(np.int64).to_numpy(),
            "Create Post": merged["posts"].astype(np.int64).to_numpy(),
            "Video views": (merged["impressions"] // 12).astype(np.int64).to_numpy(),
            "Media views": (merged["impressions"] // 7).astype(np.int64).to_numpy(),
        }
    )


# --- LinkedIn ----------------------------------------------------------------------


def _write_linkedin(account, posts, followers, config, out, summary) -> None:
    lang = _lang(account)
    for start, end in _windows(config, 3):
        moment = _export_moment(account, end, 5)
        snap = _at_export(_in_window(posts, start, end), account, moment)
        path = out / f"{account.handle}_content_{int(moment.timestamp() * 1000)}.xlsx"
        _linkedin_content_book(path, account, snap, start, end, lang, moment)
        _set_mtime(path, moment)
        summary.add("linkedin_posts", len(snap))
    for start, end in _windows(config, 6):
        moment = _export_moment(account, end, 5)
        part = followers[
            (followers["day"] >= pd.Timestamp(start)) & (followers["day"] <= pd.Timestamp(end))
        ]
        path = out / f"{account.handle}_followers_{int(moment.timestamp() * 1000)}.xlsx"
        _linkedin_followers_book(path, account, part, lang, moment)
        _set_mtime(path, moment)
        summary.add("linkedin_followers", len(part))


def _li_date(ts: pd.Series, account: Account) -> list[str]:
    sep = "." if _lang(account) == "de" else "/"
    return _fmt_local(ts, account.locale, with_time=False, sep=sep).tolist()


def _workbook(path: Path, moment: pd.Timestamp) -> xlsxwriter.Workbook:
    book = xlsxwriter.Workbook(str(path))
    book.set_properties({"created": moment.tz_convert("UTC").tz_localize(None).to_pydatetime()})
    return book


def _linkedin_content_book(path, account, snap, start, end, lang, moment) -> None:
    n = len(snap)
    mapping = {"fr": H.LINKEDIN_CONTENT_FR, "de": H.LINKEDIN_CONTENT_DE}.get(lang)
    header = H.localise(H.LINKEDIN_CONTENT_EN, mapping)
    staff = STAFF[lang]
    engaged = snap["likes"] + snap["comments"] + snap["reposts"]
    impressions = snap["impressions"].to_numpy()
    clicks = snap["clicks"].to_numpy()
    ctr = clicks / np.maximum(impressions, 1)
    eng_rate = (engaged.to_numpy() + clicks + snap["new_follows"].to_numpy()) / np.maximum(
        impressions, 1
    )
    content_type = np.array(["Image", "Article", "Video", "Text"])[snap["seq"].to_numpy() % 4]
    rows = zip(
        _texts(account, n, snap["seq"].to_numpy()),
        [f"https://www.linkedin.com/feed/update/urn:li:activity:{p}" for p in snap["post_id"]],
        snap["post_type"],
        [""] * n,
        np.array(staff, dtype=object)[snap["seq"].to_numpy() % len(staff)],
        _li_date(snap["local_time"], account),
        [""] * n,
        [""] * n,
        [
            "All followers"
            if lang == "en"
            else ("Tous les abonnés" if lang == "fr" else "Alle Follower")
        ]
        * n,
        impressions.tolist(),
        (impressions // 3).tolist(),
        [0] * n,
        clicks.tolist(),
        ctr.tolist(),
        snap["likes"].tolist(),
        snap["comments"].tolist(),
        snap["reposts"].tolist(),
        snap["new_follows"].tolist(),
        eng_rate.tolist(),
        content_type.tolist(),
        strict=True,
    )
    book = _workbook(path, moment)
    metrics = book.add_worksheet("Metrics")
    metrics.write_row(0, 0, [H.LINKEDIN_NOTE[lang]])
    metric_header = [
        "Date",
        "Impressions (organic)",
        "Impressions (sponsored)",
        "Impressions (total)",
        "Clicks (organic)",
        "Clicks (sponsored)",
        "Clicks (total)",
        "Reactions (organic)",
        "Reactions (sponsored)",
        "Reactions (total)",
        "Comments (organic)",
        "Comments (sponsored)",
        "Comments (total)",
        "Reposts (organic)",
        "Reposts (sponsored)",
        "Reposts (total)",
        "Engagement rate (organic)",
        "Engagement rate (sponsored)",
        "Engagement rate (total)",
    ]
    metrics.write_row(1, 0, metric_header)
    day = snap["local_time"].dt.normalize()
    daily = (
        snap.assign(day=day)
        .groupby("day")[["impressions", "clicks", "likes", "comments", "reposts"]]
        .sum()
    )
    full = pd.DataFrame(index=pd.date_range(start, end, freq="D")).join(daily).fillna(0)
    for r, (d, row) in enumerate(full.iterrows(), start=2):
        imp, clk = int(row["impressions"]), int(row["clicks"])
        rea, com, rep = int(row["likes"]), int(row["comments"]), int(row["reposts"])
        rate = (clk + rea + com + rep) / imp if imp else 0.0
        metrics.write_row(
            r,
            0,
            [
                _li_date(pd.Series([d]), account)[0],
                imp,
                0,
                imp,
                clk,
                0,
                clk,
                rea,
                0,
                rea,
                com,
                0,
                com,
                rep,
                0,
                rep,
                rate,
                0.0,
                rate,
            ],
        )
    sheet = book.add_worksheet("All posts")
    sheet.write_row(0, 0, [H.LINKEDIN_NOTE[lang]])
    sheet.write_row(1, 0, header)
    for r, row in enumerate(rows, start=2):
        sheet.write_row(r, 0, list(row))
    book.close()


def _linkedin_followers_book(path, account, part, lang, moment) -> None:
    mapping = {"fr": H.LINKEDIN_FOLLOWERS_FR, "de": H.LINKEDIN_FOLLOWERS_DE}.get(lang)
    header = H.localise(H.LINKEDIN_FOLLOWERS_EN, mapping)
    book = _workbook(path, moment)
    sheet = book.add_worksheet("New followers")
    sheet.write_row(0, 0, [H.LINKEDIN_NOTE[lang].replace("posts created", "followers gained")])
    sheet.write_row(1, 0, header)
    dates = _li_date(part["day"], account)
    for r, (d, sp, org, inv, tot) in enumerate(
        zip(
            dates,
            part["sponsored"].tolist(),
            part["organic"].tolist(),
            part["auto_invited"].tolist(),
            part["new_follows"].tolist(),
            strict=True,
        ),
        start=2,
    ):
        sheet.write_row(r, 0, [d, sp, org, inv, tot])
    book.close()


_WRITERS = {
    "facebook": _write_facebook,
    "instagram": _write_instagram,
    "x": _write_x,
    "linkedin": _write_linkedin,
    "tiktok": write_tiktok,
    "youtube": write_youtube,
}
