"""A figure the report states, with everything needed to trace it back to raw rows."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from decimal import Decimal

import pandas as pd

from .. import fmt, stats
from ..errors import MissingTableError

log = logging.getLogger(__name__)


@dataclass
class Figure:
    """One stated figure: its value, how the text writes it, and where it comes from."""

    id: str
    label: str
    value: int | float | Decimal
    unit: str
    display: str
    source: str
    definition: str
    rows: int
    prior: int | float | Decimal | None = None
    change: Decimal | None = None
    current: int | float | None = None
    note: str = ""

    def __format__(self, spec: str) -> str:
        return self.display

    def __str__(self) -> str:
        return self.display

    def to_dict(self) -> dict:
        """Plain JSON-ready values (Decimals as numbers, rounded as displayed)."""
        out = asdict(self)
        for key in ("value", "prior", "change", "current"):
            v = out[key]
            if isinstance(v, Decimal):
                out[key] = float(fmt.round_half_up(v, 4))
            elif v is not None and hasattr(v, "item"):
                out[key] = v.item()
        return out


def count(
    fid: str,
    label: str,
    rows: pd.DataFrame,
    unit: str,
    *,
    source: str,
    definition: str,
    prior_rows: pd.DataFrame | None = None,
    n: int | None = None,
) -> Figure:
    """A count of records (``n`` overrides the row count, e.g. for distinct persons)."""
    value = len(rows) if n is None else n
    prior = None if prior_rows is None else len(prior_rows)
    return _number(fid, label, value, unit, source, definition, len(rows), prior)


def total(
    fid: str,
    label: str,
    values: pd.Series,
    unit: str,
    *,
    source: str,
    definition: str,
    prior_values: pd.Series | None = None,
) -> Figure:
    """A sum of a column over records."""
    value = int(values.sum())
    prior = None if prior_values is None else int(prior_values.sum())
    return _number(fid, label, value, unit, source, definition, len(values), prior)


def _number(fid, label, value, unit, source, definition, rows, prior) -> Figure:
    """A whole number shown as 1,234名, with its change on the year before when known."""
    return Figure(
        fid,
        label,
        value,
        unit,
        f"{fmt.number(value)}{unit}",
        source,
        definition,
        rows,
        prior=prior,
        change=stats.yoy_change(value, prior),
    )


def yoy(
    fid: str,
    label: str,
    current: int,
    prior: int,
    *,
    ndigits: int,
    source: str,
    definition: str,
    rows: int,
) -> Figure:
    """A year-over-year change stated as 上升/下降X%; the value is the rounded change in percent."""
    pct = stats.yoy_change(current, prior)
    value = fmt.round_half_up(pct, ndigits) if pct is not None else None
    return Figure(
        fid,
        label,
        value,
        "%",
        fmt.change(pct, ndigits),
        source,
        definition,
        rows,
        prior=prior,
        change=pct,
        current=current,
    )


def with_prior(figure: Figure, prior: Figure) -> Figure:
    """The figure with last year's value of the same definition and the change against it."""
    figure.prior = prior.value
    figure.change = stats.yoy_change(figure.value, prior.value)
    return figure


def derived(
    fid: str,
    label: str,
    value,
    unit: str,
    display: str,
    *,
    source: str,
    definition: str,
    rows: int,
    note: str = "",
) -> Figure:
    """A figure whose display is not plain number + unit (万, 多/余, ranks, lists)."""
    return Figure(fid, label, value, unit, display, source, definition, rows, note=note)


class Frames(dict):
    """Tables of one report by name (``t.alarms``), with the year before under ``t.prior``.

    A table whose file is missing is not there: asking for it raises MissingTableError, which
    ``collect`` turns into figures left out (and the text that needs them left out with a note).
    """

    def __init__(self, *args, missing: dict | None = None, **kw):
        super().__init__(*args, **kw)
        self.missing = missing if missing is not None else {}

    def __getattr__(self, name):
        if name in self:
            return self[name]
        if name in self.missing:
            raise self.missing[name]
        raise AttributeError(name)


def load_frames(
    needs: dict[str, tuple[int, ...]],
    year: int,
    data_dir=None,
    columns: dict[str, list[str]] | None = None,
) -> Frames:
    """Read every (table, offset) a chapter needs; offset 0 goes to the top, -1 to ``prior``, -2 to ``prior.prior``."""
    from .. import loader

    depth = max((-o for offsets in needs.values() for o in offsets), default=0)
    levels = [Frames() for _ in range(depth + 1)]
    for table, offsets in needs.items():
        for offset in offsets:
            try:
                levels[-offset][table] = loader.load(
                    table, year + offset, data_dir, (columns or {}).get(table)
                )
            except MissingTableError as exc:
                levels[-offset].missing[table] = exc
    for upper, lower in zip(levels, levels[1:], strict=False):
        upper["prior"] = lower
    return levels[0]


def collect(
    *groups: Callable[[], Figure | dict[str, Figure] | tuple[Figure, ...]],
) -> dict[str, Figure]:
    """Run each group of figure calculations; a group whose tables are missing is left out."""
    out: dict[str, Figure] = {}
    for group in groups:
        try:
            result = group()
        except MissingTableError as exc:
            log.warning("figures left out: table %s of %d is missing", exc.table, exc.year)
            continue
        figs = (
            result.values()
            if isinstance(result, dict)
            else (result if isinstance(result, tuple) else (result,))
        )
        out.update({f.id: f for f in figs})
    return dict(sorted(out.items()))


def collect_words(*groups: Callable[[], dict[str, str]]) -> dict[str, str]:
    """Like ``collect`` for the words a chapter's text uses (names, dates, lists)."""
    out: dict[str, str] = {}
    for group in groups:
        try:
            out.update(group())
        except MissingTableError as exc:
            log.warning("words left out: table %s of %d is missing", exc.table, exc.year)
    return out


def common(year: int, last_month: int = 12) -> dict[str, object]:
    """Slots every chapter's text may use: the year, next year, the months covered (1—12月)."""
    return {"year": year, "next_year": year + 1, "months": fmt.month_range(1, last_month)}
