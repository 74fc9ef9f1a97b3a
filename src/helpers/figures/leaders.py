"""二 主要负责人履职: the responsible leaders' appearances in court."""

from __future__ import annotations

from typing import TYPE_CHECKING

from helpers import fmt
from helpers.figures.base import Figure, Frames, NotStated, derived

# pandas only in annotations here and imported where used: a build reads FIGURES and WORDS
# (every build does, before it knows whether anything changed) without importing pandas
if TYPE_CHECKING:
    import pandas as pd

FIGURES = {"F075": ("court_appearances",)}
WORDS = {"appearances": ("court_appearances",)}


def hearings(appearances: pd.DataFrame) -> pd.DataFrame:
    """Appearances by date (same-day ones by record number, whatever the export's row order)."""
    return appearances.sort_values(["hearing_date", "record_id"], kind="stable")


def court_appearances(appearances: pd.DataFrame) -> Figure:
    """F075: hearings at which a responsible leader appeared in person."""
    rows = hearings(appearances)
    if rows.empty:
        raise NotStated(("F075", "appearances"), "本年没有负责人出庭应诉的记录")
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
        definition="年内负责人出庭应诉的记录，按开庭日期列出",
        rows=len(rows),
        quoted=True,
    )


def appearances_text(appearances: pd.DataFrame) -> str:
    """Who appeared in court for whom, by date: 10月26日，…同志代表市公安局出庭应诉；…"""
    return "；".join(
        f"{fmt.month_day(r.hearing_date.date())}，{r.post}{r.name}同志代表{r.represented}出庭应诉"
        for r in hearings(appearances).itertuples()
    )


def figure_groups(t: Frames, **_) -> list:
    """The chapter's figure calculations."""
    return [lambda: court_appearances(t.court_appearances)]


def word_groups(t: Frames, **_) -> list:
    """The chapter's word slots."""
    return [lambda: {"appearances": appearances_text(t.court_appearances)}]
