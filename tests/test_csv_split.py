"""A CSV's cells are split by Arrow's reader when it reads the file without a doubt, else by
pandas as before: both give the same frame, and a file Arrow would read differently from
pandas (a quote left open, a short or long line, a blank line) goes to pandas, whose errors
name the line. The expected cells are written out by hand; pandas' own split is the second
witness (an independent parser) in the property test.
"""

from __future__ import annotations

import csv
import io
import json
import random
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.data import readers
from helpers.data.contract import TABLES
from helpers.errors import DataError

GANGS = TABLES["gangs"]
HEADER = "团伙编号,打掉日期,团伙类别,成员人数,认定状态"
NA = None  # a missing cell


def cells(text: str) -> tuple[list[list], str]:
    """The rows ``_read_csv`` gives for a gangs CSV with this text, and which splitter gave
    them."""
    arrow = readers._arrow_cells(text, *_header(text))
    path = Path("/nonexistent/gangs/2021.csv")
    frame = arrow if arrow is not None else readers._pandas_cells(text, *_header(text), path)
    rows = [[None if pd.isna(v) else v for v in row] for row in frame.itertuples(index=False)]
    return rows, "arrow" if arrow is not None else "pandas"


def _header(text: str):
    return readers._csv_header(io.StringIO(text), GANGS, Path("gangs.csv"))


@pytest.mark.parametrize(
    "body, rows",
    [
        (
            'G1,2021-05-01,"恶势力, 犯罪集团",5,已认定\n',
            [["G1", "2021-05-01", "恶势力, 犯罪集团", "5", "已认定"]],
        ),
        ('G1,2021-05-01,"说""明""",5,已认定\n', [["G1", "2021-05-01", '说"明"', "5", "已认定"]]),
        ('G1,2021-05-01,"两\n行",5,已认定\n', [["G1", "2021-05-01", "两\n行", "5", "已认定"]]),
        ('G1,,"",5, \n', [["G1", NA, NA, "5", " "]]),
        ("G1,2021-05-01,a,5,已认定", [["G1", "2021-05-01", "a", "5", "已认定"]]),  # no last newline
        (",,,,\nG2,2021-05-02,b,6,否\n", [[NA] * 5, ["G2", "2021-05-02", "b", "6", "否"]]),
        ('G1,2021-05-01,ab"c,5,NA\n', [["G1", "2021-05-01", 'ab"c', "5", "NA"]]),
        # a blank line keeps its place as an empty row (the row numbers of errors stay true)
        (
            "G1,a,b,5,是\n\nG2,c,d,6,否\n",
            [["G1", "a", "b", "5", "是"], [NA] * 5, ["G2", "c", "d", "6", "否"]],
        ),
    ],
)
def test_arrow_splits_what_it_can_as_written(body, rows):
    got, splitter = cells(HEADER + "\n" + body)
    assert (got, splitter) == (rows, "arrow")


@pytest.mark.parametrize(
    "body, rows",
    [
        # a quote left open in the last value: Arrow would take the newline into it
        ('G1,2021-05-01,a,5,"已认定\n', None),
        ('G1,2021-05-01,a,5,"已认定', None),
        # a short line: pandas fills it with missing cells
        ("G1,2021-05-01,a\n", [["G1", "2021-05-01", "a", NA, NA]]),
        # a line of spaces
        ("G1,2021-05-01,a,5,是\n   \n", None),
    ],
)
def test_what_arrow_would_read_otherwise_goes_to_pandas(body, rows):
    text = HEADER + "\n" + body
    assert readers._arrow_cells(text, *_header(text)) is None
    if rows is None:
        return
    assert cells(text) == (rows, "pandas")


def test_an_open_quote_is_still_named_with_its_line(tmp_path):
    path = tmp_path / "gangs" / "2021.csv"
    path.parent.mkdir()
    path.write_text(HEADER + '\nG1,2021-05-01,a,5,是\nG2,2021-05-02,b,6,"否\n', encoding="utf-8")
    with pytest.raises(DataError) as err:
        readers.read_raw(path, GANGS)
    assert "第 3 行有一个没有闭合的双引号" in str(err.value)


def test_title_lines_and_a_semicolon_header(tmp_path):
    path = tmp_path / "gangs" / "2021.csv"
    path.parent.mkdir()
    text = (
        "2021年团伙台账\n导出时间：2022-01-05\n"
        + HEADER.replace(",", ";")
        + "\nG1;2021-05-01;a,b;5;是\n"
    )
    path.write_text(text, encoding="gb18030")
    frame, first_row = readers.read_raw(path, GANGS)
    assert first_row == 4  # the row of index 0 is line 4
    assert frame.values.tolist() == [["G1", "2021-05-01", "a,b", "5", "是"]]
    assert list(frame.columns) == HEADER.split(",")
    assert readers._arrow_cells(text, *_header(text)) is not None


# cells as exports hold them: Chinese, separators, quotes, newlines, spaces, empty
CELL = st.text(alphabet=st.sampled_from(list('ab 1,;"\n\t中文—')), max_size=6)


def examples(n: int):
    """Hypothesis settings: n examples, the same on every run and in CI."""
    return settings(
        max_examples=n,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )


@examples(300)
@given(st.lists(st.lists(CELL, min_size=5, max_size=5), min_size=1, max_size=8))
def test_well_formed_files_split_alike(rows):
    """A file written by a CSV writer (Excel, WPS, Python's csv): Arrow and pandas agree."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER.split(","))
    writer.writerows(rows)
    text = out.getvalue()
    arrow = readers._arrow_cells(text, *_header(text))
    plain = readers._pandas_cells(text, *_header(text), Path("gangs.csv"))
    if rows[-1][-1].endswith("\n"):  # Arrow cannot tell it from a quote left open: pandas
        assert arrow is None
    else:
        pd.testing.assert_frame_equal(arrow, plain)


LINE = st.text(alphabet=st.sampled_from(list('ab,,"" \n中')), max_size=14)


@examples(400)
@given(st.lists(LINE, min_size=1, max_size=5))
def test_whatever_arrow_reads_pandas_reads_the_same(lines):
    """Any text, however malformed: when Arrow gives cells, pandas gives the same ones, and
    does not fail."""
    text = HEADER + "\n" + "\n".join(lines)
    arrow = readers._arrow_cells(text, *_header(text))
    if arrow is None:
        return
    plain = readers._pandas_cells(text, *_header(text), Path("gangs.csv"))
    pd.testing.assert_frame_equal(arrow, plain)


@pytest.mark.parametrize(
    "above",
    [
        '"2021年团伙台账\n',  # a title that opens a quote and never closes it
        '"2021年团伙台账\n（截至12月31日）"\n',  # a quoted title over two lines
        "\ufeff",  # not above the header: the header line is read as it is
    ],
)
def test_a_quote_above_the_rows_goes_to_pandas(above):
    text = above + HEADER + "\nG1,2021-05-01,a,5,是\n"
    if above == "\ufeff":
        text = HEADER + "\n\ufeffG1,2021-05-01,a,5,是\n"  # a byte order mark starting the rows
    assert readers._arrow_cells(text, *_header(text)) is None


def test_a_first_row_longer_than_the_header_is_named_not_cut(tmp_path):
    """pandas (index_col=False) cut the first data row's extra value off with only a warning;
    a longer row further down was an error. Both are errors naming the line."""
    path = tmp_path / "gangs" / "2021.csv"
    path.parent.mkdir()
    for body, line in (("G1,2021-05-01,a,5,是,多余\nG2,2021-05-02,b,6,否\n", 2),
                       ("G1,2021-05-01,a,5,是\nG2,2021-05-02,b,6,否,多余\n", 3)):  # fmt: skip
        path.write_text(HEADER + "\n" + body, encoding="utf-8")
        with pytest.raises(DataError) as err:
            readers.read_raw(path, GANGS)
        assert "有 1 行的值比表头的 5 列多" in err.value.message
        assert err.value.rows == [line]


def test_a_file_without_line_breaks_is_named_without_pandas(tmp_path, monkeypatch):
    """50,000 records written on one line after the header (line breaks lost): the error names
    line 2 and its values, and pandas is not asked to make a column of each of its 250,000
    values (tester: 9 s for this 5 MB file). A separator ending the first row, which pandas
    drops, still reads."""
    path = tmp_path / "gangs" / "2021.csv"
    path.parent.mkdir()
    record = "G{n},2021-05-01,恶势力犯罪集团,5,已认定"
    path.write_text(
        HEADER + "\n" + ",".join(record.format(n=n) for n in range(50_000)), encoding="utf-8"
    )

    def refused(*args, **kwargs):
        raise AssertionError("pandas was asked to split the file")

    monkeypatch.setattr(readers.pd, "read_csv", refused)
    with pytest.raises(DataError) as err:
        readers.read_raw(path, GANGS)
    assert "有 1 行的值比表头的 5 列多" in err.value.message
    assert err.value.rows == [2]
    assert err.value.values[0].startswith("G0,2021-05-01,恶势力犯罪集团,5,已认定,G1,")
    monkeypatch.undo()
    for first, rows in (("G1,2021-05-01,a,5,是,", [["G1", "2021-05-01", "a", "5", "是"]]),
                        ('G1,2021-05-01,"a,b",5,是,', [["G1", "2021-05-01", "a,b", "5", "是"]])):  # fmt: skip
        path.write_text(HEADER + "\n" + first + "\n", encoding="utf-8")
        frame, _ = readers.read_raw(path, GANGS)
        assert frame.astype(object).values.tolist() == rows
    for first in ("G1,2021-05-01,a,5,是,,", "G1,2021-05-01,a,5,是, "):
        path.write_text(HEADER + "\n" + first + "\nG2,2021-05-02,b,6,否\n", encoding="utf-8")
        with pytest.raises(DataError) as err:
            readers.read_raw(path, GANGS)
        assert err.value.rows == [2]


def test_a_value_of_200000_characters_in_the_header_lines_is_read(tmp_path):
    """Python's csv module refused a field over 131,072 characters (the header search)."""
    path = tmp_path / "gangs" / "2021.csv"
    path.parent.mkdir()
    long = "很" * 200_000
    path.write_text(HEADER + f"\nG1,2021-05-01,{long},5,是\n", encoding="utf-8")
    frame, _ = readers.read_raw(path, GANGS)
    assert frame.iloc[0, 2] == long


def test_records_read_into_one_value_are_named(tmp_path):
    """Two stray quotes in the last column took the lines between them into one value, and
    their records out of the table, with both parsers (the hostile tester: a published figure
    changed without a word). The line where the value starts is named."""
    path = tmp_path / "gangs" / "2021.csv"
    path.parent.mkdir()
    rows = [f"G{i},2021-05-0{i},恶势力犯罪集团,{i},已认定" for i in range(1, 8)]
    rows[2] = rows[2].replace(",已认定", ',"已认定')  # line 4 opens a quote …
    rows[5] = rows[5].replace(",已认定", ',已认定"')  # … that line 7 closes: G4, G5, G6 taken
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        readers.read_raw(path, GANGS)
    assert "第 4 行起有一个值跨了 4 行，其中 3 行看起来是完整的记录" in err.value.message
    assert "G4,2021-05-04" in err.value.message and err.value.rows == [4]
    assert err.value.column == "认定状态（第 5 列（E））"


@pytest.mark.parametrize(
    "remark",
    ['"第一行\n第二行，还有一行"', '"地址：南城，东城\n电话：123"'],  # a remark over lines
)
def test_a_value_over_lines_that_holds_no_record_is_read(tmp_path, remark):
    path = tmp_path / "gangs" / "2021.csv"
    path.parent.mkdir()
    path.write_text(
        HEADER + f"\nG1,2021-05-01,{remark},5,是\nG2,2021-05-02,b,6,否\n", encoding="utf-8"
    )
    frame, _ = readers.read_raw(path, GANGS)
    assert frame.iloc[0, 2] == remark.strip('"') and len(frame) == 2


TITLED = [
    "东莞市公安局 团伙表",
    HEADER,
    "G1,2021-05-01,恶势力犯罪集团,5,已认定",
    "G2,2021-06-01,其他,3,否",
]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
@pytest.mark.parametrize("last", [True, False])
def test_line_endings_and_encodings_read_alike(tmp_path, newline, encoding, last):
    """Windows (CRLF), old Mac (CR) and Unix (LF) lines, in UTF-8 with or without its byte order
    mark or in GB18030, with or without a last line ending, and a title line above the header:
    the same cells, and the same line numbers (the header is on line 2)."""
    path = tmp_path / "gangs" / "2021.csv"
    path.parent.mkdir()
    path.write_bytes((newline.join(TITLED) + (newline if last else "")).encode(encoding))
    frame, first = readers.read_raw(path, GANGS)
    assert frame.values.tolist() == [
        ["G1", "2021-05-01", "恶势力犯罪集团", "5", "已认定"],
        ["G2", "2021-06-01", "其他", "3", "否"],
    ]
    assert list(frame.columns) == HEADER.split(",")
    assert [int(i) + first for i in frame.index] == [3, 4]


def test_a_crlf_file_with_a_value_over_two_lines_reads_it_with_lf(tmp_path):
    """Excel writes a cell's line break inside quotes as CRLF in a CRLF file: it is read as one
    line break (LF), as in a file of LF lines."""
    path = tmp_path / "gangs" / "2021.csv"
    path.parent.mkdir()
    text = HEADER + '\r\nG1,2021-05-01,"两\r\n行",5,已认定\r\nG2,2021-06-01,其他,3,否\r\n'
    path.write_bytes(text.encode("gb18030"))
    frame, first = readers.read_raw(path, GANGS)
    assert frame.values.tolist() == [
        ["G1", "2021-05-01", "两\n行", "5", "已认定"],
        ["G2", "2021-06-01", "其他", "3", "否"],
    ]
    assert [int(i) + first for i in frame.index] == [2, 3]  # rows as Excel numbers them


def test_a_blank_crlf_line_keeps_the_line_numbers_true(tmp_path):
    path = tmp_path / "gangs" / "2021.csv"
    path.parent.mkdir()
    text = HEADER + "\r\nG1,2021-05-01,a,5,已认定\r\n\r\nG2,2021-06-01,b,3,否\r\n"
    path.write_bytes(text.encode("utf-8"))
    frame, first = readers.read_raw(path, GANGS)
    assert frame["团伙编号"].tolist() == ["G1", "G2"]
    assert [int(i) + first for i in frame.index] == [2, 4]


def _read(tmp_path, data: bytes):
    path = tmp_path / "gangs" / "2021.csv"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    return readers.read_raw(path, GANGS)


def test_a_quoted_title_over_two_lines_loses_no_row(tmp_path):
    """pandas counts the lines to skip as records, and such a title is one record: the header was
    skipped and the first row taken for it (tester, round 9). Excel and WPS show the title as one
    row (tester, round 15: the rows were numbered as an editor's lines)."""
    text = (
        f'"东莞市公安局\n团伙表"\n{HEADER}\nG1,2021-01-01,其他,1,已认定\nG2,2021-01-02,其他,2,否\n'
    )
    frame, first = _read(tmp_path, text.encode())
    assert frame["团伙编号"].tolist() == ["G1", "G2"]
    # rows 3 and 4 in Excel and WPS, where the title is one row; lines 4 and 5 in an editor
    assert [int(i) + first for i in frame.index] == [3, 4]
    extra = frame.attrs["extra_lines"]
    assert [int(i) + first + int(extra[i]) for i in frame.index] == [4, 5]


def test_a_quoted_title_over_two_lines_above_a_header_alone_reads_no_row(tmp_path):
    frame, _ = _read(tmp_path, f'"东莞市公安局\n团伙表"\n{HEADER}'.encode())
    assert list(frame.columns) == HEADER.split(",") and frame.empty


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n"])
def test_a_utf8_line_in_a_gb18030_file_is_named_whatever_its_line_endings(tmp_path, newline):
    data = (HEADER + newline + "G8,2021-01-01,其他,1,是" + newline).encode("gb18030")
    data += ("G9,2021-01-01,东莞义警,1,中文" + newline).encode("utf-8")
    with pytest.raises(DataError) as err:
        _read(tmp_path, data)
    assert "第 3 行是 UTF-8" in str(err.value) and err.value.rows == [3]


@pytest.mark.parametrize("chunk", [1, 7, 64, 1 << 22])
@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n"])
def test_the_utf8_line_is_found_across_the_pieces_scanned(tmp_path, monkeypatch, chunk, newline):
    """The scan for UTF-8 lines reads the file a few megabytes at a time: with pieces of a few
    bytes, the line it names is the same."""
    monkeypatch.setattr(readers, "CHUNK_BYTES", chunk)
    rows = [f"G{i},2021-01-01,其他,{i},是" for i in range(1, 9)]
    data = (newline.join([HEADER, *rows]) + newline).encode("gb18030")
    data += ("G9,2021-01-01,东莞义警,1,中文" + newline).encode("utf-8")
    data += ("G10,2021-01-01,其他,1,是" + newline).encode("gb18030")
    with pytest.raises(DataError) as err:
        _read(tmp_path, data)
    assert "第 10 行是 UTF-8" in str(err.value) and err.value.rows == [10]


@pytest.mark.parametrize(
    "title, row, line, said",
    [
        ('"2021年团伙表', "G2,2021-04-06,其他,12,已认定,x", 4, "值比表头的 5 列多"),
        ('"2021年"全市团伙表', "G2,2021-04-06,其他,12,已认定,x", 4, "值比表头的 5 列多"),
        ('"甲\n"乙\n"丙', 'G2,"2021-04-06,其他,12,已认定', 6, "没有闭合的双引号"),
    ],
)
def test_a_bad_row_below_quoted_title_lines_is_named_not_the_title(
    tmp_path, title, row, line, said
):
    """The quotes of the title lines are not what is wrong: the row is (tester, round 10)."""
    text = f"{title}\n{HEADER}\nG1,2021-03-05,其他,5,已认定\n{row}\n"
    with pytest.raises(DataError) as err:
        _read(tmp_path, text.encode())
    assert said in str(err.value) and err.value.rows == [line]


def test_the_first_utf8_line_is_named_when_a_later_one_does_not_read_as_gb18030(tmp_path):
    """Line 2 (中文 in UTF-8) reads as GB18030 as other characters; line 3 (行) does not read at
    all: the first UTF-8 line is still the one named (tester, round 10)."""
    data = "团伙编号,成员人数\n".encode("gb18030") + "中文\n行\n".encode()
    with pytest.raises(DataError) as err:
        _read(tmp_path, data)
    assert "第 2 行是 UTF-8" in str(err.value) and err.value.rows == [2]


def _first_utf8_line_by_hand(data: bytes) -> int | None:
    """The oracle: every line (LF, CRLF or CR alone ends one) on its own, strictly as UTF-8."""
    at = 0
    for line in re.split(rb"(\r\n|\r|\n)", data)[::2]:
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text and not text.isascii() and "\ufffd" not in text and readers._is_utf8_text(text):
            return at
        at += len(line) + len(re.match(rb"\r\n|\r|\n|", data[at + len(line) :]).group())
    return None


@pytest.mark.parametrize("chunk", [1, 5, 64, 1 << 22])
def test_the_first_utf8_line_is_the_one_found_line_by_line(monkeypatch, chunk):
    """Random files of GB18030 lines (some of whose characters read as Chinese in UTF-8, as
    般啊 does), UTF-8 lines, Latin letters and stray bytes, with every kind of line end: the scan,
    a piece at a time, finds the line that reading each line on its own finds (tester, round 12:
    a version that looked only around each such character searched to the piece's end for each,
    56 s for 3 MB of 般啊 lines)."""
    monkeypatch.setattr(readers, "CHUNK_BYTES", chunk)
    pick = random.Random(12)
    parts = ["咨询", "般啊", "东莞", "ÀÉ", "abc", "12", "，", "·"]
    for _ in range(150):
        data = b""
        for _ in range(pick.randint(0, 12)):
            text = ",".join(pick.choice(parts) for _ in range(pick.randint(0, 4)))
            line = text.encode("utf-8" if pick.random() < 0.08 else "gb18030")
            if pick.random() < 0.05:
                line = bytes(pick.randrange(256) for _ in range(pick.randint(1, 6)))
            data += line + pick.choice([b"\n", b"\r\n", b"\r"])
        if pick.random() < 0.3:
            data = data.rstrip(b"\r\n")
        assert readers._first_utf8_line(data, 0) == _first_utf8_line_by_hand(data), data


# ------------------------------------------------------------------ rows and lines
# one row in Excel, three lines in an editor
MULTI = '"G1\n（补录）\n（复核）",2021-05-01,恶势力犯罪集团,5,已认定\n'


def _problems(tmp_path: Path, text: str, newline: str = "\n") -> list[DataError]:
    return _problems_of_bytes(tmp_path, text.replace("\n", newline).encode("utf-8"))


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_row_below_values_over_several_lines_is_given_in_both_numberings(tmp_path, newline):
    """Excel and WPS show a quoted value over three lines in one cell, a text editor over three
    lines: a bad count two rows further down is row 4 in Excel and line 6 in an editor, and the
    error says both (it said only 第 4 行, as in Excel and an editor alike)."""
    text = HEADER + "\n" + MULTI + "G2,2021-05-02,恶势力犯罪集团,6,已认定\n"
    text += "G3,2021-05-03,恶势力犯罪集团,七,已认定\n"
    (problem,) = _problems(tmp_path, text, newline)
    assert problem.rows == [4] and problem.lines == [6]
    assert "第 4 行（文本编辑器中第 6 行）：'七'" in str(problem)
    assert "行号与 Excel 或 WPS 中的一致；文件中有跨行的值" in str(problem)


def test_lines_add_up_over_several_values_and_a_row_is_where_it_begins(tmp_path):
    """Values of 3 and 2 lines in rows 2 and 3, a bad date in row 5 (line 8); a bad count in
    row 3, after its own value of 2 lines: line 5, where the row begins."""
    text = HEADER + '\nG1,2021-05-01,"恶势力\n犯罪\n集团",5,已认定\n'
    text += 'G2,2021-05-02,"黑社会\n性质组织",甲,已认定\n'
    text += "G3,2021-05-03,恶势力犯罪集团,6,已认定\n"
    text += "G4,2021-13-04,恶势力犯罪集团,7,已认定\n"
    problems = {p.column.split(" / ")[1]: p for p in _problems(tmp_path, text)}
    assert (problems["members"].rows, problems["members"].lines) == ([3], [5])
    assert (problems["dismantled_date"].rows, problems["dismantled_date"].lines) == ([5], [8])
    # the value of three lines itself: row 2 begins on line 2, and only one number is given
    assert (problems["category"].rows, problems["category"].lines) == ([2, 3], [2, 5])
    assert "第 2 行：'恶势力\\n犯罪\\n集团'，第 3 行（文本编辑器中第 5 行）" in str(
        problems["category"]
    )


def test_without_values_over_lines_a_row_is_its_line(tmp_path):
    text = HEADER + "\nG1,2021-05-01,恶势力犯罪集团,五,已认定\n"
    (problem,) = _problems(tmp_path, text)
    assert problem.rows == [2] and problem.lines == []
    assert "最先出错的行（行号与 Excel 或文本编辑器中的一致）：第 2 行：'五'" in str(problem)


def test_errors_of_the_file_shape_below_values_over_lines_give_both_numberings(tmp_path):
    """A row with a value too many, and a quote never closed, below a value of three lines."""
    extra = HEADER + "\n" + MULTI + "G2,2021-05-02,恶势力犯罪集团,6,已认定,多\n"
    (problem,) = _problems(tmp_path, extra)
    assert "有 1 行的值比表头的 5 列多" in problem.message
    assert (problem.rows, problem.lines) == ([3], [5])
    assert problem.values == ["G2,2021-05-02,恶势力犯罪集团,6,已认定,多"]
    unclosed = HEADER + "\n" + MULTI + 'G2,2021-05-02,"恶势力犯罪集团,6,已认定\n'
    (problem,) = _problems(tmp_path, unclosed)
    assert "第 3 行有一个没有闭合的双引号" in problem.message
    assert (problem.rows, problem.lines) == ([3], [5])


def test_a_header_cell_over_two_lines_is_one_header(tmp_path):
    """团伙编号,打掉日期,团伙类别,"成员⏎人数",认定状态: pandas reads five headers, and rows of five
    values are not too long (tester, round 14: every row was called a value too long); with
    the folder's mapping the file is clean, and a bad count below is row 3, line 4."""
    text = (
        '团伙编号,打掉日期,团伙类别,"成员\n人数",认定状态\nG1,2021-05-01,恶势力犯罪集团,5,已认定\n'
    )
    (problem,) = _problems(tmp_path, text)
    assert "未知的表头 '成员\\n人数'" in problem.message
    (tmp_path / "gangs" / "mapping.yaml").write_text(
        'columns:\n  "成员\\n人数": 成员人数\n', encoding="utf-8"
    )
    assert _problems(tmp_path, text) == []
    (problem,) = _problems(tmp_path, text + "G2,2021-05-02,恶势力犯罪集团,六,已认定\n")
    assert (problem.rows, problem.lines) == ([3], [4])


def test_a_header_line_of_thousands_of_values_is_said_to_have_lost_its_line_breaks(tmp_path):
    """Every line break lost, the header's too: 10,000 records on the header line are one error
    naming line 1 (tester, round 14: pandas took 13 s for 8,000 and then found no rows). A
    header of 255 values (50 records) still reads, and the check finds no data row."""
    path = tmp_path / "gangs" / "2021.csv"
    path.parent.mkdir()
    record = "G{n},2021-05-01,恶势力犯罪集团,5,已认定"
    for n, fails in ((10_000, True), (50, False)):
        path.write_text(
            HEADER + "," + ",".join(record.format(n=i) for i in range(n)), encoding="utf-8"
        )
        if not fails:
            frame, _ = readers.read_raw(path, GANGS)
            assert frame.shape == (0, 255)
            continue
        with pytest.raises(DataError) as err:
            readers.read_raw(path, GANGS)
        assert "表头行（第 1 行）有 50005 个值" in err.value.message
        assert "换行多半丢失了" in err.value.message
        assert err.value.rows == [1]
        assert err.value.values[0].startswith(HEADER + ",G0,")


def test_rows_and_lines_of_the_hostile_testers_files(tmp_path):
    """Tester, round 15, counted by hand: Excel row, and the editor line where the row begins.
    - a header ending in two unnamed columns and a value over two lines: the file loads (it
      raised AttributeError: two columns of one name);
    - a quoted title over two lines above the header: one row in Excel, two lines;
    - a value too many below a header cell over two lines: that one row, not rows 2–6;
    - a quote never closed below an earlier value that begins alike: its own row;
    - every row ending in a separator, one row filling it: that row alone."""
    from helpers.data import loader

    text = (
        HEADER
        + ',,\n"G1\n续",2021-05-01,恶势力犯罪集团,3,已认定,,\nG2,2021-05-02,恶势力犯罪集团,4,已认定,,\n'
    )
    assert _problems(tmp_path, text) == []
    assert loader.load("gangs", 2021, tmp_path)["gang_id"].tolist() == ["G1\n续", "G2"]

    title = (
        '"2021年打掉团伙统计\n（续表）"\n' + HEADER + "\nG0,2021-05-01,恶势力犯罪集团,3,已认定\n"
    )
    (problem,) = _problems(tmp_path, title + "G1,2021-05-01,恶势力犯罪集团,七,已认定\n")
    assert (problem.rows, problem.lines) == ([4], [5])
    (problem,) = _problems(tmp_path, title + "G1,2021-05-01,恶势力犯罪集团,7,已认定,多余\n")
    assert "有 1 行的值比表头的 5 列多" in problem.message
    assert (problem.rows, problem.lines) == ([4], [5])

    two_line_header = '团伙编号,打掉日期,团伙类别,"成员\n人数",认定状态\n'
    (tmp_path / "gangs" / "mapping.yaml").write_text(
        'columns:\n  "成员\\n人数": 成员人数\n', encoding="utf-8"
    )
    rows = [f"G{i},2021-05-01,恶势力犯罪集团,3,已认定\n" for i in range(8)]
    rows[6] = "G6,2021-05-01,恶势力犯罪集团,3,已认定,多余\n"
    (problem,) = _problems(tmp_path, two_line_header + "".join(rows))
    assert "有 1 行的值比表头的 5 列多" in problem.message
    assert (problem.rows, problem.lines) == ([8], [9])
    (tmp_path / "gangs" / "mapping.yaml").unlink()

    rows = [f"G{i},2021-05-01,恶势力犯罪集团,3,已认定,无\n" for i in range(12)]
    rows[1] = 'G1,2021-05-01,恶势力犯罪集团,3,已认定,"情况说明：\n已结案"\n'  # row 3, lines 3–4
    rows[6] = 'G6,2021-05-01,恶势力犯罪集团,3,已认定,"情况说明：\n'  # opens: row 8, line 9
    rows[9] = 'G9,2021-05-01,恶势力犯罪集团,3,已认定,待查"\n'  # a stray quote closes it
    (problem,) = _problems(tmp_path, HEADER + ",备注\n" + "".join(rows))
    assert "第 8 行起有一个值跨了 4 行" in problem.message
    assert (problem.rows, problem.lines) == ([8], [9])
    assert problem.values == ['G6,2021-05-01,恶势力犯罪集团,3,已认定,"情况说明：']

    rows = [f"G{i},2021-05-01,恶势力犯罪集团,3,已认定,\n" for i in range(10)]
    rows[6] = "G6,2021-05-01,恶势力犯罪集团,3,已认定,备注\n"
    (problem,) = _problems(tmp_path, HEADER + "\n" + "".join(rows))
    assert (problem.rows, problem.lines) == ([8], [])


@pytest.mark.parametrize("at", range(5))
def test_a_header_cell_over_two_lines_in_any_column_is_found_and_mapped(tmp_path, at):
    """The cell of the header's column ``at`` over two lines (Alt+Enter in Excel), mapped in the
    folder's mapping.yaml: the file reads, and a bad category in the second row is row 3, line
    4 (tester, round 15: in the first column the header was taken from the cell's second line,
    in the last it was cut to its first, in the second every row was called too long)."""
    names = HEADER.split(",")
    cell = names[at][:2] + "\n" + names[at][2:]
    names[at] = f'"{cell}"'
    mapping = "columns:\n  " + json.dumps(cell, ensure_ascii=False) + f": {HEADER.split(',')[at]}\n"
    (tmp_path / "gangs").mkdir()
    (tmp_path / "gangs" / "mapping.yaml").write_text(mapping, encoding="utf-8")
    text = ",".join(names) + "\nG0,2021-05-01,恶势力犯罪集团,3,已认定\n"
    assert _problems(tmp_path, text) == []
    (problem,) = _problems(tmp_path, text + "G1,2021-05-01,七,3,已认定\n")
    assert problem.column == "团伙类别 / category"
    assert (problem.rows, problem.lines) == ([3], [4])


def test_headers_and_titles_over_lines_of_the_third_hostile_round(tmp_path):
    """Tester, round 16, counted by hand:
    - a header of five cells over two or three lines each (11 lines), mapped: it reads (the
      search joined at most 5 lines and cut the last name to 认定);
    - a header cell beginning with a line break: the rows below move down a line in an editor;
    - a quoted title with text after its closing quote, "2021年打掉⏎团伙表"（续）: one row;
    - the mapping suggested for a header over two lines is YAML that reads: pasted, the file is
      clean."""
    names = ["团伙\n编号", "打掉\n日期", "团伙\n类别", "成员\n人数\n（人）", "认定\n状态"]
    header = ",".join(f'"{n}"' for n in names)
    mapping = "columns:\n" + "".join(
        f"  {json.dumps(n, ensure_ascii=False)}: {h}\n"
        for n, h in zip(names, HEADER.split(","), strict=True)
    )
    (tmp_path / "gangs").mkdir()
    (tmp_path / "gangs" / "mapping.yaml").write_text(mapping, encoding="utf-8")
    row = "\nG0,2021-05-01,恶势力犯罪集团,3,已认定\nG1,2021-05-01,恶势力犯罪集团,四,已认定\n"
    (problem,) = _problems(tmp_path, header + row)
    assert problem.column == "成员人数 / members"
    assert (problem.rows, problem.lines) == ([3], [9])
    (tmp_path / "gangs" / "mapping.yaml").unlink()

    (problem,) = _problems(tmp_path, '团伙编号,打掉日期,团伙类别,"\n成员人数",认定状态' + row)
    assert (problem.rows, problem.lines) == ([3], [4])

    (problem,) = _problems(tmp_path, '"2021年打掉\n团伙表"（续）\n' + HEADER + row)
    assert (problem.rows, problem.lines) == ([4], [5])

    text = (
        '团伙编号,打掉日期,团伙类别,成员人数,"认定\n状态"\nG0,2021-05-01,恶势力犯罪集团,3,已认定\n'
    )
    (problem,) = _problems(tmp_path, text)
    assert "列：认定\\n状态" in str(problem)
    suggested = problem.fix.split("中对照：")[1].strip()
    assert suggested == 'columns: {"认定\\n状态": 认定状态}'
    (tmp_path / "gangs" / "mapping.yaml").write_text(suggested + "\n", encoding="utf-8")
    assert _problems(tmp_path, text) == []


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_a_header_repeated_inside_a_quoted_title_is_not_taken_for_the_header(tmp_path, sep):
    """A title over three lines whose middle line is the header's text: the header is the line
    below the title, where a record begins (tester, round 16: the title's line was taken, and
    the rows below read as a repeated header and empty cells). Counted by hand: the title is
    row 1 (lines 1–3), the header row 2 (line 4), G1 row 4 (line 6)."""
    header = HEADER.replace(",", sep)
    rows = ["G0,2021-05-01,恶势力犯罪集团,3,已认定", "G1,2021-05-01,恶势力犯罪集团,四,已认定"]
    text = f'"东莞市公安局\n{header}\n（内部）"\n{header}\n' + "".join(
        r.replace(",", sep) + "\n" for r in rows
    )
    (problem,) = _problems(tmp_path, text)
    assert problem.column == "成员人数 / members"
    assert (problem.rows, problem.lines) == ([4], [6])
    frame, _ = _read(tmp_path, text.replace("四", "4").encode())
    assert frame["团伙编号"].tolist() == ["G0", "G1"]


@pytest.mark.parametrize(
    "last, said",
    [
        ("G2,2021-05-01,恶势力犯罪集团,3,已认定,多", "值比表头的 5 列多"),
        ('G2,2021-05-01,恶势力犯罪集团,3,"已认定', "没有闭合的双引号"),
    ],
)
def test_a_quote_pandas_reads_as_a_character_is_not_blamed_for_what_it_could_not_split(
    tmp_path, last, said
):
    """恶势力⏎犯罪集团"x: a quote followed by more text, which pandas reads as a character (as
    Excel does). What pandas could not split is the last row, row 4 (line 5 in an editor: row 3
    takes two lines); the error named the quote of row 3, with the line of the quote."""
    text = f'{HEADER}\nG0,2021-05-01,恶势力犯罪集团,3,已认定\nG1,2021-05-01,"恶势力\n犯罪集团"x,3,已认定\n'
    (problem,) = _problems(tmp_path, text + last + "\n")
    assert said in str(problem) and "位置不对" not in str(problem)
    assert (problem.rows, problem.lines) == ([4], [5])


_ABOVE = 'G0,2021-05-01,"恶势力\n犯罪集团",3,已认定\nG1,2021-05-01,其他,3,已认定\n'
_G2 = "G2,2021-05-01,其他,3,已认定\n"


@pytest.mark.parametrize(
    "data, said",
    [
        ((HEADER + "\n" + _ABOVE).encode() + _G2.encode("gbk"), "之前是 UTF-8"),
        ((HEADER + "\n" + _ABOVE).encode("gbk") + _G2.encode(), "是 UTF-8。"),
        (b"\xef\xbb\xbf" + (HEADER + "\n" + _ABOVE).encode() + _G2.encode("gbk"), "BOM"),
        ((HEADER + "\n" + _ABOVE).encode("gbk") + b"G2,\xff\xfe,3\n", "两者都不符合"),
        ((HEADER + "\n" + _ABOVE + _G2.replace("其他", "其他\0")).encode(), "NUL 字节"),
    ],
    ids=["utf8-then-gbk", "gbk-then-utf8", "bom-then-gbk", "neither", "nul"],
)
def test_a_line_that_is_not_text_is_numbered_as_excel_shows_its_row_too(tmp_path, data, said):
    """A value over two lines above it: the bad line is line 5 in an editor and row 4 in Excel
    and WPS, counted by hand (the header is row 1, G0 row 2 on lines 2–3, G1 row 3); the message
    said line 5 alone, as if the two agreed (tester, round 16)."""
    (problem,) = _problems_of_bytes(tmp_path, data)
    assert said in str(problem)
    assert (problem.rows, problem.lines) == ([4], [5])
    assert "第 4 行（文本编辑器中第 5 行）" in problem.said
    # with no value over lines, row and line agree and the message is as it was
    one_line = data.replace("恶势力\n犯罪集团".encode(), "恶势力犯罪集团".encode())
    one_line = one_line.replace("恶势力\n犯罪集团".encode("gbk"), "恶势力犯罪集团".encode("gbk"))
    (problem,) = _problems_of_bytes(tmp_path, one_line)
    assert (problem.rows, problem.lines) == ([4], [])
    assert "文本编辑器" not in problem.said and "第 4 行" in problem.said


def test_a_quote_left_open_in_the_title_leaves_a_bad_line_numbered_as_a_line(tmp_path):
    """Where a title's quote that never closes ends, nobody can tell: the line is given."""
    data = f'"2021年团伙台账\n{HEADER}\n{_ABOVE}'.encode() + _G2.encode("gbk")
    (problem,) = _problems_of_bytes(tmp_path, data)
    assert (problem.rows, problem.lines) == ([6], [])


def _problems_of_bytes(tmp_path: Path, data: bytes) -> list[DataError]:
    from helpers.data import validate

    path = tmp_path / "gangs" / "2021.csv"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    return validate.check_one("gangs", 2021, tmp_path).problems


def test_a_row_too_long_and_a_quote_left_open_below_it_are_both_said(tmp_path):
    """Row 3 has a value too many, row 5 a quote that never closes (tester, round 18: only the
    quote was said, and fixing took two rounds). Counted by hand: row 5 is line 6, as row 4
    takes two lines."""
    text = (
        f"{HEADER}\nG0,2021-05-01,恶势力犯罪集团,3,已认定\nG1,2021-05-01,其他,3,已认定,多\n"
        'G2,2021-05-01,"恶势力\n犯罪集团",3,已认定\nG3,2021-05-01,其他,3,"已认定\n'
    )
    (problem,) = _problems(tmp_path, text)
    assert "值比表头的 5 列多" in str(problem) and (problem.rows, problem.lines) == ([3], [])
    assert '另外，第 5 行（文本编辑器中第 6 行）有一个没有闭合的双引号（"）' in problem.said


def test_a_quote_in_the_wrong_place_names_its_row_and_the_line_of_the_quote():
    """The row of the record, its first line in an editor, and the line of the quote (counted by
    hand: the record of row 3 begins on line 3, the quote is on line 4)."""
    text = f'{HEADER}\nG0,2021-05-01,恶势力犯罪集团,3,已认定\nG1,2021-05-01,"恶势力\n犯罪集团"x,3,已认定\n'
    problem = readers._csv_shape_error(text, 0, ",", 5, Path("gangs.csv"), ValueError())
    assert (problem.rows, problem.lines) == ([3], [])
    assert (
        '第 3 行的双引号（"）位置不对（文本编辑器中第 4 行）：引号括起的值在闭合的引号之后'
        in str(problem)
    )
    text = "标题\n" + text.replace('"恶势力\n犯罪集团"x', '"恶势力犯罪集团"x')
    problem = readers._csv_shape_error(text, 1, ",", 5, Path("gangs.csv"), ValueError())
    assert (problem.rows, problem.lines) == ([4], [])
    assert '第 4 行的双引号（"）位置不对：' in str(problem)


def test_a_quote_inside_a_title_is_a_character_and_one_left_open_counts_lines(tmp_path):
    """Above the header: 2021年"打掉团伙表 (a quote inside a value, a character to Excel and
    pandas) and a quoted title over two lines: three rows, four lines (the rows were counted as
    lines when the quotes above did not pair up). A quote opened and never closed above the
    header: where it would end nobody can tell, and its lines are counted as rows."""
    row = "\nG0,2021-05-01,恶势力犯罪集团,3,已认定\nG1,2021-05-01,恶势力犯罪集团,四,已认定\n"
    titles = '2021年"打掉团伙表\n"东莞市公安局\n刑侦支队"\n'
    (problem,) = _problems(tmp_path, titles + HEADER + row)
    assert (problem.rows, problem.lines) == ([5], [6])
    (problem,) = _problems(tmp_path, '"2021年团伙台账\n（内部）\n' + HEADER + row)
    assert (problem.rows, problem.lines) == ([5], [])


def test_no_chinese_character_in_utf8_escapes_the_byte_filter():
    """Every character of the BMP that ``_CJK`` matches, encoded by Python as UTF-8 and put
    among GB18030 bytes, passes the filter that lets a piece go undecoded; a piece of GB18030
    alone whose bytes hold no such sequence does not."""
    gb = "咨询，已办结".encode("gb18030")
    missed = [
        hex(c)
        for c in range(0x80, 0x10000)
        if not 0xD800 <= c < 0xE000
        and readers._CJK.match(chr(c))
        and not readers._may_hold_utf8_chinese(gb + chr(c).encode("utf-8") + gb)
    ]
    assert missed == []
    assert not readers._may_hold_utf8_chinese(gb * 1000)
    assert not readers._may_hold_utf8_chinese("ÀÉ·abc".encode() + b"\xe4\xb8")
