"""The months a figure covers, from the records of the tables it rests on.

The text says which period its figures count (``1—8月``, ``全年``, ``2021年``); ``compose`` checks
that against this. A table-year's records tell how far its export reaches only when they can:

- records in December: the year is there to its end (month 12);
- records on many days (``ENDS_EARLY_DAYS``) that stop before December: an export of part of
  the year, or a year not yet over: its last month;
- records on a few days that stop before December (groups dismantled, honours won): there may
  simply have been nothing later, so the months are not known and nothing is checked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

ENDS_EARLY_DAYS = 60  # a table with records on this many days has records to where its export ends


@dataclass(frozen=True)
class Coverage:
    """How far one table-year's records reach: to the end of ``month`` (its last date ``last``)."""

    table: str  # the table's Chinese name, for the reader's note
    year: int
    month: int
    last: str  # ISO date of its last record

    def describe(self) -> str:
        """For the note: 110警情表2021年的记录只到8月（最后一条在2021-08-31）."""
        if self.month == 12:
            return f"{self.table}{self.year}年的记录涵盖全年"
        return f"{self.table}{self.year}年的记录只到{self.month}月（最后一条在{self.last}）"


def coverage(table: str, year: int, span: list | None) -> Coverage | None:
    """The months a table-year's records are known to cover (None: not known, or not dated).
    ``span`` is the loader's [last date, days with records]."""
    from helpers.data.contract import TABLES

    if not span:
        return None
    last, days = dt.date.fromisoformat(span[0]), int(span[1])
    if last.year != year or (last.month < 12 and days < ENDS_EARLY_DAYS):
        return None
    name = TABLES[table].zh if table in TABLES else table
    return Coverage(name, year, last.month, last.isoformat())


def figure_periods(
    spans: Mapping[str, list | None],
    year: int,
    figures: Mapping[str, object],
    declared: Mapping[str, tuple[str, ...]],
) -> dict[str, tuple[Coverage, ...]]:
    """For each figure, the coverage of each table it rests on (``declared``: id → tables) whose
    months are known; figures resting on no such table are left out."""
    known = {table: coverage(table, year, span) for table, span in spans.items()}
    out = {}
    for fid in figures:
        found = tuple(c for table in declared.get(fid, ()) if (c := known.get(table)))
        if found:
            out[fid] = found
    return out


def reach(spans: Mapping[str, list | None], year: int) -> int | None:
    """The last month the records of a chapter's tables are known to reach (None: no table's
    months are known): what a ``{months}`` slot says before figures whose own months are not
    known, as the tables of a report are exported together."""
    months = [c.month for table, span in spans.items() if (c := coverage(table, year, span))]
    return max(months, default=None)
