"""Tables of a workspace's own chapters, declared in YAML (``contract/<table>.yaml``) so an
analyst adds a table without touching the package::

    name: publicity_events
    zh: 普法活动记录表
    row: 一次普法宣传活动
    columns:
      - {name: event_id, zh: 活动编号, type: str, description: 记录编号}
      - {name: event_date, zh: 活动日期, type: date, description: 日期，决定记录属于哪一年}
      - {name: kind, zh: 类别, type: category, description: 活动类别, allowed: [讲座, 宣传]}
    key: [event_id]
    year_column: event_date
    counts: 每条记录
    source: 法制支队台账
    tally: [kind]        # optional: rows counted per day and kind by the check (t.tally)

They join the contract (``TABLES``) when the workspace's declaration is loaded.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from helpers.data.contract.base import DISTINCT_TYPES, TABLES, TYPES, Column, Table, register
from helpers.errors import DeclarationError
from helpers.inputs.yamlfile import in_words, parse_yaml, read_text

TABLE_KEYS = {
    *("name", "zh", "row", "columns", "key", "year_column", "counts", "source", "formats"),
    "tally",
}
COLUMN_KEYS = {"name", "zh", "type", "description", "required", "allowed", "min", "max", "distinct"}


# the YAML file each workspace table was defined in, by name (said in messages about it)
DEFINED_IN: dict[str, Path] = {}


def register_folder(folder: Path) -> list[str]:
    """Register every ``*.yaml`` table of a workspace's contract folder; returns their names.
    A table already registered with the same definition is fine; another definition is an error."""
    names = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        table = _table(path)
        known = TABLES.get(table.name)
        if known is not None and known != table:
            if table.name not in DEFINED_IN:  # one of the project's own tables
                raise DeclarationError(
                    f"{path}：数据表 {table.name} 是数据约定中内置的表（{known.zh}），工作区不能"
                    "重新定义它（内置的表还有 YAML 写不出的设置，如接受的文件格式、是否逐日记录）。",
                    fix=f"删去 {path.name}，直接读内置的 {table.name}；要不同的列，给工作区的表另起一个名字",
                )
            raise DeclarationError(
                f"{path}：数据表 {table.name} 已由 {DEFINED_IN[table.name]} 定义，但"
                f"{_differs(known, table)}不同。",
                fix="给工作区的这张表另起一个名字，或让两处的定义一致",
            )
        if known is None:
            try:
                register(table)
            except ValueError as exc:
                raise DeclarationError(
                    f"{path}：{exc}。", fix="检查 key、year_column 和 tally"
                ) from None
        DEFINED_IN[table.name] = path
        names.append(table.name)
    return names


def _differs(known: Table, table: Table) -> str:
    """What two definitions of a table differ in, in words: 列、tally …"""
    import dataclasses

    words = {"columns": "列", "key": "主键", "year_column": "年份列", "formats": "文件格式"}
    fields = [f.name for f in dataclasses.fields(Table)]
    said = [words.get(f, f) for f in fields if getattr(known, f) != getattr(table, f)]
    return "、".join(said) or "定义"


def _column(c: object, path: Path) -> Column:
    """One column of a workspace table's YAML, or a DeclarationError naming what is wrong."""
    if not isinstance(c, dict):
        raise DeclarationError(
            f"{path}：columns 下的每一项应是一列的定义，实际是{in_words(c)}。",
            fix="每列写成 - {name: 英文列名, zh: 中文表头, type: 类型, description: 说明}",
        )
    name = c.get("name", "?")
    unknown = sorted(str(k) for k in set(c) - COLUMN_KEYS)
    if unknown:
        near = difflib.get_close_matches(unknown[0], sorted(COLUMN_KEYS), n=1)
        raise DeclarationError(
            f"{path}：列 {name} 有未知的项 {'、'.join(unknown)}。",
            fix=f"是不是 {near[0]}？" if near else f"每列可以有：{', '.join(sorted(COLUMN_KEYS))}",
        )
    missing = [k for k in ("name", "zh", "type") if k not in c]
    if missing:
        raise DeclarationError(
            f"{path}：列 {name} 缺少 {'、'.join(missing)}。",
            fix=f"每一列需要 name（英文列名）、zh（中文表头）和 type（类型：{', '.join(TYPES)}）",
        )
    counted = c.get("distinct", False)
    if not isinstance(counted, bool):
        raise DeclarationError(
            f"{path}：列 {name} 的 distinct 应为 true 或 false，实际是{in_words(counted)}。",
            fix="写 distinct: true（检查数据表时顺便数出该列有多少个不同的值），或删去这一项",
        )
    if counted and c["type"] not in DISTINCT_TYPES:
        raise DeclarationError(
            f"{path}：列 {name} 是 {c['type']}，不能标 distinct：不同值只对编号数"
            f"（type: {' 或 '.join(DISTINCT_TYPES)}）。",
            fix="删去 distinct: true；要数不同的日子等，在计算模块中读这一列自己计数",
        )
    try:
        return Column(
            str(c["name"]),
            str(c["zh"]),
            str(c["type"]),
            str(c.get("description", "")),
            required=bool(c.get("required", True)),
            allowed=tuple(str(v) for v in c.get("allowed") or ()),
            min=c.get("min"),
            max=c.get("max"),
            distinct=counted,
        )
    except ValueError as exc:
        fix = (
            "为该列写 allowed: [甲, 乙]（允许的取值），或把 type 改为 str"
            if c["type"] == "category"
            else f"可用的类型：{', '.join(TYPES)}"
        )
        raise DeclarationError(f"{path}：{exc}。", fix=fix) from None


def _table(path: Path) -> Table:
    raw = parse_yaml(read_text(path, "数据表定义", DeclarationError), path, DeclarationError)
    unknown = sorted(str(k) for k in set(raw) - TABLE_KEYS) if isinstance(raw, dict) else []
    if unknown:
        near = difflib.get_close_matches(unknown[0], sorted(TABLE_KEYS), n=1)
        raise DeclarationError(
            f"{path}：数据表定义有未知的项 {'、'.join(unknown)}。",
            fix=f"是不是 {near[0]}？" if near else f"数据表可以有：{', '.join(sorted(TABLE_KEYS))}",
        )
    if not isinstance(raw, dict) or not {"name", "zh", "columns"} <= set(raw):
        raise DeclarationError(
            f"{path}：数据表需要 name、zh 和 columns（还可以有 {', '.join(sorted(TABLE_KEYS))}）。",
            fix="见 helpers/data/contract/workspace.py 开头的注释",
        )
    columns = [_column(c, path) for c in raw["columns"] or []]
    tally = raw.get("tally") or []
    odd = [n for n in tally if not isinstance(n, str)] if isinstance(tally, list) else []
    if not isinstance(tally, list) or odd:
        problem = (
            f"tally 中有一项是{in_words(odd[0])}，不是列名"
            if odd
            else f"tally 应是列名的列表，实际是{in_words(tally)}"
        )
        raise DeclarationError(
            f"{path}：{problem}。",
            fix="写 tally: [列名, 列名]（category 类型的列：检查数据表时按日、按这些列的取值"
            "计数行数，计算模块用 t.tally 取用），或删去这一项",
        )
    try:
        return Table(
            name=str(raw["name"]),
            zh=str(raw["zh"]),
            row=str(raw.get("row", "")),
            columns=tuple(columns),
            key=tuple(str(k) for k in raw.get("key") or (columns[0].name,)),
            year_column=str(raw["year_column"]) if raw.get("year_column") else None,
            counts=str(raw.get("counts", "")),
            source=str(raw.get("source", "")),
            formats=tuple(raw.get("formats") or ("csv", "xlsx", "parquet")),
            tally=tuple(tally),
        )
    except (ValueError, IndexError) as exc:
        raise DeclarationError(f"{path}：{exc}。", fix="检查 key 和 year_column") from None
