"""A report year's parameters: ``params/<year>.yaml``, checked before anything runs.

Every key is required and typed; unknown keys are refused (papermill only warns). YAML is
read so that dates stay strings (``2022-03-01`` is not turned into a ``date``).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from helpers import fmt, paths
from helpers.errors import ParamsError
from helpers.inputs.yamlfile import parse_yaml, read_text

# name -> (type, what it means); each is injected into every chapter notebook's parameters cell
SCHEMA: dict[str, tuple[type, str]] = {
    "year": (int, "报告年份，例如 2021"),
    "organ": (str, "报告机关，例如 东莞市公安局"),
    "city": (str, "正文中使用的城市名，例如 东莞"),
    "province": (str, "排名所比较的城市所在的省，例如 广东"),
    "report_date": (str, "报告落款日期，ISO 格式 YYYY-MM-DD"),
    "notes": (
        dict,
        "数据附表的说明，按数字编号，例如 F023: 与公开稿的差异说明（可以为 {}）",
    ),
}


def load_params(year: int, params_dir: Path | None = None) -> dict:
    """Read and check ``params/<year>.yaml``; returns the parameters to inject."""
    path = paths.params_file(year, params_dir)
    if not path.exists():
        path = path.absolute()
        nearest = paths.nearest_year_file(year, path.parent, paths.PARAMS)
        raise ParamsError(
            f"没有 {year} 年的参数文件：{path} 不存在。",
            fix=(
                f"把 {nearest} 复制为 {path}，再按 {year} 年修改（year: {year}；report_date 是成文"
                f"日期，在 {year} 年以后，如 {year + 1}-03-01）"
                if nearest
                else f"创建 {path}，包含这些键：{', '.join(SCHEMA)}"
            ),
        )
    data = parse_yaml(read_text(path, "参数", ParamsError), path, ParamsError)
    lines = (
        {str(k): getattr(v, "line", 0) for k, v in data.items()} if isinstance(data, dict) else {}
    )
    return check_params(_plain(data), path, year, lines)


def _plain(data):
    """Strings that remember their line back to plain strings (the parameters go into notebooks)."""
    if isinstance(data, dict):
        return {_plain(k): _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    return str(data) if isinstance(data, str) else data


def check_params(
    data: object, path: Path | str, year: int | None = None, lines: dict[str, int] | None = None
) -> dict:
    """Refuse unknown keys, missing keys, values of the wrong type and a report date not after
    the report's year (``lines``: each key's line in the file, for the messages)."""
    if not isinstance(data, dict):
        kind = {list: "一个列表", str: "一段文字", int: "一个数字", float: "一个数字"}.get(
            type(data), "一个值"
        )
        what = "空的" if data is None else f"{kind}，不是“名称: 值”的映射"
        raise ParamsError(
            f"{path} 是{what}。",
            fix=f"每行写一个“名称: 值”，包含这些键：{', '.join(SCHEMA)}（可复制上一年的参数文件再改）",
        )
    unknown = sorted(set(data) - set(SCHEMA))
    if unknown:
        raise ParamsError(
            f"{path}：未知的参数 {', '.join(unknown)}。",
            fix=f"删去它们或改正拼写；可用的参数：{', '.join(SCHEMA)}",
        )
    missing = [k for k in SCHEMA if k not in data]
    if missing:
        raise ParamsError(
            f"{path}：缺少参数 {', '.join(missing)}。",
            fix="添加 " + "；".join(f"{k}（{SCHEMA[k][1]}）" for k in missing),
        )
    for key, (typ, meaning) in SCHEMA.items():
        value = data[key]
        if not isinstance(value, typ) or (typ is int and isinstance(value, bool)):
            raise ParamsError(
                f"{path}：参数 {key} = {value!r} 的类型是 {type(value).__name__}，应为 {typ.__name__}。",
                fix=f"把 {key} 写成{meaning}",
            )
    bad_notes = [
        k for k, v in data["notes"].items() if not (isinstance(k, str) and isinstance(v, str))
    ]
    if bad_notes:
        raise ParamsError(
            f"{path}：notes 必须把数字编号对应到一段文字；请检查 {bad_notes}。",
            fix="每条说明写成  F023: 说明文字",
        )
    line = (lines or {}).get("report_date")
    where = f"{path} 第 {line} 行" if line else str(path)
    try:
        date = dt.date.fromisoformat(data["report_date"])
    except ValueError as exc:
        said, fix = _not_a_date(data["report_date"], data["year"])
        raise ParamsError(
            f"{where}：report_date = {data['report_date']!r} 不是日期{said}。", fix=fix
        ) from exc
    if year is not None and data["year"] != year:
        raise ParamsError(
            f"{path}：year 是 {data['year']}，但这是 {year} 年的文件。",
            fix=f"改为 year: {year}",
        )
    if data["year"] < dt.MAXYEAR and date <= dt.date(max(data["year"], 1), 12, 31):
        # the report of a year is written after the year ends: a date within it was copied
        raise ParamsError(
            f"{where}：report_date（成文日期）是 {data['report_date']}，不晚于 {data['year']} 年"
            f"年底；{data['year']} 年的报告在该年结束后才成文，这多半是从上一年的参数文件复制来"
            "后没有改的日期。",
            fix=f"改为 {data['year']} 年以后的成文日期，例如 report_date: {data['year'] + 1}-03-01",
        )
    return dict(data)


# a date in another form than YYYY-MM-DD: 2022年3月1日, 2022/3/1, 2022.03.01, 2022-3-1
_OTHER_FORM = re.compile(
    r"\s*(\d{4})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|([-/.])\s*(\d{1,2})\s*\4\s*(\d{1,2}))\s*",
    re.ASCII,
)


def _not_a_date(value: str, year: int) -> tuple[str, str]:
    """What is wrong with a report_date that is no YYYY-MM-DD date (said after "不是日期") and
    the fix: its full-width characters and their half-width (NFKC) form, a date in another form."""
    wide, half = fmt.full_width(value)
    said = (
        f"：其中有全角字符 {'、'.join(repr(c) for c in wide[:5])}（中文输入法全角状态下输入的），"
        f"改为半角是 {half!r}"
        if wide
        else ""
    )
    form = _OTHER_FORM.fullmatch(half)
    if form:
        y, m, d = (int(g) for g in form.groups() if g and g.isdigit())
        try:
            iso = dt.date(y, m, d).isoformat()
        except ValueError:
            return said + f"：日历上没有 {y} 年 {m} 月 {d} 日", (
                f"核对成文日期，写成 YYYY-MM-DD，例如 report_date: {year + 1}-03-01"
            )
        if half != iso:
            said += f"（写成了 {half}，而参数文件只读 YYYY-MM-DD 形式的日期）"
        if dt.date(y, m, d) <= dt.date(year, 12, 31):  # refused next for that: said now
            said += f"；而且 {iso} 不晚于 {year} 年年底，报告在该年结束后才成文"
            iso = f"{year + 1}-03-01"
            return said, f"写成 {year} 年以后的成文日期，形如 YYYY-MM-DD：report_date: {iso}"
        return said, f"写成 YYYY-MM-DD（半角数字，用半角连字符 - 分隔）：report_date: {iso}"
    return said, (
        "写成 YYYY-MM-DD（四位年份、两位月份、两位日期，半角数字，用半角连字符 - 分隔），"
        f"例如 report_date: {year + 1}-03-01"
    )
