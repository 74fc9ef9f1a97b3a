from decimal import Decimal

import pytest

from helpers import fmt


@pytest.mark.parametrize(
    "x, nd, expected",
    [
        (2.675, 2, "2.68"),  # binary fraction 2.67499…: round() gives 2.67
        (0.5, 0, "1"),  # round() gives 0 (half to even)
        (1.5, 0, "2"),
        (2.5, 0, "3"),
        (-2.5, 0, "-3"),  # half away from zero
        (0, 2, "0.00"),
        (58.745, 2, "58.75"),
        (Decimal("76.625"), 2, "76.63"),
        (100, 0, "100"),
    ],
)
def test_number_rounds_half_up(x, nd, expected):
    assert fmt.number(x, nd) == expected


@pytest.mark.parametrize(
    "pct, nd, expected",
    [
        (58.7454, 2, "上升58.75%"),
        (-39.8, 1, "下降39.8%"),
        (-69.43, 1, "下降69.4%"),
        (0.004, 2, "持平"),
        (-0.004, 2, "持平"),
        (0.005, 2, "上升0.01%"),
        (-15.775, 2, "下降15.78%"),
    ],
)
def test_change_words_from_sign_after_rounding(pct, nd, expected):
    assert fmt.change(pct, nd) == expected


def test_change_without_base_is_an_error():
    with pytest.raises(ValueError):
        fmt.change(None)


@pytest.mark.parametrize(
    "x, nd, expected",
    [
        (1_050_000, 0, "105万"),
        (1_045_000, 0, "105万"),  # 104.5 rounds up
        (1_044_999, 0, "104万"),
        (7_418_100, 2, "741.81万"),
        (279_000, 1, "27.9万"),
        (267_049, 1, "26.7万"),
        (5_910_000, 0, "591万"),
        (10_000, 1, "1万"),  # not 1.0万 (tester, round 18)
        (7_418_000, 2, "741.8万"),
        (9_999, 0, "9999"),  # fewer than ten thousand: whole, not 1万
        (5_000, 1, "5000"),
        (0, 1, "0"),  # not 0.0万 (found by the tester: a roster with no member)
        # more decimals while the 万 written are more than 0.5% off (tester, round 17: 15,000
        # houses were 2万间, a third too many)
        (15_000, 0, "1.5万"),
        (104_987, 0, "10.5万"),
        (10_499, 1, "1.05万"),
        (100_500, 0, "10万"),  # 0.5% off exactly: as asked
        (1_000_001, 0, "100万"),
    ],
)
def test_wan(x, nd, expected):
    assert fmt.wan(x, nd) == expected


def test_yi_boundary():
    assert fmt.yi(99_995_000, 2) == "1.00亿"


@pytest.mark.parametrize(
    "x, step, word, expected",
    [
        (34, 10, "多", "30多"),
        (30, 10, "多", "30"),
        (39, 10, "多", "30多"),
        (20, 10, "多", "20"),
        (27, 10, "多", "20多"),
        (9, 10, "多", "9"),
    ],
)
def test_approx(x, step, word, expected):
    assert fmt.approx(x, step, word) == expected


@pytest.mark.parametrize(
    "x, expected",
    [
        (11_023_400, "1100余万"),
        (11_000_000, "1100万"),
        (11_990_000, "1100余万"),
        # floored, never rounded up: 995,000 was 100万, and 1,990,000 was 100余万 (two
        # significant figures from 100万 up); 余 goes after 万 unless the 万 are a round ten;
        # under 1万 whole 元, floored (4,000 元 was 0万元; 9,999.6 was 10000) (testers, rounds
        # 17 and 18)
        (1_990_000, "190余万"),
        (9_995_000, "990余万"),
        (1_050_000, "100余万"),
        (995_000, "99万余"),
        (19_999, "1万余"),
        (300_500, "30余万"),
        (570_000, "57万"),
        (10_000, "1万"),
        (4_000, "4000"),
        (9_999.6, "9999"),
        (0.4, "0"),
    ],
)
def test_approx_wan(x, expected):
    assert fmt.approx_wan(x) == expected


def test_percent_and_points():
    assert fmt.percent(-70.874, 2) == "70.87%"
    assert fmt.percent(95, 0) == "95%"
    assert fmt.points(1.005) == "上升1.01个百分点"
    assert fmt.points(0) == "持平"


def test_dates_and_ranges():
    assert fmt.month_range(1, 12) == "1\u201412月"
    assert fmt.month_range(3, 3) == "3月"
    assert fmt.date_cn("2022-03-01") == "2022年3月1日"
    assert fmt.month_day("2021-10-26") == "10月26日"


def test_ordinal_limits():
    assert [fmt.ordinal(i) for i in (1, 2, 10, 11, 21)] == ["一", "二", "十", "十一", "二十一"]
    with pytest.raises(ValueError):
        fmt.ordinal(0)
