"""一(一) 学习贯彻习近平法治思想 and 二 主要负责人履职: dated activities and court appearances."""

from __future__ import annotations

import pandas as pd

from .. import fmt
from .base import Figure, Frames, collect, collect_words, derived, load_frames

NEEDS = {"activities": (0,), "court_appearances": (0,)}


def load(year: int, data_dir=None) -> Frames:
    """This chapter's tables for ``year``."""
    return load_frames(NEEDS, year, data_dir)


def study_sessions(activities: pd.DataFrame) -> pd.DataFrame:
    """Activities of category 学法, in date order."""
    return activities[activities["category"] == "学法"].sort_values("activity_date", kind="stable")


def study_events(activities: pd.DataFrame) -> Figure:
    """F001: the year's study activities, listed by date."""
    rows = study_sessions(activities)
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


def court_appearances(appearances: pd.DataFrame) -> Figure:
    """F075: hearings at which a responsible leader appeared in person."""
    rows = appearances.sort_values("hearing_date", kind="stable")
    listed = "、".join(
        f"{fmt.month_day(d.date())}{p.split('、')[-1]}"
        for d, p in zip(rows["hearing_date"], rows["post"], strict=True)
    )
    return derived(
        "F075",
        "行政负责人出庭应诉",
        len(rows),
        "次",
        listed,
        source="court_appearances",
        definition="年内负责人出庭应诉的记录",
        rows=len(rows),
    )


def compute(t: Frames) -> dict[str, Figure]:
    """Every figure of the chapter, by id."""
    return collect(
        lambda: study_events(t.activities), lambda: court_appearances(t.court_appearances)
    )


def study_list(activities: pd.DataFrame) -> str:
    """The study sessions as dated sentences: 3月19日，…。3月26日，…。"""
    rows = study_sessions(activities)
    return "".join(
        f"{fmt.month_day(d.date())}，{title}。"
        for d, title in zip(rows["activity_date"], rows["title"], strict=True)
    )


def appearances_text(appearances: pd.DataFrame) -> str:
    """Who appeared in court for whom, by date: 10月26日，…同志代表市公安局出庭应诉；…"""
    rows = appearances.sort_values("hearing_date", kind="stable")
    return "；".join(
        f"{fmt.month_day(r.hearing_date.date())}，{r.post}{r.name}同志代表{r.represented}出庭应诉"
        for r in rows.itertuples()
    )


def words(t: Frames) -> dict[str, str]:
    """Word slots of 一(一) and 二."""
    return collect_words(
        lambda: {"study_list": study_list(t.activities)},
        lambda: {"appearances": appearances_text(t.court_appearances)},
    )
