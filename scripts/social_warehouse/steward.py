"""The data steward's report: what failed or warned, on which rows, from which file,
and what to do about it. Self-contained HTML (no external styling) plus a plain-text
summary. Built from dbt's artifacts, the audit schema and the quarantine model.
"""

from __future__ import annotations

import csv
import html
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from social_warehouse import settings
from social_warehouse.artifacts import Manifest, NodeResult, RunResults, TestNode
from social_warehouse.quality_gate import GateResult

SAMPLE_ROWS = 10

# What to do about a failing test is written with the test, as data: `steward_action` in
# the test's meta (config(meta=...) of a singular test or of the project's generic test
# definitions, or config: meta: where a test is applied). dbt's built-in generic tests
# (not_null, unique, relationships, accepted_values) cannot carry it, so their advice
# per test type is the seed below. Placeholders: {column}, {model}, {to}, {expression}.
ACTIONS_SEED = "steward_actions"  # columns: test_type, steward_action
DEFAULT_ACTION = "Read the failing rows below and the test's description in the docs site."


@dataclass
class TestIssue:
    name: str
    status: str  # fail, error, warn
    severity: str
    test_type: str
    model: str
    column: str | None
    failures: int | None
    message: str
    action: str
    columns: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)


@dataclass
class Report:
    generated_at: str
    verdict: str
    published: bool
    reasons: list[str]
    model_errors: list[tuple[str, str]]
    issues: list[TestIssue]
    quarantine_by_file: list[tuple]
    quarantine_sample: list[tuple]
    gate: GateResult | None
    landed: list[tuple]
    # the published organisations' scorecards (absolute paths), linked from the report
    scorecards: list[str] = field(default_factory=list)


def actions_by_type(manifest: Manifest, project: Path | None = None) -> dict[str, str]:
    """Advice per test type from the ACTIONS_SEED seed's CSV (found through the manifest,
    read from the project's file: it is there even when the build failed before seeds)."""
    relative = manifest.seed_files.get(ACTIONS_SEED)
    if not relative:
        return {}
    try:
        path = (project or settings.project_dir()) / relative
    except settings.ProjectNotFound:
        return {}
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        return {
            (row.get("test_type") or "").strip(): (row.get("steward_action") or "").strip()
            for row in csv.DictReader(fh)
            if (row.get("test_type") or "").strip() and (row.get("steward_action") or "").strip()
        }


class _Placeholders(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"  # an unknown placeholder is shown as written


def _ref_name(value: object) -> str:
    text = str(value or "").strip()
    for prefix in ("ref(", "source("):
        if text.startswith(prefix) and text.endswith(")"):
            text = text[len(prefix) : -1]
    return ".".join(part.strip().strip("'\"") for part in text.split(","))


def _action(test: TestNode, model: str, by_type: dict[str, str] | None = None) -> str:
    template = (
        test.meta.get("steward_action") or (by_type or {}).get(test.test_type) or DEFAULT_ACTION
    )
    values = _Placeholders(
        column=test.column_name or "",
        model=model,
        to=_ref_name(test.kwargs.get("to", "")),
        expression=str(test.kwargs.get("expression", "")).strip(),
    )
    try:
        return str(template).format_map(values)
    except (ValueError, IndexError, AttributeError):  # stray braces: show it as written
        return str(template)


def _rows(con, relation: str | None) -> tuple[list[str], list[tuple]]:
    if con is None or not relation:
        return [], []
    try:
        cursor = con.execute(f"select * from {relation} limit {SAMPLE_ROWS}")
        rows = cursor.fetchall()
        return [d[0] for d in cursor.description], rows
    except duckdb.Error:
        return [], []


def build_report(
    manifest: Manifest,
    results: RunResults | None,
    database: Path,
    gate: GateResult | None,
    published: str | None,
    reasons: list[str],
    project: Path | None = None,
) -> Report:
    """`project`: the dbt project built, for the advice seed (default: the project dir)."""
    by_type = actions_by_type(manifest, project)
    con = duckdb.connect(str(database), read_only=True) if database.exists() else None
    try:
        issues, model_errors = [], []
        for result in results.results if results else ():
            if result.unique_id.startswith("test.") and result.status in ("fail", "error", "warn"):
                issues.append(_issue(manifest, result, con, by_type))
            elif result.status == "error":
                model_errors.append(
                    (
                        manifest.node_names.get(result.unique_id, result.unique_id),
                        result.message or "",
                    )
                )
        issues.sort(key=lambda i: (i.status == "warn", i.name))
        quarantine_by_file, quarantine_sample, landed = [], [], []
        if con is not None:
            quarantine_by_file = _safe(
                con,
                "select q.source_file, q.rejection_reason, count(*) as rows,"
                " case when bool_and(a.source_file is not null) then 'acknowledged'"
                " else 'blocks publishing' end as state"
                " from staging.stg_landing__quarantined_rows as q"
                " left join seeds.quarantine_acknowledgements as a"
                " on q.source_file = a.source_file and q.rejected_column = a.rejected_column"
                " group by all order by 1, 2",
            )
            quarantine_sample = _safe(
                con,
                "select source_file, source_row_number, rejected_column, rejected_value,"
                " rejection_reason from staging.stg_landing__quarantined_rows"
                f" order by source_file, source_row_number limit {SAMPLE_ROWS * 5}",
            )
            landed = _safe(
                con,
                "select status, count(*), sum(rows_read) from landing.landing_files"
                " group by status order by status",
            )
    finally:
        if con is not None:
            con.close()
    verdict = (
        f"PUBLISHED version {published}"
        if published
        else "NOT PUBLISHED: the previously published version is unchanged"
    )
    return Report(
        generated_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        verdict=verdict,
        published=bool(published),
        reasons=reasons,
        model_errors=model_errors,
        issues=issues,
        quarantine_by_file=quarantine_by_file,
        quarantine_sample=quarantine_sample,
        gate=gate,
        landed=landed,
    )


def _safe(con, sql: str) -> list[tuple]:
    try:
        return con.execute(sql).fetchall()
    except duckdb.Error:
        return []


def _issue(manifest: Manifest, result: NodeResult, con, by_type: dict[str, str]) -> TestIssue:
    test = manifest.tests.get(result.unique_id)
    if test is None:  # pragma: no cover - a result always has its node
        test = TestNode(result.unique_id, result.unique_id, "singular", None, None, "error", "")
    model = manifest.node_names.get(test.attached_node or "", test.attached_node or "-")
    columns, rows = _rows(con, result.relation_name)
    return TestIssue(
        name=test.name,
        status=result.status,
        severity=test.severity,
        test_type=test.test_type,
        model=model,
        column=test.column_name,
        failures=result.failures,
        message=result.message or "",
        action=_action(test, model, by_type),
        columns=columns,
        rows=rows,
    )


def render_text(report: Report) -> str:
    lines = [f"Steward report ({report.generated_at})", f"Verdict: {report.verdict}"]
    lines += [f"  why: {r}" for r in report.reasons]
    for name, message in report.model_errors:
        first = message.strip().splitlines()
        lines.append(f"MODEL ERROR {name}: " + (" / ".join(first[:8]) if first else ""))
    for issue in report.issues:
        lines.append(
            f"{issue.status.upper():5} {issue.name} on {issue.model}"
            f"{'.' + issue.column if issue.column else ''}: {issue.failures} failing row(s)"
        )
        if issue.rows and issue.columns:
            wanted = [
                c
                for c in (
                    "source_file",
                    "source_row_number",
                    "rejected_column",
                    "rejected_value",
                    "rejection_reason",
                    "unmapped_value",
                )
                if c in issue.columns
            ]
            for row in issue.rows[:3]:
                record = dict(zip(issue.columns, row, strict=False))
                shown = wanted or issue.columns[:4]
                lines.append("        " + ", ".join(f"{c}={record[c]}" for c in shown))
        lines.append(f"      action: {issue.action}")
    if report.gate and report.gate.failures:
        for failure in report.gate.failures:
            lines.append(
                f"GATE  {failure.mart}{'.' + failure.column if failure.column else ''}: "
                f"{failure.expectation} ({failure.details})"
            )
    if report.quarantine_by_file:
        lines.append("Quarantined rows by file:")
        for source_file, reason, rows, state in report.quarantine_by_file:
            lines.append(f"  {rows:>6}  {source_file}: {reason} [{state}]")
    if report.scorecards:
        lines.append("Scorecards (published version):")
        lines += [f"  {path}" for path in report.scorecards]
    return "\n".join(lines)


CSS = """
body{font-family:system-ui,sans-serif;margin:2rem;color:#1d2733}
h1{font-size:1.6rem;margin-bottom:.2rem}
h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccd}
.verdict{padding:.8rem 1rem;border-radius:6px;font-weight:600;margin:1rem 0}
.ok{background:#e3f6e8;color:#14532d}
.ko{background:#fde8e8;color:#7f1d1d}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.88rem}
th,td{border:1px solid #d6dbe3;padding:.3rem .55rem;text-align:left;vertical-align:top}
th{background:#f2f4f8}
.fail,.error{color:#b91c1c;font-weight:600}
.warn{color:#a16207;font-weight:600}
.action{background:#f6f8fb;border-left:4px solid #3b82f6;padding:.4rem .7rem;margin:.3rem 0 .8rem}
pre{white-space:pre-wrap;background:#f6f6f6;padding:.6rem}
.muted{color:#667}
.scroll{overflow-x:auto;max-width:100%}
"""


def _table(columns: list[str], rows: list[tuple]) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in columns)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{html.escape('' if v is None else str(v))}</td>" for v in row)
        + "</tr>"
        for row in rows
    )
    return f"<div class='scroll'><table><tr>{head}</tr>{body}</table></div>"


def render_html(report: Report) -> str:
    e = html.escape
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<title>Steward report</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>Social marketing warehouse: steward report</h1>",
        f"<div class='muted'>{e(report.generated_at)}</div>",
        f"<div class='verdict {'ok' if report.published else 'ko'}'>{e(report.verdict)}</div>",
    ]
    if report.reasons:
        parts.append("<ul>" + "".join(f"<li>{e(r)}</li>" for r in report.reasons) + "</ul>")
    if report.model_errors:
        parts.append("<h2>Build errors</h2>")
        for name, message in report.model_errors:
            parts.append(f"<h3>{e(name)}</h3><pre>{e(message)}</pre>")
    parts.append(f"<h2>Failing and warning tests ({len(report.issues)})</h2>")
    if not report.issues:
        parts.append("<p>None.</p>")
    for issue in report.issues:
        target = e(issue.model) + (f".{e(issue.column)}" if issue.column else "")
        parts.append(
            f"<h3><span class='{e(issue.status)}'>{e(issue.status.upper())}</span> "
            f"{e(issue.name)}</h3><div>on <b>{target}</b> · severity {e(issue.severity)} · "
            f"{e(str(issue.failures))} failing row(s)</div>"
            f"<div class='action'>Suggested action: {e(issue.action)}</div>"
        )
        if issue.rows:
            parts.append(_table(issue.columns, issue.rows))
    if report.gate is not None:
        gate = report.gate
        parts.append(
            f"<h2>Great Expectations gate: {'passed' if gate.success else 'FAILED'}</h2>"
            f"<p>{gate.expectations_run} checks on {gate.marts_checked} marts. "
            f"Data Docs: <code>{e(gate.data_docs)}</code></p>"
        )
        if gate.failures:
            parts.append(
                _table(
                    ["mart", "column", "expectation", "details"],
                    [(f.mart, f.column, f.expectation, f.details) for f in gate.failures],
                )
            )
    parts.append("<h2>Quarantined rows by file</h2>")
    if report.quarantine_by_file:
        parts.append(_table(["source file", "reason", "rows", "state"], report.quarantine_by_file))
        parts.append("<h3>Rows (first 50)</h3>")
        parts.append(
            _table(
                ["source file", "row", "column", "raw value", "reason"], report.quarantine_sample
            )
        )
    else:
        parts.append("<p>None.</p>")
    if report.scorecards:
        parts.append("<h2>Scorecards (published version)</h2><ul>")
        for path in report.scorecards:
            parts.append(f"<li><a href='{e(Path(path).as_uri())}'>{e(Path(path).name)}</a></li>")
        parts.append("</ul>")
    if report.landed:
        parts.append("<h2>Landed files</h2>")
        parts.append(_table(["status", "files", "rows read"], report.landed))
    parts.append("</body></html>")
    return "\n".join(parts)


def write_report(report: Report, folder: Path) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    html_path, text_path = folder / "steward_report.html", folder / "steward_report.txt"
    html_path.write_text(render_html(report), encoding="utf-8")
    text_path.write_text(render_text(report) + "\n", encoding="utf-8")
    return html_path, text_path
