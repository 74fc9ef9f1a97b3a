"""Rows counted per day and per kind, while a table is checked.

The figures of a large register often only count its rows: the valid crime alarms of the year,
of one kind, in the months last year's are compared over. A table whose contract names
``tally`` columns (categories, each with its allowed values) has its rows counted by day of the
year column and by those columns while the check reads them anyway (``checks``): 6 million
alarms a year at ten times the sample come down to a few thousand counts, which the check keeps
with its result. A chapter then takes the counts (``Frames.tally``) instead of decoding the
table again.

The counts are kept as plain lists (``stored``), in the cache entry's metadata, and given to
figures as a frame with the year column (the day, at midnight), the tally columns and ``rows``
(``frame``); the days and kinds without a row are left out.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from helpers.data.contract.base import TALLY_ROWS as ROWS  # the counts' column in ``frame``

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from helpers.data.contract import Table

DAYS = 366  # the days a year can have


class Tally:
    """Counts of rows by day of ``year`` and by the codes of each tally column (-1: empty)."""

    def __init__(self, spec: Table, year: int) -> None:
        import numpy as np

        self.columns = list(spec.tally)
        # each allowed value once (a contract may repeat one)
        self.values = [list(dict.fromkeys(spec.column(n).allowed)) for n in self.columns]
        self.day0 = np.datetime64(f"{year:04d}-01-01", "D")
        # one more place a column for its empty cells; the contract allows at most
        # TALLY_KINDS combinations, so a table of counts of every cell stays small (2.9 MB)
        self.shape = (DAYS, *(len(v) + 1 for v in self.values))
        self.size = math.prod(self.shape)
        self.counts = np.zeros(self.size, dtype=np.int64)

    def add(self, days: np.ndarray, codes: list[np.ndarray]) -> bool:
        """Count a slice of rows: their days since 1 January and, for each tally column, the
        index of their value among its allowed values (-1: empty). False, counting nothing, if
        a day lies outside the year or a code outside the column's values."""
        import numpy as np

        if not len(days):
            return True
        if int(days.min()) < 0 or int(days.max()) >= DAYS:
            return False
        cell = days.astype(np.int64)
        for values, code in zip(self.values, codes, strict=True):
            if len(code) and (int(code.min()) < -1 or int(code.max()) >= len(values)):
                return False
            # the empty cells (-1) in the column's last place
            cell = cell * (len(values) + 1) + np.where(code < 0, len(values), code)
        return self._count(cell)

    def add_arrow(self, stamps, columns: list) -> bool:
        """Count a slice of rows as the check reads it: ``stamps``, the year column's times
        (an Arrow array without empty cells), and the tally columns' text (Arrow arrays, plain
        or as a dictionary and indices). Each dictionary's values are looked up once, and the
        rows' cells are worked out in one array: 6 million alarms a year cost 0.1 s."""
        import numpy as np
        import pyarrow as pa

        if stamps.null_count or not pa.types.is_timestamp(stamps.type):
            return False
        per_day = np.timedelta64(1, "D") // np.timedelta64(1, stamps.type.unit)
        # days since 1970 (floored), then since 1 January: the caller has checked that every
        # time is of the year (a day outside it makes ``_count`` fail)
        cell = stamps.to_numpy().view(np.int64) // per_day
        cell -= (self.day0 - np.datetime64(0, "D")).astype(np.int64)
        for values, allowed in zip(columns, self.values, strict=True):
            lookup, indices = _codes(values, allowed)
            if lookup is None:
                return False
            cell *= len(allowed) + 1
            cell += lookup[indices]
        return self._count(cell)

    def _count(self, cell: np.ndarray) -> bool:
        """Add the rows of each cell (False, adding nothing, for a cell out of range)."""
        import numpy as np

        try:  # (a negative cell is refused by bincount, one too high makes it longer)
            counted = np.bincount(cell, minlength=self.size)
        except ValueError:
            return False
        if len(counted) > self.size:
            return False
        self.counts += counted
        return True

    def days(self) -> set:
        """The days (``datetime.date``) with at least one row counted."""
        import datetime as dt

        import numpy as np

        found = np.flatnonzero(self.counts.reshape(DAYS, -1).any(axis=1)).tolist()
        first = dt.date.fromisoformat(str(self.day0))
        return {first + dt.timedelta(days=int(day)) for day in found}

    def stored(self) -> dict:
        """The counts as plain lists, for the cache entry's metadata: each cell with rows is
        [day, code, code, …, rows]."""
        import numpy as np

        keys = np.flatnonzero(self.counts)
        rows = self.counts[keys]
        where = np.unravel_index(keys, self.shape)
        cells = [where[0]]
        for values, code in zip(self.values, where[1:], strict=True):
            cells.append(np.where(code == len(values), -1, code))  # empty: -1 again
        cells.append(rows)
        return {
            "day0": str(self.day0),
            "columns": self.columns,
            "values": self.values,
            "cells": np.column_stack(cells).tolist() if len(keys) else [],
        }


def _codes(values, allowed: list[str]):
    """How a slice of a tally column's text is coded: a table from each value's place to its
    code (its index among ``allowed``; an empty cell's code is ``len(allowed)``), and the
    rows' places in it (numpy); (None, None) if a value is not allowed."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    options = pa.array(allowed, type=pa.string())
    if pa.types.is_dictionary(values.type):
        places, indices = values.dictionary, values.indices
    else:  # plain text: its different values, once each
        encoded = values.dictionary_encode()
        places, indices = encoded.dictionary, encoded.indices
    found = pc.index_in(places.cast(pa.string()), value_set=options)
    if found.null_count:
        return None, None
    # the last place for the empty cells
    lookup = np.append(found.to_numpy(), len(allowed)).astype(np.int64)
    return lookup, _places(indices, len(places))


def _places(indices, empty: int) -> np.ndarray:
    """The indices of a dictionary as numpy, ``empty`` in the empty cells. Those are taken
    from the validity bitmap: Arrow's ``fill_null`` took as long as the rest of the tally."""
    import numpy as np

    if not indices.null_count:
        return indices.to_numpy()
    bitmap, data = indices.buffers()[:2]
    n, offset = len(indices), indices.offset
    raw = np.frombuffer(data, dtype=indices.type.to_pandas_dtype())[offset : offset + n]
    bits = np.unpackbits(np.frombuffer(bitmap, dtype=np.uint8), bitorder="little")
    return np.where(bits[offset : offset + n].astype(bool), raw, empty)


def from_frame(frame: pd.DataFrame, spec: Table, year: int) -> dict | None:
    """The counts of a frame of the year's rows (the full way of checking, or a table read
    again), as ``Tally.stored``; None if a day or value lies outside what can be counted."""
    import numpy as np
    import pandas as pd

    counter = Tally(spec, year)
    stamp = frame[spec.year_column]
    days = (stamp.dt.normalize() - pd.Timestamp(counter.day0)).dt.days.to_numpy()
    codes = [
        pd.Categorical(frame[name].astype("object"), categories=values).codes.astype(np.int64)
        for name, values in zip(counter.columns, counter.values, strict=True)
    ]
    if stamp.isna().any() or not counter.add(days.astype(np.int64), codes):
        return None
    return counter.stored()


def frame(stored: dict, spec: Table) -> pd.DataFrame:
    """The counts kept (``Tally.stored``) as a frame: the year column (each day at midnight),
    the tally columns as categories of their allowed values, and ``rows``, by day."""
    import numpy as np
    import pandas as pd

    cells = np.array(stored["cells"], dtype=np.int64).reshape(-1, len(stored["columns"]) + 2)
    day0 = np.datetime64(stored["day0"], "D")
    out = {spec.year_column: pd.to_datetime((day0 + cells[:, 0]).astype("datetime64[s]"))}
    for i, (name, values) in enumerate(zip(stored["columns"], stored["values"], strict=True)):
        out[name] = pd.Categorical.from_codes(cells[:, i + 1], categories=values)
    out[ROWS] = cells[:, -1]
    return pd.DataFrame(out)
