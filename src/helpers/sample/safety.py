"""Sample tables of 一(三) 平安建设: alarms, cases, persons, measures, campaigns and prevention."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.data.contract import TABLES
from helpers.data.contract.safety import CASE_TYPES
from helpers.sample import targets
from helpers.sample.random import codes, dates, rng_for, scaled, split_total, stamp, strays, times
from helpers.sample.writers import write

YEARS = (2019, 2020, 2021, 2022, 2023)
# every kind of offence but the two the report counts on its own
OTHER_TYPES = [t for t in CASE_TYPES if t not in ("电信网络诈骗", "毒品")]

# valid crime alarms and telecom-fraud alarms; 2020 is the base the 2021 changes are calibrated on
CRIME_ALARMS = {2019: 241_300, 2020: 229_870, 2022: 176_540, 2023: 168_920}
FRAUD_ALARMS = {2019: 26_050, 2020: 31_560, 2022: 14_210, 2023: 12_870}
# criminal cases filed, administrative cases accepted, telecom-fraud cases filed
CRIMINAL = {2018: 56_300, 2019: 55_120, 2020: 52_400, 2022: 47_910, 2023: 46_480}
ADMIN = {2018: 141_900, 2019: 138_700, 2020: 131_200, 2022: 109_300, 2023: 104_650}
FRAUD_FILED = {2018: 14_900, 2019: 17_400, 2020: 20_100, 2022: 16_080, 2023: 14_630}
# 2020 and 2021 come from F020/F021. A year's solved cases are spread over the files of that year
# and the two before (see ``cases``): 2023's value keeps the 2021 and 2022 files as they were
# (7239–7241 and 150–151 split like 2022's 7240 and 151), so adding the year changes no file
FRAUD_SOLVED = {2018: 2_410, 2019: 2_980, 2022: 7_240, 2023: 7_239}
DRUG_SOLVED = {2018: 244, 2019: 231, 2020: 198, 2022: 151, 2023: 150}
# 2020 and 2021 come from F022/F023 (5412 → 9559)
FRAUD_CAUGHT = {2019: 4_010, 2022: 10_230, 2023: 9_870}
# persons under each measure by year; 2020 and 2021 come from the published changes F056–F058
MEASURES = {
    "行政拘留": ({2019: 26_900, 2020: 28_300, 2022: 35_100, 2023: 33_760}, "F056"),
    "刑事拘留": ({2019: 20_400, 2020: 19_800, 2022: 21_900, 2023: 20_980}, "F057"),
    "移送审查起诉": ({2019: 13_900, 2020: 14_650, 2022: 17_820, 2023: 18_340}, "F058"),
}
OTHER_MEASURES = {"取保候审": 8_200, "逮捕": 10_400, "监视居住": 900}

CITIES = [
    "广州",
    "深圳",
    "珠海",
    "汕头",
    "佛山",
    "韶关",
    "河源",
    "梅州",
    "惠州",
    "汕尾",
    "东莞",
    "中山",
    "江门",
    "阳江",
    "湛江",
    "茂名",
    "肇庆",
    "清远",
    "潮州",
    "揭阳",
    "云浮",
]
POPULATION = dict(
    zip(
        CITIES,
        [
            18_810_600,
            17_681_600,
            2_466_700,
            5_502_100,
            9_613_400,
            2_855_100,
            2_837_000,
            3_873_900,
            6_066_000,
            2_672_900,
            10_466_625,
            4_467_200,
            4_830_600,
            2_602_900,
            7_036_700,
            6_178_000,
            4_113_100,
            3_974_500,
            2_568_700,
            5_577_100,
            2_383_500,
        ],
        strict=True,
    )
)
TOWNS = list(TABLES["rental_inspections"].column("town").allowed)  # the contract lists the towns


def _pair(fid: str, base: int, ndigits: int = 2) -> tuple[int, int]:
    """(2021 value, 2020 value) whose change rounds to the published one."""
    return targets.calibrate_yoy(targets.value(fid), ndigits, base)


def crime_alarm_counts() -> dict[int, tuple[int, int]]:
    """Valid crime alarms and, among them, telecom-fraud alarms, per year."""
    crime_21, crime_20 = _pair("F053", CRIME_ALARMS[2020])
    fraud_21, fraud_20 = _pair("F028", FRAUD_ALARMS[2020], 1)
    out = {y: (CRIME_ALARMS[y], FRAUD_ALARMS[y]) for y in (2019, 2022, 2023)}
    out.update({2020: (crime_20, fraud_20), 2021: (crime_21, fraud_21)})
    return out


def alarms(year: int, seed: int, scale: float) -> pd.DataFrame:
    """110 calls: valid crime alarms as calibrated, twice as many others, and invalid or repeated calls."""
    rng = rng_for(seed, "alarms", year)
    crime, fraud = (scaled(n, scale) for n in crime_alarm_counts()[year])
    other = scaled(2 * crime_alarm_counts()[year][0], scale)
    noise = max(3, (crime + other) // 30)
    n = crime + other + noise
    category = np.empty(n, dtype=object)
    category[:crime] = "违法犯罪"
    category[crime:] = rng.choice(
        ["求助", "纠纷", "交通", "火灾", "举报", "其他"],
        n - crime,
        p=[0.3, 0.25, 0.25, 0.03, 0.07, 0.1],
    )
    category[crime + other :] = rng.choice(["违法犯罪", "求助"], noise)
    sub = np.full(n, None, dtype=object)
    sub[:fraud] = "电信网络诈骗"
    sub[fraud:crime] = rng.choice(OTHER_TYPES, crime - fraud)
    noisy_crime = np.flatnonzero(category[crime + other :] == "违法犯罪") + crime + other
    sub[noisy_crime] = rng.choice(["电信网络诈骗", "盗窃"], len(noisy_crime))
    status = np.array(
        ["有效"] * (crime + other) + list(rng.choice(["无效", "重复"], noise)), dtype=object
    )
    frame = pd.DataFrame(
        {
            "received_at": times(rng, year, n)[rng.permutation(n)],
            "category": category,
            "subcategory": sub,
            "status": status,
        }
    )
    frame = frame.sort_values("received_at", kind="stable").reset_index(drop=True)
    frame.insert(0, "alarm_id", np.arange(1, n + 1, dtype=np.int64) + year * 10_000_000)
    return frame


def case_counts() -> dict[str, dict[int, int]]:
    crim_21, crim_20 = _pair("F055", CRIMINAL[2020])
    adm_21, adm_20 = _pair("F054", ADMIN[2020])
    ff_21, ff_20 = _pair("F029", FRAUD_FILED[2020], 1)
    return {
        "criminal": {**CRIMINAL, 2020: crim_20, 2021: crim_21},
        "admin": {**ADMIN, 2020: adm_20, 2021: adm_21},
        "fraud_filed": {**FRAUD_FILED, 2020: ff_20, 2021: ff_21},
        "fraud_solved": {
            **FRAUD_SOLVED,
            2020: targets.prior_for(targets.whole("F020"), targets.value("F021"), 2),
            2021: targets.whole("F020"),
        },
        "drug_solved": {**DRUG_SOLVED, 2021: targets.whole("F034")},
    }


def _split(solved: int) -> tuple[int, int, int]:
    """Cases solved in a year: (filed that year, filed the year before, filed two years before)."""
    this, before = int(round(0.7 * solved)), int(round(0.25 * solved))
    return this, before, solved - this - before


def cases(year: int, seed: int, scale: float) -> pd.DataFrame:
    """Cases filed in ``year``. Solved fraud and drug cases of a year are split between cases filed
    that year (70%), the year before (25%) and two years before (5%), so each year's file carries
    shares of the next two years' solved cases too: a report that counted only this year's and
    last year's files would miss 5% of them."""
    rng = rng_for(seed, "cases", year)
    c = case_counts()
    criminal, admin = scaled(c["criminal"][year], scale), scaled(c["admin"][year], scale)
    fraud = scaled(c["fraud_filed"][year], scale)
    drugs_total = max(1, criminal // 25)
    kinds = np.array(["刑事"] * criminal + ["行政"] * admin, dtype=object)
    types = np.empty(criminal + admin, dtype=object)
    types[:fraud] = "电信网络诈骗"
    types[fraud : fraud + drugs_total] = "毒品"
    types[fraud + drugs_total : criminal] = rng.choice(OTHER_TYPES, criminal - fraud - drugs_total)
    types[criminal:] = rng.choice(
        ["涉黄", "涉赌", "盗窃", "毒品", "其他"], admin, p=[0.1, 0.12, 0.3, 0.08, 0.4]
    )
    filed = dates(rng, year, criminal + admin)[rng.permutation(criminal + admin)]
    solved = np.full(criminal + admin, np.datetime64("NaT"), dtype="datetime64[D]")
    year_end = np.datetime64(f"{year}-12-31")

    def within_year(index: np.ndarray, longest: int) -> np.ndarray:
        """Solved 0 to ``longest`` days after filing, never after the year end."""
        room = np.minimum((year_end - filed[index]).astype(int) + 1, longest)
        return filed[index] + (rng.random(len(index)) * room).astype(int)

    def solve(kind_index: np.ndarray, n_this: int, n_next: int, n_after: int) -> None:
        """Mark ``n_this`` cases solved this year, ``n_next`` next year, ``n_after`` the year after."""
        total = n_this + n_next + n_after
        pick = rng.choice(kind_index, min(len(kind_index), total), replace=False)
        this, nxt, after = pick[:n_this], pick[n_this : n_this + n_next], pick[n_this + n_next :]
        solved[this] = within_year(this, 60)
        solved[nxt] = np.datetime64(f"{year + 1}-01-01") + rng.integers(0, 200, len(nxt))
        solved[after] = np.datetime64(f"{year + 2}-01-01") + rng.integers(0, 300, len(after))

    for name, type_name in (("fraud_solved", "电信网络诈骗"), ("drug_solved", "毒品")):
        counts = c[name]
        this_year = _split(scaled(counts[year], scale))[0]
        next_year = _split(scaled(counts.get(year + 1, counts[year]), scale))[1]
        after = _split(scaled(counts.get(year + 2, counts.get(year + 1, counts[year])), scale))[2]
        solve(np.flatnonzero(types[:criminal] == type_name), this_year, next_year, after)
    others = np.flatnonzero(pd.isna(solved) & (types != "电信网络诈骗") & (types != "毒品"))
    done = rng.choice(others, len(others) * 2 // 5, replace=False)
    solved[done] = within_year(done, 90)
    status = np.where(kinds == "刑事", "已立案", "已受理").astype(object)
    frame = pd.DataFrame(
        {
            "kind": kinds,
            "case_type": types,
            "filed_date": filed,
            "solved_date": solved,
            "status": status,
        }
    )
    withdrawn = frame.sample(
        n=max(2, len(frame) // 200), random_state=int(rng.integers(1 << 31))
    ).assign(status="已撤销")
    frame = pd.concat([frame, withdrawn], ignore_index=True)
    frame["filed_date"] = pd.to_datetime(frame["filed_date"])
    frame["solved_date"] = pd.to_datetime(frame["solved_date"])
    frame = frame.sort_values("filed_date", kind="stable").reset_index(drop=True)
    frame.insert(0, "case_id", np.arange(1, len(frame) + 1, dtype=np.int64) + year * 10_000_000)
    return frame


def persons(year: int, seed: int, scale: float) -> pd.DataFrame:
    """People caught: telecom-fraud suspects as calibrated (9559 in 2021 against 5412), many others."""
    rng = rng_for(seed, "persons", year)
    caught_21 = targets.whole("F022")
    fraud = {
        **FRAUD_CAUGHT,
        2021: caught_21,
        2020: targets.prior_for(caught_21, targets.value("F023"), 2),
    }[year]
    fraud = scaled(fraud, scale)
    other = scaled(78_000 + 1_500 * (year - 2019), scale)
    n = fraud + other
    types = np.array(
        ["电信网络诈骗"] * fraud + list(rng.choice(OTHER_TYPES + ["毒品"], other)), dtype=object
    )
    role = np.where(rng.random(n) < 0.55, "犯罪嫌疑人", "违法行为人").astype(object)
    role[:fraud] = "犯罪嫌疑人"
    frame = pd.DataFrame(
        {
            "caught_date": pd.to_datetime(dates(rng, year, n))[rng.permutation(n)],
            "case_type": types,
            "role": role,
        }
    )
    frame = frame.sort_values("caught_date", kind="stable").reset_index(drop=True)
    frame.insert(0, "person_id", np.arange(1, n + 1, dtype=np.int64) + year * 10_000_000)
    return frame


def measures(year: int, seed: int, scale: float) -> pd.DataFrame:
    """Measures decided: the persons under each of the three the report compares are calibrated
    (the report counts persons), and 4% of them have the measure decided twice, so counting
    measures instead of persons gives other figures. Other measures are noise."""
    rng = rng_for(seed, "measures", year)
    kinds_, persons_ = [], []
    for name, (persons_by_year, fid) in MEASURES.items():
        now, before = _pair(fid, persons_by_year[2020])
        n = scaled({**persons_by_year, 2020: before, 2021: now}[year], scale)
        people = rng.choice(3 * n + 10, n, replace=False)
        people = np.concatenate([people, rng.choice(people, max(1, n // 25))])  # decided twice
        kinds_.append(np.full(len(people), name, dtype=object))
        persons_.append(people)
    for name, count in OTHER_MEASURES.items():
        kinds_.append(np.full(scaled(count, scale), name, dtype=object))
        persons_.append(rng.integers(0, 90_000, scaled(count, scale)))
    kinds, people = np.concatenate(kinds_), np.concatenate(persons_)
    n = len(kinds)
    withdrawn = max(3, n // 150)
    kinds = np.concatenate([kinds, rng.choice(list(MEASURES), withdrawn)])
    people = np.concatenate([people, rng.integers(0, 90_000, withdrawn)])
    frame = pd.DataFrame(
        {
            "person_id": people.astype(np.int64) + year * 10_000_000,
            "measure": kinds,
            "status": ["有效"] * n + ["已撤销"] * withdrawn,
            "decided_date": pd.to_datetime(dates(rng, year, len(kinds)))[
                rng.permutation(len(kinds))
            ],
        }
    )
    frame = frame.sort_values("decided_date", kind="stable").reset_index(drop=True)
    frame.insert(0, "measure_id", np.arange(1, len(frame) + 1, dtype=np.int64) + year * 10_000_000)
    return frame


def province_cities(year: int, seed: int) -> pd.DataFrame:
    """All 21 cities of the province; 东莞 ranks as published in 2021 and consistently with its own tables."""
    rng = rng_for(seed, "province_cities", year)
    grow = {2020: 0.985, 2021: 1.0, 2022: 1.004, 2023: 1.007}[year]
    pop = {c: int(p * grow) for c, p in POPULATION.items()}
    rate = {c: r for c, r in zip(CITIES, rng.uniform(0.38, 0.66, len(CITIES)), strict=True)}
    rate["东莞"] = {2020: 0.612, 2021: 0.70, 2022: 0.731, 2023: 0.748}[year]
    frame = pd.DataFrame({"city": CITIES, "population": [pop[c] for c in CITIES]})
    frame["app_registered"] = [int(pop[c] * rate[c]) for c in CITIES]
    frame["app_covered"] = [int(pop[c] * min(0.95, rate[c] + 0.06)) for c in CITIES]
    fraud_now = {c: int(pop[c] * rng.uniform(1.2, 2.6) / 1000) for c in CITIES}
    frame["fraud_alarms"] = [fraud_now[c] for c in CITIES]
    frame["fraud_cases"] = [int(fraud_now[c] * rng.uniform(0.55, 0.75)) for c in CITIES]
    dg = frame.index[frame["city"] == "东莞"][0]
    alarms_by_year, filed = crime_alarm_counts(), case_counts()["fraud_filed"]
    frame.loc[dg, "fraud_alarms"] = alarms_by_year[year][1]
    frame.loc[dg, "fraud_cases"] = filed[year]
    if year == 2021:
        # registration: 70.87% and first; coverage 741.81万 and third (广州, 深圳 cover more)
        dg_pop = frame.loc[dg, "population"]
        target = targets.value("F024") / 100
        frame.loc[dg, "app_registered"] = next(
            r
            for r in range(int(dg_pop * target) - 50, int(dg_pop * target) + 50)
            if round(Decimal(r) / dg_pop * 100, 2) == targets.value("F024")
        )
        frame.loc[dg, "app_covered"] = targets.whole("F026")
        for big, share in (("广州", 0.62), ("深圳", 0.66)):
            i = frame.index[frame["city"] == big][0]
            frame.loc[i, "app_registered"] = int(frame.loc[i, "population"] * share)
            frame.loc[i, "app_covered"] = int(frame.loc[i, "population"] * (share + 0.05))
    return frame.assign(year=year)[
        [
            "year",
            "city",
            "population",
            "app_registered",
            "app_covered",
            "fraud_alarms",
            "fraud_cases",
        ]
    ]


def rank_declines(frames: dict[int, pd.DataFrame]) -> None:
    """Make 东莞's 2021 declines rank 2nd (alarms) and 3rd (cases) by adjusting other cities' 2021 counts."""
    now, before = frames[2021].set_index("city"), frames[2020].set_index("city")
    for col, rank in (
        ("fraud_alarms", targets.whole("F030")),
        ("fraud_cases", targets.whole("F031")),
    ):
        dg = now.loc["东莞", col] / before.loc["东莞", col] - 1
        others = [c for c in CITIES if c != "东莞"]
        for i, city in enumerate(others):
            # the first rank-1 cities fall further than 东莞, the rest less
            ratio = (1 + dg - 0.03 - 0.01 * i) if i < rank - 1 else (1 + dg + 0.05 + 0.015 * i)
            now.loc[city, col] = int(before.loc[city, col] * max(0.05, ratio))
    frames[2021] = now.reset_index()[frames[2021].columns]


def gangs(year: int, seed: int) -> pd.DataFrame:
    rng = rng_for(seed, "gangs", year)
    published = {
        "黑社会性质组织": "F015",
        "恶势力犯罪集团": "F016",
        "网络裸聊敲诈勒索团伙": "F017",
        "其它网黑团伙": "F018",
    }
    if year == 2021:
        counts = {k: targets.whole(f) for k, f in published.items()}
        counts["走私犯罪团伙"] = targets.whole("F036") + 4  # published as 30多个
    else:
        base = {
            2019: (4, 31, 40, 5, 22),
            2020: (3, 28, 96, 7, 27),
            2022: (1, 19, 112, 11, 25),
            2023: (1, 16, 87, 9, 21),
        }[year]
        counts = dict(zip([*published, "走私犯罪团伙"], base, strict=True))
    counts.update(
        {"电诈犯罪团伙": int(rng.integers(50, 90)), "其他犯罪团伙": int(rng.integers(30, 60))}
    )
    cats = [k for k, n in counts.items() for _ in range(n)]
    frame = pd.DataFrame(
        {"category": cats, "dismantled_date": dates(rng, year, len(cats)).astype(str)}
    )
    frame["members"] = rng.integers(3, 40, len(frame))
    frame["status"] = "已认定"
    extra = frame.sample(n=2, random_state=int(rng.integers(1 << 31))).assign(status="已撤销")
    frame = pd.concat(
        [frame, extra, strays(frame, rng, year, "dismantled_date", n=1)], ignore_index=True
    )
    return stamp(frame, "gang_id", "TH", year, "dismantled_date", 4)


def fugitives(year: int, seed: int, scale: float) -> pd.DataFrame:
    rng = rng_for(seed, "fugitives", year)
    targeted = (
        targets.whole("F019") if year == 2021 else {2019: 21, 2020: 12, 2022: 19, 2023: 16}[year]
    )
    ministry = targeted // 3
    levels = (
        ["公安部目标逃犯"] * ministry
        + ["省公安厅目标逃犯"] * (targeted - ministry)
        + ["一般逃犯"] * scaled(1_900, scale)
    )
    frame = pd.DataFrame(
        {"level": levels, "caught_date": dates(rng, year, len(levels)).astype(str)}
    )
    return stamp(frame, "record_id", "ZT", year, "caught_date")


def commendations(year: int, seed: int) -> pd.DataFrame:
    rng = rng_for(seed, "commendations", year)
    if year == 2021:
        plan = [
            ("公安部", "涉黄赌", targets.whole("F032")),
            ("省公安厅", "涉黄赌", targets.whole("F033")),
            ("省公安厅", "走私", targets.whole("F037")),
        ]
    else:
        plan = [
            ("公安部", "涉黄赌", int(rng.integers(0, 2))),
            ("省公安厅", "涉黄赌", int(rng.integers(2, 6))),
            ("省公安厅", "走私", int(rng.integers(1, 5))),
        ]
    plan += [("省公安厅", "电诈", 3), ("市委市政府", "扫黑除恶", 2), ("公安部", "毒品", 1)]
    rows = [(i, c) for i, c, n in plan for _ in range(n)]
    frame = pd.DataFrame(rows, columns=["issuer", "campaign"])
    frame["received_date"] = dates(rng, year, len(frame)).astype(str)
    frame["subject"] = [f"{c}专项行动战果" for c in frame["campaign"]]
    return stamp(frame, "record_id", "HD", year, "received_date", 3)


def drug_seizures(year: int, seed: int) -> pd.DataFrame:
    rng = rng_for(seed, "drug_seizures", year)
    kg = (
        targets.whole("F035")
        if year == 2021
        else {2019: 512, 2020: 441, 2022: 287, 2023: 243}[year]
    )
    n = 300
    grams = split_total(rng, kg * 1000 + 180, n, floor=5) - 0.4 * (
        np.arange(n) % 2
    )  # 326.0xx kg, decimals
    frame = pd.DataFrame(
        {
            "seized_date": dates(rng, year, n).astype(str),
            "grams": np.round(grams, 1),
            "drug": rng.choice(
                ["冰毒", "海洛因", "氯胺酮", "大麻", "摇头丸", "其他"],
                n,
                p=[0.45, 0.15, 0.2, 0.08, 0.07, 0.05],
            ),
        }
    )
    return stamp(frame, "seizure_id", "JD", year, "seized_date", 4)


SPECIAL = {
    2021: [
        ("1.1", "“1.1”案", "偷渡", "公安部", 23, None, None),
        ("小鱼鱼", "“小鱼鱼”案", "偷渡", "省公安厅", 17, None, None),
        ("8.23", "“8.23”案", "偷渡", "省公安厅", 12, None, None),
        ("8.27", "“8.27”案", "偷渡", "公安部", 15, None, None),
        ("飓风302号", "“飓风302号”地下钱庄犯罪专案", "地下钱庄", "公安部", 46, 380_000_000.0, None),
        # its remark is computed: the largest insurance fraud in every year's register
        ("10.22", "“10.22”保险诈骗系列案", "保险诈骗", "省公安厅", 112, 11_036_500.0, None),
        (
            "9·07",
            "“9·07”华风传销案",
            "传销",
            "公安部",
            57,
            64_000_000.0,
            "被公安部评为全国网络传销案件6大精品案例之一",
        ),
    ],
    2020: [
        ("5.12", "“5.12”偷渡案", "偷渡", "省公安厅", 9, None, None),
        ("雷霆", "“雷霆”地下钱庄专案", "地下钱庄", "省公安厅", 31, 120_000_000.0, None),
        ("7.09", "“7.09”保险诈骗案", "保险诈骗", "省公安厅", 64, 5_300_000.0, None),
    ],
    2022: [
        ("3.08", "“3.08”保险诈骗案", "保险诈骗", "省公安厅", 38, 4_200_000.0, None),
        ("6.16", "“6.16”偷渡案", "偷渡", "公安部", 11, None, None),
    ],
    2019: [
        ("11.9", "“11.9”传销案", "传销", "省公安厅", 40, 21_000_000.0, None),
        ("4.17", "“4.17”保险诈骗案", "保险诈骗", "省公安厅", 27, 2_900_000.0, None),
    ],
    2023: [
        ("2.15", "“2.15”保险诈骗案", "保险诈骗", "省公安厅", 29, 3_600_000.0, None),
        ("7.21", "“7.21”偷渡案", "偷渡", "公安部", 14, None, None),
        ("9.13", "“9.13”地下钱庄案", "地下钱庄", "省公安厅", 22, 86_000_000.0, None),
    ],
}


def special_cases(year: int, seed: int) -> pd.DataFrame:
    rng = rng_for(seed, "special_cases", year)
    frame = pd.DataFrame(
        SPECIAL[year],
        columns=["case_code", "name", "category", "supervised_by", "persons", "amount", "remark"],
    )
    frame["solved_date"] = dates(rng, year, len(frame)).astype(str)
    return frame


def school_enrollments(year: int, seed: int) -> pd.DataFrame | None:
    """All admissions since the school opened in July 2020, as known at the end of ``year``."""
    if year < 2020:
        return None
    rng = rng_for(seed, "school_enrollments", 0)  # one history, cut at each year end
    # admitted 2020: 278 (236 left in 2020, 42 in 2021); admitted 2021: 250 (150 left in 2021, 100 still in);
    # gives 528 since July 2020, 292 in school during 2021, 428 left, 21 of them reoffended (95%)
    plan = [
        (2020, 278, {2020: 236, 2021: 42}),
        (2021, 250, {2021: 150, 2022: 70}),
        (2022, 231, {2022: 120}),
    ]
    rows = []
    for admitted_year, n, leaving in plan:
        start = "2020-07-01" if admitted_year == 2020 else None
        admitted = dates(rng, admitted_year, n, first=start, last=f"{admitted_year}-11-30")
        left_year = np.array(
            [y for y, k in leaving.items() for _ in range(k)] + [0] * (n - sum(leaving.values()))
        )
        for a, ly in zip(admitted, left_year, strict=True):
            left = None
            if ly:
                lo = max(a + 30, np.datetime64(f"{ly}-01-01"))
                left = lo + int(
                    rng.integers(0, max(1, (np.datetime64(f"{ly}-12-31") - lo).astype(int)))
                )
            rows.append((a, left, ly))
    late = rng_for(seed, "school_enrollments", 2023)  # 2023 draws apart: earlier years unchanged
    rows = _school_2023(rows, late)
    frame = pd.DataFrame(rows, columns=["admitted_date", "left_date", "left_year"])
    reoffend = np.zeros(len(frame), dtype=bool)
    left_by_2021 = np.flatnonzero((frame["left_year"] > 0) & (frame["left_year"] <= 2021))
    reoffend[rng.choice(left_by_2021, 21, replace=False)] = True
    reoffend[late.choice(np.flatnonzero(frame["left_year"] == 2023), 2, replace=False)] = True
    frame["reoffended"] = np.where(reoffend, "是", "否")
    frame["student_id"] = [f"QH{i:05d}" for i in range(1, len(frame) + 1)]
    frame["enrollment_id"] = [f"RX{i:05d}" for i in range(1, len(frame) + 1)]
    frame = frame[frame["admitted_date"] <= np.datetime64(f"{year}-12-31")].copy()
    gone = frame["left_date"].notna() & (frame["left_year"] <= year)
    frame.loc[~gone, "left_date"] = None
    frame.loc[~gone, "reoffended"] = None
    frame["admitted_date"] = frame["admitted_date"].astype(str)
    frame["left_date"] = frame["left_date"].map(
        lambda d: None if d is None or pd.isna(d) else str(d)
    )
    return frame[["enrollment_id", "student_id", "admitted_date", "left_date", "reoffended"]]


def _school_2023(rows: list[tuple], rng: np.random.Generator) -> list[tuple]:
    """2023 in the school's history: of the students still in at the end of 2022, the 25 earliest
    admitted in 2021 and the 90 earliest admitted in 2022 leave; 214 are admitted, 95 of whom
    leave within the year. Rows are changed or added at the end only, so the files of earlier
    years stay as they were."""
    out, leaving = list(rows), {2021: 25, 2022: 90}
    for i, (a, _left, ly) in enumerate(rows):
        admitted_year = int(str(a)[:4])
        if ly == 0 and leaving.get(admitted_year, 0) > 0:
            leaving[admitted_year] -= 1
            out[i] = (a, _left_in(rng, a, 2023), 2023)
    admitted = dates(rng, 2023, 214, last="2023-11-30")
    for k, a in enumerate(admitted):
        out.append((a, _left_in(rng, a, 2023), 2023) if k < 95 else (a, None, 0))
    return out


def _left_in(rng: np.random.Generator, admitted: np.datetime64, year: int) -> np.datetime64:
    """A day in ``year`` at least 30 days after admission."""
    lo = max(admitted + 30, np.datetime64(f"{year}-01-01"))
    return lo + int(rng.integers(0, max(1, (np.datetime64(f"{year}-12-31") - lo).astype(int))))


HOUSES = {2020: 5_624_310, 2022: 6_051_877, 2023: 6_118_204}
HOUSES_2021 = 5_913_408  # shown as 591万


def rental_inspections(year: int, seed: int, scale: float) -> pd.DataFrame:
    """One row per inspection; 4% of dwellings are inspected twice."""
    rng = rng_for(seed, "rental_inspections", year)
    houses = scaled(HOUSES_2021 if year == 2021 else HOUSES[year], scale)
    repeat = houses // 25
    house = (
        np.concatenate([np.arange(houses, dtype=np.int64), rng.integers(0, houses, repeat)])
        + 4419_0000_0000
    )
    n = len(house)
    frame = pd.DataFrame(
        {
            "inspection_id": np.arange(1, n + 1, dtype=np.int64) + year * 100_000_000,
            "house_id": house,
            "inspected_date": pd.to_datetime(dates(rng, year, n)),
            "town": pd.Categorical.from_codes(rng.integers(0, len(TOWNS), n), TOWNS),
            "result": pd.Categorical.from_codes(
                rng.choice(3, n, p=[0.93, 0.06, 0.01]), ["正常", "责令整改", "移交处理"]
            ),
        }
    )
    return frame


def knife_seizures(year: int, seed: int, scale: float) -> pd.DataFrame:
    rng = rng_for(seed, "knife_seizures", year)
    total = (
        278_960
        if year == 2021
        else {2019: 154_300, 2020: 201_770, 2022: 236_420, 2023: 221_380}[year]
    )  # 2021: 27.9万
    n = scaled(9_000, scale)
    frame = pd.DataFrame(
        {
            "seized_date": dates(rng, year, n).astype(str),
            "town": rng.choice(TOWNS, n),
            "quantity": split_total(rng, scaled(total, scale), n),
        }
    )
    frame = pd.concat([frame, strays(frame, rng, year, "seized_date")], ignore_index=True)
    return stamp(frame, "record_id", "DJ", year, "seized_date")


ROSTER = {2020: (181_240, 6_812), 2022: (291_580, 10_214), 2023: (305_470, 10_862)}
ROSTER_2021 = (266_958, None)  # 26.7万 members; groups from F047


def volunteer_roster(year: int, seed: int, scale: float) -> pd.DataFrame:
    """Members at year end: every group has at least one member on the register."""
    rng = rng_for(seed, "volunteer_roster", year)
    members, groups = (ROSTER_2021[0], targets.whole("F047")) if year == 2021 else ROSTER[year]
    members, groups = scaled(members, scale), scaled(groups, scale)
    group = np.concatenate([np.arange(groups), rng.integers(0, groups, members - groups)])
    left = members // 40
    group = np.concatenate([group, rng.integers(0, groups + 50, left)])
    n = len(group)
    return pd.DataFrame(
        {
            "volunteer_id": np.arange(1, n + 1, dtype=np.int64) + year * 1_000_000,
            "group_id": np.char.add("YJ", group.astype(str)),
            "joined_date": pd.to_datetime(dates(rng, year, n, first="2020-03-01")),
            "status": ["在册"] * members + ["退出"] * left,
        }
    )


def register(
    table: str,
    year: int,
    seed: int,
    active: int,
    gone: int,
    prefix: str,
    on: str,
    off: str,
    extra: bool = False,
) -> pd.DataFrame:
    """A year-end register of teams or points: ``active`` listed, ``gone`` withdrawn."""
    rng = rng_for(seed, table, year)
    frame = pd.DataFrame(
        {"status": [on] * active + [off] * gone, "town": rng.choice(TOWNS, active + gone)}
    )
    if extra:
        frame["founded_date"] = dates(rng, year, len(frame), first="2020-06-01")[
            rng.permutation(len(frame))
        ].astype(str)
    frame.insert(
        0, f"{'team' if table == 'response_teams' else 'point'}_id", codes(prefix, year, len(frame))
    )
    return frame


def volunteer_results(year: int, seed: int) -> pd.DataFrame:
    rng = rng_for(seed, "volunteer_results", year)
    caught, deeds = (
        (targets.whole("F050"), targets.whole("F051"))
        if year == 2021
        else {2020: (410, 930), 2022: (742, 1_812), 2023: (815, 1_964)}[year]
    )
    n_caught = caught * 3 // 5
    kinds = ["协助抓获"] * n_caught + ["好人好事"] * deeds + ["提供线索"] * 900
    suspects = list(split_total(rng, caught, n_caught, floor=1)) + [0] * (deeds + 900)
    frame = pd.DataFrame(
        {
            "kind": kinds,
            "suspects": suspects,
            "record_date": dates(rng, year, len(kinds))[rng.permutation(len(kinds))].astype(str),
        }
    )
    frame = pd.concat([frame, strays(frame, rng, year, "record_date", n=2)], ignore_index=True)
    return stamp(frame, "record_id", "ZG", year, "record_date")


# accidents and deaths 2016–2023: 2021 falls furthest of the five years to 2021 (F052)
ACCIDENTS = {
    2016: (3_420, 620),
    2017: (3_310, 598),
    2018: (3_150, 575),
    2019: (3_020, 560),
    2020: (2_760, 520),
    2021: (2_310, 431),
    2022: (2_251, 420),
    2023: (2_236, 414),
}


def traffic_accidents(year: int, seed: int, scale: float) -> pd.DataFrame:
    rng = rng_for(seed, "traffic_accidents", year)
    n, deaths = (scaled(v, scale) for v in ACCIDENTS[year])
    dead = np.zeros(n, dtype=int)
    fatal = rng.choice(n, min(n, deaths * 9 // 10), replace=False)
    dead[fatal] = split_total(rng, deaths, len(fatal), floor=1) if len(fatal) else 0
    frame = pd.DataFrame(
        {
            "occurred_at": times(rng, year, n)[rng.permutation(n)],
            "town": rng.choice(TOWNS, n),
            "deaths": dead,
            "injuries": rng.integers(0, 4, n),
        }
    )
    frame["occurred_at"] = pd.to_datetime(frame["occurred_at"]).dt.strftime("%Y-%m-%d %H:%M:%S")
    return stamp(frame, "accident_id", "SG", year, "occurred_at")


def write_all(root: Path, seed: int, scale: float) -> list[Path]:
    out = []
    province = {y: province_cities(y, seed) for y in (2020, 2021, 2022, 2023)}
    rank_declines(province)
    for year, frame in province.items():
        out.append(
            write(
                frame,
                root,
                "province_cities",
                year,
                "xlsx",
                title=f"全省各市反诈工作指标（{year}年）",
            )
        )
    for year in YEARS:
        out.append(write(alarms(year, seed, scale), root, "alarms", year, "parquet"))
        out.append(write(persons(year, seed, scale), root, "persons", year, "parquet"))
        out.append(write(measures(year, seed, scale), root, "measures", year, "parquet"))
        out.append(
            write(gangs(year, seed), root, "gangs", year, "csv", encoding="gb18030", chinese=True)
        )
        out.append(write(fugitives(year, seed, scale), root, "fugitives", year, "csv"))
        out.append(
            write(
                commendations(year, seed),
                root,
                "commendations",
                year,
                "csv",
                encoding="utf-8-sig",
                chinese=True,
            )
        )
        out.append(write(drug_seizures(year, seed), root, "drug_seizures", year, "csv"))
        out.append(write(special_cases(year, seed), root, "special_cases", year, "xlsx"))
        out.append(
            write(
                knife_seizures(year, seed, scale),
                root,
                "knife_seizures",
                year,
                "csv",
                encoding="gb18030",
                chinese=True,
            )
        )
    for year in (2018, *YEARS):  # solved-case figures read every earlier year on file
        out.append(write(cases(year, seed, scale), root, "cases", year, "parquet"))
    for year in (2020, 2021, 2022, 2023):
        out.append(
            write(
                school_enrollments(year, seed),
                root,
                "school_enrollments",
                year,
                "csv",
                encoding="utf-8-sig",
                chinese=True,
            )
        )
        out.append(
            write(
                rental_inspections(year, seed, scale), root, "rental_inspections", year, "parquet"
            )
        )
        out.append(
            write(volunteer_roster(year, seed, scale), root, "volunteer_roster", year, "parquet")
        )
        teams = {2020: 2_104, 2021: targets.whole("F048"), 2022: 3_561, 2023: 3_802}[year]
        points = {2020: 642, 2021: targets.whole("F049"), 2022: 1_047, 2023: 1_126}[year]
        out.append(
            write(
                register("response_teams", year, seed, teams, 20, "XG", "在册", "撤销", extra=True),
                root,
                "response_teams",
                year,
                "xlsx",
            )
        )
        out.append(
            write(
                register("rally_points", year, seed, points, 7, "ZJ", "在用", "停用"),
                root,
                "rally_points",
                year,
                "xlsx",
            )
        )
        out.append(write(volunteer_results(year, seed), root, "volunteer_results", year, "csv"))
    for year in range(2016, YEARS[-1] + 1):
        out.append(
            write(traffic_accidents(year, seed, scale), root, "traffic_accidents", year, "csv")
        )
    return out
