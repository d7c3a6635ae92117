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
from social_warehouse.gate_result import GateResult

SAMPLE_ROWS = 10

# What to do about a failing test is written with the test, as data: `steward_action` in
# the test's meta (config(meta=...) of a singular test or of the project's generic test
# definitions, or config: meta: where a test is applied). dbt's built-in generic tests
# (not_null, unique, relationships, accepted_values) cannot carry it, so their advice
# per test type is the seed below. Placeholders: {column}, {model}, {to}, {expression}.
ACTIONS_SEED = "steward_actions"  # columns: test_type, steward_action, plain_description,
# failure_count
DEFAULT_ACTION = "Read the failing rows below and the test's description in the docs site."
# What a failing test checks, in words, and what its count means: the test's YAML
# `description`, else `steward_description` in its meta (templates, like the advice), else
# the seed's plain_description / failure_count for its type, else these.
DEFAULT_DESCRIPTION = "The {test_type} check on {subject} found problems."
DEFAULT_COUNT = "{failures} failing row(s)"
# columns of stored failures that count the rows behind one failing row (a value, a key)
ROW_COUNT_COLUMNS = ("n_records", "occurrences")
# columns of stored failures that hold the failing value of the tested column
VALUE_COLUMNS = ("unmapped_value", "value_field", "from_field", "unique_field")
REFUSED_MARK = "landed file(s) cannot be loaded"


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
    title: str = ""  # what the test checks, in words (never the dbt id)
    subject: str = ""  # the model (or seed) and column, in words
    count: str = ""  # what the failures mean, counted
    locations: list[str] = field(default_factory=list)  # file and line of failing rows
    unique_id: str = ""


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
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (node in words, why)
    refused_files: list[str] = field(default_factory=list)  # "path: problem", in full


def _project(project: Path | None) -> Path | None:
    try:
        return project or settings.project_dir()
    except settings.ProjectNotFound:
        return None


def _seed_column_by_type(manifest: Manifest, project: Path | None, column: str) -> dict[str, str]:
    """One column of the ACTIONS_SEED seed's CSV by test type (found through the manifest,
    read from the project's file: it is there even when the build failed before seeds)."""
    relative = manifest.seed_files.get(ACTIONS_SEED)
    root = _project(project)
    if not relative or root is None or not (root / relative).is_file():
        return {}
    with (root / relative).open(encoding="utf-8", newline="") as fh:
        return {
            (row.get("test_type") or "").strip(): (row.get(column) or "").strip()
            for row in csv.DictReader(fh)
            if (row.get("test_type") or "").strip() and (row.get(column) or "").strip()
        }


def actions_by_type(manifest: Manifest, project: Path | None = None) -> dict[str, str]:
    """Advice per test type from the ACTIONS_SEED seed."""
    return _seed_column_by_type(manifest, project, "steward_action")


class _Placeholders(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"  # an unknown placeholder is shown as written


def _ref_name(value: object) -> str:
    text = str(value or "").strip()
    for prefix in ("ref(", "source("):
        if text.startswith(prefix) and text.endswith(")"):
            text = text[len(prefix) : -1]
    return ".".join(part.strip().strip("'\"") for part in text.split(","))


def _fill(template: str, test: TestNode, model: str, **extra: object) -> str:
    values = _Placeholders(
        column=test.column_name or "",
        model=model,
        to=_ref_name(test.kwargs.get("to", "")),
        expression=str(test.kwargs.get("expression", "")).strip(),
        values=", ".join(str(v) for v in test.kwargs.get("values") or ()),
        test_type=test.test_type.replace("_", " "),
        **extra,
    )
    try:
        return str(template).format_map(values)
    except (ValueError, IndexError, AttributeError):  # stray braces: show it as written
        return str(template)


def _action(test: TestNode, model: str, by_type: dict[str, str] | None = None) -> str:
    template = (
        test.meta.get("steward_action") or (by_type or {}).get(test.test_type) or DEFAULT_ACTION
    )
    return _fill(str(template), test, model)


def _first_sentence(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    if not text or text.startswith("{{"):
        return ""
    end = text.find(". ")
    text = text if end < 0 else text[: end + 1]
    return text if len(text) <= limit else text[: limit - 3].rsplit(" ", 1)[0] + "..."


def _kind(unique_id: str) -> str:
    return unique_id.split(".", 1)[0] if "." in unique_id else "node"


def node_in_words(manifest: Manifest, unique_id: str, *, short: bool = False) -> str:
    """`seed channel_spend (Marketing spend as each organisation records it: ...)`."""
    name = manifest.node_names.get(unique_id, unique_id)
    about = "" if short else _first_sentence(manifest.node_descriptions.get(unique_id, ""))
    return f"{_kind(unique_id)} {name}" + (f" ({about})" if about else "")


def subject_in_words(manifest: Manifest, test: TestNode, *, short: bool = False) -> str:
    """The model and column a test is about, in words (short: without their descriptions)."""
    node = test.attached_node or ""
    words = node_in_words(manifest, node, short=short) if node else "the project"
    if not test.column_name:
        return words
    about = _first_sentence(manifest.column_descriptions.get(node, {}).get(test.column_name, ""))
    column = f"column {test.column_name}" + (f" ({about})" if about and not short else "")
    return f"{column} of {words}"


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
    words = _Words(
        actions=actions_by_type(manifest, project),
        descriptions=_seed_column_by_type(manifest, project, "plain_description"),
        counts=_seed_column_by_type(manifest, project, "failure_count"),
        project=_project(project),
    )
    con = duckdb.connect(str(database), read_only=True) if database.exists() else None
    try:
        issues, model_errors = [], []
        for result in results.results if results else ():
            if result.unique_id.startswith("test.") and result.status in ("fail", "error", "warn"):
                issues.append(_issue(manifest, result, con, words))
            elif result.status == "error":
                model_errors.append(
                    (
                        manifest.node_names.get(result.unique_id, result.unique_id),
                        result.message or "",
                    )
                )
        issues.sort(key=lambda i: (i.status == "warn", i.title, i.name))
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
        skipped=(
            skipped_in_words(manifest, results, {i.unique_id: i.title for i in issues})
            if results
            else []
        ),
        refused_files=refused_files(model_errors),
    )


def _safe(con, sql: str) -> list[tuple]:
    try:
        return con.execute(sql).fetchall()
    except duckdb.Error:
        return []


@dataclass(frozen=True)
class _Words:
    actions: dict[str, str]
    descriptions: dict[str, str]
    counts: dict[str, str]
    project: Path | None


def _rows_behind(con, relation: str | None, columns: list[str], failures: int | None) -> int:
    """Rows the failures stand for: the sum of a count column (one failing row per value
    or key) when the stored failures have one, else the failures themselves."""
    counted = next((c for c in ROW_COUNT_COLUMNS if c in columns), None)
    if con is None or not relation or counted is None:
        return failures or 0
    try:
        total = con.execute(f"select sum({counted}) from {relation}").fetchone()[0]
    except duckdb.Error:
        return failures or 0
    return int(total or 0)


def _same(cell: str, value: object) -> bool:
    if value is None:
        return cell.strip() == ""
    if cell == str(value):
        return True
    try:
        return float(cell) == float(value)  # 135360.0 stored, 135360 written
    except (TypeError, ValueError):
        return cell.strip() == str(value).strip()


def seed_lines(csv_path: Path, test: TestNode, columns: list[str], rows: list[tuple]) -> list[int]:
    """Line numbers (header = line 1) of the seed rows behind the failing rows: matched on
    the columns the failing rows share with the CSV, or on the tested column's value."""
    if not csv_path.is_file() or not rows:
        return []
    with csv_path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        header = reader.fieldnames or []
        shared = [c for c in columns if c in header]
        value_column = next((c for c in VALUE_COLUMNS if c in columns), None)
        targets: list[dict[str, object]] = []
        for row in rows:
            record = dict(zip(columns, row, strict=False))
            if shared:
                targets.append({c: record[c] for c in shared})
            elif test.column_name in header and value_column:
                targets.append({test.column_name: record[value_column]})
        lines = []
        for record in reader:
            if any(all(_same(record.get(c) or "", v) for c, v in t.items()) for t in targets):
                lines.append(reader.line_num)
    return lines


def _locations(
    manifest: Manifest, test: TestNode, columns: list[str], rows: list[tuple], words: _Words
) -> list[str]:
    """Where the failing rows come from: landing file and row, or seed file and line."""
    found: list[str] = []
    if "source_file" in columns:
        at = columns.index("source_file")
        row_at = columns.index("source_row_number") if "source_row_number" in columns else None
        for row in rows:
            where = f"landing file {row[at]}"
            if row_at is not None and row[row_at] is not None:
                where += f", row {row[row_at]}"
            if where not in found:
                found.append(where)
        return found
    node = test.attached_node or ""
    relative = manifest.node_files.get(node, "")
    if node.startswith("seed.") and relative and words.project is not None:
        lines = seed_lines(words.project / relative, test, columns, rows)
        if lines:
            found.append(f"seed file {relative}, line{'s' if len(lines) > 1 else ''} "
                         + ", ".join(str(n) for n in lines))  # fmt: skip
        else:
            found.append(f"seed file {relative}")
    return found


def _issue(manifest: Manifest, result: NodeResult, con, words: _Words) -> TestIssue:
    test = manifest.tests.get(result.unique_id)
    if test is None:  # pragma: no cover - a result always has its node
        test = TestNode(result.unique_id, result.unique_id, "singular", None, None, "error", "")
    model = manifest.node_names.get(test.attached_node or "", test.attached_node or "-")
    columns, rows = _rows(con, result.relation_name)
    subject = subject_in_words(manifest, test)
    title_template = (
        test.description.strip()
        or str(test.meta.get("steward_description") or "")
        or words.descriptions.get(test.test_type)
        or DEFAULT_DESCRIPTION
    )
    count_template = (
        str(test.meta.get("steward_count") or "")
        or words.counts.get(test.test_type)
        or DEFAULT_COUNT
    )
    failures = result.failures or 0
    behind = _rows_behind(con, result.relation_name, columns, result.failures)
    return TestIssue(
        name=test.name,
        status=result.status,
        severity=test.severity,
        test_type=test.test_type,
        model=model,
        column=test.column_name,
        failures=result.failures,
        message=result.message or "",
        action=_action(test, model, words.actions),
        columns=columns,
        rows=rows,
        title=" ".join(
            _fill(
                title_template, test, model, subject=subject_in_words(manifest, test, short=True)
            ).split()
        ),
        subject=subject,
        count=(
            "the test could not run: " + _first_sentence(result.message or "", 300)
            if result.status == "error"
            else _fill(count_template, test, model, failures=failures, rows=behind)
        ),
        locations=_locations(manifest, test, columns, rows, words),
        unique_id=result.unique_id,
    )


def _ancestors(manifest: Manifest, unique_id: str) -> set[str]:
    seen: set[str] = set()
    todo = list(manifest.parents.get(unique_id, ()))
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(manifest.parents.get(node, ()))
    return seen


SKIPPABLE = ("model.", "seed.", "snapshot.")


def skipped_in_words(
    manifest: Manifest, results: RunResults, titles: dict[str, str] | None = None
) -> list[tuple[str, str]]:
    """Every skipped model, seed or snapshot with the failures upstream that caused it:
    a node that errored, or an error-severity test that failed on an upstream node
    (`titles`: each test's description in words, by unique_id)."""
    status = {r.unique_id: r.status for r in results.results}
    broken_nodes = {u for u, s in status.items() if s == "error" and not u.startswith("test.")}
    failed_tests = [
        manifest.tests[u]
        for u, s in status.items()
        if u.startswith("test.") and s in ("fail", "error") and u in manifest.tests
    ]
    skipped = []
    for result in results.results:
        if result.status != "skipped" or not result.unique_id.startswith(SKIPPABLE):
            continue
        upstream = _ancestors(manifest, result.unique_id)
        causes = [
            f"{manifest.node_names.get(u, u)} failed to build" for u in sorted(upstream)
            if u in broken_nodes
        ]  # fmt: skip
        for test in failed_tests:
            if test.attached_node in upstream:
                words = (titles or {}).get(test.unique_id) or test.description.strip()
                cause = (
                    f"{words or 'a ' + test.test_type + ' test'} "
                    f"(failed on {manifest.node_names.get(test.attached_node, '')})"
                )
                if cause not in causes:
                    causes.append(cause)
        skipped.append(
            (
                node_in_words(manifest, result.unique_id),
                "; ".join(causes) or "an upstream failure (see the failures above)",
            )
        )
    return sorted(skipped)


def refused_files(model_errors: list[tuple[str, str]]) -> list[str]:
    """Each landed file the ingest refused, `path: problem`, from the landing model's error."""
    refused = []
    for _name, message in model_errors:
        if REFUSED_MARK not in message:
            continue
        for line in message.splitlines():
            line = line.strip()
            if line.startswith("- "):
                refused.append(line[2:].strip())
    return refused


def render_text(report: Report) -> str:
    lines = [f"Steward report ({report.generated_at})", f"Verdict: {report.verdict}"]
    lines += [f"  why: {r}" for r in report.reasons]
    for refused in report.refused_files:
        lines.append(f"REFUSED landed file {refused}")
    for name, message in report.model_errors:
        first = [line.strip() for line in message.strip().splitlines() if line.strip()]
        if report.refused_files and any(REFUSED_MARK in line for line in first):
            first = [line for line in first if not line.startswith("- ")]  # listed above
        lines.append(f"MODEL ERROR {name}: " + (" / ".join(first[:8]) if first else ""))
    for issue in report.issues:
        lines.append(f"{issue.status.upper():5} {issue.title or issue.name}")
        lines.append(f"      on {issue.subject or issue.model}: {issue.count}")
        lines.extend(f"      at {where}" for where in issue.locations)
        lines.append(f"      (dbt test {issue.name})")
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
    if report.skipped:
        lines.append(
            f"Skipped ({len(report.skipped)}), not built because something upstream failed:"
        )
        lines.extend(f"  {node}: {why}" for node, why in report.skipped)
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
.rows td{white-space:nowrap}
.where{margin:.2rem 0}
.testid{font-size:.78rem;color:#667}
"""


def _table(columns: list[str], rows: list[tuple], *, wrap: bool = False) -> str:
    """A table in a horizontally scrolling box; cells of data rows do not wrap (wide rows
    scroll instead of being cut off), prose tables (`wrap`) do."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in columns)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{html.escape('' if v is None else str(v))}</td>" for v in row)
        + "</tr>"
        for row in rows
    )
    return (
        f"<div class='scroll'><table class='{'prose' if wrap else 'rows'}'>"
        f"<tr>{head}</tr>{body}</table></div>"
    )


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
    if report.refused_files:
        parts.append(f"<h2>Refused landed files ({len(report.refused_files)})</h2>")
        parts.append("<ul>" + "".join(f"<li>{e(r)}</li>" for r in report.refused_files) + "</ul>")
    if report.model_errors:
        parts.append("<h2>Build errors</h2>")
        for name, message in report.model_errors:
            parts.append(f"<h3>{e(name)}</h3><pre>{e(message)}</pre>")
    parts.append(f"<h2>Failing and warning tests ({len(report.issues)})</h2>")
    if not report.issues:
        parts.append("<p>None.</p>")
    for issue in report.issues:
        parts.append(
            f"<h3><span class='{e(issue.status)}'>{e(issue.status.upper())}</span> "
            f"{e(issue.title or issue.name)}</h3>"
            f"<div>On {e(issue.subject or issue.model)} · severity {e(issue.severity)} · "
            f"<b>{e(issue.count)}</b></div>"
        )
        parts.extend(f"<div class='where'>At <b>{e(where)}</b></div>" for where in issue.locations)
        parts.append(
            f"<div class='action'>Suggested action: {e(issue.action)}</div>"
            f"<div class='testid'>dbt test: {e(issue.name)}</div>"
        )
        if issue.rows:
            parts.append(_table(issue.columns, issue.rows))
    if report.skipped:
        parts.append(
            f"<h2>Skipped: not built because something upstream failed ({len(report.skipped)})</h2>"
        )
        parts.append(_table(["not built", "because"], report.skipped, wrap=True))
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
