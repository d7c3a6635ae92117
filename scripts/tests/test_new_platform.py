"""Adding a platform is registry rows plus one staging folder, and nothing else.

A made-up platform, "Chirper", is added to a private copy of the project the way the
docs tell an analytics engineer to (docs/architecture.md, "Adding a platform"): rows in
the registry seeds, its engagement numerator, an account of a sample organisation with a
follower anchor, and a folder `models/staging/chirper/` holding its docs and unit test.
Its export, landed as downloaded, must reach fct_posts and fct_engagement_monthly with
engagements and rates, and no other file of the project may have changed.
"""

from __future__ import annotations

import filecmp
import os
from pathlib import Path

import pytest
from test_end_to_end import PROJECT_PARTS, Warehouse

PROJECT_ROOT = Path(__file__).resolve().parents[2]  # this checkout

C = "parses;non_negative;whole;at_most_1e9"
ROWS = {
    "seeds/config/platforms.csv": [
        "chirper,Chirper (made up),2019-04-01,false,digit string,made up for a test",
    ],
    "seeds/config/export_kinds.csv": [
        'chirper_posts,chirper,posts,dot,,"Chirper\'s posts export (made up): lifetime totals."',
    ],
    "seeds/config/export_columns.csv": [
        "chirper_posts,chirp_id,1,true,id,,post_id,,not_blank;parses",
        "chirper_posts,posted_on,2,true,local_datetime,,published_at,,"
        "not_blank;parses;not_before_platform;not_after_export",
        f"chirper_posts,hearts,3,true,count,,likes,,{C}",
        f"chirper_posts,replies,4,false,count,,replies,,{C}",
        f"chirper_posts,echoes,5,false,count,,reposts,,{C}",
        f"chirper_posts,views,6,false,count,,impressions,,{C}",
    ],
    "seeds/config/header_aliases.csv": [
        f"chirper_posts,{column},{header},en,confirmed,made up for a test"
        for column, header in [
            ("chirp_id", "Chirp ID"),
            ("posted_on", "Posted on"),
            ("hearts", "Hearts"),
            ("replies", "Replies"),
            ("echoes", "Echoes"),
            ("views", "Views"),
        ]
    ],
    "seeds/reference/engagement_definitions.csv": [
        "chirper,false,true,false,false,true,true,followers at post time,"
        "warehouse_convention,unverified,made up: hearts + replies + echoes",
    ],
    "seeds/organizations/social_accounts.csv": [
        "harbor_ch,harbor_federal_bank,chirper,HarborChirps,,marketing,America/New_York,en_US,"
        "2020-01-01",
    ],
    "seeds/organizations/follower_anchors.csv": [
        "harbor_ch,2026-01-31,5000,made up for a test",
        "harbor_ch,2026-03-01,5000,made up for a test",
    ],
}
FOLDER = {
    "_chirper__docs.md": (
        "{% docs chirper_exports %}\nChirper (a made-up platform) exports posts as CSV with "
        "lifetime totals; `Hearts` are its likes and `Echoes` its reposts.\n{% enddocs %}\n"
    ),
    "_chirper__unit_tests.yml": """unit_tests:
  - name: chirper_posts_are_typed_by_the_registry
    model: base_social__posts
    overrides:
      macros:
        is_incremental: false
        selected_export_kinds: [chirper_posts]
    given:
      - input: source('landing_raw', 'posts')
        format: sql
        rows: |
          select '9001' as chirp_id, '02/03/2026 09:30' as posted_on, '40' as hearts,
              '5' as replies, '-5' as echoes, '2000' as views, 'harbor_ch' as _account_key,
              'chirper' as _platform, 'en' as _header_language, 'chirper_posts' as _export_kind,
              'c.csv' as _source_file, 'h' as _file_hash, 2 as _row_number, '' as _sheet,
              '2026-03-01T00:00:00Z' as _exported_at, '2026-03-01T00:00:00Z' as _loaded_at
      - input: ref('social_accounts')
        rows:
          - {account_key: harbor_ch, export_time_zone: America/New_York, export_locale: en_US}
      - input: ref('platforms')
        rows:
          - {platform: chirper, launched_on: "2019-04-01"}
      - input: ref('export_locales')
        rows:
          - {locale: en_US, language: en, date_order: MDY, decimal_separator: ".",
             is_language_default: true}
      - input: ref('landing_files')
        rows: []
    expect:
      rows:
        - {platform: chirper, post_id: "9001", published_at: "2026-02-03 14:30:00", likes: 40,
           reposts: -5, rejection_reason: "echoes: negative count"}
""",
}
EXPORT = (
    "Chirp ID,Posted on,Hearts,Replies,Echoes,Views\n"
    "9001,02/03/2026 09:30,40,5,5,2000\n"
    "9002,02/10/2026 18:00,10,0,0,900\n"
    "9003,02/20/2026 12:15,95,3,2,4100\n"
)


def _add_platform(project: Path) -> None:
    for rel, rows in ROWS.items():
        path = project / rel
        text = path.read_text(encoding="utf-8")
        path.write_text(text + ("" if text.endswith("\n") else "\n") + "\n".join(rows) + "\n")
    folder = project / "models" / "staging" / "chirper"
    folder.mkdir()
    for name, content in FOLDER.items():
        (folder / name).write_text(content, encoding="utf-8")


def _changed_files(project: Path) -> set[str]:
    """Files of the copy that differ from this checkout, or exist only in the copy."""
    changed = set()
    for part in PROJECT_PARTS:
        for path in [project / part] if (project / part).is_file() else (project / part).rglob("*"):
            if not path.is_file() or "__pycache__" in path.parts:
                continue
            rel = path.relative_to(project).as_posix()
            original = PROJECT_ROOT / rel
            if not original.exists() or not filecmp.cmp(path, original, shallow=False):
                changed.add(rel)
    return changed


@pytest.fixture(scope="module")
def chirper(tmp_path_factory: pytest.TempPathFactory) -> Warehouse:
    root = tmp_path_factory.mktemp("chirper")
    landing = root / "landing"
    export = landing / "chirper" / "harbor_ch" / "Chirper export 2026-03-01.csv"
    export.parent.mkdir(parents=True)
    export.write_text(EXPORT, encoding="utf-8")
    downloaded = 1_772_352_000.0  # 2026-03-01
    os.utime(export, (downloaded, downloaded))
    wh = Warehouse(root, landing)
    _add_platform(wh.project)
    wh.run = wh.build()  # type: ignore[attr-defined]
    return wh


def test_only_registry_rows_and_one_folder_were_added(chirper: Warehouse) -> None:
    assert _changed_files(chirper.project) == set(ROWS) | {
        f"models/staging/chirper/{name}" for name in FOLDER
    }


def test_the_new_platform_builds_with_every_test(chirper: Warehouse) -> None:
    run = chirper.run  # type: ignore[attr-defined]
    assert run.returncode == 0, run.stdout[-4000:]
    assert "chirper_posts_are_typed_by_the_registry" in run.stdout
    assert "assert_landed_rows_reconcile_per_file" in run.stdout


def test_its_posts_reach_the_marts_with_engagements_and_rates(chirper: Warehouse) -> None:
    posts = chirper.query(
        "select post_id, published_at, engagements, followers_at_post,"
        " round(engagement_rate_by_followers, 6), round(engagement_rate_by_impressions, 6)"
        " from marts.fct_posts where platform = 'chirper' order by post_id"
    )
    assert [p[0] for p in posts] == ["9001", "9002", "9003"]
    assert str(posts[0][1]) == "2026-02-03 14:30:00"  # 09:30 in New York
    # hearts + replies + echoes, by the numerator in engagement_definitions
    assert [p[2] for p in posts] == [50, 10, 100]
    # followers: the anchor of 2026-01-31; no daily follows export until the next anchor
    assert [p[3] for p in posts] == [5000, 5000, 5000]
    assert [p[4] for p in posts] == [0.01, 0.002, 0.02]
    assert [p[5] for p in posts] == [0.025, round(10 / 900, 6), round(100 / 4100, 6)]
    monthly = chirper.query(
        "select activity_month, posts, engagements, round(avg_engagement_rate_per_post, 6),"
        " followers_end_of_month, benchmark_fallback"
        " from marts.fct_engagement_monthly where account_key = 'harbor_ch'"
    )
    assert [tuple(str(v) for v in r) for r in monthly] == [
        ("2026-02-01", "3", "160", str(round((0.01 + 0.002 + 0.02) / 3, 6)), "5000",
         "no_benchmark_for_platform"),
    ]  # fmt: skip
    quarantined = chirper.query(
        "select count(*) from staging.stg_landing__quarantined_rows"
        " where export_kind = 'chirper_posts'"
    )
    assert quarantined == [(0,)]
