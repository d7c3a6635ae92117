"""Shared fixtures: one generated sample landing folder per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from social_warehouse.generator import GeneratorConfig, generate

# the repository's own docs: where these tests sit, whatever project a test builds
REPOSITORY = Path(__file__).resolve().parents[2]
EXPORT_FORMATS_DOC = REPOSITORY / "docs" / "export_formats.md"


@pytest.fixture(scope="session")
def sample_landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The full default sample, generated once (read-only for tests: copy before changing)."""
    landing = tmp_path_factory.mktemp("sample") / "landing"
    generate(GeneratorConfig(landing_dir=landing))
    return landing


@pytest.fixture
def landing_copy(sample_landing: Path, tmp_path: Path) -> Path:
    """A private copy of the sample landing folder, with modification times kept."""
    target = tmp_path / "landing"
    shutil.copytree(sample_landing, target, copy_function=shutil.copy2)
    return target


@pytest.fixture(scope="session")
def export_formats_doc() -> str:
    """The project's description of the native export formats (docs/export_formats.md)."""
    assert EXPORT_FORMATS_DOC.exists(), f"{EXPORT_FORMATS_DOC} is missing"
    return EXPORT_FORMATS_DOC.read_text(encoding="utf-8")
