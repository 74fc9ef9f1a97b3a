"""Statistics the report states: year-over-year change, rates, rankings."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from helpers.fmt import to_decimal

# pandas and numpy imported where used: the figures modules import this module when a build
# reads their FIGURES and WORDS, which needs neither
if TYPE_CHECKING:
    import pandas as pd


def yoy_change(current: float | int, prior: float | int | None) -> Decimal | None:
    """同比增长率 in percent: (current − prior) ÷ prior × 100, exact; None when there is no base.

    >>> float(yoy_change(150, 120))
    25.0
    >>> yoy_change(5, 0) is None
    True
    """
    import pandas as pd

    if prior is None or prior == 0 or pd.isna(prior):
        return None
    c, p = to_decimal(current), to_decimal(prior)
    return (c - p) / p * 100


def rate(part: float | int, whole: float | int) -> Decimal | None:
    """A share in percent, exact; None when the whole is zero.

    >>> float(rate(1, 8))
    12.5
    """
    if whole == 0:
        return None
    return to_decimal(part) / to_decimal(whole) * 100


def rank_desc(values: Mapping[object, object], key: object) -> tuple[int, bool]:
    """Rank (1 = largest) of ``values[key]`` among all values, and whether another value ties with
    it (ties share the best rank). Give exact values (ints, Fractions): two rates that are equal
    must compare equal, which floats computed from different counts may not.

    >>> rank_desc({"a": 3, "b": 5, "c": 5}, "b")
    (1, True)
    >>> rank_desc({"a": 3, "b": 5, "c": 5}, "a")
    (3, False)
    """
    mine = values[key]
    above = sum(1 for v in values.values() if v > mine)
    tied = sum(1 for v in values.values() if v == mine) > 1
    return above + 1, tied


def monthly_counts(dates: pd.Series) -> pd.Series:
    """Number of records per calendar month 1–12 (months without records count 0)."""
    import pandas as pd

    months = pd.to_datetime(dates).dt.month
    return months.value_counts().reindex(range(1, 13), fill_value=0).sort_index()


def count_distinct(values: pd.Series) -> int:
    """Number of distinct values (empty cells not counted); whole-number ids in a compact range
    are marked in a table, a slice at a time, instead of hashed (``helpers.data.distinct``).

    >>> import pandas as pd
    >>> count_distinct(pd.Series([5, 7, 5, 9]))
    3
    """
    import numpy as np
    import pandas as pd

    from helpers.data import distinct

    # numpy's whole numbers hold no NaN (``hasnans`` would look at 61 million, 0.3 s); pandas'
    # nullable ones may
    plain = isinstance(values.dtype, np.dtype) and values.dtype.kind in "iu"
    whole = plain or (pd.api.types.is_integer_dtype(values) and not values.hasnans)
    if len(values) and whole:
        arr = values.to_numpy()
        low, high = int(arr.min()), int(arr.max())
        if distinct.compact(low, high, len(arr)):
            counter = distinct.IdCounter(low, high)
            counter.add(arr)
            return counter.count
    return int(values.nunique())
