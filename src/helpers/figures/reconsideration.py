"""行政复议和行政应诉 (from 2023): reconsideration applications received and decided and how
often the decision corrected the act; administrative lawsuits filed and concluded, how often the
bureau lost a judgment, and how often a responsible person appeared in court.

Cases end in the year whatever year they began: decided and concluded cases are read from every
year's register on hand (``history``). A rate's change against the year before needs the register
of two years before as well (declared as -2), since last year's cases include ones begun then.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from helpers import fmt, stats
from helpers.errors import MissingTableError
from helpers.figures.base import (
    Figure,
    Frames,
    NotStated,
    count,
    direction_of,
    same_months,
    with_prior,
    yoy,
)

# pandas only in annotations here and imported where used: a build reads FIGURES and WORDS
# (every build does, before it knows whether anything changed) without importing pandas
if TYPE_CHECKING:
    import pandas as pd

RECONSIDERATIONS, LAWSUITS = ("reconsiderations",), ("lawsuits",)
FIGURES = {
    **dict.fromkeys(("F076", "F077", "F078", "F079", "F080", "F081", "F082"), RECONSIDERATIONS),
    **dict.fromkeys(
        ("F083", "F084", "F085", "F086", "F087", "F088", "F089", "F090", "F091", "F092"),
        LAWSUITS,
    ),
}
WORDS = {"months": RECONSIDERATIONS + LAWSUITS}

# decisions that correct the act challenged (纠错): annulled, changed, declared unlawful or void,
# or the duty ordered done; 维持、驳回、调解、终止 do not
CORRECTING = ("撤销", "变更", "确认违法", "确认无效", "责令履行")
JUDGMENTS = ("胜诉", "败诉")  # the results of a judgment on the merits; the rest are rulings
RATE_DIGITS = 1  # rates are stated to one decimal (12.5%), their changes in 个百分点 likewise


# ------------------------------------------------------------------ shared rules
def ended_in(register: pd.DataFrame, year: int, date: str, what: tuple[str, ...]) -> pd.DataFrame:
    """Cases of a register (every year's file stacked) that ended in ``year``: status 已审结 and
    the end date in that year. A case marked 已审结 without its date cannot be placed in a year,
    so the figures that count ended cases are not stated until the register gives it."""
    done = register[register["status"] == "已审结"]
    undated = done[done[date].isna()]
    if len(undated):
        raise NotStated(what, f"{_cases(undated)}已审结但未登记{_zh(date)}，无法确定审结年份")
    return dated_in(register, year, date)


def ended_with(
    register: pd.DataFrame, year: int, columns: tuple[str, str], what: tuple[str, ...]
) -> pd.DataFrame:
    """Cases that ended in ``year`` (``columns``: the end date and the outcome); a case marked
    已审结 without its outcome leaves the figures ``what`` out until the register gives it."""
    date, outcome = columns
    rows = ended_in(register, year, date, what)
    blank = rows[rows[outcome].isna()]
    if len(blank):
        raise NotStated(what, f"{_cases(blank)}已审结但未登记{_zh(outcome)}")
    return rows


def dated_in(register: pd.DataFrame, year: int, date: str) -> pd.DataFrame:
    """Cases marked 已审结 whose end date is in ``year`` (those without a date are not placed)."""
    return register[(register["status"] == "已审结") & (register[date].dt.year == year)]


def _cases(rows: pd.DataFrame) -> str:
    """案件编号A、B等3件 — the first record numbers of some rows, for a note."""
    key = "case_id" if "case_id" in rows.columns else "case_no"
    first = "、".join(sorted(rows[key].astype(str))[:3])  # whatever the export's row order
    return f"{first}{'等' if len(rows) > 3 else ''}{len(rows)}件案件"


def _zh(column: str) -> str:
    from helpers.data.contract import TABLES

    for table in ("reconsiderations", "lawsuits"):
        names = {c.name: c.zh for c in TABLES[table].columns}
        if column in names:
            return names[column]
    return column


def rate_figure(
    fid: str, label: str, part: int, whole: int, *, why_none: str, source: str, definition: str
) -> Figure:
    """A share in percent to one decimal (12.5%); not stated without a base."""
    pct = stats.rate(part, whole)
    if pct is None:
        raise NotStated(fid, why_none)
    return Figure(
        fid,
        label,
        fmt.round_half_up(pct, RATE_DIGITS),
        "%",
        fmt.percent(pct, RATE_DIGITS),
        source,
        definition,
        whole,
        current=part,
    )


def points_figure(
    fid: str,
    label: str,
    now: tuple[int, int],
    before: tuple[int, int],
    *,
    why_none: str,
    source: str,
    definition: str,
) -> Figure:
    """The change of a rate (``now`` and ``before``: part and whole) against last year's, in
    个百分点: the two rates as stated (rounded to one decimal) subtracted, so that the text adds
    up for a reader who compares them."""
    rates = [stats.rate(*pair) for pair in (now, before)]
    if None in rates:
        which = "本年" if rates[0] is None else "上年"
        raise NotStated(fid, f"{which}没有可计算比率的案件，{why_none}")
    current, prior = (fmt.round_half_up(r, RATE_DIGITS) for r in rates)
    diff = current - prior
    return Figure(
        fid,
        label,
        diff,
        "个百分点",
        fmt.points(diff, RATE_DIGITS),
        source,
        definition,
        now[1] + before[1],
        prior=prior,
        current=current,
        direction=direction_of(diff),
    )


def last_years_ended(t: Frames, table: str, ended: Callable) -> pd.DataFrame:
    """Cases of ``table`` that ended last year (``ended(t, year)``). They include cases begun two
    years before, so the file of that year must be on hand: without it MissingTableError names
    it and the comparison is left out, rather than made against a base that falls short."""
    getattr(t.prior.prior, table)
    return ended(t, t.year - 1)


def attach_prior(
    figures: dict[str, Figure], t: Frames, table: str, ended: Callable, picks: dict[str, Callable]
) -> None:
    """Give counts of ended cases last year's value (for metrics.csv and the annex) when last
    year's ended cases can be counted in full; otherwise they stand without one."""
    try:
        before = last_years_ended(t, table, ended)
    except (MissingTableError, NotStated):
        return
    for fid, pick in picks.items():
        with_prior(figures[fid], count(fid, "", pick(before), "件", source=table, definition=""))


# ------------------------------------------------------------------ reconsideration
def accepted(rows: pd.DataFrame) -> pd.DataFrame:
    """Applications accepted for review (not 不予受理)."""
    return rows[rows["status"] != "不予受理"]


def received(t: Frames) -> dict[str, Figure]:
    """F076, F078: applications received and accepted, with last year's (same months) when its
    file is on hand."""
    now = t.reconsiderations
    before = (
        same_months(t.prior.reconsiderations, "received_date", now)
        if "reconsiderations" in t.prior
        else None
    )
    figures = {
        "F076": count(
            "F076",
            "收到行政复议申请",
            now,
            "件",
            source="reconsiderations",
            definition="年内收到（按收到申请日期）的行政复议申请件数，含不予受理的",
            prior_rows=before,
        ),
        "F078": count(
            "F078",
            "受理行政复议申请",
            accepted(now),
            "件",
            source="reconsiderations",
            definition="年内收到的行政复议申请中办理状态不是不予受理（即审理中或已审结）的件数",
            prior_rows=None if before is None else accepted(before),
        ),
    }
    for figure in figures.values():  # against last year's same months: they are its period
        figure.same_period = before is not None
    return figures


@dataclass(frozen=True)
class Begun:
    """Cases begun in the year (applications received, lawsuits filed), counted against last
    year's in the same months."""

    fid: str
    table: str
    date: str
    label: str
    what: str  # 行政复议申请件数 …


BEGUN = {
    "reconsiderations": Begun(
        "F077", "reconsiderations", "received_date", "行政复议申请同比", "收到的行政复议申请件数"
    ),
    "lawsuits": Begun("F084", "lawsuits", "filed_date", "行政诉讼案件同比", "立案的行政诉讼案件数"),
}


def begun_change(t: Frames, table: str) -> Figure:
    """F077 / F084: applications received or lawsuits filed against last year's, same months
    (1 decimal)."""
    b = BEGUN[table]
    now = getattr(t, table)  # a missing file raises MissingTableError, naming it
    before = same_months(getattr(t.prior, table), b.date, now)
    figure = yoy(
        b.fid,
        b.label,
        len(now),
        len(before),
        ndigits=1,
        source=table,
        definition=f"年内{b.what}，与上年同期（同样的月份）比较",
        rows=len(now) + len(before),
    )
    figure.same_period = True
    return figure


DECIDED = ("F079", "F080", "F081", "F082")


def decided(t: Frames, year: int) -> pd.DataFrame:
    """Reconsideration cases decided in ``year``, whatever year they were received; a decided case
    without its decision leaves the figures out until the register gives it."""
    return ended_with(t.history.reconsiderations, year, ("decided_date", "decision"), DECIDED)


def corrected(rows: pd.DataFrame) -> pd.DataFrame:
    """Decided cases whose decision corrected the act."""
    return rows[rows["decision"].isin(CORRECTING)]


DECIDED_DEF = "办理状态为已审结、审结日期在年内的行政复议案件（不论哪年收到）"
CORRECTION_RATE = (
    f"{DECIDED_DEF}中，复议决定为{'、'.join(CORRECTING)}的件数÷审结件数"
    "（维持、驳回、调解、终止不算纠错）"
)


def decided_counts(t: Frames) -> dict[str, Figure]:
    """F079–F080: cases decided in the year, and those whose decision corrected the act."""
    rows = decided(t, t.year)
    out = {
        "F079": count(
            "F079",
            "审结行政复议案件",
            rows,
            "件",
            source="reconsiderations",
            definition=DECIDED_DEF + "件数",
        ),
        "F080": count(
            "F080",
            "行政复议纠错案件",
            corrected(rows),
            "件",
            source="reconsiderations",
            definition=f"{DECIDED_DEF}中，复议决定为{'、'.join(CORRECTING)}的件数",
        ),
    }
    attach_prior(out, t, "reconsiderations", decided, {"F079": _all, "F080": corrected})
    return out


def correction_rate(t: Frames) -> Figure:
    """F081: the correction rate (纠错率) of the cases decided in the year."""
    rows = decided(t, t.year)
    return rate_figure(
        "F081",
        "行政复议纠错率",
        len(corrected(rows)),
        len(rows),
        why_none=f"{t.year}年没有审结的行政复议案件，纠错率无从计算",
        source="reconsiderations",
        definition=CORRECTION_RATE,
    )


def correction_change(t: Frames) -> Figure:
    """F082: the correction rate against last year's, in 个百分点."""
    now = decided(t, t.year)
    try:
        before = last_years_ended(t, "reconsiderations", decided)
    except NotStated as exc:
        raise NotStated("F082", f"上年数据：{exc.why}") from None
    return points_figure(
        "F082",
        "行政复议纠错率较上年变化",
        (len(corrected(now)), len(now)),
        (len(corrected(before)), len(before)),
        why_none="无从比较纠错率",
        source="reconsiderations",
        definition="本年纠错率与上年纠错率之差（个百分点），两年的纠错率各按一位小数四舍五入后相减；"
        f"纠错率：{CORRECTION_RATE}",
    )


def _all(rows: pd.DataFrame) -> pd.DataFrame:
    return rows


# ------------------------------------------------------------------ lawsuits
def filed(t: Frames) -> Figure:
    """F083: lawsuits filed in the year, with last year's (same months) when its file is on hand."""
    now = t.lawsuits
    before = same_months(t.prior.lawsuits, "filed_date", now) if "lawsuits" in t.prior else None
    figure = count(
        "F083",
        "新收行政诉讼案件",
        now,
        "件",
        source="lawsuits",
        definition="年内法院立案（按立案日期）、以本局或所属单位为被告的行政诉讼案件数",
        prior_rows=before,
    )
    figure.same_period = before is not None
    return figure


CONCLUDED = ("F085", "F086", "F087", "F088", "F089", "F090", "F091", "F092")


def concluded(t: Frames, year: int) -> pd.DataFrame:
    """Lawsuits concluded in ``year``, whatever year they were filed; a concluded case without its
    result leaves the figures out until the register gives it."""
    return ended_with(t.history.lawsuits, year, ("concluded_date", "result"), CONCLUDED)


def judged(rows: pd.DataFrame) -> pd.DataFrame:
    """Concluded lawsuits that ended in a judgment on the merits (won or lost)."""
    return rows[rows["result"].isin(JUDGMENTS)]


def lost(rows: pd.DataFrame) -> pd.DataFrame:
    """Concluded lawsuits the defendant lost by judgment."""
    return rows[rows["result"] == "败诉"]


def heard(rows: pd.DataFrame) -> pd.DataFrame:
    """Concluded lawsuits with at least one court hearing."""
    return rows[rows["hearings"] >= 1]


def appeared(rows: pd.DataFrame) -> pd.DataFrame:
    """Heard lawsuits at which a responsible person of the defendant appeared in court."""
    rows = heard(rows)
    return rows[rows["leader_appeared"].fillna(False).astype(bool)]


ENDED = "办理状态为已审结、审结日期在年内的行政诉讼案件（不论哪年立案、在哪一审级结案）"
LOSS_RATE = (
    f"{ENDED}中，审结结果为败诉的件数÷以判决结案（胜诉或败诉）的件数；"
    "以裁定驳回起诉、准予撤诉、调解等方式结案的不计入分母"
)
APPEARANCE_RATE = (
    f"{ENDED}中至少开庭一次的，被告负责人（正职、副职或分管负责人）出庭应诉的件数÷开庭审理的件数"
)


def concluded_counts(t: Frames) -> dict[str, Figure]:
    """F085, F086, F089, F090: lawsuits concluded in the year, lost, heard in court, and attended
    by a responsible person."""
    rows = concluded(t, t.year)
    out = {
        "F085": count(
            "F085", "审结行政诉讼案件", rows, "件", source="lawsuits", definition=ENDED + "件数"
        ),
        "F086": count(
            "F086",
            "行政诉讼败诉案件",
            lost(rows),
            "件",
            source="lawsuits",
            definition=f"{ENDED}中审结结果为败诉（判决撤销、变更、确认违法或无效、责令履行、赔偿）"
            "的件数",
        ),
        "F089": count(
            "F089",
            "开庭审理的行政诉讼案件",
            heard(rows),
            "件",
            source="lawsuits",
            definition=f"{ENDED}中开庭次数至少为1的件数",
        ),
        "F090": count(
            "F090",
            "负责人出庭应诉案件",
            appeared(rows),
            "件",
            source="lawsuits",
            definition=f"{ENDED}中至少开庭一次、被告负责人出庭应诉的件数",
        ),
    }
    picks = {"F085": _all, "F086": lost, "F089": heard, "F090": appeared}
    attach_prior(out, t, "lawsuits", concluded, picks)
    return out


@dataclass(frozen=True)
class LawsuitRate:
    """A rate of the lawsuits concluded in the year, and its change against last year's."""

    fid: str
    change_fid: str
    label: str
    part: Callable[[pd.DataFrame], pd.DataFrame]
    whole: Callable[[pd.DataFrame], pd.DataFrame]
    definition: str
    no_base: str  # why this year's concluded lawsuits give it no base


LAWSUIT_RATES = {
    "败诉率": LawsuitRate(
        "F087", "F088", "行政诉讼败诉率", lost, judged, LOSS_RATE, "没有以判决结案的"
    ),
    "出庭应诉率": LawsuitRate(
        "F091",
        "F092",
        "行政机关负责人出庭应诉率",
        appeared,
        heard,
        APPEARANCE_RATE,
        "均未开庭审理",
    ),
}


def lawsuit_rate(t: Frames, what: str) -> Figure:
    """F087 败诉率 or F091 出庭应诉率 of the lawsuits concluded in the year."""
    r, rows = LAWSUIT_RATES[what], concluded(t, t.year)
    return rate_figure(
        r.fid,
        r.label,
        len(r.part(rows)),
        len(r.whole(rows)),
        why_none=f"{t.year}年审结的行政诉讼案件{r.no_base}，{what}无从计算",
        source="lawsuits",
        definition=r.definition,
    )


def lawsuit_rate_change(t: Frames, what: str) -> Figure:
    """F088 / F092: 败诉率 or 出庭应诉率 against last year's, in 个百分点."""
    r, now = LAWSUIT_RATES[what], concluded(t, t.year)
    try:
        before = last_years_ended(t, "lawsuits", concluded)
    except NotStated as exc:
        raise NotStated(r.change_fid, f"上年数据：{exc.why}") from None
    return points_figure(
        r.change_fid,
        f"{r.label}较上年变化",
        (len(r.part(now)), len(r.whole(now))),
        (len(r.part(before)), len(r.whole(before))),
        why_none=f"无从比较{what}",
        source="lawsuits",
        definition=f"本年{what}与上年{what}之差（个百分点），两年的{what}各按一位小数四舍五入后"
        f"相减；{what}：{r.definition}",
    )


# ------------------------------------------------------------------ groups
def figure_groups(t: Frames, **_) -> list:
    """The chapter's figure calculations, one group each, so that a missing table or a year
    without a base leaves out only the figures that need it."""
    return [
        lambda: received(t),
        *(lambda table=table: begun_change(t, table) for table in BEGUN),
        lambda: decided_counts(t),
        lambda: correction_rate(t),
        lambda: correction_change(t),
        lambda: filed(t),
        lambda: concluded_counts(t),
        *(lambda what=what: lawsuit_rate(t, what) for what in LAWSUIT_RATES),
        *(lambda what=what: lawsuit_rate_change(t, what) for what in LAWSUIT_RATES),
    ]


def last_month(t: Frames) -> int:
    """The last month the year's registers reach (12 for a full year); a file never holds rows of
    no month, as a file with none of its year is refused."""
    dates = {"reconsiderations": "received_date", "lawsuits": "filed_date"}
    present = [table for table in dates if table in t]
    if not present:
        raise MissingTableError.all_of([t.missing[table] for table in dates])
    return max(int(t[table][dates[table]].dt.month.max()) for table in present)


def word_groups(t: Frames, **_) -> list:
    """Word slots: the months the registers cover (1—12月)."""
    return [lambda: {"months": fmt.month_range(1, last_month(t))}]


# ------------------------------------------------------------------ analysis (notebook)
def yearly_table(t: Frames) -> pd.DataFrame:
    """Cases begun and ended per year, one column per year whose ended cases are counted in full
    (the first year on file is left out: its ended cases include ones begun the year before).
    Empty when either register's files are missing (the text's notes name them)."""
    import pandas as pd

    if not {"reconsiderations", "lawsuits"} <= set(t.history):
        return pd.DataFrame()
    recon, suits = t.history.reconsiderations, t.history.lawsuits
    first = max(int(recon["received_date"].dt.year.min()), int(suits["filed_date"].dt.year.min()))
    rows = {}
    for y in range(first + 1, t.year + 1):
        done = dated_in(recon, y, "decided_date")  # the text's notes say what is undated
        ended = dated_in(suits, y, "concluded_date")
        rows[y] = {
            "收到行政复议申请": int((recon["received_date"].dt.year == y).sum()),
            "审结行政复议案件": len(done),
            "其中纠错": len(corrected(done)),
            "新收行政诉讼案件": int((suits["filed_date"].dt.year == y).sum()),
            "审结行政诉讼案件": len(ended),
            "其中判决结案": len(judged(ended)),
            "其中败诉": len(lost(ended)),
            "开庭审理": len(heard(ended)),
            "负责人出庭": len(appeared(ended)),
        }
    return pd.DataFrame(rows, dtype="Int64")
