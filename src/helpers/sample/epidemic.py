"""Sample tables of 一(二) 疫情常态化防控 (2020–2022: the epidemic years)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from helpers.sample import targets
from helpers.sample.random import codes, dates, rng_for, scaled, split_total, stamp, strays
from helpers.sample.writers import write

YEARS = (2020, 2021, 2022)
TASKS = {2020: 5210, 2022: 9120}
PERSONS = {2020: 623_417, 2022: 1_302_558}
PERSONS_2021 = 1_049_873  # shown as 105万
UNVERIFIED = 14  # still 100% once rounded
DEPLOYED = {2020: 9_870, 2022: 15_420}
DRIVER_SITES = {2020: 512, 2022: 1_006}
FACILITIES = {2020: (8, 0, 20), 2022: (12, 6, 30)}  # video rooms, booths, tablets
LOG_TOTALS = {2020: (3_120, 2_046, 1_388, 131, 72), 2022: (8_410, 6_115, 3_902, 366, 204)}
LOG_WINDOWS = {
    2020: ("2020-02-01", "2020-02-29"),
    2021: ("2021-12-13", "2021-12-31"),
    2022: ("2022-03-10", "2022-04-05"),
}
TOWNS = ["大朗", "莞城", "南城", "东城", "长安", "虎门", "厚街", "塘厦", "常平", "松山湖"]


def verification_tasks(year: int, seed: int) -> pd.DataFrame:
    rng = rng_for(seed, "verification_tasks", year)
    n = targets.whole("F002") if year == 2021 else TASKS[year]
    withdrawn = max(3, n // 200)
    frame = pd.DataFrame(
        {
            "issued_date": dates(rng, year, n + withdrawn).astype(str),
            "origin": rng.choice(
                ["省疫情防控指挥部", "市疫情防控指挥部", "省公安厅", "外市协查"],
                n + withdrawn,
                p=[0.3, 0.45, 0.15, 0.1],
            ),
            "status": ["已完成"] * n + ["已撤销"] * withdrawn,
        }
    )
    return stamp(frame, "task_id", "HC", year, "issued_date")


def verification_persons(
    year: int, seed: int, scale: float, tasks: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Persons to verify, each in a batch; returns the details and the batches with their sizes."""
    rng = rng_for(seed, "verification_persons", year)
    persons = scaled(PERSONS_2021 if year == 2021 else PERSONS[year], scale)
    repeats = persons // 30
    ids = (
        np.concatenate([np.arange(persons), rng.integers(0, persons, repeats)]) + year * 10_000_000
    )
    live = tasks[tasks["status"] != "已撤销"].reset_index(drop=True)
    which = rng.integers(0, len(live), len(ids))
    verified = np.ones(len(ids), dtype=bool)
    verified[rng.choice(len(ids), min(UNVERIFIED, len(ids)), replace=False)] = False
    frame = pd.DataFrame(
        {
            "record_id": np.arange(1, len(ids) + 1, dtype=np.int64) + year * 100_000_000,
            "task_id": live["task_id"].to_numpy()[which],
            "person_id": ids.astype(np.int64),
            "assigned_date": pd.to_datetime(live["issued_date"].to_numpy()[which]),
            "verified": verified,
        }
    )
    sizes = frame.groupby("task_id").size()
    tasks = tasks.assign(persons_assigned=tasks["task_id"].map(sizes).fillna(0).astype(int))
    return frame, tasks


def quarantine_deployments(year: int, seed: int) -> pd.DataFrame:
    rng = rng_for(seed, "quarantine_deployments", year)
    total = targets.whole("F005") if year == 2021 else DEPLOYED[year]
    sites = [f"集中隔离酒店{i:02d}" for i in range(1, 19)]
    n = total // 6
    frame = pd.DataFrame(
        {
            "duty_date": dates(rng, year, n).astype(str),
            "site": rng.choice(sites, n),
            "officers": split_total(rng, total, n, floor=2),
        }
    )
    frame = pd.concat([frame, strays(frame, rng, year, "duty_date", n=2)], ignore_index=True)
    return stamp(frame, "record_id", "PZ", year, "duty_date")


def venues(year: int, seed: int) -> pd.DataFrame:
    rng = rng_for(seed, "venues", year)
    drivers = targets.whole("F006") if year == 2021 else DRIVER_SITES[year]
    cats = (
        ["跨境司机定点活动场所"] * (drivers + 12)
        + ["集中隔离场所"] * 60
        + ["核酸检测点"] * 420
        + ["疫苗接种点"] * 310
    )
    status = ["在册"] * drivers + ["注销"] * 12 + ["在册"] * 790
    frame = pd.DataFrame({"category": cats, "status": status, "town": rng.choice(TOWNS, len(cats))})
    frame["name"] = [
        f"{t}{c}{i:04d}"
        for i, (t, c) in enumerate(zip(frame["town"], frame["category"], strict=True))
    ]
    frame.insert(0, "venue_id", codes("CS", year, len(frame), 5))
    return frame


def meeting_facilities(year: int, seed: int) -> pd.DataFrame:
    rng = rng_for(seed, "meeting_facilities", year)
    if year == 2021:
        rooms, booths, tablets = targets.whole("F007"), targets.whole("F008"), targets.whole("F009")
    else:
        rooms, booths, tablets = FACILITIES[year]
    centres = ["市第一看守所", "市第二看守所", "市第三看守所", "市拘留所", "市戒毒所"]
    n_tab = max(1, min(12, tablets))
    kinds = ["视频会见室"] * rooms + ["临时会见卡位"] * booths + ["平板电脑"] * n_tab
    qty = (
        [1] * (rooms + booths) + list(split_total(rng, tablets, n_tab, floor=1))
        if tablets
        else [1] * (rooms + booths)
    )
    kinds = kinds[: len(qty)]
    frame = pd.DataFrame(
        {
            "centre": rng.choice(centres, len(kinds)),
            "kind": kinds,
            "quantity": qty,
            "enabled_date": dates(rng, year, len(kinds)).astype(str),
        }
    )
    frame = pd.concat([frame, strays(frame, rng, year, "enabled_date", n=2)], ignore_index=True)
    return stamp(frame, "facility_id", "SS", year, "enabled_date", 4)


def volunteer_logs(year: int, seed: int) -> pd.DataFrame:
    rng = rng_for(seed, "volunteer_logs", year)
    first, last = LOG_WINDOWS[year]
    days = pd.date_range(first, last).strftime("%Y-%m-%d")
    teams = [f"志愿服务{i}组" for i in range(1, 9)]
    frame = pd.DataFrame([(d, t) for d in days for t in teams], columns=["log_date", "team"])
    frame["town"] = "大朗" if year == 2021 else rng.choice(TOWNS, len(frame))
    totals = (
        [targets.whole(f) for f in ("F010", "F011", "F012", "F013", "F014")]
        if year == 2021
        else LOG_TOTALS[year]
    )
    for col, total in zip(
        ["visited", "served", "persuaded", "deeds", "solved"], totals, strict=True
    ):
        frame[col] = split_total(rng, total, len(frame))
    return stamp(frame, "log_id", "ZY", year, "log_date", 4)


def write_all(root: Path, seed: int, scale: float) -> list[Path]:
    out = []
    for year in YEARS:
        tasks = verification_tasks(year, seed)
        persons, tasks = verification_persons(year, seed, scale, tasks)
        out.append(
            write(tasks, root, "verification_tasks", year, "csv", encoding="gb18030", chinese=True)
        )
        out.append(write(persons, root, "verification_persons", year, "parquet"))
        out.append(
            write(
                quarantine_deployments(year, seed),
                root,
                "quarantine_deployments",
                year,
                "csv",
                encoding="utf-8-sig",
                chinese=True,
            )
        )
        out.append(
            write(
                venues(year, seed),
                root,
                "venues",
                year,
                "xlsx",
                title=f"疫情防控场所台账（{year}年末）",
            )
        )
        out.append(write(meeting_facilities(year, seed), root, "meeting_facilities", year, "xlsx"))
        out.append(write(volunteer_logs(year, seed), root, "volunteer_logs", year, "csv"))
    return out
