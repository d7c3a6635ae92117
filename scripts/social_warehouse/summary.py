"""A short plain-text summary of the marts, printed at the end of `make build`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb

from social_warehouse import settings


def default_database() -> Path:
    return settings.duckdb_path()


def _fmt(value: object, pct: bool = False) -> str:
    if value is None:
        return "-"
    if pct:
        return f"{float(value) * 100:.2f}%"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def summarise(database: Path, marts: Sequence[str]) -> str:
    """Row counts of `marts` (the published ones: `artifacts.published_marts`), the
    quarantine and the latest month per organisation."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        lines = [f"Marts in {database}:"]
        for mart in marts:
            (count,) = con.execute(f"select count(*) from marts.{mart}").fetchall()[0]
            lines.append(f"  {mart:<32} {count:>9,} rows")
        quarantined = con.execute(
            "select count(*), count(distinct source_file)"
            " from staging.stg_landing__quarantined_rows"
        ).fetchall()[0]
        lines.append(
            f"  quarantined rows                 {quarantined[0]:>9,} "
            f"(from {quarantined[1]} file(s): see staging.stg_landing__quarantined_rows)"
        )
        latest = con.execute(
            """
            with last_month as (select max(spend_month) as m from marts.fct_social_share_of_spend)
            select
                o.organization_name,
                s.spend_month,
                s.social_share_of_spend,
                s.social_share_gap_pp,
                (select avg(e.engagement_index) from marts.fct_engagement_monthly as e
                 where e.organization_id = s.organization_id
                   and e.activity_month = s.spend_month) as engagement_index,
                (select m.quarter_label || ' ' || m.maturity_stage
                 from marts.fct_maturity_indicators as m
                 where m.organization_id = s.organization_id and m.indicators_missing = 0
                 order by m.quarter_start desc limit 1) as stage
            from marts.fct_social_share_of_spend as s
            join marts.dim_organizations as o using (organization_id)
            where s.spend_month = (select m from last_month)
            order by o.organization_name
            """
        ).fetchall()
        if latest:
            lines.append(f"Latest month ({latest[0][1]}):")
            lines.append(
                f"  {'organisation':<30} {'social share':>12} {'gap vs 11.3%':>13} "
                f"{'avg eng. index':>15}  maturity (latest complete quarter)"
            )
            for name, _, share, gap, index, stage in latest:
                lines.append(
                    f"  {name:<30} {_fmt(share, pct=True):>12} {_fmt(gap) + ' pp':>13} "
                    f"{_fmt(index):>15}  {stage or '-'}"
                )
        return "\n".join(lines)
    finally:
        con.close()
