"""Rows counted by day and kind by the table check (``helpers.data.tally``): the counts a chapter
sums instead of reading the rows (the alarms) must be the counts of the rows it would have read,
whichever way the table was checked. The expected counts are made here, row by row, with
``collections.Counter``."""

import collections
import datetime as dt
import json
import random

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from helpers.data import loader, tally
from helpers.data.contract import TABLES
from helpers.data.contract.workspace import register_folder
from helpers.errors import DeclarationError, NotCountedError, UndeclaredTableError
from helpers.figures.base import load_frames

KINDS = ("违法犯罪", "求助", "纠纷")
TYPES = ("电信网络诈骗", "盗窃", None)  # 求助 and 纠纷 have no subcategory
STATES = ("有效", "无效", "重复")


def alarm_rows(year: int, n: int, seed: int = 1) -> list[dict]:
    """``n`` alarms of ``year`` in time order, of random kinds, some of them on 31 December
    just before midnight and on 1 January just after."""
    rng = random.Random(seed)
    start = dt.datetime(year, 1, 1)
    days = 366 if year % 4 == 0 else 365
    seconds = sorted(rng.randrange(days * 86400) for _ in range(n - 2)) + [days * 86400 - 1]
    rows = [{"received_at": start}]  # midnight of 1 January
    for s in seconds:
        kind = rng.choice(KINDS)
        rows.append(
            {
                "received_at": start + dt.timedelta(seconds=s),
                "category": kind,
                "subcategory": rng.choice(TYPES[:2]) if kind == "违法犯罪" else None,
                "status": rng.choice(STATES),
            }
        )
    rows[0] |= {"category": "违法犯罪", "subcategory": "盗窃", "status": "有效"}
    for i, row in enumerate(rows):
        row["alarm_id"] = i + 1
    return rows


def expected(rows: list[dict]) -> collections.Counter:
    return collections.Counter(
        (r["received_at"].date(), r["category"], r["subcategory"], r["status"]) for r in rows
    )


def counted(stored: dict) -> collections.Counter:
    """The counts kept, as the same Counter (via the frame the figures see)."""
    frame = tally.frame(stored, TABLES["alarms"])
    out = collections.Counter()
    for row in frame.itertuples(index=False):
        sub = None if pd.isna(row.subcategory) else row.subcategory
        out[(row.received_at.date(), row.category, sub, row.status)] += row.rows
    return out


def write_alarms(folder, year: int, rows: list[dict], ext="parquet", unit="ms", **options):
    frame = pd.DataFrame(rows)[["alarm_id", "received_at", "category", "subcategory", "status"]]
    path = folder / "alarms" / f"{year}.{ext}"
    path.parent.mkdir(parents=True, exist_ok=True)
    if ext == "csv":
        frame.to_csv(path, index=False)
        return path
    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.set_column(1, "received_at", table.column("received_at").cast(pa.timestamp(unit)))
    pq.write_table(table, path, **options)
    return path


@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
@pytest.mark.parametrize("dictionary", [True, False])
def test_the_check_counts_each_day_and_kind(tmp_path, monkeypatch, unit, dictionary):
    """Several slices and row groups (the counts are added up), empty subcategories, a leap
    year's last second, times in any unit, text plain or as a dictionary in the file."""
    from helpers.data import checks

    monkeypatch.setattr(checks, "CHECKED_ROWS", 97)
    rows = alarm_rows(2020, 1000)
    write_alarms(tmp_path, 2020, rows, unit=unit, row_group_size=300, use_dictionary=dictionary)
    loaded, problems = loader.read_checked("alarms", 2020, tmp_path, columns=[])
    assert problems == [] and list(loaded.frame.columns) == []  # no row read for it
    assert loader.checked_before("alarms", 2020, tmp_path)["rows"] == "source"  # in place
    assert counted(loaded.tally) == expected(rows)
    assert sum(expected(rows).values()) == 1000
    assert (dt.date(2020, 12, 31), rows[-1]["category"], rows[-1]["subcategory"],
            rows[-1]["status"]) in counted(loaded.tally)  # fmt: skip


def test_the_full_way_counts_the_same(tmp_path):
    """A CSV (checked the full way, with rows of another year dropped) gives the counts of the
    year's rows, as the Parquet file does."""
    rows = alarm_rows(2021, 400, seed=2)
    stray = alarm_rows(2020, 5, seed=3)
    for i, row in enumerate(stray):
        row["alarm_id"] = 1000 + i
    write_alarms(tmp_path, 2021, rows + stray, ext="csv")
    loaded, problems = loader.read_checked("alarms", 2021, tmp_path)
    assert problems == []
    assert counted(loaded.tally) == expected(rows)
    assert loaded.frame["received_at"].dt.year.eq(2021).all()


def test_the_counts_are_kept_and_read_again_without_the_rows(tmp_path, monkeypatch):
    rows = alarm_rows(2021, 200)
    write_alarms(tmp_path, 2021, rows)
    first, _ = loader.read_checked("alarms", 2021, tmp_path, columns=[])
    kept = loader.checked_before("alarms", 2021, tmp_path)["tally"]
    assert kept == first.tally and counted(kept) == expected(rows)
    json.dumps(kept)  # plain lists, in the cache entry's JSON
    monkeypatch.setattr(pq.ParquetFile, "iter_batches", lambda *a, **k: pytest.fail("read"))
    again, _ = loader.read_checked("alarms", 2021, tmp_path, columns=[])
    assert again.tally == kept


def test_an_entry_without_counts_has_them_counted_once(tmp_path):
    """A cache entry written without the counts (an older one, or counts the check could not
    make) gets them from the rows when the table is read, and keeps them."""
    rows = alarm_rows(2021, 150)
    write_alarms(tmp_path, 2021, rows)
    loader.read_checked("alarms", 2021, tmp_path, columns=[])
    path = loader.table_file("alarms", 2021, tmp_path)
    _, entry = loader._entry("alarms", 2021, path, TABLES["alarms"])
    meta = json.loads(entry.read_text(encoding="utf-8"))
    entry.write_text(json.dumps({**meta, "tally": None}), encoding="utf-8")
    loaded, _ = loader.read_checked("alarms", 2021, tmp_path, columns=[])
    assert counted(loaded.tally) == expected(rows)
    assert json.loads(entry.read_text(encoding="utf-8"))["tally"] == loaded.tally


def test_the_frame_of_counts():
    stored = {
        "day0": "2021-01-01",
        "columns": ["category", "subcategory", "status"],
        "values": [list(KINDS), ["电信网络诈骗", "盗窃"], list(STATES)],
        "cells": [[0, 0, 1, 0, 3], [31, 1, -1, 2, 2], [364, 0, 0, 0, 7]],
    }
    frame = tally.frame(stored, TABLES["alarms"])
    assert list(frame.columns) == ["received_at", "category", "subcategory", "status", "rows"]
    assert frame["received_at"].tolist() == [
        pd.Timestamp("2021-01-01"),
        pd.Timestamp("2021-02-01"),
        pd.Timestamp("2021-12-31"),
    ]
    assert frame["category"].tolist() == ["违法犯罪", "求助", "违法犯罪"]
    assert frame["subcategory"].isna().tolist() == [False, True, False]
    assert frame["rows"].tolist() == [3, 2, 7]
    empty = tally.frame({**stored, "cells": []}, TABLES["alarms"])
    assert list(empty.columns) == list(frame.columns) and empty.empty


def test_a_slice_outside_the_year_or_the_values_is_not_counted():
    counter = tally.Tally(TABLES["alarms"], 2021)
    assert counter.add(np.array([0, 364]), [np.array([0, 1]), np.array([-1, 0]), np.array([0, 0])])
    assert not counter.add(np.array([365 + 1]), [np.array([0]), np.array([0]), np.array([0])])
    assert not counter.add(np.array([-1]), [np.array([0]), np.array([0]), np.array([0])])
    assert not counter.add(np.array([3]), [np.array([7]), np.array([0]), np.array([0])])
    stamps = pa.array([dt.datetime(2022, 1, 1)], pa.timestamp("ms"))
    text = pa.array(["违法犯罪"])
    assert not counter.add_arrow(stamps, [text, text, pa.array(["有效"])])  # 2022
    stamps = pa.array([dt.datetime(2021, 5, 1)], pa.timestamp("ms"))
    assert not counter.add_arrow(stamps, [pa.array(["火警"]), text, pa.array(["有效"])])
    assert sum(row[-1] for row in counter.stored()["cells"]) == 2  # only the first slice


def test_a_slice_of_dictionary_and_empty_text_is_counted():
    counter = tally.Tally(TABLES["alarms"], 2021)
    stamps = pa.array(
        [dt.datetime(2021, 3, 1, 8), dt.datetime(2021, 3, 1, 9), dt.datetime(2021, 3, 2)],
        pa.timestamp("us"),
    )
    kinds = pa.array(["求助", "求助", "纠纷"]).dictionary_encode()
    assert counter.add_arrow(stamps, [kinds, pa.array([None, None, None], pa.string()),
                                      pa.array(["有效", "有效", "无效"])])  # fmt: skip
    assert counter.stored()["cells"] == [[59, 1, -1, 0, 2], [60, 2, -1, 1, 1]]


def test_a_chapter_sums_the_counts_and_is_told_what_has_none(tmp_path):
    rows = alarm_rows(2021, 300)
    write_alarms(tmp_path, 2021, rows)
    before = alarm_rows(2020, 200, seed=5)
    write_alarms(tmp_path, 2020, before)
    t = load_frames({"alarms": (0, -1, "history")}, 2021, tmp_path, {"alarms": []})
    frame = t.tally("alarms")
    valid = frame[(frame["category"] == "违法犯罪") & (frame["status"] == "有效")]
    assert valid["rows"].sum() == sum(
        1 for r in rows if r["category"] == "违法犯罪" and r["status"] == "有效"
    )
    assert t.prior.tally("alarms")["rows"].sum() == 200
    with pytest.raises(NotCountedError) as caught:
        t.history.tally("alarms")
    assert "t.history 是几年合并的表" in str(caught.value)
    assert 't.prior.tally("alarms")' in caught.value.fix
    with pytest.raises(NotCountedError) as caught:
        t.tally("alarm")
    assert caught.value.fix == "是不是 alarms？"
    with pytest.raises(NotCountedError) as caught:
        t.tally("cases")
    assert "没有 tally 列" in str(caught.value) and "tally=(…)" in caught.value.fix
    with pytest.raises(UndeclaredTableError):  # a chapter that does not declare the alarms
        load_frames({"cases": (0,)}, 2021, tmp_path).tally("alarms")


def test_a_tally_with_figures_of_the_safety_chapter(tmp_path):
    """F053's counts come from the tally: the same as counting the rows."""
    from helpers.figures import safety

    rows = alarm_rows(2021, 500, seed=7)
    before = alarm_rows(2020, 450, seed=8)
    write_alarms(tmp_path, 2021, rows)
    write_alarms(tmp_path, 2020, before)
    t = load_frames({"alarms": (0, -1)}, 2021, tmp_path, safety.COLUMNS)
    assert safety._valid_count(t.tally("alarms"), "电信网络诈骗") == sum(
        1
        for r in rows
        if (r["category"], r["subcategory"], r["status"]) == ("违法犯罪", "电信网络诈骗", "有效")
    )


def patrol_yaml(tally_line: str, kind_type: str = "category") -> str:
    allowed = ", allowed: [日间, 夜间]" if kind_type == "category" else ""
    return (
        "name: patrol_visits\nzh: 巡查记录表\nrow: 一次巡查\ncolumns:\n"
        "  - {name: visit_id, zh: 巡查编号, type: int, description: 记录编号}\n"
        f"  - {{name: shift, zh: 班次, type: {kind_type}, description: 班次{allowed}}}\n"
        "  - {name: visit_date, zh: 巡查日期, type: date, description: 日期}\n"
        f"key: [visit_id]\nyear_column: visit_date\ncounts: 每条记录\nsource: 台账\n{tally_line}"
    )


def test_a_workspace_table_may_have_a_tally(workspace_contract, tmp_path):
    (workspace_contract / "patrol_visits.yaml").write_text(
        patrol_yaml("tally: [shift]\n"), encoding="utf-8"
    )
    assert register_folder(workspace_contract) == ["patrol_visits"]
    folder = tmp_path / "data" / "patrol_visits"
    folder.mkdir(parents=True)
    (folder / "2021.csv").write_text(
        "巡查编号,班次,巡查日期\n1,日间,2021-03-01\n2,夜间,2021-03-01\n3,日间,2021-03-01\n"
        "4,日间,2021-03-02\n",
        encoding="utf-8",
    )
    t = load_frames({"patrol_visits": (0,)}, 2021, tmp_path / "data")
    frame = t.tally("patrol_visits")
    assert frame[["visit_date", "shift", "rows"]].values.tolist() == [
        [pd.Timestamp("2021-03-01"), "日间", 2],
        [pd.Timestamp("2021-03-01"), "夜间", 1],
        [pd.Timestamp("2021-03-02"), "日间", 1],
    ]


@pytest.mark.parametrize(
    "line, kind_type, said",
    [
        ("tally: shift\n", "category", "tally 应是列名的列表，实际是文字“shift”"),
        ("tally: [shift, 3]\n", "category", "tally 中有一项是数字 3，不是列名"),
        ("tally: [shfit]\n", "category", "tally 中的 shfit 不是它的列"),
        ("tally: [班次]\n", "category", "班次 是列 shift 的中文表头，tally 写列名 shift"),
        ("tally: [shift, shift]\n", "category", "tally 中 shift 写了不止一次"),
        (
            "tally: [shift]\n",
            "str",
            "tally 只能列出 category 类型（有 allowed 取值）的列，shift 不是",
        ),
        ("tally: [visit_id]\n", "category", "visit_id 不是"),
    ],
)
def test_a_workspace_tally_mistake_is_named(workspace_contract, line, kind_type, said):
    (workspace_contract / "patrol_visits.yaml").write_text(
        patrol_yaml(line, kind_type), encoding="utf-8"
    )
    with pytest.raises(DeclarationError) as caught:
        register_folder(workspace_contract)
    assert said in str(caught.value)
    assert "patrol_visits.yaml" in str(caught.value)


def test_a_tally_needs_a_date_year_column():
    from helpers.data.contract import Column, Table, register

    table = Table(
        name="yearly_counts",
        zh="年度计数",
        row="一年",
        columns=(
            Column("year", "年份", "int", "年份"),
            Column("kind", "类别", "category", "类别", allowed=("甲", "乙")),
        ),
        key=("year",),
        year_column="year",
        counts="",
        source="",
        tally=("kind",),
    )
    with pytest.raises(ValueError, match="需要日期或日期时间类型的年份列"):
        register(table)
    assert "yearly_counts" not in TABLES


def test_a_misspelt_table_key_is_pointed_to_the_nearest(workspace_contract):
    (workspace_contract / "patrol_visits.yaml").write_text(
        patrol_yaml("talley: [shift]\n"), encoding="utf-8"
    )
    with pytest.raises(DeclarationError) as caught:
        register_folder(workspace_contract)
    assert (
        "数据表定义有未知的项 talley" in str(caught.value) and caught.value.fix == "是不是 tally？"
    )


def test_a_tally_column_named_like_the_counts_is_refused(workspace_contract):
    """The counts' column is ``rows``: a tally column of that name would be overwritten by it
    (tester round 26: a figure summed the counts as if they were the column, and published 0)."""
    text = patrol_yaml("tally: [rows]\n").replace("name: shift", "name: rows")
    (workspace_contract / "patrol_visits.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(DeclarationError, match="年份列和 tally 的列不能也叫 rows"):
        register_folder(workspace_contract)


def test_too_many_combinations_of_values_are_refused(workspace_contract):
    many = ", ".join(f"值{i}" for i in range(40))
    text = (
        "name: patrol_visits\nzh: 巡查记录表\ncolumns:\n"
        "  - {name: visit_id, zh: 巡查编号, type: int, description: 记录编号}\n"
        + "".join(
            f"  - {{name: k{i}, zh: 类{i}, type: category, description: 类, allowed: [{many}]}}\n"
            for i in range(2)
        )
        + "  - {name: visit_date, zh: 巡查日期, type: date, description: 日期}\n"
        "key: [visit_id]\nyear_column: visit_date\ntally: [k0, k1]\n"
    )
    (workspace_contract / "patrol_visits.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(DeclarationError, match="有 1681 种组合，最多 1000 种"):
        register_folder(workspace_contract)


def test_a_value_allowed_twice_is_counted_once(workspace_contract, tmp_path):
    """A contract may repeat an allowed value (it did before tallies): the tally counts it as one
    value (tester round 26: the check failed, blaming the data file)."""
    text = patrol_yaml("tally: [shift]\n").replace("[日间, 夜间]", "[日间, 夜间, 日间]")
    (workspace_contract / "patrol_visits.yaml").write_text(text, encoding="utf-8")
    register_folder(workspace_contract)
    for ext in ("csv", "parquet"):
        folder = tmp_path / ext / "patrol_visits"
        folder.mkdir(parents=True)
        frame = pd.DataFrame(
            {
                "visit_id": [1, 2, 3],
                "shift": ["日间", "夜间", "日间"],
                "visit_date": pd.to_datetime(["2021-03-01"] * 3),
            }
        )
        if ext == "csv":
            frame.to_csv(folder / "2021.csv", index=False)
        else:
            frame.to_parquet(folder / "2021.parquet", index=False)
        t = load_frames({"patrol_visits": (0,)}, 2021, tmp_path / ext)
        counts = t.tally("patrol_visits")
        assert counts[["shift", "rows"]].values.tolist() == [["日间", 2], ["夜间", 1]], ext


def test_two_workspaces_whose_tables_differ_in_their_tally_are_told_so(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    for folder, line in ((first, "tally: [shift]\n"), (second, "")):
        folder.mkdir()
        (folder / "patrol_visits.yaml").write_text(patrol_yaml(line), encoding="utf-8")
    register_folder(first)
    with pytest.raises(DeclarationError) as caught:
        register_folder(second)
    assert "但tally不同" in str(caught.value)


def test_the_stacked_years_have_no_tally_whichever_table_they_hold(tmp_path):
    """t.history declared for the cases only: t.history.tally("alarms") says the stacked years
    have no counts, not that the alarms are undeclared (tester round 26)."""
    write_alarms(tmp_path, 2021, alarm_rows(2021, 50))
    t = load_frames({"alarms": (0,), "cases": (0, "history")}, 2021, tmp_path, {"alarms": []})
    with pytest.raises(NotCountedError, match="t.history 是几年合并的表"):
        t.history.tally("alarms")
    with pytest.raises(UndeclaredTableError) as caught:
        t.prior  # noqa: B018
    assert "读取了上一年的数据（2020）" in str(caught.value)
    assert "加上 -1" in caught.value.fix


def test_a_column_not_read_is_named_with_how_to_read_it(tmp_path):
    """A figures module that reads no alarm column: asking the frame for one says so and how to
    read it, as a KeyError still (tester round 26: a bare KeyError: 'received_at')."""
    from helpers.errors import ColumnNotReadError

    write_alarms(tmp_path, 2021, alarm_rows(2021, 50))
    t = load_frames({"alarms": (0,)}, 2021, tmp_path, {"alarms": ["status"]})
    assert len(t.alarms) == 50 and list(t.alarms.columns) == ["status"]
    assert t.alarms[t.alarms["status"] == "有效"].shape[1] == 1  # what it read works as ever
    with pytest.raises(KeyError) as caught:
        t.alarms["received_at"]  # noqa: B018
    assert isinstance(caught.value, ColumnNotReadError)
    assert "没有读 alarms（110警情表）的列 received_at：它的计算模块只读了 status" in str(
        caught.value
    )
    assert 'loader.load("alarms", year, columns=["received_at"])' in caught.value.fix
    assert 't.tally("alarms")' in caught.value.fix
    with pytest.raises(KeyError) as caught:
        t.alarms["no_such_column"]  # noqa: B018
    assert not isinstance(caught.value, ColumnNotReadError)  # pandas' own KeyError
    valid = t.alarms[t.alarms["status"] == "有效"]  # what pandas makes from it says so too
    with pytest.raises(ColumnNotReadError, match="列 received_at"):
        valid.copy()["received_at"]  # noqa: B018
    with pytest.raises(AttributeError) as caught:
        t.alarms.received_at  # noqa: B018
    assert "没有读 alarms（110警情表）的列 received_at" in str(caught.value)
    assert t.alarms.status.equals(t.alarms["status"])  # a column read, as an attribute
    import pickle

    again = pickle.loads(pickle.dumps(t.alarms))  # a plain frame, the same rows
    assert type(again) is pd.DataFrame and again.equals(pd.DataFrame(t.alarms))
    assert len(pd.concat([t.alarms, t.alarms])) == 100
