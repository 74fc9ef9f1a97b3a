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


def check_year(year: int, data_dir: Path | None = None) -> list[TableCheck]:
    """Check each (table, year) the report of ``year`` reads."""
    results = []
    for table, y in needs(year):
        try:
            loaded, problems = loader.read_checked(table, y, data_dir)
        except MissingTableError as exc:
            results.append(TableCheck(table, y, exc.file, 0, 0, [], missing=True))
            continue
        except DataError as exc:
            results.append(TableCheck(table, y, exc.file, 0, 0, [exc]))
            continue
        results.append(
            TableCheck(
                table, y, loaded.file, len(loaded.frame), loaded.dropped_other_years, problems
            )
        )
    return results


def problems(results: list[TableCheck]) -> list[DataError]:
    """All problems of a check, in table order."""
    return [p for r in results for p in r.problems]


def missing(results: list[TableCheck]) -> list[TableCheck]:
    """Table-years with no file: the sections that need them are left out of the report."""
    return [r for r in results if r.missing]
