"""The sample organisations' own records that must agree with the sample exports.

`social-warehouse sample-seeds` rewrites these seeds; a test checks that the
committed files are exactly what this module produces, so the seeds and the
generated exports can never drift apart.
"""

from __future__ import annotations

import csv
import zlib
from pathlib import Path

import numpy as np
import pandas as pd

from social_warehouse.generator.core import GeneratorConfig, follower_anchors

MONTHS = pd.period_range("2024-11", "2026-10", freq="M")

# Monthly marketing budget in the organisation's own currency (illustrative).
BUDGET = {
    "harbor_federal_bank": ("USD", 1_250_000),
    "prairie_members_cu": ("USD", 140_000),
    "keystone_mutual": ("USD", 820_000),
    "banque_rhone_alpes": ("EUR", 690_000),
    "nordhafen_bank": ("EUR", 510_000),
    "rhein_versicherung": ("EUR", 380_000),
}

# (label, cost type, cost centre, weight, billed currency or None for the org's own)
_US = [
    ("Digital Display Ads", "media", "MKT-DIGITAL", 13.0, None),
    ("Paid Social - Meta", "media", "MKT-DIGITAL", 6.5, None),
    ("Paid Social - LinkedIn", "media", "MKT-DIGITAL", 2.0, None),
    ("Social Media Mgmt Platform", "technology", "MKT-TECH", 0.8, None),
    ("Social Agency Retainer", "agency", "MKT-AGENCY", 1.8, None),
    ("Website & CMS", "technology", "MKT-TECH", 10.5, None),
    ("SEO Services", "agency", "MKT-AGENCY", 9.5, None),
    ("Mobile App Marketing", "media", "MKT-DIGITAL", 9.5, None),
    ("TV & Radio", "media", "MKT-BRAND", 10.5, None),
    ("Events & Sponsorships", "agency", "MKT-BRAND", 9.0, None),
    ("Co-op / Partner Marketing", "media", "MKT-PARTNER", 8.5, None),
    ("Email Platform", "technology", "MKT-TECH", 8.9, None),
    ("Google Ads", "media", "MKT-DIGITAL", 8.6, None),
    ("Branch Merchandising", "media", "MKT-BRAND", 1.5, None),
]
_FR = [
    ("Publicité digitale", "media", "MKT-DIGITAL", 13.5, None),
    ("Réseaux sociaux sponsorisés", "media", "COM-DIGITAL", 7.0, None),
    ("Outil de gestion des réseaux sociaux", "technology", "COM-DIGITAL", 0.6, "USD"),
    ("Agence social media", "agency", "COM-DIGITAL", 2.0, None),
    ("Site web", "technology", "MKT-DIGITAL", 10.4, None),
    ("Référencement naturel", "agency", "MKT-DIGITAL", 9.9, None),
    ("Marketing mobile", "media", "MKT-DIGITAL", 9.8, None),
    ("TV / radio / affichage", "media", "MKT-MARQUE", 9.4, None),
    ("Événementiel", "agency", "MKT-MARQUE", 9.0, None),
    ("Partenariats", "media", "MKT-PARTENAIRES", 9.0, None),
    ("E-mailing", "technology", "MKT-CRM", 8.9, None),
    ("SEA Google Ads", "media", "MKT-DIGITAL", 8.6, None),
    ("PLV agences", "media", "MKT-RESEAU", 1.2, None),
]
_DE = [
    ("Online-Werbung", "media", "MKT-ONLINE", 13.5, None),
    ("Social Media Ads", "media", "MKT-ONLINE", 5.5, None),
    ("Social-Media-Tool", "technology", "MKT-ONLINE", 0.7, "USD"),
    ("Website", "technology", "MKT-ONLINE", 10.4, None),
    ("SEO", "agency", "MKT-ONLINE", 9.9, None),
    ("Mobile Marketing", "media", "MKT-ONLINE", 9.8, None),
    ("Print/TV/Funk", "media", "MKT-KLASSISCH", 11.0, None),
    ("Events & Sponsoring", "agency", "MKT-KLASSISCH", 9.0, None),
    ("Partnermarketing", "media", "VERTRIEB", 9.0, None),
    ("Newsletter/E-Mail", "technology", "MKT-CRM", 8.9, None),
    ("Suchmaschinenwerbung (SEA)", "media", "MKT-ONLINE", 8.6, None),
    ("Filialwerbung", "media", "VERTRIEB", 2.0, None),
]
LABELS = {
    "harbor_federal_bank": _US,
    "prairie_members_cu": _US,
    "keystone_mutual": _US,
    "banque_rhone_alpes": _FR,
    "nordhafen_bank": _DE,
    "rhein_versicherung": _DE,
}

# Staff time on social per organisation: (department, cost centre, FTE, monthly
# cost per FTE, already inside the channel spend ledger?). Following the German
# interviews (FACTS.md section 6): salaries sit in communications, PR or
# marketing cost centres, so social shows no direct cost unless allocated.
STAFF = {
    "harbor_federal_bank": [
        ("marketing", "MKT-DIGITAL", 2.0, 9_800),
        ("customer_care", "OPS-CONTACT", 1.5, 6_200),
        ("hr", "HR-TALENT", 0.3, 8_100),
    ],
    "prairie_members_cu": [("marketing", "MKT", 0.5, 6_900)],
    "keystone_mutual": [
        ("marketing", "MKT-DIGITAL", 1.5, 9_400),
        ("communications", "CORP-COMMS", 0.5, 9_900),
    ],
    "banque_rhone_alpes": [
        ("communications", "COM-DIGITAL", 1.0, 6_100),
        ("customer_care", "RELATION-CLIENT", 1.0, 4_300),
    ],
    "nordhafen_bank": [("marketing", "MKT-ONLINE", 0.5, 6_800)],
    "rhein_versicherung": [
        ("customer_care", "KUNDENSERVICE", 0.5, 5_200),
        ("hr", "PERSONAL", 0.2, 6_400),
    ],
}

# Illustrative monthly average USD->EUR rates for the sample (not published figures).
_USD_EUR_START = 0.935

SELF_ASSESSED = [
    "executive_sponsor",
    "steering_committee",
    "crm_integration",
    "attribution",
    "journey_mapping",
    "listening_coverage",
    "audiences_beyond_customers",
    "paid_influencer_strategy",
    "workforce_training",
    "social_in_sales",
    "social_in_product_development",
]
# starting maturity (0-1) per organisation; they improve a little each quarter
_START_LEVEL = {
    "harbor_federal_bank": 0.55,
    "prairie_members_cu": 0.25,
    "keystone_mutual": 0.45,
    "banque_rhone_alpes": 0.4,
    "nordhafen_bank": 0.3,
    "rhein_versicherung": 0.2,
}


def _rng(seed: int, name: str) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(name.encode())])


def channel_spend(seed: int) -> pd.DataFrame:
    rows = []
    for org, (currency, budget) in BUDGET.items():
        rng = _rng(seed, f"spend/{org}")
        labels = LABELS[org]
        weights = np.array([w for _, _, _, w, _ in labels])
        for month in MONTHS:
            season = 1.0 + 0.12 * np.sin((month.month - 3) / 12 * 2 * np.pi)
            noise = rng.lognormal(0.0, 0.12, len(labels))
            amounts = budget * season * weights / weights.sum() * noise
            for (label, cost_type, centre, _, billed), amount in zip(labels, amounts, strict=True):
                cur = billed or currency
                value = amount if cur == currency else amount / usd_eur(seed)[str(month)]
                rows.append(
                    (org, str(month), label, cost_type, centre, round(float(value), -1), cur)
                )
    return pd.DataFrame(
        rows,
        columns=[
            "organization_id",
            "spend_month",
            "spend_label",
            "cost_type",
            "cost_center",
            "amount",
            "currency",
        ],
    )


def usd_eur(seed: int) -> dict[str, float]:
    rng = _rng(seed, "fx/usd_eur")
    steps = rng.normal(0.0, 0.008, len(MONTHS))
    rates = _USD_EUR_START * np.exp(np.cumsum(steps))
    return {str(m): round(float(r), 4) for m, r in zip(MONTHS, rates, strict=True)}


def fx_rates(seed: int) -> pd.DataFrame:
    rows = []
    for month, rate in usd_eur(seed).items():
        rows.append((month, "USD", "EUR", rate))
        rows.append((month, "EUR", "USD", round(1 / rate, 4)))
    return pd.DataFrame(rows, columns=["rate_month", "from_currency", "to_currency", "rate"])


def staff_time(seed: int) -> pd.DataFrame:
    rows = []
    for org, entries in STAFF.items():
        currency = BUDGET[org][0]
        rng = _rng(seed, f"staff/{org}")
        for month in MONTHS:
            for dept, centre, fte, cost in entries:
                actual = round(fte * float(rng.uniform(0.85, 1.1)), 2)
                rows.append((org, str(month), dept, centre, actual, cost, currency))
    return pd.DataFrame(
        rows,
        columns=[
            "organization_id",
            "staff_month",
            "department",
            "cost_center",
            "fte_on_social",
            "monthly_cost_per_fte",
            "currency",
        ],
    )


def self_assessments(seed: int) -> pd.DataFrame:
    rows = []
    quarters = pd.period_range("2024Q4", "2026Q3", freq="Q")
    for org, start in _START_LEVEL.items():
        rng = _rng(seed, f"maturity/{org}")
        base = np.clip(start + rng.normal(0, 0.15, len(SELF_ASSESSED)), 0.0, 1.0)
        for i, quarter in enumerate(quarters):
            level = np.clip(base + 0.03 * i + rng.normal(0, 0.03, len(SELF_ASSESSED)), 0, 1)
            for indicator, value in zip(SELF_ASSESSED, level, strict=True):
                answer = round(float(value) * 4)  # 0-4 scale of the questionnaire
                rows.append((org, str(quarter), indicator, answer, "head of social media"))
    return pd.DataFrame(
        rows,
        columns=["organization_id", "assessed_quarter", "indicator_id", "answer", "assessed_by"],
    )


def all_frames(seed: int) -> dict[str, pd.DataFrame]:
    anchors = follower_anchors(GeneratorConfig(landing_dir=Path("."), seed=seed))
    anchors["recorded_by"] = "monthly social report"
    return {
        "follower_anchors.csv": anchors,
        "channel_spend.csv": channel_spend(seed),
        "fx_rates.csv": fx_rates(seed),
        "staff_time_on_social.csv": staff_time(seed),
        "maturity_self_assessments.csv": self_assessments(seed),
    }


def render(frame: pd.DataFrame) -> str:
    return frame.to_csv(index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)


def write_all(directory: Path, seed: int) -> list[Path]:
    written = []
    for name, frame in all_frames(seed).items():
        path = directory / name
        path.write_text(render(frame), encoding="utf-8")
        written.append(path)
    return written
