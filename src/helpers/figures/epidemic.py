"""一(二) 疫情常态化防控: verification, quarantine sites, detention-centre meetings, volunteers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from helpers import fmt, stats
from helpers.figures.base import Figure, Frames, count, derived, total

# pandas only in annotations here and imported where used: a build reads FIGURES and WORDS
# (every build does, before it knows whether anything changed) without importing pandas
if TYPE_CHECKING:
    import pandas as pd

# the largest table: only what is used (its persons are counted by the table's check, as
# person_id is marked distinct, so the ids are not read again)
COLUMNS = {"verification_persons": ["verified"]}
FIGURES = {
    "F002": ("verification_tasks",),
    "F003": ("verification_persons",),
    "F004": ("verification_persons",),
    "F005": ("quarantine_deployments",),
    "F006": ("venues",),
    **dict.fromkeys(("F007", "F008", "F009"), ("meeting_facilities",)),
    **dict.fromkeys(("F010", "F011", "F012", "F013", "F014"), ("volunteer_logs",)),
}
WORDS = {"volunteer_town": ("volunteer_logs",)}


def verification_batches(tasks: pd.DataFrame) -> Figure:
    """F002: verification batches handled (withdrawn ones excluded)."""
    return count(
        "F002",
        "落地核查任务",
        tasks[tasks["status"] != "已撤销"],
        "批次",
        source="verification_tasks",
        definition="年内下发、状态不为已撤销的落地核查任务批次数",
    )


def persons_verified(persons: pd.DataFrame, n: int) -> Figure:
    """F003: persons verified, each once (``n`` different person ids), written in 万."""
    return derived(
        "F003",
        "核查人数",
        n,
        "人",
        f"{fmt.wan(n)}人",
        source="verification_persons",
        definition="年内核查明细中的不同人员数（一万以上按万取整显示，偏差超过0.5%时多保留小数）",
        rows=len(persons),
        counted=True,
    )


def verification_rate(persons: pd.DataFrame) -> Figure:
    """F004: share of assigned records verified, whole percent."""
    pct = stats.rate(int(persons["verified"].sum()), len(persons))
    value = fmt.round_half_up(pct, 0)
    return derived(
        "F004",
        "核查率",
        value,
        "%",
        fmt.percent(pct, 0),
        source="verification_persons",
        definition="已核查记录数÷应核查记录数",
        rows=len(persons),
    )


def officers_deployed(deployments: pd.DataFrame) -> Figure:
    """F005: officer-days posted to quarantine sites."""
    return total(
        "F005",
        "隔离场所派驻警力",
        deployments["officers"],
        "人次",
        source="quarantine_deployments",
        definition="年内隔离场所派驻人次之和",
    )


def driver_sites(venues: pd.DataFrame) -> Figure:
    """F006: registered sites where cross-border truck drivers stay."""
    rows = venues[(venues["category"] == "跨境司机定点活动场所") & (venues["status"] == "在册")]
    return count(
        "F006",
        "跨境司机定点活动场所",
        rows,
        "个",
        source="venues",
        definition="年末场所台账中在册的跨境司机定点活动场所数",
    )


def facilities(meeting: pd.DataFrame) -> dict[str, Figure]:
    """F007–F009: video meeting rooms, temporary booths (counted) and tablets (summed) put into use."""
    rooms = meeting[meeting["kind"] == "视频会见室"]
    booths = meeting[meeting["kind"] == "临时会见卡位"]
    tablets = meeting[meeting["kind"] == "平板电脑"]
    figs = [
        count(
            "F007",
            "律师视频会见室",
            rooms,
            "间",
            source="meeting_facilities",
            definition="年内启用的视频会见室数",
        ),
        count(
            "F008",
            "临时会见卡位",
            booths,
            "个",
            source="meeting_facilities",
            definition="年内启用的临时会见卡位数",
        ),
        total(
            "F009",
            "平板电脑",
            tablets["quantity"],
            "台",
            source="meeting_facilities",
            definition="年内启用的平板电脑数量之和",
        ),
    ]
    return {f.id: f for f in figs}


# the logs count people per day: someone visited on two days is counted twice, so the
# first three are person-times (人次), not persons
VOLUNTEER_SUMS = [
    ("F010", "visited", "走访群众", "人次", "各日志所记走访人数之和（同一群众多日走访按多人次计）"),
    ("F011", "served", "服务群众", "人次", "各日志所记服务人数之和（同一群众多日服务按多人次计）"),
    (
        "F012",
        "persuaded",
        "劝导群众",
        "人次",
        "各日志所记劝导人数之和（同一群众多日劝导按多人次计）",
    ),
    ("F013", "deeds", "办实事", "项", "各日志所记办实事项数之和"),
    ("F014", "solved", "协调解决问题", "个", "各日志所记解决问题数之和"),
]


def volunteer_work(logs: pd.DataFrame) -> dict[str, Figure]:
    """F010–F014: what the bureau's volunteer team did, summed over its daily logs."""
    return {
        fid: total(
            fid,
            f"志愿服务队{label}",
            logs[col],
            unit,
            source="volunteer_logs",
            definition=f"年内{definition}",
        )
        for fid, col, label, unit, definition in VOLUNTEER_SUMS
    }


def volunteer_towns(logs: pd.DataFrame) -> list[str]:
    """The towns the volunteer team served, the one with most log days first (ties by name)."""
    days = logs.groupby("town", observed=True).size()
    return sorted(days.index, key=lambda town: (-days[town], town))


def figure_groups(t: Frames, **_) -> list:
    """The chapter's figure calculations, one group per table."""
    return [
        lambda: verification_batches(t.verification_tasks),
        lambda: (
            persons_verified(
                t.verification_persons, t.distinct("verification_persons", "person_id")
            ),
            verification_rate(t.verification_persons),
        ),
        lambda: officers_deployed(t.quarantine_deployments),
        lambda: driver_sites(t.venues),
        lambda: facilities(t.meeting_facilities),
        lambda: volunteer_work(t.volunteer_logs),
    ]


def word_groups(t: Frames, **_) -> list:
    """Word slots of 一(二): where the volunteer team worked."""
    return [lambda: {"volunteer_town": volunteer_towns(t.volunteer_logs)[0]}]


def facilities_table(meeting: pd.DataFrame) -> pd.DataFrame:
    """Facilities put into use, by detention centre and kind (units)."""
    table = meeting.pivot_table(
        index="centre", columns="kind", values="quantity", aggfunc="sum", fill_value=0
    )
    return table.reset_index().rename(columns={"centre": "监管场所"})
