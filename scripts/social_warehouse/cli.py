"""Command line: `social-warehouse <command>` (also `python -m social_warehouse`)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from social_warehouse import PROJECT_ROOT


def _landing_default() -> Path:
    return Path(os.environ.get("LANDING_DIR", PROJECT_ROOT / "data" / "landing"))


def cmd_generate(args: argparse.Namespace) -> int:
    from social_warehouse.generator import GeneratorConfig, generate

    landing = Path(args.landing_dir)
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

    for path in sample_seeds.write_all(PROJECT_ROOT / "seeds" / "organizations", args.seed):
        print(f"wrote {path.relative_to(PROJECT_ROOT)}")
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    from social_warehouse.summary import default_database, summarise

    print(summarise(Path(args.database) if args.database else default_database()))
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from social_warehouse.pipeline import BuildLocked, run

    try:
        return run(args.dbt_args).exit_code
    except BuildLocked as err:
        print(f"VERDICT: NOT STARTED: {err}", file=sys.stderr)
        return 75


def cmd_bench(args: argparse.Namespace) -> int:
    from social_warehouse.bench import render, run_bench

    results = run_bench(args.size, Path(args.out), Path(args.work))
    print(render(results))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="social-warehouse", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    gen = sub.add_parser("generate", help="write sample native exports into the landing folder")
    gen.add_argument("--landing-dir", default=str(_landing_default()))
    gen.add_argument("--seed", type=int, default=20261123)
    gen.add_argument(
        "--scale", type=float, default=1.0, help="multiply every account's posting frequency"
    )
    gen.add_argument("--if-empty", action="store_true", help="do nothing if exports are present")
    gen.add_argument(
        "--clean-only", action="store_true", help="leave out the deliberately bad sample file"
    )
    gen.set_defaults(func=cmd_generate)

    seeds = sub.add_parser(
        "sample-seeds",
        help="rewrite the sample organisations' seeds that derive from the generator",
    )
    seeds.add_argument("--seed", type=int, default=20261123)
    seeds.set_defaults(func=cmd_sample_seeds)

    summary = sub.add_parser("summary", help="print a short summary of the built marts")
    summary.add_argument("--database", default=None, help="DuckDB file (default: DUCKDB_PATH)")
    summary.set_defaults(func=cmd_summary)

    job = sub.add_parser(
        "run",
        help="dbt build, quality gate, atomic publish and steward report (make build);"
        " other arguments go to dbt build",
    )
    job.set_defaults(func=cmd_run)

    bench = sub.add_parser("bench", help="benchmark: full, anchor, incremental and no-op builds")
    bench.add_argument("--size", default="1m", help="posts: 100k, 1m, 10m or a number")
    bench.add_argument("--out", default=str(PROJECT_ROOT / "bench"))
    bench.add_argument("--work", default=str(PROJECT_ROOT / "bench" / "work"))
    bench.set_defaults(func=cmd_bench)

    # `run` passes every argument it does not know to `dbt build` (e.g. --select, --full-refresh)
    args, extra = parser.parse_known_args(argv)
    if args.command == "run":
        args.dbt_args = extra
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
