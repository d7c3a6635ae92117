"""Seeds load only when they changed (macros/seed_loads.sql).

A second `dbt seed` leaves every table as it is; an edited seed file, a changed seed
config or --full-refresh load the seed again, and its table holds the new rows. A seed
over 1 MiB, whose content dbt does not hash, loads every time.
"""

from __future__ import annotations

import json
import re

import duckdb
from test_end_to_end import BIN, Warehouse


def _messages(wh: Warehouse) -> dict[str, str]:
    """Seed name -> the message of its result in the last dbt invocation."""
    results = json.loads((wh.root / "target" / "run_results.json").read_text())["results"]
    return {
        r["unique_id"].split(".")[2]: r["message"]
        for r in results
        if r["unique_id"].startswith("seed.")
    }


def _seed(wh: Warehouse, *extra: str) -> dict[str, str]:
    run = wh._run([str(BIN / "dbt"), "seed", "--no-use-colors", *extra])
    assert run.returncode == 0, run.stdout[-4000:]
    return _messages(wh)


def test_unchanged_seeds_are_not_loaded_again(tmp_path) -> None:
    landing = tmp_path / "landing"
    landing.mkdir()
    wh = Warehouse(tmp_path / "run", landing)

    first = _seed(wh)
    assert first and all(re.fullmatch(r"(INSERT|CREATE) \d+", m) for m in first.values()), first
    assert wh.query("select count(*) from audit.seed_loads") == [(len(first),)]

    second = _seed(wh)
    assert set(second.values()) == {"UNCHANGED"}, second
    platforms = wh.query("select count(*) from seeds.platforms")[0][0]

    # an edited file loads again, and only that seed
    csv = next(wh.project.glob("seeds/**/platforms.csv"))
    lines = csv.read_text(encoding="utf-8").splitlines(keepends=True)
    csv.write_text("".join(lines[:-1]), encoding="utf-8")
    third = _seed(wh)
    assert third.pop("platforms") == f"INSERT {platforms - 1}"
    assert set(third.values()) == {"UNCHANGED"}, third
    assert wh.query("select count(*) from seeds.platforms") == [(platforms - 1,)]

    # a changed config loads again: the same file, its column names quoted
    project = wh.project / "dbt_project.yml"
    text = project.read_text(encoding="utf-8")
    project.write_text(
        text.replace("    +schema: seeds\n", "    +schema: seeds\n    +quote_columns: true\n", 1),
        encoding="utf-8",
    )
    requoted = _seed(wh)
    assert all(m.startswith("INSERT ") for m in requoted.values()), requoted

    # --full-refresh loads every seed
    refreshed = _seed(wh, "--full-refresh")
    assert all(m.startswith("CREATE ") for m in refreshed.values()), refreshed

    # a seed table dropped behind dbt's back is loaded again
    con = duckdb.connect(str(wh.database))
    try:
        con.execute("drop table seeds.platforms")
    finally:
        con.close()
    again = _seed(wh)
    assert again["platforms"] == f"INSERT {platforms - 1}"


def test_a_seed_over_one_mebibyte_loads_every_time(tmp_path) -> None:
    landing = tmp_path / "landing"
    landing.mkdir()
    wh = Warehouse(tmp_path / "run", landing)
    rows = 30_000
    big = wh.project / "seeds" / "big_reference.csv"
    big.write_text(
        "code,label\n" + "".join(f"{i},{'x' * 40}\n" for i in range(rows)), encoding="utf-8"
    )
    assert big.stat().st_size > 1024 * 1024

    for _ in range(2):
        run = wh._run(
            [str(BIN / "dbt"), "seed", "--no-use-colors", "--select", "big_reference", "platforms"]
        )
        assert run.returncode == 0, run.stdout[-4000:]
    messages = _messages(wh)
    assert messages == {"big_reference": f"INSERT {rows}", "platforms": "UNCHANGED"}
