"""Figures of 一(五) on small hand-made tables: definitions exclude what they should."""

import pandas as pd

from helpers.figures import services


def items():
    return pd.DataFrame(
        {
            "item_id": ["1", "2", "3", "4", "5"],
            "item_name": ["甲", "乙", "丙", "丁", "戊"],
            "category": ["户政", "户政", "户政", "车驾管", "户政"],
            "city_wide": pd.array([True, True, False, True, True], dtype="boolean"),
            "cross_province": pd.array([False, True, True, True, True], dtype="boolean"),
            "status": ["在用", "在用", "在用", "在用", "停用"],
        }
    )


def test_catalog_counts_only_items_in_use():
    assert (
        services.city_wide_household_items(items()).value == 2
    )  # 甲, 乙 (丁 is not 户政, 戊 retired)
    assert services.cross_province_items(items()).value == 3  # 乙, 丙, 丁
    assert services.examples(items(), "cross_province", n=2) == ["乙", "丙"]


def test_home_service_counts_each_resident_once():
    visits = pd.DataFrame(
        {"person_id": ["a", "a", "b", "c"], "status": ["已办结", "已办结", "已办结", "已取消"]}
    )
    fig = services.home_service_residents(visits)
    assert (fig.value, fig.rows, fig.display) == (2, 3, "2名")


def test_outreach_excludes_cancelled_sessions():
    events = pd.DataFrame(
        {
            "persons_served": [10, 20, 0],
            "status": ["已开展", "已开展", "已取消"],
            "venue_type": ["学校", "企业", "社区"],
        }
    )
    assert services.outreach_sessions(events).value == 2
    assert services.outreach_person_times(events).display == "30人次"
    assert services.venue_types(events) == ["企业", "学校"]


def tickets(n_complaints, year, withdrawn=0, repeated=0):
    n = n_complaints + withdrawn + repeated
    return pd.DataFrame(
        {
            "received_at": pd.to_datetime([f"{year}-0{1 + i % 9}-01" for i in range(n)]),
            "category": ["投诉"] * n,
            "status": ["已办结"] * (n_complaints + repeated) + ["已撤销"] * withdrawn,
            "duplicate": pd.array(
                [False] * n_complaints + [True] * repeated + [False] * withdrawn, dtype="boolean"
            ),
        }
    )


def test_hotline_change_excludes_withdrawn_and_repeated():
    fig = services.hotline_change(
        tickets(30, 2021, withdrawn=5, repeated=7), tickets(100, 2020, repeated=50), "投诉"
    )
    assert (fig.current, fig.prior, fig.display) == (30, 100, "下降70.0%")


def test_tickets_by_month_has_one_column_per_year():
    frame = services.tickets_by_month(tickets(9, 2021), tickets(18, 2020), "投诉")
    assert list(frame.columns) == [2020, 2021] and frame[2021].sum() == 9 and len(frame) == 12
