"""Ad managers' exports (Meta Ads Manager, LinkedIn Campaign Manager): recognised from
their headers, the currency read from a header, totals rows skipped, and sample files
whose spend adds up to the ledger except in the deliberate month.

The SQL rules (an ad-day in two overlapping exports counts once; a suppressed
component never lowers the engagement total; the tolerance) are pinned by the dbt
unit tests in models/intermediate/_paid_social__unit_tests.yml and
models/staging/social/_ad_results__unit_tests.yml, and end to end by the corpus
case `ad_overlapping_windows` (test_corpus.py)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from corpus import meta_ads

from social_warehouse import settings
from social_warehouse.generator import ads
from social_warehouse.ingest import ingest
from social_warehouse.ingest.signatures import Catalogue


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue.from_seeds(settings.project_dir())


def _rows(path: Path, skip: int = 0) -> list[dict[str, str]]:
    lines = path.read_text(encoding="utf-8-sig").splitlines()[skip:]
    return list(csv.DictReader(lines))


@pytest.mark.parametrize(
    ("header", "currency", "language"),
    [("Amount spent (EUR)", "EUR", "en"), ("Montant dépensé (usd)", "usd", "fr")],
)
def test_the_currency_is_read_from_the_header(
    catalogue: Catalogue, header: str, currency: str, language: str
) -> None:
    kind = catalogue.kinds["meta_ads"]
    cells = ["Reporting starts", "Reporting ends", "Ad ID", header]
    mapping, languages = kind.match(cells)
    assert mapping[3] == "amount_spent"
    assert language in languages
    assert kind.header_parameters(cells) == {"currency_code": currency}
    assert kind.header_parameters(["Amount spent"]) == {}  # no currency: nothing read


def test_a_header_without_the_parameter_is_not_the_amount(catalogue: Catalogue) -> None:
    kind = catalogue.kinds["meta_ads"]
    mapping, _ = kind.match(["Ad ID", "Amount spent", "Amount spent (EUR) total"])
    assert "amount_spent" not in mapping.values()


def test_ingest_writes_the_header_currency_on_every_row(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    folder = landing / "facebook" / "rhone_meta_ads"
    folder.mkdir(parents=True)
    (folder / "ads.csv").write_bytes(
        meta_ads([("120000000000000001", "2026-09-01", "3.00")] * 2, currency="EUR")
    )
    result = ingest(landing, tmp_path / "raw")
    assert [(f.export_kind, f.entity, f.rows_read) for f in result.files] == [
        ("meta_ads", "ad_results", 2)
    ]
    raw = pq.read_table(next((tmp_path / "raw" / "ad_results").glob("[!_]*.parquet")))
    assert raw.column("currency_code").to_pylist() == ["EUR", "EUR"]
    assert raw.column("amount_spent").to_pylist() == ["3.00", "3.00"]


def test_a_totals_row_first_is_skipped_and_counted(sample_landing: Path, tmp_path: Path) -> None:
    source = sample_landing / "facebook" / "keystone_meta_ads" / "Ads-2026-09.csv"
    assert _rows(source)[0]["Campaign name"] == "Total"  # the sample writes it first
    landing = tmp_path / "landing" / "facebook" / "keystone_meta_ads"
    landing.mkdir(parents=True)
    (landing / source.name).write_bytes(source.read_bytes())
    record = ingest(tmp_path / "landing", tmp_path / "raw").files[0]
    assert record.rows_skipped_as_summary == 1
    assert record.rows_read == len(_rows(source)) - 1 == 3


def test_sample_ad_exports_add_up_to_the_ledger_but_one_month(sample_landing: Path) -> None:
    """Per ad account and month, the raw files' spend (an ad-day exported twice counted
    once) is within 1 % of the ledger's share; Banque Rhône-Alpes' September is 15 % short."""
    targets = ads.ad_targets()
    for target in targets.itertuples():
        folder = sample_landing / ("linkedin" if target.ad_network == "linkedin" else "facebook")
        files = sorted((folder / target.ad_account_key).glob("*.csv"))
        spent: dict[tuple, float] = {}
        for path in sorted(files, key=lambda p: p.stat().st_mtime):  # the latest download wins
            if target.ad_network == "linkedin":  # one file per month, its days only
                if path.name == f"campaign_performance_report_{target.month}.csv":
                    for r in _rows(path, skip=4):
                        spent[(r["Campaign ID"], r["Start Date (in UTC)"])] = float(
                            r["Total Spent"]
                        )
                continue
            for r in _rows(path):
                ad_id = r.get("Ad ID", r.get("Identifiant de la publicité"))
                if not ad_id:
                    continue  # the totals row
                amount = next(v for k, v in r.items() if "(" in k and k[:2] in ("Am", "Mo"))
                starts = r.get("Reporting starts") or r["Début des rapports"]
                if starts.startswith(target.month):
                    key = (ad_id, r.get("Platform"), starts)
                    spent[key] = float(amount.replace(",", "."))
        total = round(sum(spent.values()), 2)
        assert total == target.amount, target.ad_account_key
    ledger = _ledger()
    rhone = targets[targets.organization_id == ads.OFF_ORGANIZATION]
    for month, part in rhone.groupby("month"):
        share = part.amount.sum() / ledger[(ads.OFF_ORGANIZATION, month)]
        if month == ads.OFF_MONTH:
            assert share == pytest.approx(ads.OFF_FACTOR, abs=0.01)
        else:
            assert abs(share - 1) < 0.01


def _ledger() -> dict[tuple[str, str], float]:
    seeds = settings.project_dir() / "seeds"
    labels = {
        r["spend_label"] for r in _rows(seeds / "paid_social" / "paid_social_ledger_labels.csv")
    }
    totals: dict[tuple[str, str], float] = {}
    for r in _rows(seeds / "organizations" / "channel_spend.csv"):
        if r["spend_label"] in labels:
            key = (r["organization_id"], r["spend_month"])
            totals[key] = totals.get(key, 0.0) + float(r["amount"])
    return totals


def test_meta_suppresses_components_never_the_engagement_total(sample_landing: Path) -> None:
    rows = _rows(sample_landing / "facebook" / "harbor_meta_ads" / "Ads-2026-09.csv")
    blank = [r for r in rows if not r["Post reactions"] or not r["Post comments"]]
    assert blank, "the sample must show suppressed components"
    assert all(r["Post engagements"] for r in rows)
    for r in rows:  # the total is at least what the shown components add up to
        shown = sum(int(r[c] or 0) for c in ("Post reactions", "Post comments", "Post shares"))
        assert int(r["Post engagements"]) >= shown


def test_the_overlapping_sample_export_repeats_ad_days(sample_landing: Path) -> None:
    folder = sample_landing / "facebook" / "harbor_meta_ads"
    september = {
        (r["Ad ID"], r["Platform"], r["Reporting starts"])
        for r in _rows(folder / "Ads-2026-09.csv")
    }
    overlap_file = folder / "Ads-2026-09-15_2026-10-15.csv"
    overlap = {(r["Ad ID"], r["Platform"], r["Reporting starts"]) for r in _rows(overlap_file)}
    assert len(september & overlap) == 16 * 3 * 2  # Sep 15-30, 3 ads, 2 platforms
    assert overlap_file.stat().st_mtime > (folder / "Ads-2026-09.csv").stat().st_mtime


def test_linkedin_ads_export_has_its_preamble(sample_landing: Path) -> None:
    path = sample_landing / "linkedin" / "harbor_li_ads" / "campaign_performance_report_2026-09.csv"
    lines = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert lines[0] == ["Campaign Performance Report (in UTC)"]
    assert lines[4] == ads.LINKEDIN_ADS
