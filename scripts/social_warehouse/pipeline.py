"""The main job: dbt build -> Great Expectations gate -> atomic publish -> steward report.

Only one build runs at a time (a lock file next to the database). Publishing
happens only when `dbt build` exited 0 (no error-severity test failed, no model
failed) and every gate expectation passed; otherwise the published version is
left exactly as it was and the job exits non-zero. The steward report is written
every time.

Everything happens in the project directory (`settings.project_dir()`: --project-dir,
DBT_PROJECT_DIR or the current directory): dbt runs there, and the landing, raw,
warehouse, publish and reports folders default to folders under it.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from social_warehouse import pseudonyms, settings
from social_warehouse.artifacts import load_manifest, load_run_results, published_marts
from social_warehouse.connectors import enabled_connectors
from social_warehouse.fingerprint import inputs_digest, project_digest
from social_warehouse.gate_result import GateResult
from social_warehouse.publish import current_version, publish, read_manifest
from social_warehouse.steward import build_report, render_text, write_report
from social_warehouse.summary import summarise


class BuildLocked(Exception):
    """Another build holds the lock."""


@dataclass
class Outcome:
    published: str | None
    exit_code: int
    report_html: Path
    report_text: Path


@contextmanager
def build_lock(database: Path, wait_seconds: float):
    """An exclusive lock for the whole job; wait up to `wait_seconds`, then give up."""
    lock_path = database.with_name(database.name + ".build.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a+") as fh:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    fh.seek(0)
                    holder = fh.read().strip() or "another process"
                    raise BuildLocked(
                        f"another build is running ({holder}); nothing was changed. "
                        f"Wait for it, or set BUILD_LOCK_WAIT_SECONDS to wait longer."
                    ) from None
                time.sleep(0.5)
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}")
        fh.flush()
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


# Production builds run the data tests, not the unit tests: unit tests check the SQL
# against fixtures, so they run where the SQL changes (make test, CI), not per load.
PRODUCTION_DBT_ARGS = ("--exclude-resource-type", "unit_test")


def production_args(dbt_args: list[str]) -> list[str]:
    """dbt build arguments of the main job: PRODUCTION_DBT_ARGS unless the caller chose
    resource types itself."""
    chosen = any(a.startswith(("--resource-type", "--exclude-resource-type")) for a in dbt_args)
    return [*dbt_args] if chosen else [*PRODUCTION_DBT_ARGS, *dbt_args]


def _dbt_executable() -> str:
    local = Path(sys.executable).with_name("dbt")
    return str(local) if local.exists() else "dbt"


def run_dbt(args: list[str]) -> subprocess.CompletedProcess:
    """dbt in the project directory, with every path setting resolved for it."""
    return subprocess.run(
        [_dbt_executable(), *args],
        cwd=settings.project_dir(),
        env=settings.dbt_environment(),
        check=False,
    )


def run(dbt_args: list[str], reports_dir: Path | None = None) -> Outcome:
    project = settings.project_dir()
    database = settings.duckdb_path()
    target = settings.dbt_target_path()
    reports = reports_dir or settings.reports_dir()
    publish_dir = settings.publish_dir()
    # no key, no build: raises MissingKey (the command exits 78) before anything is written
    key_id = pseudonyms.pseudonymiser().key_id
    with build_lock(database, settings.build_lock_wait_seconds()):
        landing = settings.landing_dir()
        # another pseudonym key changes every pseudonym: rebuild as for a project change
        project_now = f"{project_digest(project)}:{key_id}"
        digest = inputs_digest(project, landing, dbt_args, project_now)
        current = read_manifest(publish_dir)
        connectors = enabled_connectors(project, dbt_args)
        if connectors:
            print(
                f"Connectors enabled ({', '.join(connectors)}): their tables are read at every run."
            )
        if (
            "--full-refresh" not in dbt_args
            and not settings.force_build()
            and not connectors
            and current is not None
            and current.get("inputs_digest") == digest
            and database.exists()
        ):
            print(
                "Nothing new since the published version (same landed files, same project):"
                " no build needed. FORCE_BUILD=1 builds anyway."
            )
            print(f"VERDICT: UP TO DATE: version {current['run_id']} is current")
            return Outcome(current["run_id"], 0, reports / "steward_report.html",
                           reports / "steward_report.txt")  # fmt: skip
        if (
            current is not None
            and current.get("project_digest", project_now) != project_now
            and "--full-refresh" not in dbt_args
        ):
            # incremental models only look at new landed files: a change of their SQL or
            # of the reference seeds they join must be applied to every row
            print(
                "The dbt project changed since the published version: full refresh "
                "(incremental models rebuilt from the raw layer)."
            )
            dbt_args = [*dbt_args, "--full-refresh"]
        gate_file = reports / "gate_result.json"
        if gate_file.exists():
            gate_file.unlink()
        for stale in ("run_results.json",):
            (target / stale).unlink(missing_ok=True)
        dbt = run_dbt(["build", *production_args(dbt_args)])
        manifest = load_manifest(target)
        marts = published_marts(manifest)
        results = load_run_results(target) if (target / "run_results.json").exists() else None
        reasons: list[str] = []
        gate: GateResult | None = None
        published: str | None = None
        if dbt.returncode != 0:
            failed = results.by_status("error", "fail") if results else []
            reasons.append(
                f"dbt build failed (exit {dbt.returncode}): {len(failed)} model(s) or "
                "error-severity test(s) failed; the gate was not run"
            )
        else:
            # imported here: Great Expectations takes seconds to import, and a run with
            # nothing new (above) never gets this far
            from social_warehouse.quality_gate import run_gate

            gate = run_gate(database, manifest, reports / "great_expectations")
            gate.write(gate_file)
            if not gate.success:
                reasons.append(
                    f"Great Expectations gate failed: {len(gate.failures)} of "
                    f"{gate.expectations_run} checks"
                )
        if dbt.returncode == 0 and gate is not None and gate.success:
            checks = {
                "dbt_tests_passed": len(
                    [
                        r
                        for r in results.results
                        if r.unique_id.startswith("test.") and r.status == "pass"
                    ]
                )
                if results
                else 0,
                "dbt_tests_warned": len(results.by_status("warn")) if results else 0,
                "gate_expectations": gate.expectations_run,
            }
            record = publish(
                database,
                publish_dir,
                results.invocation_id if results else "unknown",
                checks,
                marts,
                inputs_digest=digest,
                project_digest=project_now,
                project=project,
                scorecards=True,
            )
            published = record.run_id
        elif current_version(publish_dir):
            reasons.append(f"still published: version {current_version(publish_dir)}")
        else:
            reasons.append("nothing has been published yet")
        report = build_report(manifest, results, database, gate, published, reasons, project)
        current = read_manifest(publish_dir) or {}
        report.scorecards = [
            str((publish_dir / c).absolute()) for c in current.get("scorecards", [])
        ]
        html_path, text_path = write_report(report, reports)
        print(render_text(report))
        if published:
            print(summarise(database, marts))
        print(f"Steward report: {html_path}")
        print(f"VERDICT: {report.verdict}")
        return Outcome(published, 0 if published else 1, html_path, text_path)
