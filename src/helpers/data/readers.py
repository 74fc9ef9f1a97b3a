"""Read the raw cells of one table file: CSV, XLSX or Parquet, as the office's systems export them.

Everything that keeps a file from being read at all ends here in one ``DataError`` that names
the file (and the line, where there is one), says what is wrong and how to fix it: an empty or
damaged file, a file of another format under this name, text in two encodings or in neither
UTF-8 nor GB18030, a CSV line with more values than the header, an unclosed quote. Title lines
above the header (CSV and XLSX) and cover sheets before the data sheet (XLSX) are read past.
The cells come back with the headers exactly as the file writes them (duplicates included), so
the contract check can name the real header and its column.

XLSX is read with calamine (Rust, through pandas): several times faster than openpyxl, with
the same cells. Where the two differ, calamine reads what Excel shows: ``_x000D_`` in a text is
the carriage return Excel stores that way, and an ISO date cell (``t="d"``, rare) reads like any
other date. A workbook with a number of 16 or more digits is still read with openpyxl, which
keeps the digits as written, where calamine's doubles would change them.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterable
from datetime import date, timedelta
from itertools import islice
from pathlib import Path

import pandas as pd

from helpers.data import files
from helpers.data.contract import Table
from helpers.data.rules import PADDING
from helpers.errors import DataError

# lines (CSV) or rows (XLSX) searched for the header: title rows above it are skipped
HEADER_SEARCH = 100
HEADER_TEXT = 1 << 20  # characters of a header record read at most (a cell over lines)
HEADER_RECORD_LINES = 30  # lines a header with quoted cells over lines may take beyond its first
CHUNK_BYTES = 1 << 20  # what _first_utf8_line looks at a time (its masks stay in the cache)
SEPARATORS = (",", "\t", ";")  # CSV field separators tried on the header line, in this order
SHOW_CHARS = 80  # characters of a bad line quoted in an error
# values on a CSV's header line beyond which (and beyond 20 a column of the contract) its line
# breaks are taken as lost: no export of these tables has thousands of columns
WIDEST = 2000

SEPARATOR_WORDS = {",": "逗号", "\t": "制表符", ";": "分号"}
# Python's csv module refuses a value over 131,072 characters, which pandas and Arrow read (a
# long remark pasted into one cell): the header search and the error reports read them too
csv.field_size_limit(2**31 - 1)
# a CJK character (ideographs, CJK punctuation, full-width forms): what the text of these tables holds
_CJK = re.compile("[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
# characters that GBK bytes read as UTF-8 turn into (Latin-1 to Arabic), bar · ° × used in names and units
_ODD = re.compile("[\u0080-\u00af\u00b1-\u00b6\u00b8-\u00d6\u00d8-\u07ff]")


def read_raw(path: Path, spec: Table, mapped: Iterable[str] = ()) -> tuple[pd.DataFrame, int]:
    """The file's cells (text; Parquet keeps its types) under the file's own headers, and the
    number to add to a row's index to get its row in Excel or its line in a text editor.
    ``mapped``: the export's own headers its folder's mapping.yaml maps, known as headers too
    (a header over two rows in the organ's own words)."""
    suffix = path.suffix.lower()
    head = _head(path)
    kind = sniff(head)
    expected = {".csv": "text", ".xlsx": "zip", ".parquet": "parquet"}[suffix]
    if kind != expected and not (suffix == ".csv" and kind in ("binary", "utf16")):
        raise wrong_format(path, kind)  # a CSV in an odd encoding is told by decode(), line and all
    if suffix == ".parquet":
        return _read_parquet(path), 1
    if suffix == ".xlsx":
        return _read_xlsx(path, spec, set(mapped))
    return _read_csv(path, spec, set(mapped))


def unreadable(path: Path, exc: OSError) -> DataError:
    """The error for a file the operating system will not let us read."""
    if isinstance(exc, PermissionError):
        return DataError(
            f"无法读取 {path.name}：没有读取权限。",
            file=path,
            fix=f"给运行 lawreport 的账户读取它的权限（chmod a+r '{path}'），"
            "或把文件重新复制到文件夹中",
        )
    return DataError(
        f"无法读取 {path.name}：{exc.strerror or exc}。",
        file=path,
        fix="检查磁盘或网络共享，然后把文件重新复制到文件夹中",
    )


def _head(path: Path, size: int = 512) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(size)
    except OSError as exc:
        raise unreadable(path, exc) from None


# ------------------------------------------------------------------ what a file really is
def sniff(head: bytes) -> str:
    """What a file's first bytes say it is: zip (XLSX), parquet, ole2 (XLS, or an encrypted
    workbook), utf16, markup (HTML or XML), empty, text (UTF-8 or GB18030), or binary."""
    if not head:
        return "empty"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole2"
    if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "utf16"
    start = head.removeprefix(codecs.BOM_UTF8).lstrip().lower()
    if start.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")):
        return "markup"
    for encoding in ("utf-8", "gb18030"):  # the head may end inside a character: not final
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return "binary" if b"\x00" in head else "text"
    return "binary"


_NAMED = {".csv": "CSV 文件", ".xlsx": "XLSX 工作簿", ".parquet": "Parquet 文件"}
_KIND_WORDS = {
    "zip": ("Excel 工作簿（XLSX）", "xlsx"),
    "parquet": ("Parquet 文件", "parquet"),
    "text": ("文本（CSV）文件", "csv"),
    "utf16": ("UTF-16 文本文件（Excel 的“Unicode 文本”）", None),
    "binary": ("内容不明的二进制文件", None),
}


def wrong_format(path: Path, kind: str) -> DataError:
    """A file whose bytes are not what its name says."""
    named = _NAMED[path.suffix.lower()]
    if kind == "empty":
        return DataError(
            f"{path.name} 是空文件（0 字节）。",
            file=path,
            expected=f"存放该表的{named}",
            fix="重新导出该表：导出或复制中断时会留下空文件",
        )
    if kind == "ole2":
        return DataError(
            f"{path.name} 是 Excel 97-2003 工作簿（.xls）或设有密码的工作簿，无法读取。",
            file=path,
            expected=named,
            fix=f"用 Excel 或 WPS 打开，去掉密码，另存为 Excel 工作簿，命名为 {path.stem}.xlsx",
        )
    if kind == "markup":
        return DataError(
            f"{path.name} 是含有表格的网页或 XML 文件（有些系统用电子表格的文件名导出这种文件），"
            "不是真正的工作簿。",
            file=path,
            expected=named,
            fix=f"用 Excel 或 WPS 打开，另存为 Excel 工作簿（{path.stem}.xlsx）"
            f"或 CSV UTF-8（{path.stem}.csv）",
        )
    words, ext = _KIND_WORDS.get(kind, ("别的文件", None))
    return DataError(
        f"{path.name} 是{words}，不是{named}：只是文件名以 {path.suffix} 结尾。",
        file=path,
        expected=named,
        fix=f"把它重命名为 {path.stem}.{ext}"
        if ext
        else f"把该表重新导出为 CSV UTF-8（{path.stem}.csv）或 Excel 工作簿（{path.stem}.xlsx）",
    )


def _damaged(path: Path, what: str, exc: BaseException) -> DataError:
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return DataError(
        f"无法把 {path.name} 读作{what}：文件已损坏或不完整（{reason}）。",
        file=path,
        fix="重新复制或导出该文件：复制或下载中断而被截断的文件无法修复",
    )


# ------------------------------------------------------------------ Parquet
def _read_parquet(path: Path) -> pd.DataFrame:
    import pyarrow as pa

    try:
        # the types are the file's own: pandas metadata, which a writer may have left stale
        # (types cast after it was written, a zone taken off, an index kept), is ignored
        table = files.arrow_table(path)
        _utf8_text(table, path)
        return table.to_pandas(self_destruct=True, split_blocks=True, ignore_metadata=True)
    except OSError as exc:
        if exc.errno is not None:
            raise unreadable(path, exc) from None
        raise _damaged(path, " Parquet 文件", exc) from None
    except (pa.ArrowException, TypeError, ValueError) as exc:
        raise _damaged(path, " Parquet 文件", exc) from None


def _utf8_text(table, path: Path) -> None:
    """A Parquet text column must hold UTF-8: Arrow reads other bytes without a word, and its
    first use (trimming) then fails. The first value that is not is named, with its row."""
    import pyarrow as pa

    for name, column in zip(table.column_names, table.columns, strict=True):
        kind = column.type.value_type if pa.types.is_dictionary(column.type) else column.type
        if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
            continue
        at = 0
        for piece in column.chunks:
            try:
                piece.validate(full=True)
            except pa.ArrowInvalid:
                values = piece.dictionary if pa.types.is_dictionary(piece.type) else piece
                for row, raw in enumerate(values.cast(pa.large_binary()).to_pylist()):
                    try:
                        (raw or b"").decode("utf-8")
                    except UnicodeDecodeError:
                        if pa.types.is_dictionary(piece.type):  # the first row holding it
                            row = piece.indices.to_pylist().index(row)
                        raise DataError(
                            f"{path.name} 的列 {name} 中有不是 UTF-8 的文字（第 {at + row + 1} 行）。",
                            file=path,
                            column=name,
                            rows=[at + row + 1],
                            values=[repr(raw)],
                            expected="UTF-8 编码的文字",
                            fix="在来源系统中导出 Parquet 时把文字列保存为 UTF-8 字符串（string）",
                        ) from None
            at += len(piece)


# ------------------------------------------------------------------ XLSX
def _read_xlsx(path: Path, spec: Table, mapped: set[str] = frozenset()) -> tuple[pd.DataFrame, int]:
    """The sheet that holds the table's header, read from the row below its header; title rows
    above the header and sheets without it (a cover, notes) are skipped."""
    known = set(spec.headers) | mapped
    try:
        engine = "openpyxl" if _long_numbers(path) else "calamine"
        with pd.ExcelFile(path, engine=engine) as book:
            sheets = book.sheet_names
            if len(sheets) == 1:
                grid = pd.read_excel(book, sheet_name=sheets[0], header=None, dtype=str)
                sheet = sheets[0]
            else:
                tops = {
                    s: pd.read_excel(
                        book, sheet_name=s, header=None, dtype=str, nrows=HEADER_SEARCH
                    )
                    for s in sheets
                }
                scores = {s: _best_row(top, known)[1] for s, top in tops.items()}
                best = max(scores.values())
                holding = [s for s in sheets if scores[s] == best]
                if best >= 2 and len(holding) > 1:
                    raise DataError(
                        f"{path.name} 有 {len(holding)} 个工作表带有 {spec.name} 的表头"
                        f"（{'、'.join(holding)}）；不知该用哪些行。",
                        file=path,
                        expected="该表的行都在一个工作表上（其他工作表可以放说明）",
                        fix="把所有行放到一个工作表上并删去副本（长的导出分在几个工作表上的，"
                        "把它们粘贴到同一个表头下）",
                    )
                sheet = holding[0]
                grid = pd.read_excel(book, sheet_name=sheet, header=None, dtype=str)
    except DataError:
        raise
    except ImportError as exc:  # an environment made before python-calamine was a dependency
        raise DataError(
            f"无法读取 {path.name}：本机没有安装读取 XLSX 工作簿的程序包，或者它的版本太旧"
            f"（{exc}）。",
            file=path,
            fix="在项目文件夹中运行 pip install -e .，安装本项目需要的程序包",
        ) from None
    except OSError as exc:
        if exc.errno is not None:
            raise unreadable(path, exc) from None
        raise _damaged(path, " XLSX 工作簿", exc) from None
    except Exception as exc:  # zip, XML, calamine, openpyxl: a damaged workbook, whatever the error
        raise _damaged(path, " XLSX 工作簿", exc) from None
    _show_rounded(grid, path, sheet)
    row, score = _best_row(grid.head(HEADER_SEARCH), known)
    if score == 0:  # no known header: the first row with anything in it, which check() reports
        filled = grid.notna().any(axis=1)
        row = int(filled.idxmax()) if filled.any() else 0
    headers = [header_text(v) for v in grid.iloc[row]] if len(grid) else []
    below = [header_text(v) for v in grid.iloc[row + 1]] if row + 1 < len(grid) else []
    under = _second_header_row(headers, below, known)
    if under is not None:  # the header over two rows (cells merged down, a group over columns)
        headers = under
    first = row + (2 if under is not None else 1)  # the first row of data
    cells = _without_empty_rows(grid.iloc[first:].set_axis(headers, axis=1))
    rows = f"{row + 1}—{row + 2}" if under is not None else f"{row + 1}"
    cells.attrs["header"] = f"工作表 {sheet!r} 的第 {rows} 行"
    return cells, 1  # grid index i is Excel row i + 1


def _second_header_row(headers: list[str], below: list[str], known: set[str]) -> list[str] | None:
    """The headers of a header written over two rows, as office workbooks often have them: some
    cells merged down over both rows (文号), others under a cell merged across them (印发信息 over
    印发日期 and 状态). The row below counts as part of the header when it is empty under every
    known header above and adds known headers where the row above has none or a group's name;
    None when it is a row of data."""
    if len(below) != len(headers):
        return None
    if any(b and h in known for h, b in zip(headers, below, strict=True)):
        return None  # a value under a known header: data
    merged = [b if b in known else (h or b) for h, b in zip(headers, below, strict=True)]
    adds = sum(b in known and h not in known for h, b in zip(headers, below, strict=True))
    return merged if adds else None


# a number cell's value of 16 or more digits: <v>, or <x:v> with a namespace prefix (starting
# with a literal, the pattern scans a sheet ten times faster than one starting with "<")
_LONG_NUMBER = re.compile(rb"v>\s*[+-]?\d{16}")


def _long_numbers(path: Path) -> bool:
    """Whether a workbook has a number of 16 or more digits: an id card or account number that
    the exporter wrote as a number (110101199001011234). calamine reads every number as a double,
    exact only up to 9007199254740992 (…234 would read …232); openpyxl reads the digits as
    written. Scanning the XML for such numbers costs a few per cent of reading it."""
    with zipfile.ZipFile(path) as book:
        for name in book.namelist():
            if not name.endswith(".xml") or name.endswith("sharedStrings.xml"):
                continue  # the shared strings hold text only, no number cells
            with book.open(name) as part:
                tail = b""
                while chunk := part.read(1 << 20):
                    if _LONG_NUMBER.search(tail + chunk):
                        return True
                    tail = chunk[-256:]  # a number cut by the chunk's end is found with the next
    return False


# a number cell Excel saved rounded to 15 significant digits: 1.10101199001011E+17 (an id
# card typed as a number); its reference and value, in a sheet's XML
_ROUNDED_CELL = re.compile(
    rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Z]{1,3})(\d+)"[^>]*>(?:<(?:\w+:)?f[^>]*(?:/>|>[^<]*</(?:\w+:)?f>))?'
    rb"<(?:\w+:)?v>\s*([+-]?\d(?:\.\d+)?[Ee]\+?(?:1[5-9]|[2-9]\d|\d{3}))\s*</(?:\w+:)?v>"
)


def _show_rounded(grid: pd.DataFrame, path: Path, sheet: str) -> None:
    """Put back, as Excel saved it (1.10101199001011E+17), each number of 16 or more digits
    that Excel kept to 15 significant digits: read as a number it looks like an id
    (110101199001011000) whose last digits are zeros, and different ids become one. As written,
    a column of whole numbers refuses it, and so does a column of ids (tester round 25: 3000
    id cards published as 31 persons). Looked for only in a sheet that has such a number."""
    cells = grid.to_numpy()
    if not any(
        isinstance(v, str) and len(v) >= 16 and v.lstrip("+-").isdigit() for v in cells.flat
    ):
        return
    part = _sheet_part(path, sheet)
    if part is None:
        return
    try:
        with zipfile.ZipFile(path) as book:
            xml = book.read(part)
    except (KeyError, OSError, zipfile.BadZipFile):
        return
    for letters, number, value in _ROUNDED_CELL.findall(xml):
        row, col = int(number) - 1, _column_index(letters.decode())
        if row < grid.shape[0] and col < grid.shape[1]:
            grid.iat[row, col] = value.decode().upper()  # as Excel writes it: 1.1E+17


def _column_index(letters: str) -> int:
    """0 for A, 25 for Z, 26 for AA …"""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def _sheet_part(path: Path, sheet: str) -> str | None:
    """The name in the workbook's zip of the XML of the sheet called ``sheet`` (None: not
    found, in a workbook laid out otherwise)."""
    import html

    def attribute(tag: str, name: str) -> str:
        found = re.search(rf'\s{name}="([^"]*)"', tag)
        return html.unescape(found.group(1)) if found else ""

    try:
        with zipfile.ZipFile(path) as book:
            names = set(book.namelist())
            workbook = book.read("xl/workbook.xml").decode("utf-8", "replace")
            rels = book.read("xl/_rels/workbook.xml.rels").decode("utf-8", "replace")
    except (KeyError, OSError, zipfile.BadZipFile):
        return None
    ids = {
        attribute(tag, "name"): attribute(tag, "r:id")
        for tag in re.findall(r"<(?:\w+:)?sheet\s[^>]*>", workbook)
    }
    targets = {
        attribute(tag, "Id"): attribute(tag, "Target")
        for tag in re.findall(r"<(?:\w+:)?Relationship\s[^>]*>", rels)
    }
    target = targets.get(ids.get(sheet, ""), "")
    part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return part if target and part in names else None


def _best_row(top: pd.DataFrame, known: set[str]) -> tuple[int, int]:
    """The row (index) holding the most known headers, and how many; the first on a tie."""
    best, score = 0, 0
    for i, row in enumerate(top.itertuples(index=False)):
        hits = sum(header_text(v) in known for v in row)
        if hits > score:
            best, score = i, hits
    return best, score


def header_text(value: object) -> str:
    """A header as it is meant: no surrounding spaces or invisible characters (``rules.PADDING``),
    no stray byte-order mark; empty for none."""
    return _cell_text(value).replace("\ufeff", "").strip(PADDING)


def _cell_text(value: object) -> str:
    return (
        "" if value is None or (isinstance(value, float) and value != value) else str(value).strip()
    )


def _without_empty_rows(cells: pd.DataFrame) -> pd.DataFrame:
    """Rows with no cell filled (blank lines, ``,,,,`` lines, formatted but empty Excel rows)
    carry nothing: dropped, keeping every other row's index (its row number in errors)."""
    if cells.empty or not cells.shape[1]:
        return cells
    maybe = cells.iloc[:, 0].isna()  # only rows empty in the first column can be empty
    if not maybe.any():
        return cells
    empty = maybe & cells.isna().all(axis=1)
    return cells[~empty] if empty.any() else cells


# ------------------------------------------------------------------ CSV
def _read_csv(path: Path, spec: Table, mapped: set[str] = frozenset()) -> tuple[pd.DataFrame, int]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise unreadable(path, exc) from None
    try:
        text, bom = _decode_as(data, path)
    except DataError as exc:  # found at a line: its row in Excel and WPS too
        exc.as_rows(lambda line: _row_of_line(data, line, spec, path))
        raise
    nul = text.find("\x00")
    if nul >= 0:
        line = _line_at(text, nul)
        problem = DataError(
            f"{path.name} 中有 NUL 字节，最早在第 {line} 行：它不是纯文本，或是 UTF-16"
            "（Excel 的“Unicode 文本”）。",
            file=path,
            rows=[line],
            values=[_shown(text, nul)],
            expected="UTF-8 或 GB18030 编码的 CSV 文本",
            fix="用 Excel 或 WPS 打开，重新另存为 CSV UTF-8（逗号分隔）",
        )
        problem.as_rows(lambda line: _row_of_line(data, line, spec, path))
        raise problem
    as_read = "\r" not in text or ('"' not in text and text.count("\r") == text.count("\r\n"))
    if not as_read:  # CR alone, or CRLF inside quoted values: every line ends in LF
        text = _lf(text)
    if not text or (text[0] in PADDING and not text.strip(PADDING)):  # nothing but padding
        raise DataError(
            f"{path.name} 中没有文字（只有空行）：连表头也没有。",
            file=path,
            fix="重新导出该表：导出中断时会留下空文件",
        )
    # CRLF line endings are left as they are (Arrow splits lines at either), but in the lines
    # searched for the header: a copy of a large file in each way cost a quarter of a second
    line, sep, header = _csv_header(io.StringIO(_lf(_lines(text, HEADER_SEARCH))), spec, path)
    if line is None:  # no known header among the first lines: the first line with text
        line, sep, header = _first_text_line(io.StringIO(_lf(text)))
    above = _rows_above(text, line, sep)  # rows above the header in Excel and WPS
    if len(header) > max(WIDEST, 20 * len(spec.columns)):
        # pandas' time grows with the square of the columns: 13 s for 40,000 values
        raise DataError(
            f"{path.name} 的表头行（第 {above + 1} 行）有 {len(header)} 个值，而 {spec.name}"
            f"（{spec.zh}）只有 {len(spec.columns)} 列：文件中的换行多半丢失了，全部记录连成了"
            "一行。",
            file=path,
            rows=[above + 1],
            lines=[line + 1],
            values=[_shown(text, len(_lines(text, line)) if line else 0)],
            expected="表头占一行，其下每条记录各占一行",
            fix=f"从{spec.source}重新导出 {path.name}；如果文件经过别的程序转存，检查它是否"
            "去掉了换行",
        )
    # Arrow reads the file's own bytes when they are the text in UTF-8
    utf8 = (data, bom) if as_read and bom is not None else None
    cells = _arrow_cells(text, line, sep, header, utf8)
    if cells is None:
        text = _lf(text)
        cells = _pandas_cells(text, line, sep, header, path, above)
    extra = _lines_within_values(cells, text, line, line - above + _header_lines(text, line, sep))
    _no_swallowed_records(cells, text, sep, path, above + 2, extra)
    cells = _without_empty_rows(cells)
    first = [header_text(v) for v in cells.iloc[0]] if len(cells) else []
    known = set(spec.headers) | mapped
    under = _second_header_row([header_text(h) for h in cells.columns], first, known)
    if under is not None:  # the header over two lines, as a workbook with merged cells saves it
        cells = cells.iloc[1:].set_axis(under, axis=1)
    cells.attrs["header"] = f"第 {above + 1}{'—' + str(above + 2) if under else ''} 行"
    if extra is not None:
        cells.attrs["extra_lines"] = extra
    return cells, above + 2


def _row_of_line(data: bytes, line: int, spec: Table, path: Path) -> int | None:
    """The row Excel and WPS show for a text editor's line of a CSV (from 1; CR, LF and CRLF
    each end a line) that could not be read as text: the records before it, read from its bytes
    (quotes, separators and line ends are the same bytes in UTF-8 and GB18030), and one more,
    unless a quoted value goes on into it. None when a quote in the title lines is left open."""
    ends = re.finditer(rb"\r\n|\r|\n", data)
    end = next(islice(ends, line - 2, None), None) if line > 1 else None
    if line > 1 and end is None:
        return None
    top = _lf(data[: end.end() if end else 0].decode("utf-8", "replace").replace("\x00", " "))
    header, sep, _ = _csv_header(io.StringIO(_lines(top, HEADER_SEARCH)), spec, path)
    try:  # (no header found: the separator is a comma)
        if header and _inside_quotes(_lines(top, header), sep):
            return None
        return _records(top, sep) + (0 if _inside_quotes(top, sep) else 1)
    except csv.Error:
        return None


def _header_lines(text: str, line: int, sep: str) -> int:
    """The lines the header record on line ``line`` takes beyond its first (a quoted cell over
    lines, Alt+Enter in Excel)."""
    start = len(_lines(text, line)) if line else 0
    end = text.find("\n", start)
    if '"' not in text[start : end if end >= 0 else len(text)]:
        return 0
    records = csv.reader(io.StringIO(text[start : start + HEADER_TEXT]), delimiter=sep)
    try:
        next(records, None)
    except csv.Error:
        return 0
    return max(records.line_num - 1, 0)


def _rows_above(text: str, line: int, sep: str) -> int:
    """How many rows Excel and WPS show above the header on line ``line`` (0-based): its lines,
    less the line breaks inside a quoted title (one row, two lines); the lines themselves when
    a quote there does not close."""
    if not line:
        return 0
    top = _lines(text, line)
    if '"' not in top:
        return line

    try:
        # a quote still open above the header: where it ends, nobody can tell
        return line if _inside_quotes(top, sep) else _records(top, sep)
    except csv.Error:
        return line


def _records(text: str, sep: str) -> int:
    """The records in ``text``, read as leniently as pandas reads them: "2021年打掉⏎团伙表"（续）
    is one, and a quote inside a value (2021年"打掉团伙表) is a character."""
    return sum(1 for _ in csv.reader(io.StringIO(text), delimiter=sep))


def _inside_quotes(top: str, sep: str) -> bool:
    """Whether a quoted value opened in ``top`` (whole lines) is still open at its end, so that
    the next line goes on with it: a quote added at the end then closes it instead of starting
    one more record. Raises csv.Error for text the csv module cannot read (a NUL byte)."""
    return '"' in top and _records(top + '"', sep) == _records(top, sep)


def _lines_within_values(cells: pd.DataFrame, text: str, line: int, shift: int = 0):
    """None when each row of ``cells`` is one line of the file below the header line ``line``
    (counted, not split: most files); else, for the row at each index, how many lines further
    down than its row number it begins in a text editor (values over several lines above it:
    Excel and WPS show such a value in one cell, a text editor over several lines). ``shift``:
    the lines a quoted title above the header and a header cell over lines take beyond their
    rows."""
    import numpy as np

    if '"' not in text:  # a value over lines is quoted
        return None
    below = text.count("\n", len(_lines(text, line + 1)))
    if not text.endswith("\n"):
        below += 1
    if below <= len(cells) and not shift:
        return None
    inside = np.zeros(len(cells), dtype=np.int64)
    for pos in range(cells.shape[1]):  # by place: two columns may share a name (or none)
        values = cells.iloc[:, pos]
        if is_text(values):
            inside += values.str.count("\n").fillna(0).to_numpy(dtype=np.int64)
    if not inside.any() and not shift:
        return None
    return shift + np.concatenate(([0], np.cumsum(inside)[:-1]))


def _lf(text: str) -> str:
    """``text`` with every line ending in LF (CRLF and CR alone are what Windows and old Macs write)."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _lines(text: str, n: int) -> str:
    """The first ``n`` lines of ``text`` (all of it if it has fewer)."""
    end = 0
    for _ in range(n):
        end = text.find("\n", end) + 1
        if not end:
            return text
    return text[:end]


def _no_swallowed_records(
    cells: pd.DataFrame, text: str, sep: str, path: Path, first_row: int, extra=None
) -> None:
    """A value over several lines of which one holds as many separators as a whole record: a
    quote opened and never closed where it should have been (or two stray quotes) took the
    lines up to the next quote into one value, and their records out of the table. Both CSV
    parsers read it so, and nothing else would say so."""
    width = cells.shape[1]
    if width < 3 or '"' not in text:  # few separators to tell a record by; no value over lines
        return
    for pos in range(width):
        values = cells.iloc[:, pos]
        if not is_text(values):
            continue
        multi = values.str.contains("\n", regex=False, na=False)
        if not multi.any():
            continue
        for index, value in values[multi].items():
            inner = [p for p in value.split("\n")[1:] if p.count(sep) >= width - 1]
            if not inner:
                continue
            # the row it is in (not a search of the text: an earlier value may begin alike)
            row = first_row + int(index)
            line = row + (int(extra[index]) if extra is not None else 0)
            raise DataError(
                f"{path.name} 中第 {row} 行起有一个值跨了"
                f" {value.count(chr(10)) + 1} 行，其中 {len(inner)} 行看起来是完整的记录"
                f'（如 {inner[0][:SHOW_CHARS]}）：多半是一个双引号（"）没有闭合，后面的记录都被'
                "读进了这个值，不计入数字。",
                file=path,
                rows=[row],
                lines=[line],
                values=[_shown(text, len(_lines(text, line - 1)))],
                column=_column_named(cells, pos),
                expected='用双引号括起的值以双引号结束；值中的双引号写两次（""）',
                fix="找到这一行中多出或没有闭合的双引号，改正后重新保存（Excel 和 WPS 另存为 CSV"
                " 时会正确地写出引号）",
            )


def is_text(values: pd.Series) -> bool:
    """Whether a column holds text (plain or pandas' string; a categorical is codes)."""
    dtype = values.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return False
    return pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)


def _column_named(cells: pd.DataFrame, pos: int) -> str:
    """A column as the error names it: its header and its place."""
    return f"{header_text(cells.columns[pos])}（{column_label(pos)}）"


def _pandas_cells(
    text: str, line: int, sep: str, header: list[str], path: Path, above: int | None = None
) -> pd.DataFrame:
    """The cells below the header line, split by pandas, whatever the file; a line it cannot
    split is named (``_csv_shape_error``)."""
    import warnings

    named, first = _first_records(text, line, sep)
    width = len(named) or len(header)  # the header as pandas reads it (a cell over two lines)
    extra = len(first) - len(named)
    if named and (extra > 1 or (extra == 1 and first[-1] != "")):  # as pandas would warn (below)
        # pandas makes a column of each extra value before it cuts them off: 9 s for a 5 MB
        # file without line breaks (the hostile tester's); the line is named at once. The
        # header as pandas reads it: a header cell over two lines (Alt+Enter in Excel) is one
        raise _csv_shape_error(
            text, line, sep, width, path, rows_above=above, exc=ValueError(len(first))
        )
    try:
        with warnings.catch_warnings(record=True) as said:
            warnings.simplefilter("always", pd.errors.ParserWarning)
            # from the header line on: ``skiprows`` counts records, and a quoted title over two
            # lines is one record, so the header was skipped and the first row read as it
            cells = pd.read_csv(
                io.StringIO(text[len(_lines(text, line)) :] if line else text),
                sep=sep,
                header=0,
                dtype=str,
                keep_default_na=False,
                na_values=[""],
                index_col=False,
                skip_blank_lines=False,  # blank lines keep their place: row numbers stay true
            )
    except pd.errors.ParserError as exc:
        raise _csv_shape_error(text, line, sep, width, path, rows_above=above, exc=exc) from None
    longer = [w for w in said if issubclass(w.category, pd.errors.ParserWarning)]
    if longer:  # pandas cut the first row's extra values off (index_col=False) with a warning
        raise _csv_shape_error(
            text, line, sep, width, path, rows_above=above, exc=longer[0].message
        )
    if len(header) == cells.shape[1]:
        cells.columns = [header_text(h) for h in header]  # the real ones: pandas renames duplicates
    return cells


def _first_records(text: str, line: int, sep: str) -> tuple[list[str], list[str]]:
    """The header record from line ``line`` on and the first record below it, split as pandas
    splits them (empty: none, or a quote the csv module cannot follow, which pandas then
    reports). A separator ending the line gives an empty last value, which pandas
    (``index_col=False``) drops without a word."""
    records = csv.reader(
        io.StringIO(text[len(_lines(text, line)) :] if line else text), delimiter=sep
    )
    try:
        return next(records, []), next(records, [])
    except csv.Error:
        return [], []


def _arrow_cells(
    text: str, line: int, sep: str, header: list[str], utf8: tuple[bytes, int] | None = None
) -> pd.DataFrame | None:
    """The cells below the header line, split by Arrow's CSV reader (a fifth of the time of
    pandas' parser, ``_pandas_cells``, on a hotline table of 700,000 rows): the same frame,
    for a file Arrow reads without a doubt. None for any other, which pandas reads as before
    and whose faults ``_csv_shape_error`` names: a line with more or fewer values than the
    header, a blank line, or a quote left open (Arrow takes the rest of the file into the last
    value, where pandas stops); a quote in the title lines or the header (pandas reads those
    lines as records: a quoted title over two lines takes the first row with it), or a byte
    order mark starting the rows (Arrow would drop it).

    ``utf8``: the file's bytes and the length of its byte order mark, when they are ``text`` in
    UTF-8: Arrow reads the rows from them (else from ``text`` encoded), without a copy."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    start = 0
    for _ in range(line + 1):  # the body starts on the line after the header
        start = text.find("\n", start) + 1
        if not start:
            return None  # no line below the header
    if start == len(text) or text.startswith("\ufeff", start) or '"' in text[:start]:
        return None  # the header alone; a byte order mark, or a quote above the rows
    if text.endswith("\n"):
        data, offset = utf8 or (text.encode("utf-8"), 0)
        rows = pa.py_buffer(data)[offset + len(text[:start].encode("utf-8")) :]
    else:  # a quote left open then leaves the newline in the last value: seen below
        rows = pa.py_buffer((text[start:] + "\n").encode("utf-8"))
    names = [f"c{i}" for i in range(len(header))]
    try:
        table = pcsv.read_csv(
            pa.BufferReader(rows),
            read_options=pcsv.ReadOptions(column_names=names, use_threads=False),
            parse_options=pcsv.ParseOptions(
                delimiter=sep, newlines_in_values=True, ignore_empty_lines=False
            ),
            convert_options=pcsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if not table.num_rows:
        return None
    last = table.column(len(names) - 1)[-1].as_py()
    if last is not None and last.endswith("\n"):
        return None  # a quote opened in the last line's last value and never closed
    cells = table.to_pandas()
    cells.columns = [header_text(h) for h in header]
    return cells


def _csv_header(buffer: io.StringIO, spec: Table, path: Path) -> tuple[int, str, list[str]]:
    """The line (0-based) holding the header, its separator and fields: the line among the
    first ones with the most known headers (title lines above it are skipped)."""
    known = spec.headers
    found = []  # (score, line, separator, fields) of each line with known headers
    lines = list(islice(buffer, HEADER_SEARCH))
    for i, line in enumerate(lines):
        # a quoted cell over lines (Alt+Enter in Excel): the record goes on, for at most
        # HEADER_RECORD_LINES more lines
        end, record = i, line
        while record.count('"') % 2 and end + 1 < len(lines) and end - i < HEADER_RECORD_LINES:
            end += 1
            record += lines[end]
        if not record.count('"') % 2:  # closed: the whole record (else the line alone)
            line = record
        for sep in SEPARATORS:
            if sep != "," and sep not in line:
                continue
            fields = next(csv.reader(io.StringIO(line.rstrip("\n")), delimiter=sep), [])
            score = sum(header_text(f) in known for f in fields)
            if score:
                found.append((score, i, sep, fields))
    if not found:
        return None, ",", None
    top = max(score for score, *_ in found)
    best = [f for f in found if f[0] == top]

    # the first line (and separator) with the most, unless a quoted value it lies in goes on
    # from above: a title over lines may repeat the header (tester, round 16)
    def begins_record(found) -> bool:
        try:
            return not _inside_quotes("".join(lines[: found[1]]), found[2])
        except csv.Error:  # a value longer than the csv module reads: as before, the first
            return True

    _, line, sep, fields = next(filter(begins_record, best), best[0])
    return line, sep, fields


def _first_text_line(buffer: io.StringIO) -> tuple[int, str, list[str]]:
    """The first line with text, as the header for ``check`` to report, when no line among the
    first ones holds a known header."""
    for line, text in enumerate(buffer):
        if text.strip():
            return line, ",", next(csv.reader([text.rstrip("\n")]), [])
    return 0, ",", []  # (not reached: a file of nothing but padding is refused before)


def _csv_shape_error(
    text: str,
    header_line: int,
    sep: str,
    width: int,
    path: Path,
    exc: Exception,
    rows_above: int | None = None,
) -> DataError:
    """Why pandas could not split the CSV: every line with more values than the header, or the
    line where a quote opens and never closes. Read from the header line on, as pandas read it:
    a quote in the title lines is not what went wrong."""
    above = len(_lines(text, header_line)) if header_line else 0

    def scan(strict: bool):
        """The rows with more values than the header, as (row in Excel, line in a text
        editor), and what stopped the reading: (error, row, its first line, the line where it
        went wrong); without an error, (None, the last row, its first line, None)."""
        reader = csv.reader(io.StringIO(text[above:]), delimiter=sep, strict=strict)
        long: list[tuple[int, int]] = []
        start = header_line + 1  # the line where the next record begins
        # the row in Excel of the record last read (a value over lines: one row; ``rows_above``:
        # the rows above the header, when a quoted title over lines makes them fewer than its
        # lines)
        row = header_line if rows_above is None else rows_above
        first = start
        try:
            for record in reader:
                first, start = start, header_line + reader.line_num + 1
                row += 1
                # a separator ending the row (an empty last value) pandas drops without a word
                over = len(record) - width
                if first > header_line + 1 and (over > 1 or (over == 1 and record[-1] != "")):
                    long.append((row, first))
        except csv.Error as err:
            return long, (err, row + 1, start, header_line + reader.line_num)
        return long, (None, row, first, None)

    lines = text.split("\n")

    def unclosed(row: int, line: int) -> DataError:
        return DataError(
            f'{path.name} 第 {row} 行有一个没有闭合的双引号（"）：它后面的全部内容都会被读成'
            "一个值。",
            file=path,
            rows=[row],
            lines=[line],
            values=[lines[line - 1][:SHOW_CHARS]],
            expected='用引号括起的值以引号结束："a,b"',
            fix='补上闭合的引号，或删去它；引号括起的值中的引号要写两次（""）',
        )

    long, (err, row, start, at) = scan(strict=True)
    also = ""  # a second fault below the rows too long, said with them
    if err is not None:
        if "end of data" in str(err) and not long:
            return unclosed(row, start)
        if "end of data" in str(err):
            where = f"（文本编辑器中第 {start} 行）" if start != row else ""
            also = (
                f'另外，第 {row} 行{where}有一个没有闭合的双引号（"），它后面的全部内容都会'
                "被读成一个值。"
            )
        else:
            # pandas reads a quote in the wrong place as a character: what it could not split
            # is the rows it found too long, if there are any, or a quote left open at the end
            long, (_, last, first, _) = scan(strict=False)
            if not long and _inside_quotes(text[above:], sep):
                return unclosed(last, first)
            if not long:
                where = f"（文本编辑器中第 {at} 行）" if at != start else ""
                what = (
                    "：引号括起的值在闭合的引号之后还有别的字符"
                    if "expected after" in str(err)
                    else f"（{err}）"
                )
                return DataError(
                    f'{path.name} 第 {row} 行的双引号（"）位置不对{where}{what}。',
                    file=path,
                    rows=[row],
                    lines=[start],
                    values=[lines[at - 1][:SHOW_CHARS]],
                    expected='含有引号的值整个用引号括起，其中的引号写两次："say ""hi"""',
                    fix="改正该行的引号，或用 Excel 或 WPS 重新保存文件（它们会正确地写出引号）",
                )
    if long:
        return DataError(
            f"{path.name} 中有 {len(long)} 行的值比表头的 {width} 列多：多了一个分隔符，"
            f"或某个含有分隔符的值没有用双引号括起。{also}",
            file=path,
            rows=[r for r, _ in long[:5]],
            lines=[n for _, n in long[:5]],
            values=[lines[n - 1][:SHOW_CHARS] for _, n in long[:5]],
            expected=f"每行 {width} 个值，用{SEPARATOR_WORDS[sep]}分隔",
            fix='删去多余的分隔符，或把含有分隔符的值用双引号括起（"a,b"）；'
            "Excel 和 WPS 另存为 CSV 时会自动给这样的值加引号",
        )
    return DataError(
        f"无法把 {path.name} 读作 CSV（{str(exc).strip()}）。",
        file=path,
        fix="用 Excel 或 WPS 打开，重新另存为 CSV UTF-8",
    )


# ------------------------------------------------------------------ text encodings
def _cut_short(data: bytes, path: Path) -> None:
    """A file valid in neither encoding whose only fault is an incomplete character at its very
    end was cut while copying or exporting: say that, not that its encoding is wrong."""
    body = data[3:] if data.startswith(codecs.BOM_UTF8) else data
    errors = {}
    for encoding in ("utf-8", "gb18030"):
        try:
            body.decode(encoding)
            return  # a whole file in one encoding
        except UnicodeDecodeError as exc:
            errors[encoding] = exc
    for encoding, exc in errors.items():
        if exc.start < len(body) - 3 or exc.end < len(body):
            continue
        try:
            body[: exc.start].decode(encoding)
        except UnicodeDecodeError:
            continue
        line = _line_at(data, len(data) - 1)
        last = _line_bytes(data, _line_start(data, len(data) - 1)).decode(encoding, "replace")
        raise DataError(
            f"{path.name} 在一个字符的中间结束（第 {line} 行）：文件在复制或导出时被截断了。",
            file=path,
            rows=[line],
            values=[last],
            expected=f"完整的 {encoding.upper()} 文本文件",
            fix="重新导出该表，或重新复制整个文件",
        )


def decode(data: bytes, path: Path) -> str:
    """The text of a CSV in one encoding: UTF-8 (with or without BOM) or GB18030/GBK. A file
    valid in neither, or with lines in both, is an error naming its first bad line; a file cut
    in the middle of its last character is said to be cut short."""
    return _decode_as(data, path)[0]


def _decode_as(data: bytes, path: Path) -> tuple[str, int | None]:
    """``decode``, and the length of the byte order mark of a file in UTF-8 (0: none; None: the
    file is GB18030)."""
    try:
        return _decode(data, path)
    except DataError as exc:
        problem = exc
    _cut_short(data, path)  # a file cut short is said so, rather than what it seems to be
    raise problem


def _decode(data: bytes, path: Path) -> tuple[str, int | None]:
    """``_decode_as`` but for a cut: a file that decodes is decoded once in its encoding, not
    first in both to look for a cut (a third of a second for a GB18030 file of 700,000 lines)."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[3:].decode("utf-8"), 3
        except UnicodeDecodeError as exc:
            line = _line_at(data, exc.start + 3)
            raise _mixed(
                path,
                data,
                exc.start + 3,
                f"{path.name} 以 UTF-8 的字节顺序标记（BOM）开头，但第 {line} 行不是 UTF-8。",
            ) from None
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        raise DataError(
            f"{path.name} 是 UTF-16 文本（Excel 的“Unicode 文本”），不是 UTF-8 或 GB18030 的 CSV。",
            file=path,
            expected="UTF-8 或 GB18030 编码的 CSV 文本",
            fix="用 Excel 或 WPS 打开，重新另存为 CSV UTF-8（逗号分隔）",
        )
    try:
        return data.decode("utf-8"), 0
    except UnicodeDecodeError as exc:
        bad = exc.start
    line_start = _line_start(data, bad)
    if _is_utf8_text(data[:line_start].decode("utf-8")):  # lines of UTF-8 text, then other bytes
        line = _line_at(data, bad)
        raise _mixed(
            path,
            data,
            bad,
            f"{path.name} 混用了两种文字编码：第 {line} 行之前是 UTF-8，第 {line} 行不是。",
        )
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        start = _line_start(data, exc.start)
        if _is_utf8_text(_line_bytes(data, start).decode("utf-8", "replace")):
            # lines of UTF-8 before it may have read as GB18030 (as other characters): the first
            first = _first_utf8_line(data[:start], line_start)
            raise _gb_then_utf8(path, data, bad, start if first is None else first) from None
        line = _line_at(data, exc.start)
        raise DataError(
            f"{path.name} 既不是 UTF-8 也不是 GB18030/GBK 文本：第 {line} 行两者都不符合。",
            file=path,
            rows=[line],
            values=[_shown(data, exc.start)],
            expected="UTF-8 或 GB18030 编码的 CSV 文本（Excel：另存为 CSV UTF-8）",
            fix="用 Excel 或 WPS 打开，重新另存为 CSV UTF-8（逗号分隔）",
        ) from None
    utf8_at = _first_utf8_line(data, line_start)
    if utf8_at is not None:
        raise _gb_then_utf8(path, data, bad, utf8_at)
    return text, None


def _gb_then_utf8(path: Path, data: bytes, gb_at: int, utf8_at: int) -> DataError:
    return _mixed(
        path,
        data,
        utf8_at,
        f"{path.name} 混用了两种文字编码：它是 GB18030/GBK（从第 {_line_at(data, gb_at)} 行起），"
        f"但第 {_line_at(data, utf8_at)} 行是 UTF-8。",
    )


def _line_bytes(data: bytes, start: int) -> bytes:
    ends = [i for i in (data.find(b"\n", start), data.find(b"\r", start)) if i >= 0]
    return data[start : min(ends, default=len(data))]


def _is_utf8_text(text: str) -> bool:
    """Text that is Chinese in UTF-8, not GBK bytes that happen to be valid UTF-8 (those
    turn into Latin, Greek or Cyrillic letters)."""
    return bool(_CJK.search(text)) and not _ODD.search(text)


def _first_utf8_line(data: bytes, start: int) -> int | None:
    """The offset of the first line, from ``start`` (a line's start) on, that is Chinese text in
    UTF-8 (lines end in LF, CRLF or CR alone). Read about a megabyte of whole lines at a time: the
    file decoded and split at once took three times its size in fresh memory (a fifth of a
    second in page faults for 47 MB). A piece whose bytes hold no Chinese character in UTF-8
    is passed over without decoding it (``_may_hold_utf8_chinese``: 630,000 GB18030 hotline
    tickets at ten times the sample in 0.12 s of CPU instead of 0.45 s)."""
    pos = start
    while pos < len(data):
        end = _line_end(data, pos + CHUNK_BYTES)
        piece = data[pos:end]
        if not _may_hold_utf8_chinese(piece):
            pos = end
            continue
        # a UTF-8 character never holds a line-ending byte: the piece's lines are the file's
        text = piece.decode("utf-8", "replace")
        if _CJK.search(text) is not None:
            lone = piece.count(b"\r") != piece.count(b"\r\n")  # lines that end in CR alone
            for i, line in enumerate((text.replace("\r", "\n") if lone else text).split("\n")):
                if not line.isascii() and "\ufffd" not in line and _is_utf8_text(line):
                    return pos + _nth_line_offset(piece, i, lone)
        pos = end
    return None


def _may_hold_utf8_chinese(piece: bytes) -> bool:
    """Whether bytes may hold a character that ``_CJK`` matches, written in UTF-8: a lead byte
    of U+3000–U+9FFF (E3–E9) or of U+F000–U+FFFF (EF) followed by two continuation bytes
    (80–BF), as the decoder needs to read one. False proves the piece decodes to no such
    character; True may be GB18030 bytes that look so, and the piece is decoded to tell."""
    import numpy as np

    b = np.frombuffer(piece, np.uint8)
    if len(b) < 3:
        return False
    lead = ((b[:-2] - 0xE3) <= 0xE9 - 0xE3) | (b[:-2] == 0xEF)  # uint8: below E3 wraps round
    follows = (b & 0xC0) == 0x80
    return bool((lead & follows[1:-1] & follows[2:]).any())


def _line_end(data: bytes, at: int) -> int:
    """Where the line that holds offset ``at`` ends (after its CR or LF), looked for within a
    piece's length first: a file of CR lines has its first LF far off, or none."""
    for window in (CHUNK_BYTES, len(data)):
        found = [
            i
            for i in (data.find(b"\n", at, at + window), data.find(b"\r", at, at + window))
            if i >= 0
        ]
        if found:
            return min(found) + 1
    return len(data)


def _nth_line_offset(data: bytes, n: int, cr: bool = False) -> int:
    """Where the line after the ``n``-th LF is (``cr``: the ``n``-th CR or LF, as a CRLF then
    ends two lines, the second empty)."""
    if not n:
        return 0
    ends = re.finditer(rb"[\r\n]" if cr else rb"\n", data)
    return next(islice(ends, n - 1, None)).end()


def _mixed(path: Path, data: bytes, offset: int, message: str) -> DataError:
    return DataError(
        message,
        file=path,
        rows=[_line_at(data, offset)],
        values=[_shown(data, offset)],
        expected="整个文件用一种编码：UTF-8（带或不带 BOM）或 GB18030/GBK",
        fix="文件中加入了另一种编码的行（例如把 GBK 的导出粘贴到了 UTF-8 的导出中）："
        "把整个表一次重新导出，或用 Excel 或 WPS 打开所加行原来的导出，另存为 CSV UTF-8，"
        "再把这些行复制过来",
    )


def _line_start(data: bytes | str, offset: int) -> int:
    newline = b"\n" if isinstance(data, bytes) else "\n"
    cr = b"\r" if isinstance(data, bytes) else "\r"
    return max(data.rfind(newline, 0, offset), data.rfind(cr, 0, offset)) + 1


def _line_at(data: bytes | str, offset: int) -> int:
    """The line (as a text editor numbers it: from 1, CR, LF and CRLF each end a line) of an offset."""
    lf, cr, crlf = (b"\n", b"\r", b"\r\n") if isinstance(data, bytes) else ("\n", "\r", "\r\n")
    return data.count(lf, 0, offset) + data.count(cr, 0, offset) - data.count(crlf, 0, offset) + 1


def _shown(data: bytes | str, offset: int) -> str:
    """The line around an offset, readable whatever its encoding."""
    start = _line_start(data, offset)
    if isinstance(data, bytes):
        piece = _line_bytes(data, start)
        try:
            text = piece.decode("utf-8")
        except UnicodeDecodeError:
            text = piece.decode("gb18030", "replace")
    else:
        end = min(
            i for i in (data.find("\n", offset), data.find("\r", offset), len(data)) if i >= 0
        )
        text = data[start:end].replace("\x00", "\\0")
    return text[:SHOW_CHARS]


# ------------------------------------------------------------------ cheap row counts
def excel_serial(value: str) -> date | None:
    """The date an Excel serial number stands for (44197 → 2021-01-01), for values in the
    range of plausible report years (1954–2119); else None."""
    if not re.fullmatch(r"\d{5}(\.0+)?", value):
        return None
    days = int(float(value))
    return date(1899, 12, 30) + timedelta(days=days) if 20000 <= days <= 80000 else None


def column_label(position: int) -> str:
    """A column's place as a user sees it: ``第 3 列（C）`` for position 2 (0-based)."""
    n, letters = position + 1, ""
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return f"第 {position + 1} 列（{letters}）"
