"""A figure the report states, with everything needed to trace it back to raw rows."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal

import pandas as pd

from .. import fmt, stats


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
    return Figure(
        fid,
        label,
        value,
        unit,
        f"{fmt.number(value)}{unit}",
        source,
        definition,
        len(rows),
        prior=prior,
        change=stats.yoy_change(value, prior),
    )


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
    return Figure(
        fid,
        label,
        value,
        unit,
        f"{fmt.number(value)}{unit}",
        source,
        definition,
        len(values),
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
