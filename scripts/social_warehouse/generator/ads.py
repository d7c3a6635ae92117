"""Sample ad manager exports (Meta Ads Manager, LinkedIn Campaign Manager) for the
sample institutions' ad accounts (seed `seeds/paid_social/ad_accounts.csv`).

Spend is drawn from the organisation's own ledger (seed `channel_spend.csv`): each
month's exports add up to the ledger's paid-social line within a fraction of a
percent, except one deliberate month (`OFF_MONTH` for `OFF_ORGANIZATION`) whose
exports fall short of the ledger beyond the reconciliation tolerance. What the
files show on purpose:

- Harbor Federal Bank (USD): Meta with the Platform breakdown (facebook, instagram),
  one daily export per month plus a later re-export of an overlapping window (the
  same ad-days again, with the same spend: counted once); LinkedIn, daily.
- Keystone Mutual (USD): Meta without breakdown, one row per ad and month, and a
  totals row first.
- Banque Rhône-Alpes (EUR): Meta in French (comma decimals), daily; LinkedIn in
  EUR. Its ledger has one paid-social line for every network.
- Meta suppresses low counts in `Post reactions` / `Post comments` (blank cells),
  never in `Post engagements`.
"""

from __future__ import annotations

import csv
import io
import os
import zlib
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from social_warehouse import settings

AD_MONTHS = ("2026-08", "2026-09", "2026-10")
OFF_ORGANIZATION, OFF_MONTH, OFF_FACTOR = "banque_rhone_alpes", "2026-09", 0.85
NETWORK_SHARE_OF_ALL = {"meta": 0.7, "linkedin": 0.3}  # a ledger line for every network
SUPPRESSED_BELOW = 5  # Meta leaves a component blank when its count is this low

META_EN = [
    "Reporting starts",
    "Reporting ends",
    "Campaign name",
    "Ad set name",
    "Ad name",
    "Ad ID",
    "Amount spent ({currency})",
    "Reach",
    "Impressions",
    "Result type",
    "Results",
    "Post engagements",
    "Post reactions",
    "Post comments",
    "Post shares",
]
META_FR = [
    "Début des rapports",
    "Fin des rapports",
    "Nom de la campagne",
    "Nom de l’ensemble de publicités",
    "Nom de la publicité",
    "Identifiant de la publicité",
    "Montant dépensé ({currency})",
    "Couverture",
    "Impressions",
    "Type de résultat",
    "Résultats",
    "Interactions avec la publication",
    "Réactions à la publication",
    "Commentaires sur la publication",
    "Partages de la publication",
]
META_PLATFORM = "Platform"  # the Platform breakdown column, after `Ad ID`
LINKEDIN_ADS = [
    "Start Date (in UTC)",
    "Campaign Group Name",
    "Campaign Name",
    "Campaign ID",
    "Currency",
    "Total Spent",
    "Impressions",
    "Clicks",
    "Reactions",
    "Comments",
    "Shares",
    "Total Engagements",
]
# how each sample ad account's exports are written
STYLE = {
    "harbor_meta_ads": {"grain": "day", "split": True, "overlap": True},
    "keystone_meta_ads": {"grain": "month", "split": False, "total_row": True},
    "rhone_meta_ads": {"grain": "day", "split": False, "lang": "fr"},
}


def _seed_csv(*parts: str) -> pd.DataFrame:
    return pd.read_csv(settings.project_dir() / "seeds" / Path(*parts), dtype=str)


def ad_targets() -> pd.DataFrame:
    """What each ad account's exports add up to per month (in the account's currency):
    the ledger's paid social for the account's network (a share of it when the ledger
    has one line for every network), nudged by under 1 %, or by OFF_FACTOR in the
    deliberate month."""
    accounts = _seed_csv("paid_social", "ad_accounts.csv")
    labels = _seed_csv("paid_social", "paid_social_ledger_labels.csv")
    ledger = _seed_csv("organizations", "channel_spend.csv")
    ledger = ledger.merge(labels, on="spend_label")
    ledger["amount"] = ledger["amount"].astype(float)
    rows = []
    rng = np.random.default_rng(20261203)
    for account in accounts.itertuples():
        own = ledger[ledger.organization_id == account.organization_id]
        for month in AD_MONTHS:
            lines = own[own.spend_month == month]
            mine = lines[lines.ad_network == account.ad_network]
            shared = lines[lines.ad_network == "all"]
            amount = mine.amount.sum() + shared.amount.sum() * NETWORK_SHARE_OF_ALL.get(
                account.ad_network, 0.0
            ) * (not shared.empty)
            if not (lines.currency == account.currency_code).all():
                continue  # a ledger line in another currency: not sampled
            factor = 1.0 + rng.uniform(-0.008, 0.008)
            if (account.organization_id, month) == (OFF_ORGANIZATION, OFF_MONTH):
                factor = OFF_FACTOR
            rows.append(
                {
                    "ad_account_key": account.ad_account_key,
                    "organization_id": account.organization_id,
                    "ad_network": account.ad_network,
                    "currency_code": account.currency_code,
                    "time_zone": account.export_time_zone,
                    "month": month,
                    "amount": round(amount * factor, 2),
                }
            )
    return pd.DataFrame(rows)


def _split(total: float, weights: np.ndarray) -> np.ndarray:
    """`total` split by weights into cents that add up exactly."""
    cents = np.floor(weights / weights.sum() * round(total * 100)).astype(np.int64)
    cents[-1] += round(total * 100) - cents.sum()
    return cents / 100


def _days(month: str) -> list[date]:
    first = date.fromisoformat(month + "-01")
    last = (pd.Timestamp(first) + pd.offsets.MonthEnd(0)).date()
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _engagement(rng: np.random.Generator, spend: float) -> dict[str, str]:
    """The platform's engagement total and its components, low components blank."""
    reactions, comments, shares = (int(x) for x in rng.poisson([spend * 0.08, spend * 0.01, 3]))
    total = reactions + comments + shares + int(rng.poisson(spend * 0.05))  # clicks, saves...
    shown = {
        "reactions": reactions,
        "comments": comments,
        "shares": shares,
    }
    cells = {k: ("" if v < SUPPRESSED_BELOW else str(v)) for k, v in shown.items()}
    return {"engagements": str(total), **cells}


def _meta_rows(account: SimpleNamespace, amount: float, month: str, style: dict, seed: int) -> list:
    rng = np.random.default_rng(
        [seed, zlib.crc32(account.ad_account_key.encode()), int(month[-2:])]
    )
    base = 120_000_000_000_000_000 + zlib.crc32(account.ad_account_key.encode()) * 1000
    ads = [(str(base + i * 7 + seed % 5), f"Ad {i + 1}") for i in range(3)]
    platforms = ["facebook", "instagram"] if style.get("split") else [None]
    if style["grain"] == "day":
        periods = [(d, d) for d in _days(month)]
    else:
        periods = [(_days(month)[0], _days(month)[-1])]
    cells = [(p, ad, pl) for p in periods for ad in ads for pl in platforms]
    weights = rng.gamma(2.0, 1.0, len(cells))
    amounts = _split(amount, weights)
    rows = []
    for (period, (ad_id, ad_name), platform), spent in zip(cells, amounts, strict=True):
        impressions = int(spent * rng.uniform(80, 140)) + 10
        engagement = _engagement(rng, spent)
        rows.append(
            {
                "starts": period[0].isoformat(),
                "ends": period[1].isoformat(),
                "campaign": "Notoriété " + month if style.get("lang") == "fr" else "Awareness",
                "ad_set": "Set A",
                "ad_name": ad_name,
                "ad_id": ad_id,
                "platform": platform,
                "spent": spent,
                "reach": int(impressions * 0.7),
                "impressions": impressions,
                "result_type": "Post engagement",
                "results": engagement["engagements"],
                **engagement,
            }
        )
    return rows


def _meta_csv(rows: list[dict], currency: str, style: dict, total_row: bool) -> bytes:
    french = style.get("lang") == "fr"
    header = [h.replace("{currency}", currency) for h in (META_FR if french else META_EN)]
    if style.get("split"):
        header.insert(6, META_PLATFORM)

    def money(value: float) -> str:
        text = f"{value:.2f}"
        return text.replace(".", ",") if french else text

    body = []
    for r in rows:
        line = [r["starts"], r["ends"], r["campaign"], r["ad_set"], r["ad_name"], r["ad_id"]]
        if style.get("split"):
            line.append(r["platform"])
        line += [money(r["spent"]), r["reach"], r["impressions"], r["result_type"]]
        line += [r["results"], r["engagements"], r["reactions"], r["comments"], r["shares"]]
        body.append(line)
    if total_row:  # the totals row Meta writes above the ads (its shape: unconfirmed)
        total = ["", "", "Total", "", "", ""] + ([""] if style.get("split") else [])
        total += [money(sum(r["spent"] for r in rows)), "", sum(r["impressions"] for r in rows)]
        total += ["", "", "", "", "", ""]
        body.insert(0, total)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(body)
    return buf.getvalue().encode("utf-8-sig")


def _linkedin_csv(account: SimpleNamespace, amount: float, month: str, seed: int) -> bytes:
    rng = np.random.default_rng(
        [seed, zlib.crc32(account.ad_account_key.encode()), int(month[-2:])]
    )
    campaigns = [("612004381", "Employer brand"), ("612004402", "Lead generation")]
    days = _days(month)
    cells = [(d, c) for d in days for c in campaigns]
    amounts = _split(amount, rng.gamma(2.0, 1.0, len(cells)))
    day_first = account.export_locale.split("_")[1] not in ("US",)
    lines = [
        ["Campaign Performance Report (in UTC)"],
        [f"Report Start: {days[0].isoformat()}"],
        [f"Report End: {days[-1].isoformat()}"],
        [f"Account ID: {account.ad_account_id}"],
    ]
    lines.append(LINKEDIN_ADS)
    for (day, (campaign_id, name)), spent in zip(cells, amounts, strict=True):
        impressions = int(spent * rng.uniform(20, 40)) + 5
        e = _engagement(rng, spent / 10)
        shown = day.strftime("%d/%m/%Y" if day_first else "%m/%d/%Y")
        lines.append(
            [
                shown,
                "Always on",
                name,
                campaign_id,
                account.currency_code,
                f"{spent:.2f}",
                impressions,
                int(impressions * 0.006),
                e["reactions"] or "0",
                e["comments"] or "0",
                e["shares"] or "0",
                e["engagements"],
            ]
        )
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(lines)
    return buf.getvalue().encode("utf-8")


def _write(path: Path, content: bytes, downloaded: date, time_zone: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    moment = pd.Timestamp(downloaded) + pd.Timedelta(hours=9, minutes=40)
    ts = moment.tz_localize(ZoneInfo(time_zone)).timestamp()
    os.utime(path, (ts, ts))


def write_ad_exports(landing: Path, seed: int) -> dict[str, int]:
    """Write every sample ad export under `landing`; return files written per kind."""
    accounts = {
        row["ad_account_key"]: SimpleNamespace(**row)
        for row in _seed_csv("paid_social", "ad_accounts.csv").to_dict("records")
    }
    targets = ad_targets()
    written = {"meta_ads": 0, "linkedin_ads": 0}
    for target in targets.itertuples():
        account = accounts[target.ad_account_key]
        month_end = _days(target.month)[-1]
        if target.ad_network == "linkedin":
            folder = landing / "linkedin" / target.ad_account_key
            content = _linkedin_csv(account, target.amount, target.month, seed)
            name = f"campaign_performance_report_{target.month}.csv"
            _write(folder / name, content, month_end + timedelta(days=2), target.time_zone)
            written["linkedin_ads"] += 1
            continue
        style = STYLE[target.ad_account_key]
        folder = landing / "facebook" / target.ad_account_key
        rows = _meta_rows(account, target.amount, target.month, style, seed)
        content = _meta_csv(rows, target.currency_code, style, style.get("total_row", False))
        name = f"Ads-{target.month}.csv"
        _write(folder / name, content, month_end + timedelta(days=3), target.time_zone)
        written["meta_ads"] += 1
        if style.get("overlap") and target.month == AD_MONTHS[1]:
            # a later download of Sep 15 - Oct 15 (Oct rows: those of the October file)
            nxt = _meta_rows(account, _target(targets, target, AD_MONTHS[2]), AD_MONTHS[2],
                             style, seed)  # fmt: skip
            window = [r for r in rows if r["starts"] >= f"{target.month}-15"]
            window += [r for r in nxt if r["starts"] <= f"{AD_MONTHS[2]}-15"]
            for r in window:  # results are attributed late: a re-export shows a few more
                r["results"] = str(int(r["results"]) + 1)
            content = _meta_csv(window, target.currency_code, style, False)
            _write(folder / f"Ads-{target.month}-15_{AD_MONTHS[2]}-15.csv", content,
                   date.fromisoformat(f"{AD_MONTHS[2]}-18"), target.time_zone)  # fmt: skip
            written["meta_ads"] += 1
    return written


def _target(targets: pd.DataFrame, target, month: str) -> float:
    same = targets[(targets.ad_account_key == target.ad_account_key) & (targets.month == month)]
    return float(same.amount.iloc[0])
