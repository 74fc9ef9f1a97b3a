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
    if rows >= 1_000_000:  # a full collection costs 40 ms: worth it after large tables only
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


# A few changed files are checked in the calling process, while the pool's workers are still
# starting their kernels; more go to the pool.
HERE_BYTES = 10_000_000


def check_year(year: int, data_dir: Path | None = None, pool=None) -> list[TableCheck]:
    """Check each (table, year) the report of ``year`` reads: files that passed before are
    answered from the cache here, the others are read and checked, on ``pool`` when given and
    they are more than a few."""
    pairs = needs(year)
    done = {pair: _checked_before(*pair, data_dir) for pair in pairs}
    todo = [pair for pair, check in done.items() if check is None]
    if pool is None or sum(_size(*pair, data_dir) for pair in todo) <= HERE_BYTES:
        done |= {pair: check_one(*pair, data_dir) for pair in todo}
    else:  # largest files first, so that no large table is left to one worker at the end
        futures = {
            pair: pool.submit(check_one, *pair, data_dir)
            for pair in sorted(todo, key=lambda pair: -_size(*pair, data_dir))
        }
        done |= {pair: future.result() for pair, future in futures.items()}
    return [done[pair] for pair in pairs]


def _checked_before(table: str, year: int, data_dir) -> TableCheck | None:
    try:
        meta = loader.checked_before(table, year, data_dir)
    except DataError:
        return None  # check_one reports it
    if meta is None:
        return None
    return TableCheck(table, year, Path(meta["source"]), meta["count"], meta["dropped"], [])


def _size(table: str, year: int, data_dir) -> int:
    try:
        path = loader.table_file(table, year, data_dir)
    except DataError:
        return 0
    return path.stat().st_size if path else 0


def problems(results: list[TableCheck]) -> list[DataError]:
    """All problems of a check, in table order."""
    return [p for r in results for p in r.problems]


def missing(results: list[TableCheck]) -> list[TableCheck]:
    """Table-years with no file: the sections that need them are left out of the report."""
    return [r for r in results if r.missing]
