"""Test helper shared by the settings and project-directory tests."""

from __future__ import annotations

import pytest

from social_warehouse import settings

# the test session's pseudonym key (conftest.py): without it no job runs
KEPT = ("SOCIAL_WAREHOUSE_PSEUDONYM_KEY", "SOCIAL_WAREHOUSE_PSEUDONYM_KEY_FILE")


def clear_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """No setting in the environment, and every one restored afterwards, even one set
    meanwhile (the CLI's --project-dir sets DBT_PROJECT_DIR for the dbt it starts)."""
    for setting in settings.SETTINGS:
        if setting.name in KEPT:
            continue
        monkeypatch.setenv(setting.name, "")  # recorded, so that teardown restores it
        monkeypatch.delenv(setting.name)
