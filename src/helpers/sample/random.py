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


def dates(
    rng: np.random.Generator, year: int, n: int, first: str | None = None, last: str | None = None
) -> np.ndarray:
    """``n`` random days (datetime64[D]) between ``first`` and ``last`` (default: the whole year), sorted."""
    lo = np.datetime64(first or f"{year}-01-01", "D")
    hi = np.datetime64(last or f"{year}-12-31", "D")
    return np.sort(lo + rng.integers(0, (hi - lo).astype(int) + 1, n))


def times(rng: np.random.Generator, year: int, n: int) -> np.ndarray:
    """``n`` random moments (datetime64[s]) within ``year``, sorted."""
    lo = np.datetime64(f"{year}-01-01T00:00:00", "s")
    span = (np.datetime64(f"{year + 1}-01-01T00:00:00", "s") - lo).astype(int)
    return np.sort(lo + rng.integers(0, span, n))


def split_total(rng: np.random.Generator, total: int, n: int, floor: int = 0) -> np.ndarray:
    """``n`` whole numbers, each ≥ ``floor`` when possible, that add up to exactly ``total``."""
    floor = min(floor, total // max(n, 1))
    return rng.multinomial(total - floor * n, np.ones(n) / n) + floor


def codes(prefix: str, year: int, n: int, width: int = 5) -> list[str]:
    """Record numbers such as ``GA2021-00001``."""
    return [f"{prefix}{year}-{i:0{width}d}" for i in range(1, n + 1)]


def yes_no(values) -> np.ndarray:
    """Booleans as the 是/否 of Chinese exports."""
    return np.where(np.asarray(values, dtype=bool), "是", "否")


def strays(
    frame: pd.DataFrame, rng: np.random.Generator, year: int, date_col: str, n: int = 3
) -> pd.DataFrame:
    """A few copies of rows re-dated to the last day of the year before, as exports by another date have."""
    picked = frame.sample(n=min(n, len(frame)), random_state=int(rng.integers(1 << 31))).copy()
    day = dt.datetime(year - 1, 12, 31, 23, 30)
    first = frame[date_col].iloc[0]
    picked[date_col] = day.date().isoformat() if isinstance(first, str) else pd.Timestamp(day)
    return picked


def stamp(
    frame: pd.DataFrame, id_col: str, prefix: str, year: int, date_col: str, width: int = 5
) -> pd.DataFrame:
    """Sort by date and number the records in that order."""
    frame = frame.sort_values(date_col, kind="stable").reset_index(drop=True)
    frame.insert(0, id_col, codes(prefix, year, len(frame), width))
    return frame
