"""一(一) 学习贯彻习近平法治思想 and 二 主要负责人履职: dated activities and court appearances."""

from __future__ import annotations

import pandas as pd

from .. import fmt
from .base import Figure, Frames, derived, load_frames

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
    return {"F001": study_events(t.activities), "F075": court_appearances(t.court_appearances)}
