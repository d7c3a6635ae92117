"""Every case of the bad-export corpus gets its documented outcome, and nothing is lost."""

from __future__ import annotations

import html
import os
import re
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from corpus import CASES, Case
from test_end_to_end import Warehouse

from social_warehouse.ingest import LandingError, ingest
from social_warehouse.ingest import core as ingest_core

REPOSITORY = Path(__file__).resolve().parents[2]  # whose docs/stewards_guide.md holds the table
INGEST_CASES = [c for c in CASES if c.level == "ingest"]
BUILD_CASES = [c for c in CASES if c.level == "build"]


def _land(landing: Path, case: Case) -> None:
    files = [(case.path, case.data(), case.mtime)]
    if "newer" in case.extra:
        files.append(case.extra["newer"])
    for rel, content, mtime in files:
        path = landing / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        special = case.extra.get("special")
        if special == "fifo":
            os.mkfifo(path)
            continue
        if special == "broken_link":
            path.symlink_to(landing / "nowhere.csv")
            continue
        path.write_bytes(content)
        if mtime is not None:
            os.utime(path, (mtime, mtime))


def _special(case: Case, landing: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Faults a file cannot carry in its bytes: a file still being written to while it
    is read, a file the ingest may not read."""
    path = landing / case.path
    read = ingest_core._read_bytes
    if case.extra.get("special") == "grow":

        def read_while_downloading(p: Path) -> bytes:
            data = read(p)
            if p == path:  # the download goes on after the ingest read what was there
                with p.open("ab") as fh:
                    fh.write(b"1777000000000099,104835129933411,HarborFederalBank,")
            return data

        monkeypatch.setattr(ingest_core, "_read_bytes", read_while_downloading)
    if case.extra.get("special") == "unreadable":
        path.chmod(0)
        if os.geteuid() == 0:  # root reads any file: the refusal the OS gives others

            def refused(p: Path) -> bytes:
                if p == path:
                    raise PermissionError(13, "Permission denied", str(p))
                return read(p)

            monkeypatch.setattr(ingest_core, "_read_bytes", refused)


def test_the_bad_input_table_matches_the_corpus() -> None:
    """docs/stewards_guide.md's "Bad input" table lists every case with its outcome."""
    guide = (REPOSITORY / "docs" / "stewards_guide.md").read_text(encoding="utf-8")
    rows = {
        m.group(1): m.group(2)
        for m in re.finditer(r"^\| `([a-z0-9_]+)` \|[^|]*\| ([a-z]+)", guide, re.MULTILINE)
    }
    assert rows == {c.case_id: c.outcome for c in CASES}


@pytest.mark.parametrize("case", INGEST_CASES, ids=lambda c: c.case_id)
def test_ingest_cases(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    landing, raw = tmp_path / "landing", tmp_path / "raw"
    _land(landing, case)
    _special(case, landing, monkeypatch)
    for name, value in case.extra.get("env", {}).items():
        monkeypatch.setenv(name, value)
    if case.outcome == "stops":
        with pytest.raises(LandingError) as err:
            ingest(landing, raw)
        message = str(err.value)
        assert ingest_core.shown(case.path) in message, message
        assert case.expect in message, message
        assert len(err.value.problems) == 1  # one line per file: the name is printable
        assert not list(raw.glob("*/[!_]*.parquet"))  # nothing of it was written
        return
    result = ingest(landing, raw)
    record = result.files[0]
    if record.entity == "ad_results":  # an ad manager's export: no post columns
        ads = pq.read_table(next((raw / "ad_results").glob("[!_]*.parquet")))
        assert record.rows_skipped_as_summary == 1 and record.rows_read == ads.num_rows == 2
        assert ads.column("total_spent").to_pylist() == ["10.00", "12.00"]
        return
    if case.case_id == "youtube_zip_without_table_data":
        read = {(f.sheet, f.export_kind, f.entity, f.rows_read) for f in result.files}
        assert read == {
            ("Chart data.csv", "youtube_video_days", "unstaged", 1),
            ("Totals.csv", "youtube_daily_subscribers", "follows", 2),
        }
        assert not list((raw / "posts").glob("[!_]*.parquet"))
        return
    if case.outcome == "quarantined":
        rejects = pq.read_table(next((raw / "_rejected_rows").glob("[!_]*.parquet"))).to_pylist()
        assert record.rows_rejected_by_reader == len(rejects) == 1
        assert case.expect in rejects[0]["reason"] and rejects[0]["_source_file"] == case.path
        staged = pq.read_table(next((raw / "posts").glob("[!_]*.parquet")))
        assert staged.num_rows == record.rows_read - 1  # the good row is kept
        return
    table = pq.read_table(next((raw / "posts").glob("[!_]*.parquet")))
    if case.case_id == "header_only":
        assert record.rows_read == 0 and table.num_rows == 0
    else:
        assert table.num_rows == 1
        assert table.column("post_id").to_pylist() == ["1777000000000001"]
        assert table.column("reactions").to_pylist() == ["8"]
    if case.case_id == "extra_column":
        assert record.unknown_columns == "Boost budget"
    if case.case_id == "name_255_bytes":
        assert len(Path(case.path).name.encode()) == 255
        assert table.column("_source_file").to_pylist() == [case.path]
    if case.case_id == "mtime_in_future":
        assert "is in the future: exported_at is the load time" in record.note
        assert record.exported_at < "2100" and table.column("_exported_at")[0].as_py() < "2100"
    if case.case_id == "latin1_in_utf8":
        assert record.encoding == "cp1252" and "not valid UTF-8" in record.note
        assert table.column("description").to_pylist() == ["Caf\u00e9 cr\u00e8me"]


@pytest.fixture(scope="module")
def corpus_run(tmp_path_factory: pytest.TempPathFactory, sample_landing: Path) -> Warehouse:
    root = tmp_path_factory.mktemp("corpus")
    landing = root / "landing"
    shutil.copytree(sample_landing, landing, copy_function=shutil.copy2)
    wh = Warehouse(root, landing)
    first = wh.job()
    assert first.returncode == 0, first.stdout[-3000:]
    wh.digest_before = wh.published_digest()  # type: ignore[attr-defined]
    for case in BUILD_CASES:
        _land(landing, case)
    wh.second = wh.job()  # type: ignore[attr-defined]
    return wh


def test_the_corpus_run_is_not_published(corpus_run: Warehouse) -> None:
    run = corpus_run.second  # type: ignore[attr-defined]
    assert run.returncode != 0 and "VERDICT: NOT PUBLISHED" in run.stdout
    assert corpus_run.published_digest() == corpus_run.digest_before  # type: ignore[attr-defined]


def test_nothing_is_lost_between_landing_and_staging(corpus_run: Warehouse) -> None:
    assert "assert_landed_rows_reconcile_per_file" in corpus_run.second.stdout  # type: ignore[attr-defined]
    assert corpus_run.test_status("assert_landed_rows_reconcile_per_file") == "pass"
    assert corpus_run.stored_failures("assert_landed_rows_reconcile_per_file") is None


@pytest.mark.parametrize("case", BUILD_CASES, ids=lambda c: c.case_id)
def test_build_cases(case: Case, corpus_run: Warehouse) -> None:
    q = corpus_run.query
    if case.case_id == "ad_overlapping_windows":
        rows = q(
            "select reporting_started_on, amount_spent, source_file"
            " from intermediate.int_ad_results_deduplicated"
            " where ad_id = '120000000000900002' order by reporting_started_on"
        )
        newer = case.extra["newer"][0]
        assert [(str(d), a, f) for d, a, f in rows] == [
            ("2026-10-19", 8.0, case.path),
            ("2026-10-20", 11.0, newer),
            ("2026-10-21", 9.0, newer),
        ]
        return
    if case.outcome == "quarantined":
        quoted = case.path.replace("'", "''")
        rows = q(
            "select rejection_reason, source_row_number from staging.stg_landing__quarantined_rows"
            f" where source_file = '{quoted}'"
        )
        assert rows, f"nothing quarantined from {case.path}"
        assert all(case.expect in reason for reason, _ in rows)
        assert all(row == case.extra.get("row", 2) for _, row in rows)
        if "report_escapes" in case.extra:
            report = corpus_run.root / "warehouse" / "reports" / "steward_report.html"
            page = report.read_text(encoding="utf-8")
            value = case.extra["report_escapes"]
            assert html.escape(value) in page and value not in page
        return
    post_id = next(
        (
            v
            for k, v in _first_row(case).items()
            if k in ("Post ID", "Identifiant de la publication")
        ),
        None,
    )
    if case.case_id == "graph_api_post_ids":
        post_id = post_id.split("_")[-1]
    staged = q(
        # the local time as exported: UTC back to the account's export time zone
        "select cast(timezone(a.export_time_zone, timezone('UTC', p.published_at)) as timestamp),"
        " p.reactions from staging.stg_social__posts as p"
        " join seeds.social_accounts as a using (account_key)"
        f" where p.platform = 'facebook' and p.post_id = '{post_id}'"
    )
    assert len(staged) == 1, f"{case.case_id}: expected one staged post, got {staged}"
    if case.case_id == "graph_api_post_ids":
        assert staged[0][1] == 30
        assert q(
            "select count(*), max(reactions), max(snapshots_seen) from marts.fct_posts"
            f" where platform = 'facebook' and post_id = '{post_id}'"
        ) == [(1, 30, 2)]
        landed = (case.path, case.extra["newer"][0])
        assert q(
            "select count(*) from staging.stg_landing__quarantined_rows"
            f" where source_file in {landed}"
        ) == [(0,)]
    if case.case_id == "ambiguous_date_by_locale":
        assert str(staged[0][0]) == "2026-11-05 10:00:00"
    if case.case_id == "older_snapshot_landed_later":
        assert staged[0][1] == 50
    if case.case_id == "missing_followers":
        rate = q(
            "select followers_at_post, engagement_rate_by_followers from marts.fct_posts"
            f" where post_id = '{post_id}'"
        )
        assert rate == [(None, None)]
    if case.case_id == "awkward_text":
        text = q(
            "select post_text from staging.stg_social__posts"
            f" where platform = 'facebook' and post_id = '{post_id}' limit 1"
        )
        assert text == [('=HYPERLINK("http://x") "quoted"\nline 2 🏦 مرحبا',)]
    if case.case_id == "html_in_post_text":
        text = q(
            "select post_text from staging.stg_social__posts"
            f" where platform = 'facebook' and post_id = '{post_id}' limit 1"
        )
        assert text == [('<script>alert("x")</script><b>bold</b>',)]


def _first_row(case: Case) -> dict[str, str]:
    import csv
    import io

    text = case.content.decode("utf-8-sig")
    return next(csv.DictReader(io.StringIO(text)))
