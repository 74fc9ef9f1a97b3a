"""How XLSX cells read (calamine, openpyxl for numbers of 16+ digits): every kind of cell an
export holds comes out as the text the contract check expects, the same as openpyxl read it
before calamine, and the cases where the two engines differ are pinned here.

Workbooks are written in tmp folders, by openpyxl (as Excel stores cells) or as hand-written
XML (as other exporters write them); every expected value is written out by hand.
"""

from __future__ import annotations

import sys
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from helpers.data import checks, loader, readers
from helpers.data.contract import TABLES
from helpers.errors import DataError

GANGS = TABLES["gangs"]
HEADER = ["团伙编号", "打掉日期", "团伙类别", "成员人数", "认定状态"]
GANG = ["G1", "2021-05-01", "恶势力犯罪集团"]  # the first three cells of a gangs row
ID_CELL = '<c r="A2" t="inlineStr"><is><t>G1</t></is></c>'  # a row is more than a missing cell
MISSING = None  # a cell the reader gives as missing (NaN)
PANDAS_3 = int(pd.__version__.split(".")[0]) >= 3


def written_by_openpyxl(path: Path, value: object, number_format: str | None = None) -> Path:
    """A gangs workbook whose one data row holds ``value`` under 团伙类别 (column C)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["G1", date(2021, 5, 1), None, 5, "已认定"])
    sheet["C2"] = value
    if number_format:
        sheet["C2"].number_format = number_format
    book.save(path)
    return path


def hand_written(path: Path, cells: str, strings: tuple[str, ...] = (), prefix: str = "") -> Path:
    """A one-sheet workbook whose sheet XML has the gangs header in row 1 and ``cells`` (the
    ``<c>`` elements of row 2, without namespace prefix) as another exporter writes them; its
    shared strings are ``strings``. With ``prefix`` every element of the sheet carries it."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006"
    kind = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    header = "".join(
        f'<c r="{col}1" t="inlineStr"><is><t>{text}</t></is></c>'
        for col, text in zip("ABCDE", HEADER, strict=True)
    )
    rows = f'<row r="1">{header}</row><row r="2">{cells}</row>'
    sheet = f'<worksheet xmlns="{main}"><sheetData>{rows}</sheetData></worksheet>'
    if prefix:
        sheet = (
            sheet.replace("<", f"<{prefix}:")
            .replace(f"<{prefix}:/", f"</{prefix}:")
            .replace("xmlns=", f"xmlns:{prefix}=")
        )
    shared = "".join(f'<si><t xml:space="preserve">{s}</t></si>' for s in strings)
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{package}/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{kind}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{kind}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{kind}.sharedStrings+xml"/>'
        "</Types>",
        "_rels/.rels": f'<Relationships xmlns="{package}/relationships">'
        f'<Relationship Id="rId1" Type="{rels}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": f'<workbook xmlns="{main}" xmlns:r="{rels}"><sheets>'
        '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{package}/relationships">'
        f'<Relationship Id="rId1" Type="{rels}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{rels}/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>",
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": f'<sst xmlns="{main}">{shared}</sst>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, xml in parts.items():
            book.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>' + xml)
    return path


def category_cell(path: Path) -> object:
    """The raw cell under 团伙类别 in the first data row, None when the reader gives it missing."""
    cells, _ = readers.read_raw(path, GANGS)
    value = cells["团伙类别"].iloc[0]
    return None if pd.isna(value) else value


# ------------------------------------------------------------------ cells as Excel stores them
@pytest.mark.parametrize(
    "value, number_format, text",
    [
        ("恶势力犯罪集团", None, "恶势力犯罪集团"),
        (" 莞城 ", None, " 莞城 "),  # spaces stay: the contract check strips them
        ("00123", None, "00123"),  # an id with leading zeros, stored as text
        ("110101199001011234", None, "110101199001011234"),  # an id card number as text
        (5, None, "5"),
        (5.0, None, "5"),  # a whole number reads without ".0"
        (-5, None, "-5"),
        (0.1, None, "0.1"),
        (1 / 3, None, "0.3333333333333333"),
        (1e20, None, "1E+20"),  # as saved (1e+20): Excel keeps 15 digits of so long a number
        (123456789012345, None, "123456789012345"),  # 15 digits: what Excel itself keeps
        (1234.5, "#,##0.00", "1234.5"),  # the value, not the format
        (0.25, "0%", "0.25"),
        (44197, "@", "44197"),
        (True, None, "True"),
        (date(2021, 3, 1), None, "2021-03-01 00:00:00"),
        (datetime(2021, 3, 1, 8, 15, 30), None, "2021-03-01 08:15:30"),
        (datetime(2021, 12, 31, 23, 59, 59, 999000), None, "2021-12-31 23:59:59.999000"),
        (44197, "yyyy-mm-dd", "2021-01-01 00:00:00"),  # a serial under a date format
        (44197, 'yyyy"年"m"月"d"日"', "2021-01-01 00:00:00"),
        (44197.75, "yyyy-mm-dd hh:mm", "2021-01-01 18:00:00"),
        (time(12, 30), None, "12:30:00"),
        (0.5, "hh:mm", "12:00:00"),
        pytest.param(
            timedelta(hours=30, minutes=5),
            None,
            "1 day, 6:05:00",
            marks=pytest.mark.skipif(
                not PANDAS_3, reason="pandas 2.x gives calamine's durations as '1 days 06:05:00'"
            ),
        ),
        ("NA", None, MISSING),  # pandas' words for a missing value, as with openpyxl
        ("=1+1", None, MISSING),  # a formula saved without its result
    ],
)
def test_cells_read_as_the_text_the_check_expects(tmp_path, value, number_format, text):
    assert category_cell(written_by_openpyxl(tmp_path / "g.xlsx", value, number_format)) == text


# ------------------------------------------------------------------ cells other exporters write
@pytest.mark.parametrize(
    "cells, strings, text",
    [
        # a number of 16+ digits (an id exported as a number) keeps every digit: calamine's
        # doubles would read ...232 and ...992
        ('<c r="C2"><v>110101199001011234</v></c>', (), "110101199001011234"),
        ('<c r="C2" t="n"><v>-9007199254740993</v></c>', (), "-9007199254740993"),
        ('<c r="C2"><v>1E3</v></c>', (), "1000"),
        ('<c r="C2" t="b"><v>1</v></c>', (), "True"),
        ('<c r="C2" t="e"><v>#REF!</v></c>', (), MISSING),
        ('<c r="C2" t="str"><f>A2</f><v>G1</v></c>', (), "G1"),  # a formula's saved text
        # _xHHHH_ escapes are decoded, as Excel shows the text (openpyxl left them as written):
        # Excel stores a carriage return as _x000D_, and a literal "_x" as _x005F_x
        (
            '<c r="C2" t="s"><v>0</v></c>',
            ("恶势力犯罪集团_x000D_\n其他",),
            "恶势力犯罪集团\r\n其他",
        ),
        ('<c r="C2" t="inlineStr"><is><t>a_x000D_b</t></is></c>', (), "a\rb"),
        ('<c r="C2" t="s"><v>0</v></c>', ("_x005F_x0041_",), "_x0041_"),
        # an ISO date cell reads as any date does (openpyxl gave "2021-03-02")
        ('<c r="C2" t="d"><v>2021-03-02</v></c>', (), "2021-03-02 00:00:00"),
        ('<c r="C2" t="d"><v>2021-03-02T10:00:00</v></c>', (), "2021-03-02 10:00:00"),
    ],
)
def test_cells_of_other_exporters(tmp_path, cells, strings, text):
    path = hand_written(tmp_path / "g.xlsx", ID_CELL + cells, strings)
    assert category_cell(path) == text


def test_long_numbers_in_a_prefixed_sheet_keep_their_digits(tmp_path):
    """Writers on .NET's Open XML SDK prefix every element: <x:c><x:v>…</x:v></x:c>."""
    path = hand_written(tmp_path / "g.xlsx", '<c r="C2"><v>110101199001011234</v></c>', prefix="x")
    assert category_cell(path) == "110101199001011234"


@pytest.mark.parametrize(
    "cells, long",
    [
        ('<c r="C2"><v>1234567890123456</v></c>', True),  # 16 digits: past what a double keeps
        ('<c r="C2"><v>-1234567890123456</v></c>', True),
        ('<c r="C2"><v>123456789012345</v></c>', False),  # 15 digits
        ('<c r="C2"><v>1.10101199001011E+17</v></c>', False),  # Excel's own form: a double
        # ids as text are the usual case: they must not cost the slow reader
        ('<c r="C2" t="inlineStr"><is><t>110101199001011234</t></is></c>', False),
        ('<c r="C2" t="s"><v>0</v></c>', False),
    ],
)
def test_which_workbooks_need_openpyxl(tmp_path, cells, long):
    path = hand_written(tmp_path / "g.xlsx", cells, ("110101199001011234",))
    assert readers._long_numbers(path) is long


@pytest.mark.parametrize(
    "cells, text",
    [
        # Excel keeps 15 significant digits: an id card typed as a number is saved rounded, and
        # read as a number it would look like an id ending in 000 (tester round 25)
        ('<c r="C2"><v>1.10101199001011E+17</v></c>', "1.10101199001011E+17"),
        ('<c r="C2" s="3" t="n"><v>1.1010119900101e+17</v></c>', "1.1010119900101E+17"),
        ('<c s="3" r="C2"><f>A2*1</f><v>4.4190000000001E+15</v></c>', "4.4190000000001E+15"),
        ('<c r="C2"><v>1.5E+14</v></c>', "150000000000000"),  # 15 digits: Excel keeps them
        ('<c r="C2"><v>1234567890123456</v></c>', "1234567890123456"),  # written in full
    ],
)
def test_a_number_excel_rounded_is_read_as_excel_saved_it(tmp_path, cells, text):
    assert category_cell(hand_written(tmp_path / "g.xlsx", cells)) == text


def test_a_rounded_number_in_a_prefixed_sheet_is_read_as_saved(tmp_path):
    path = hand_written(
        tmp_path / "g.xlsx", '<c r="C2"><v>1.10101199001011E+17</v></c>', prefix="x"
    )
    assert category_cell(path) == "1.10101199001011E+17"


def test_a_long_number_across_the_scans_chunks_is_found(tmp_path):
    """The scan reads a sheet 1 MiB at a time: a number cut by a chunk's end is still found."""
    path = hand_written(tmp_path / "g.xlsx", '<c r="C2"><v>110101199001011234</v></c>')
    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    number = sheet.index(b"<v>110101199001011234")
    padding = (1 << 20) - number - 10  # the chunk ends after "<v>1101101"
    at = sheet.index(b"<sheetData>")
    comment = b"<!--" + b"x" * (padding - 7) + b"-->"
    parts["xl/worksheets/sheet1.xml"] = sheet[:at] + comment + sheet[at:]
    assert parts["xl/worksheets/sheet1.xml"].index(b"<v>1101") == (1 << 20) - 10
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in parts.items():
            book.writestr(name, data)
    assert readers._long_numbers(path)
    assert category_cell(path) == "110101199001011234"


# ------------------------------------------------------------------ what the contract check sees
def test_excel_typed_cells_pass_the_contract_as_typed(tmp_path):
    """Dates, numbers and text as Excel stores them, a title row above the header, a trailing
    carriage return Excel stored as _x000D_: the typed table is what the cells say."""
    folder = tmp_path / "gangs"
    folder.mkdir()
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["东莞市公安局打团伙台账"])
    sheet.merge_cells("A1:E1")
    sheet.append(HEADER)
    sheet.append(["G1", date(2021, 5, 1), "恶势力犯罪集团", 5, "已认定"])
    sheet.append(["00002", datetime(2021, 6, 2, 9, 30), "其他犯罪团伙", 7.0, "已撤销"])
    sheet.append(["G3", 44378, "电诈犯罪团伙", "12", "已认定"])  # 44378: 2021-07-01
    sheet["B5"].number_format = "yyyy-mm-dd"
    book.save(folder / "2021.xlsx")
    frame = loader.load("gangs", 2021, tmp_path)
    assert frame["gang_id"].tolist() == ["G1", "00002", "G3"]
    assert frame["dismantled_date"].tolist() == [
        pd.Timestamp("2021-05-01"),
        pd.Timestamp("2021-06-02 09:30"),
        pd.Timestamp("2021-07-01"),
    ]
    assert frame["category"].tolist() == ["恶势力犯罪集团", "其他犯罪团伙", "电诈犯罪团伙"]
    assert frame["members"].tolist() == [5, 7, 12] and str(frame["members"].dtype) == "Int64"
    assert frame["status"].tolist() == ["已认定", "已撤销", "已认定"]


def test_a_carriage_return_excel_stored_is_no_unknown_value(tmp_path):
    """ "已认定" followed by a carriage return (pasted from another program) is 已认定: openpyxl
    read "已认定_x000D_", which the contract refused as a value not allowed."""
    text = [
        f'<c r="{c}2" t="inlineStr"><is><t>{t}</t></is></c>'
        for c, t in zip("ABC", GANG, strict=True)
    ]
    row = (
        "".join(text)
        + '<c r="D2"><v>5</v></c><c r="E2" t="inlineStr"><is><t>已认定_x000D_</t></is></c>'
    )
    path = hand_written(tmp_path / "g.xlsx", row)
    cells, first_row = readers.read_raw(path, GANGS)
    frame, problems = checks.check(cells, GANGS, path, first_row)
    assert problems == [] and frame["status"].tolist() == ["已认定"]


def test_sample_workbooks_read_as_openpyxl_reads_them(small_dir, monkeypatch):
    """Every sample XLSX: the same cells, header row and checked table whichever engine reads it
    (openpyxl forced by answering that the workbook has long numbers)."""
    paths = sorted(small_dir.glob("*/*.xlsx"))
    assert len(paths) >= 40
    for path in paths:
        spec = TABLES[path.parent.name]
        cells, first_row = readers.read_raw(path, spec)
        with monkeypatch.context() as m:
            m.setattr(readers, "_long_numbers", lambda path: True)
            before, before_first_row = readers.read_raw(path, spec)
        pd.testing.assert_frame_equal(cells, before, obj=str(path))
        assert (cells.attrs, first_row) == (before.attrs, before_first_row)
        frame, problems = checks.check(cells, spec, path, first_row)
        frame_before, problems_before = checks.check(before, spec, path, first_row)
        pd.testing.assert_frame_equal(frame, frame_before, obj=str(path))
        assert problems == problems_before == []


# ------------------------------------------------------------------ workbooks that cannot be read
def damaged_zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as book:  # a zip, but no workbook in it (a .docx, say)
        book.writestr("word/document.xml", "<document/>")


def sheet_cut_short(path: Path) -> None:
    """An intact zip whose sheet XML stops in the middle (a cut export the zip was made from)."""
    hand_written(path, ID_CELL + '<c r="C2"><v>1</v></c>')
    with zipfile.ZipFile(path) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = sheet[: sheet.index(b'<row r="2">') + 20]
    with zipfile.ZipFile(path, "w") as book:
        for name, data in parts.items():
            book.writestr(name, data)


def truncated_with_long_numbers(path: Path) -> None:
    hand_written(path, '<c r="C2"><v>110101199001011234</v></c>')
    path.write_bytes(path.read_bytes()[:-40])


@pytest.mark.parametrize("make", [damaged_zip, sheet_cut_short, truncated_with_long_numbers])
def test_a_damaged_workbook_is_one_clear_error(tmp_path, make):
    folder = tmp_path / "gangs"
    folder.mkdir()
    path = folder / "2021.xlsx"
    make(path)
    with pytest.raises(DataError) as raised:
        loader.load("gangs", 2021, tmp_path)
    assert raised.value.file == path
    assert "无法把 2021.xlsx 读作 XLSX 工作簿：文件已损坏或不完整（" in str(raised.value)
    assert "重新复制或导出该文件" in raised.value.fix


def test_without_the_xlsx_engine_the_error_says_to_install_it(tmp_path, monkeypatch):
    """An environment made before python-calamine was a dependency: one error naming the file
    and the command, not "damaged workbook"."""
    path = written_by_openpyxl(tmp_path / "g.xlsx", "恶势力犯罪集团")
    monkeypatch.setitem(sys.modules, "python_calamine", None)  # import fails
    with pytest.raises(DataError) as raised:
        readers.read_raw(path, GANGS)
    assert raised.value.file == path
    assert "本机没有安装读取 XLSX 工作簿的程序包" in str(raised.value)
    assert "python-calamine" in str(raised.value) and "pip install -e ." in raised.value.fix


def _two_row_header(path, second_row_is_data: bool = False):
    """guidelines as offices lay it out: a title, then 文号 and 文件名称 merged down over two
    rows and 印发信息 merged across 印发日期 and 状态 (tester, round 20)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["2022年执法指引目录"])
    sheet.append(["文号", "文件名称", "印发信息", None])
    if second_row_is_data:
        sheet.append(["东公法〔2022〕9号", "关于噪声的执法指引", "2022-02-01", "有效"])
    else:
        sheet.append([None, None, "印发日期", "状态"])
        sheet.merge_cells("A2:A3")
        sheet.merge_cells("B2:B3")
    sheet.merge_cells("C2:D2")
    sheet.append(["东公法〔2022〕1号", "关于醉驾案件的执法指引", "2022-01-16", "有效"])
    sheet.append(["东公法〔2022〕2号", "关于电动自行车的执法指引", "2022-13-18", "有效"])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def test_a_header_over_two_rows_with_merged_cells_is_read_as_one(tmp_path):
    from helpers.data import loader

    _two_row_header(tmp_path / "guidelines" / "2022.xlsx")
    _, [problem] = loader.read_checked("guidelines", 2022, tmp_path)
    # the four columns found; the bad date is named by its row in Excel (5), not as a header
    assert "issued_date（印发日期）有 1 个值" in str(problem) and problem.rows == [5]
    assert problem.values == ["2022-13-18"]
    (tmp_path / "guidelines" / "2022.xlsx").unlink()
    _two_row_header(tmp_path / "guidelines" / "2022.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(tmp_path / "guidelines" / "2022.xlsx")
    book.active["C5"] = "2022-01-18"
    book.save(tmp_path / "guidelines" / "2022.xlsx")
    frame = loader.load("guidelines", 2022, tmp_path)
    assert frame["doc_id"].tolist() == ["东公法〔2022〕1号", "东公法〔2022〕2号"]
    assert frame["status"].tolist() == ["有效", "有效"]


def test_a_row_of_data_under_a_group_header_is_not_taken_for_headers(tmp_path):
    """A row with values under the known headers is data, even under a group cell: the group's
    name and the missing column are then reported as before."""
    from helpers.data import loader

    _two_row_header(tmp_path / "guidelines" / "2022.xlsx", second_row_is_data=True)
    _, problems = loader.read_checked("guidelines", 2022, tmp_path)
    said = "".join(map(str, problems))
    assert "未知的表头 '印发信息'" in said and "缺少必需的列 status（状态）" in said


def test_a_csv_saved_from_a_workbook_with_a_header_over_two_rows_is_read_as_one(tmp_path):
    """Round 21: the same layout saved as CSV (the merged cells come out empty) was read with
    the group's name as a header and the second header row as data."""
    from helpers.data import loader

    folder = tmp_path / "guidelines"
    folder.mkdir()
    (folder / "2022.csv").write_text(
        "2022年执法指引目录,,,\n文号,文件名称,印发信息,\n,,印发日期,状态\n"
        "东公法〔2022〕1号,关于醉驾案件的执法指引,2022-01-16,有效\n"
        "东公法〔2022〕2号,关于电动自行车的执法指引,2022-13-18,有效\n",
        encoding="utf-8",
    )
    _, [problem] = loader.read_checked("guidelines", 2022, tmp_path)
    assert "issued_date（印发日期）有 1 个值" in str(problem) and problem.rows == [5]


def test_a_header_over_two_rows_in_the_offices_own_words_is_read_through_its_mapping(tmp_path):
    """Round 23: with the organ's own headers (mapped in mapping.yaml) the second header row was
    read as data, and the fix offered to map the group's name onto a column."""
    from openpyxl import Workbook

    from helpers.data import loader

    book = Workbook()
    sheet = book.active
    sheet.append(["编号", "名称", "印发信息", None])
    sheet.append([None, None, "日期", "效力"])
    for cells in ("A1:A2", "B1:B2", "C1:D1"):
        sheet.merge_cells(cells)
    sheet.append(["东公法〔2022〕1号", "关于醉驾案件的执法指引", "2022-01-16", "有效"])
    folder = tmp_path / "guidelines"
    folder.mkdir()
    book.save(folder / "2022.xlsx")
    (folder / "mapping.yaml").write_text(
        "columns: {编号: 文号, 名称: 文件名称, 日期: 印发日期, 效力: 状态}\n", encoding="utf-8"
    )
    frame = loader.load("guidelines", 2022, tmp_path)
    assert frame["doc_id"].tolist() == ["东公法〔2022〕1号"]
    assert frame["issued_date"].dt.strftime("%Y-%m-%d").tolist() == ["2022-01-16"]
