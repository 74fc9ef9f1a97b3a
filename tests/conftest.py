"""Shared fixtures: full-scale sample data and one built report, made once per test session."""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from helpers import sample
from helpers.run.build import build_report

PUBLISHED = Path(sample.__file__).with_name("published-2021.csv")

# Tests cache validated tables in a folder of their own (workers and kernels inherit it), not in
# the project's .cache, which keeps the user's tables.
_CACHE = tempfile.mkdtemp(prefix="lawreport-test-cache-")
os.environ["LAWREPORT_CACHE"] = _CACHE


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_CACHE, ignore_errors=True)


@pytest.fixture(scope="session")
def published() -> dict[str, dict]:
    """The published 2021 figures (the backtest's expected values), by id."""
    with PUBLISHED.open(encoding="utf-8") as f:
        return {row["id"]: row for row in csv.DictReader(f)}


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory) -> Path:
    """Sample raw tables at full scale (read-only by convention: copy before changing)."""
    folder = tmp_path_factory.mktemp("raw")
    sample.generate(folder)
    return folder


@pytest.fixture(scope="session")
def small_dir(tmp_path_factory) -> Path:
    """Sample raw tables at scale 0.01, for running every notebook fast."""
    folder = tmp_path_factory.mktemp("small")
    sample.generate(folder, scale=0.01)
    return folder


@pytest.fixture
def data_copy(sample_dir, tmp_path) -> Path:
    """A private copy of the sample tables that a test may change."""
    return Path(shutil.copytree(sample_dir, tmp_path / "raw"))


@pytest.fixture(scope="session")
def built(sample_dir, tmp_path_factory) -> Path:
    """The 2021 report built from the sample tables, PDF included."""
    reports = tmp_path_factory.mktemp("reports")
    build_report(2021, data_dir=sample_dir, reports_dir=reports, progress=lambda _: None)
    return reports / "2021"


@pytest.fixture(scope="session")
def small_report(small_dir, tmp_path_factory) -> Path:
    """The 2021 report built from the small sample tables, without PDF (copy before changing)."""
    reports = tmp_path_factory.mktemp("small-reports")
    build_report(
        2021, data_dir=small_dir, reports_dir=reports, pdf_output=False, progress=lambda _: None
    )
    return reports / "2021"


@pytest.fixture
def columns_read(monkeypatch) -> list[str]:
    """The names of the Parquet columns read a slice at a time (``ParquetFile.iter_batches``)
    from here on, in the order asked for: what a check decoded and what it judged otherwise."""
    import pyarrow.parquet as pq

    read: list[str] = []
    iter_batches = pq.ParquetFile.iter_batches

    def spy(self, *args, columns=None, **kwargs):
        read.extend(columns or [])
        return iter_batches(self, *args, columns=columns, **kwargs)

    monkeypatch.setattr(pq.ParquetFile, "iter_batches", spy)
    return read


@pytest.fixture
def workspace_contract(tmp_path):
    """A workspace's contract folder (its tables leave the contract after the test:
    ``_contract_as_it_was``)."""
    folder = tmp_path / "contract"
    folder.mkdir()
    return folder


@pytest.fixture(autouse=True)
def _contract_as_it_was():
    """Tables a test's workspace registered leave the contract after it: a test run alone or
    after another sees the built-in contract (data/README.md is rendered from it)."""
    from helpers.data.contract import TABLES
    from helpers.data.contract.workspace import DEFINED_IN

    tables, defined = dict(TABLES), dict(DEFINED_IN)
    yield
    for kept, now in ((tables, TABLES), (defined, DEFINED_IN)):
        now.clear()
        now.update(kept)


@pytest.fixture(autouse=True)
def _no_chapter_guard_left():
    """``open_chapter`` in this process (as in a kernel) limits the tables it may read from then
    on; a test that opens one must not leave that limit on the tests after it."""
    from helpers.data import loader

    yield
    loader._declared.clear()


@pytest.fixture
def no_process_left():
    """After the test: this process's kernel template stopped, and no child of this process
    left within 10 s (multiprocessing's resource tracker, once started, lives on)."""
    yield
    import time

    from helpers.run import forked, processes

    forked.TEMPLATE.stop()

    def left() -> list[int]:
        return [
            p for p in processes.descendants(os.getpid()) if not processes._is_resource_tracker(p)
        ]

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and left():
        time.sleep(0.1)
    assert left() == []
