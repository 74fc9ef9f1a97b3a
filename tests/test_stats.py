from decimal import Decimal

import pandas as pd
import pytest

from helpers import fmt, stats


@pytest.mark.parametrize(
    "current, prior, expected",
    [
        (6580, 4145, "58.75"),
        (9559, 5412, "76.63"),  # F023: the published 76.62% is not reachable with whole counts
        (0, 10, "-100.00"),
        (10, 10, "0.00"),
    ],
)
def test_yoy_change(current, prior, expected):
    assert fmt.number(stats.yoy_change(current, prior), 2) == expected


@pytest.mark.parametrize("prior", [0, None, float("nan")])
def test_yoy_change_without_base(prior):
    assert stats.yoy_change(5, prior) is None


def test_rate():
    assert stats.rate(1, 8) == Decimal("12.5")
    assert stats.rate(1, 0) is None


def test_rank_desc_ties_share_best_rank():
    values = {"东莞": 70.87, "广州": 65.0, "深圳": 70.87, "佛山": 50.0}
    assert stats.rank_desc(values, "东莞") == (1, True)
    assert stats.rank_desc(values, "深圳") == (1, True)
    assert stats.rank_desc(values, "广州") == (3, False)
    assert stats.rank_desc(values, "佛山") == (4, False)


def test_rank_desc_compares_exact_rates():
    from fractions import Fraction

    # 7087/10000 and 70870/100000 are the same rate: a tie, though computed from other counts
    values = {
        "东莞": Fraction(7087, 10000),
        "深圳": Fraction(70870, 100000),
        "广州": Fraction(1, 2),
    }
    assert stats.rank_desc(values, "深圳") == (1, True)


def test_monthly_counts_fills_empty_months():
    dates = pd.Series(pd.to_datetime(["2021-01-05", "2021-01-20", "2021-03-01"]))
    counts = stats.monthly_counts(dates)
    assert list(counts.index) == list(range(1, 13))
    assert counts[1] == 2 and counts[2] == 0 and counts[3] == 1 and counts.sum() == 3


@pytest.mark.parametrize(
    "ids, expected",
    [
        ([5, 7, 5, 9, 7, 7, 11, 5], 4),  # repeats in other slices of three
        ([-4, -4, 0, 3, -4, 3, 2], 4),  # below zero
        ([10**12, 10**12 + 2, 10**12, 10**12 + 1, 10**12 + 2], 3),  # 12-digit ids, a small range
        ([1, 10**15, 1, 10**15], 2),  # a range too wide for a bitmap: counted by hashing
        ([42], 1),
    ],
)
def test_count_distinct_across_slices(monkeypatch, ids, expected):
    monkeypatch.setattr(stats, "SLICE", 3)  # ids marked three at a time: repeats across slices
    assert stats.count_distinct(pd.Series(ids, dtype="int64")) == expected
    assert stats.count_distinct(pd.Series(ids, dtype="Int64")) == expected
    with_gap = pd.Series([*ids, None], dtype="Int64")  # a missing id is not an id
    assert stats.count_distinct(with_gap) == expected
