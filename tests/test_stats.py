from decimal import Decimal

import pandas as pd
import pytest

from helpers import fmt, stats
from helpers.data import distinct


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
    monkeypatch.setattr(distinct, "SLICE", 3)  # ids marked three at a time: repeats across slices
    assert stats.count_distinct(pd.Series(ids, dtype="int64")) == expected
    assert stats.count_distinct(pd.Series(ids, dtype="Int64")) == expected
    with_gap = pd.Series([*ids, None], dtype="Int64")  # a missing id is not an id
    assert stats.count_distinct(with_gap) == expected


def test_count_distinct_of_nullable_whole_numbers_and_of_text():
    assert stats.count_distinct(pd.Series([3, None, 3, 8], dtype="Int64")) == 2
    assert stats.count_distinct(pd.Series([3, 4, 3], dtype="Int64")) == 2
    assert stats.count_distinct(pd.Series([2**40, 7, 2**40], dtype="uint64")) == 2
    assert stats.count_distinct(pd.Series(["东莞", "广州", "东莞"])) == 2
    assert stats.count_distinct(pd.Series([], dtype="int64")) == 0


# ---------------------------------------------------------------- same months of last year
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from helpers.figures.base import same_months  # noqa: E402

_MS = 1000  # timestamps as the loader gives them: milliseconds


def _moments(year: int):
    start = pd.Timestamp(year=year, month=1, day=1).value // 10**6
    end = pd.Timestamp(year=year + 1, month=1, day=1).value // 10**6 - 1
    edges = []  # the first and the last millisecond of each month
    for month in range(1, 13):
        first = pd.Timestamp(year=year, month=month, day=1)
        edges += [first.value // 10**6, (first + pd.offsets.MonthEnd(1)).value // 10**6 + 86399999]
    return st.one_of(st.integers(start, end), st.sampled_from(edges), st.none())


def _frame(ms: list) -> pd.DataFrame:
    return pd.DataFrame({"at": pd.to_datetime(pd.Series(ms, dtype="Int64"), unit="ms")}).astype(
        {"at": "datetime64[ms]"}
    )


@settings(max_examples=300, deadline=None)
@given(
    now=st.lists(_moments(2021), min_size=1, max_size=8),
    before=st.lists(st.one_of(_moments(2020), _moments(2019)), max_size=12),
)
def test_same_months_keeps_last_years_rows_up_to_this_years_last_month(now, before):
    """Kept: last year's rows whose month is at most the latest month of this year's rows (all
    of them when that is December, or when this year has only empty dates), whatever the time
    of day, in one year or in several."""
    current, prior = _frame(now), _frame(before)
    months = [pd.Timestamp(m, unit="ms").month for m in now if m is not None]
    last = max(months, default=None)
    expected = [
        m
        for m in before
        if last is None
        or last == 12
        or (m is not None and pd.Timestamp(m, unit="ms").month <= last)
    ]
    if last is None:
        expected = before  # no date this year: nothing to cut by (NaT max)
    kept = same_months(prior, "at", current)
    got = [None if pd.isna(v) else pd.Timestamp(v).value // 10**6 for v in kept["at"]]
    assert got == expected
