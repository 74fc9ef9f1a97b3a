"""一(三) 平安建设: crime, fraud and rankings, campaigns, prevention, traffic, overall results."""

from __future__ import annotations

import functools
from fractions import Fraction
from typing import TYPE_CHECKING

from helpers import fmt, stats
from helpers.errors import DataError, MissingTableError
from helpers.figures.base import (
    DOWN,
    FLAT,
    MIXED,
    UP,
    Figure,
    Frames,
    NotStated,
    Words,
    count,
    derived,
    direction_of,
    months_not_covered_empty,
    same_months,
    total,
    with_prior,
    yoy,
)
from helpers.inputs import claims

# pandas only in annotations here and imported where used: a build reads FIGURES and WORDS
# (every build does, before it knows whether anything changed) without importing pandas
if TYPE_CHECKING:
    import pandas as pd

FRAUD = "电信网络诈骗"
# the largest tables: read only what the figures use. The record numbers of alarms, cases and
# measures are left out: the checks made them unique, and no figure counts or joins by them
# (13 million alarm numbers at scale 10 take a quarter of a second to decode)
COLUMNS = {
    # the dwellings are counted by the table's check (house_id is marked distinct): no column
    # of the 61 million inspections at ten times the sample is read again, only their number
    "rental_inspections": [],
    "volunteer_roster": ["group_id", "status"],
    # the alarms are counted by day, kind and status by the table's check (the contract's tally):
    # the figures sum those counts (``t.tally``) and read none of the 6 million rows a year
    "alarms": [],
    "cases": ["kind", "case_type", "filed_date", "solved_date", "status"],
    "measures": ["person_id", "measure", "decided_date", "status"],
}
FIGURES = {
    **dict.fromkeys(("F015", "F016", "F017", "F018", "F036"), ("gangs",)),
    "F019": ("fugitives",),
    "F020": ("cases",),
    "F021": ("cases",),
    "F022": ("persons",),
    "F023": ("persons",),
    **dict.fromkeys(("F024", "F025", "F026", "F027", "F030", "F031"), ("province_cities",)),
    "F028": ("alarms",),
    "F029": ("cases",),
    **dict.fromkeys(("F032", "F033", "F037"), ("commendations",)),
    "F034": ("cases",),
    "F035": ("drug_seizures",),
    "F038": ("special_cases",),
    "F039": ("special_cases",),
    **dict.fromkeys(("F040", "F041", "F042", "F043"), ("school_enrollments",)),
    "F044": ("rental_inspections",),
    "F045": ("knife_seizures",),
    "F046": ("volunteer_roster",),
    "F047": ("volunteer_roster",),
    "F048": ("response_teams",),
    "F049": ("rally_points",),
    "F050": ("volunteer_results",),
    "F051": ("volunteer_results",),
    "F052": ("traffic_accidents",),
    "F053": ("alarms",),
    "F054": ("cases",),
    "F055": ("cases",),
    **dict.fromkeys(("F056", "F057", "F058"), ("measures",)),
}
WORDS = {
    "stowaway_cases": ("special_cases",),
    "economic_cases": ("special_cases",),
    "insurance_case": ("special_cases",),
    "school_opened": ("school_enrollments",),
    "months": ("alarms",),
}


def has(t: Frames, *tables: str, years: int = 1) -> bool:
    """Whether every one of ``tables`` was read for this year (and the ``years - 1`` before)."""
    level = t
    for _ in range(years):
        if not isinstance(level, Frames) or not all(name in level for name in tables):
            return False
        level = level.get("prior")
    return True


# ------------------------------------------------------------------ groups and fugitives
GANGS = {
    "黑社会性质组织": "F015",
    "恶势力犯罪集团": "F016",
    "网络裸聊敲诈勒索团伙": "F017",
    "其它网黑团伙": "F018",
}


def confirmed_gangs(gangs: pd.DataFrame, category: str) -> pd.DataFrame:
    """Groups of a category dismantled in the year whose finding stands."""
    return gangs[(gangs["category"] == category) & (gangs["status"] == "已认定")]


def gangs_dismantled(gangs: pd.DataFrame) -> dict[str, Figure]:
    """F015–F018: organised-crime and online gangs dismantled, by category."""
    return {
        fid: count(
            fid,
            f"打掉{cat}",
            confirmed_gangs(gangs, cat),
            "个",
            source="gangs",
            definition=f"年内打掉、认定状态为已认定的{cat}数",
        )
        for cat, fid in GANGS.items()
    }


def smuggling_gangs(gangs: pd.DataFrame) -> Figure:
    """F036: smuggling gangs dismantled, written as 30多个."""
    rows = confirmed_gangs(gangs, "走私犯罪团伙")
    return derived(
        "F036",
        "打掉重大走私犯罪团伙",
        len(rows),
        "个",
        f"{fmt.approx(len(rows))}个",
        source="gangs",
        definition="年内打掉、已认定的走私犯罪团伙数（以“X多个”显示）",
        rows=len(rows),
        counted=True,
    )


def target_fugitives(fugitives: pd.DataFrame) -> Figure:
    """F019: fugitives on the ministry's or province's target lists caught."""
    rows = fugitives[fugitives["level"].isin(["公安部目标逃犯", "省公安厅目标逃犯"])]
    return count(
        "F019",
        "抓获部、省目标逃犯",
        rows,
        "人",
        source="fugitives",
        definition="年内抓获的公安部、省公安厅目标逃犯人数",
    )


# ------------------------------------------------------------------ cases, alarms, persons, measures
def live_cases(cases: pd.DataFrame) -> pd.DataFrame:
    """Cases not withdrawn."""
    return cases[_live(cases)]


def _live(cases: pd.DataFrame) -> pd.Series:
    return cases["status"] != "已撤销"


def solved_in(cases: pd.DataFrame, year: int, case_type: str) -> pd.Series:
    """The solved dates of the criminal cases of a type solved in ``year``, whatever year they
    were filed (``cases``: the files of every year on hand, ``t.history.cases``), one per case.
    The cases are picked by their categories first, in one pass, and only their dates are
    taken out, not their rows (a year's history at ten times the sample is 8 million cases)."""
    pick = _live(cases) & (cases["kind"] == "刑事") & (cases["case_type"] == case_type)
    dates = cases["solved_date"][pick]
    return dates[dates.dt.year == year]


def _since(t: Frames) -> str:
    """Which files the solved-case figures rest on, for their definition: 2018年以来各年立案."""
    first = int(t.history.cases["filed_date"].min().year)  # the earliest date's: no year column
    return f"含往年立案，据{first}年以来各年案件表"


def _solved(t: Frames, fid: str, label: str, case_type: str, unit: str) -> Figure:
    """Cases of a type solved in the year, with last year's count when last year's file is on
    hand (the history then covers every case solved last year too)."""
    history, year = t.history.cases, t.year
    definition = f"年内破案的{label}（{_since(t)}），不含已撤销"
    fig = count(
        fid, label, solved_in(history, year, case_type), unit, source="cases", definition=definition
    )
    if "cases" in t.prior:
        fig = with_prior(
            fig,
            count(
                fid,
                "",
                solved_in(history, year - 1, case_type),
                unit,
                source="cases",
                definition="",
            ),
        )
    return fig


def fraud_solved(t: Frames, year: int) -> Figure:
    """F020: telecom-fraud cases solved in the year, with last year's count."""
    fig = _solved(t, "F020", "电信网络诈骗刑事案件", FRAUD, "起")
    fig.label = "电诈破案数"
    return fig


def fraud_solved_change(t: Frames, year: int) -> Figure:
    """F021: the change of telecom-fraud cases solved against the year before."""
    t.prior.cases  # noqa: B018 - without last year's file there is nothing to compare with
    history = t.history.cases
    now, before = solved_in(history, year, FRAUD), solved_in(history, year - 1, FRAUD)
    return _change(
        "F021",
        "电诈破案数同比",
        now,
        before,
        "cases",
        f"年内破案的电信网络诈骗刑事案件（{_since(t)}），不含已撤销",
    )


def drug_cases_solved(t: Frames, year: int) -> Figure:
    """F034: drug criminal cases solved in the year."""
    fig = _solved(t, "F034", "毒品刑事案件", "毒品", "宗")
    fig.label = "侦破毒品刑事案件"
    return fig


def _filed(cases: pd.DataFrame, kind: str, case_type: str | None = None) -> int:
    """How many cases of a kind (and type) were filed and not withdrawn: counted on the rows'
    conditions, without taking the rows out (a year at ten times the sample: 1.7 million)."""
    mask = _live(cases) & (cases["kind"] == kind)
    return int((mask if case_type is None else mask & (cases["case_type"] == case_type)).sum())


def _change(
    fid: str,
    label: str,
    now: pd.DataFrame | int,
    before: pd.DataFrame | int,
    source: str,
    definition: str,
    ndigits: int = 2,
    same_period: bool = False,
) -> Figure:
    """A change against last year (``now`` and ``before``: the rows, or how many there are);
    ``same_period``: ``before`` is last year's same months."""
    now, before = (n if isinstance(n, int) else len(n) for n in (now, before))
    figure = yoy(
        fid,
        label,
        now,
        before,
        ndigits=ndigits,
        source=source,
        definition=definition + "，与上年同口径比较",
        rows=now + before,
    )
    figure.same_period = same_period
    return figure


def _valid_count(alarms: pd.DataFrame, subcategory: str | None = None) -> int:
    """How many valid crime alarms (无效 and 重复 calls excluded) there are, optionally of one
    kind, in the alarms' counts by day and kind (``t.tally("alarms")``)."""
    valid = (alarms["category"] == "违法犯罪") & (alarms["status"] == "有效")
    if subcategory is not None:
        valid &= alarms["subcategory"] == subcategory
    return int(alarms.loc[valid, "rows"].sum())


def fraud_persons(t: Frames) -> Figure:
    """F022: telecom-fraud suspects caught, with last year's count."""
    now = t.persons[t.persons["case_type"] == FRAUD]
    before = t.prior.persons[t.prior.persons["case_type"] == FRAUD]
    definition = "年内抓获的电信网络诈骗违法犯罪人员"
    return with_prior(
        count("F022", "电诈抓获违法犯罪人员", now, "人", source="persons", definition=definition),
        count("F022", "", before, "人", source="persons", definition=""),
    )


def changes(t: Frames) -> list:
    """F023, F028, F029, F053–F058: changes against the year before, one group each (a change
    with no base is left out alone)."""
    fraud = lambda frame: frame[frame["case_type"] == FRAUD]  # noqa: E731

    def alarms_now_and_before() -> tuple[pd.DataFrame, pd.DataFrame]:
        """This year's alarm counts, and last year's over the same months."""
        now = t.tally("alarms")
        return now, same_months(t.prior.tally("alarms"), "received_at", now, t.coverage("alarms"))

    groups = [
        lambda: _change(
            "F023",
            "电诈抓获人数同比",
            fraud(t.persons),
            fraud(t.prior.persons),
            "persons",
            "年内抓获的电信网络诈骗违法犯罪人员",
        ),
        lambda: _change(
            "F028",
            "电诈警情同比",
            *(_valid_count(frame, FRAUD) for frame in alarms_now_and_before()),
            "alarms",
            "有效的电信网络诈骗类违法犯罪警情",
            ndigits=1,
            same_period=True,
        ),
        lambda: _change(
            "F029",
            "电诈立案同比",
            _filed(t.cases, "刑事", FRAUD),
            _filed(t.prior.cases, "刑事", FRAUD),
            "cases",
            "立案的电信网络诈骗刑事案件（不含已撤销）",
            ndigits=1,
        ),
        lambda: _change(
            "F053",
            "110违法犯罪警情同比",
            *(_valid_count(frame) for frame in alarms_now_and_before()),
            "alarms",
            "110平台接报的有效违法犯罪类警情",
            same_period=True,
        ),
        lambda: _change(
            "F054",
            "行政案件受理数同比",
            _filed(t.cases, "行政"),
            _filed(t.prior.cases, "行政"),
            "cases",
            "受理的行政案件（不含已撤销）",
        ),
        lambda: _change(
            "F055",
            "刑事案件立案数同比",
            _filed(t.cases, "刑事"),
            _filed(t.prior.cases, "刑事"),
            "cases",
            "立案的刑事案件（不含已撤销）",
        ),
    ]
    for fid, measure in MEASURES.items():
        groups.append(
            lambda fid=fid, measure=measure: yoy(
                fid,
                f"{measure}人数同比",
                persons_under(t.measures, measure),
                persons_under(t.prior.measures, measure),
                ndigits=2,
                source="measures",
                definition=f"年内被决定{measure}的不同人员数（同一人多次只计一人，不含已撤销的决定），"
                "与上年同口径比较",
                rows=len(t.measures) + len(t.prior.measures),
            )
        )
    return groups


MEASURES = {"F056": "行政拘留", "F057": "刑事拘留", "F058": "移送审查起诉"}


def persons_under(measures: pd.DataFrame, measure: str) -> int:
    """How many different persons a measure was decided against (withdrawn decisions excluded):
    the report says 人数, so a person detained twice counts once."""
    rows = measures[(measures["measure"] == measure) & (measures["status"] != "已撤销")]
    return stats.count_distinct(rows["person_id"])


# ------------------------------------------------------------------ province rankings
def _city_row(frame: pd.DataFrame, city: str) -> pd.Series:
    rows = frame[frame["city"] == city]
    if rows.empty:
        raise DataError(
            f"城市 {city!r} 不在全省地市表（province_cities）中；"
            f"表中的城市是：{'、'.join(sorted(frame['city']))}。",
            column="city (地市)",
            fix="把 params/<年>.yaml 中的 `city` 改为全省地市表使用的名称，"
            "或在表中加上该城市的一行",
        )
    return rows.iloc[0]


def _rank_text(rank: int, tied: bool, prefix: str = "") -> str:
    """全省第3 / 全省并列第3: a shared rank says so."""
    return f"{prefix}{'并列' if tied else ''}第{rank}"


def _ratios(numer: pd.Series, denom: pd.Series) -> dict[str, Fraction]:
    """Exact ratios by city (cities whose denominator is 0 or unknown are left out)."""
    import pandas as pd

    both = pd.concat([numer, denom], axis=1, join="inner").dropna()
    return {
        c: Fraction(int(n), int(d))
        for c, (n, d) in zip(both.index, both.to_numpy(), strict=True)
        if d
    }


def rankings(t: Frames, city: str) -> dict[str, Figure]:
    """F024–F027: the anti-fraud app's registration rate and coverage, and their ranks among the
    province's cities (this year's table only)."""
    _city_row(t.province_cities, city)  # a clear error when the city is not in the province's table
    now = t.province_cities.set_index("city")
    n, src = len(now), "province_cities"
    reg = _ratios(now["app_registered"], now["population"])
    cover = {c: int(v) for c, v in now["app_covered"].items()}
    rate = reg[city] * 100
    reg_rank, reg_tie = stats.rank_desc(reg, city)
    cov_rank, cov_tie = stats.rank_desc(cover, city)
    figs = [
        derived(
            "F024",
            "国家反诈中心APP注册率",
            fmt.round_half_up(Fraction_to_decimal(rate), 2),
            "%",
            fmt.percent(Fraction_to_decimal(rate), 2),
            source=src,
            definition="注册人数÷常住人口",
            rows=1,
        ),
        derived(
            "F025",
            "APP注册率全省排名",
            reg_rank,
            "名",
            _rank_text(reg_rank, reg_tie, "全省"),
            source=src,
            definition=f"全省{n}个地市注册率降序排名（相同者并列）",
            rows=n,
        ),
        derived(
            "F026",
            "APP覆盖人数",
            cover[city],
            "人",
            f"{fmt.wan(cover[city], 2)}人",
            source=src,
            definition="覆盖人数（一万以上按万保留两位小数显示）",
            rows=1,
            counted=True,
        ),
        derived(
            "F027",
            "APP覆盖人数全省排名",
            cov_rank,
            "名",
            _rank_text(cov_rank, cov_tie, "全省"),
            source=src,
            definition=f"全省{n}个地市覆盖人数降序排名（相同者并列）",
            rows=n,
        ),
    ]
    return {f.id: f for f in figs}


def decline_ranks(t: Frames, city: str) -> list:
    """F030 and F031, one group each: they also need last year's province table."""

    def rank(fid: str, column: str, what: str) -> Figure:
        _city_row(t.province_cities, city)
        now = t.province_cities.set_index("city")[column]
        before = t.prior.province_cities.set_index("city")[column]
        return decline_rank(fid, what, now, before, city)

    return [
        lambda: rank("F030", "fraud_alarms", "警情"),
        lambda: rank("F031", "fraud_cases", "立案"),
    ]


def Fraction_to_decimal(x: Fraction):  # noqa: N802 - reads as a conversion
    return fmt.to_decimal(x.numerator) / fmt.to_decimal(x.denominator)


def decline_rank(fid: str, what: str, now: pd.Series, before: pd.Series, city: str) -> Figure:
    """Where the city's fall (1 − this year ÷ last year) ranks among the cities with a base; its
    direction says whether the city fell at all (a 降幅 may only be claimed for a fall)."""
    ratios = _ratios(now, before)  # this year ÷ last year
    if city not in ratios:
        raise NotStated(fid, f"全省各市指标表中本市上年电诈{what}数为0或缺失，无法计算降幅排名")
    falls = {c: 1 - r for c, r in ratios.items()}
    rank, tied = stats.rank_desc(falls, city)
    fig = derived(
        fid,
        f"电诈{what}降幅全省排名",
        rank,
        "名",
        _rank_text(rank, tied) + "名",
        source="province_cities",
        definition=f"全省{len(falls)}个有上年基数的地市电诈{what}同比降幅降序排名（相同者并列；"
        "上升者降幅为负）",
        rows=2 * len(falls),
    )
    fig.direction = direction_of(int(now[city]) - int(before[city]))
    return fig


# ------------------------------------------------------------------ campaigns
COMMENDATIONS = {
    "F032": ("公安部", "涉黄赌"),
    "F033": ("省公安厅", "涉黄赌"),
    "F037": ("省公安厅", "走私"),
}


def commendations(messages: pd.DataFrame) -> dict[str, Figure]:
    """F032, F033, F037: messages of congratulation by sender and campaign."""
    return {
        fid: count(
            fid,
            f"{issuer}{campaign}贺电",
            messages[(messages["issuer"] == issuer) & (messages["campaign"] == campaign)],
            "次",
            source="commendations",
            definition=f"年内收到的{issuer}{campaign}专项贺电",
        )
        for fid, (issuer, campaign) in COMMENDATIONS.items()
    }


def drugs_seized(seizures: pd.DataFrame) -> Figure:
    """F035: drugs seized, in kilograms rounded half up."""
    kg = fmt.round_half_up(fmt.to_decimal(round(float(seizures["grams"].sum()), 3)) / 1000, 0)
    return derived(
        "F035",
        "缴获毒品",
        int(kg),
        "公斤",
        f"{kg}公斤",
        source="drug_seizures",
        definition="年内缴获毒品重量之和（克换算为公斤，四舍五入取整）",
        rows=len(seizures),
        counted=True,
    )


INSURANCE = "保险诈骗"


def featured_case(special: pd.DataFrame, category: str) -> pd.Series:
    """The year's largest named case of a category: most persons, then largest value, then code."""
    rows = special[special["category"] == category]
    if rows.empty:
        raise NotStated(("F038", "F039", "insurance_case"), f"本年专案登记中没有{category}类专案")
    return rows.sort_values(
        ["persons", "amount", "case_code"], ascending=[False, False, True], kind="stable"
    ).iloc[0]


def record_note(history: pd.DataFrame, case: pd.Series) -> str:
    """What makes a case the largest of its kind in the register: 2019年以来团伙人数最多、案值最大
    — only what the register shows (strictly more than every other case of the kind, in every
    year on file); '' when it is not the largest."""
    import pandas as pd

    others = history[
        (history["category"] == case["category"]) & (history["case_code"] != case["case_code"])
    ]
    first = int(history["solved_date"].dt.year.min())
    if first >= int(case["solved_date"].year) or others.empty:
        return ""  # nothing earlier, or nothing else, to compare with: no record to claim
    parts = []
    if (others["persons"] < case["persons"]).all():
        parts.append("团伙人数最多")
    if pd.notna(case["amount"]) and (others["amount"].fillna(0) < case["amount"]).all():
        parts.append("案值最大")
    if not parts:
        return ""
    return f"{first}年以来破获的{'、'.join(parts)}的{case['category']}案件"


def insurance_case_persons(special: pd.DataFrame) -> Figure:
    """F038: persons in the year's insurance-fraud case."""
    case = featured_case(special, INSURANCE)
    return derived(
        "F038",
        "保险诈骗案涉案团伙人数",
        int(case["persons"]),
        "人",
        f"{int(case['persons'])}人",
        source="special_cases",
        definition=f"专案“{case['case_code']}”涉案人数",
        rows=1,
        counted=True,
    )


def insurance_case_amount(special: pd.DataFrame) -> Figure:
    """F039: the value involved in the year's insurance-fraud case (left out when not recorded)."""
    import pandas as pd

    case = featured_case(special, INSURANCE)
    if pd.isna(case["amount"]):
        raise NotStated("F039", f"专案“{case['case_code']}”未登记涉案金额")
    return derived(
        "F039",
        "保险诈骗案涉案总价值",
        float(case["amount"]),
        "元",
        f"{fmt.approx_wan(case['amount'])}元",
        source="special_cases",
        definition=f"专案“{case['case_code']}”涉案金额（以万元为单位去尾：一百万元以上保留两位"
        "有效数字，有零头时写“余”（“X余万元”或“X万余元”）；不足一万元去尾写到元）",
        rows=1,
        counted=True,
    )


# ------------------------------------------------------------------ correction school
def _admitted(enrollments: pd.DataFrame, year: int) -> pd.DataFrame:
    import pandas as pd

    admitted = enrollments[enrollments["admitted_date"] <= pd.Timestamp(year, 12, 31)]
    if admitted.empty:
        raise NotStated(("F040", "F041", "F042", "F043"), "截至年末学校尚无入学记录")
    return admitted


def school(enrollments: pd.DataFrame, year: int) -> dict[str, Figure]:
    """F040–F042: admissions since opening, pupils during the year, and leavers."""
    import pandas as pd

    start, end = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    admitted = _admitted(enrollments, year)
    during = admitted[admitted["left_date"].isna() | (admitted["left_date"] >= start)]
    first = fmt.date_cn(admitted["admitted_date"].min().date())
    return {
        "F040": count(
            "F040",
            "启航学校累计教育矫治",
            admitted,
            "人次",
            source="school_enrollments",
            definition=f"自{first}开学以来至年末的入学人次",
        ),
        "F041": count(
            "F041",
            "启航学校本年度教育矫治",
            during,
            "人次",
            source="school_enrollments",
            definition="年内在校矫治的人次（年内入学或年初仍在校）",
        ),
        "F042": count(
            "F042",
            "已离校学生",
            left_school(admitted, end),
            "名",
            source="school_enrollments",
            definition="截至年末已离校（未再入学）的不同学生数",
        ),
    }


def leavers_without_new_offence(enrollments: pd.DataFrame, year: int) -> Figure:
    """F043: share of the students out of school at year end with no new offence recorded."""
    import pandas as pd

    leavers = left_school(_admitted(enrollments, year), pd.Timestamp(year, 12, 31))
    if leavers.empty:
        raise NotStated("F043", "截至年末尚无离校学生")
    clean = leavers[leavers["reoffended"] == False]  # noqa: E712  (pandas boolean with NA)
    share = stats.rate(len(clean), len(leavers))
    return derived(
        "F043",
        "离校学生未发现新违法犯罪比例",
        fmt.round_half_up(share, 0),
        "%",
        fmt.percent(share, 0),
        source="school_enrollments",
        definition="已离校学生中最近一次离校后未发现新违法犯罪记录者占比",
        rows=len(leavers),
    )


def left_school(admitted: pd.DataFrame, end: pd.Timestamp) -> pd.DataFrame:
    """Each student out of school at ``end``, with their latest stay: a student admitted twice
    counts once, by the last admission (by date, then record number — never by the row order of
    the export); a student back in school is not a leaver."""
    latest = admitted.sort_values(
        ["student_id", "admitted_date", "enrollment_id"], kind="stable"
    ).drop_duplicates("student_id", keep="last")
    return latest[latest["left_date"].notna() & (latest["left_date"] <= end)]


def school_opened(enrollments: pd.DataFrame) -> str:
    """When the school took its first pupils, as 2020年7月."""
    first = enrollments["admitted_date"].min()
    return f"{first.year}年{first.month}月"


# ------------------------------------------------------------------ prevention
def prevention(t: Frames) -> list:
    """F044–F051: rented dwellings inspected, knives seized, the volunteer police and their
    results — one group each, so a missing table leaves out only its own figures."""

    def houses():
        n = t.distinct("rental_inspections", "house_id")
        return derived(
            "F044",
            "排查整治出租屋",
            n,
            "间",
            f"{fmt.wan(n)}间",
            source="rental_inspections",
            definition="年内排查的不同出租屋间数（一万以上按万取整显示，偏差超过0.5%时多保留小数）",
            rows=len(t.rental_inspections),
            counted=True,
        )

    def knives():
        n = int(t.knife_seizures["quantity"].sum())
        return derived(
            "F045",
            "收缴刀具",
            n,
            "把",
            f"{fmt.wan(n, 1)}把",
            source="knife_seizures",
            definition="年内收缴刀具数量之和（一万以上按万保留一位小数显示，偏差超过0.5%时多保留小数）",
            rows=len(t.knife_seizures),
            counted=True,
        )

    @functools.cache  # F046 and F047 both count them: taken out once (2.7 million at scale 10)
    def members():
        return t.volunteer_roster[t.volunteer_roster["status"] == "在册"]

    def volunteers():
        rows = members()
        return derived(
            "F046",
            "东莞义警队伍",
            len(rows),
            "人",
            f"{fmt.wan(len(rows), 1)}人",
            source="volunteer_roster",
            definition="年末在册义警人数（一万以上按万保留一位小数显示，偏差超过0.5%时多保留小数）",
            rows=len(rows),
            counted=True,
        )

    return [
        houses,
        knives,
        volunteers,
        lambda: count(
            "F047",
            "义警小组",
            members(),
            "个",
            n=int(members()["group_id"].nunique()),
            source="volunteer_roster",
            definition="年末在册义警所属的不同小组数",
        ),
        lambda: count(
            "F048",
            "应急响应小组“先莞队”",
            t.response_teams[t.response_teams["status"] == "在册"],
            "个",
            source="response_teams",
            definition="年末在册的应急响应小组数",
        ),
        lambda: count(
            "F049",
            "义警召集点",
            t.rally_points[t.rally_points["status"] == "在用"],
            "个",
            source="rally_points",
            definition="年末在用的义警召集点数",
        ),
        lambda: total(
            "F050",
            "义警协助抓获犯罪嫌疑人",
            t.volunteer_results["suspects"],
            "人次",
            source="volunteer_results",
            definition="年内义警战果记录所载协助抓获人数之和（同一人见于几条记录按几人次计）",
        ),
        lambda: count(
            "F051",
            "义警好人好事",
            t.volunteer_results[t.volunteer_results["kind"] == "好人好事"],
            "起",
            source="volunteer_results",
            definition="年内类别为好人好事的战果记录数",
        ),
    ]


# ------------------------------------------------------------------ traffic
def accident_history(t: Frames, year: int) -> pd.DataFrame:
    """Accidents and deaths per year, as far back as the loaded tables go without a gap (at least
    this year and the one before: without them MissingTableError leaves the figure out)."""
    import pandas as pd

    gaps = [
        level.missing["traffic_accidents"]
        for level in (t, t.get("prior", Frames()))
        if "traffic_accidents" in level.missing
    ]
    if gaps:  # name every year that is missing, not only the first
        raise MissingTableError.all_of(gaps)
    rows, level, y = [], t, year
    while isinstance(level, Frames) and "traffic_accidents" in level:
        acc = level.traffic_accidents
        rows.append((y, len(acc), int(acc["deaths"].sum())))
        level, y = level.get("prior"), y - 1
    return (
        pd.DataFrame(rows, columns=["year", "accidents", "deaths"]).set_index("year").sort_index()
    )


def yearly_changes(history: pd.DataFrame) -> dict[int, tuple[Fraction, Fraction]]:
    """Each year's change of accidents and of deaths against the year before, exact (years whose
    year before had none of either are left out: no change can be computed)."""
    out = {}
    for (_, before), (y, now) in zip(
        history.iterrows(), list(history.iterrows())[1:], strict=False
    ):
        if before["accidents"] and before["deaths"]:
            out[int(y)] = (
                Fraction(
                    int(now["accidents"]) - int(before["accidents"]), int(before["accidents"])
                ),
                Fraction(int(now["deaths"]) - int(before["deaths"]), int(before["deaths"])),
            )
    return out


def record_years(changes: dict, year: int) -> int:
    """Over how many years (this one included, going back without a gap) this year's falls in
    accidents and in deaths are both larger than in every other of those years (a tie is not
    a record). ``traffic`` gives the changes as the text shows them, in % to two decimals."""
    a, d = changes[year]
    k, y = 1, year - 1
    while y in changes and changes[y][0] > a and changes[y][1] > d:
        k, y = k + 1, y - 1
    return k


def first_fall_years(changes: dict, year: int) -> int:
    """Over how many years (this one included, going back without a gap) no year but this one
    saw both accidents and deaths fall."""
    k, y = 1, year - 1
    while y in changes and not (changes[y][0] < 0 and changes[y][1] < 0):
        k, y = k + 1, y - 1
    return k


def traffic(t: Frames, year: int) -> Figure:
    """F052: how accidents and deaths changed: 降幅为近5年以来最大 when both fell by more than in
    any of the years before (back to the earliest table), else each change in words."""
    history = accident_history(t, year)
    changes = yearly_changes(history)
    if year not in changes:
        raise NotStated("F052", "上年交通事故宗数或亡人数为0，无法计算变化")
    # the changes as the text shows them (%, two decimals): a fall that reads 持平 is no fall,
    # let alone the largest, and falls that read the same are a tie
    shown = {
        y: tuple(fmt.round_half_up(Fraction_to_decimal(c * 100), 2) for c in pair)
        for y, pair in changes.items()
    }
    a, d = shown[year]
    direction = (
        DOWN if a < 0 and d < 0 else UP if a > 0 and d > 0 else FLAT if a == d == 0 else MIXED
    )
    k = record_years(shown, year) if direction == DOWN else 1
    # a record needs a fall among the years it beats; else the years back to the last one in
    # which both fell (or to the first change on file) make it the first fall in that long
    record = k >= 2 and any(shown[y][0] < 0 and shown[y][1] < 0 for y in range(year - k + 1, year))
    since = first_fall_years(shown, year) if direction == DOWN and not record else 0
    if record:
        display = f"降幅为近{k}年以来最大"
    elif since >= 3:  # (近2年来首次: only that last year did not fall, no news)
        k, display = since, f"近{since}年来首次下降"
    else:
        k = 1
        words = [fmt.change(c, 2) for c in (a, d)]
        # both unchanged is said once: 均持平, not 分别持平、持平
        display = "均持平" if words == ["持平", "持平"] else "分别" + "、".join(words)
    first, last = history.index.min(), history.index.max()
    fig = derived(
        "F052",
        "交通事故宗数及亡人数变化",
        k,
        "年",
        display,
        source="traffic_accidents",
        definition=f"{first}—{last}年各年事故宗数与亡人数同比变化；两者均下降且降幅均大于此前"
        "各年（按保留两位小数的百分比，相等不算）时，写“降幅为近N年以来最大”（N为连续的年数，"
        "含本年；所超过的年份中两者没有一年同时下降时不算）；两者均下降、且此前连续N−1年（N≥3）"
        "两者没有一年同时下降时，写“近N年来首次下降”；否则写出两者各自的变化",
        rows=int(history["accidents"].sum()),
    )
    fig.direction = direction
    return fig


def figure_groups(t: Frames, city: str = "", **_) -> list:
    """The chapter's figure calculations; groups whose tables are missing are left out."""
    year = t.year
    return [
        lambda: gangs_dismantled(t.gangs),
        lambda: smuggling_gangs(t.gangs),
        lambda: target_fugitives(t.fugitives),
        lambda: fraud_solved(t, year),
        lambda: fraud_solved_change(t, year),
        lambda: fraud_persons(t),
        lambda: rankings(t, city),
        *decline_ranks(t, city),
        lambda: commendations(t.commendations),
        lambda: drug_cases_solved(t, year),
        lambda: drugs_seized(t.drug_seizures),
        lambda: insurance_case_persons(t.special_cases),
        lambda: insurance_case_amount(t.special_cases),
        lambda: school(t.school_enrollments, year),
        lambda: leavers_without_new_offence(t.school_enrollments, year),
        *prevention(t),
        lambda: traffic(t, year),
        *changes(t),
    ]


# ------------------------------------------------------------------ words and charts
def case_name(case) -> str:
    """How the text names a case: its name, else “code”案."""
    import pandas as pd

    name = case["name"] if isinstance(case, pd.Series) else case.name
    code = case["case_code"] if isinstance(case, pd.Series) else case.case_code
    return name if isinstance(name, str) and name else f"“{code}”案"


def named_cases(
    special: pd.DataFrame, categories: tuple[str, ...], notes: dict[str, str] | None = None
) -> str:
    """Named cases of some categories, in the order of ``categories`` and then by date, each with
    what distinguishes it: the register's remark, or ``notes`` (computed) by case code."""
    rows = special[special["category"].isin(categories)]
    rows = rows.assign(
        order=rows["category"].astype("string").map({c: i for i, c in enumerate(categories)})
    ).sort_values(["order", "solved_date", "case_code"], kind="stable")
    out, caveats = [], []
    for r in rows.itertuples():
        remark = (notes or {}).get(r.case_code)
        typed = r.remark if isinstance(r.remark, str) else ""
        if not remark and typed:
            found = claims.find(typed)
            if found:  # a register's own record claim is not something the data shows
                words = "、".join(dict.fromkeys(c.word for c in found))
                caveats.append(
                    (typed, f"专案登记“{r.case_code}”的说明含“{words}”，数据无从核实，已略去该说明")
                )
            else:
                remark = typed
        out.append(case_name(r) + (f"（{remark}）" if remark else ""))
    return Words("、".join(out), caveats, verified=tuple((notes or {}).values()))


def word_groups(t: Frames, **_) -> list:
    """Word slots of 一(三)."""

    def stowaways():
        special = t.special_cases
        rows = special[special["category"] == "偷渡"].sort_values(
            ["solved_date", "case_code"], kind="stable"
        )
        if rows.empty:
            raise NotStated("stowaway_cases", "本年专案登记中没有偷渡类专案")
        return {"stowaway_cases": "、".join(f"“{c}”" for c in rows["case_code"])}

    def economic():
        special = t.special_cases
        notes = {}
        if (special["category"] == INSURANCE).any() and "special_cases" in t.history:
            case = featured_case(special, INSURANCE)
            notes[case["case_code"]] = record_note(t.history.special_cases, case)
        text = named_cases(special, ECONOMIC, notes=notes)
        if not text:
            raise NotStated("economic_cases", "本年专案登记中没有地下钱庄、保险诈骗、传销类专案")
        return {"economic_cases": text}

    def insurance():
        case = featured_case(t.special_cases, INSURANCE)
        return {"insurance_case": case_name(case)}

    return [
        stowaways,
        economic,
        insurance,
        lambda: {"school_opened": school_opened(t.school_enrollments)},
        lambda: {
            "months": fmt.month_range(1, int(t.tally("alarms")["received_at"].dt.month.max()))
        },
    ]


ECONOMIC = ("地下钱庄", INSURANCE, "传销")


def overview(t: Frames, year: int) -> pd.DataFrame:
    """Alarms, cases and detentions of the year against the same period the year before, one
    row each. A register whose records this year stop before the year's end is compared with
    last year's same months (to the same day when its last month is only in part), as F053
    is; one whose periods cannot be compared at all (a gap, last year's stopping sooner) is
    left out. ``attrs["periods"]`` gives each row compared over less than the year its period
    (1—8月, 1月1日至8月17日), ``attrs["left_out"]`` the rows left out and why."""
    import pandas as pd

    from helpers.data.contract import TABLES
    from helpers.figures import periods

    groups = {
        "alarms": lambda f: {"违法犯罪警情": _valid_count(f)},
        "cases": lambda f: {"行政案件受理": _filed(f, "行政"), "刑事案件立案": _filed(f, "刑事")},
        "measures": lambda f: {f"{k}人数": persons_under(f, k) for k in MEASURES.values()},
    }

    def frame(level: Frames, table: str) -> pd.DataFrame:
        """The rows of a table, or the alarms' counts by day and kind (not read as rows)."""
        return level.tally(table) if table == "alarms" else level[table]

    rows: dict[str, tuple[int, int]] = {}
    spans, left_out = {}, {}
    for table, counts in groups.items():
        unlike = periods.unlike_last_year((table,), t.spans, t.prior.spans, year, True)
        if unlike:
            left_out |= dict.fromkeys(counts(frame(t, table).iloc[:0]), unlike)
            continue
        cover = t.coverage(table)
        column = TABLES[table].year_column
        now_rows = frame(t, table)
        before = counts(same_months(frame(t.prior, table), column, now_rows, cover))
        now = counts(now_rows)
        rows |= {label: (before[label], now[label]) for label in now}
        period = _period(now_rows[column], cover)
        spans |= dict.fromkeys(now, period) if period else {}
    frame = pd.DataFrame(rows, index=[year - 1, year], dtype="int64").T
    frame.attrs["periods"], frame.attrs["left_out"] = spans, left_out
    return frame


def _period(dates: pd.Series, cover) -> str | None:
    """The months a register's records of the year cover when not the whole year: 1—8月, or
    1月1日至8月17日 when its last month is there only in part (None: the whole year)."""
    if cover is not None and cover.daily and cover.partial:
        return f"1月1日至{cover.last.month}月{cover.last.day}日"
    last = cover.month if cover is not None else (dates.max().month if len(dates) else 12)
    return None if last == 12 else fmt.month_range(1, last)


def overview_caption(frame: pd.DataFrame, year: int) -> str:
    """The caption of the ``overview`` chart: what it compares, over which period, and what it
    leaves out."""
    everything = ["违法犯罪警情", "行政案件受理", "刑事案件立案"] + [
        f"{k}人数" for k in MEASURES.values()
    ]
    what = (
        "违法犯罪警情、案件受理立案与拘留、移送起诉人数"
        if list(frame.index) == everything
        else "、".join(frame.index)
    )
    by_period: dict[str, list[str]] = {}
    for label, period in frame.attrs.get("periods", {}).items():
        by_period.setdefault(period, []).append(label)
    caption = f"{what}：{year - 1}年与{year}年{'同期' if by_period else ''}对比"
    if by_period:
        caption += "（" + "；".join(f"{'、'.join(v)}为{k}" for k, v in by_period.items()) + "）"
    by_reason: dict[str, list[str]] = {}
    for label, why in frame.attrs.get("left_out", {}).items():
        by_reason.setdefault(why, []).append(label)
    for why, labels in by_reason.items():
        caption += f"。{'、'.join(labels)}未列出：{why}"
    return caption


def fraud_by_month(t: Frames, year: int) -> dict[str, pd.DataFrame]:
    """Telecom-fraud cases solved and suspects caught per month, this year against the year
    before. Months a year's register does not cover are left empty, not 0
    (``months_not_covered_empty``)."""
    import pandas as pd

    solved = {
        y: stats.monthly_counts(solved_in(t.history.cases, y, FRAUD)) for y in (year - 1, year)
    }
    caught = {
        y: stats.monthly_counts(level.persons[level.persons["case_type"] == FRAUD]["caught_date"])
        for y, level in ((year - 1, t.prior), (year, t))
    }
    return {
        "电诈破案数": months_not_covered_empty(pd.DataFrame(solved), t.coverages("cases")),
        "电诈抓获人数": months_not_covered_empty(pd.DataFrame(caught), t.coverages("persons")),
    }


def province_table(t: Frames) -> pd.DataFrame:
    """Each city's app registration rate (%) and coverage (万人)."""
    import pandas as pd

    p = t.province_cities.set_index("city")
    return pd.DataFrame(
        {
            "注册率（%）": p["app_registered"] / p["population"] * 100,
            "覆盖人数（万人）": p["app_covered"] / 10_000,
        }
    )
