"""Reading back the numbers a Chinese text states, with their wording."""

from __future__ import annotations

from decimal import Decimal

import pytest

from helpers.check.statements import statements


@pytest.mark.parametrize(
    "text, expected",
    [
        # a direction word shared along a list states each change
        (
            "分别同比下降12.3%、4.5%和0.6%",
            [("change", -1, "12.3"), ("change", -1, "4.5"), ("change", -1, "0.6")],
        ),
        ("降幅分别为20.1%、3.2%", [("change", -1, "20.1"), ("change", -1, "3.2")]),
        ("同比上升12.34%;核查率100%", [("change", 1, "12.34"), ("percent", None, "100")]),
        ("与上年持平", [("change", 0, "0")]),
        ("上升1.2个百分点", [("points", None, "1.2")]),
        ("核查105万人,涉案总价值1100余万元", [("count", None, "105"), ("count", None, "1100")]),
        (
            "全省并列第1,降幅居全省第2名和第3名",
            [("rank", None, "1"), ("rank", -1, "2"), ("rank", -1, "3")],
        ),
        ("降幅为近5年以来最大", [("count", -1, "5")]),
        ("破案数上升至120起", [("count", 1, "120")]),
        ("同比增加120起", [("delta", None, "120")]),
        # dates, years, months and bare numbers state nothing
        ("2021年1—12月,3月19日,“6.18”疫情,110平台,2020—2025年", []),
    ],
)
def test_statements(text, expected):
    assert [(s.kind, s.sign, str(s.number)) for s in statements(text)] == expected


def test_wording():
    st = statements("涉案总价值1100余万元,服务逾3000人次,全省并列第1,降幅分别居全省第2名、第3名")
    assert (st[0].number, st[0].approx, st[0].mult, st[0].unit) == (
        Decimal(1100),
        "余",
        10_000,
        "元",
    )
    assert (st[1].qualifier, st[1].text) == ("逾", "逾3000人次")
    assert st[2].tie and st[2].text == "全省并列第1"
    assert [s.text for s in st[3:]] == ["降幅分别居全省第2名", "降幅…第3名"]
    assert [(s.group == st[3].group, s.index, s.size) for s in st[3:]] == [
        (True, 0, 2),
        (True, 1, 2),
    ]


@pytest.mark.parametrize(
    "says, value, fits",
    [
        ("105万人", 1_049_873, True),
        ("104.99万人", 1_049_873, True),
        ("106万人", 1_049_873, False),
        ("1049873人", 1_049_873, True),
        ("30多个", 34, True),
        ("30多个", 41, False),
        ("1100余万元", 11_036_500, True),
        ("1200余万元", 11_036_500, False),
        ("逾3000人次", 3_012, True),
        ("逾3000人次", 2_990, False),
        ("近5年", 5, True),
        ("约2000人", 2_040, True),
        ("下降39.8%", Decimal("-39.8067"), True),
        ("下降39.81%", Decimal("-39.8067"), True),
        ("下降39.80%", Decimal("-39.8067"), False),
    ],
)
def test_fits(says, value, fits):
    (st,) = statements(says)
    assert st.fits(Decimal(value)) is fits


@pytest.mark.parametrize(
    "says, value, said",
    [
        ("106万人", 1_049_873, "105万人"),
        ("104.99万人", 1_048_000, "104.80万人"),
        ("40多个", 34, "30多个"),
        ("1200余万元", 11_036_500, "1100余万元"),
        ("上升12.3%", Decimal("-4.56"), "下降4.6%"),
        ("上升12.3%", Decimal("0.04"), "持平"),
    ],
)
def test_say(says, value, said):
    (st,) = statements(says)
    assert st.say(Decimal(value)) == said
