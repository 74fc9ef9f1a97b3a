"""Check every raw table a report year needs, collecting all problems instead of stopping at one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import loader
from .errors import DataError, MissingTableError
from .figures import needs


@dataclass
class TableCheck:
    """Result of checking one table-year."""

    table: str
    year: int
    file: Path | None
    rows: int
    dropped_other_years: int
    problems: list[DataError]
    missing: bool = False


def check_one(table: str, year: int, data_dir=None) -> TableCheck:
    """Check one table-year against the contract."""
    try:
        loaded, problems = loader.read_checked(table, year, data_dir, columns=[])
    except MissingTableError as exc:
        return TableCheck(table, year, exc.file, 0, 0, [], missing=True)
    except DataError as exc:
        return TableCheck(table, year, exc.file, 0, 0, [exc])
    rows = len(loaded.frame.index)
    del loaded.frame
    _release_memory()
    return TableCheck(table, year, loaded.file, rows, loaded.dropped_other_years, problems)


def _release_memory() -> None:
    """Give freed memory back to the system after checking a table (a pool worker lives on)."""
    import ctypes
    import gc

    gc.collect()
    try:
        import pyarrow

        pyarrow.default_memory_pool().release_unused()
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError, ImportError):
        pass


def check_year(year: int, data_dir: Path | None = None, pool=None) -> list[TableCheck]:
    """Check each (table, year) the report of ``year`` reads, in parallel on ``pool`` when given."""
    pairs = needs(year)
    if pool is None:
        return [check_one(t, y, data_dir) for t, y in pairs]
    futures = [pool.submit(check_one, t, y, data_dir) for t, y in pairs]
    return [f.result() for f in futures]


def problems(results: list[TableCheck]) -> list[DataError]:
    """All problems of a check, in table order."""
    return [p for r in results for p in r.problems]


def missing(results: list[TableCheck]) -> list[TableCheck]:
    """Table-years with no file: the sections that need them are left out of the report."""
    return [r for r in results if r.missing]
