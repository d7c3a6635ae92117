"""Shared fixtures: one generated sample landing folder per test session."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from social_warehouse.generator import GeneratorConfig, generate
from social_warehouse.pseudonyms import create_key


def _import_great_expectations_in_an_xdist_worker() -> None:
    """A pytest-xdist worker's __main__ has no file. Great Expectations tries to import
    Spark Connect when PySpark is installed (as `make test` installs it), and PySpark then
    takes the process for its own doctest runner and exits it unless Spark Connect's
    packages are there: the worker died collecting the suite. Imported once here with a
    file name lent to __main__, Great Expectations records that Spark Connect is missing
    (an ImportError) and never tries again. The name is taken back at once: with it,
    the ingest's spawned worker processes would try to run __main__ from that file."""
    main = sys.modules["__main__"]
    if getattr(main, "__spec__", None) is not None or hasattr(main, "__file__"):
        return
    main.__file__ = __file__
    try:
        import great_expectations  # noqa: F401
    finally:
        del main.__file__


_import_great_expectations_in_an_xdist_worker()

# the repository's own docs: where these tests sit, whatever project a test builds
REPOSITORY = Path(__file__).resolve().parents[2]
EXPORT_FORMATS_DOC = REPOSITORY / "docs" / "export_formats.md"


# The modules that run the real job many times on the sample, longest first (CI timings,
# docs/testing.md). `make pytest` runs the suite on two pytest-xdist workers, each taking
# whole modules (--dist loadfile: a module's tests share one warehouse and run in order);
# handing out the longest modules first keeps one worker from starting a long module
# when the other is nearly done. Within a module the order is unchanged.
LONGEST_FIRST = (
    "test_end_to_end.py",
    # Spark and DuckDB builds of the sample (SPARK_TESTS=1, make test): the other worker
    "test_spark.py",
    "test_faults.py",
    "test_corpus.py",
    "test_connectors.py",
    "test_new_platform.py",
    "test_privacy.py",
    "test_steward_report.py",
    "test_plain_dbt.py",
    "test_semantic_layer.py",
    "test_bi_clients.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable sort


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


@pytest.fixture(scope="session", autouse=True)
def pseudonym_key() -> Iterator[Path]:
    """The session's own pseudonym key, in a private folder outside the repository (never
    the user's key): every job and ingest the tests start reads it, through the
    environment that their subprocesses inherit."""
    folder = Path(tempfile.mkdtemp(prefix="sw-key-"))
    key, _ = create_key(folder / "pseudonym.key")
    saved = {n: os.environ.get(n) for n in ("SOCIAL_WAREHOUSE_PSEUDONYM_KEY",
                                            "SOCIAL_WAREHOUSE_PSEUDONYM_KEY_FILE")}  # fmt: skip
    os.environ.pop("SOCIAL_WAREHOUSE_PSEUDONYM_KEY", None)
    os.environ["SOCIAL_WAREHOUSE_PSEUDONYM_KEY_FILE"] = str(key)
    yield key
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    shutil.rmtree(folder, ignore_errors=True)
