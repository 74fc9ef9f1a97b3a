"""The contract's value rules, each written once for both engines that check tables: pandas (which
finds the offending rows to report) and Arrow (which decides, a million rows at a time, whether a
Parquet file already in the contract's form is clean and can be read where it lies). One table
of rules: the two checks cannot drift apart, and a test runs both on the same values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from helpers.data.contract import Column

INT64_MAX = 2**63 - 1  # whole numbers beyond ±this do not fit 64 bits: they would wrap around


@dataclass(frozen=True)
class Rule:
    """One rule: whether it applies to a column, the offending values in pandas (a mask over the
    parsed column, given which cells are empty) and in Arrow (whether a slice has any), and what
    to tell the user."""

    name: str
    applies: Callable[[Column], bool]
    pandas: Callable[[pd.Series, pd.Series, Column], pd.Series]
    arrow: Callable[[object, Column], bool]
    message: Callable[[int, Column], str]
    fix: Callable[[Column], str]


# ------------------------------------------------------------------ whole numbers
def _whole_pandas(out: pd.Series, missing: pd.Series, col: Column) -> pd.Series:
    if pd.api.types.is_integer_dtype(out):
        return pd.Series(False, index=out.index)
    return (~missing & out.notna() & (out % 1 != 0)).fillna(False)


def _whole_arrow(values, col: Column) -> bool:
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_floating(values.type):
        return False
    return bool(pc.any(pc.not_equal(pc.floor(values), values)).as_py())


# ------------------------------------------------------------------ numbers that fit
def _huge_pandas(out: pd.Series, missing: pd.Series, col: Column) -> pd.Series:
    if col.type == "int":
        if pd.api.types.is_unsigned_integer_dtype(out):
            return (out > INT64_MAX).fillna(False)
        if pd.api.types.is_float_dtype(out):
            return ((out >= 2.0**63) | (out < -(2.0**63))).fillna(False)
    elif pd.api.types.is_float_dtype(out):
        return out.isin([float("inf"), float("-inf")]).fillna(False)
    return pd.Series(False, index=out.index)


def _huge_arrow(values, col: Column) -> bool:
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_floating(values.type):
        if pc.any(pc.is_inf(values)).as_py():
            return True
        if col.type == "int":
            low, high = pc.min_max(values).values()
            return (high.as_py() or 0) >= 2.0**63 or (low.as_py() or 0) < -(2.0**63)
        return False
    if pa.types.is_unsigned_integer(values.type):
        return (pc.max(values).as_py() or 0) > INT64_MAX
    return False


# ------------------------------------------------------------------ required cells
def _empty_pandas(out: pd.Series, missing: pd.Series, col: Column) -> pd.Series:
    return missing


def _empty_arrow(values, col: Column) -> bool:
    import pyarrow as pa
    import pyarrow.compute as pc

    if values.null_count:
        return True
    # NaN is an empty cell to pandas (isna), and so to the full way's check
    return pa.types.is_floating(values.type) and bool(pc.any(pc.is_nan(values)).as_py())


# ------------------------------------------------------------------ padding around text
# taken off both ends of a text value: whitespace as Python's str.strip() knows it, and the
# invisible characters that copying from a web page or joining exports leaves (zero-width space
# and joiners, word joiner, a byte order mark, the Mongolian vowel separator, a soft hyphen, the
# marks and embeddings of writing direction, the invisible operators): "莞城分局" with a
# zero-width space after it is the same unit, not another
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
INVISIBLE = (
    "\u200b\u200c\u200d\u2060\ufeff\u180e\u00ad\u061c\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069"
    "\u206a\u206b\u206c\u206d\u206e\u206f"
)
PADDING = WHITESPACE + INVISIBLE


# ------------------------------------------------------------------ allowed values and limits
def _outside_pandas(out: pd.Series, missing: pd.Series, col: Column) -> pd.Series:
    bad = pd.Series(False, index=out.index)
    if col.allowed and isinstance(out.dtype, pd.CategoricalDtype):
        allowed = frozenset(col.allowed)
        unknown = [c for c in out.cat.categories if c not in allowed]
        bad = out.isin(unknown) if unknown else bad
    elif col.allowed:
        bad = ~missing & ~out.isin(col.allowed).fillna(False)
    if col.min is not None:
        bad |= (out < col.min).fillna(False)
    if col.max is not None:
        bad |= (out > col.max).fillna(False)
    return bad


def _outside_arrow(values, col: Column) -> bool:
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_dictionary(values.type):
        if not col.allowed:
            return False
        allowed = frozenset(col.allowed)  # a contract may allow thousands of values
        if all(v in allowed for v in values.dictionary.drop_null().to_pylist()):
            return False  # every value the slice can hold is allowed: its rows need no look
        used = values.dictionary.take(pc.unique(values.indices).drop_null())
        return any(v not in allowed for v in used.to_pylist())
    if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
        if not col.allowed:
            return False
        allowed = frozenset(col.allowed)
        return any(v not in allowed for v in pc.unique(values).drop_null().to_pylist())
    if not (pa.types.is_integer(values.type) or pa.types.is_floating(values.type)):
        return False
    low, high = pc.min_max(values).values()
    low, high = low.as_py(), high.as_py()
    return (col.min is not None and low is not None and low < col.min) or (
        col.max is not None and high is not None and high > col.max
    )


# ------------------------------------------------------------------ ids Excel rounded
# how Excel shows and saves a long number: 4.419E+11, 1.10101199001011E+17 (15 digits at most)
EXCEL_SCIENTIFIC = r"[+-]?\d(?:\.\d+)?E\+\d+"


def _rounded_pandas(out: pd.Series, missing: pd.Series, col: Column) -> pd.Series:
    text = out.astype("string")
    return (~missing & text.str.fullmatch(EXCEL_SCIENTIFIC)).fillna(False).astype(bool)


def _rounded_arrow(values, col: Column) -> bool:
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_dictionary(values.type):
        values = values.dictionary.take(pc.unique(values.indices).drop_null())
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        return False
    return bool(pc.any(pc.match_substring_regex(values, f"^{EXCEL_SCIENTIFIC}$")).as_py())


WHOLE = Rule(
    "whole",
    lambda col: col.type == "int",
    _whole_pandas,
    _whole_arrow,
    lambda n, col: f"{col.name}（{col.zh}）有 {n} 个值无法读作整数。",
    lambda col: "写整数：不要小数",
)
FITS = Rule(
    "fits",
    lambda col: col.type in ("int", "float"),
    _huge_pandas,
    _huge_arrow,
    lambda n, col: (
        f"{col.name}（{col.zh}）有 {n} 个值太大，无法计数"
        + (f"（超出 ±{INT64_MAX:,}）。" if col.type == "int" else "（无穷大）。")
    ),
    lambda col: (
        "改正这些单元格：这么长的数字通常是放错了列的证件号、电话号码或卡号，"
        "或是几个数字连在了一起；然后重新导出"
    ),
)
REQUIRED = Rule(
    "required",
    lambda col: col.required,
    _empty_pandas,
    _empty_arrow,
    lambda n, col: f"必需的列 {col.name}（{col.zh}）中有 {n} 个空单元格。",
    lambda col: f"填上{col.description}",
)
ALLOWED = Rule(
    "allowed",
    lambda col: bool(col.allowed) or col.min is not None or col.max is not None,
    _outside_pandas,
    _outside_arrow,
    lambda n, col: f"{col.name}（{col.zh}）有 {n} 个值超出了允许的范围。",
    lambda col: "在来源系统中改正后重新导出",
)
ROUNDED = Rule(
    "rounded",
    lambda col: col.type == "str" and col.distinct,  # ids whose different values are counted
    _rounded_pandas,
    _rounded_arrow,
    lambda n, col: (
        f"{col.name}（{col.zh}）有 {n} 个编号写成了科学计数法：Excel 保存时已经丢了后面的位数，"
        "几个编号会变成同一个。"
    ),
    lambda col: (
        "在 Excel 或 WPS 中把该列设为“文本”格式后从原系统重新导出（编号要保存为文本，"
        "不要用显示成 4.419E+11 这样的文件）"
    ),
)
# in the order they are checked: whole numbers are part of reading a value as a number
RULES = (WHOLE, FITS, REQUIRED, ALLOWED, ROUNDED)


def clean_slice(values, col: Column) -> bool:
    """Whether an Arrow slice of a column breaks no rule."""
    return not any(rule.arrow(values, col) for rule in RULES if rule.applies(col))
