"""Data tests that read only the rows written since they last passed (macros/test_scope.sql).

One Facebook posts export is built up to stg_social__posts. Then rows are changed behind
dbt's back, as a faulty build would leave them:
- an old row (its built_at from the build its tests passed on) gets a null account_key:
  the scoped row_rules test (not_null among its rules) does not read it again; with
  DBT_TEST_SCOPE=all it does;
- a copy of an old row is written with a later built_at: the scoped grain test still
  catches it, because it reads every row sharing a key with a new row;
- a test that failed keeps its watermark, so the next `dbt test` fails again instead of
  passing on "no new rows".
"""

from __future__ import annotations

import re

import duckdb
from test_end_to_end import BIN, Warehouse

EXPORT = (
    "\ufeffPost ID,Page ID,Page name,Title,Description,Duration (sec),Publish time,Caption type,"
    "Permalink,Is crosspost,Is share,Post type,Languages,Custom labels,Funded content status,"
    'Data comment,Date,Views,Reach,"Reactions, comments and shares",Reactions,Comments,Shares,'
    "Total clicks,Other Clicks,Link Clicks\n"
    "1999999999999991,104835129933411,HarborFederalBank,,Hello,0,10/30/2026 10:48,,https://x,"
    "No,No,Photos,,,,,Lifetime,9238,7193,8,4,4,0,43,18,25\n"
    "1999999999999992,104835129933411,HarborFederalBank,,Hello,0,10/30/2026 11:48,,https://x,"
    "No,No,Photos,,,,,Lifetime,9238,7193,9,5,4,0,43,18,25\n"
)
NOT_NULL = "row_rules_stg_social__posts"
GRAIN = "unique_combination_stg_social__posts_platform__post_id"


def _statuses(output: str) -> dict[str, str]:
    """Test name -> status, from dbt result lines ("2 of 9 FAIL 1 unique_... [FAIL 1 in 0.1s]")."""
    return {
        name: status
        for status, name in re.findall(r"\d+ of \d+ (PASS|FAIL|WARN|ERROR)(?: \d+)? (\S+)", output)
    }


def test_scoped_tests_read_new_rows_and_keys_and_retest_after_a_failure(tmp_path) -> None:
    landing = tmp_path / "landing"
    export = landing / "facebook" / "harbor_fb" / "Oct-30-2026_Oct-31-2026_104835129933411.csv"
    export.parent.mkdir(parents=True)
    export.write_text(EXPORT, encoding="utf-8")
    wh = Warehouse(tmp_path / "run", landing)

    run = wh.build(
        "--select",
        "+stg_social__posts",
        "--indirect-selection=cautious",
        "--exclude",
        "resource_type:unit_test",
    )
    assert run.returncode == 0, run.stdout[-4000:]
    passed = wh.query(
        "select count(*) from audit.test_watermarks where test_id like '%stg_social__posts%'"
    )[0][0]
    assert passed >= 2, "passing tests of stg_social__posts recorded no watermark"

    con = duckdb.connect(str(wh.database))
    try:
        con.execute(
            "update staging.stg_social__posts set account_key = null "
            "where post_id = '1999999999999991'"
        )
        con.execute(
            "insert into staging.stg_social__posts select * replace "
            "(timestamp '2999-01-01' as built_at) from staging.stg_social__posts "
            "where post_id = '1999999999999992'"
        )
    finally:
        con.close()

    def test(**env: str) -> dict[str, str]:
        result = wh._run(
            [
                str(BIN / "dbt"),
                "test",
                "--no-use-colors",
                "--select",
                "stg_social__posts",
                "--indirect-selection=cautious",
            ],
            env=env,
        )
        assert result.returncode in (0, 1), result.stdout[-4000:]
        return _statuses(result.stdout)

    scoped = test()
    assert scoped[NOT_NULL] == "PASS", "a scoped not_null test read a row it had passed"
    assert scoped[GRAIN] == "FAIL", "a new row repeating an old key was not caught"

    again = test()
    assert again[GRAIN] == "FAIL", "a failed test passed next time on 'no new rows'"

    full = test(DBT_TEST_SCOPE="all")
    assert full[NOT_NULL] == "FAIL" and full[GRAIN] == "FAIL"
