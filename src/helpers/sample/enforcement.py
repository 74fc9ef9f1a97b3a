"""Sample tables of 一(四) 严格规范公正文明执法."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from helpers.sample import targets
from helpers.sample.random import codes, dates, rng_for, stamp
from helpers.sample.writers import write

YEARS = (2019, 2020, 2021, 2022, 2023)
NAMED_2021 = [
    "关于依法打击非法开办贩卖电话卡、银行卡等违法犯罪行为的执法指引",
    "东莞市公安机关涉失踪人员警情处置和案件受理侦办实施细则",
    "东莞市公安局办理养犬违法行为执法指引",
]
TOPICS = [
    "醉驾案件",
    "电动自行车违法行为",
    "噪声扰民",
    "网络谣言",
    "非法集资",
    "寻衅滋事",
    "涉疫违法行为",
    "家庭暴力",
    "未成年人违法犯罪",
    "涉枪涉爆",
    "危险驾驶",
    "非法采砂",
    "食品药品犯罪",
    "侵犯知识产权",
    "跨境赌博",
    "高空抛物",
    "电信网络诈骗",
    "帮信犯罪",
    "行政案件快速办理",
    "涉案财物管理",
    "执法记录仪使用",
    "非法行医",
    "虐待动物",
]
GUIDELINES = {2019: 14, 2020: 17, 2022: 26, 2023: 22}


def guidelines(year: int, seed: int) -> pd.DataFrame:
    rng = rng_for(seed, "guidelines", year)
    n = 23 if year == 2021 else GUIDELINES[year]  # 2021: published as 20多份
    titles = (NAMED_2021 if year == 2021 else []) + [
        f"东莞市公安局关于{t}的执法指引（{year}年版）" for t in TOPICS
    ]
    titles += [f"东莞市公安局执法工作规范第{i}号（{year}年）" for i in range(1, n + 1)]
    frame = pd.DataFrame(
        {
            "title": titles[:n] + [f"东莞市公安局{year}年旧版执法指引"],
            "issued_date": np.concatenate([dates(rng, year, n), dates(rng, year, 1)]).astype(str),
            "status": ["有效"] * n + ["废止"],
        }
    )
    frame.insert(0, "doc_id", [f"东公法〔{year}〕{i}号" for i in range(1, len(frame) + 1)])
    return frame


def case_reviews(year: int, seed: int) -> pd.DataFrame:
    rng = rng_for(seed, "case_reviews", year)
    rounds, cases, alarms = (
        (targets.whole("F060"), targets.whole("F061"), targets.whole("F062"))
        if year == 2021
        else {
            2019: (6, 1_840, 1_210),
            2020: (8, 2_310, 2_050),
            2022: (10, 3_020, 2_880),
            2023: (10, 3_150, 2_960),
        }[year]
    )
    objects = ["案件"] * cases + ["警情"] * alarms
    which = rng.integers(1, rounds + 1, len(objects))
    which[:rounds] = np.arange(1, rounds + 1)  # every round reviews something
    days = {r: d for r, d in zip(range(1, rounds + 1), dates(rng, year, rounds), strict=True)}
    frame = pd.DataFrame(
        {
            "round": [f"{year}年第{r}批" for r in which],
            "object": objects,
            "review_date": [str(days[r]) for r in which],
            "result": rng.choice(["合格", "瑕疵", "不合格"], len(objects), p=[0.86, 0.11, 0.03]),
        }
    )
    return stamp(frame, "review_id", "KP", year, "review_date")


def inspections(year: int, seed: int) -> pd.DataFrame:
    rng = rng_for(seed, "inspections", year)
    special = {
        2021: ["塘厦分局", "樟木头分局", "塘厦分局"],
        2020: ["长安分局"],
        2022: ["凤岗分局", "清溪分局"],
        2019: ["虎门分局"],
        2023: ["麻涌分局", "黄江分局"],
    }[year]
    routine = list(
        rng.choice(
            ["莞城分局", "南城分局", "东城分局", "万江分局", "虎门分局", "长安分局", "厚街分局"], 20
        )
    )
    frame = pd.DataFrame(
        {
            "unit": special + routine,
            "kind": ["专项执法巡查"] * len(special) + ["日常巡查"] * len(routine),
        }
    )
    frame["inspected_date"] = dates(rng, year, len(frame))[rng.permutation(len(frame))].astype(str)
    return stamp(frame, "record_id", "XC", year, "inspected_date", 3)


def it_functions(year: int, seed: int) -> pd.DataFrame:
    counts = (
        (targets.whole("F064"), targets.whole("F065"), targets.whole("F066"))
        if year == 2021
        else {2019: (8, 10, 40), 2020: (19, 22, 96), 2022: (41, 39, 188), 2023: (46, 44, 205)}[year]
    )
    named = ["非税罚没", "物价认定", "监所羁押"]
    rows = []
    for cat, n, stem in zip(
        ["协同业务", "大数据服务", "风险监督"],
        counts,
        ["协同流转事项", "大数据服务", "智能风险监督点"],
        strict=True,
    ):
        names = (named if cat == "协同业务" else []) + [f"{stem}{i:03d}" for i in range(1, n + 1)]
        rows += [(cat, name, "在用") for name in names[:n]] + [(cat, f"{stem}（旧）", "停用")]
    frame = pd.DataFrame(rows, columns=["category", "name", "status"])
    frame.insert(0, "function_id", codes("GN", year, len(frame), 4))
    return frame


def honours(year: int, seed: int) -> pd.DataFrame:
    rng = rng_for(seed, "honours", year)
    plan = {
        2021: [
            ("厚街分局办案中心", "全省公安机关执法示范单位"),
            ("虎门分局", "全省公安机关执法示范单位"),
            ("南城分局", "全省公安机关优秀基层单位"),
        ],
        2020: [("长安分局", "全省公安机关执法示范单位")],
        2022: [("松山湖分局", "全省公安机关执法示范单位")],
        2019: [("莞城分局", "全省公安机关优秀基层单位")],
        2023: [("寮步分局", "全省公安机关执法示范单位")],
    }[year]
    frame = pd.DataFrame(plan, columns=["unit", "honour"])
    frame["issuer"] = "广东省公安厅"
    frame["awarded_date"] = dates(rng, year, len(frame)).astype(str)
    return stamp(frame, "record_id", "RY", year, "awarded_date", 3)


def write_all(root: Path, seed: int, scale: float) -> list[Path]:
    out = []
    for year in YEARS:
        out.append(
            write(
                guidelines(year, seed),
                root,
                "guidelines",
                year,
                "xlsx",
                title=f"{year}年规范性文件目录",
            )
        )
        out.append(write(case_reviews(year, seed), root, "case_reviews", year, "csv"))
        out.append(write(inspections(year, seed), root, "inspections", year, "csv", chinese=True))
        out.append(write(it_functions(year, seed), root, "it_functions", year, "xlsx"))
        out.append(
            write(
                honours(year, seed),
                root,
                "honours",
                year,
                "csv",
                encoding="utf-8-sig",
                chinese=True,
            )
        )
    return out
