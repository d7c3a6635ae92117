"""Command line: `social-warehouse [--project-dir DIR] <command>` (also `python -m
social_warehouse`). Every command works on the dbt project in DIR (default:
DBT_PROJECT_DIR, else the current directory)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from social_warehouse import settings

ACCOUNTS_SEED = Path("seeds") / "organizations" / "social_accounts.csv"


def cmd_generate(args: argparse.Namespace) -> int:
    from social_warehouse.generator import GeneratorConfig, generate

    landing = Path(args.landing_dir) if args.landing_dir else settings.landing_dir()
    if args.create_key:
        _create_key()
    if (
        args.if_empty
        and landing.exists()
        and any(p.is_file() for p in landing.rglob("*") if p.name != "README.md")
    ):
        print(f"{landing} already holds exports: nothing generated")
        return 0
    started = time.perf_counter()
    summary = generate(
        GeneratorConfig(
            landing_dir=landing,
            seed=args.seed,
            frequency_scale=args.scale,
            include_bad_examples=not args.clean_only,
            # the accounts of the project run in, not of the checkout the package sits in
            accounts_csv=settings.project_dir() / ACCOUNTS_SEED,
        )
    )
    took = time.perf_counter() - started
    kinds = ", ".join(f"{k}: {v}" for k, v in sorted(summary.by_kind.items()))
    print(
        f"generated {summary.files} files, {summary.posts} posts, {summary.rows} rows "
        f"in {took:.1f}s into {landing} ({kinds})"
    )
    return 0


def cmd_sample_seeds(args: argparse.Namespace) -> int:
    from social_warehouse.generator import sample_seeds

    project = settings.project_dir()
    for path in sample_seeds.write_all(project / "seeds" / "organizations", args.seed):
        print(f"wrote {path.relative_to(project)}")
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    from social_warehouse.artifacts import load_manifest, published_marts
    from social_warehouse.summary import default_database, summarise

    target = settings.dbt_target_path()
    if not (target / "manifest.json").is_file():
        print(
            f"no {target / 'manifest.json'}: the marts to summarise come from dbt's manifest;"
            " run `make build` (or `dbt parse`) first",
            file=sys.stderr,
        )
        return 1
    marts = published_marts(load_manifest(target))
    print(summarise(Path(args.database) if args.database else default_database(), marts))
    return 0


def cmd_settings(args: argparse.Namespace) -> int:
    print(settings.describe())
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from social_warehouse.pipeline import BuildLocked, run
    from social_warehouse.pseudonyms import EXIT_NO_KEY, MissingKey

    try:
        return run(args.dbt_args).exit_code
    except BuildLocked as err:
        print(f"VERDICT: NOT STARTED: {err}", file=sys.stderr)
        return 75
    except MissingKey as err:
        print(f"VERDICT: NOT STARTED: {err}", file=sys.stderr)
        return EXIT_NO_KEY


def _create_key() -> None:
    from social_warehouse.pseudonyms import create_key

    if settings.text("SOCIAL_WAREHOUSE_PSEUDONYM_KEY"):
        print("the pseudonym key comes from SOCIAL_WAREHOUSE_PSEUDONYM_KEY: no key file needed")
        return
    path, created = create_key()
    if created:
        print(f"created the pseudonym key {path} (mode 0600); keep it, and keep it secret")
    else:
        print(f"the pseudonym key {path} exists: kept as it is")


def cmd_key(args: argparse.Namespace) -> int:
    from social_warehouse.pseudonyms import MissingKey, load_key

    _create_key()
    try:
        load_key()
    except MissingKey as err:
        print(f"social-warehouse: {err}", file=sys.stderr)
        return 78
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from social_warehouse.bench import render, run_bench

    project = settings.project_dir()
    out = Path(args.out) if args.out else project / "bench"
    work = Path(args.work) if args.work else project / "bench" / "work"
    results = run_bench(args.size, out, work, args.target)
    print(render(results))
    return 0


def _project_option(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--project-dir",
        default=default,
        metavar="DIR",
        help="the dbt project (folder holding dbt_project.yml) to work on; default: "
        "DBT_PROJECT_DIR, else the current directory",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="social-warehouse",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _project_option(parser, None)
    # also accepted after the command (`run --project-dir DIR` must not reach dbt alone)
    common = argparse.ArgumentParser(add_help=False)
    _project_option(common, argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True)

    gen = sub.add_parser(
        "generate", parents=[common], help="write sample native exports into the landing folder"
    )
    gen.add_argument("--landing-dir", default=None, help="default: LANDING_DIR")
    gen.add_argument("--seed", type=int, default=20261123)
    gen.add_argument(
        "--scale", type=float, default=1.0, help="multiply every account's posting frequency"
    )
    gen.add_argument("--if-empty", action="store_true", help="do nothing if exports are present")
    gen.add_argument(
        "--clean-only", action="store_true", help="leave out the deliberately bad sample file"
    )
    gen.add_argument(
        "--create-key",
        action="store_true",
        help="also create the pseudonym key file when there is no key (see `key init`)",
    )
    gen.set_defaults(func=cmd_generate)

    seeds = sub.add_parser(
        "sample-seeds",
        parents=[common],
        help="rewrite the sample organisations' seeds that derive from the generator",
    )
    seeds.add_argument("--seed", type=int, default=20261123)
    seeds.set_defaults(func=cmd_sample_seeds)

    summary = sub.add_parser(
        "summary", parents=[common], help="print a short summary of the built marts"
    )
    summary.add_argument("--database", default=None, help="DuckDB file (default: DUCKDB_PATH)")
    summary.set_defaults(func=cmd_summary)

    job = sub.add_parser(
        "run",
        parents=[common],
        help="dbt build, quality gate, atomic publish and steward report (make build);"
        " other arguments go to dbt build",
    )
    job.set_defaults(func=cmd_run)

    bench = sub.add_parser(
        "bench", parents=[common], help="benchmark: full, anchor, incremental and no-op builds"
    )
    bench.add_argument("--size", default="1m", help="posts: 100k, 1m, 10m or a number")
    bench.add_argument(
        "--target",
        choices=("duckdb", "spark"),
        default="duckdb",
        help="engine: duckdb (default) or spark (needs make venv-spark; results-<size>-spark.*)",
    )
    bench.add_argument("--out", default=None, help="default: bench/ in the project")
    bench.add_argument("--work", default=None, help="default: bench/work/ in the project")
    bench.set_defaults(func=cmd_bench)

    key = sub.add_parser(
        "key",
        parents=[common],
        help="the pseudonym key: `key init` creates the key file (mode 0600) unless one exists",
    )
    key.add_argument("action", choices=["init"])
    key.set_defaults(func=cmd_key)

    listing = sub.add_parser(
        "settings",
        parents=[common],
        help="list every environment setting: current value, default and meaning",
    )
    listing.set_defaults(func=cmd_settings)

    # `run` passes every argument it does not know to `dbt build` (e.g. --select, --full-refresh)
    args, extra = parser.parse_known_args(argv)
    if args.command == "run":
        args.dbt_args = extra
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        if args.project_dir is not None:
            settings.use_project_dir(args.project_dir)
        return int(args.func(args))
    except settings.ProjectNotFound as err:
        print(f"social-warehouse: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
