"""The sample accounts that the platform review needs: one decaying, one posting rarely."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from social_warehouse.generator.simulate import (
    PLATFORM_LEVELS,
    read_accounts,
    simulate_followers,
    simulate_posts,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DAYS = pd.date_range("2024-11-01", "2026-10-31")
SEED = 20261123


def _posts(account_key: str) -> pd.DataFrame:
    accounts = {
        a.account_key: a
        for a in read_accounts(PROJECT_ROOT / "seeds/organizations/social_accounts.csv")
    }
    account = accounts[account_key]
    followers = simulate_followers(account, DAYS, SEED)
    return simulate_posts(account, DAYS[0].date(), DAYS[-1].date(), followers, SEED)


def _median_rate(posts: pd.DataFrame, start: str, end: str) -> float:
    day = posts["local_time"].dt.normalize()
    window = posts[(day >= pd.Timestamp(start)) & (day <= pd.Timestamp(end))]
    engagements = window[["likes", "reposts", "replies"]].sum(axis=1)
    return float(np.median(engagements / window["followers_at_post"]))


def test_keystone_x_engagement_decays() -> None:
    posts = _posts("keystone_x")
    first = _median_rate(posts, "2024-11-01", "2025-01-31")
    last = _median_rate(posts, "2026-08-01", "2026-10-31")
    # decays to 15 % of its level by the end: the last quarter is well under a third
    assert last < first * 0.3
    # while another X account keeps its level
    other = _posts("harbor_x")
    assert _median_rate(other, "2026-08-01", "2026-10-31") > 0.6 * _median_rate(
        other, "2024-11-01", "2025-01-31"
    )


def test_prairie_facebook_posts_rarely() -> None:
    weeks = len(DAYS) / 7
    rare = len(_posts("prairie_fb")) / weeks
    usual = len(_posts("harbor_fb")) / weeks
    typical = PLATFORM_LEVELS["facebook"]["posts_per_week"]
    assert rare < 0.4 * typical < usual
