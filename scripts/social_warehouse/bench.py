"""Benchmark harness: `social-warehouse bench --size 1m` (make bench SIZE=1m).

In one run, on a private copy of the dbt project (the project directory:
--project-dir, DBT_PROJECT_DIR or the current directory) and a generated landing folder:
1. full `dbt build` (models and tests): wall time and peak RSS of the process tree;
2. the anchor: one hand-written DuckDB query computing monthly engagement (mean of
   per-post rates by followers, latest snapshot of each post) from the same landing
   files, and the ratio full build / anchor;
3. incremental: about 0.3 % more data (two new days of exports) landed, rebuilt;
4. no-op rebuild with nothing new: `dbt build` itself (noop_s, the first of three
   runs; all three in noop_runs_s, as the machine's noise), and the main job
   `social-warehouse run`, which skips the build when nothing changed (noop_job_s,
   after one real run: job_s);
5. for 10m, the ratio to the 1m full build (from bench/results-1m.json).
Results go to bench/results-<size>.json and bench/results-<size>.md.

Scale comes from more accounts (replicas of the sample accounts, as an agency or a
banking group would have) and, above 1m, a higher posting frequency per account.
"""

from __future__ import annotations

import csv
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import duckdb

from social_warehouse import settings
from social_warehouse.generator import GeneratorConfig, generate
from social_warehouse.generator.core import follower_anchors
from social_warehouse.generator.simulate import read_accounts
from social_warehouse.pipeline import production_args

BASE_POSTS = 10_530  # posts of the default sample (21 accounts, 24 months)
PROJECT_PARTS = ("dbt_project.yml", "models", "macros", "seeds", "tests", "profiles")
SIZES = {"100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}


def parse_size(text: str) -> int:
    return SIZES.get(text.lower()) or int(text)


def plan(posts: int) -> tuple[int, float]:
    """(replica sets of the sample accounts, posting-frequency multiplier)."""
    factor = posts / BASE_POSTS
    scale = 1.0 if factor <= 100 else min(8.0, factor / 100)
    return max(1, math.ceil(factor / scale)), scale


class RssSampler:
    """Peak resident memory of a process and all its descendants, sampled from /proc."""

    def __init__(self, pid: int, interval: float = 0.1):
        self.pid, self.interval, self.peak_kib = pid, interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as fh:
                        ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
                    children.setdefault(ppid, []).append(int(entry))
                except (OSError, ValueError, IndexError):
                    continue
        tree, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo.extend(children.get(pid, []))
        return tree

    def _run(self) -> None:
        while not self._stop.is_set():
            total = 0
            for pid in self._tree():
                try:
                    with open(f"/proc/{pid}/status") as fh:
                        for line in fh:
                            if line.startswith("VmRSS:"):
                                total += int(line.split()[1])
                except OSError:
                    continue
            self.peak_kib = max(self.peak_kib, total)
            self._stop.wait(self.interval)


def _replicate(accounts_csv: Path, target: Path, sets: int) -> Path:
    with accounts_csv.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for i in range(sets):
        for row in rows:
            copy = dict(row)
            if i:
                copy["account_key"] = f"{row['account_key']}_r{i:04d}"
                copy["handle"] = f"{row['handle']}{i:04d}"
                if row["platform_account_id"]:
                    copy["platform_account_id"] = str(int(row["platform_account_id"]) + i)
            out.append(copy)
    with target.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(out)
    return target


def _generate_part(config: GeneratorConfig) -> tuple[int, int]:
    summary = generate(config)
    return summary.files, summary.posts


def generate_parallel(config: GeneratorConfig, workers: int) -> tuple[int, int]:
    """The generator over account chunks in `workers` processes (same files: seeded per account)."""
    keys = [a.account_key for a in read_accounts(config.accounts_csv)]
    chunks = [tuple(keys[i::workers]) for i in range(workers)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        parts = list(pool.map(_generate_part, [replace(config, accounts=c) for c in chunks if c]))
    return sum(f for f, _ in parts), sum(p for _, p in parts)


def landing_cache(posts: int, work_root: Path, accounts_csv: Path, scale: float) -> dict:
    """Generated exports for `posts`, kept in work_root/landing-cache/<posts> and reused.

    Generating 10M posts takes a long while; the exports depend only on the generator,
    the accounts and the scale, recorded in a stamp next to them.
    """
    cache = work_root / "landing-cache" / str(posts)
    generator_dir = Path(__file__).parent / "generator"
    stamp = {
        "accounts": accounts_csv.read_text(encoding="utf-8"),
        "frequency_scale": scale,
        "generator": sorted(
            (p.name, p.read_text(encoding="utf-8")) for p in generator_dir.glob("*.py")
        ),
    }
    stamp_file = cache / "_stamp.json"
    if stamp_file.exists():
        saved = json.loads(stamp_file.read_text())
        if {k: saved.get(k) for k in stamp} == json.loads(json.dumps(stamp)):
            return saved["summary"]
    if cache.exists():
        shutil.rmtree(cache)
    config = GeneratorConfig(
        landing_dir=cache / "landing", accounts_csv=accounts_csv, frequency_scale=scale
    )
    started = time.perf_counter()
    files, generated = generate_parallel(config, workers=os.cpu_count() or 1)
    summary = {
        "files": files,
        "posts_generated": generated,
        "generate_s": round(time.perf_counter() - started, 1),
    }
    stamp_file.write_text(json.dumps({**stamp, "summary": summary}))
    return summary


def _link_tree(source: Path, target: Path) -> None:
    """Hard-link copy (keeps mtimes, costs no space); new days are moved in, never written
    through a link."""
    shutil.copytree(source, target, copy_function=os.link)


def prepare(posts: int, work: Path, work_root: Path, source: Path | None = None) -> dict:
    """A copy of the project `source` (default: the project directory) whose account and
    anchor seeds include the replicas, and its landing."""
    source = source or settings.project_dir()
    if work.exists():
        shutil.rmtree(work)
    project, landing = work / "project", work / "landing"
    project.mkdir(parents=True)
    for part in PROJECT_PARTS:
        original = source / part
        (shutil.copytree if original.is_dir() else shutil.copy2)(original, project / part)
    sets, scale = plan(posts)
    accounts = _replicate(
        source / "seeds/organizations/social_accounts.csv",
        project / "seeds/organizations/social_accounts.csv",
        sets,
    )
    config = GeneratorConfig(landing_dir=landing, accounts_csv=accounts, frequency_scale=scale)
    anchors = follower_anchors(config)
    anchors["recorded_by"] = "monthly social report"
    anchors.to_csv(project / "seeds/organizations/follower_anchors.csv", index=False)
    cached = landing_cache(posts, work_root, accounts, scale)
    _link_tree(work_root / "landing-cache" / str(posts) / "landing", landing)
    return {
        "project": project,
        "landing": landing,
        "config": config,
        "accounts": len(read_accounts(accounts)),
        **cached,
        "replica_sets": sets,
        "frequency_scale": scale,
    }


def _env(work: Path, project: Path, landing: Path) -> dict[str, str]:
    (work / "warehouse").mkdir(exist_ok=True)
    return {
        **os.environ,
        # the copy, not whichever project DBT_PROJECT_DIR named in the calling shell
        "DBT_PROJECT_DIR": str(project),
        "DBT_PROFILES_DIR": str(project / "profiles"),
        "DBT_TARGET": "dev",
        "DUCKDB_PATH": str(work / "warehouse" / "warehouse.duckdb"),
        "LANDING_DIR": str(landing),
        "RAW_DIR": str(work / "raw"),
        "DBT_TARGET_PATH": str(work / "target"),
        "DBT_LOG_PATH": str(work / "logs"),
    }


def _timed_job(env: dict[str, str], project: Path, work: Path) -> float:
    """`social-warehouse run` (what make build runs): build, gate, publish, or skip."""
    started = time.perf_counter()
    with (work / "job.log").open("a") as log:
        code = subprocess.run(
            [str(Path(sys.executable).with_name("social-warehouse")), "run"],
            cwd=project,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            check=False,
        ).returncode
    if code != 0:
        raise SystemExit(f"the job failed (exit {code}): see {work / 'job.log'}")
    return time.perf_counter() - started


def timed_run(env: dict[str, str], project: Path, command: list[str]) -> tuple[float, int, int]:
    """A command in the project, its output appended to dbt_build.log: (wall s, peak RSS
    KiB of its process tree, exit code)."""
    started = time.perf_counter()
    with (Path(env["DBT_LOG_PATH"]).parent / "dbt_build.log").open("a") as log:
        proc = subprocess.Popen(command, cwd=project, env=env, stdout=log, stderr=subprocess.STDOUT)
        with RssSampler(proc.pid) as sampler:
            code = proc.wait()
    return time.perf_counter() - started, sampler.peak_kib, code


def timed_build(env: dict[str, str], project: Path, *args: str) -> tuple[float, int, int]:
    dbt = Path(sys.executable).with_name("dbt")
    return timed_run(
        env, project, [str(dbt), "build", "--no-use-colors", *production_args(list(args))]
    )


def profile(target: Path, top: int = 6, keep_as: Path | None = None) -> dict:
    """Where a build spent its time, from dbt's run_results.json: the slowest nodes and
    the time per resource type (node times, compiling included, add up across dbt's
    threads). `keep_as`: where to copy the run_results.json, for a closer look."""
    text = (target / "run_results.json").read_text()
    if keep_as is not None:
        keep_as.write_text(text)
    results = json.loads(text)["results"]
    per_type: dict[str, float] = {}
    for r in results:
        kind = r["unique_id"].split(".")[0]
        per_type[kind] = round(per_type.get(kind, 0.0) + r["execution_time"], 1)
    slowest = sorted(results, key=lambda r: -r["execution_time"])[:top]
    return {
        "seconds_by_type": per_type,
        "slowest": [[r["unique_id"].split(".")[2], round(r["execution_time"], 1)] for r in slowest],
    }


ANCHOR_SQL = """
with files as (select * from file_times),
fb as (
    select filename, account_key,
        coalesce("Post ID", "Identifiant de la publication", "Beitrags-ID") as post_id,
        coalesce("Publish time", "Heure de publication", "Veröffentlichungszeitpunkt") as t,
        null as day_first,
        coalesce("Reactions", "Réactions", "Reaktionen") as a,
        coalesce("Comments", "Commentaires", "Kommentare") as b,
        coalesce("Shares", "Partages", "Geteilte Inhalte") as c
    from read_csv({fb_files}, all_varchar = true, filename = true, union_by_name = true,
                  header = true, delim = ',', quote = '"', escape = '"')
    cross join lateral (select split_part(filename, '/', -2) as account_key)
),
ig as (
    select filename, split_part(filename, '/', -2) as account_key, "Post ID" as post_id,
        "Publish time" as t, false as day_first, "Likes" as a, "Comments" as b, '0' as c
    from read_csv({ig_files}, all_varchar = true, filename = true, union_by_name = true,
                  header = true, delim = ',', quote = '"', escape = '"')
),
xn as (
    select filename, split_part(filename, '/', -2) as account_key, "Post id" as post_id,
        strftime(strptime("Date", '%a, %b %d, %Y'), '%m/%d/%Y 00:00') as t, false as day_first,
        "Likes" as a, "Reposts" as b, "Replies" as c
    from read_csv('{landing}/x/*/account_analytics_content_*.csv', all_varchar = true,
                  filename = true, header = true)
),
xl as (
    select filename, split_part(filename, '/', -2) as account_key, "Tweet id" as post_id,
        strftime(strptime("time", '%Y-%m-%d %H:%M %z'), '%m/%d/%Y %H:%M') as t, false as day_first,
        "likes" as a, "retweets" as b, "replies" as c
    from read_csv('{landing}/x/*/tweet_activity_metrics_*.csv', all_varchar = true,
                  filename = true, header = true)
),
posts as (
    select * from fb
    union all select * from ig
    union all select * from xn
    union all select * from xl
),
latest as (
    select
        posts.* exclude (day_first),
        accounts.export_locale <> 'en_US' as day_first,
        files.mtime
    from posts join files using (filename) join accounts using (account_key)
    where post_id is not null and not contains(post_id, 'E+')
    qualify row_number() over (partition by post_id order by files.mtime desc) = 1
),
typed as (
    select account_key, post_id,
        cast(case when day_first then strptime(t, '%d/%m/%Y %H:%M')
                  else strptime(t, '%m/%d/%Y %H:%M') end as date) as day,
        cast(regexp_replace(a, '[^0-9]', '', 'g') as bigint)
        + cast(regexp_replace(b, '[^0-9]', '', 'g') as bigint)
        + cast(regexp_replace(coalesce(c, '0'), '[^0-9]', '', 'g') as bigint) as engagements
    from latest
),
follows as (
    select split_part(filename, '/', -2) as account_key,
        cast(cast(column0 as timestamp) as date) as day, max(cast(column1 as bigint)) as net
    from read_csv({follow_files}, encoding = 'utf-16', skip = 3, header = false,
                  columns = {{'column0': 'VARCHAR', 'column1': 'VARCHAR'}}, filename = true)
    group by all
    union all
    select split_part(filename, '/', -2), cast(strptime("Date", '%a, %b %d, %Y') as date),
        max(cast("New follows" as bigint) - cast("Unfollows" as bigint))
    from read_csv('{landing}/x/*/account_overview_analytics_*.csv', all_varchar = true,
                  filename = true, header = true)
    group by all
),
anchored as (
    select f.account_key, f.day,
        a.followers_total + sum(f.net) over (partition by f.account_key order by f.day
                                             rows between unbounded preceding and current row)
            as followers
    from follows f
    join anchors a on f.account_key = a.account_key and a.recorded_on = '{first_anchor}'
)
select t.account_key, date_trunc('month', t.day) as month, count(*) as posts,
    sum(t.engagements) as engagements,
    avg(t.engagements / nullif(f.followers, 0)) as avg_engagement_rate_per_post
from typed t
left join anchored f on f.account_key = t.account_key and f.day = t.day - 1
group by all
"""


def anchor_query(landing: Path, project: Path) -> tuple[float, int]:
    """The cheapest computation of monthly engagement: one DuckDB query over the files."""
    con = duckdb.connect()
    try:
        con.execute("set threads = 2")
        files = [(str(p), p.stat().st_mtime) for p in landing.rglob("*") if p.suffix == ".csv"]
        con.execute("create table file_times (filename varchar, mtime double)")
        con.executemany("insert into file_times values (?, ?)", files)
        con.execute(
            "create table anchors as select * from read_csv(?, header = true)",
            [str(project / "seeds/organizations/follower_anchors.csv")],
        )
        con.execute(
            "create table accounts as select * from read_csv(?, header = true, all_varchar = true)",
            [str(project / "seeds/organizations/social_accounts.csv")],
        )
        first = con.execute("select cast(min(recorded_on) as varchar) from anchors").fetchall()[0][
            0
        ]
        started = time.perf_counter()

        def listed(paths: list[Path]) -> str:
            return "[" + ", ".join(f"'{p}'" for p in sorted(paths)) + "]"

        csvs = [p for p in landing.rglob("*.csv")]
        sql = ANCHOR_SQL.format(
            landing=landing,
            first_anchor=first,
            fb_files=listed(
                [p for p in csvs if "/facebook/" in str(p) and not p.name.endswith("Follows.csv")]
            ),
            ig_files=listed(
                [p for p in csvs if "/instagram/" in str(p) and not p.name.endswith("Follows.csv")]
            ),
            follow_files=listed([p for p in csvs if p.name.endswith("Follows.csv")]),
        )
        rows = con.execute(f"select count(*) from ({sql})").fetchall()[0][0]
        return time.perf_counter() - started, rows
    finally:
        con.close()


def add_new_days(prepared: dict, days: int = 2) -> int:
    """Land `days` more days of exports for every account (new posts, new follows).

    Generated aside, then moved into the landing folder (which is made of hard links to
    the cache: writing a file in place would change the cached copy too).
    """
    config: GeneratorConfig = prepared["config"]
    first = config.last_day + timedelta(days=1)
    aside = prepared["landing"].parent / "new_days"
    if aside.exists():
        shutil.rmtree(aside)
    extra = replace(
        config,
        landing_dir=aside,
        seed=config.seed + 1,
        first_day=first,
        days=days,
        include_bad_examples=False,
    )
    _, added = generate_parallel(extra, workers=os.cpu_count() or 1)
    for path in sorted(p for p in aside.rglob("*") if p.is_file()):
        target = prepared["landing"] / path.relative_to(aside)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
        path.rename(target)
    shutil.rmtree(aside)
    return added


def _spark_env(work: Path, project: Path, landing: Path) -> dict[str, str]:
    """The `spark` target of the copy, with its metastore and tables under the work folder."""
    return {
        **_env(work, project, landing),
        "DBT_TARGET": "spark",
        "SPARK_HOME_DIR": str(work / "spark"),
    }


def timed_spark_build(env: dict[str, str], project: Path) -> tuple[float, float, int, int]:
    """What `make build-spark` times: the ingest (Python, before dbt on Spark), then
    `dbt build --target spark`. Returns (total s, ingest s, peak RSS KiB, exit code)."""
    ingest_s, ingest_peak, code = timed_run(
        env, project, [sys.executable, "-m", "social_warehouse.spark", "ingest"]
    )
    if code != 0:
        return ingest_s, ingest_s, ingest_peak, code
    build_s, peak, code = timed_build(env, project)
    return ingest_s + build_s, ingest_s, max(peak, ingest_peak), code


def _load_average(started: tuple[float, float, float]) -> str:
    """The 1-minute load average when the run started and when it ended: the figures
    of a run that shared the cores with other work are upper bounds."""
    return f"{started[0]:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"


def run_bench_spark(size: str, out_dir: Path, work_root: Path) -> dict:
    """The full, incremental and no-op builds on the `spark` target (docs/spark.md), on
    the same generated landing as the DuckDB run, next to DuckDB's figures when
    bench/results-<size>.json exists. The anchor is the same DuckDB query."""
    load = os.getloadavg()
    posts = parse_size(size)
    work = work_root / f"{size}-spark"
    prepared = prepare(posts, work, work_root)
    env = _spark_env(work, prepared["project"], prepared["landing"])
    target = Path(env["DBT_TARGET_PATH"])
    runs: dict[str, dict] = {}
    for run in ("full", "incremental", "noop"):
        if run == "incremental":
            prepared["added"] = add_new_days(prepared)
        total, ingest_s, peak, code = timed_spark_build(env, prepared["project"])
        if code != 0:
            raise SystemExit(
                f"{run} Spark build failed (exit {code}): see {work / 'dbt_build.log'}"
            )
        runs[run] = {"s": total, "ingest_s": ingest_s, "peak": peak, "profile": profile(target)}
        if run == "full":
            anchor_s, anchor_rows = anchor_query(prepared["landing"], prepared["project"])
    built = work / "spark" / "spark-warehouse" / "marts.db" / "fct_posts"
    con = duckdb.connect()
    try:
        staged = con.execute(
            "select count(*) from read_parquet(?)", [str(built / "*.parquet")]
        ).fetchall()[0][0]
    finally:
        con.close()
    duck_file = out_dir / f"results-{size}.json"
    duckdb_results = json.loads(duck_file.read_text()) if duck_file.exists() else {}
    full_s = runs["full"]["s"]
    results = {
        "size": size,
        "target": "spark",
        "size_posts": staged,
        "posts_generated": prepared["posts_generated"] + prepared["added"],
        "accounts": prepared["accounts"],
        "files": prepared["files"],
        "full_build_s": round(full_s, 1),
        "full_ingest_s": round(runs["full"]["ingest_s"], 1),
        "anchor_s": round(anchor_s, 2),
        "anchor_rows": anchor_rows,
        "ratio_full_to_anchor": round(full_s / anchor_s, 1),
        "incremental_posts_added": prepared["added"],
        "incremental_s": round(runs["incremental"]["s"], 1),
        "incremental_ingest_s": round(runs["incremental"]["ingest_s"], 1),
        "ratio_incremental_to_full": round(runs["incremental"]["s"] / full_s, 3),
        "noop_s": round(runs["noop"]["s"], 1),
        "noop_ingest_s": round(runs["noop"]["ingest_s"], 1),
        "peak_rss_mib": round(max(r["peak"] for r in runs.values()) / 1024, 1),
        "profile": {run: r["profile"] for run, r in runs.items()},
        # DuckDB's figures beside them only when measured on the same landing
        "duckdb": {
            k: duckdb_results[k]
            for k in (
                "full_build_s",
                "incremental_s",
                "noop_s",
                "peak_rss_mib",
                "measured_on",
                "size_posts",
                "files",
            )
            if k in duckdb_results and duckdb_results.get("files") == prepared["files"]
        },
        "machine": _machine(),
        "versions": {**_versions(), **_versions(("dbt-spark", "pyspark"))},
        "measured_on": date.today().isoformat(),
        "load_average": _load_average(load),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"results-{size}-spark.json").write_text(json.dumps(results, indent=1) + "\n")
    (out_dir / f"results-{size}-spark.md").write_text(render(results))
    return results


def _machine() -> dict:
    return {
        "cores": os.cpu_count(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
    }


def run_bench(size: str, out_dir: Path, work_root: Path, target_name: str = "duckdb") -> dict:
    if target_name == "spark":
        return run_bench_spark(size, out_dir, work_root)
    load = os.getloadavg()
    posts = parse_size(size)
    work = work_root / size
    prepared = prepare(posts, work, work_root)
    env = _env(work, prepared["project"], prepared["landing"])
    target = Path(env["DBT_TARGET_PATH"])
    full_s, full_rss, code = timed_build(env, prepared["project"])
    if code != 0:
        raise SystemExit(f"full build failed (exit {code}): see {work / 'dbt_build.log'}")
    profiles = {"full": profile(target, keep_as=work / "run_results-full.json")}
    anchor_s, anchor_rows = anchor_query(prepared["landing"], prepared["project"])
    added = add_new_days(prepared)
    inc_s, inc_rss, code = timed_build(env, prepared["project"])
    if code != 0:
        raise SystemExit(f"incremental build failed (exit {code})")
    profiles["incremental"] = profile(target, keep_as=work / "run_results-incremental.json")
    noop_s, noop_rss, code = timed_build(env, prepared["project"])
    if code != 0:
        raise SystemExit(f"no-op build failed (exit {code})")
    profiles["noop"] = profile(target, keep_as=work / "run_results-noop.json")
    # the same no-op twice more: how far one run on this machine is from the next
    noop_runs = [noop_s]
    for _ in range(2):
        again_s, again_rss, code = timed_build(env, prepared["project"])
        if code != 0:
            raise SystemExit(f"no-op build failed (exit {code})")
        noop_runs.append(again_s)
        noop_rss = max(noop_rss, again_rss)
    job_env = {**env, "PUBLISH_DIR": str(work / "publish")}
    job_s = _timed_job(job_env, prepared["project"], work)
    noop_job_s = _timed_job(job_env, prepared["project"], work)
    con = duckdb.connect(env["DUCKDB_PATH"], read_only=True)
    try:
        staged = con.execute("select count(*) from marts.fct_posts").fetchall()[0][0]
    finally:
        con.close()
    results = {
        "size": size,
        "size_posts": staged,
        "posts_generated": prepared["posts_generated"] + added,
        "accounts": prepared["accounts"],
        "files": prepared["files"],
        "replica_sets": prepared["replica_sets"],
        "frequency_scale": prepared["frequency_scale"],
        "generate_s": prepared["generate_s"],
        "full_build_s": round(full_s, 1),
        "anchor_s": round(anchor_s, 2),
        "anchor_rows": anchor_rows,
        "ratio_full_to_anchor": round(full_s / anchor_s, 1),
        "incremental_posts_added": added,
        "incremental_s": round(inc_s, 1),
        "ratio_incremental_to_full": round(inc_s / full_s, 3),
        "noop_s": round(noop_s, 1),
        "noop_runs_s": [round(x, 1) for x in noop_runs],
        "job_s": round(job_s, 1),
        "noop_job_s": round(noop_job_s, 2),
        "peak_rss_mib": round(max(full_rss, inc_rss, noop_rss) / 1024, 1),
        "profile": profiles,
        "machine": _machine(),
        "versions": _versions(),
        "measured_on": date.today().isoformat(),
        "load_average": _load_average(load),
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"results-{size}.json").write_text(json.dumps(results, indent=1) + "\n")
    (out_dir / f"results-{size}.md").write_text(render(results))
    if size in ("1m", "10m"):
        refresh_scale_ratio(out_dir)
    return json.loads((out_dir / f"results-{size}.json").read_text())


def refresh_scale_ratio(out_dir: Path) -> float | None:
    """Sets `ratio_10m_to_1m` in results-10m.{json,md}: the 10m full build over the 1m
    full build of the results now on disk. Called after either size ends, so the ratio
    is that of the latest two runs, whichever order they ran in."""
    ten, one = out_dir / "results-10m.json", out_dir / "results-1m.json"
    if not (ten.exists() and one.exists()):
        return None
    results = json.loads(ten.read_text())
    ratio = round(results["full_build_s"] / json.loads(one.read_text())["full_build_s"], 2)
    results["ratio_10m_to_1m"] = ratio
    ten.write_text(json.dumps(results, indent=1) + "\n")
    (out_dir / "results-10m.md").write_text(render(results))
    return ratio


def _versions(packages: tuple[str, ...] = ("dbt-core", "dbt-duckdb", "duckdb", "pyarrow")) -> dict:
    from importlib.metadata import version

    return {p: version(p) for p in packages}


def render(r: dict) -> str:
    targets = {
        "ratio_full_to_anchor": "<= 3",
        "ratio_incremental_to_full": "<= 0.10",
        "noop_s": "<= 15",
        "noop_job_s": "<= 5",
        "peak_rss_mib": "<= 4096",
        "ratio_10m_to_1m": "<= 11",
    }
    lines = [
        f"# Benchmark: {r['size']} ({r['size_posts']:,} posts, {r['accounts']:,} accounts, "
        f"{r['files']:,} files)",
        "",
        f"Machine: {r['machine']['cores']} cores, {r['machine']['memory_gib']} GiB; "
        + ", ".join(f"{k} {v}" for k, v in r["versions"].items()),
        "",
    ]
    spark = r.get("target") == "spark"
    lines += (
        ["| measure | Spark | DuckDB | target |", "|---|---|---|---|"]
        if spark
        else ["| measure | value | target |", "|---|---|---|"]
    )
    for key in (
        "generate_s",
        "full_build_s",
        "full_ingest_s",
        "anchor_s",
        "ratio_full_to_anchor",
        "incremental_s",
        "incremental_ingest_s",
        "ratio_incremental_to_full",
        "noop_s",
        "noop_runs_s",
        "noop_ingest_s",
        "job_s",
        "noop_job_s",
        "peak_rss_mib",
        "ratio_10m_to_1m",
    ):
        if key in r and spark:
            other = r.get("duckdb", {}).get(key, "")
            lines.append(f"| {key} | {r[key]} | {other} | {targets.get(key, '')} |")
        elif key in r:
            lines.append(f"| {key} | {r[key]} | {targets.get(key, '')} |")
    if spark and r.get("duckdb"):
        lines += [
            "",
            f"DuckDB figures: `make bench SIZE={r['size']}` on {r['duckdb'].get('files', '?')} "
            f"files, measured on {r['duckdb'].get('measured_on', '?')}; on DuckDB the ingest "
            "is a node of the build.",
        ]
    if r.get("load_average"):
        lines += ["", f"Load average: {r['load_average']}."]
    for run, prof in r.get("profile", {}).items():
        lines += [
            "",
            f"Where the {run} build spent its time (node seconds, summed over dbt's threads): "
            + ", ".join(f"{k} {v}" for k, v in prof["seconds_by_type"].items()),
            "",
            "| slowest node | s |",
            "|---|---|",
            *(f"| {name} | {sec} |" for name, sec in prof["slowest"]),
        ]
    return "\n".join(lines) + "\n"
