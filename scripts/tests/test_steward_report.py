"""The steward report in plain words, as a steward sees it in a browser.

A real failing run on a private copy of the project: a bad seed row (a spend label nobody
mapped, appended to channel_spend.csv) and a bad landing file (a Facebook posts export
with a negative reaction count). Only what those failures touch is built (the landing
ingest up to the quarantine, and the spend seed with everything downstream of it), so the
run takes seconds, not a full build. The HTML report is opened in headless Chromium and
screenshot; its headings must be words, not dbt test ids, and both failures must name
their file and line.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from browser import open_local_file, require_chromium
from test_end_to_end import NEGATIVE_REACTIONS, Warehouse

from social_warehouse import steward
from social_warehouse.artifacts import (
    Manifest,
    NodeResult,
    RunResults,
    TestNode,
    load_manifest,
    load_run_results,
)
from social_warehouse.ingest.core import LandingError

BAD_LABEL = "Sponsored Podcast - Unmapped"
BAD_EXPORT = "facebook/harbor_fb/Oct-30-2026_Oct-31-2026_104835129933411.csv"
SEED = "seeds/organizations/channel_spend.csv"


@pytest.fixture(scope="module")
def failing_run(tmp_path_factory: pytest.TempPathFactory, sample_landing: Path):
    require_chromium()
    root = tmp_path_factory.mktemp("steward")
    landing = root / "landing"
    shutil.copytree(sample_landing, landing, copy_function=shutil.copy2)
    (landing / BAD_EXPORT).write_text(NEGATIVE_REACTIONS, encoding="utf-8")
    wh = Warehouse(root, landing)
    seed = wh.project / SEED
    with seed.open("a", encoding="utf-8", newline="") as fh:
        fh.write(f"harbor_federal_bank,2024-11,{BAD_LABEL},media,MKT-DIGITAL,1200.0,USD\n")
    bad_line = len(seed.read_text(encoding="utf-8").splitlines())
    run = wh.build(
        "--select",
        # the seed, what it feeds and all they need; the landing ingest up to the quarantine
        # and its test; only tests whose inputs are all selected
        "@channel_spend",
        "+assert_no_unacknowledged_quarantined_rows",
        "--indirect-selection=cautious",
    )
    assert run.returncode != 0, "the run was meant to fail"
    target = root / "target"
    manifest = load_manifest(target)
    results = load_run_results(target)
    report = steward.build_report(
        manifest, results, wh.database, None, None, ["dbt build failed"], wh.project
    )
    html_path, text_path = steward.write_report(report, root / "reports")
    return manifest, results, report, html_path, text_path, bad_line


def test_report_in_a_browser_names_file_and_line_in_words(failing_run, tmp_path: Path) -> None:
    manifest, results, report, html_path, _text, bad_line = failing_run
    statuses = {
        manifest.node_names.get(r.unique_id, r.unique_id): r.status for r in results.results
    }
    # the two failures really happened in the run
    assert (
        statuses["values_mapped_channel_spend_spend_label__spend_label__ref_channel_taxonomy_"]
        == "fail"
    )
    assert statuses["assert_no_unacknowledged_quarantined_rows"] == "fail"
    test_ids = {t.name for t in manifest.tests.values()} | set(manifest.tests)
    with open_local_file(html_path) as visit:
        png = visit.screenshot(tmp_path / "steward_report.png")
        headings = visit.page.locator("h1, h2, h3").all_inner_texts()
        text = visit.text()
        overflow = visit.page.eval_on_selector_all(
            "div.scroll", "els => els.map(e => getComputedStyle(e).overflowX)"
        )
        assert visit.console_errors == []
        assert visit.network_requests == []
    assert png.stat().st_size > 10_000
    for heading in headings:
        assert not any(test_id in heading for test_id in test_ids), heading
    # the seed failure: described in words, with the seed file and the CSV line of the bad row
    assert "Every value of column spend_label" in text
    assert f"seed file {SEED}, line {bad_line}" in text
    # the landing failure: the landed file and its row as a spreadsheet numbers it (header = 1):
    # the second data row is the negative one
    assert f"landing file {BAD_EXPORT}, row 3" in text
    assert "Rows of landed exports that could not be read" in text
    # the models the seed failure stopped are listed, with the failure that stopped them
    skipped = dict(report.skipped)
    assert skipped, "the failing seed test skips the spend models"
    assert all("Every value of column spend_label" in why for why in skipped.values())
    assert any("stg_" in node or "int_spend" in node for node in skipped)
    for node in skipped:
        assert node.split(" (")[0] in text
    # wide tables scroll instead of being cut off
    assert overflow and set(overflow) == {"auto"}


def test_text_report_names_each_failure_in_words(failing_run) -> None:
    _m, _r, _report, _html, text_path, bad_line = failing_run
    text = text_path.read_text(encoding="utf-8")
    assert f"at seed file {SEED}, line {bad_line}" in text
    assert f"at landing file {BAD_EXPORT}, row 3" in text
    assert "Skipped (" in text


def test_seed_lines_count_a_quoted_multiline_cell(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text('a,b\n1,"two\nlines"\n2,x\n3,\n', encoding="utf-8")
    test = TestNode("t", "t", "values_mapped", "seed.p.s", "b", "error", "")
    assert steward.seed_lines(path, test, ["unmapped_value"], [("x",)]) == [4]
    # not_null: the stored failures are the seed's rows (shared columns), the value empty
    assert steward.seed_lines(path, test, ["a", "b"], [(3, None)]) == [5]


def test_counts_mean_rows_and_every_refused_file_is_named(tmp_path: Path) -> None:
    """A warning of 2 failing values standing for 504 rows says 504 rows; a refused file's
    problem reaches the text report whole, however long the build error before it."""
    database = tmp_path / "w.duckdb"
    con = duckdb.connect(str(database))
    con.execute("create schema audit")
    con.execute(
        "create table audit.fallback as select * from (values"
        " ('all_industries_fallback', 360), ('no_benchmark_for_platform', 144))"
        " as t(value_field, n_records)"
    )
    con.close()
    test = TestNode(
        "test.p.fallback",
        "fct_engagement_monthly_benchmark_fallback_used",
        "accepted_values",
        "model.p.fct_engagement_monthly",
        "benchmark_fallback",
        "warn",
        "Each account's monthly engagement should use its own industry's benchmark.",
        kwargs={"values": ["industry_match"]},
        meta={"steward_count": "{rows} monthly row(s) use a fallback benchmark"},
    )
    problems = [
        f"x/acct/{'very_long_name_' * 8}{n}.csv: not a known export (header: a, b, c)"
        for n in range(12)
    ]
    message = (
        "Python model failed:\n" + "\n".join(["noise"] * 20) + "\n" + str(LandingError(problems))
    )
    manifest = Manifest(
        {},
        {test.unique_id: test},
        {
            "model.p.fct_engagement_monthly": "fct_engagement_monthly",
            "model.p.landing_files": "landing_files",
        },
    )
    results = RunResults(
        "i",
        "now",
        "build",
        (
            NodeResult(test.unique_id, "warn", 2, "Got 2 results", "audit.fallback", 0.1),
            NodeResult("model.p.landing_files", "error", None, message, None, 0.1),
        ),
    )
    report = steward.build_report(manifest, results, database, None, None, [], tmp_path)
    (issue,) = report.issues
    assert issue.count == "504 monthly row(s) use a fallback benchmark"
    assert issue.title.startswith("Each account's monthly engagement")
    assert report.refused_files == problems
    text = steward.render_text(report)
    for problem in problems:
        assert f"REFUSED landed file {problem}" in text


def test_a_real_refused_file_is_named_whole_in_the_text_report(
    tmp_path: Path, sample_landing: Path
) -> None:
    """An unrecognised file stops the landing ingest: the text report names it in full,
    from dbt's own run results (only the ingest and what it needs are built)."""
    landing = tmp_path / "landing"
    shutil.copytree(sample_landing / "instagram" / "harbor_ig", landing / "instagram" / "harbor_ig")
    deep = "quarterly_budget_export_" * 6 + "final.csv"
    (landing / "instagram" / "harbor_ig" / deep).write_text("Quarter,Budget\nQ1,100\n")
    wh = Warehouse(tmp_path / "run", landing)
    run = wh.build("--select", "+landing_files", "--indirect-selection=cautious")
    assert run.returncode != 0
    target = tmp_path / "run" / "target"
    report = steward.build_report(
        load_manifest(target), load_run_results(target), wh.database, None, None, [], wh.project
    )
    (refused,) = report.refused_files
    assert refused.startswith(f"instagram/harbor_ig/{deep}: ")
    assert "matches no known export kind" in refused
    assert f"REFUSED landed file {refused}" in steward.render_text(report)


def test_the_no_op_path_does_not_import_great_expectations(tmp_path: Path) -> None:
    """The main job answers "nothing new" in about 2 s at 10M posts; importing Great
    Expectations alone took 4 s of it. Only running the gate may import it."""
    import subprocess
    import sys

    probe = tmp_path / "probe.py"
    probe.write_text(
        "import sys\n"
        "import social_warehouse.cli, social_warehouse.pipeline, social_warehouse.steward\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'great_expectations'))\n",
        encoding="utf-8",
    )
    out = subprocess.run(
        [sys.executable, str(probe)], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
