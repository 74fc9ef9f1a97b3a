"""Sample tables of 一(五) 放管服: service catalog, home visits, outreach sessions, 12345 tickets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.sample import targets
from helpers.sample.places import BRANCHES
from helpers.sample.random import day_in_year, rng_for, scaled, strays
from helpers.sample.writers import write_csv, write_xlsx

YEARS = (2019, 2020, 2021, 2022, 2023)

# in-use items (户政 city-wide, cross-province) of years other than 2021
ITEM_COUNTS = {2019: (20, 0), 2020: (38, 62), 2022: (58, 132), 2023: (61, 140)}
CATEGORY_SIZES = {
    "户政": 70,
    "车驾管": 62,
    "出入境": 35,
    "治安": 40,
    "监管": 10,
    "网安": 8,
    "其他": 12,
}
NAMES = {
    "户政": [
        "稳定居住就业",
        "市外迁入",
        "户口迁移",
        "出生登记",
        "投靠落户",
        "人才引进落户",
        "毕业生落户",
        "死亡注销",
        "户籍证明",
        "姓名变更",
        "居民身份证申领",
        "居民身份证换领",
        "居民身份证补领",
        "临时居民身份证",
        "居住证签注",
        "出生日期更正",
        "民族成分变更",
        "户口迁出",
        "分户",
        "立户",
    ],
    "车驾管": [
        "二手车异地交易登记",
        "机动车注册登记",
        "机动车转移登记",
        "驾驶证换证",
        "驾驶证补证",
        "机动车检验标志核发",
        "临时号牌核发",
        "驾驶证审验",
        "违法处理",
        "机动车抵押登记",
    ],
    "出入境": [
        "往来港澳通行证签注",
        "普通护照签发",
        "往来台湾通行证签发",
        "出入境记录查询",
        "外国人签证延期",
    ],
    "治安": [
        "旅馆业特种行业许可",
        "大型活动安全许可",
        "保安服务许可",
        "剧毒化学品购买许可",
        "犬只登记",
    ],
    "监管": ["律师会见预约", "家属会见预约", "在押人员财物转交"],
    "网安": ["网站备案", "网络安全等级保护备案"],
    "其他": ["无犯罪记录证明", "交通事故认定书查询", "证件邮寄送达"],
}
VARIANTS = [
    "",
    "（网上办理）",
    "（窗口办理）",
    "（港澳台居民）",
    "（外国人）",
    "（集体户）",
    "（加急）",
]

# counted complaint and praise tickets per year; 2020 is the base 2021 is calibrated against
TICKETS = {
    "投诉": {2019: 7420, 2020: 8137, 2022: 2210, 2023: 2053},
    "表扬": {2019: 860, 2020: 1004, 2022: 1408, 2023: 1517},
}
OTHER_TICKETS = {2019: 52_000, 2020: 61_000, 2021: 57_000, 2022: 55_000, 2023: 54_000}
HOME = {2019: 640, 2020: 903, 2022: 1410, 2023: 1532}
OUTREACH = {2019: (96, 5210), 2020: (121, 6893), 2022: (205, 11870), 2023: (226, 12_940)}


def _names(category: str, n: int) -> list[str]:
    base = NAMES[category]
    return [
        base[i % len(base)]
        + VARIANTS[(i // len(base)) % len(VARIANTS)]
        + (f"{i // (len(base) * len(VARIANTS)) + 1}" if i >= len(base) * len(VARIANTS) else "")
        for i in range(n)
    ]


def service_items(year: int, seed: int) -> pd.DataFrame:
    """The catalog at year end; the first flagged rows are the ones the text names."""
    rng = rng_for(seed, "service_items", year)
    if year == 2021:
        n_city, n_cross = targets.whole("F068"), targets.whole("F069")
    else:
        n_city, n_cross = ITEM_COUNTS[year]
    rows = []
    for cat, size in CATEGORY_SIZES.items():
        for i, name in enumerate(_names(cat, size)):
            rows.append({"category": cat, "item_name": name, "order": i})
    items = pd.DataFrame(rows)
    featured = [
        "稳定居住就业",
        "市外迁入",
        "户口迁移",
        "二手车异地交易登记",
    ]  # named in the text: top of the file
    items = pd.concat(
        [items[items["item_name"].isin(featured)], items[~items["item_name"].isin(featured)]],
        ignore_index=True,
    )
    items["status"] = "在用"
    hz = items.index[items["category"] == "户政"]
    items["city_wide"] = False
    items.loc[hz[:n_city], "city_wide"] = True
    items.loc[items.index[items["category"] == "车驾管"][:10], "city_wide"] = (
        True  # not counted: not 户政
    )
    items["cross_province"] = False
    first = [2, 3]  # 户口迁移, 二手车异地交易登记; rows 0 and 1 stay city-wide only
    rest = [i for i in rng.permutation(items.index) if i > 3]
    items.loc[(first + rest)[:n_cross], "cross_province"] = True  # 2019: none yet
    retired = pd.DataFrame(
        {
            "category": ["户政", "车驾管", "出入境"],
            "item_name": ["户口簿换领（旧）", "机动车登记（旧）", "港澳签注（旧）"],
            "order": 999,
            "status": "停用",
            "city_wide": True,
            "cross_province": True,
        }
    )
    items = pd.concat([items, retired], ignore_index=True)
    prefix = {
        "户政": "HZ",
        "车驾管": "CJ",
        "出入境": "CR",
        "治安": "ZA",
        "监管": "JG",
        "网安": "WA",
        "其他": "QT",
    }
    # numbered in catalog order, so the items the text names (the first flagged) come first
    items["item_id"] = [f"4419{i + 1:05d}{prefix[c]}" for i, c in enumerate(items["category"])]
    yn = {True: "是", False: "否"}
    items["city_wide"] = items["city_wide"].map(yn)
    items["cross_province"] = items["cross_province"].map(yn)
    return items[["item_id", "item_name", "category", "city_wide", "cross_province", "status"]]


def home_services(year: int, seed: int, scale: float) -> pd.DataFrame:
    """Home visits: some residents visited twice, some visits cancelled, a few dated the year before."""
    rng = rng_for(seed, "home_services", year)
    persons = scaled(targets.whole("F070") if year == 2021 else HOME[year], scale)
    ids = [f"P{year}{i:06d}" for i in range(persons)]
    twice = list(rng.choice(ids, size=persons // 10, replace=False)) if persons >= 10 else []
    cancelled = [f"C{year}{i:06d}" for i in range(max(1, persons // 30))]
    people = ids + twice + cancelled
    n = len(people)
    reason = rng.choice(["高龄", "伤残", "疾病"], size=n, p=[0.6, 0.25, 0.15])
    age = np.where(reason == "高龄", rng.integers(80, 101, n), rng.integers(25, 95, n))
    frame = pd.DataFrame(
        {
            "service_date": [day_in_year(rng, year) for _ in range(n)],
            "person_id": people,
            "age": age,
            "reason": reason,
            "business": rng.choice(["户籍", "居民身份证", "居住证"], size=n, p=[0.35, 0.5, 0.15]),
            "status": ["已办结"] * (len(ids) + len(twice)) + ["已取消"] * len(cancelled),
        }
    )
    frame = pd.concat([frame, strays(frame, rng, year, "service_date")], ignore_index=True)
    frame = frame.sort_values(["service_date", "person_id"], kind="stable").reset_index(drop=True)
    frame.insert(0, "record_id", [f"SM{year}{i:06d}" for i in range(len(frame))])
    return frame


def outreach_events(year: int, seed: int, scale: float) -> pd.DataFrame:
    """Outreach sessions: person-times split over the sessions held, plus cancelled ones."""
    rng = rng_for(seed, "outreach_events", year)
    sessions, people = (
        (targets.whole("F071"), targets.whole("F072")) if year == 2021 else OUTREACH[year]
    )
    sessions, people = scaled(sessions, scale), scaled(people, scale)
    floor = min(5, people // sessions)
    served = rng.multinomial(people - floor * sessions, np.ones(sessions) / sessions) + floor
    venue = rng.choice(
        ["企业", "社区", "村屯", "学校", "单位"], size=sessions, p=[0.35, 0.3, 0.1, 0.15, 0.1]
    )
    frame = pd.DataFrame(
        {
            "event_date": [day_in_year(rng, year) for _ in range(sessions)],
            "venue_type": venue,
            "persons_served": served,
            "status": "已开展",
        }
    )
    cancelled = frame.sample(n=min(3, sessions), random_state=rng.integers(1 << 31)).assign(
        status="已取消", persons_served=0
    )
    frame = pd.concat(
        [frame, cancelled, strays(frame, rng, year, "event_date", n=1)], ignore_index=True
    )
    towns = [
        "莞城",
        "南城",
        "东城",
        "万江",
        "石龙",
        "虎门",
        "长安",
        "厚街",
        "塘厦",
        "樟木头",
        "大朗",
        "松山湖",
    ]
    frame["venue"] = [f"{rng.choice(towns)}{v}服务点" for v in frame["venue_type"]]
    frame = frame.sort_values("event_date", kind="stable").reset_index(drop=True)
    frame.insert(0, "event_id", [f"YS{year}{i:04d}" for i in range(len(frame))])
    return frame[["event_id", "event_date", "venue_type", "venue", "persons_served", "status"]]


def _ticket_counts(year: int) -> dict[str, int]:
    if year in (2020, 2021):
        out = {}
        for cat, fid in (("投诉", "F073"), ("表扬", "F074")):
            current, prior = targets.calibrate_yoy(targets.value(fid), 1, TICKETS[cat][2020])
            out[cat] = current if year == 2021 else prior
        return out
    return {cat: TICKETS[cat][year] for cat in TICKETS}


def hotline_tickets(year: int, seed: int, scale: float) -> pd.DataFrame:
    """Tickets: counted ones exactly as calibrated, plus withdrawn, repeated and stray ones."""
    rng = rng_for(seed, "hotline_tickets", year)
    counted = {cat: scaled(n, scale) for cat, n in _ticket_counts(year).items()}
    other = scaled(OTHER_TICKETS[year], scale)
    cats = ["投诉"] * counted["投诉"] + ["表扬"] * counted["表扬"]
    cats += list(rng.choice(["咨询", "求助", "建议"], size=other, p=[0.6, 0.3, 0.1]))
    n_counted = len(cats)
    n_noise = max(2, n_counted // 25)
    cats += list(rng.choice(["投诉", "表扬", "咨询"], size=n_noise, p=[0.5, 0.2, 0.3]))
    n = len(cats)
    status = np.where(rng.random(n) < 0.03, "办理中", "已办结").astype(object)
    duplicate = np.zeros(n, dtype=bool)
    noise = np.arange(n_counted, n)
    half = len(noise) // 2
    status[noise[:half]] = "已撤销"
    duplicate[noise[half:]] = True
    # complaints fall over the year in 2021: weight later months less for that year
    weights = np.linspace(1.3, 0.7, 12) if year == 2021 else np.ones(12)
    months = rng.choice(np.arange(1, 13), size=n, p=weights / weights.sum())
    days = rng.integers(1, 29, n)
    seconds = rng.integers(8 * 3600, 22 * 3600, n)
    received = [
        dt.datetime(year, int(m), int(d)) + dt.timedelta(seconds=int(s))
        for m, d, s in zip(months, days, seconds, strict=True)
    ]
    units = [*BRANCHES, "交警支队", "出入境支队"]
    frame = pd.DataFrame(
        {
            "received_at": received,
            "category": cats,
            "status": status,
            "duplicate": np.where(duplicate, "是", "否"),
            "unit": rng.choice(units, size=n),
        }
    )
    frame = pd.concat([frame, strays(frame, rng, year, "received_at")], ignore_index=True)
    frame = frame.sort_values("received_at", kind="stable").reset_index(drop=True)
    frame.insert(0, "ticket_id", [f"12345-{year}-{i:07d}" for i in range(len(frame))])
    frame["received_at"] = pd.to_datetime(frame["received_at"]).dt.strftime("%Y-%m-%d %H:%M:%S")
    return frame


def write_all(root: Path, seed: int, scale: float) -> list[Path]:
    """Write this chapter's tables for every sample year, each in the format its source exports."""
    out = []
    for year in YEARS:
        out.append(
            write_xlsx(
                service_items(year, seed),
                root / "service_items" / f"{year}.xlsx",
                "service_items",
                title=f"东莞市公安局政务服务事项目录（截至{year}年12月31日）",
            )
        )
        out.append(
            write_csv(
                home_services(year, seed, scale),
                root / "home_services" / f"{year}.csv",
                "home_services",
            )
        )
        out.append(
            write_csv(
                outreach_events(year, seed, scale),
                root / "outreach_events" / f"{year}.csv",
                "outreach_events",
                encoding="utf-8-sig",
                chinese=True,
            )
        )
        out.append(
            write_csv(
                hotline_tickets(year, seed, scale),
                root / "hotline_tickets" / f"{year}.csv",
                "hotline_tickets",
                encoding="gb18030",
                chinese=True,
            )
        )
    return out
