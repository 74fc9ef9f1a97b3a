"""一(五) 推进“放管服”改革: service catalog, home visits, outreach sessions, 12345 tickets."""

from __future__ import annotations

from typing import TYPE_CHECKING

from helpers import fmt, stats
from helpers.figures.base import (
    Figure,
    Frames,
    NotStated,
    count,
    months_not_covered_empty,
    same_months,
    total,
    with_prior,
    yoy,
)

# pandas only in annotations here and imported where used: a build reads FIGURES and WORDS
# (every build does, before it knows whether anything changed) without importing pandas
if TYPE_CHECKING:
    import pandas as pd

FIGURES = {
    "F068": ("service_items",),
    "F069": ("service_items",),
    "F070": ("home_services",),
    "F071": ("outreach_events",),
    "F072": ("outreach_events",),
    "F073": ("hotline_tickets",),
    "F074": ("hotline_tickets",),
}
WORDS = {
    "city_examples": ("service_items",),
    "cross_examples": ("service_items",),
    "venues": ("outreach_events",),
    "months": ("hotline_tickets",),
}


def in_use(items: pd.DataFrame) -> pd.DataFrame:
    """Catalog items currently offered."""
    return items[items["status"] == "在用"]


def city_wide_household_items(items: pd.DataFrame) -> Figure:
    """F068: household-registration (户政) items that any window in the city handles."""
    rows = in_use(items)
    rows = rows[(rows["category"] == "户政") & rows["city_wide"].fillna(False)]
    return count(
        "F068",
        "户政业务全市通办事项",
        rows,
        "项",
        source="service_items",
        definition="事项目录中状态为在用、业务类别为户政且标记全市通办的事项数",
    )


def cross_province_items(items: pd.DataFrame) -> Figure:
    """F069: items of every business line that can be handled across provinces."""
    rows = in_use(items)
    rows = rows[rows["cross_province"].fillna(False)]
    return count(
        "F069",
        "公安业务跨省通办事项",
        rows,
        "项",
        source="service_items",
        definition="事项目录中状态为在用且标记跨省通办的事项数",
    )


def examples(items: pd.DataFrame, flag: str, n: int = 2, category: str | None = None) -> list[str]:
    """Names of the first ``n`` flagged items in the catalog's numbering, to name in the text."""
    rows = in_use(items)
    rows = rows[rows[flag].fillna(False)]
    if category:
        rows = rows[rows["category"] == category]
    return rows.sort_values("item_id", kind="stable")["item_name"].head(n).tolist()


def home_service_residents(visits: pd.DataFrame) -> Figure:
    """F070: residents served at home (each counted once a year)."""
    done = visits[visits["status"] == "已办结"]
    return count(
        "F070",
        "上门办服务人数",
        done,
        "名",
        n=int(done["person_id"].nunique()),
        source="home_services",
        definition="年内状态为已办结的上门服务记录中的不同服务对象数",
    )


def _held(events: pd.DataFrame) -> pd.DataFrame:
    return events[events["status"] == "已开展"]


def outreach_sessions(events: pd.DataFrame) -> Figure:
    """F071: outreach sessions held."""
    return count(
        "F071",
        "延伸办服务场次",
        _held(events),
        "场次",
        source="outreach_events",
        definition="年内状态为已开展的延伸服务活动场次数",
    )


def outreach_person_times(events: pd.DataFrame) -> Figure:
    """F072: person-times served at outreach sessions."""
    return total(
        "F072",
        "延伸办服务人次",
        _held(events)["persons_served"],
        "人次",
        source="outreach_events",
        definition="年内已开展的延伸服务活动服务人次之和",
    )


def venue_types(events: pd.DataFrame) -> list[str]:
    """Kinds of places visited, in the contract's order (企业、社区、村屯、学校、单位)."""
    from helpers.data.contract import TABLES as CONTRACT

    present = set(_held(events)["venue_type"])
    return [v for v in CONTRACT["outreach_events"].column("venue_type").allowed if v in present]


def valid_tickets(tickets: pd.DataFrame, category: str) -> pd.DataFrame:
    """Tickets of a category that count: not withdrawn and not a repeat."""
    keep = (
        (tickets["category"] == category) & (tickets["status"] != "已撤销") & ~tickets["duplicate"]
    )
    return tickets[keep]


HOTLINE_IDS = {"投诉": "F073", "表扬": "F074"}


def hotline_change(tickets: pd.DataFrame, prior: pd.DataFrame, category: str, cover=None) -> Figure:
    """F073/F074: change of complaint or praise tickets against the year before (1 decimal);
    ``cover``: how far this year's tickets reach (``same_months``)."""
    now = valid_tickets(tickets, category)
    before = valid_tickets(same_months(prior, "received_at", tickets, cover), category)
    figure = yoy(
        HOTLINE_IDS[category],
        f"12345热线{category}工单同比",
        len(now),
        len(before),
        ndigits=1,
        source="hotline_tickets",
        definition=f"类别为{category}、未撤销且非重复的12345工单数，与上年同期（同样的月份）比较",
        rows=len(now) + len(before),
    )
    figure.same_period = True
    return figure


def last_month(tickets: pd.DataFrame) -> int:
    """Last month the year's tickets cover (12 for a full year)."""
    return int(tickets["received_at"].dt.month.max())


def tickets_by_month(
    tickets: pd.DataFrame, prior: pd.DataFrame, category: str, covers=None
) -> pd.DataFrame:
    """Counted tickets of a category per month, one column per year (a year without one of the
    category: 0 each month); with ``covers`` (``t.coverages("hotline_tickets")``) the months a
    year's records do not cover are empty (``months_not_covered_empty``)."""
    import pandas as pd

    cols = {}
    for frame in (prior, tickets):
        if len(frame):
            rows = valid_tickets(frame, category)
            year = int(frame["received_at"].dt.year.iloc[0])
            cols[year] = stats.monthly_counts(rows["received_at"])
    return months_not_covered_empty(pd.DataFrame(cols), covers or {})


def figure_groups(t: Frames, **_) -> list:
    """The chapter's figure calculations, each with its prior-year value where last year's table exists."""
    counts = [
        (city_wide_household_items, "service_items"),
        (cross_province_items, "service_items"),
        (home_service_residents, "home_services"),
        (outreach_sessions, "outreach_events"),
        (outreach_person_times, "outreach_events"),
    ]

    def counted(f, table):
        fig = f(getattr(t, table))
        return with_prior(fig, f(getattr(t.prior, table))) if table in t.prior else fig

    groups = [lambda f=f, table=table: counted(f, table) for f, table in counts]
    groups += [
        lambda c=c: hotline_change(
            t.hotline_tickets, t.prior.hotline_tickets, c, t.coverage("hotline_tickets")
        )
        for c in HOTLINE_IDS
    ]
    return groups


def word_groups(t: Frames, **_) -> list:
    """Word slots of 一(五): items and places to name, and the months the tickets cover."""

    def named(slot: str, names: list[str], why: str) -> dict[str, str]:
        if not names:
            raise NotStated(slot, why)
        return {slot: "、".join(names)}

    return [
        lambda: named(
            "city_examples",
            examples(t.service_items, "city_wide", category="户政"),
            "事项目录中没有在用的全市通办户政事项",
        ),
        lambda: named(
            "cross_examples",
            examples(t.service_items, "cross_province"),
            "事项目录中没有在用的跨省通办事项",
        ),
        lambda: named(
            "venues",
            ["进" + v for v in venue_types(t.outreach_events)],
            "本年没有已开展的延伸服务活动",
        ),
        lambda: {"months": fmt.month_range(1, last_month(t.hotline_tickets))},
    ]


def catalog_table(items: pd.DataFrame) -> pd.DataFrame:
    """Items in use by business line, with how many can be handled city-wide and across provinces."""
    live = in_use(items)
    table = live.groupby("category", observed=True).agg(
        在用事项=("item_id", "count"),
        全市通办=("city_wide", "sum"),
        跨省通办=("cross_province", "sum"),
    )
    return table.reset_index().rename(columns={"category": "业务类别"})
