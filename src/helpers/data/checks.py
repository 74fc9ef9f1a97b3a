"""The contract's checks of a table's cells: headers (canonical, Chinese or mapped; duplicates, a
repeated header row, none at all), types (whole numbers, dates without a zone, 是/否 …), the
value rules (``rules``: required, allowed, limits), and the key. ``check`` reports every problem
with its rows; ``clean_in_place`` decides in Arrow, a quarter of a million rows at a time,
whether a Parquet file already in the contract's form passes them all and can be read where it
lies.
"""

from __future__ import annotations

import difflib
import logging
import re
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from helpers.data import pages, readers, rules
from helpers.data.contract import Column, Table
from helpers.errors import DataError

log = logging.getLogger(__name__)

SHOW_ROWS = 5  # offending rows quoted in an error
TRUE_WORDS = {"是", "true", "True", "TRUE", "1", "Y", "y"}
FALSE_WORDS = {"否", "false", "False", "FALSE", "0", "N", "n"}
# a time with a zone after it: 2021-05-01T08:00:00+08:00, …Z, … UTC
ZONED = (
    r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*"
    r"(?:[zZ]|[+-]\d{2}(?::?\d{2})?|(?:UTC|GMT)(?:[+-]\d{1,2}(?::?\d{2})?)?)$"
)

TYPES_WORD = {
    "int": "整数",
    "float": "数字",
    "date": "日期",
    "datetime": "日期时间",
    "bool": "是/否",
}


def check(
    raw: pd.DataFrame,
    spec: Table,
    path: Path,
    first_row: int = 2,
    warnings: list[str] | None = None,
) -> tuple[pd.DataFrame, list[DataError]]:
    """Map headers, parse types and check the contract; returns the typed frame and all problems.

    ``raw`` has the file's own headers, duplicates included; a row's index plus ``first_row``
    is its row in Excel or its line in a text editor."""
    problems: list[DataError] = []
    warnings = warnings if warnings is not None else []
    headers = spec.headers
    names = [readers.header_text(c) for c in raw.columns]
    places: dict[str, list[int]] = {}  # canonical name → the positions of its headers
    unknown: list[int] = []
    for pos, name in enumerate(names):
        if name in headers:
            places.setdefault(headers[name], []).append(pos)
        elif name:
            unknown.append(pos)
        elif raw.iloc[:, pos].notna().any():
            warnings.append(f"{path}：{readers.column_label(pos)}没有表头；其中的值不予读取")
            log.warning(warnings[-1])
    for canonical, positions in places.items():
        if len(positions) > 1:
            shown = raw.attrs.get("file_headers") or names  # a mapped header as in the file
            problems.append(_twice(spec.column(canonical), positions, shown, path))
    renames = {
        names[pos]: near[0]
        for pos in unknown
        if (near := difflib.get_close_matches(names[pos], list(headers), n=1, cutoff=0.5))
        and headers[near[0]] not in places
    }
    if not places:  # not one header of the table: a wrong header line, or another table
        problems.append(_no_known_header(raw, names, spec, path, renames))
        return raw, problems
    for pos in unknown:
        col = names[pos]
        if col in renames:
            problems.append(
                DataError(
                    f"{spec.name} 中有未知的表头 {col!r}（{readers.column_label(pos)}）。",
                    file=path,
                    column=col,
                    expected=f"表头 {renames[col]!r}（{headers[renames[col]]}）",
                    fix=f"把表头 {col!r} 改为 {renames[col]!r}，或保留导出的原样，在"
                    f" {path.parent / 'mapping.yaml'} 中对照："
                    f"  columns: {{{_yaml_key(col)}: {renames[col]}}}",
                )
            )
        else:
            warnings.append(
                f"{path}：多出的列 {col!r}（{readers.column_label(pos)}）不在 {spec.name} 的"
                "契约中，不予读取"
            )
            log.warning(warnings[-1])
    suggested = {headers[near] for near in renames.values()}
    frame = raw.iloc[:, [positions[0] for positions in places.values()]]
    frame = frame.set_axis(list(places), axis=1)
    repeated = _repeated_header(frame, spec)
    if repeated.any():  # two exports joined: report the header lines, check the rows around them
        rows, values = _bad(repeated, frame[spec.key[0]], first_row)
        problems.append(
            DataError(
                f"{path.name} 中有 {int(repeated.sum())} 行重复了表头：两次导出被合成了一个文件，"
                "或表头被粘贴到了数据行中间。",
                file=path,
                rows=rows,
                values=values,
                expected="只有一行表头，在最上面",
                fix="删去重复的表头行；如果是两次导出合在一起，检查有没有记录在两次中都出现",
            )
        )
        frame = frame[~repeated]
    for col in spec.columns:
        if col.name not in frame.columns:
            if col.required and col.name not in suggested:  # a rename was already suggested for it
                problems.append(
                    DataError(
                        f"{spec.name} 缺少必需的列 {col.name}（{col.zh}）。",
                        file=path,
                        column=f"{col.zh} / {col.name}",
                        expected=col.expected,
                        fix=f"添加表头为 {col.zh!r} 的一列：{col.description}；如果导出中它用的是"
                        "另一个表头，在 mapping.yaml 中把那个表头对照到它（见 data/README.md）",
                    )
                )
            elif not col.required:
                frame[col.name] = pd.NA
            continue
        frame[col.name], problem = _parse(frame[col.name], col, path, first_row)
        if problem:
            problems.append(problem)
    if frame.empty:
        problems.append(
            DataError(
                f"数据表 {spec.name}（{spec.zh}）没有数据行。",
                file=path,
                fix="重新导出：文件中只有表头",
            )
        )
    if not problems:
        problems += _check_key(frame, spec, path, first_row)
    return frame[[c.name for c in spec.columns]] if not problems else frame, problems


def _repeated_header(frame: pd.DataFrame, spec: Table) -> pd.Series:
    """Rows that are the header again (text files only): the key column holds its own header,
    and so does at least one other column."""
    key = spec.column(spec.key[0])
    if key.name not in frame.columns or not readers.is_text(frame[key.name]):
        return pd.Series(False, index=frame.index)
    hits = frame[key.name].isin([key.name, key.zh]).to_numpy().astype(int)
    if not hits.any():
        return pd.Series(False, index=frame.index)
    for col in spec.columns:
        if col.name != key.name and col.name in frame.columns:
            hits = hits + frame[col.name].isin([col.name, col.zh]).to_numpy()
    return pd.Series(hits >= 2, index=frame.index)


def _yaml_key(name: str) -> str:
    """A header as a key of mapping.yaml: in double quotes when YAML would read it otherwise (a
    line break in the cell, written \\n; a colon, a quote, a bracket …)."""
    import json

    plain = name.strip() == name and not any(c in name for c in "\n\r\t:#{}[],&*!|>'\"%@`")
    return name if plain and name else json.dumps(name, ensure_ascii=False)


def _twice(col: Column, positions: list[int], names: list[str], path: Path) -> DataError:
    """One column under two headers (the same, or its canonical and Chinese names)."""
    shown = "和".join(
        f"{readers.column_label(p)}的 {readers.header_text(names[p])!r}" for p in positions
    )
    return DataError(
        f"列 {col.zh} / {col.name} 在表头中出现了 {len(positions)} 次：{shown}。",
        file=path,
        column=f"{col.zh} / {col.name}",
        expected="每列只出现一次",
        fix=f"保留内容是“{col.description}”的那一列；删去另一列，如果它存放的是别的内容，"
        "给它另起一个表头",
    )


def _no_known_header(
    raw: pd.DataFrame, names: list[str], spec: Table, path: Path, renames: dict[str, str]
) -> DataError:
    where = raw.attrs.get("header", "第一行")
    spelled = "；".join(f"{old!r} → {new!r}" for old, new in renames.items())
    wide = any("，" in name for name in names)
    return DataError(
        f"{path.name} 中找不到 {spec.name}（{spec.zh}）的任何一列：它的表头（{where}）"
        f"是 {', '.join(names[:6]) if any(n.strip(rules.PADDING) for n in names) else '空的'}。",
        file=path,
        expected=f"写出各列名称的表头：{'、'.join(c.zh for c in spec.columns)}"
        "（见 data/README.md）",
        fix=f"检查这是不是{spec.zh}；如果缺少表头行，加上它；如果表头在第"
        f" {readers.HEADER_SEARCH} 行以下，删去它上面的行"
        + (f"；如果只是写法不同，改名 {spelled}" if spelled else "")
        + ("；各列之间用半角逗号（,）分隔，不要用全角逗号（，）" if wide else "")
        + f"；如果这是贵单位系统自己的导出格式，在 {path.parent / 'mapping.yaml'} 中对照它的表头",
    )


def _bad(mask: pd.Series, raw: pd.Series, first_row: int) -> tuple[list[int], list[object]]:
    idx = mask[mask].index[:SHOW_ROWS]
    return [int(i) + first_row for i in idx], [raw[i] for i in idx]


def _parse(
    raw: pd.Series, col: Column, path: Path, first_row: int
) -> tuple[pd.Series, DataError | None]:
    if isinstance(raw.dtype, pd.CategoricalDtype) and _padded_categories(raw):
        raw = raw.astype("string")  # "" or spaces around a value: cleaned as text is, below
    if isinstance(raw.dtype, pd.CategoricalDtype):  # Parquet dictionary column: keep it compact
        text, missing = raw, raw.isna()
    elif raw.dtype == object or pd.api.types.is_string_dtype(raw):
        text = raw.astype("string").str.strip(rules.PADDING)
        missing = text.isna() | (text == "").fillna(False)
    else:  # typed columns from Parquet: no text to clean
        text, missing = raw, raw.isna()
    if col.type in ("str", "category") and isinstance(raw.dtype, pd.CategoricalDtype):
        out = raw  # Parquet dictionary column: check its few categories, keep the compact codes
    elif col.type == "category":  # a few distinct values: small integer codes, fast filters
        out = text.astype("string").where(~missing).astype("category")
        # its values as pandas' default text, as the table cache gives them back (Parquet keeps
        # no dtype of a category's values): the same frame on the first load as on later ones
        out = out.cat.rename_categories(pd.Index(list(out.cat.categories)))
    elif col.type == "str":
        out = text.astype("string").where(~missing)
    elif (
        col.type in ("int", "float")
        and pd.api.types.is_numeric_dtype(raw.dtype)
        and not pd.api.types.is_bool_dtype(raw.dtype)
    ):
        out = raw  # Parquet numbers: nothing to parse (to_numeric would copy millions of values)
    elif col.type in ("int", "float") and pd.api.types.is_bool_dtype(raw.dtype):
        out = pd.Series(float("nan"), index=raw.index)  # 是/否 is no number: each cell said so
    elif col.type in ("int", "float"):
        out = pd.to_numeric(text, errors="coerce")
        if col.type == "int":  # 4.419E+11: Excel's display of a long number, its digits lost
            out = out.where(~_scientific(text))  # not read: said below, with how to export
    elif col.type in ("date", "datetime"):
        out, zoned = _to_datetime(text)
        if zoned is not None and (zoned & ~missing).any():
            return out, _zoned_error(zoned & ~missing, raw, col, path, first_row)
    else:  # bool
        s = text.astype("string")
        out = pd.Series(pd.NA, index=raw.index, dtype="boolean")
        out[s.isin(TRUE_WORDS).fillna(False)] = True
        out[s.isin(FALSE_WORDS).fillna(False)] = False
    unparsed = ~missing & out.isna()
    if rules.WHOLE.applies(col):  # a whole number is part of reading the value as one
        unparsed |= rules.WHOLE.pandas(out, missing, col)
    if unparsed.any():
        rows, values = _bad(unparsed, raw, first_row)
        zoned = _zoned(text[unparsed]) if col.type in ("date", "datetime") else None
        if zoned is not None and zoned.any():  # 2021-05-01T08:00Z among plain times
            return out, _zoned_error(
                zoned.reindex(raw.index, fill_value=False), raw, col, path, first_row
            )
        return out, DataError(
            f"{col.name}（{col.zh}）有 {int(unparsed.sum())} 个值无法读作{TYPES_WORD[col.type]}。",
            file=path,
            column=f"{col.zh} / {col.name}",
            rows=rows,
            values=values,
            expected=col.expected,
            fix=_hint(col, values),
        )
    for rule in (rules.FITS, rules.REQUIRED, rules.ALLOWED, rules.ROUNDED):
        if not rule.applies(col):
            continue
        bad = rule.pandas(out, missing, col)
        if bad.any():
            rows, values = _bad(bad, raw, first_row)
            return out, DataError(
                rule.message(int(bad.sum()), col),
                file=path,
                column=f"{col.zh} / {col.name}",
                rows=rows,
                values=values,
                expected=col.expected,
                fix=rule.fix(col) + _mapped_values_hint(rule, col, values, path),
            )
    return out, None


def _mapped_values_hint(rule, col: Column, values: list[object], path: Path) -> str:
    """For a value outside a category's allowed ones: it may be the office's own wording, which
    the table folder's mapping.yaml maps without another export (tester, round 20)."""
    if rule is not rules.ALLOWED or not col.allowed or not values:
        return ""
    mapping = path.parent / "mapping.yaml"
    there = "（该文件已有：加在它的 values: 下）" if mapping.exists() else ""
    return (
        f"；如果这是贵单位系统自己的取值，不用改导出：在 {mapping} 中把它对照到约定的取值"
        f"（{'、'.join(col.allowed)} 之一）{there}：  values: {{{_yaml_key(col.zh)}: "
        f"{{{_yaml_key(str(values[0]))}: 约定的取值}}}}"
    )


def _padded_categories(raw: pd.Series) -> bool:
    """A dictionary-encoded text column with a value that is empty or has spaces or invisible
    characters around it (``rules.PADDING``)."""
    return any(
        isinstance(c, str) and (c == "" or c != c.strip(rules.PADDING))
        for c in raw.cat.categories.tolist()
    )


def _hint(col: Column, values: list[object]) -> str:
    """How to write the values of a column that could not be read."""
    from helpers import fmt

    scientific = _scientific_hint(col, values)
    if scientific is not None:  # before the full-width hint, whose half-width form it would be
        return scientific
    if col.type in ("date", "datetime"):
        impossible = _off_calendar(str(values[0]).strip()) if values else None
        if impossible:
            return impossible
        serial = readers.excel_serial(str(values[0]).strip()) if values else None
        if serial is not None:
            return (
                f"{str(values[0]).strip()} 看来是 Excel 内部保存日期的方式（{serial:%Y-%m-%d}）："
                "在 Excel 或 WPS 中把该列设为日期格式（设置单元格格式 → 日期）后重新保存，"
                "或把日期写成 YYYY-MM-DD"
            )
    wide = next((str(v).strip() for v in values if fmt.full_width(str(v))[0]), None)
    if wide is not None:  # typed with a Chinese input method's full-width characters
        found, half = fmt.full_width(wide)
        chars = "、".join("全角空格" if c == "\u3000" else c for c in found)
        dated = col.type in ("date", "datetime")
        then = (_off_calendar(half) if dated else None) or _TYPE_HINTS.get(col.type, "")
        return (
            f"“{wide}”中有全角字符（{chars}）：改为半角（{half}；在 Excel 或 WPS 中可用“查找和"
            f"替换”把这些全角字符换成对应的半角字符，或切换输入法的全角/半角）"
            + (f"；{then}" if then else "")
        )
    return _TYPE_HINTS.get(col.type, "")


def _scientific_hint(col: Column, values: list[object]) -> str | None:
    """How to write a whole number given in scientific notation (full-width or padded too)."""
    import unicodedata

    def plain(v: object) -> str:
        return unicodedata.normalize("NFKC", str(v)).strip(rules.PADDING)

    shown = next((str(v).strip(rules.PADDING) for v in values if _SCIENTIFIC.match(plain(v))), None)
    if col.type != "int" or shown is None:
        return None
    return (
        f"“{shown}”是科学计数法：整数列要写成普通的整数（如 1000，不写 1E3）。Excel 把长数字"
        "（编号）显示成科学计数法时，保存的值已经丢了后面的位数，几个编号会变成同一个：在 Excel "
        "或 WPS 中把该列设为“文本”格式（或 0 位小数的“数值”）后从原系统重新导出"
    )


# a number in scientific notation (4.419E+11, 1e5), which a column of whole numbers refuses
_SCIENTIFIC = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)[eE][+-]?\d+$")


def _scientific(text: pd.Series) -> pd.Series:
    """Which cells of text are a number in scientific notation."""
    return text.str.fullmatch(_SCIENTIFIC.pattern).fillna(False).astype(bool)


_TYPE_HINTS = {
    "int": "只写数字：不要千位分隔符（1,234 → 1234），不要写 暂无 或 —；不知道时留空",
    "float": "只写数字，可带小数点；不知道时留空",
    "date": "日期写成 YYYY-MM-DD（2021-03-19）",
    "datetime": "时间写成 YYYY-MM-DD HH:MM:SS",
    "bool": "写 是 或 否（Y/N、1/0 和 true/false 也能读）",
}


# the shapes the check reads a date or time in (``_to_datetime``), ASCII digits only
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DATE_SHAPE = re.compile(
    rf"(?P<y>\d{{4}})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}}){_TIME}"
    rf"|(?P<y2>\d{{4}})/(?P<m2>\d{{1,2}})/(?P<d2>\d{{1,2}})(?: \d{{1,2}}:\d{{2}}:\d{{2}})?"
    r"|(?P<y3>\d{4})年(?P<m3>\d{1,2})月(?P<d3>\d{1,2})日",
    re.ASCII,
)


def _off_calendar(value: str) -> str | None:
    """The fix for a date written the right way that is not on the calendar (2021-02-30,
    2021-13-01); None for any other value."""
    import calendar

    found = _DATE_SHAPE.fullmatch(value)
    if not found:
        return None
    year, month, day = (int(g) for g in found.groups() if g is not None)
    if year < 1:
        return None
    if not 1 <= month <= 12:
        return f"{value} 的月份 {month} 不存在：核对原始记录，改成正确的日期"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return f"{value} 不是日历上的日期（{year}年{month}月只有{days}天）：核对原始记录，改成正确的日期"
    return None


def _to_datetime(text: pd.Series) -> tuple[pd.Series, pd.Series | None]:
    """Dates and times, and (when any value carries a time zone) which ones do."""
    if pd.api.types.is_datetime64_any_dtype(text):  # typed in Parquet
        zone = getattr(text.dtype, "tz", None)
        return text, text.notna() if zone is not None else None
    if pd.api.types.is_numeric_dtype(text):  # numbers in Parquet: read as the digits they show
        text = text.astype("string")
    fast = _iso_times(text)
    if fast is not None:
        return fast, None
    try:
        out = pd.to_datetime(text, errors="coerce", format="ISO8601")
    except (ValueError, TypeError, OverflowError):  # times in several zones
        return pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]"), _zoned(text)
    if getattr(out.dtype, "tz", None) is not None:  # every time in one zone
        return out, _zoned(text)
    for fmt in ("%Y/%m/%d", "%Y/%m/%d %H:%M:%S", "%Y年%m月%d日"):
        todo = out.isna() & text.notna()
        if not todo.any():
            break
        out[todo] = pd.to_datetime(text[todo], errors="coerce", format=fmt)
    return out, None


def _iso_times(text: pd.Series) -> pd.Series | None:
    """Text held in Arrow whose every value is an ISO 8601 date or time without a zone, parsed
    by Arrow (630,000 hotline times: 0.01 s, 0.10 s through pandas) into what pandas' ISO 8601
    parser gives; None if a value is anything else (pandas then parses it, and says which)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not (isinstance(text.dtype, pd.StringDtype) and text.dtype.storage.startswith("pyarrow")):
        return None
    values = pa.array(text.array)
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    values = pc.if_else(pc.equal(values, ""), pa.scalar(None, values.type), values)
    try:
        times = values.cast(pa.timestamp("us"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return pd.Series(times.to_numpy(zero_copy_only=False), index=text.index, name=text.name)


def _zoned(text: pd.Series) -> pd.Series:
    return text.astype("string").str.contains(ZONED, regex=True).fillna(False).astype(bool)


def _zoned_error(
    zoned: pd.Series, raw: pd.Series, col: Column, path: Path, first_row: int
) -> DataError:
    rows, values = _bad(zoned, raw, first_row)
    return DataError(
        f"{col.name}（{col.zh}）有 {int(zoned.sum())} 个值带有时区，而报告用的是本地日期，"
        "无法表示时区。",
        file=path,
        column=f"{col.zh} / {col.name}",
        rows=rows,
        values=values,
        expected=f"{col.expected}，本地（北京）时间，后面不带时区",
        fix="写不带时区的本地时间：2021-05-01 08:00:00，而不是 2021-05-01T08:00:00+08:00"
        " 或 …Z；按本地时间重新导出",
    )


def _check_key(frame: pd.DataFrame, spec: Table, path: Path, first_row: int) -> list[DataError]:
    if len(spec.key) == 1 and _strictly_increasing(frame[spec.key[0]]):
        return []  # sorted and strictly increasing: unique without hashing millions of keys
    dup = frame.duplicated(list(spec.key), keep=False)
    if not dup.any():
        return []
    keycol = frame[spec.key[0]]
    rows, values = _bad(dup, keycol, first_row)
    return [
        DataError(
            f"{spec.name} 中有 {int(dup.sum())} 行的主键（{', '.join(spec.key)}）重复。",
            file=path,
            column=", ".join(spec.key),
            rows=rows,
            values=values,
            expected="每个主键只出现一次",
            fix="删去重复的行，或给每条记录一个自己的编号",
        )
    ]


def _strictly_increasing(key: pd.Series) -> bool:
    """Whether each key is greater than the one before (so no two are equal). Text held in
    Arrow is compared there (700,000 ticket numbers: 0.08 s, against 0.39 s as Python strings);
    any strict order proves the keys unique, and UTF-8 bytes order text as its characters do."""
    if isinstance(key.dtype, pd.StringDtype) and key.dtype.storage.startswith("pyarrow"):
        import pyarrow as pa
        import pyarrow.compute as pc

        values = pa.array(key.array)
        if isinstance(values, pa.ChunkedArray):
            values = values.combine_chunks()
        if values.null_count:
            return False
        return len(values) < 2 or bool(pc.all(pc.greater(values[1:], values[:-1])).as_py())
    return key.is_monotonic_increasing and not (key.to_numpy()[1:] == key.to_numpy()[:-1]).any()


class InPlace(NamedTuple):
    """What ``clean_in_place`` learnt of a clean file: its rows, its span (``loader._span``),
    of each column the contract marks ``distinct`` how many different values it holds (a
    column whose ids it could not count in a table is left out: ``helpers.data.distinct``),
    and for a table with ``tally`` columns its rows counted by day and kind."""

    count: int
    span: list | None
    distinct: dict[str, int]
    tally: dict | None = None  # the rows counted by day and kind (``helpers.data.tally.Tally``)
    judged: tuple[str, ...] = ()  # text judged by its dictionary pages: checked again when read


def clean_in_place(path: Path, spec: Table, year: int) -> InPlace | None:
    """The row count, span, distinct counts and tally (``InPlace``) of a Parquet file in the
    contract's form (its columns in order, each already of its type: integers or floats,
    timestamps without a zone, booleans, text plain or dictionary-encoded with no value empty
    or padded with spaces) that passes every check with all rows in the year; else None.
    ``loader.read_in_place`` reads such a file into the same frame the full way would give.
    Decided in Arrow, a quarter of a million rows at a time (``CHECKED_ROWS``), one column at a
    time but for the year column and the tally's columns, read together to be counted; a
    61-million-row table never sits in memory whole, and its slices are read in this thread
    (Arrow's threads for one column cost the alarms' check 0.27 s more in the kernel than they
    saved). Anything else, a problem included, goes the full way, which reports it with rows
    and values."""
    if path.suffix.lower() != ".parquet":
        return None
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        source = pq.ParquetFile(path)
    except (OSError, pa.ArrowException):
        return None  # the full path reports what is wrong with the file
    numeric = lambda t: pa.types.is_integer(t) or pa.types.is_floating(t)  # noqa: E731
    local = lambda t: pa.types.is_timestamp(t) and t.tz is None  # noqa: E731  (a zone: the full way says so)
    kinds = {"int": numeric, "float": numeric, "date": local}
    text = lambda t: _is_string(t.value_type if pa.types.is_dictionary(t) else t)  # noqa: E731
    kinds |= {"datetime": local, "str": text, "category": text, "bool": pa.types.is_boolean}
    schema = source.schema_arrow
    if (
        not source.metadata.num_rows
        or len(spec.key) != 1
        or schema.names != [c.name for c in spec.columns]
        or not all(
            c.type in kinds and kinds[c.type](schema.field(c.name).type) for c in spec.columns
        )
    ):
        return None
    # text with few values is read as its dictionary and indices: the rules look at the
    # dictionary's values, not at each row's (alarms' kinds: 0.10 s instead of 0.26 s); so is
    # other text (not a key) that the file holds as a dictionary in every row group (10.8
    # million verification task numbers: 0.07 s instead of 0.95 s)
    kinds_of_text = [
        c.name
        for c in spec.columns
        if c.type == "category"
        or (c.type == "str" and c.name not in spec.key and _dictionary_encoded(source, c.name))
    ]
    try:
        if kinds_of_text:
            source = pq.ParquetFile(path, read_dictionary=kinds_of_text)
        return _clean_batches(path, source, spec, year)
    except (OSError, pa.ArrowException, UnicodeDecodeError):  # (text that is not UTF-8)
        return None  # a damaged row group: the full path reports it


def _dictionary_encoded(source, name: str) -> bool:
    """Whether a Parquet file keeps a column as a dictionary and indices in every row group,
    by the footer: a dictionary page, and at most 4 bytes a row in all (indices take up to 4;
    a writer whose dictionary filled up writes the rest as plain text, 5 bytes or more a row,
    which Arrow would then hash into a dictionary, slower than reading it as text)."""
    meta = source.metadata
    where = source.schema_arrow.get_field_index(name)
    for i in range(meta.num_row_groups):
        chunk = meta.row_group(i).column(where)
        if not chunk.has_dictionary_page or chunk.total_uncompressed_size > 4 * chunk.num_values:
            return False
    return meta.num_row_groups > 0


# rows of one column checked at a time by clean_in_place: 2 MB of int64, whose buffers Arrow's
# allocator reuses slice after slice. At 8 MB each slice came in fresh pages: checking the 61
# million rental inspections of ten times the sample took 250,000 page faults and 2.5 s, against
# 10,000 and 2.0–2.3 s
CHECKED_ROWS = 1 << 18


def _clean_batches(path: Path, source, spec: Table, year: int) -> InPlace | None:
    from helpers.data import tally
    from helpers.figures import periods

    counter = tally.Tally(spec, year) if spec.tally else None
    # the year column and the tally's columns are read together, a slice of rows at a time, to
    # be counted; every other column alone
    together = [spec.year_column, *spec.tally] if counter is not None else []
    passes = [together] if together else []
    passes += [[col.name] for col in spec.columns if col.name not in together]
    dates, counted, judged = _Dates(tallied=counter is not None), {}, []
    for names in passes:
        cols = [spec.column(name) for name in names]
        if len(cols) == 1 and not _must_read(cols[0], spec):
            if _clean_by_statistics(source, cols[0]):
                continue
            if _clean_by_dictionary(path, source, cols[0]):
                judged.append(cols[0].name)
                continue
        readers = [_ColumnPass(col, spec, source, year, dates) for col in cols]
        counting = counter if names is together else None
        for batch in source.iter_batches(batch_size=CHECKED_ROWS, columns=names, use_threads=False):
            if not all(r.take(values) for r, values in zip(readers, batch.columns, strict=True)):
                return None
            if counting is not None and not counting.add_arrow(batch.column(0), batch.columns[1:]):
                return None  # not the year's rows after all: the full way says why
        counted |= {r.col.name: r.counter.count for r in readers if r.counter is not None}
    if counter is not None:  # the days with rows, from the counts (not cast again)
        dates.days = counter.days()
        dates.latest = max(dates.days, default=None)
    rows = source.metadata.num_rows
    span = periods.span(dates.days, rows) if dates.latest is not None else None
    tallied = counter.stored() if counter is not None else None
    return InPlace(rows, span, counted, tallied, tuple(judged))


def _must_read(col: Column, spec: Table) -> bool:
    """A column read whatever its footer says: the key (unique), the year column (in the
    year), a column whose different values are counted."""
    return col.name in (spec.key[0], spec.year_column) or col.distinct


class _Dates:
    """The days the year column holds, and the latest, as ``clean_in_place`` reads it (of a
    table with a tally, taken from its counts at the end)."""

    def __init__(self, tallied: bool = False) -> None:
        self.days, self.latest, self.tallied = set(), None, tallied


class _ColumnPass:
    """One column read a slice at a time by ``_clean_batches``: each slice checked against the
    contract (``take``), the key strictly increasing, the year column's days noted, the
    different values of a ``distinct`` column counted."""

    def __init__(self, col: Column, spec: Table, source, year: int, dates: _Dates) -> None:
        self.col, self.year, self.dates = col, year, dates
        self.is_key, self.is_year = col.name == spec.key[0], col.name == spec.year_column
        self.last = None  # the key's last value so far
        self.counter = _id_counter(source, col) if col.distinct else None

    def take(self, values) -> bool:
        import pyarrow as pa
        import pyarrow.compute as pc

        col = self.col
        if not _clean_values(values, col) or _padded(values):
            return False
        if self.counter is not None and not self.counter.add(
            (pc.drop_null(values) if values.null_count else values).to_numpy()
        ):
            self.counter = None  # an id outside the footer's range: the loader counts the column
        if self.is_year:
            if not _all_in_year(values, col, self.year):
                return False
            if col.type in ("date", "datetime") and not self.dates.tallied:
                # a date column holds few values: those are cast, not each row (61 million
                # rental inspections: 0.11 s against 0.31 s); times are cast first, as most
                # of them differ
                first = pc.unique(values) if col.type == "date" else values
                day = pc.cast(first, pa.date32())
                self.dates.days |= set(pc.unique(day).to_pylist())
                top, latest = pc.max(day).as_py(), self.dates.latest
                self.dates.latest = top if latest is None or (top and top > latest) else latest
        if self.is_key:  # strictly increasing: unique
            if values.null_count or not len(values):
                return False
            if len(values) > 1 and not pc.all(pc.greater(values[1:], values[:-1])).as_py():
                return False
            if self.last is not None and not values[0].as_py() > self.last:
                return False
            self.last = values[-1].as_py()
        return True


def _id_counter(source, col: Column):
    """A counter of the distinct ids of a column of whole numbers, made for the range the
    footer's statistics give, if they give one small enough (``distinct.compact``); else None:
    the loader counts the column as read."""
    import pyarrow as pa

    from helpers.data import distinct

    kind = source.schema_arrow.field(col.name).type
    if not pa.types.is_integer(kind):
        return None
    where = source.schema_arrow.get_field_index(col.name)
    meta = source.metadata
    lows, highs = [], []
    for i in range(meta.num_row_groups):
        if not meta.row_group(i).num_rows:
            continue  # an empty row group has no range to give
        stats = pages.statistics(meta, i, where)
        if stats is None or not stats.has_min_max:
            return None
        lows.append(int(stats.min))
        highs.append(int(stats.max))
    if not lows:
        return distinct.IdCounter(0, -1)  # no rows: nothing to count
    low, high = min(lows), max(highs)
    if low > high:  # a footer that contradicts itself: the loader counts the column as read
        return None
    return distinct.IdCounter(low, high) if distinct.compact(low, high, meta.num_rows) else None


def _all_in_year(values, col: Column, year: int) -> bool:
    """Whether every value of a slice of the year column is of ``year``: none empty, and its
    least and greatest within the year (a sixth of the time of taking each value's year)."""
    import datetime as dt

    import pyarrow as pa
    import pyarrow.compute as pc

    if values.null_count or not len(values):
        return False
    try:
        low, high = (v.as_py() for v in pc.min_max(values).values())
    except (ValueError, OverflowError):  # a time Python cannot hold: the full way says which
        return False
    if col.type not in ("date", "datetime"):
        return low == high == year
    if not pa.types.is_timestamp(values.type):
        return False
    return dt.datetime(year, 1, 1) <= low and high < dt.datetime(year + 1, 1, 1)


def _clean_by_statistics(source, col: Column) -> bool:
    """Whether the statistics in a Parquet file's footer show a column of whole numbers, times
    or booleans clean without reading it: no empty cell in any row group (when required) and
    every row group's least and greatest value within the limits (when the contract sets them).
    Columns of text or of fractions (NaN, whole-number checks) are read. Reading such a column
    checks its rows again (``footer_broken``), should a writer's statistics be wrong; a
    damaged page is reported when the column is read."""
    import pyarrow as pa

    kind = source.schema_arrow.field(col.name).type
    if not footer_can_judge(kind) or col.allowed:
        return False
    if (col.min is not None or col.max is not None) and not pa.types.is_signed_integer(kind):
        return False
    where = source.schema_arrow.get_field_index(col.name)
    meta = source.metadata
    for i in range(meta.num_row_groups):
        stats = pages.statistics(meta, i, where)
        if stats is None:
            return False
        if col.required and not (stats.has_null_count and stats.null_count == 0):
            return False
        if col.min is not None or col.max is not None:
            if not stats.has_min_max:
                return False
            if (col.min is not None and stats.min < col.min) or (
                col.max is not None and stats.max > col.max
            ):
                return False
    return True


def _clean_by_dictionary(path: Path, source, col: Column) -> bool:
    """Whether a column of text is clean by the values its dictionary pages list, without
    reading a row: every data page points into its row group's dictionary, and those values
    (with an empty cell, if the footer counts one) break no rule (``pages``). A value that
    breaks one may still be in no row: the column is then read, which tells."""
    import pyarrow as pa

    if col.type not in ("str", "category"):
        return False
    found = pages.dictionary_values(path, source.schema_arrow.get_field_index(col.name))
    if found is None:
        return False
    values, empty = found
    # each value once, and an empty cell if the footer counts any: what the rules see of a
    # slice read as its dictionary and indices
    indices = pa.array([*range(len(values)), *([None] if empty else [])], pa.int32())
    held = pa.DictionaryArray.from_arrays(indices, pa.array(values, pa.string()))
    return _clean_values(held, col) and not _padded(held)


def footer_can_judge(kind) -> bool:
    """Whether a Parquet column of this Arrow type may be judged by the footer's statistics
    (``_clean_by_statistics``): signed whole numbers, times, booleans."""
    import pyarrow as pa

    return (
        pa.types.is_signed_integer(kind) or pa.types.is_timestamp(kind) or pa.types.is_boolean(kind)
    )


def footer_broken(values, col: Column) -> bool:
    """Whether values (Arrow's) read from a file checked in place, of a column the footer could
    have judged, break a rule after all: a writer's wrong statistics, or damaged bytes that
    still decode."""
    return footer_can_judge(values.type) and not rules.clean_slice(values, col)


def text_broken(values, col: Column) -> bool:
    """Whether text read from a file checked in place, of a column judged by its dictionary
    pages (``_clean_by_dictionary``), breaks a rule after all: a footer's wrong count of empty
    cells, or pages Arrow reads otherwise than ``pages`` did. Read as a dictionary, only its
    few values are looked at."""
    import pyarrow as pa

    pieces = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    try:
        return any(not _clean_values(piece, col) or _padded(piece) for piece in pieces)
    except UnicodeDecodeError:  # bytes that are not UTF-8: the full way names the row
        return True


def _clean_values(values, col: Column) -> bool:
    """One slice of a column breaks none of the contract's rules (the same rules the pandas
    check reports rows of: ``rules``)."""
    return rules.clean_slice(values, col)


def _is_string(arrow_type) -> bool:
    import pyarrow as pa

    return pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type)


def _padded(values) -> bool:
    """Whether a slice of text has a value the full way would change: empty (read as missing)
    or with spaces or invisible characters around it (stripped: ``rules.PADDING``). Judged on
    the dictionary of a dictionary-encoded column: a handful of values, however many rows."""
    import pyarrow.compute as pc

    if hasattr(values, "dictionary"):
        values = values.dictionary
    if not _is_string(values.type) or not len(values):
        return False
    # trimming only takes characters away: a value changes exactly when its length does (a
    # third of the time of comparing the texts: 10 million task numbers, 0.26 s against 0.85 s)
    length = pc.binary_length(values)
    return bool(
        pc.any(pc.equal(length, 0)).as_py()
        or pc.any(
            pc.not_equal(pc.binary_length(pc.utf8_trim(values, rules.PADDING)), length)
        ).as_py()
    )
