"""Sample tables of 行政复议和行政应诉 (in the report from 2023): reconsideration applications and
administrative lawsuits against the bureau and its units.

Cases run past the year they begin in, so each year's file is the register as it stands at the
end of the last sample year (``AS_OF``): applications of 2021 decided in 2022 carry their 2022
decision, lawsuits of 2023 still in court are 审理中. 2021 is written as well as 2022 and 2023:
the 2023 report compares its rates with 2022's, and 2022's decided cases include 2021's.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from helpers.sample.places import BRANCHES
from helpers.sample.random import codes, dates, rng_for
from helpers.sample.writers import write

YEARS = (2021, 2022, 2023)
AS_OF = np.datetime64(f"{YEARS[-1]}-12-31")

UNITS = ["市公安局", "交警支队", *BRANCHES, "常平分局"]
UNIT_WEIGHTS = [0.14, 0.26, 0.07, 0.08, 0.09, 0.09, 0.08, 0.07, 0.06, 0.06]
PARTIES, PARTY_WEIGHTS = ["公民", "法人", "其他组织"], [0.9, 0.08, 0.02]
MATTERS = ["行政处罚", "行政强制措施", "行政许可", "不履行法定职责", "政府信息公开", "其他"]
MATTER_WEIGHTS = [0.61, 0.09, 0.06, 0.13, 0.08, 0.03]

# applications received per year, and how the decided ones ended: fewer corrections over time
RECEIVED = {2021: 436, 2022: 412, 2023: 389}
DECISIONS = ["维持", "驳回", "撤销", "变更", "确认违法", "责令履行", "终止"]
DECISION_WEIGHTS = {
    2021: [0.66, 0.08, 0.08, 0.01, 0.04, 0.02, 0.11],
    2022: [0.68, 0.08, 0.07, 0.01, 0.03, 0.02, 0.11],
    2023: [0.71, 0.08, 0.05, 0.01, 0.03, 0.01, 0.11],
}
NOT_ACCEPTED = 0.06

# lawsuits filed per year, how they ended, and how often a responsible person appeared
FILED = {2021: 158, 2022: 146, 2023: 131}
RESULTS = ["胜诉", "败诉", "驳回起诉", "撤诉", "调解", "其他"]
RESULT_WEIGHTS = {
    2021: [0.62, 0.06, 0.14, 0.15, 0.02, 0.01],
    2022: [0.64, 0.05, 0.14, 0.14, 0.02, 0.01],
    2023: [0.66, 0.03, 0.14, 0.14, 0.02, 0.01],
}
APPEARED = {2021: 0.86, 2022: 0.92, 2023: 0.98}
COURTS = {
    "东莞市第一人民法院": "粤1971",
    "东莞市第二人民法院": "粤1972",
    "东莞市第三人民法院": "粤1973",
}


def _day_strings(days: np.ndarray) -> list[str | None]:
    return [None if np.isnat(d) else str(d) for d in days]


def reconsiderations(year: int, seed: int) -> pd.DataFrame:
    """Applications received in ``year``: 6% not accepted; the rest decided 25–90 days after
    acceptance (a few suspended cases later), or still open at ``AS_OF``."""
    rng = rng_for(seed, "reconsiderations", year)
    n = RECEIVED[year]
    received = dates(rng, year, n)
    respondent = rng.choice(UNITS, n, p=UNIT_WEIGHTS)
    # the bureau reviews its units' acts; its own go to the city government or the province
    reviewer = np.where(
        respondent == "市公安局",
        rng.choice(["市人民政府", "省公安厅"], n, p=[0.8, 0.2]),
        rng.choice(["市公安局", "市人民政府"], n, p=[0.85, 0.15]),
    )
    accepted = received + rng.integers(0, 6, n)
    took = rng.integers(25, 91, n) + np.where(rng.random(n) < 0.02, rng.integers(90, 200, n), 0)
    decided = accepted + took
    decision = rng.choice(DECISIONS, n, p=DECISION_WEIGHTS[year]).astype(object)
    refused = rng.random(n) < NOT_ACCEPTED
    open_ = ~refused & (decided > AS_OF)
    status = np.where(refused, "不予受理", np.where(open_, "审理中", "已审结"))
    nat = np.datetime64("NaT")
    accepted = np.where(refused, nat, accepted)
    decided = np.where(refused | open_, nat, decided)
    decision[refused | open_] = None
    frame = pd.DataFrame(
        {
            "received_date": received.astype(str),
            "applicant_type": rng.choice(PARTIES, n, p=PARTY_WEIGHTS),
            "respondent": respondent,
            "reviewer": reviewer,
            "matter": rng.choice(MATTERS, n, p=MATTER_WEIGHTS),
            "status": status,
            "accepted_date": _day_strings(accepted),
            "decided_date": _day_strings(decided),
            "decision": decision,
        }
    )
    frame.insert(0, "case_id", codes("FY", year, n, 4))
    return frame


def lawsuits(year: int, seed: int) -> pd.DataFrame:
    """Lawsuits filed in ``year``: judged at first instance 45–200 days after filing, a third of
    the judgments appealed (60–180 days more); rulings and withdrawals sooner; those not over by
    ``AS_OF`` still open."""
    rng = rng_for(seed, "lawsuits", year)
    n = FILED[year]
    filed = dates(rng, year, n)
    result = rng.choice(RESULTS, n, p=RESULT_WEIGHTS[year]).astype(object)
    judgment = np.isin(result, ["胜诉", "败诉"])
    appealed = judgment & (rng.random(n) < 0.33)
    took = np.where(judgment, rng.integers(45, 201, n), rng.integers(20, 121, n))
    took = took + np.where(appealed, rng.integers(60, 181, n), 0)
    concluded = filed + took
    # hearings: every judgment after one or more; rulings and withdrawals often without one
    hearings = np.where(
        judgment,
        1 + (rng.random(n) < 0.2) + (appealed & (rng.random(n) < 0.5)),
        np.where(np.isin(result, ["调解"]) | (rng.random(n) < 0.35), 1, 0),
    )
    open_ = concluded > AS_OF
    hearings = np.where(open_, np.minimum(hearings, (rng.random(n) < 0.5).astype(int)), hearings)
    appeared = (hearings > 0) & (rng.random(n) < APPEARED[year])
    defendant = rng.choice(UNITS, n, p=UNIT_WEIGHTS)
    court = rng.choice(list(COURTS), n)
    frame = pd.DataFrame(
        {
            "case_no": [
                f"（{year}）{COURTS[c]}行初{100 + 3 * i + int(k)}号"
                for i, (c, k) in enumerate(zip(court, rng.integers(0, 3, n), strict=True))
            ],
            "filed_date": filed.astype(str),
            "court": court,
            "plaintiff_type": rng.choice(PARTIES, n, p=PARTY_WEIGHTS),
            "defendant": defendant,
            "matter": rng.choice(MATTERS, n, p=MATTER_WEIGHTS),
            "after_reconsideration": np.where(rng.random(n) < 0.3, "是", "否"),
            "status": np.where(open_, "审理中", "已审结"),
            "concluded_date": _day_strings(np.where(open_, np.datetime64("NaT"), concluded)),
            "instance": np.where(open_, None, np.where(appealed, "二审", "一审")),
            "result": np.where(open_, None, result),
            "hearings": hearings.astype(int),
            "leader_appeared": np.where(appeared, "是", "否"),
            "leader": [(_post(d) if a else None) for d, a in zip(defendant, appeared, strict=True)],
        }
    )
    return frame


def _post(unit: str) -> str:
    """The post of the responsible person who appears for a unit (no names in sample data)."""
    return {"市公安局": "市公安局党委委员、副局长", "交警支队": "交警支队副支队长"}.get(
        unit, f"{unit}副局长"
    )


def write_all(root: Path, seed: int, scale: float) -> list[Path]:
    """Both registers for every sample year (small tables: ``scale`` does not change them)."""
    out = []
    for year in YEARS:
        out.append(
            write(
                reconsiderations(year, seed),
                root,
                "reconsiderations",
                year,
                "xlsx",
                title=f"行政复议案件登记表（{year}年收到的申请）",
            )
        )
        out.append(
            write(
                lawsuits(year, seed),
                root,
                "lawsuits",
                year,
                "csv",
                encoding="utf-8-sig",
                chinese=True,
            )
        )
    return out
