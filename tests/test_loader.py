"""The loader reads real-world exports and refuses bad input with a message that says what to do."""

import pandas as pd
import pytest

from helpers.data import loader, validate
from helpers.errors import DataError, ValidationError

HEADER_ZH = "工单编号,受理时间,工单类别,办理状态,重复工单,承办单位\n"
ROW = "T1,2021-03-01 10:00:00,投诉,已办结,否,莞城分局\n"


def put(data_dir, table, year, body: bytes, ext="csv"):
    folder = data_dir / table
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{year}.{ext}"
    path.write_bytes(body)
    return path


def test_reads_sample_formats(sample_dir):
    items = loader.load("service_items", 2021, sample_dir)  # XLSX with a title row above the header
    tickets = loader.load("hotline_tickets", 2021, sample_dir)  # GB18030 with Chinese headers
    events = loader.load("outreach_events", 2021, sample_dir)  # UTF-8 with BOM, Chinese headers
    assert {"item_id", "city_wide"} <= set(items.columns) and items["city_wide"].dtype == "boolean"
    assert pd.api.types.is_datetime64_any_dtype(tickets["received_at"])
    assert set(tickets["category"]) == {"投诉", "表扬", "咨询", "求助", "建议"}
    assert events["persons_served"].min() >= 0


def test_rows_of_other_years_are_dropped_and_counted(sample_dir):
    loaded, problems = loader.read_checked("hotline_tickets", 2021, sample_dir)
    assert not problems
    assert loaded.dropped_other_years == 3
    assert (loaded.frame["received_at"].dt.year == 2021).all()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_csv_encodings(tmp_path, encoding):
    put(tmp_path, "hotline_tickets", 2021, (HEADER_ZH + ROW).encode(encoding))
    frame = loader.load("hotline_tickets", 2021, tmp_path)
    assert frame.loc[0, "unit"] == "莞城分局"


def test_mixed_line_endings(tmp_path):
    body = HEADER_ZH.replace("\n", "\r\n") + ROW + ROW.replace("T1", "T2").replace("\n", "\r")
    put(tmp_path, "hotline_tickets", 2021, body.encode())
    assert list(loader.load("hotline_tickets", 2021, tmp_path)["ticket_id"]) == ["T1", "T2"]


def problem(tmp_path, body: str, table="hotline_tickets") -> DataError:
    put(tmp_path, table, 2021, body.encode("utf-8"))
    with pytest.raises(ValidationError) as err:
        loader.load(table, 2021, tmp_path)
    assert len(err.value.problems) >= 1
    return err.value.problems[0]


def test_missing_file_names_where_to_put_it(tmp_path):
    with pytest.raises(DataError) as err:
        loader.load("hotline_tickets", 2021, tmp_path)
    assert "hotline_tickets/2021.csv" in str(err.value) and "解决办法" in str(err.value)


def test_missing_required_column(tmp_path):
    p = problem(
        tmp_path, "工单编号,受理时间,工单类别,办理状态,承办单位\nT1,2021-03-01,投诉,已办结,x\n"
    )
    assert "重复工单" in p.column and "添加表头为" in p.fix


def test_unknown_header_suggests_nearest(tmp_path):
    p = problem(tmp_path, HEADER_ZH.replace("工单类别", "工单类型") + ROW)
    assert p.column == "工单类型" and "工单类别" in p.fix


def test_extra_column_is_only_a_warning(tmp_path, caplog):
    put(
        tmp_path,
        "hotline_tickets",
        2021,
        (HEADER_ZH.strip() + ",备注\n" + ROW.strip() + ",无\n").encode(),
    )
    assert len(loader.load("hotline_tickets", 2021, tmp_path)) == 1
    assert "备注" in caplog.text


@pytest.mark.parametrize("value", ["1,234", "—", "暂无", "12.5"])
def test_text_in_a_number_column(tmp_path, value):
    body = f'活动编号,活动日期,场所类型,服务人次,状态\nE1,2021-01-02,企业,10,已开展\nE2,2021-01-03,企业,"{value}",已开展\n'
    p = problem(tmp_path, body, "outreach_events")
    assert p.rows == [3] and p.values == [value]
    assert "服务人次" in p.column and "整数" in p.expected


def test_negative_count(tmp_path):
    p = problem(
        tmp_path,
        "活动编号,活动日期,场所类型,服务人次,状态\nE1,2021-01-02,企业,-5,已开展\n",
        "outreach_events",
    )
    assert p.rows == [2] and "≥ 0" in p.expected


def test_unparseable_date(tmp_path):
    p = problem(tmp_path, HEADER_ZH + ROW.replace("2021-03-01 10:00:00", "3月1日"))
    assert "受理时间" in p.column and p.values == ["3月1日"] and "YYYY-MM-DD" in p.fix


@pytest.mark.parametrize(
    ("written", "fix"),
    [
        ("2021-02-30 10:00:00", "2021-02-30 10:00:00 不是日历上的日期（2021年2月只有28天）"),
        ("2020/02/30", "2020/02/30 不是日历上的日期（2020年2月只有29天）"),
        ("2021-04-31", "2021-04-31 不是日历上的日期（2021年4月只有30天）"),
        ("2021-13-01 08:00:00", "2021-13-01 08:00:00 的月份 13 不存在"),
    ],
)
def test_a_date_written_right_but_not_on_the_calendar_is_said_so(tmp_path, written, fix):
    """Found by the tester: 2021-02-30 was told to be written as YYYY-MM-DD, as it was."""
    p = problem(tmp_path, HEADER_ZH + ROW.replace("2021-03-01 10:00:00", written))
    assert p.values == [written] and p.fix.startswith(fix) and "YYYY-MM-DD" not in p.fix


@pytest.mark.parametrize("written", ["2021-02-301", "2021-02/30", "0000-02-30"])
def test_a_date_of_another_shape_is_not_said_to_be_off_the_calendar(tmp_path, written):
    """Found by the tester: full-width digits and stray characters were told the month's days,
    where the fix is to write the date in the form the check reads."""
    p = problem(tmp_path, HEADER_ZH + ROW.replace("2021-03-01 10:00:00", written))
    assert p.values == [written] and "不是日历上的日期" not in p.fix and "YYYY-MM-DD" in p.fix


@pytest.mark.parametrize(
    ("table", "body", "written", "chars", "half"),
    [
        (
            "gangs",
            "团伙编号,打掉日期,团伙类别,成员人数,认定状态\n"
            "TH1,2021-01-02,黑社会性质组织,１７,已认定\n",
            "１７",
            "１、７",
            "17",
        ),
        (
            "hotline_tickets",
            HEADER_ZH + ROW.replace("2021-03-01", "２０２１－０３－０１"),
            "２０２１－０３－０１ 10:00:00",
            "２、０、１、－、３",
            "2021-03-01 10:00:00",
        ),
    ],
)
def test_full_width_digits_are_told_as_such(tmp_path, table, body, written, chars, half):
    """Digits typed with a Chinese input method's full-width form (tester, round 20: the fix
    spoke of thousands separators)."""
    p = problem(tmp_path, body, table)
    assert p.values == [written] and p.fix.startswith(
        f"“{written}”中有全角字符（{chars}）：改为半角（{half}；"
    )


def test_a_full_width_date_off_the_calendar_is_told_both(tmp_path):
    p = problem(tmp_path, HEADER_ZH + ROW.replace("2021-03-01 10:00:00", "２０２１-１０-３２"))
    assert p.fix.startswith(
        "“２０２１-１０-３２”中有全角字符（２、０、１、３）：改为半角（2021-10-32；"
    )
    assert "2021-10-32 不是日历上的日期（2021年10月只有31天）" in p.fix


def test_value_not_allowed(tmp_path):
    p = problem(tmp_path, HEADER_ZH + ROW.replace("投诉", "吐槽"))
    assert "投诉" in p.expected and p.values == ["吐槽"]
    # the office's own wording is mapped in the folder's mapping.yaml, no export again
    mapping = tmp_path / "hotline_tickets" / "mapping.yaml"
    assert p.fix.startswith("在来源系统中改正后重新导出；如果这是贵单位系统自己的取值")
    assert f"在 {mapping} 中把它对照到约定的取值" in p.fix and "该文件已有" not in p.fix
    assert p.fix.endswith("values: {工单类别: {吐槽: 约定的取值}}")


def test_a_value_not_allowed_is_mapped_in_the_mapping_file_there_is(tmp_path):
    """With a mapping.yaml in the folder already (tester, round 20: the fix said only to export
    again), the fix says to add the value under its values:, and doing so clears the problem."""
    folder = tmp_path / "hotline_tickets"
    folder.mkdir()
    (folder / "mapping.yaml").write_text("columns: {受理时间: 受理时间}\n", encoding="utf-8")
    p = problem(tmp_path, HEADER_ZH + ROW.replace("投诉", "吐槽"))
    assert "（该文件已有：加在它的 values: 下）" in p.fix
    (folder / "mapping.yaml").write_text("values: {工单类别: {吐槽: 投诉}}\n", encoding="utf-8")
    assert loader.load("hotline_tickets", 2021, tmp_path)["category"].tolist() == ["投诉"]


def test_duplicate_primary_key(tmp_path):
    p = problem(tmp_path, HEADER_ZH + ROW + ROW)
    assert p.rows == [2, 3] and "ticket_id" in p.column


def test_empty_table(tmp_path):
    p = problem(tmp_path, HEADER_ZH)
    assert "没有数据行" in str(p)


def test_all_problems_are_reported_at_once(tmp_path):
    body = HEADER_ZH + ROW.replace("投诉", "吐槽") + ROW.replace("T1", "T2").replace("否", "也许")
    put(tmp_path, "hotline_tickets", 2021, body.encode())
    with pytest.raises(ValidationError) as err:
        loader.load("hotline_tickets", 2021, tmp_path)
    assert len(err.value.problems) == 2


def test_two_files_for_one_year_are_ambiguous(tmp_path):
    put(tmp_path, "hotline_tickets", 2021, (HEADER_ZH + ROW).encode())
    put(tmp_path, "hotline_tickets", 2021, b"", ext="parquet")
    with pytest.raises(DataError, match="不知该用哪一个"):
        loader.load("hotline_tickets", 2021, tmp_path)


def test_raw_files_are_not_changed(sample_dir):
    path = sample_dir / "hotline_tickets" / "2021.csv"
    before = path.read_bytes(), path.stat().st_mtime_ns
    loader.load("hotline_tickets", 2021, sample_dir)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def rentals(tmp_path, **change):
    """A rental_inspections Parquet file in the contract's form (ids, dates, dictionary text)."""
    frame = pd.DataFrame(
        {
            "inspection_id": [1, 2, 3, 4],
            "house_id": [10, 11, 10, 12],
            "inspected_date": pd.to_datetime(["2021-01-05"] * 4),
            "town": pd.Categorical(["莞城"] * 4),
            "result": pd.Categorical(["正常"] * 4),
        }
    )
    for column, values in change.items():
        frame[column] = values
    path = tmp_path / "rental_inspections" / "2021.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(path, index=False)
    return path


def house_ids_only_required(monkeypatch=None):
    """The contract's rental inspections with house_id only required, not counted (not
    ``distinct``): a column the footer's statistics judge (in the registry too, given
    ``monkeypatch``)."""
    import dataclasses

    from helpers.data.contract import TABLES

    spec = TABLES["rental_inspections"]
    columns = tuple(
        dataclasses.replace(c, distinct=False) if c.name == "house_id" else c for c in spec.columns
    )
    changed = dataclasses.replace(spec, columns=columns)
    if monkeypatch is not None:
        monkeypatch.setitem(TABLES, "rental_inspections", changed)
    return changed


def test_parquet_in_contract_form_is_checked_where_it_lies(tmp_path, monkeypatch):
    rentals(tmp_path)
    monkeypatch.setattr(loader, "_read_file", lambda *a: pytest.fail("read whole"))
    loaded, problems = loader.read_checked("rental_inspections", 2021, tmp_path)
    assert problems == [] and len(loaded.frame) == 4
    assert loaded.frame["town"].dtype == "category"


@pytest.mark.parametrize(
    "change, message",
    [
        ({"inspection_id": [1, 2, 2, 4]}, "行的主键（inspection_id）重复"),
        ({"town": pd.Categorical(["莞城", "火星", "莞城", "莞城"])}, "个值超出了允许的范围"),
        ({"house_id": [10.0, None, 10.0, 12.0]}, "个空单元格"),
        ({"house_id": [10.5, 11.0, 10.0, 12.0]}, "个值无法读作整数"),
    ],
    ids=["duplicate key", "value not allowed", "empty cell", "fraction"],
)
def test_parquet_in_contract_form_with_a_problem_is_reported_in_full(tmp_path, change, message):
    path = rentals(tmp_path, **change)
    _, problems = loader.read_checked("rental_inspections", 2021, tmp_path)
    assert len(problems) == 1 and message in str(problems[0]) and str(path) in str(problems[0])


@pytest.mark.parametrize(
    "ids, dates, expected",
    [
        ([1, 2, 3, 4], ["2021-01-05", "2021-01-05", "2021-03-01", "2021-03-02"], 4),
        ([1, 2, 2, 4], ["2021-01-05"] * 4, "行的主键（inspection_id）重复"),  # across slices
        ([3, 4, 1, 2], ["2021-01-05"] * 4, 4),  # out of order across slices: the full way
        ([1, 2, 3, 4], ["2021-01-05", "2021-01-05", "2022-01-01", "2021-01-05"], 3),
    ],
    ids=["clean", "key repeated", "key out of order", "a date of another year"],
)
def test_parquet_in_contract_form_is_judged_across_slices(
    tmp_path, monkeypatch, ids, dates, expected
):
    """Slices of two rows: a key repeated, or out of order, across the seam, and a row of
    another year in the second slice, are found as in one piece; the days come from both."""
    from helpers.data import checks

    monkeypatch.setattr(checks, "CHECKED_ROWS", 2)
    rentals(tmp_path, inspection_id=ids, inspected_date=pd.to_datetime(dates))
    loaded, problems = loader.read_checked("rental_inspections", 2021, tmp_path)
    if isinstance(expected, str):
        assert len(problems) == 1 and expected in str(problems[0])
        return
    assert problems == [] and len(loaded.frame) == expected
    kept = sorted(i for i, d in zip(ids, dates, strict=True) if d < "2022")
    assert sorted(loaded.frame["inspection_id"]) == kept
    if expected == 4 and ids == [1, 2, 3, 4]:
        # the last day, 3 days with records, 54 without in a row (6 January to 28 February)
        assert loaded.span[:3] == ["2021-03-02", 3, 54]


def test_parquet_in_contract_form_with_rows_of_other_years(tmp_path):
    rentals(
        tmp_path,
        inspected_date=pd.to_datetime(["2020-12-31", "2021-01-05", "2021-06-01", "2022-01-01"]),
    )
    loaded, problems = loader.read_checked("rental_inspections", 2021, tmp_path)
    assert problems == [] and loaded.dropped_other_years == 2 and len(loaded.frame) == 2


def test_the_city_must_be_a_row_of_the_provinces_table(small_dir):
    """The parameters' city is looked up in each year's province table (read with Arrow alone
    from the checked rows): a city the table lacks is one error naming the table's cities."""
    from helpers.data import validate

    checked = validate.check_year(2021, small_dir)
    assert validate.cross_checks(checked, {"city": "东莞"}, small_dir) == []
    [problem] = [
        p
        for p in validate.cross_checks(checked, {"city": "莞城"}, small_dir)
        if "2021 年" in str(p)
    ]
    assert "'莞城'" in str(problem) and "东莞" in str(problem) and "广州" in str(problem)
    assert problem.file.name.startswith("2021.")
    cities = loader.column_values("province_cities", 2021, small_dir, "city")
    assert cities == loader.load("province_cities", 2021, small_dir)["city"].tolist()
    assert len(cities) == 21


def test_the_city_is_looked_up_on_the_pool_when_there_is_one(small_dir, monkeypatch):
    """With a pool, a worker reads the province's cities (the build process need not import
    pyarrow); the errors are the same, and the build process reads no table for them."""
    from concurrent.futures import ThreadPoolExecutor

    from helpers.data import validate

    monkeypatch.setattr(validate, "HERE_BYTES", -1)  # the pool, even if every file was cached
    with ThreadPoolExecutor(2) as pool:
        checking = validate.start_year(2021, small_dir, pool)
        checked = checking.result()
        checking.cities.result()  # read on the pool's threads before this one is watched
        monkeypatch.setattr(loader, "column_values", lambda *a: pytest.fail("read here"))
        assert validate.cross_checks(checked, {"city": "东莞"}, small_dir, checking) == []
        problems = validate.cross_checks(checked, {"city": "莞城"}, small_dir, checking)
    [problem] = [p for p in problems if "2021 年" in str(p)]
    assert "'莞城'" in str(problem) and "东莞" in str(problem) and "广州" in str(problem)


def test_a_year_is_checked_one_table_per_worker_at_a_time(small_dir, monkeypatch, tmp_path):
    """The build gives the pool as many checks at a time as it has workers, the first chapter's
    tables first; the rest wait with the build, behind a chapter handed over meanwhile."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from helpers.data import validate

    monkeypatch.setenv("LAWREPORT_CACHE", str(tmp_path / "cache"))  # every table checked anew
    monkeypatch.setattr(validate, "HERE_BYTES", -1)
    given, most, lock = [], 0, threading.Lock()
    check_one = validate.check_one

    def counted(table, year, data_dir, contract=None):
        nonlocal most
        with lock:
            given.append((table, year))
            most = max(most, len(given) - len(finished))
        try:
            return check_one(table, year, data_dir, contract)
        finally:
            with lock:
                finished.append((table, year))

    finished: list = []
    monkeypatch.setattr(validate, "check_one", counted)
    first = [[("alarms", 2021), ("alarms", 2020)]]
    with ThreadPoolExecutor(4) as pool:
        checked = validate.start_year(2021, small_dir, pool, first=first, depth=2).result()
    assert most <= 2
    assert sorted(given[:2]) == [("alarms", 2020), ("alarms", 2021)]
    assert len(given) == len(checked) > 10
    assert not validate.problems(checked)


def _parquet(tmp_path, name: str, column, **options):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / f"{name}.parquet"
    pq.write_table(pa.table({"n": column}), path, **options)
    return pq.ParquetFile(path)


def test_whole_numbers_are_judged_by_the_footers_statistics_when_they_can_be(tmp_path):
    """No empty cell in any row group and least/greatest within limits: clean without reading
    the column. Anything the statistics cannot show is read: no statistics, an empty cell,
    a value past a limit, fractions (NaN, whole numbers), text."""
    import pyarrow as pa

    from helpers.data.checks import _clean_by_statistics
    from helpers.data.contract import Column

    count = Column("n", "数量", "int", "count", min=0, max=10)
    plain = Column("n", "编号", "int", "id")
    groups = {"row_group_size": 2}
    assert _clean_by_statistics(_parquet(tmp_path, "a", [0, 3, 10, 7, 1], **groups), count)
    assert not _clean_by_statistics(_parquet(tmp_path, "b", [0, 3, 11, 7, 1], **groups), count)
    assert not _clean_by_statistics(_parquet(tmp_path, "c", [0, 3, -1, 7, 1], **groups), count)
    assert not _clean_by_statistics(_parquet(tmp_path, "d", [0, 3, None, 7, 1], **groups), plain)
    assert _clean_by_statistics(_parquet(tmp_path, "e", [5, 3, 99, 7, 1], **groups), plain)
    no_stats = _parquet(tmp_path, "f", [5, 3, 9, 7, 1], write_statistics=False)
    assert not _clean_by_statistics(no_stats, plain)
    assert not _clean_by_statistics(_parquet(tmp_path, "g", [1.0, 2.0]), plain)
    assert not _clean_by_statistics(_parquet(tmp_path, "h", pa.array([1, 2], pa.uint64())), plain)
    assert not _clean_by_statistics(_parquet(tmp_path, "i", ["1", "2"]), plain)
    optional = Column("n", "备注号", "int", "id", required=False)
    assert _clean_by_statistics(_parquet(tmp_path, "j", [1, None]), optional)


def test_a_number_column_the_footer_shows_clean_is_not_read_to_check_it(tmp_path, columns_read):
    """house_id, were it only required (not counted: ``distinct``), would be judged by its
    statistics, and the towns and results by their dictionary pages. The key and the dates are
    read (the key for its order, the dates for the year)."""
    from helpers.data import checks

    path = rentals(tmp_path)
    assert checks.clean_in_place(path, house_ids_only_required(), 2021) == (
        4,
        ["2021-01-05", 1, 4, 4, None, None],  # 1-4 January without a record, no gap
        {},
        None,  # no tally columns
        ("town", "result"),  # judged by their dictionary pages
    )
    assert set(columns_read) == {"inspection_id", "inspected_date"}


def test_an_empty_required_number_in_parquet_is_reported_with_or_without_statistics(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = rentals(tmp_path, house_id=pd.array([10, None, 10, 12], dtype="Int64"))
    for statistics in (True, False):
        pq.write_table(
            pa.Table.from_pandas(pd.read_parquet(path)), path, write_statistics=statistics
        )
        _, problems = loader.read_checked("rental_inspections", 2021, tmp_path)
        assert len(problems) == 1 and "必需的列 house_id（房屋编号）中有 1 个空单元格" in str(
            problems[0]
        )


def test_statistics_that_hide_an_empty_cell_are_caught_when_the_column_is_read(
    tmp_path, monkeypatch
):
    """A writer whose footer says a required column has no empty cell, wrongly: the rows are
    checked the full way when read, and the problem is the one a full check names, row and
    all; from then on the check itself goes the full way, until the file changes."""
    from helpers.data import checks

    house_ids_only_required(monkeypatch)  # judged by the footer, not read to count them
    rentals(tmp_path, house_id=pd.array([10, None, 10, 12], dtype="Int64"))
    monkeypatch.setattr(checks, "_clean_by_statistics", lambda source, col: True)
    assert validate.check_one("rental_inspections", 2021, tmp_path).problems == []
    with pytest.raises(ValidationError) as caught:
        loader.load("rental_inspections", 2021, tmp_path)
    said = str(caught.value)
    assert "必需的列 house_id（房屋编号）中有 1 个空单元格" in said and "2021.parquet" in said
    [problem] = validate.check_one("rental_inspections", 2021, tmp_path).problems
    assert "必需的列 house_id（房屋编号）中有 1 个空单元格" in str(problem)


def test_a_value_past_a_limit_behind_a_footer_that_denies_it_is_not_counted(tmp_path):
    """Bytes of a quantity changed to -7 after the file was written: the footer still says
    the least is 15, so the check passes on it; reading the column finds the value, and the
    error is the full check's, naming the row."""
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    n = 3000
    table = pa.table(
        {
            "record_id": [f"DJ{i:05d}" for i in range(n)],
            "seized_date": pa.array([dt.datetime(2021, 3, 1)] * n, pa.timestamp("ms")),
            "town": ["莞城"] * n,
            "quantity": pa.array([15 + i % 7 for i in range(n - 1)] + [987654321], pa.int64()),
        }
    )
    path = tmp_path / "knife_seizures" / "2021.parquet"
    path.parent.mkdir(parents=True)
    pq.write_table(table, path, row_group_size=1000, compression="none", use_dictionary=False)
    chunk = pq.ParquetFile(path).metadata.row_group(2).column(3)  # the last group's quantity
    end = chunk.data_page_offset + chunk.total_compressed_size  # plain values: the last ends it
    data = bytearray(path.read_bytes())
    assert data[end - 8 : end] == (987654321).to_bytes(8, "little")
    data[end - 8 : end] = (-7).to_bytes(8, "little", signed=True)
    path.write_bytes(bytes(data))
    assert validate.check_one("knife_seizures", 2021, tmp_path).problems == []  # by the footer
    with pytest.raises(ValidationError) as caught:
        loader.load("knife_seizures", 2021, tmp_path)
    said = str(caught.value)
    assert "quantity（数量（把））有 1 个值超出了允许的范围" in said and "-7" in said
    [problem] = validate.check_one("knife_seizures", 2021, tmp_path).problems
    assert problem.values == [-7]


def test_the_year_of_every_row_is_judged_by_the_least_and_greatest_time():
    import datetime as dt

    import pyarrow as pa

    from helpers.data.checks import _all_in_year
    from helpers.data.contract import Column

    when = Column("t", "时间", "datetime", "time")
    stamps = lambda *s: pa.array([dt.datetime.fromisoformat(x) for x in s], pa.timestamp("ms"))  # noqa: E731
    assert _all_in_year(stamps("2021-01-01 00:00:00", "2021-12-31 23:59:59.999"), when, 2021)
    assert not _all_in_year(stamps("2021-06-01", "2022-01-01 00:00:00"), when, 2021)
    assert not _all_in_year(stamps("2020-12-31 23:59:59", "2021-06-01"), when, 2021)
    assert not _all_in_year(pa.array([None, 1], pa.timestamp("ms")), when, 2021)
    year = Column("y", "年度", "int", "year")
    assert _all_in_year(pa.array([2021, 2021]), year, 2021)
    assert not _all_in_year(pa.array([2021, 2020]), year, 2021)


def test_a_damaged_page_of_a_column_judged_by_the_footer_is_reported_when_read(
    tmp_path, monkeypatch
):
    """The check judged house_id by the footer; a damaged page in it shows when a chapter reads
    the column: an error naming the file and saying to export it again, not a traceback."""
    import pyarrow.parquet as pq

    house_ids_only_required(monkeypatch)
    path = rentals(tmp_path, house_id=list(range(10, 14)))
    meta = pq.ParquetFile(path).metadata.row_group(0).column(1)
    assert meta.path_in_schema == "house_id"
    data = bytearray(path.read_bytes())
    start = meta.dictionary_page_offset if meta.has_dictionary_page else meta.data_page_offset
    data[start : start + meta.total_compressed_size] = b"\xff" * meta.total_compressed_size
    path.write_bytes(bytes(data))
    assert validate.check_one("rental_inspections", 2021, tmp_path).problems == []
    with pytest.raises(DataError) as caught:
        loader.load("rental_inspections", 2021, tmp_path, columns=["house_id"])
    said = str(caught.value)
    assert "2021.parquet 中 rental_inspections（出租屋排查表）的数据无法读取" in said
    assert "重新导出 2021.parquet" in said


def test_parquet_columns_copied_a_slice_at_a_time_are_arrows_whole_read(tmp_path, monkeypatch):
    """Whole numbers, fractions and times are copied into numpy two rows at a time here, across
    row groups of three; the frame is the one Arrow's whole read gives, column order and types
    included: an empty cell (in the last group only) sends its column Arrow's way, pandas'
    nullable types written into the file stay, and text, booleans and zoned times go as before."""
    import datetime as dt

    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    monkeypatch.setattr(loader, "DIRECT_ROWS", 2)
    n = 7
    when = [dt.datetime(2021, 1, 1, 8) + dt.timedelta(hours=7 * i) for i in range(n)]
    table = pa.table(
        {
            "id": pa.array(range(100, 100 + n), pa.int64()),
            "small": pa.array([i % 3 for i in range(n)], pa.int8()),
            "share": pa.array([i / 4 for i in range(n)], pa.float64()),
            "at": pa.array(when, pa.timestamp("ms")),
            "zoned": pa.array(when, pa.timestamp("us", tz="Asia/Shanghai")),
            "name": [f"第{i}条" for i in range(n)],
            "kind": pa.array(["甲", "乙"] * 3 + ["甲"]).dictionary_encode(),
            "flag": [i % 2 == 0 for i in range(n)],
            "gaps": pa.array([1, 2, 3, 4, 5, 6, None], pa.int64()),
        }
    )
    path = tmp_path / "t.parquet"
    pq.write_table(table, path, row_group_size=3)
    assert pq.ParquetFile(path).metadata.num_row_groups == 3
    whole = pq.read_table(path).to_pandas()
    got = loader.parquet_frame(path)
    pd.testing.assert_frame_equal(got, whole, check_exact=True)
    assert list(got.columns) == table.column_names
    assert got["gaps"].dtype == np.float64 and np.isnan(got["gaps"].iloc[-1])
    assert got["id"].tolist() == list(range(100, 107))  # the values themselves, not only alike
    assert got["at"].iloc[6] == pd.Timestamp("2021-01-03 02:00")  # 8 h + 6 × 7 h
    some = ["name", "at", "id"]  # a subset, in an order of its own
    pd.testing.assert_frame_equal(
        loader.parquet_frame(path, some), pq.read_table(path, columns=some).to_pandas()
    )
    written = tmp_path / "pandas.parquet"  # nullable whole numbers, as the table cache holds them
    pd.DataFrame({"n": pd.array([1, 2, 3], dtype="Int64"), "x": [1.5, 2.5, 3.5]}).to_parquet(
        written
    )
    back = loader.parquet_frame(written)
    assert back["n"].dtype == "Int64" and back["x"].dtype == np.float64
    assert back["n"].tolist() == [1, 2, 3]


def test_parquet_columns_are_shown_to_a_checker_in_full(tmp_path, monkeypatch):
    """``each`` sees every row of every column read, however it was read: the footer check of a
    file read in place relies on it."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    monkeypatch.setattr(loader, "DIRECT_ROWS", 2)
    path = tmp_path / "t.parquet"
    table = pa.table({"a": list(range(5)), "b": ["x", "y", "z", "x", "y"]})
    pq.write_table(table, path, row_group_size=2)
    seen: dict[str, list] = {}
    loader.parquet_frame(path, each=lambda name, v: seen.setdefault(name, []).extend(v.to_pylist()))
    assert seen == {"a": [0, 1, 2, 3, 4], "b": ["x", "y", "z", "x", "y"]}


def _set_footer_rows(path, old: int, new: int) -> None:
    """Write ``new`` for the file's row count in a Parquet footer (FileMetaData.num_rows: field 3,
    i64, Thrift's compact protocol), the row groups' own counts left as they are."""
    import struct

    def varint(n: int) -> bytes:
        out = bytearray()
        while True:
            low, n = n & 0x7F, n >> 7
            out.append(low | 0x80 if n else low)
            if not n:
                return bytes(out)

    def zigzag(n: int) -> int:
        return (n << 1) ^ (n >> 63)

    data = path.read_bytes()
    size = struct.unpack("<I", data[-8:-4])[0]
    start = len(data) - 8 - size
    footer = data[start:-8]
    field = b"\x16" + varint(zigzag(old)) + b"\x19"  # num_rows, then the row groups' list
    assert footer.count(field) == 1
    footer = footer.replace(field, b"\x16" + varint(zigzag(new)) + b"\x19")
    path.write_bytes(data[:start] + footer + struct.pack("<I", len(footer)) + b"PAR1")


@pytest.mark.parametrize("said", [-5, 1 << 40])
def test_a_footer_miscounting_its_rows_still_loads_the_rows_it_holds(tmp_path, said):
    """The file's own row count says -5 or a trillion; its row groups hold 4 rows, which Arrow
    reads: the table loads them, as before copying columns into numpy (tester, round 12: numpy
    was asked for a negative or 8 TiB array)."""
    import pyarrow.parquet as pq

    path = rentals(tmp_path)
    _set_footer_rows(path, 4, said)
    assert pq.ParquetFile(path).metadata.num_rows == said
    assert validate.check_one("rental_inspections", 2021, tmp_path).problems == []
    frame = loader.load("rental_inspections", 2021, tmp_path)
    assert frame["house_id"].tolist() == [10, 11, 10, 12]


def test_what_pandas_wrote_about_an_index_or_types_is_read_as_arrow_reads_it(tmp_path):
    """A frame pandas saved with its index (rows 1 and 2 of three), and a reader's own types:
    the values stay on their rows, the index is pandas', and ``types_mapper`` is obeyed
    (tester, round 12: the copied column kept its rows while the others took the index's)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    saved = tmp_path / "indexed.parquet"
    pd.DataFrame({"n": [1, 2, 3], "s": ["x", "y", "z"]}).iloc[1:].to_parquet(saved)
    back = loader.read_parquet(saved)
    assert back["n"].tolist() == [2, 3] and back["s"].tolist() == ["y", "z"]
    assert back.index.tolist() == [1, 2]
    plain = tmp_path / "plain.parquet"
    pq.write_table(pa.table({"n": [1, 2, 3]}), plain)
    mapped = loader.parquet_frame(plain, types_mapper={pa.int64(): pd.Int64Dtype()}.get)
    assert mapped["n"].dtype == "Int64" and mapped["n"].tolist() == [1, 2, 3]
    assert loader.parquet_frame(plain, ["n", "not there"]).columns.tolist() == ["n"]


def test_a_file_with_a_name_twice_gives_what_arrow_gives(tmp_path):
    """Two columns named ``a`` and one ``b``: asking for ``a`` gives both, as Arrow does, and
    ``b`` alone its values (tester, round 13: asking for ``a`` raised KeyError)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "twice.parquet"
    table = pa.table(
        [pa.array([1, 2, 3]), pa.array([4, 5, 6]), pa.array([7.0, 8.0, 9.0])], names=["a", "a", "b"]
    )
    pq.write_table(table, path)
    both = loader.parquet_frame(path, ["a"])
    assert both.columns.tolist() == ["a", "a"]
    assert both.to_numpy().tolist() == [[1, 4], [2, 5], [3, 6]]
    assert loader.parquet_frame(path, ["b"])["b"].tolist() == [7.0, 8.0, 9.0]
    assert loader.parquet_frame(path).shape == (3, 3)


def test_pandas_metadata_arrow_reads_otherwise_is_left_to_arrow(tmp_path):
    """Column labels pandas wrote as numbers come back as the numbers 0 and 1, metadata that is
    not JSON is refused as Arrow refuses it, and with no columns asked a file whose name ``a``
    is on its first and third columns keeps them in the file's order (tester, round 14: labels
    "0" and "1", a frame, and ``a, a, b``)."""
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq

    level = {"name": None, "field_name": None, "pandas_type": "int64", "numpy_type": "int64"}
    columns = [
        {"name": "0", "field_name": "0", "pandas_type": "int64", "numpy_type": "int64"},
        {"name": "1", "field_name": "1", "pandas_type": "unicode", "numpy_type": "object"},
    ]
    meta = {"index_columns": [], "column_indexes": [level], "columns": columns}
    numbered = tmp_path / "numbered.parquet"
    table = pa.table({"0": [7, 8, 9], "1": ["x", "y", "z"]})
    pq.write_table(table.replace_schema_metadata({b"pandas": json.dumps(meta).encode()}), numbered)
    frame = loader.parquet_frame(numbered)
    assert frame.columns.tolist() == [0, 1]
    assert frame[0].tolist() == [7, 8, 9] and frame[1].tolist() == ["x", "y", "z"]
    broken = tmp_path / "broken.parquet"
    pq.write_table(pa.table({"n": [1, 2]}).replace_schema_metadata({b"pandas": b"{bad"}), broken)
    with pytest.raises(json.JSONDecodeError):
        loader.parquet_frame(broken)
    twice = tmp_path / "twice.parquet"
    pq.write_table(
        pa.table(
            [pa.array([1, 2]), pa.array(["x", "y"]), pa.array([3.5, 4.5])], names=["a", "b", "a"]
        ),
        twice,
    )
    frame = loader.parquet_frame(twice)
    assert frame.columns.tolist() == ["a", "b", "a"]
    assert frame.astype(object).values.tolist() == [[1, "x", 3.5], [2, "y", 4.5]]


def test_arrows_own_conversions_are_obeyed_for_numbers_and_times(tmp_path):
    """Options of ``to_pandas`` that change how numbers or times come out are obeyed for the
    columns ``parquet_frame`` would copy itself (tester, round 13: they were ignored)."""
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "times.parquet"
    when = [dt.datetime(2021, 1, 2, 3, 4, 5), dt.datetime(2021, 6, 7, 8, 9, 10)]
    table = pa.table({"t": pa.array(when, pa.timestamp("us")), "n": pa.array([3, 1])})
    pq.write_table(table, path)
    as_objects = loader.parquet_frame(path, timestamp_as_object=True)
    assert as_objects["t"].dtype == object and as_objects["t"].tolist() == when
    assert loader.parquet_frame(path)["t"].dtype == "datetime64[us]"
    nanos = loader.parquet_frame(path, coerce_temporal_nanoseconds=True)
    assert nanos["t"].dtype == "datetime64[ns]"
    assert list(nanos["t"]) == [pd.Timestamp(w) for w in when]
    kinds = loader.parquet_frame(path, categories=["n"])
    assert isinstance(kinds["n"].dtype, pd.CategoricalDtype)
    assert kinds["n"].tolist() == [3, 1]
    assert loader.parquet_frame(path, timestamp_as_object=False)["n"].dtype == "int64"


def test_of_two_columns_whose_footers_lie_the_first_in_the_contract_is_named(
    tmp_path, caplog, monkeypatch
):
    """``visited`` (the contract's first count) breaks its limit in the second row group, ``deeds``
    in the first: the warning names ``visited``, as a check in the contract's order does (tester,
    round 12: the column met first, slice by slice, was named)."""
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    n, group, big = 400, 200, 987654321
    monkeypatch.setattr(loader, "DIRECT_ROWS", group)  # a slice is a row group
    counts = {
        c: [i % 5 for i in range(n)] for c in ("visited", "served", "persuaded", "deeds", "solved")
    }
    counts["visited"][n - 1] = big  # the last value of the last group
    counts["deeds"][group - 1] = big  # the last value of the first group
    table = pa.table(
        {
            "log_id": [f"L{i:05d}" for i in range(n)],
            "log_date": pa.array([dt.datetime(2021, 3, 1)] * n, pa.timestamp("ms")),
            "team": ["一队"] * n,
            "town": ["莞城"] * n,
            **{c: pa.array(v, pa.int64()) for c, v in counts.items()},
        }
    )
    path = tmp_path / "volunteer_logs" / "2021.parquet"
    path.parent.mkdir(parents=True)
    pq.write_table(table, path, row_group_size=group, compression="none", use_dictionary=False)
    meta = pq.ParquetFile(path).metadata
    data = bytearray(path.read_bytes())
    for rg, name in ((1, "visited"), (0, "deeds")):  # plain values: the last one ends the page
        chunk = meta.row_group(rg).column(table.column_names.index(name))
        end = chunk.data_page_offset + chunk.total_compressed_size
        assert data[end - 8 : end] == big.to_bytes(8, "little")
        data[end - 8 : end] = (-7).to_bytes(8, "little", signed=True)
    path.write_bytes(bytes(data))
    assert validate.check_one("volunteer_logs", 2021, tmp_path).problems == []  # by the footer
    with pytest.raises(ValidationError):
        loader.load("volunteer_logs", 2021, tmp_path)
    said = [r.getMessage() for r in caplog.records if "统计信息说没有" in r.getMessage()]
    assert said and "列 visited（" in said[0]


GANGS_HEADER = "团伙编号,打掉日期,团伙类别,成员人数,认定状态\n"


@pytest.mark.parametrize(
    ("row", "written", "chars", "half", "then"),
    [
        # ASCII digits, full-width dashes: changing ０—９ would leave it as it was
        ("TH1,2021－01－02,黑社会性质组织,17,已认定\n", "2021－01－02", "－", "2021-01-02",
         "日期写成 YYYY-MM-DD（2021-03-19）"),
        # the full-width comma too: 1，200 is no half-width form
        ("TH1,2021-01-02,黑社会性质组织,\"１，２００\",已认定\n", "１，２００", "１、，、２、０",
         "1,200", "只写数字：不要千位分隔符（1,234 → 1234）"),
        ("TH1,2021－02－30,黑社会性质组织,17,已认定\n", "2021－02－30", "－", "2021-02-30",
         "2021-02-30 不是日历上的日期（2021年2月只有28天）"),
        # the ideographic space between date and time (a hotline ticket's 受理时间)
        ("T1,2021-03-01　10:00:00,投诉,已办结,否,莞城分局\n", "2021-03-01　10:00:00", "全角空格",
         "2021-03-01 10:00:00", "时间写成 YYYY-MM-DD HH:MM:SS"),
    ],
)  # fmt: skip
def test_any_full_width_character_is_told_with_the_half_width_form(
    tmp_path, row, written, chars, half, then
):
    """Found by the tester (round 21): 2021－01－02 was said to have full-width digits and
    １，２００ was given 1，200 as its half-width form."""
    gangs = row.startswith("TH")
    p = problem(
        tmp_path,
        (GANGS_HEADER if gangs else HEADER_ZH) + row,
        "gangs" if gangs else "hotline_tickets",
    )
    assert p.fix.startswith(f"“{written}”中有全角字符（{chars}）：改为半角（{half}；")
    assert f"；{then}" in p.fix and "０—９" not in p.fix and "全角数字" not in p.fix


def test_a_whole_number_in_scientific_notation_is_refused_with_how_to_export(tmp_path):
    """Excel shows a 12-digit id as 4.419E+11 and saves it so: its last digits are gone, and
    different dwellings would become one (tester round 24: 100 ids merged, F044 published 1%
    low). A fraction's column still reads 1.5e3."""
    put(
        tmp_path,
        "rental_inspections",
        2021,
        "inspection_id,house_id,inspected_date,town,result\n"
        "1,441900000001,2021-03-01,莞城,正常\n2,4.419E+11,2021-03-01,莞城,正常\n"
        "3,1e3,2021-03-02,莞城,正常\n".encode(),
    )
    _, problems = loader.read_checked("rental_inspections", 2021, tmp_path)
    [problem] = problems
    assert "house_id（房屋编号）有 2 个值无法读作整数" in str(problem)
    assert problem.rows == [3, 4] and problem.values == ["4.419E+11", "1e3"]
    assert problem.fix.startswith("“4.419E+11”是科学计数法")
    put(
        tmp_path,
        "drug_seizures",
        2021,
        "缴获编号,缴获日期,毒品种类,重量（克）\nD1,2021-04-01,冰毒,1.5e3\n".encode(),
    )
    loaded, problems = loader.read_checked("drug_seizures", 2021, tmp_path)
    assert problems == [] and loaded.frame.iloc[0, -1] == 1500


def test_a_workbook_for_a_table_that_takes_none_is_told_what_it_takes(tmp_path):
    """rental_inspections takes Parquet and CSV: the fix for a 2021.xlsx must not say to save
    it as a workbook (tester round 24)."""
    put(tmp_path, "rental_inspections", 2021, b"PK\x03\x04", ext="xlsx")
    with pytest.raises(DataError) as caught:
        loader.read_checked("rental_inspections", 2021, tmp_path)
    assert "2021.xlsx 不是读取程序支持的格式" in str(caught.value)
    assert caught.value.fix == "另存为 CSV UTF-8（2021.csv）"
