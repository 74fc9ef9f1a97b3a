"""Distinct values counted by the table check (``helpers.data.distinct``): the count a chapter
reads instead of the column (dwellings inspected, persons verified) must be the count of the
rows the chapter would have read, whichever way the table was checked."""

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import stats
from helpers.data import checks, distinct, loader
from helpers.data.contract import TABLES
from helpers.data.contract.workspace import register_folder
from helpers.errors import DeclarationError, NotCountedError, UndeclaredTableError
from helpers.figures.base import load_frames


def rentals(folder, houses, dates=None, ext="parquet", **options):
    """A rental_inspections file of 2021 with these house ids (one inspection each)."""
    n = len(houses)
    frame = pd.DataFrame(
        {
            "inspection_id": range(1, n + 1),
            "house_id": pd.array(houses, dtype="Int64"),
            "inspected_date": pd.to_datetime(dates or ["2021-03-05"] * n),
            "town": pd.Categorical(["莞城"] * n),
            "result": pd.Categorical(["正常"] * n),
        }
    )
    path = folder / "rental_inspections" / f"2021.{ext}"
    path.parent.mkdir(parents=True, exist_ok=True)
    if ext == "csv":
        frame.to_csv(path, index=False)
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), path, **options)
    return path


def test_the_counter_marks_ids_a_slice_at_a_time(monkeypatch):
    monkeypatch.setattr(distinct, "SLICE", 2)  # repeats fall in other slices
    counter = distinct.IdCounter(100, 110)
    assert counter.add(np.array([100, 104, 100, 110, 104]))
    assert counter.add(np.array([104, 107]))
    assert counter.add(np.array([], dtype=np.int64))
    assert counter.count == 4  # 100, 104, 107, 110
    assert not counter.add(np.array([105, 111]))  # 111 lies outside: nothing marked
    assert not counter.add(np.array([99]))
    assert counter.count == 4


@pytest.mark.parametrize(
    "low, high, rows, compact",
    [(0, 8 * 10 + 1023, 10, True), (0, 8 * 10 + 1024, 10, False), (5, 5, 0, True)],
)
def test_a_range_is_marked_when_its_table_is_no_larger_than_the_ids(low, high, rows, compact):
    assert distinct.compact(low, high, rows) is compact


def test_the_check_counts_a_distinct_column_where_the_file_lies(tmp_path, monkeypatch):
    rentals(tmp_path, [10, 11, 10, 12, 11])
    loaded, problems = loader.read_checked("rental_inspections", 2021, tmp_path, columns=[])
    assert problems == [] and loaded.distinct == {"house_id": 3}
    assert len(loaded.frame) == 5 and list(loaded.frame.columns) == []
    # a second read takes the count the check kept: the ids are not read again
    import pyarrow.parquet as pq

    monkeypatch.setattr(pq.ParquetFile, "iter_batches", lambda *a, **k: pytest.fail("read"))
    again, _ = loader.read_checked("rental_inspections", 2021, tmp_path, columns=[])
    assert again.distinct == {"house_id": 3}
    assert loader.checked_before("rental_inspections", 2021, tmp_path)["distinct"] == {
        "house_id": 3
    }


def test_rows_of_another_year_are_not_counted(tmp_path):
    """A CSV, checked the full way: the row of 2020 is dropped, and its house with it."""
    rentals(tmp_path, [10, 11, 10, 99], ["2021-03-05"] * 3 + ["2020-12-30"], ext="csv")
    loaded, problems = loader.read_checked("rental_inspections", 2021, tmp_path)
    assert problems == [] and loaded.dropped_other_years == 1
    assert loaded.distinct == {"house_id": 2}


@pytest.mark.parametrize(
    "options",
    [
        {"write_statistics": False},  # no range in the footer to make a table for
        {"row_group_size": 2},  # several row groups: the range is theirs together
    ],
)
def test_a_footer_without_a_range_still_gives_the_count(tmp_path, options):
    rentals(tmp_path, [7, 3, 7, 9, 3, 2], **options)
    loaded, problems = loader.read_checked("rental_inspections", 2021, tmp_path, columns=[])
    assert problems == [] and loaded.distinct == {"house_id": 4}
    # counted once, kept for the next read
    assert loader.checked_before("rental_inspections", 2021, tmp_path)["distinct"] == {
        "house_id": 4
    }


def test_ids_too_spread_for_a_table_are_counted_by_hashing(tmp_path):
    rentals(tmp_path, [1, 10**15, 1, 2 * 10**15])
    loaded, _ = loader.read_checked("rental_inspections", 2021, tmp_path, columns=[])
    assert loaded.distinct == {"house_id": 3}


def test_an_id_outside_the_footers_range_is_counted_all_the_same(tmp_path, monkeypatch):
    """A footer whose range is too narrow (a writer's mistake): the counter made for it refuses
    the id, and the loader counts the column itself."""
    rentals(tmp_path, [10, 11, 40, 11])
    real = checks._id_counter

    def narrow(source, col):
        counter = real(source, col)
        return distinct.IdCounter(10, 20) if counter is not None else None

    monkeypatch.setattr(checks, "_id_counter", narrow)
    loaded, problems = loader.read_checked("rental_inspections", 2021, tmp_path, columns=[])
    assert problems == [] and loaded.distinct == {"house_id": 3}


@settings(max_examples=30, deadline=None)
@given(houses=st.lists(st.integers(-50, 400), min_size=1, max_size=40), groups=st.integers(1, 7))
def test_the_count_is_the_number_of_different_houses(tmp_path_factory, houses, groups):
    folder = tmp_path_factory.mktemp("rentals")
    rentals(folder, houses, row_group_size=groups)
    loaded, problems = loader.read_checked("rental_inspections", 2021, folder, columns=[])
    assert problems == [] and loaded.distinct == {"house_id": len(set(houses))}


def test_a_chapter_reads_the_count_and_refuses_a_column_not_counted(tmp_path):
    rentals(tmp_path, [5, 6, 5])
    t = load_frames({"rental_inspections": (0,)}, 2021, tmp_path, {"rental_inspections": []})
    assert t.distinct("rental_inspections", "house_id") == 2
    with pytest.raises(NotCountedError) as caught:
        t.distinct("rental_inspections", "inspection_id")
    assert "列 inspection_id（排查编号）在数据约定中没有标为 distinct" in str(caught.value)
    assert "distinct=True" in caught.value.fix and "stats.count_distinct" in caught.value.fix
    with pytest.raises(NotCountedError) as caught:
        t.distinct("rental_inspections", "house_idd")
    assert "没有列 house_idd" in str(caught.value) and caught.value.fix == "是不是 house_id？"
    with pytest.raises(NotCountedError) as caught:
        t.distinct("rental_inspection", "house_id")
    assert "没有名为 rental_inspection 的数据表" in str(caught.value)
    assert caught.value.fix == "是不是 rental_inspections？"
    with pytest.raises(UndeclaredTableError):
        t.distinct("alarms", "alarm_id")


def test_a_count_over_years_stacked_together_is_not_given(tmp_path):
    """t.history stacks the years: the years' counts cannot be added (a dwelling inspected in
    two years is one), so the message says to count the stacked column."""
    for year in (2020, 2021):
        path = rentals(tmp_path, [5, 6], [f"{year}-03-05"] * 2)
        path.rename(path.with_name(f"{year}.parquet"))
    t = load_frames({"rental_inspections": (0, "history")}, 2021, tmp_path)
    assert t.distinct("rental_inspections", "house_id") == 2
    with pytest.raises(NotCountedError) as caught:
        t.history.distinct("rental_inspections", "house_id")
    assert "几年合并的表（t.history）" in str(caught.value)
    assert 'stats.count_distinct(t.history.rental_inspections["house_id"])' in caught.value.fix
    assert stats.count_distinct(t.history.rental_inspections["house_id"]) == 2


def patrol_yaml(distinct_value: str) -> str:
    return (
        "name: patrol_visits\nzh: 巡查记录表\nrow: 一次巡查\ncolumns:\n"
        "  - {name: visit_id, zh: 巡查编号, type: int, description: 记录编号}\n"
        "  - {name: shop_id, zh: 商铺编号, type: int, description: 商铺, required: false,"
        f" distinct: {distinct_value}}}\n"
        "  - {name: visit_date, zh: 巡查日期, type: date, description: 日期}\n"
        "key: [visit_id]\nyear_column: visit_date\ncounts: 每条记录\nsource: 台账\n"
    )


def patrols(contract, data, yaml_text: str, rows: str):
    """Register the patrol_visits table from ``yaml_text`` and check its 2021 CSV of ``rows``
    (under the Chinese headers): the Loaded and the problems."""
    (contract / "patrol_visits.yaml").write_text(yaml_text, encoding="utf-8")
    assert register_folder(contract) == ["patrol_visits"]
    folder = data / "patrol_visits"
    folder.mkdir(parents=True)
    (folder / "2021.csv").write_text(f"巡查编号,商铺编号,巡查日期\n{rows}", encoding="utf-8")
    return loader.read_checked("patrol_visits", 2021, data)


def test_a_workspace_table_may_mark_a_column_distinct(workspace_contract, tmp_path):
    rows = "1,300,2021-01-04\n2,,2021-01-05\n3,300,2021-02-01\n4,301,2021-02-02\n"
    loaded, problems = patrols(workspace_contract, tmp_path / "data", patrol_yaml("true"), rows)
    assert problems == [] and loaded.distinct == {"shop_id": 2}  # an empty cell is no shop


@pytest.mark.parametrize(
    "value, said", [("是", "文字“是”"), ("1", "数字 1"), ("'true'", "文字“true”"), ("", "空的")]
)
def test_a_workspace_distinct_that_is_not_true_or_false_is_refused(workspace_contract, value, said):
    (workspace_contract / "patrol_visits.yaml").write_text(patrol_yaml(value), encoding="utf-8")
    with pytest.raises(DeclarationError) as caught:
        register_folder(workspace_contract)
    message = str(caught.value)
    assert f"列 shop_id 的 distinct 应为 true 或 false，实际是{said}。" in message
    assert "patrol_visits.yaml" in message and "distinct: true" in caught.value.fix


@pytest.mark.parametrize(
    "column, message, fix",
    [
        (
            "{name: shop_id, zh: 商铺编号, type: int, distnct: true}",
            "列 shop_id 有未知的项 distnct。",
            "是不是 distinct？",
        ),
        (
            "{name: day, zh: 日子, type: date, distinct: true}",
            "列 day 是 date，不能标 distinct：不同值只对编号数（type: int 或 str）。",
            "删去 distinct: true；要数不同的日子等，在计算模块中读这一列自己计数",
        ),
        ("{name: shop_id, type: int}", "列 shop_id 缺少 zh。", None),
        (
            "{name: kind, zh: 类别, type: category}",
            "列 kind：category 类型需要列出允许的取值（allowed）",
            "为该列写 allowed: [甲, 乙]（允许的取值），或把 type 改为 str",
        ),
        ("[shop_id, int]", "columns 下的每一项应是一列的定义，实际是一个列表。", None),
    ],
)
def test_a_workspace_columns_mistake_is_named(workspace_contract, column, message, fix):
    text = patrol_yaml("true").replace(
        "  - {name: visit_date", f"  - {column}\n  - {{name: visit_date", 1
    )
    (workspace_contract / "patrol_visits.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(DeclarationError) as caught:
        register_folder(workspace_contract)
    assert message in str(caught.value) and "patrol_visits.yaml" in str(caught.value)
    assert "{'" not in str(caught.value)  # no Python values in the message
    if fix is not None:
        assert caught.value.fix == fix


def test_a_workspace_tables_column_not_marked_names_its_yaml(workspace_contract, tmp_path):
    patrols(workspace_contract, tmp_path / "data", patrol_yaml("false"), "1,300,2021-01-04\n")
    t = load_frames({"patrol_visits": (0,)}, 2021, tmp_path / "data")
    with pytest.raises(NotCountedError) as caught:
        t.distinct("patrol_visits", "shop_id")
    assert f"在 {workspace_contract / 'patrol_visits.yaml'} 中给列 shop_id 加上 distinct: true" in (
        caught.value.fix
    )


def test_a_built_in_column_of_another_type_cannot_be_marked():
    from helpers.data.contract import Column

    with pytest.raises(ValueError, match="只有编号列（int 或 str）能标 distinct"):
        Column("day", "日子", "date", "日子", distinct=True)


def test_the_kept_count_is_in_the_cache_entry(tmp_path):
    rentals(tmp_path, [1, 2, 2])
    loader.read_checked("rental_inspections", 2021, tmp_path, columns=[])
    meta = loader.checked_before("rental_inspections", 2021, tmp_path)
    assert json.loads(json.dumps(meta))["distinct"] == {"house_id": 2}


@pytest.mark.parametrize(
    "ids, kind",
    [
        # int16 ids from -20000 to 20000 with a gap: their offsets from the least wrap round in
        # 16 bits (tester round 24 published 7234 of 14467 dwellings)
        ([*range(-20000, -5534), *range(12768, 20001)], "int16"),
        ([-32768, 32767, -32768, 0], "int16"),
        ([250, 3, 250, 7, 255], "uint8"),
        ([2**63 + 5, 2**63 + 7, 2**63 + 5], "uint64"),
        ([2**31 - 1, -(2**31), 5, 2**31 - 1], "int32"),
    ],
)
def test_ids_of_any_width_are_counted_without_wrapping(ids, kind):
    values = np.array(ids, dtype=kind)
    expected = len(set(ids))
    assert stats.count_distinct(pd.Series(values)) == expected
    counter = distinct.IdCounter(min(ids), max(ids))
    assert counter.add(values) and counter.count == expected


def test_ids_of_a_narrow_type_in_parquet_are_counted_where_the_file_lies(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    ids = [*range(-20000, -5534), *range(12768, 20001)]
    path = rentals(tmp_path, [1] * len(ids))
    table = pq.read_table(path)
    table = table.set_column(1, "house_id", pa.array(ids, pa.int16()))
    pq.write_table(table, path)
    loaded, problems = loader.read_checked("rental_inspections", 2021, tmp_path, columns=[])
    assert problems == [] and loaded.distinct == {"house_id": len(set(ids))}


def test_a_footer_whose_least_is_above_its_greatest_is_counted_from_the_rows(tmp_path):
    """The footer's min and max of house_id swapped in the file's bytes: the rows are valid, so
    the table passes, and the ids are counted as read (not an internal error)."""
    import struct

    import pyarrow.parquet as pq

    low, high = 441900000000, 441900000999
    houses = [low + (i * 7) % 1000 for i in range(3000)]
    path = rentals(tmp_path, houses)
    data = bytearray(path.read_bytes())
    footer = len(data) - 8 - struct.unpack("<I", data[-8:-4])[0]
    swapped = bytes(data[footer:]).replace(struct.pack("<q", high), b"\xaa" * 8)
    swapped = swapped.replace(struct.pack("<q", low), struct.pack("<q", high))
    swapped = swapped.replace(b"\xaa" * 8, struct.pack("<q", low))
    path.write_bytes(bytes(data[:footer]) + swapped)
    said = pq.ParquetFile(path).metadata.row_group(0).column(1).statistics
    assert said.min == high and said.max == low  # the file now says so
    loaded, problems = loader.read_checked("rental_inspections", 2021, tmp_path, columns=[])
    assert problems == [] and loaded.distinct == {"house_id": 1000}


def test_ids_excel_rounded_in_a_workbook_are_refused(workspace_contract, tmp_path):
    """18-digit ids typed as numbers: Excel saved them to 15 digits (1.10101199001011E+17), so
    3000 persons would be counted as a few (tester round 25: 31). The rows are named."""
    import openpyxl

    (workspace_contract / "patrol_visits.yaml").write_text(patrol_yaml("true"), encoding="utf-8")
    register_folder(workspace_contract)
    book = openpyxl.Workbook()
    book.active.append(["巡查编号", "商铺编号", "巡查日期"])
    book.active.append([1, 300, "2021-01-04"])
    for i in range(2, 5):
        book.active.append([i, float(110101199001011000 + i), "2021-01-05"])
    folder = tmp_path / "data" / "patrol_visits"
    folder.mkdir(parents=True)
    book.save(folder / "2021.xlsx")
    _, problems = loader.read_checked("patrol_visits", 2021, tmp_path / "data")
    [problem] = problems
    assert "shop_id（商铺编号）有 3 个值无法读作整数" in str(problem)
    assert problem.rows == [3, 4, 5] and str(problem.values[0]).endswith("E+17")
    assert "科学计数法" in problem.fix


def test_a_text_id_excel_rounded_is_refused_in_a_column_of_ids(workspace_contract, tmp_path):
    text = patrol_yaml("true").replace(
        "type: int, description: 商铺", "type: str, description: 商铺"
    )
    rows = (
        "1,S-300,2021-01-04\n2,4.419E+11,2021-01-05\n3,4.419E+11,2021-01-06\n4,1E3-07,2021-01-07\n"
    )
    _, problems = patrols(workspace_contract, tmp_path / "data", text, rows)
    [problem] = problems
    assert "shop_id（商铺编号）有 2 个编号写成了科学计数法" in str(problem)
    assert problem.rows == [3, 4] and "“文本”格式" in problem.fix


def test_a_workspace_cannot_define_a_built_in_table_again(workspace_contract):
    text = patrol_yaml("true").replace("name: patrol_visits", "name: rental_inspections")
    (workspace_contract / "rental_inspections.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(DeclarationError) as caught:
        register_folder(workspace_contract)
    said = str(caught.value)
    assert (
        "数据表 rental_inspections 是数据约定中内置的表（出租屋排查表），工作区不能重新定义它"
        in said
    )
    assert "'" not in said and caught.value.fix.startswith("删去 rental_inspections.yaml")
    assert TABLES["rental_inspections"].zh == "出租屋排查表"  # the built-in one stays


def test_a_column_named_by_its_chinese_header_is_pointed_to_its_name(tmp_path):
    rentals(tmp_path, [5, 6, 5])
    t = load_frames({"rental_inspections": (0,)}, 2021, tmp_path, {"rental_inspections": []})
    with pytest.raises(NotCountedError) as caught:
        t.distinct("rental_inspections", "房屋编号")
    assert caught.value.fix == "是不是 house_id？"
