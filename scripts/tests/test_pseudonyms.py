"""Keyed pseudonyms: personal data is replaced at the ingest by HMAC-SHA-256 with a key
kept outside the repository; without a key nothing runs."""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import stat
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from social_warehouse import cli, pseudonyms
from social_warehouse.generator import headers as H
from social_warehouse.generator.core import STAFF
from social_warehouse.ingest import ingest

BIN = Path(sys.executable).parent
KEY_A = "a" * 16 + "first-test-key-0123456789"
KEY_B = "b" * 16 + "other-test-key-0123456789"


def linkedin_workbook(posted_by: str) -> bytes:
    """A LinkedIn page-content export as LinkedIn writes it: a note on row 1, the header
    on row 2 of the 'All posts' sheet."""
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    sheet = book.add_worksheet("All posts")
    sheet.write_row(0, 0, ["All posts data for the selected period."])
    sheet.write_row(1, 0, H.LINKEDIN_CONTENT_EN)
    values = {
        "Post title": "Our branch opens",
        "Post link": "https://www.linkedin.com/feed/update/urn:li:activity:7234567890123456789",
        "Post type": "Organic",
        "Posted by": posted_by,
        "Created date": "10/01/2026",
        "Audience": "All followers",
        "Impressions": 2400,
        "Clicks": 30,
        "Click through rate (CTR)": 0.0125,
        "Likes": 12,
        "Comments": 2,
        "Reposts": 1,
        "Follows": 1,
        "Engagement rate": 0.019,
        "Content Type": "Image",
    }
    sheet.write_row(2, 0, [values.get(h, "") for h in H.LINKEDIN_CONTENT_EN])
    book.close()
    return buf.getvalue()


def _land(landing: Path, name: str) -> None:
    path = landing / "linkedin" / "nordhafen_li" / "content.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(linkedin_workbook(name))


def _posted_by(raw: Path) -> list[str]:
    files = [p for p in (raw / "posts").glob("*.parquet") if not p.name.startswith("_")]
    return [v for p in files for v in pq.read_table(p).column("posted_by").to_pylist()]


def test_the_ingest_writes_a_keyed_pseudonym_not_the_name_nor_its_plain_hash(
    tmp_path: Path,
) -> None:
    name = STAFF["de"][0]
    _land(tmp_path / "landing", name)
    ingest(
        tmp_path / "landing",
        tmp_path / "raw",
        pseudonymiser=pseudonyms.Pseudonymiser(KEY_A.encode()),
    )
    written = _posted_by(tmp_path / "raw")
    expected = hmac.new(KEY_A.encode(), name.casefold().encode(), hashlib.sha256).hexdigest()
    assert written == [expected]
    # the old, unkeyed pseudonym anyone holding the staff list could recompute
    assert hashlib.sha256(name.strip().lower().encode()).hexdigest() not in written
    every_byte = b"".join(p.read_bytes() for p in (tmp_path / "raw").rglob("*") if p.is_file())
    assert name.encode() not in every_byte


def test_two_keys_give_two_pseudonyms_and_a_new_key_reads_the_files_again(tmp_path: Path) -> None:
    _land(tmp_path / "landing", "Jordan Miller")
    raw = tmp_path / "raw"
    first = pseudonyms.Pseudonymiser(KEY_A.encode())
    second = pseudonyms.Pseudonymiser(KEY_B.encode())
    ingest(tmp_path / "landing", raw, pseudonymiser=first)
    under_a = _posted_by(raw)
    again = ingest(tmp_path / "landing", raw, pseudonymiser=second)
    under_b = _posted_by(raw)
    assert again.loaded == 1  # raw written under the old key is not kept
    assert under_a == [first("Jordan Miller")] and under_b == [second("Jordan Miller")]
    assert under_a != under_b
    assert first("  jordan   MILLER ") == first("Jordan Miller")  # the same person
    assert first("") == "" and first(None) is None


def test_no_key_refuses_to_ingest(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOCIAL_WAREHOUSE_PSEUDONYM_KEY", raising=False)
    monkeypatch.setenv("SOCIAL_WAREHOUSE_PSEUDONYM_KEY_FILE", str(tmp_path / "none.key"))
    _land(tmp_path / "landing", "Jordan Miller")
    with pytest.raises(pseudonyms.MissingKey, match="social-warehouse key init"):
        ingest(tmp_path / "landing", tmp_path / "raw")
    assert not (tmp_path / "raw").exists()  # nothing written


def test_a_short_key_or_a_key_file_others_can_read_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOCIAL_WAREHOUSE_PSEUDONYM_KEY", "too-short")
    with pytest.raises(pseudonyms.MissingKey, match="shorter than 32"):
        pseudonyms.load_key()
    monkeypatch.delenv("SOCIAL_WAREHOUSE_PSEUDONYM_KEY")
    key = tmp_path / "k"
    key.write_text(KEY_A)
    key.chmod(0o644)
    monkeypatch.setenv("SOCIAL_WAREHOUSE_PSEUDONYM_KEY_FILE", str(key))
    with pytest.raises(pseudonyms.MissingKey, match="chmod 600"):
        pseudonyms.load_key()


def test_key_init_creates_an_owner_only_key_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("SOCIAL_WAREHOUSE_PSEUDONYM_KEY", raising=False)
    monkeypatch.delenv("SOCIAL_WAREHOUSE_PSEUDONYM_KEY_FILE", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.chdir(Path(__file__).resolve().parents[2])
    assert cli.main(["key", "init"]) == 0
    key = tmp_path / "config" / "social-warehouse" / "pseudonym.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(key.parent.stat().st_mode) == 0o700
    first = key.read_bytes()
    assert len(first.strip()) >= pseudonyms.MIN_KEY_CHARS
    assert cli.main(["key", "init"]) == 0
    assert key.read_bytes() == first  # never overwritten
    assert "exists: kept" in capsys.readouterr().out
    assert cli.main(["settings"]) == 0
    assert first.decode().strip() not in capsys.readouterr().out


def test_the_job_without_a_key_exits_78_and_says_how_to_create_one(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SOCIAL_WAREHOUSE_PSEUDONYM_KEY", "SOCIAL_WAREHOUSE_PSEUDONYM_KEY_FILE")
    }
    env["XDG_CONFIG_HOME"] = str(tmp_path / "empty-config")
    env["DUCKDB_PATH"] = str(tmp_path / "wh" / "warehouse.duckdb")
    run = subprocess.run(
        [str(BIN / "social-warehouse"), "run"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == pseudonyms.EXIT_NO_KEY == 78
    assert "no pseudonym key" in run.stderr and "social-warehouse key init" in run.stderr
    assert not (tmp_path / "wh").exists()
