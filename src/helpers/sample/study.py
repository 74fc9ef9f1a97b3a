"""Sample tables of 一(一) (dated study activities) and 二 (court appearances by leaders)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.sample.random import codes, rng_for, strays
from helpers.sample.writers import write

YEARS = (2019, 2020, 2021, 2022, 2023)

# The 2021 study activities are facts of the published report, worded here as records.
ACTIVITIES = {
    2021: [
        (
            "2021-03-19",
            "学法",
            "结合教育整顿政治教育和党史学习教育，邀请东莞理工学院教授、市政府法律顾问强昌文同志为全体民警专题讲授习近平法治思想",
        ),
        (
            "2021-03-26",
            "学法",
            "制定实施《全市公安队伍教育整顿宣传舆论工作方案》，把习近平法治思想和习近平总书记关于加强政法队伍建设的重要指示、训词精神列为学习宣传重点",
        ),
        ("2021-04-26", "学法", "市局党委集体学习习近平法治思想"),
        (
            "2021-06-02",
            "学法",
            "制定实施《东莞市公安局2021年普法工作实施方案》，把习近平法治思想、中央全面依法治国工作会议精神和党内法规列为首要学习内容",
        ),
        ("2021-09-29", "学法", "组织全体民警收听收看公安部举办的习近平法治思想专题讲座"),
        (
            "2021-10-14",
            "学法",
            "市局党委会议集体学习《党政主要负责人履行推进法治建设第一责任人职责规定》《法治政府建设实施纲要（2021—2025年）》《法治政府建设与责任落实督察工作规定》和习近平同志《坚定不移走中国特色社会主义法治道路 为全面建设社会主义现代化国家提供有力法治保障》",
        ),
        ("2021-05-18", "普法", "开展“5·15”打击和防范经济犯罪宣传日活动"),
        ("2021-12-04", "普法", "开展“12·4”国家宪法日宣传活动"),
        ("2021-07-08", "会议", "召开全市公安机关法制工作会议"),
    ],
    2020: [
        ("2020-05-28", "学法", "市局党委集体学习《中华人民共和国民法典》"),
        ("2020-11-24", "学法", "市局党委集体学习中央全面依法治国工作会议精神"),
        ("2020-12-04", "普法", "开展“12·4”国家宪法日宣传活动"),
    ],
    2022: [
        (
            "2022-03-16",
            "学法",
            "市局党委集体学习习近平法治思想和《法治社会建设实施纲要（2020—2025年）》",
        ),
        ("2022-06-21", "学法", "组织全体民警参加习近平法治思想专题轮训"),
        ("2022-11-02", "学法", "市局党委集体学习党的二十大报告关于坚持全面依法治国的论述"),
        ("2022-12-04", "普法", "开展“12·4”国家宪法日宣传活动"),
    ],
    2019: [
        ("2019-04-12", "学法", "市局党委集体学习《中华人民共和国宪法》"),
        ("2019-12-04", "普法", "开展“12·4”国家宪法日宣传活动"),
    ],
    2023: [
        (
            "2023-02-21",
            "学法",
            "市局党委集体学习党的二十大报告关于坚持全面依法治国、推进法治中国建设的论述",
        ),
        ("2023-05-10", "学法", "组织全体民警参加习近平法治思想专题学习"),
        ("2023-09-14", "学法", "市局党委集体学习新修订的《中华人民共和国行政复议法》"),
        ("2023-12-04", "普法", "开展“12·4”国家宪法日宣传活动"),
    ],
}

APPEARANCES = {
    2021: [
        ("2021-10-26", "董铁", "市局党委副书记、常务副局长", "市公安局"),
        ("2021-12-03", "毕洪波", "副市长、市公安局党委书记、局长", "市政府"),
    ],
    2020: [("2020-09-15", "（示例）某某", "市局党委委员、副局长", "市公安局")],
    2022: [
        ("2022-06-09", "（示例）某某", "市局党委副书记、常务副局长", "市公安局"),
        ("2022-11-17", "（示例）某某", "副市长、市公安局党委书记、局长", "市政府"),
    ],
    2019: [("2019-08-20", "（示例）某某", "市局党委委员、副局长", "市公安局")],
    2023: [
        ("2023-05-18", "（示例）某某", "市局党委副书记、常务副局长", "市公安局"),
        ("2023-10-24", "（示例）某某", "副市长、市公安局党委书记、局长", "市政府"),
    ],
}


def activities(year: int, seed: int) -> pd.DataFrame:
    rng = rng_for(seed, "activities", year)
    rows = pd.DataFrame(ACTIVITIES[year], columns=["activity_date", "category", "title"])
    rows["activity_date"] = pd.to_datetime(rows["activity_date"])
    if year > 2019:
        rows = pd.concat([rows, strays(rows, rng, year, "activity_date", n=1)], ignore_index=True)
    rows = rows.sort_values("activity_date", kind="stable").reset_index(drop=True)
    rows.insert(0, "activity_id", codes("HD", year, len(rows), 3))
    rows["activity_date"] = rows["activity_date"].dt.strftime("%Y-%m-%d")
    return rows


def court_appearances(year: int) -> pd.DataFrame:
    rows = pd.DataFrame(APPEARANCES[year], columns=["hearing_date", "name", "post", "represented"])
    rows.insert(0, "record_id", codes("CT", year, len(rows), 3))
    return rows


def write_all(root: Path, seed: int, scale: float) -> list[Path]:
    out = []
    for year in YEARS:
        out.append(
            write(
                activities(year, seed), root, "activities", year, "xlsx", title=f"{year}年活动记录"
            )
        )
        out.append(
            write(court_appearances(year), root, "court_appearances", year, "csv", chinese=True)
        )
    return out
