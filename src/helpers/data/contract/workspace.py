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

They join the contract (``TABLES``) when the workspace's declaration is loaded.
"""

from __future__ import annotations

from pathlib import Path

from helpers.data.contract.base import TABLES, TYPES, Column, Table, register
from helpers.errors import DeclarationError
from helpers.inputs.yamlfile import parse_yaml, read_text

TABLE_KEYS = {"name", "zh", "row", "columns", "key", "year_column", "counts", "source", "formats"}
COLUMN_KEYS = {"name", "zh", "type", "description", "required", "allowed", "min", "max", "distinct"}


def register_folder(folder: Path) -> list[str]:
    """Register every ``*.yaml`` table of a workspace's contract folder; returns their names.
    A table already registered with the same definition is fine; another definition is an error."""
    names = []
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        table = _table(path)
        known = TABLES.get(table.name)
        if known is not None and known != table:
            raise DeclarationError(
                f"{path}：数据表 {table.name!r} 已在契约中，但列不同。",
                fix="给工作区的这张表另起一个名字",
            )
        if known is None:
            try:
                register(table)
            except ValueError as exc:
                raise DeclarationError(f"{path}：{exc}。", fix="检查 key 和 year_column") from None
        names.append(table.name)
    return names


def _table(path: Path) -> Table:
    raw = parse_yaml(read_text(path, "数据表定义", DeclarationError), path, DeclarationError)
    if (
        not isinstance(raw, dict)
        or set(raw) - TABLE_KEYS
        or not {"name", "zh", "columns"} <= set(raw)
    ):
        raise DeclarationError(
            f"{path}：数据表需要 name、zh 和 columns（还可以有 {', '.join(sorted(TABLE_KEYS))}）。",
            fix="见 helpers/data/contract/workspace.py 开头的注释",
        )
    columns = []
    for c in raw["columns"] or []:
        if not isinstance(c, dict) or set(c) - COLUMN_KEYS or not {"name", "zh", "type"} <= set(c):
            raise DeclarationError(
                f"{path}：每一列需要 name、zh 和 type（还可以有"
                f" {', '.join(sorted(COLUMN_KEYS))}）；实际是 {c!r}。",
                fix=f"可用的类型：{', '.join(TYPES)}",
            )
        if not isinstance(c.get("distinct", False), bool):
            raise DeclarationError(
                f"{path}：列 {c['name']} 的 distinct 应为 true 或 false，实际是 {c['distinct']!r}。",
                fix="写 distinct: true（检查数据表时顺便数出该列有多少个不同的值），或删去这一项",
            )
        try:
            columns.append(
                Column(
                    str(c["name"]),
                    str(c["zh"]),
                    str(c["type"]),
                    str(c.get("description", "")),
                    required=bool(c.get("required", True)),
                    allowed=tuple(str(v) for v in c.get("allowed") or ()),
                    min=c.get("min"),
                    max=c.get("max"),
                    distinct=c.get("distinct", False),
                )
            )
        except ValueError as exc:
            raise DeclarationError(
                f"{path}：{exc}。", fix=f"可用的类型：{', '.join(TYPES)}"
            ) from None
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
        )
    except (ValueError, IndexError) as exc:
        raise DeclarationError(f"{path}：{exc}。", fix="检查 key 和 year_column") from None
