"""The months a figure covers, from the records of the tables it rests on.

The text says which period its figures count (``1—8月``, ``全年``, ``2021年``); ``compose`` checks
that against this. What a table-year's dates tell depends on the table:

- a register with records on every day (the contract's ``daily``: 110 calls, cases, hotline
  tickets) stops where its export stops: its records cover up to the last month they reach to
  its end (``SLACK_DAYS``; a busy one, never closer than it ever pauses); records after that
  month are a part of a month (2021-12-01 alone of December), and a month or so without
  records in a register otherwise whole is a gap (ten days in a busy one). A
  daily register with records on too few days to be whole (a small county's) is judged as
  any other table;
- any other table may simply have had nothing later in the year (groups dismantled, honours):
  its records show only that the figures count up to the month of the last one, at least.

A year not over yet (the report of the current year) has only the months before this one whole.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

# a large table with records on this many days is expected to have records in December too
# (the data check's warning: helpers.data.validate)
ENDS_EARLY_DAYS = 60
SLACK_DAYS = 3  # a daily register whose records stop this close to a month's end covers it
FULL_SHARE = 0.8  # a busy daily register with records on fewer of its days has a gap
GAP_DAYS = 28  # so many days in a row without a record: a gap
# … and in a busy register, which never pauses for long: longer than any public holiday
BUSY_GAP_DAYS = 10
BUSY_FULL_SHARE = 0.6  # a busy one resting on weekends and holidays: records on about 2 days in 3
BUSY = 10  # records a day on average: a register that has records every day (a city's) …
BUSY_ROWS = 1000  # … and this many in all (not a test's or a county's handful on one day)
MIN_DAYS = 28  # a register with records on most of at least so many days: its export stopped


def span(days, rows: int | None = None) -> list | None:
    """What the loader keeps of a dated table-year's days with records (dates; None ignored)
    and its ``rows``: [its last date (ISO), how many days, the longest run of days without a
    record from 1 January on, rows, the first day of the first run of ``BUSY_GAP_DAYS`` and of
    the first run of ``GAP_DAYS`` (ISO; None: no such run)]: a gap after the months a change
    compares does not make it unlike."""
    found = sorted(d for d in set(days) if d is not None)
    if not found:
        return None
    first = dt.date(found[0].year, 1, 1)
    runs = [(first, (found[0] - first).days)]
    runs += [
        (a + dt.timedelta(days=1), (b - a).days - 1) for a, b in zip(found, found[1:], strict=False)
    ]
    starts = [
        next((d.isoformat() for d, n in runs if n >= at), None) for at in (BUSY_GAP_DAYS, GAP_DAYS)
    ]
    return [found[-1].isoformat(), len(found), max(n for _, n in runs), rows, *starts]


@dataclass(frozen=True)
class Coverage:
    """How far one table-year's records reach, for a figure resting on it."""

    table: str  # the table's Chinese name, for the reader's note
    year: int
    month: int  # daily: the last month covered whole; else the month of the last record
    last: dt.date  # its last record
    daily: bool
    partial: bool = False  # records in a month they do not cover whole
    days: int = 0  # days with records
    gap: bool = False  # a daily register without records on a stretch of its days
    empty: int = 0  # the longest run of days without a record
    elapsed: int = 0  # days from 1 January to the last record
    busy: bool = False  # a city's register: records every day, many a day
    gap_from: dt.date | None = None  # where its gap starts (1 January: anywhere, scattered)

    def fits(self, months: int) -> bool:
        """Whether its figures may be said to count 1—``months``月."""
        if self.partial or self.gap:
            return False
        return self.month == months if self.daily else self.month <= months

    def describe(self) -> str:
        """For the reader's note: why a period does not fit (110警情表2021年的记录只到8月…)."""
        last = f"最后一条在{self.last.isoformat()}"
        name = f"{self.table}{self.year}年"
        if self.gap and self.empty >= (BUSY_GAP_DAYS if self.busy else GAP_DAYS):
            return f"{name}的记录中间有连续{self.empty}天空缺（最后一条在{self.last.isoformat()}）"
        if self.gap:
            return f"{name}只有{self.days}天有记录（1月1日到{self.last.month}月{self.last.day}日共{self.elapsed}天）"
        if self.partial:
            return f"{name}的记录止于{self.last.month}月{self.last.day}日，{self.last.month}月只有部分记录"
        if not self.daily:
            return f"{name}有{self.month}月的记录（{last}）"
        if self.month == 12:
            return f"{name}的记录涵盖全年"
        return f"{name}的记录只到{self.month}月（{last}）"


def months_over(year: int, today: dt.date | None = None) -> int:
    """The months of ``year`` that are over: 12 for a past year, those before this one now."""
    today = today or dt.date.today()
    if year < today.year:
        return 12
    return max(0, today.month - 1) if year == today.year else 0


def daily(table: str | None) -> bool:
    """Whether the contract calls the table a daily register."""
    from helpers.data.contract import TABLES

    return bool(table) and table in TABLES and TABLES[table].daily


def whole_month(
    last: dt.date, today: dt.date | None = None, pause: int = 0, busy: bool = False
) -> bool:
    """Whether a daily register whose last record is on ``last`` covers that month whole: its
    records stop at most ``SLACK_DAYS`` before the month's end, or no longer before it than
    they ever pause (``pause`` days without a record: a county's few tickets a day), up to a
    week. A busy register (a city's alarms, never a day without one) stops no earlier than
    it ever pauses, and at most ``SLACK_DAYS`` early (a weekend and a day; a week's holiday in
    February grants no week at August's end): alarms to 28 August do not cover August."""
    month_end = calendar.monthrange(last.year, last.month)[1]
    slack = min(pause, SLACK_DAYS) if busy else max(SLACK_DAYS, min(pause + 1, 7))
    return last.day >= month_end - slack and last.month <= months_over(last.year, today)


def coverage(table: str, year: int, span: list | None, today: dt.date | None = None):
    """How far a table-year's records reach (None: not dated, or no record of ``year``).
    ``span`` is the loader's (``span``)."""
    from helpers.data.contract import TABLES

    if not span:
        return None
    last, days = dt.date.fromisoformat(span[0]), int(span[1])
    if last.year != year:
        return None
    empty, rows = (list(span[2:4]) + [None, None])[:2]
    # where the first gap starts (a span without it, as older ones: anywhere from 1 January)
    starts = (list(span[4:6]) + [None, None])[:2] if len(span) > 4 else [f"{year}-01-01"] * 2
    spec = TABLES.get(table)
    name = spec.zh if spec else table
    over = months_over(year, today)
    elapsed = (last - dt.date(year, 1, 1)).days + 1
    # records on most days, none missing for a month: the export stopped where they stop
    dense = days >= MIN_DAYS and days >= FULL_SHARE * elapsed and (empty or 0) < GAP_DAYS
    busy = rows is not None and rows >= max(BUSY * days, BUSY_ROWS)  # a city's, scattered
    if not (spec and spec.daily and (dense or busy)):  # it may just have had nothing later
        return Coverage(name, year, last.month, last, False, partial=last.month > over, days=days)
    long_run = (empty or 0) >= (BUSY_GAP_DAYS if busy else GAP_DAYS)
    # a busy one, scattered (one that rests on weekends has records on 5 days in 7)
    scattered = days < (BUSY_FULL_SHARE if busy else FULL_SHARE) * elapsed
    gap_from = dt.date(year, 1, 1) if scattered else None
    if long_run and not scattered:
        start = starts[0 if busy else 1]
        gap_from = dt.date.fromisoformat(start) if start else dt.date(year, 1, 1)
    whole = whole_month(last, today, empty or 0, busy)
    month, partial = (last.month, False) if whole else (last.month - 1, True)
    return Coverage(
        name,
        year,
        month,
        last,
        daily=True,
        partial=partial,
        days=days,
        gap=long_run or scattered,
        empty=empty or 0,
        elapsed=elapsed,
        busy=busy,
        gap_from=gap_from,
    )


def figure_periods(
    spans: Mapping[str, list | None],
    year: int,
    figures: Mapping[str, object],
    declared: Mapping[str, tuple[str, ...]],
) -> dict[str, tuple[Coverage, ...]]:
    """For each figure, the coverage of each dated table it rests on (``declared``: id →
    tables); figures resting on none are left out."""
    known = {table: coverage(table, year, span) for table, span in spans.items()}
    out = {}
    for fid, figure in figures.items():
        found = tuple(c for table in declared.get(fid, ()) if (c := known.get(table)))
        if getattr(figure, "same_period", False):  # compared over exactly these months
            found = tuple(c if c.daily else dataclasses.replace(c, daily=True) for c in found)
        if found:
            out[fid] = found
    return out


def reach(spans: Mapping[str, list | None], year: int) -> int | None:
    """The months a ``{months}`` slot says before figures whose own months are not known (the
    tables of a report are exported together): the last month a chapter's daily registers
    cover whole, without a gap; None when it has none such."""
    months = [
        c.month
        for table, span in spans.items()
        if (c := coverage(table, year, span)) and c.daily and not (c.partial or c.gap)
    ]
    return max(months, default=None)


def unlike_last_year(
    figure_tables: tuple[str, ...],
    spans: Mapping[str, list | None],
    prior_spans: Mapping[str, list | None],
    year: int,
    same_period: bool = False,
) -> str | None:
    """Why a figure's change against last year compares unlike periods (None: it does not),
    for each busy daily register it rests on: this year's has a gap; this year's covers less
    than the year, and the change is against last year's whole year (``same_period`` False);
    last year's has a gap, is not a busy register as this year's is, or stops before the day
    this year's records reach."""
    for table in figure_tables:
        now = coverage(table, year, spans.get(table))
        if not (now and now.daily):
            continue
        if now.gap:
            return f"本年的{now.describe()}，同比无从比较"
        if not same_period and (now.partial or now.month < 12):
            return f"本年的{now.describe()}，而同比是与上年全年比较，两者不是同一期间"
        before = coverage(table, year - 1, prior_spans.get(table))
        if before is None:
            continue
        try:
            same_day = now.last.replace(year=year - 1)
        except ValueError:  # 29 February
            same_day = now.last.replace(year=year - 1, day=28)
        reaches = before.last >= same_day if now.partial else before.month >= now.month
        gap = before.gap and (before.gap_from is None or before.gap_from <= same_day)
        if not before.daily or gap or not reaches:
            what = (
                before.describe()
                if before.daily
                else f"{before.table}{before.year}年只有{before.days}天有记录"
            )
            return f"上年的{what}，与本年的记录不是同一期间，无从比较"
    return None
