"""Deterministic randomness: one generator per table and year, so tables do not disturb each other."""

from __future__ import annotations

import datetime as dt
import zlib

import numpy as np
import pandas as pd


def rng_for(seed: int, table: str, year: int) -> np.random.Generator:
    """A generator that depends only on the seed, the table and the year."""
    return np.random.default_rng([seed, zlib.crc32(table.encode()), year])


def scaled(n: int, scale: float) -> int:
    """A record count times ``scale``, at least 1."""
    return max(1, int(n * scale + 0.5))


def day_in_year(rng: np.random.Generator, year: int) -> str:
    """A random ISO date within ``year``."""
    start = dt.date(year, 1, 1)
    days = (dt.date(year + 1, 1, 1) - start).days
    return (start + dt.timedelta(days=int(rng.integers(days)))).isoformat()


def strays(
    frame: pd.DataFrame, rng: np.random.Generator, year: int, date_col: str, n: int = 3
) -> pd.DataFrame:
    """A few copies of rows re-dated to the last days of the year before, as exports by another date have."""
    picked = frame.sample(n=min(n, len(frame)), random_state=int(rng.integers(1 << 31))).copy()
    day = dt.datetime(year - 1, 12, 31, 23, 30)
    picked[date_col] = day.date().isoformat() if isinstance(frame[date_col].iloc[0], str) else day
    return picked
