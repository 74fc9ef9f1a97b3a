"""一(三) 平安建设: crime, fraud and rankings, campaigns, prevention, traffic, overall results."""

from __future__ import annotations

import pandas as pd

from .. import fmt, stats
from .base import Figure, Frames, collect, count, derived, load_frames, total, with_prior, yoy

YEAR_ONLY = (
    "gangs",
    "fugitives",
    "commendations",
    "drug_seizures",
    "special_cases",
    "school_enrollments",
    "rental_inspections",
    "knife_seizures",
    "volunteer_roster",
    "response_teams",
    "rally_points",
    "volunteer_results",
)
NEEDS = {
    **{t: (0,) for t in YEAR_ONLY},
    "alarms": (0, -1),
    "persons": (0, -1),
    "measures": (0, -1),
    "province_cities": (0, -1),
    "cases": (0, -1, -2),  # solved in a year: filed that year or the year before
    "traffic_accidents": (0, -1, -2, -3, -4, -5),
}
FRAUD = "电信网络诈骗"
# the largest tables: read only what the figures use
COLUMNS = {"rental_inspections": ["house_id"], "volunteer_roster": ["group_id", "status"]}


def load(year: int, data_dir=None) -> Frames:
    """This chapter's tables for ``year`` and the years before it that comparisons need."""
    return load_frames(NEEDS, year, data_dir, COLUMNS)


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
    return cases[cases["status"] != "已撤销"]


def solved_in(t: Frames, year: int, case_type: str) -> pd.DataFrame:
    """Criminal cases of a type solved in ``year``, filed that year or the year before (``t`` is that year's level)."""
    both = pd.concat([t.cases, t.prior.cases], ignore_index=True)
    rows = live_cases(both)
    return rows[
        (rows["kind"] == "刑事")
        & (rows["case_type"] == case_type)
        & (rows["solved_date"].dt.year == year)
    ]


def fraud_solved(t: Frames, year: int) -> tuple[Figure, Figure]:
    """F020 and F021: telecom-fraud cases solved in the year, and the change against the year before."""
    now, before = solved_in(t, year, FRAUD), solved_in(t.prior, year - 1, FRAUD)
    source, definition = "cases", "年内破案的电信网络诈骗刑事案件（含上年立案），不含已撤销"
    fig = with_prior(
        count("F020", "电诈破案数", now, "起", source=source, definition=definition),
        count("F020", "", before, "起", source=source, definition=""),
    )
    change = yoy(
        "F021",
        "电诈破案数同比",
        len(now),
        len(before),
        ndigits=2,
        source=source,
        definition=definition + "，与上年同口径比较",
        rows=len(now) + len(before),
    )
    return fig, change


def drug_cases_solved(t: Frames, year: int) -> Figure:
    """F034: drug criminal cases solved in the year."""
    return with_prior(
        count(
            "F034",
            "侦破毒品刑事案件",
            solved_in(t, year, "毒品"),
            "宗",
            source="cases",
            definition="年内破案的毒品刑事案件（含上年立案），不含已撤销",
        ),
        count(
            "F034", "", solved_in(t.prior, year - 1, "毒品"), "宗", source="cases", definition=""
        ),
    )


def _filed(cases: pd.DataFrame, kind: str, case_type: str | None = None) -> pd.DataFrame:
    rows = live_cases(cases)
    rows = rows[rows["kind"] == kind]
    return rows if case_type is None else rows[rows["case_type"] == case_type]


def _change(
    fid: str,
    label: str,
    now: pd.DataFrame,
    before: pd.DataFrame,
    source: str,
    definition: str,
    ndigits: int = 2,
) -> Figure:
    return yoy(
        fid,
        label,
        len(now),
        len(before),
        ndigits=ndigits,
        source=source,
        definition=definition + "，与上年同口径比较",
        rows=len(now) + len(before),
    )


def valid_alarms(alarms: pd.DataFrame, subcategory: str | None = None) -> pd.DataFrame:
    """Valid crime alarms (无效 and 重复 calls excluded), optionally of one kind."""
    rows = alarms[(alarms["category"] == "违法犯罪") & (alarms["status"] == "有效")]
    return rows if subcategory is None else rows[rows["subcategory"] == subcategory]


def fraud_persons(t: Frames) -> tuple[Figure, Figure]:
    """F022 and F023: telecom-fraud suspects caught, and the change."""
    now = t.persons[t.persons["case_type"] == FRAUD]
    before = t.prior.persons[t.prior.persons["case_type"] == FRAUD]
    definition = "年内抓获的电信网络诈骗违法犯罪人员"
    fig = with_prior(
        count("F022", "电诈抓获违法犯罪人员", now, "人", source="persons", definition=definition),
        count("F022", "", before, "人", source="persons", definition=""),
    )
    change = _change("F023", "电诈抓获人数同比", now, before, "persons", definition)
    return fig, change


def fraud_changes(t: Frames) -> tuple[Figure, Figure]:
    """F028 (alarms) and F029 (cases filed): the city's telecom-fraud change, one decimal."""
    alarms = _change(
        "F028",
        "电诈警情同比",
        valid_alarms(t.alarms, FRAUD),
        valid_alarms(t.prior.alarms, FRAUD),
        "alarms",
        "有效的电信网络诈骗类违法犯罪警情",
        ndigits=1,
    )
    cases = _change(
        "F029",
        "电诈立案同比",
        _filed(t.cases, "刑事", FRAUD),
        _filed(t.prior.cases, "刑事", FRAUD),
        "cases",
        "立案的电信网络诈骗刑事案件（不含已撤销）",
        ndigits=1,
    )
    return alarms, cases


def overall_results(t: Frames) -> dict[str, Figure]:
    """F053–F058: crime alarms, cases, and detentions against the year before."""
    figs = [
        _change(
            "F053",
            "110违法犯罪警情同比",
            valid_alarms(t.alarms),
            valid_alarms(t.prior.alarms),
            "alarms",
            "110平台接报的有效违法犯罪类警情",
        ),
        _change(
            "F054",
            "行政案件受理数同比",
            _filed(t.cases, "行政"),
            _filed(t.prior.cases, "行政"),
            "cases",
            "受理的行政案件（不含已撤销）",
        ),
        _change(
            "F055",
            "刑事案件立案数同比",
            _filed(t.cases, "刑事"),
            _filed(t.prior.cases, "刑事"),
            "cases",
            "立案的刑事案件（不含已撤销）",
        ),
    ]
    for fid, measure in (("F056", "行政拘留"), ("F057", "刑事拘留"), ("F058", "移送审查起诉")):
        now, before = (
            m[(m["measure"] == measure) & (m["status"] != "已撤销")]
            for m in (t.measures, t.prior.measures)
        )
        figs.append(
            _change(
                fid,
                f"{measure}人数同比",
                now,
                before,
                "measures",
                f"决定{measure}的措施（不含已撤销）",
            )
        )
    return {f.id: f for f in figs}


# ------------------------------------------------------------------ province rankings
def _city(frame: pd.DataFrame, city: str) -> pd.Series:
    rows = frame[frame["city"] == city]
    if rows.empty:
        raise KeyError(f"{city} is not in the province table; cities: {', '.join(frame['city'])}")
    return rows.iloc[0]


def rankings(t: Frames, city: str) -> dict[str, Figure]:
    """F024–F027, F030, F031: the app's registration and coverage, and fraud declines, among the province's cities."""
    _city(t.province_cities, city)  # a clear error when the city is not in the province's table
    now = t.province_cities.set_index("city")
    before = t.prior.province_cities.set_index("city")
    n = len(now)
    src, rows = "province_cities", n
    reg = now["app_registered"] / now["population"] * 100
    rate = stats.rate(int(now.loc[city, "app_registered"]), int(now.loc[city, "population"]))
    cover = int(now.loc[city, "app_covered"])
    alarm_fall = -(now["fraud_alarms"] / before["fraud_alarms"] - 1)
    case_fall = -(now["fraud_cases"] / before["fraud_cases"] - 1)
    figs = [
        derived(
            "F024",
            "国家反诈中心APP注册率",
            fmt.round_half_up(rate, 2),
            "%",
            fmt.percent(rate, 2),
            source=src,
            definition="注册人数÷常住人口",
            rows=1,
        ),
        derived(
            "F025",
            "APP注册率全省排名",
            stats.rank_desc(reg, city),
            "名",
            f"全省第{stats.rank_desc(reg, city)}",
            source=src,
            definition=f"全省{n}个地市注册率降序排名",
            rows=rows,
        ),
        derived(
            "F026",
            "APP覆盖人数",
            cover,
            "人",
            f"{fmt.wan(cover, 2)}人",
            source=src,
            definition="覆盖人数（按万保留两位小数显示）",
            rows=1,
        ),
        derived(
            "F027",
            "APP覆盖人数全省排名",
            stats.rank_desc(now["app_covered"], city),
            "名",
            f"全省第{stats.rank_desc(now['app_covered'], city)}",
            source=src,
            definition=f"全省{n}个地市覆盖人数降序排名",
            rows=rows,
        ),
        derived(
            "F030",
            "电诈警情降幅全省排名",
            stats.rank_desc(alarm_fall, city),
            "名",
            f"第{stats.rank_desc(alarm_fall, city)}名",
            source=src,
            definition=f"全省{n}个地市电诈警情同比降幅降序排名",
            rows=2 * rows,
        ),
        derived(
            "F031",
            "电诈案件降幅全省排名",
            stats.rank_desc(case_fall, city),
            "名",
            f"第{stats.rank_desc(case_fall, city)}名",
            source=src,
            definition=f"全省{n}个地市电诈立案同比降幅降序排名",
            rows=2 * rows,
        ),
    ]
    return {f.id: f for f in figs}


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
    )


def featured_case(special: pd.DataFrame, category: str) -> pd.Series:
    """The year's largest named case of a category (most persons)."""
    rows = special[special["category"] == category]
    if rows.empty:
        raise KeyError(f"no named case of category {category}")
    return rows.sort_values("persons", ascending=False, kind="stable").iloc[0]


def insurance_fraud_case(special: pd.DataFrame) -> dict[str, Figure]:
    """F038, F039: persons and value of the year's insurance-fraud case."""
    if not (special["category"] == "保险诈骗").any():
        return {}  # no such case this year: the sentence that names it is left out
    case = featured_case(special, "保险诈骗")
    return {
        "F038": derived(
            "F038",
            "保险诈骗案涉案团伙人数",
            int(case["persons"]),
            "人",
            f"{int(case['persons'])}人",
            source="special_cases",
            definition=f"专案“{case['case_code']}”涉案人数",
            rows=1,
        ),
        "F039": derived(
            "F039",
            "保险诈骗案涉案总价值",
            float(case["amount"]),
            "元",
            f"{fmt.approx_wan(case['amount'])}元",
            source="special_cases",
            definition=f"专案“{case['case_code']}”涉案金额（以“X余万元”显示）",
            rows=1,
        ),
    }


# ------------------------------------------------------------------ correction school
def school(enrollments: pd.DataFrame, year: int) -> dict[str, Figure]:
    """F040–F043: admissions since opening, pupils during the year, leavers and their record."""
    start, end = pd.Timestamp(year, 1, 1), pd.Timestamp(year, 12, 31)
    admitted = enrollments[enrollments["admitted_date"] <= end]
    during = admitted[admitted["left_date"].isna() | (admitted["left_date"] >= start)]
    left = admitted[admitted["left_date"].notna() & (admitted["left_date"] <= end)]
    leavers = left.drop_duplicates("student_id", keep="last")
    clean = leavers[leavers["reoffended"] == False]  # noqa: E712  (pandas boolean with NA)
    share = stats.rate(len(clean), len(leavers))
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
            leavers,
            "名",
            source="school_enrollments",
            definition="截至年末已离校的学生数",
        ),
        "F043": derived(
            "F043",
            "离校学生未发现新违法犯罪比例",
            fmt.round_half_up(share, 0),
            "%",
            fmt.percent(share, 0),
            source="school_enrollments",
            definition="已离校学生中未发现新违法犯罪记录者占比",
            rows=len(leavers),
        ),
    }


def school_opened(enrollments: pd.DataFrame) -> str:
    """When the school took its first pupils, as 2020年7月."""
    first = enrollments["admitted_date"].min()
    return f"{first.year}年{first.month}月"


# ------------------------------------------------------------------ prevention
def prevention(t: Frames) -> dict[str, Figure]:
    """F044–F051: rented dwellings inspected, knives seized, the volunteer police and their results."""
    houses = stats.count_distinct(t.rental_inspections["house_id"])
    knives = int(t.knife_seizures["quantity"].sum())
    members = t.volunteer_roster[t.volunteer_roster["status"] == "在册"]
    results = t.volunteer_results
    figs = [
        derived(
            "F044",
            "排查整治出租屋",
            houses,
            "间",
            f"{fmt.wan(houses)}间",
            source="rental_inspections",
            definition="年内排查的不同出租屋间数（按万取整显示）",
            rows=len(t.rental_inspections),
        ),
        derived(
            "F045",
            "收缴刀具",
            knives,
            "把",
            f"{fmt.wan(knives, 1)}把",
            source="knife_seizures",
            definition="年内收缴刀具数量之和（按万保留一位小数显示）",
            rows=len(t.knife_seizures),
        ),
        derived(
            "F046",
            "东莞义警队伍",
            len(members),
            "人",
            f"{fmt.wan(len(members), 1)}人",
            source="volunteer_roster",
            definition="年末在册义警人数（按万保留一位小数显示）",
            rows=len(members),
        ),
        count(
            "F047",
            "义警小组",
            members,
            "个",
            n=int(members["group_id"].nunique()),
            source="volunteer_roster",
            definition="年末在册义警所属的不同小组数",
        ),
        count(
            "F048",
            "应急响应小组“先莞队”",
            t.response_teams[t.response_teams["status"] == "在册"],
            "个",
            source="response_teams",
            definition="年末在册的应急响应小组数",
        ),
        count(
            "F049",
            "义警召集点",
            t.rally_points[t.rally_points["status"] == "在用"],
            "个",
            source="rally_points",
            definition="年末在用的义警召集点数",
        ),
        total(
            "F050",
            "义警协助抓获犯罪嫌疑人",
            results["suspects"],
            "名",
            source="volunteer_results",
            definition="年内义警战果记录中协助抓获人数之和",
        ),
        count(
            "F051",
            "义警好人好事",
            results[results["kind"] == "好人好事"],
            "起",
            source="volunteer_results",
            definition="年内类别为好人好事的战果记录数",
        ),
    ]
    return {f.id: f for f in figs}


# ------------------------------------------------------------------ traffic
def accident_history(t: Frames, year: int) -> pd.DataFrame:
    """Accidents and deaths per year, as far back as the loaded tables go (at least this year
    and the one before: without them MissingTableError leaves the figure out)."""
    t.traffic_accidents, t.prior.traffic_accidents  # noqa: B018 - raise if either is missing
    rows, level, y = [], t, year
    while isinstance(level, Frames) and "traffic_accidents" in level:
        acc = level.traffic_accidents
        rows.append((y, len(acc), int(acc["deaths"].sum())))
        level, y = level.get("prior"), y - 1
    return (
        pd.DataFrame(rows, columns=["year", "accidents", "deaths"]).set_index("year").sort_index()
    )


def largest_fall_years(history: pd.DataFrame) -> int:
    """Over how many years (this one included) this year's falls in accidents and deaths are both the largest."""
    falls = -history.pct_change().dropna()
    this = falls.iloc[-1]
    k = 0
    for _, row in falls.iloc[::-1].iterrows():
        if (row > this).any():
            break
        k += 1
    return k


def traffic(t: Frames, year: int) -> Figure:
    """F052: this year's falls in accidents and deaths are the largest in k years."""
    history = accident_history(t, year)
    k = largest_fall_years(history)
    display = f"近{k}年以来最大" if k >= 2 else "较上年下降"
    return derived(
        "F052",
        "交通事故宗数及亡人数降幅",
        k,
        "年",
        display,
        source="traffic_accidents",
        definition=f"{history.index.min()}—{history.index.max()}年各年事故宗数与亡人数同比降幅，本年降幅最大的年数",
        rows=int(history["accidents"].sum()),
    )


def compute(t: Frames, year: int, city: str) -> dict[str, Figure]:
    """Every figure of the chapter, by id; groups whose tables are missing are left out."""
    return collect(
        lambda: gangs_dismantled(t.gangs),
        lambda: smuggling_gangs(t.gangs),
        lambda: target_fugitives(t.fugitives),
        lambda: fraud_solved(t, year),
        lambda: fraud_persons(t),
        lambda: fraud_changes(t),
        lambda: rankings(t, city),
        lambda: commendations(t.commendations),
        lambda: drug_cases_solved(t, year),
        lambda: drugs_seized(t.drug_seizures),
        lambda: insurance_fraud_case(t.special_cases),
        lambda: school(t.school_enrollments, year),
        lambda: prevention(t),
        lambda: traffic(t, year),
        lambda: overall_results(t),
    )


# ------------------------------------------------------------------ words and charts
def named_cases(
    special: pd.DataFrame, categories: tuple[str, ...], with_remarks: bool = True
) -> str:
    """Named cases of some categories, with what distinguishes them: “飓风302号”…专案、…（…）."""
    rows = special[special["category"].isin(categories)]
    rows = rows.assign(
        order=rows["category"].astype("string").map({c: i for i, c in enumerate(categories)})
    ).sort_values(["order", "solved_date"])
    out = []
    for r in rows.itertuples():
        name = r.name if isinstance(r.name, str) and r.name else f"“{r.case_code}”案"
        remark = (
            f"（{r.remark}）" if with_remarks and isinstance(r.remark, str) and r.remark else ""
        )
        out.append(name + remark)
    return "、".join(out)


def words(t: Frames, year: int) -> dict[str, str]:
    """Word slots of 一(三)."""
    from .base import collect_words

    def cases_words():
        special = t.special_cases
        out = {
            "stowaway_cases": "、".join(
                f"“{c}”"
                for c in special[special["category"] == "偷渡"].sort_values("solved_date")[
                    "case_code"
                ]
            ),
            "economic_cases": named_cases(special, ("地下钱庄", "保险诈骗", "传销")),
        }
        if (special["category"] == "保险诈骗").any():
            case = featured_case(special, "保险诈骗")
            out["insurance_case"] = (
                case["name"] if isinstance(case["name"], str) else f"“{case['case_code']}”案"
            )
        return {k: v for k, v in out.items() if v}

    return collect_words(
        cases_words,
        lambda: {"school_opened": school_opened(t.school_enrollments)},
        lambda: {"months": fmt.month_range(1, int(t.alarms["received_at"].dt.month.max()))},
    )


def overview(t: Frames, year: int) -> pd.DataFrame:
    """Alarms, cases and detentions of the year and the year before, one row each."""

    def counts(level: Frames) -> dict[str, int]:
        m = level.measures[level.measures["status"] != "已撤销"]
        return {
            "违法犯罪警情": len(valid_alarms(level.alarms)),
            "行政案件受理": len(_filed(level.cases, "行政")),
            "刑事案件立案": len(_filed(level.cases, "刑事")),
            **{k: int((m["measure"] == k).sum()) for k in ("行政拘留", "刑事拘留", "移送审查起诉")},
        }

    return pd.DataFrame({year - 1: counts(t.prior), year: counts(t)})


def fraud_by_month(t: Frames, year: int) -> dict[str, pd.DataFrame]:
    """Telecom-fraud cases solved and suspects caught per month, this year against the year before."""
    solved = {
        y: stats.monthly_counts(solved_in(level, y, FRAUD)["solved_date"])
        for y, level in ((year - 1, t.prior), (year, t))
    }
    caught = {
        y: stats.monthly_counts(level.persons[level.persons["case_type"] == FRAUD]["caught_date"])
        for y, level in ((year - 1, t.prior), (year, t))
    }
    return {"电诈破案数": pd.DataFrame(solved), "电诈抓获人数": pd.DataFrame(caught)}


def province_table(t: Frames) -> pd.DataFrame:
    """Each city's app registration rate (%) and coverage (万人)."""
    p = t.province_cities.set_index("city")
    return pd.DataFrame(
        {
            "注册率（%）": p["app_registered"] / p["population"] * 100,
            "覆盖人数（万人）": p["app_covered"] / 10_000,
        }
    )
