"""The published 2021 figures the sample data is calibrated to. Only the generator reads them."""

from __future__ import annotations

import csv
import functools
from decimal import Decimal
from pathlib import Path

from helpers.fmt import round_half_up
from helpers.stats import yoy_change

PUBLISHED = Path(__file__).with_name("published-2021.csv")


@functools.cache
def published() -> dict[str, dict]:
    """Rows of figures-2021.csv by id."""
    with PUBLISHED.open(encoding="utf-8") as f:
        return {row["id"]: row for row in csv.DictReader(f)}


def value(fid: str) -> Decimal:
    """The published value of a figure."""
    return Decimal(published()[fid]["value"])


def whole(fid: str) -> int:
    """The published value of a count."""
    return int(value(fid))


def calibrate_yoy(target: Decimal, ndigits: int, prior_guess: int) -> tuple[int, int]:
    """A (current, prior) pair near ``prior_guess`` whose change rounds half up to ``target``."""
    for step in range(0, 10_000):
        for prior in (prior_guess + step, prior_guess - step):
            if prior <= 0:
                continue
            centre = int(prior * (1 + target / 100))
            for current in range(centre - 2, centre + 3):
                pct = yoy_change(current, prior)
                if current >= 0 and pct is not None and round_half_up(pct, ndigits) == target:
                    return current, prior
    raise ValueError(f"no whole counts give {target}% near a base of {prior_guess}")


def prior_for(current: int, target: Decimal, ndigits: int) -> int:
    """The whole prior-year count that, against a fixed ``current``, gives ``target`` once rounded."""
    centre = int(current / (1 + target / 100))
    for step in range(0, max(10, centre // 10)):
        for prior in (centre + step, centre - step):
            pct = yoy_change(current, prior)
            if prior > 0 and pct is not None and round_half_up(pct, ndigits) == target:
                return prior
    raise ValueError(f"no prior count gives {target}% against {current}")
