"""一(一) 学习贯彻习近平法治思想: the year's study sessions from the activity log."""

from __future__ import annotations

from typing import TYPE_CHECKING

from helpers import fmt
from helpers.figures.base import Figure, Frames, NotStated, derived

# pandas only in annotations here and imported where used: a build reads FIGURES and WORDS
# (every build does, before it knows whether anything changed) without importing pandas
if TYPE_CHECKING:
    import pandas as pd

FIGURES = {"F001": ("activities",)}
WORDS = {"study_list": ("activities",)}


def study_sessions(activities: pd.DataFrame) -> pd.DataFrame:
    """Activities of category 学法, by date (same-day sessions by record number: any row order
    of the export gives the same list)."""
    rows = activities[activities["category"] == "学法"]
    return rows.sort_values(["activity_date", "activity_id"], kind="stable")


def study_events(activities: pd.DataFrame) -> Figure:
    """F001: the year's study activities, listed by date."""
    rows = study_sessions(activities)
    if rows.empty:
        raise NotStated(("F001", "study_list"), "本年活动记录中没有学法活动")
    days = "/".join(fmt.month_day(d.date()) for d in rows["activity_date"])
    return derived(
        "F001",
        "学法活动",
        len(rows),
        "项",
        f"{len(rows)}项活动：{days}",
        source="activities",
        definition="年内类别为学法的活动，按日期列出",
        rows=len(rows),
    )


def study_list(activities: pd.DataFrame) -> str:
    """The study sessions as dated sentences: 3月19日，…。3月26日，…。"""
    rows = study_sessions(activities)
    return "".join(
        f"{fmt.month_day(d.date())}，{title}。"
        for d, title in zip(rows["activity_date"], rows["title"], strict=True)
    )


def figure_groups(t: Frames, **_) -> list:
    """The chapter's figure calculations, one group per table."""
    return [lambda: study_events(t.activities)]


def word_groups(t: Frames, **_) -> list:
    """The chapter's word slots."""
    return [lambda: {"study_list": study_list(t.activities)}]
