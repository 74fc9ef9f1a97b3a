"""An independent oracle for the report's figures and text (issue 11).

Given the raw rows a test wrote (``World``: (table, year) → list of row dicts, a table-year
that is not there has no file), it says what every chapter must state: each figure's display
text, value, prior-year value and direction, each word slot, which slots are left out and why,
and the composed official text. It is written from the figures' stated definitions in plain
Python — whole numbers and ``Fraction`` only — and uses none of ``helpers.fmt``, ``helpers.stats``
or ``helpers.figures``: a bug in their rounding, 同比 or ranking cannot hide behind them.

Reading conventions it shares with the data contract (not with the code): a dated table's file of
year Y holds the rows whose date falls in Y (other rows are dropped), a snapshot table's file
holds every row, 已撤销 records never count.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import yaml

UP, DOWN, FLAT, MIXED = "up", "down", "flat", "mixed"
NARRATIVE = Path(__file__).resolve().parents[1] / "data" / "narrative"

# the date (or year) column that decides which rows a table's file of a year holds; None: snapshot
YEAR_COLUMN = {
    "activities": "activity_date",
    "court_appearances": "hearing_date",
    "verification_tasks": "issued_date",
    "verification_persons": "assigned_date",
    "quarantine_deployments": "duty_date",
    "venues": None,
    "meeting_facilities": "enabled_date",
    "volunteer_logs": "log_date",
    "alarms": "received_at",
    "cases": "filed_date",
    "persons": "caught_date",
    "measures": "decided_date",
    "province_cities": "year",
    "gangs": "dismantled_date",
    "fugitives": "caught_date",
    "commendations": "received_date",
    "drug_seizures": "seized_date",
    "special_cases": "solved_date",
    "school_enrollments": None,
    "rental_inspections": "inspected_date",
    "knife_seizures": "seized_date",
    "volunteer_roster": None,
    "response_teams": None,
    "rally_points": None,
    "volunteer_results": "record_date",
    "traffic_accidents": "occurred_at",
    "guidelines": "issued_date",
    "case_reviews": "review_date",
    "inspections": "inspected_date",
    "it_functions": None,
    "honours": "awarded_date",
    "service_items": None,
    "home_services": "service_date",
    "outreach_events": "event_date",
    "hotline_tickets": "received_at",
}

World = dict  # (table, year) -> list[dict]


# ------------------------------------------------------------------ numbers, written by hand
def scaled_half_up(num: int, den: int, ndigits: int) -> int:
    """|num ÷ den| × 10^ndigits rounded half up (四舍五入 on the magnitude), in whole numbers."""
    n, d = abs(num) * 10**ndigits, abs(den)
    q, r = divmod(n, d)
    return q + (1 if 2 * r >= d else 0)


def decimals(scaled: int, ndigits: int) -> str:
    """A scaled whole number written with ``ndigits`` decimals: (4275, 2) → 42.75."""
    if ndigits == 0:
        return str(scaled)
    digits = str(scaled).rjust(ndigits + 1, "0")
    return f"{digits[:-ndigits]}.{digits[-ndigits:]}"


def signed_value(num: int, den: int, ndigits: int) -> Fraction:
    """num ÷ den rounded half up (away from zero) to ``ndigits`` decimals, as an exact number."""
    q = scaled_half_up(num, den, ndigits)
    return Fraction(q if num * den >= 0 else -q, 10**ndigits)


def change_text(current: int, prior: int, ndigits: int) -> tuple[str, str, Fraction]:
    """同比 of two counts: (上升12.35% / 下降4.1% / 持平, direction as written, rounded value)."""
    num, den = (current - prior) * 100, prior
    q = scaled_half_up(num, den, ndigits)
    value = signed_value(num, den, ndigits)
    if q == 0:
        return "持平", FLAT, value
    word = "上升" if current > prior else "下降"
    return f"{word}{decimals(q, ndigits)}%", UP if current > prior else DOWN, value


def in_wan(n: int, ndigits: int) -> str:
    """A whole number in 万 with ``ndigits`` decimals, rounded half up: 7418150 → 741.82万, or
    with one more decimal at a time (up to 4) while the 万 written are more than 0.5% off n
    (15000 → 1.5万, not 2万); fewer than ten thousand as they are: 9999 → 9999."""
    if abs(n) < 10_000:
        return str(n)
    while ndigits < 4:
        step = 10 ** (4 - ndigits)  # what one unit of the last decimal is worth
        if abs(scaled_half_up(n, step, 0) * step - abs(n)) * 200 <= abs(n):
            break
        ndigits += 1
    scaled = scaled_half_up(n, 10_000, ndigits)
    while ndigits and scaled % 10 == 0:  # 1万, not 1.0万
        scaled, ndigits = scaled // 10, ndigits - 1
    return decimals(scaled, ndigits) + "万"


def more_than(n: int) -> str:
    """34 → 30多, 30 → 30, 9 → 9."""
    if n < 10:
        return str(n)
    floor = n // 10 * 10
    return f"{floor}多" if floor != n else str(floor)


def amount_text(fen: int) -> str:
    """An amount given in 分, floored: 2300余万 and 190余万 (≥ 100万: two significant figures of
    the 万), 99万余 or 30余万 (≥ 1万: whole 万; 余 before 万 after a round ten), 57万, or 4000
    (under 1万: whole 元)."""
    if fen < 1_000_000:
        return str(fen // 100)
    wan = fen // 1_000_000
    step = 10 ** max(len(str(wan)) - 2, 0)
    floor = wan // step * step
    if floor * 1_000_000 == fen:
        return f"{floor}万"
    return f"{floor}余万" if floor % 10 == 0 else f"{floor}万余"


def percent(part: int, whole: int, ndigits: int = 0) -> str:
    return decimals(scaled_half_up(part * 100, whole, ndigits), ndigits) + "%"


def month_day(d: dt.date) -> str:
    return f"{d.month}月{d.day}日"


def months_text(last: int) -> str:
    return "1月" if last == 1 else f"1—{last}月"


def rank_among(values: dict, key) -> tuple[int, bool]:
    """Rank of values[key] (1 = largest; equal values share the best rank) and whether tied."""
    mine = values[key]
    better = [k for k, v in values.items() if v > mine]
    same = [k for k, v in values.items() if v == mine and k != key]
    return len(better) + 1, bool(same)


def sign(x) -> str:
    return UP if x > 0 else DOWN if x < 0 else FLAT


# ------------------------------------------------------------------ what a chapter must state
@dataclass
class Fig:
    """What a figure must be: its text, and (when checked) its value, prior value and direction."""

    display: str
    value: object = None
    prior: object = None
    direction: str | None = None
    current: int | None = None  # a 同比's count this year


@dataclass
class Expected:
    figures: dict[str, Fig] = field(default_factory=dict)
    words: dict[str, str] = field(default_factory=dict)
    # slot -> ("missing", {(table, year), …}) | ("nobase",) | ("nodata",)
    absent: dict[str, tuple] = field(default_factory=dict)
    months: str = "1—12月"
    # word slot -> raw text left out of it (a register remark making a claim no data backs)
    left_out_of_words: dict[str, list[str]] = field(default_factory=dict)

    def missing(self, slots, *table_years):
        for s in slots:
            self.absent[s] = ("missing", set(table_years))

    def nodata(self, *slots):
        for s in slots:
            self.absent[s] = ("nodata",)


def year_of(value) -> int:
    return value if isinstance(value, int) else value.year


def rows_of(world: World, table: str, year: int) -> list[dict] | None:
    """The rows a table's file of ``year`` contributes (None: no file)."""
    rows = world.get((table, year))
    if rows is None:
        return None
    col = YEAR_COLUMN[table]
    return list(rows) if col is None else [r for r in rows if year_of(r[col]) == year]


def same_months(prior: list[dict], column: str, rows: list[dict]) -> list[dict]:
    """Last year's rows of the months this year's export covers: a 同比 compares the same period.
    The text states that period (``months``: 1—8月 when the year's records end in August), so
    1—8月 are compared with last year's 1—8月, not with last year's twelve months."""
    if not rows:
        return prior
    last = max(r[column].month for r in rows)
    return [r for r in prior if r[column].month <= last]


def count_fig(n: int, unit: str, prior: int | None = None) -> Fig:
    return Fig(f"{n}{unit}", n, prior, None if prior is None else sign(n - prior))


def change_fig(current: int, prior: int, ndigits: int) -> Fig | None:
    """A 同比 figure, None when last year had none (no base)."""
    if prior == 0:
        return None
    display, direction, value = change_text(current, prior, ndigits)
    return Fig(display, value, prior, direction, current)


def _put_change(e: Expected, fid: str, current: int, prior: int, ndigits: int) -> None:
    fig = change_fig(current, prior, ndigits)
    if fig is None:
        e.absent[fid] = ("nobase",)
    else:
        e.figures[fid] = fig


# ------------------------------------------------------------------ 一(一) study, 二 leaders
def study(world: World, year: int) -> Expected:
    e = Expected()
    acts = rows_of(world, "activities", year)
    if acts is None:
        e.missing(["F001", "study_list"], ("activities", year))
        return e
    sessions = sorted(
        (r for r in acts if r["category"] == "学法"),
        key=lambda r: (r["activity_date"], r["activity_id"]),
    )
    if not sessions:  # no study session: nothing to list, the sentence is left out
        e.nodata("F001", "study_list")
        return e
    days = "/".join(month_day(r["activity_date"]) for r in sessions)
    e.figures["F001"] = Fig(f"{len(sessions)}项活动：{days}", len(sessions))
    e.words["study_list"] = "".join(
        f"{month_day(r['activity_date'])}，{r['title']}。" for r in sessions
    )
    return e


def leaders(world: World, year: int) -> Expected:
    e = Expected()
    rows = rows_of(world, "court_appearances", year)
    if rows is None:
        e.missing(["F075", "appearances"], ("court_appearances", year))
        return e
    rows = sorted(rows, key=lambda r: (r["hearing_date"], r["record_id"]))
    if not rows:
        e.nodata("F075", "appearances")
        return e
    e.figures["F075"] = Fig(
        "、".join(month_day(r["hearing_date"]) + r["post"].split("、")[-1] for r in rows), len(rows)
    )
    e.words["appearances"] = "；".join(
        f"{month_day(r['hearing_date'])}，{r['post']}{r['name']}同志代表{r['represented']}出庭应诉"
        for r in rows
    )
    return e


# ------------------------------------------------------------------ 一(二) epidemic
VOLUNTEER_COLUMNS = [
    ("F010", "visited", "人次"),
    ("F011", "served", "人次"),
    ("F012", "persuaded", "人次"),
    ("F013", "deeds", "项"),
    ("F014", "solved", "个"),
]


def epidemic(world: World, year: int) -> Expected:
    e = Expected()
    tasks = rows_of(world, "verification_tasks", year)
    if tasks is None:
        e.missing(["F002"], ("verification_tasks", year))
    else:
        e.figures["F002"] = count_fig(sum(r["status"] != "已撤销" for r in tasks), "批次")
    persons = rows_of(world, "verification_persons", year)
    if persons is None:
        e.missing(["F003", "F004"], ("verification_persons", year))
    else:
        distinct = len({r["person_id"] for r in persons})
        e.figures["F003"] = Fig(in_wan(distinct, 0) + "人", distinct)
        done = sum(bool(r["verified"]) for r in persons)
        if persons:
            e.figures["F004"] = Fig(
                percent(done, len(persons)), Fraction(scaled_half_up(done * 100, len(persons), 0))
            )
        else:
            e.nodata("F004")  # no record to verify: no rate
    deployments = rows_of(world, "quarantine_deployments", year)
    if deployments is None:
        e.missing(["F005"], ("quarantine_deployments", year))
    else:
        e.figures["F005"] = count_fig(sum(r["officers"] for r in deployments), "人次")
    venues = rows_of(world, "venues", year)
    if venues is None:
        e.missing(["F006"], ("venues", year))
    else:
        n = sum(r["category"] == "跨境司机定点活动场所" and r["status"] == "在册" for r in venues)
        e.figures["F006"] = count_fig(n, "个")
    meeting = rows_of(world, "meeting_facilities", year)
    if meeting is None:
        e.missing(["F007", "F008", "F009"], ("meeting_facilities", year))
    else:
        e.figures["F007"] = count_fig(sum(r["kind"] == "视频会见室" for r in meeting), "间")
        e.figures["F008"] = count_fig(sum(r["kind"] == "临时会见卡位" for r in meeting), "个")
        e.figures["F009"] = count_fig(
            sum(r["quantity"] for r in meeting if r["kind"] == "平板电脑"), "台"
        )
    logs = rows_of(world, "volunteer_logs", year)
    if logs is None:
        e.missing(
            [f for f, _, _ in VOLUNTEER_COLUMNS] + ["volunteer_town"], ("volunteer_logs", year)
        )
    else:
        for fid, column, unit in VOLUNTEER_COLUMNS:
            e.figures[fid] = count_fig(sum(r[column] for r in logs), unit)
        # each log is one team's day in a town: the town with most logs, ties by name
        days: dict[str, int] = {}
        for r in logs:
            days[r["town"]] = days.get(r["town"], 0) + 1
        if days:
            e.words["volunteer_town"] = min(days, key=lambda town: (-days[town], town))
        else:
            e.nodata("volunteer_town")
    return e


# ------------------------------------------------------------------ 一(三) safety
FRAUD = "电信网络诈骗"
GANG_IDS = {
    "黑社会性质组织": "F015",
    "恶势力犯罪集团": "F016",
    "网络裸聊敲诈勒索团伙": "F017",
    "其它网黑团伙": "F018",
}
COMMENDATION_IDS = {
    "F032": ("公安部", "涉黄赌"),
    "F033": ("省公安厅", "涉黄赌"),
    "F037": ("省公安厅", "走私"),
}
MEASURE_IDS = {"F056": "行政拘留", "F057": "刑事拘留", "F058": "移送审查起诉"}
ECONOMIC = ("地下钱庄", "保险诈骗", "传销")
PREVENTION = {
    "F044": "rental_inspections",
    "F045": "knife_seizures",
    "F046": "volunteer_roster",
    "F047": "volunteer_roster",
    "F048": "response_teams",
    "F049": "rally_points",
    "F050": "volunteer_results",
    "F051": "volunteer_results",
}


def _history(world: World, table: str, year: int) -> tuple[list[dict] | None, int | None]:
    """Rows of the files of ``year``, the year before (both needed: else (None, the missing
    one)), and the unbroken run of years on hand before those (older files past a gap are not
    read)."""
    on_file = {y for (t, y) in world if t == table}
    first = year - 1
    while first - 1 in on_file and first in on_file:
        first -= 1
    years = range(first, year + 1)
    rows = []
    for y in years:
        part = rows_of(world, table, y)
        if part is None:
            return None, y
        rows += part
    return rows, None


def _solved(cases: list[dict], year: int, case_type: str) -> int:
    return sum(
        r["status"] != "已撤销"
        and r["kind"] == "刑事"
        and r["case_type"] == case_type
        and r["solved_date"] is not None
        and r["solved_date"].year == year
        for r in cases
    )


def _filed(cases: list[dict], kind: str, case_type: str | None = None) -> int:
    return sum(
        r["status"] != "已撤销"
        and r["kind"] == kind
        and (case_type is None or r["case_type"] == case_type)
        for r in cases
    )


def _valid_alarms(alarms: list[dict], subcategory: str | None = None) -> int:
    return sum(
        r["category"] == "违法犯罪"
        and r["status"] == "有效"
        and (subcategory is None or r["subcategory"] == subcategory)
        for r in alarms
    )


def _persons_under(measures: list[dict], measure: str) -> int:
    return len(
        {r["person_id"] for r in measures if r["measure"] == measure and r["status"] != "已撤销"}
    )


def _case_name(r: dict) -> str:
    return r["name"] if r.get("name") else f"“{r['case_code']}”案"


def safety(world: World, year: int, city: str) -> Expected:
    e = Expected()
    now = lambda table: rows_of(world, table, year)  # noqa: E731
    before = lambda table: rows_of(world, table, year - 1)  # noqa: E731

    # groups and fugitives
    gangs = now("gangs")
    if gangs is None:
        e.missing([*GANG_IDS.values(), "F036"], ("gangs", year))
    else:
        confirmed = lambda cat: sum(r["category"] == cat and r["status"] == "已认定" for r in gangs)  # noqa: E731
        for cat, fid in GANG_IDS.items():
            e.figures[fid] = count_fig(confirmed(cat), "个")
        n = confirmed("走私犯罪团伙")
        e.figures["F036"] = Fig(f"{more_than(n)}个", n)
    fugitives = now("fugitives")
    if fugitives is None:
        e.missing(["F019"], ("fugitives", year))
    else:
        n = sum(r["level"] in ("公安部目标逃犯", "省公安厅目标逃犯") for r in fugitives)
        e.figures["F019"] = count_fig(n, "人")

    # cases solved in the year, however long ago they were filed
    history, gap = _history(world, "cases", year)
    if history is None:
        e.missing(["F020", "F021", "F034"], ("cases", gap))
    else:
        last_year_known = ("cases", year - 1) in world
        for fid, case_type, unit in (("F020", FRAUD, "起"), ("F034", "毒品", "宗")):
            n, p = _solved(history, year, case_type), _solved(history, year - 1, case_type)
            # without last year's file, last year's solved cases are not known
            e.figures[fid] = count_fig(n, unit, p if last_year_known else None)
        if not last_year_known:
            e.missing(["F021"], ("cases", year - 1))
        else:
            _put_change(
                e, "F021", _solved(history, year, FRAUD), _solved(history, year - 1, FRAUD), 2
            )

    # changes against the year before
    persons, persons_before = now("persons"), before("persons")
    if persons is None or persons_before is None:
        gone = [
            ("persons", y)
            for y, rows in ((year, persons), (year - 1, persons_before))
            if rows is None
        ]
        e.missing(["F022", "F023"], *gone)
    else:
        n = sum(r["case_type"] == FRAUD for r in persons)
        p = sum(r["case_type"] == FRAUD for r in persons_before)
        e.figures["F022"] = count_fig(n, "人", p)
        _put_change(e, "F023", n, p, 2)
    alarms, alarms_before = now("alarms"), before("alarms")
    if alarms is None:
        e.missing(["months"], ("alarms", year))
    elif alarms:
        e.months = e.words["months"] = months_text(max(r["received_at"].month for r in alarms))
    else:
        e.nodata("months")
    if alarms is None or alarms_before is None:
        gone = [
            ("alarms", y) for y, rows in ((year, alarms), (year - 1, alarms_before)) if rows is None
        ]
        e.missing(["F028", "F053"], *gone)
    else:
        alarms_before = same_months(alarms_before, "received_at", alarms)
        _put_change(e, "F028", _valid_alarms(alarms, FRAUD), _valid_alarms(alarms_before, FRAUD), 1)
        _put_change(e, "F053", _valid_alarms(alarms), _valid_alarms(alarms_before), 2)
    cases, cases_before = now("cases"), before("cases")
    if cases is None or cases_before is None:
        gone = [
            ("cases", y) for y, rows in ((year, cases), (year - 1, cases_before)) if rows is None
        ]
        e.missing(["F029", "F054", "F055"], *gone)
    else:
        _put_change(e, "F029", _filed(cases, "刑事", FRAUD), _filed(cases_before, "刑事", FRAUD), 1)
        _put_change(e, "F054", _filed(cases, "行政"), _filed(cases_before, "行政"), 2)
        _put_change(e, "F055", _filed(cases, "刑事"), _filed(cases_before, "刑事"), 2)
    measures, measures_before = now("measures"), before("measures")
    if measures is None or measures_before is None:
        gone = [
            ("measures", y)
            for y, rows in ((year, measures), (year - 1, measures_before))
            if rows is None
        ]
        e.missing(list(MEASURE_IDS), *gone)
    else:
        for fid, measure in MEASURE_IDS.items():
            _put_change(
                e,
                fid,
                _persons_under(measures, measure),
                _persons_under(measures_before, measure),
                2,
            )

    _rankings(e, now("province_cities"), before("province_cities"), year, city)

    # campaigns
    messages = now("commendations")
    if messages is None:
        e.missing(list(COMMENDATION_IDS), ("commendations", year))
    else:
        for fid, (issuer, campaign) in COMMENDATION_IDS.items():
            n = sum(r["issuer"] == issuer and r["campaign"] == campaign for r in messages)
            e.figures[fid] = count_fig(n, "次")
    seizures = now("drug_seizures")
    if seizures is None:
        e.missing(["F035"], ("drug_seizures", year))
    else:
        milligrams = sum(r["milligrams"] for r in seizures)
        kg = scaled_half_up(milligrams, 1_000_000, 0)
        e.figures["F035"] = Fig(f"{kg}公斤", kg)
    _special_cases(e, world, year)
    _school(e, now("school_enrollments"), year)

    # prevention: each figure from its own table
    tables = {t: now(t) for t in set(PREVENTION.values())}
    for fid, table in PREVENTION.items():
        if tables[table] is None:
            e.missing([fid], (table, year))
    if tables["rental_inspections"] is not None:
        houses = len({r["house_id"] for r in tables["rental_inspections"]})
        e.figures["F044"] = Fig(in_wan(houses, 0) + "间", houses)
    if tables["knife_seizures"] is not None:
        knives = sum(r["quantity"] for r in tables["knife_seizures"])
        e.figures["F045"] = Fig(in_wan(knives, 1) + "把", knives)
    if tables["volunteer_roster"] is not None:
        members = [r for r in tables["volunteer_roster"] if r["status"] == "在册"]
        e.figures["F046"] = Fig(in_wan(len(members), 1) + "人", len(members))
        e.figures["F047"] = count_fig(len({r["group_id"] for r in members}), "个")
    if tables["response_teams"] is not None:
        e.figures["F048"] = count_fig(
            sum(r["status"] == "在册" for r in tables["response_teams"]), "个"
        )
    if tables["rally_points"] is not None:
        e.figures["F049"] = count_fig(
            sum(r["status"] == "在用" for r in tables["rally_points"]), "个"
        )
    if tables["volunteer_results"] is not None:
        results = tables["volunteer_results"]
        e.figures["F050"] = count_fig(sum(r["suspects"] for r in results), "人次")
        e.figures["F051"] = count_fig(sum(r["kind"] == "好人好事" for r in results), "起")

    _traffic(e, world, year)
    return e


def _rankings(e: Expected, now, before, year: int, city: str) -> None:
    """F024–F027 from this year's province table; F030, F031 also from last year's."""
    if now is None:
        e.missing(["F024", "F025", "F026", "F027", "F030", "F031"], ("province_cities", year))
        return
    cities = {r["city"]: r for r in now}
    mine = cities[city]
    rate = {c: Fraction(r["app_registered"], r["population"]) for c, r in cities.items()}
    e.figures["F024"] = Fig(
        percent(mine["app_registered"], mine["population"], 2),
        signed_value(mine["app_registered"] * 100, mine["population"], 2),
    )
    rank, tied = rank_among(rate, city)
    e.figures["F025"] = Fig(f"全省{'并列' if tied else ''}第{rank}", rank)
    covered = {c: r["app_covered"] for c, r in cities.items()}
    e.figures["F026"] = Fig(in_wan(covered[city], 2) + "人", covered[city])
    rank, tied = rank_among(covered, city)
    e.figures["F027"] = Fig(f"全省{'并列' if tied else ''}第{rank}", rank)
    if before is None:
        e.missing(["F030", "F031"], ("province_cities", year - 1))
        return
    last = {r["city"]: r for r in before}
    for fid, column in (("F030", "fraud_alarms"), ("F031", "fraud_cases")):
        # the fall 1 − now ÷ before, among the cities with a base last year
        falls = {
            c: 1 - Fraction(cities[c][column], last[c][column])
            for c in cities
            if c in last and last[c][column] != 0
        }
        if city not in falls:
            e.nodata(fid)
            continue
        rank, tied = rank_among(falls, city)
        e.figures[fid] = Fig(
            f"{'并列' if tied else ''}第{rank}名",
            rank,
            None,
            sign(mine[column] - last[city][column]),
        )


def _special_cases(e: Expected, world: World, year: int) -> None:
    special = rows_of(world, "special_cases", year)
    slots = ["F038", "F039", "stowaway_cases", "economic_cases", "insurance_case"]
    if special is None:
        e.missing(slots, ("special_cases", year))
        return
    stowaways = sorted(
        (r for r in special if r["category"] == "偷渡"),
        key=lambda r: (r["solved_date"], r["case_code"]),
    )
    if stowaways:
        e.words["stowaway_cases"] = "、".join(f"“{r['case_code']}”" for r in stowaways)
    else:
        e.nodata("stowaway_cases")
    insurance = [r for r in special if r["category"] == "保险诈骗"]
    featured = None
    if insurance:
        # the largest: most persons, then the largest value (an unknown value last), then code
        featured = min(
            insurance,
            key=lambda r: (
                -r["persons"],
                r["amount_fen"] is None,
                -(r["amount_fen"] or 0),
                r["case_code"],
            ),
        )
        e.figures["F038"] = Fig(f"{featured['persons']}人", featured["persons"])
        if featured["amount_fen"] is None:
            e.nodata("F039")  # the register does not know its value: nothing to state
        else:
            e.figures["F039"] = Fig(amount_text(featured["amount_fen"]) + "元")
        e.words["insurance_case"] = _case_name(featured)
    else:
        e.nodata("F038", "F039", "insurance_case")
    notes = {}
    history, _gap = _history(world, "special_cases", year)
    if featured is not None and history is not None:
        notes[featured["case_code"]] = _record_note(history, featured)
    named = sorted(
        (r for r in special if r["category"] in ECONOMIC),
        key=lambda r: (ECONOMIC.index(r["category"]), r["solved_date"], r["case_code"]),
    )
    if named:
        parts = []
        for r in named:
            remark = notes.get(r["case_code"]) or r.get("remark") or ""
            if remark and remark == r.get("remark") and CLAIM.search(remark):
                # the register's own claim (最大 …) is not something the data shows: left out
                e.left_out_of_words.setdefault("economic_cases", []).append(remark)
                remark = ""
            parts.append(_case_name(r) + (f"（{remark}）" if remark else ""))
        e.words["economic_cases"] = "、".join(parts)
    else:
        e.nodata("economic_cases")


def _record_note(history: list[dict], case: dict) -> str:
    """团伙人数最多 / 案值最大 only when strictly above every other case of its kind on file,
    and only when the register reaches back before the case's year."""
    first = min(r["solved_date"].year for r in history)
    others = [
        r
        for r in history
        if r["category"] == case["category"] and r["case_code"] != case["case_code"]
    ]
    if first >= case["solved_date"].year or not others:
        return ""
    parts = []
    if all(r["persons"] < case["persons"] for r in others):
        parts.append("团伙人数最多")
    if case["amount_fen"] is not None and all(
        (r["amount_fen"] or 0) < case["amount_fen"] for r in others
    ):
        parts.append("案值最大")
    if not parts:
        return ""
    return f"{first}年以来破获的{'、'.join(parts)}的{case['category']}案件"


def _school(e: Expected, rows: list[dict] | None, year: int) -> None:
    ids = ["F040", "F041", "F042", "F043"]
    if rows is None:
        e.missing([*ids, "school_opened"], ("school_enrollments", year))
        return
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    first = min(r["admitted_date"] for r in rows)
    e.words["school_opened"] = f"{first.year}年{first.month}月"
    admitted = [r for r in rows if r["admitted_date"] <= end]
    if not admitted:
        e.nodata(*ids)
        return
    e.figures["F040"] = count_fig(len(admitted), "人次")
    during = [r for r in admitted if r["left_date"] is None or r["left_date"] >= start]
    e.figures["F041"] = count_fig(len(during), "人次")
    latest: dict[str, dict] = {}
    for r in admitted:
        seen = latest.get(r["student_id"])
        if seen is None or (r["admitted_date"], r["enrollment_id"]) > (
            seen["admitted_date"],
            seen["enrollment_id"],
        ):
            latest[r["student_id"]] = r
    leavers = [r for r in latest.values() if r["left_date"] is not None and r["left_date"] <= end]
    e.figures["F042"] = count_fig(len(leavers), "名")
    if not leavers:
        e.nodata("F043")
        return
    clean = sum(r["reoffended"] is False for r in leavers)
    e.figures["F043"] = Fig(
        percent(clean, len(leavers)), Fraction(scaled_half_up(clean * 100, len(leavers), 0))
    )


def _traffic(e: Expected, world: World, year: int) -> None:
    """F052 over the years on file going back from ``year`` without a gap (at most 5 back)."""
    years = []
    for y in range(year, year - 6, -1):
        if ("traffic_accidents", y) not in world:
            break
        years.append(y)
    if len(years) < 2:
        e.missing(
            ["F052"],
            *[
                ("traffic_accidents", y)
                for y in (year, year - 1)
                if ("traffic_accidents", y) not in world
            ],
        )
        return
    totals = {}
    for y in years:
        rows = rows_of(world, "traffic_accidents", y)
        totals[y] = (len(rows), sum(r["deaths"] for r in rows))
    change = {}  # year -> (accidents now - before, before), (deaths …)
    for y in years[:-1]:
        (a1, d1), (a0, d0) = totals[y], totals[y - 1]
        if a0 and d0:
            change[y] = ((a1 - a0, a0), (d1 - d0, d0))
    if year not in change:
        e.nodata("F052")
        return
    # each change as written, in % to two decimals: what reads 持平 is no fall
    written = {y: [signed_value(n * 100, b, 2) for n, b in pair] for y, pair in change.items()}
    wa, wd = written[year]
    if wa < 0 and wd < 0:
        direction = DOWN
    elif wa > 0 and wd > 0:
        direction = UP
    elif wa == 0 and wd == 0:
        direction = FLAT
    else:
        direction = MIXED
    (da, a0), (dd, d0) = change[year]
    k = 1
    if direction == DOWN:
        k, y = 1, year - 1  # a record only over earlier falls written strictly smaller
        while y in written and written[y][0] > wa and written[y][1] > wd:
            k, y = k + 1, y - 1
    both_fell = {y for y, (a, d) in written.items() if a < 0 and d < 0}
    record = k >= 2 and any(y in both_fell for y in range(year - k + 1, year))
    first, y = 1, year - 1  # years back to the last in which both fell, or to the first change
    while y in written and y not in both_fell:
        first, y = first + 1, y - 1
    if record:
        display = f"降幅为近{k}年以来最大"
    elif direction == DOWN and first >= 3:
        k, display = first, f"近{first}年来首次下降"
    else:
        k = 1
        words = [change_text(b + d, b, 2)[0] for d, b in ((da, a0), (dd, d0))]
        display = "均持平" if words == ["持平", "持平"] else "分别" + "、".join(words)
    e.figures["F052"] = Fig(display, k, None, direction)


# ------------------------------------------------------------------ 一(四) enforcement
IT_IDS = {"F064": ("协同业务", "项"), "F065": ("大数据服务", "类"), "F066": ("风险监督", "项")}
MODEL_HONOUR = "全省公安机关执法示范单位"


def enforcement(world: World, year: int) -> Expected:
    e = Expected()
    guidelines = rows_of(world, "guidelines", year)
    if guidelines is None:
        e.missing(["F059", "guideline_titles"], ("guidelines", year))
    else:
        issued = sorted(
            (r for r in guidelines if r["status"] == "有效"),
            key=lambda r: (r["issued_date"], r["doc_id"]),
        )
        if issued:
            e.figures["F059"] = Fig(f"{more_than(len(issued))}份", len(issued))
            e.words["guideline_titles"] = "".join(f"《{r['title']}》" for r in issued[:3])
        else:  # 制定等0份指引 says nothing: leave the sentence out
            e.nodata("F059", "guideline_titles")
    reviews = rows_of(world, "case_reviews", year)
    if reviews is None:
        e.missing(["F060", "F061", "F062"], ("case_reviews", year))
    else:
        e.figures["F060"] = count_fig(len({r["round"] for r in reviews}), "次")
        e.figures["F061"] = count_fig(sum(r["object"] == "案件" for r in reviews), "宗次")
        e.figures["F062"] = count_fig(sum(r["object"] == "警情" for r in reviews), "起次")
    inspections = rows_of(world, "inspections", year)
    if inspections is None:
        e.missing(["F063"], ("inspections", year))
    else:
        first: dict[str, dt.date] = {}
        for r in inspections:
            if r["kind"] == "专项执法巡查":
                first[r["unit"]] = min(
                    first.get(r["unit"], r["inspected_date"]), r["inspected_date"]
                )
        if first:
            units = sorted(first, key=lambda u: (first[u], u))
            e.figures["F063"] = Fig("、".join(units), len(units))
        else:
            e.nodata("F063")
    functions = rows_of(world, "it_functions", year)
    if functions is None:
        e.missing([*IT_IDS, "it_examples"], ("it_functions", year))
    else:
        live = [r for r in functions if r["status"] == "在用"]
        for fid, (category, unit) in IT_IDS.items():
            e.figures[fid] = count_fig(sum(r["category"] == category for r in live), unit)
        shared = sorted(
            (r for r in live if r["category"] == "协同业务"), key=lambda r: r["function_id"]
        )
        if shared:
            e.words["it_examples"] = "、".join(r["name"] for r in shared[:3])
        else:  # 实现等0项业务 says nothing: leave the sentence out
            e.nodata("it_examples")
    honours = rows_of(world, "honours", year)
    if honours is None:
        e.missing(["F067"], ("honours", year))
    else:
        first = {}
        for r in honours:
            if r["honour"] == MODEL_HONOUR:
                first[r["unit"]] = min(first.get(r["unit"], r["awarded_date"]), r["awarded_date"])
        if first:
            units = sorted(first, key=lambda u: (first[u], u))
            e.figures["F067"] = Fig("、".join(units), len(units))
        else:
            e.nodata("F067")
    return e


# ------------------------------------------------------------------ 一(五) services
VENUE_ORDER = ("企业", "社区", "村屯", "学校", "单位")


def services(world: World, year: int) -> Expected:
    e = Expected()

    def counted(fid, table, unit, measure):
        rows, prior = rows_of(world, table, year), rows_of(world, table, year - 1)
        if rows is None:
            e.missing([fid], (table, year))
            return
        e.figures[fid] = count_fig(measure(rows), unit, None if prior is None else measure(prior))

    live = lambda rows: [r for r in rows if r["status"] == "在用"]  # noqa: E731
    city_wide = lambda rows: [r for r in live(rows) if r["category"] == "户政" and r["city_wide"]]  # noqa: E731
    cross = lambda rows: [r for r in live(rows) if r["cross_province"]]  # noqa: E731
    held = lambda rows: [r for r in rows if r["status"] == "已开展"]  # noqa: E731
    counted("F068", "service_items", "项", lambda rows: len(city_wide(rows)))
    counted("F069", "service_items", "项", lambda rows: len(cross(rows)))
    counted(
        "F070",
        "home_services",
        "名",
        lambda rows: len({r["person_id"] for r in rows if r["status"] == "已办结"}),
    )
    counted("F071", "outreach_events", "场次", lambda rows: len(held(rows)))
    counted(
        "F072", "outreach_events", "人次", lambda rows: sum(r["persons_served"] for r in held(rows))
    )

    items = rows_of(world, "service_items", year)
    if items is None:
        e.missing(["city_examples", "cross_examples"], ("service_items", year))
    else:
        for slot, chosen in (("city_examples", city_wide(items)), ("cross_examples", cross(items))):
            names = [r["item_name"] for r in sorted(chosen, key=lambda r: r["item_id"])[:2]]
            if names:
                e.words[slot] = "、".join(names)
            else:
                e.nodata(slot)
    events = rows_of(world, "outreach_events", year)
    if events is None:
        e.missing(["venues"], ("outreach_events", year))
    else:
        kinds = {r["venue_type"] for r in held(events)}
        if kinds:
            e.words["venues"] = "、".join("进" + v for v in VENUE_ORDER if v in kinds)
        else:
            e.nodata("venues")

    tickets, prior = (
        rows_of(world, "hotline_tickets", year),
        rows_of(world, "hotline_tickets", year - 1),
    )
    if tickets is None:
        e.missing(["months"], ("hotline_tickets", year))
    elif tickets:
        e.months = e.words["months"] = months_text(max(r["received_at"].month for r in tickets))
    else:
        e.nodata("months")
    for fid, category in (("F073", "投诉"), ("F074", "表扬")):
        if tickets is None or prior is None:
            gone = [
                ("hotline_tickets", y)
                for y, rows in ((year, tickets), (year - 1, prior))
                if rows is None
            ]
            e.missing([fid], *gone)
            continue
        valid = [
            sum(
                r["category"] == category and r["status"] != "已撤销" and not r["duplicate"]
                for r in rows
            )
            for rows in (tickets, same_months(prior, "received_at", tickets))
        ]
        _put_change(e, fid, valid[0], valid[1], 1)
    return e


# ------------------------------------------------------------------ the text
CLOSE = {"“": "”", "《": "》", "（": "）", "「": "」", "‘": "’", "【": "】"}
ORDINALS = "一二三四五六七八九十"
SLOT = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def narrative_section(year: int, section: str) -> dict:
    """The raw section of the narrative file (plain YAML, read here, not by the product's loader)."""
    with (NARRATIVE / f"{year}.yaml").open(encoding="utf-8") as f:
        return yaml.safe_load(f)[section]


def clauses(text: str) -> list[str]:
    """Clauses ending in 。 or ；, not counting those inside quotes, titles or brackets."""
    out, start, open_ = [], 0, []
    for i, ch in enumerate(text):
        if open_ and ch == open_[-1]:
            open_.pop()
        elif ch in CLOSE:
            open_.append(CLOSE[ch])
        elif ch in "。；" and not open_:
            out.append(text[start : i + 1])
            start = i + 1
    if text[start:]:
        out.append(text[start:])
    return out


def fill(template: str, values: dict[str, str]) -> str:
    return SLOT.sub(lambda m: values[m.group(1)], template)


def holds(spec: str, fig: Fig) -> bool:
    spec = str(spec).strip()
    if spec in ("上升", "下降", "持平"):
        return fig.direction == {"上升": UP, "下降": DOWN, "持平": FLAT}[spec]
    m = re.fullmatch(r"(>=|<=|>|<|==)\s*(-?\d+(?:\.\d+)?)", spec)
    assert m, spec
    v, bound = Fraction(fig.value), Fraction(m.group(2))
    return {">=": v >= bound, "<=": v <= bound, ">": v > bound, "<": v < bound, "==": v == bound}[
        m.group(1)
    ]


@dataclass
class Text:
    """The composed text of a section: heading, lead, the paragraph, and what was left out."""

    heading: str | None
    lead: str | None
    text: str | None
    left_out: list[bool]  # per piece or clause left out: whether a claim's condition failed
    held: list[str]  # conditional pieces said, as rendered
    failed: list[str]  # conditional pieces not said (their condition failed), as templates


# figures that count or sum what was done or found (not a rate, rank, change or list): a clause
# stating 0 of one is no result, and is left out unless a condition of its entry names it
COUNTED = {
    *("F002", "F003", *(f"F{i:03d}" for i in range(5, 21)), "F022", "F026"),
    *(f"F{i:03d}" for i in range(32, 43)),
    *(f"F{i:03d}" for i in range(44, 52)),
    *("F059", "F060", "F061", "F062", "F064", "F065", "F066"),
    *("F068", "F069", "F070", "F071", "F072"),
}


def compose(
    section: dict,
    values: dict[str, str],
    figures: dict[str, Fig],
    left_out_of_words: dict[str, list[str]] | None = None,
) -> Text:
    """What the section must read, given the slots that have values (others are left out), and
    the raw text left out of word slots (each noted once where the slot is said)."""
    left_out: list[bool] = []
    held: list[str] = []
    failed: list[str] = []
    noted: set[tuple[str, str]] = set()

    def entry(raw) -> str:
        pieces = raw if isinstance(raw, list) else [raw]
        parts = []
        for piece in pieces:
            if isinstance(piece, str):
                parts.append(piece)
                continue
            when = piece.get("when") or {}
            groups = when if isinstance(when, list) else [when]  # any one group, whole
            judged = [g for g in groups if all(fid in figures for fid in g)]
            if not judged:
                left_out.append(False)
            elif any(all(holds(spec, figures[f]) for f, spec in g.items()) for g in judged):
                parts.append(piece["text"])
                held.append(piece["text"])
            elif piece.get("else"):
                parts.append(piece["else"])
            else:
                left_out.append(True)
                failed.append(piece["text"])
        # a figure whose 0 a condition of the entry allows (>= 0, == 0) is said as 0 on purpose
        named = {
            fid
            for piece in pieces
            if isinstance(piece, dict)
            for group in (piece["when"] if isinstance(piece["when"], list) else [piece["when"]])
            for fid, spec in group.items()
            if str(spec).strip() not in ("上升", "下降", "持平") and holds(spec, Fig("0", 0))
        }

        def says_none(s: str) -> bool:
            return (
                s in COUNTED
                and s not in named
                and s in figures
                and re.match(r"0(?![\d.])", figures[s].display) is not None
            )

        kept: list[str] = []
        for clause in clauses("".join(parts)):
            slots = SLOT.findall(clause)
            if all(s in values for s in slots):
                # an item after a list's first (、恶势力犯罪集团{F016}) that says none is cut
                # alone, when what is left says none of nothing
                pieces, cut = [], 0
                chunks = clause.split("、")
                for n, chunk in enumerate(chunks):
                    # an item: words and one slot, then the chunk's end or ，；。 (the rest)
                    end = chunk.find("}") + 1
                    head, rest = chunk[:end], chunk[end:]
                    lone = (
                        n > 0
                        and chunks[n - 1].endswith("}")  # 、 between figures, not in words
                        and end > 0
                        and not re.search("[，；。{]", head[: head.find("{")])
                        and (rest == "" or rest[0] in "，；。")
                    )
                    if lone and says_none(SLOT.findall(head)[0]):
                        pieces.append(rest)
                        cut += 1
                    else:
                        pieces.append(("、" if n else "") + chunk)
                trimmed = "".join(pieces)
                if cut and not any(says_none(s) for s in SLOT.findall(trimmed)):
                    clause = trimmed
                    left_out.extend([True] * cut)
                    slots = SLOT.findall(clause)
            nought = [s for s in slots if says_none(s)]
            if all(s in values for s in slots) and not nought:
                kept.append(clause)
                continue
            left_out.append(bool(nought) and all(s in values for s in slots))
            if clause.endswith("。") and kept and kept[-1].endswith("；"):
                kept[-1] = kept[-1][:-1] + "。"  # the sentence now ends where the kept clause does
        text = "".join(kept)
        for slot in SLOT.findall(text):
            for what in (left_out_of_words or {}).get(slot, []):
                if (slot, what) not in noted:
                    noted.add((slot, what))
                    left_out.append(False)
        if text.endswith(("；", "，")):
            text = text[:-1] + "。"
        return text

    assert "paragraphs" not in section
    heading = entry(section["heading"]) if "heading" in section else ""
    lead = entry(section["lead"]) if "lead" in section else ""
    parts = [entry(section["intro"])] if "intro" in section else []
    items = [t for t in (entry(x) for x in section.get("items", [])) if t]
    parts += [f"{ORDINALS[i]}是{t}" for i, t in enumerate(items)] if len(items) != 1 else items
    if "closing" in section:
        parts.append(entry(section["closing"]))
    body = fill("".join(p for p in parts if p), values)
    said = fill(heading, values) + fill(lead, values) + body
    return Text(
        fill(heading, values) or None,
        fill(lead, values) or None,
        body if body or lead else None,
        left_out,
        # a piece whose condition holds still goes with its clause when that is left out
        [h for h in (fill(h, values) for h in held) if h in said],
        failed,
    )


def slot_values(e: Expected, year: int) -> dict[str, str]:
    """Every slot the text may fill, as the oracle writes it."""
    return {
        "year": str(year),
        "next_year": str(year + 1),
        "months": e.months,
        **{k: f.display for k, f in e.figures.items()},
        **e.words,
    }


# words that claim something of the numbers, and set phrases of the narrative that do not
CLAIM = re.compile(
    r"上升|下降|降幅|增幅|增长|持平|最大|最多|最高|最低|最少|近\d+年|第\d+|绝大多数|大多数|过半"
)
IDIOMS = ("尽最大努力", "最大力度", "最高站位")


def unexplained_claims(text: str, explained: list[str]) -> list[str]:
    """Claim words in ``text`` that lie in none of the ``explained`` strings' occurrences (figure
    displays and words the oracle expects, conditional pieces whose condition holds, idioms)."""
    covered = [False] * len(text)
    for s in [*explained, *IDIOMS]:
        if not s:
            continue
        start = text.find(s)
        while start != -1:
            covered[start : start + len(s)] = [True] * len(s)
            start = text.find(s, start + 1)
    return [
        f"“{m.group()}” in …{text[max(0, m.start() - 15) : m.end() + 10]}…"
        for m in CLAIM.finditer(text)
        if not all(covered[m.start() : m.end()])
    ]
