"""Distinct values of a column, counted a slice at a time.

A figure that counts different things (dwellings inspected, persons verified) counts the
distinct values of an id column. Whole-number ids in a compact range are marked in a table of
one byte per possible id instead of being hashed, and a slice at a time, so the ids never sit
in memory twice. The table check counts the columns the contract marks ``distinct`` while it
reads them anyway (``checks``), and keeps the counts with its result: the chapter then need
not read 61 million dwelling ids again (``loader.Loaded.distinct``). ``stats.count_distinct``
counts a column already in a frame the same way.
"""

from __future__ import annotations

SLICE = 1 << 18  # ids marked at a time (2 MB of int64: stays in the processor's cache)


def compact(low: int, high: int, rows: int) -> bool:
    """Whether ids from ``low`` to ``high`` are marked in a table (at most 8 bytes of table per
    row, so never more memory than the ids themselves) rather than hashed."""
    return high - low < 8 * rows + 1024


class IdCounter:
    """Counts the distinct whole numbers from ``low`` to ``high`` shown to it in slices."""

    def __init__(self, low: int, high: int) -> None:
        import numpy as np

        self.low, self.high = int(low), int(high)
        self.seen = np.zeros(self.high - self.low + 1, dtype=bool)

    def add(self, ids) -> bool:
        """Mark a slice of ids (numpy, without empty cells); False, marking nothing, if one lies
        outside the range the counter was made for."""
        if not len(ids):
            return True
        if int(ids.min()) < self.low or int(ids.max()) > self.high:
            return False
        import numpy as np

        # the offsets in 64 bits: in the ids' own type (int16, say) ``ids - low`` wraps round and
        # marks another id's place; unsigned ids, all at least ``low``, stay unsigned
        wide, low = (
            (np.uint64, np.uint64(self.low)) if ids.dtype.kind == "u" else (np.int64, self.low)
        )
        for start in range(0, len(ids), SLICE):
            # a slice at a time: ``ids - low`` whole would be a second copy of the ids
            self.seen[ids[start : start + SLICE].astype(wide, copy=False) - low] = True
        return True

    @property
    def count(self) -> int:
        import numpy as np

        return int(np.count_nonzero(self.seen))
