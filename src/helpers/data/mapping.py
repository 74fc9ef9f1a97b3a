"""An organ's own export, read without editing it: ``data/raw/<table>/mapping.yaml`` says which of
its column headers and category values are which in the data contract::

    # 本单位导出表的表头、取值与数据契约的对照（只在本表的文件夹中生效）
    columns:              # 本单位的表头: 契约的表头（中文或英文名均可）
      受理时间: 接警时间
      警情性质: 警情类别
    values:
      警情类别:            # 契约的列: {本单位的取值: 契约的取值}
        刑事类: 违法犯罪
        治安类: 违法犯罪

The mapping is applied before the contract's checks, so everything else is checked as usual; a
header that is neither in the contract nor mapped is still an error, now with both fixes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from helpers.data.contract import Table
from helpers.errors import DataError
from helpers.inputs.yamlfile import parse_yaml, read_text

if TYPE_CHECKING:
    import pandas as pd

FILE = "mapping.yaml"


@dataclass(frozen=True)
class Mapping:
    """A table's mapping: their header → the canonical column, and per canonical column their
    value → the contract's value."""

    path: Path
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # export header → its line in the file

    def note(self, headers: int, values: int) -> str:
        """What was applied, for validate: 应用了 mapping.yaml（2个表头，3个取值）."""
        return f"应用了 {self.path.name}（{headers} 个表头，{values} 个取值）"


def for_table(folder: Path, spec: Table) -> Mapping | None:
    """The mapping in a table's folder, checked against the contract (None when there is none)."""
    path = folder / FILE
    if not path.is_file():
        return None
    raw = parse_yaml(read_text(path, "表头对照", DataError), path, DataError) or {}
    if not isinstance(raw, dict) or set(raw) - {"columns", "values"}:
        raise DataError(
            f"{path}：表头对照只能有 `columns:` 和 `values:`。",
            file=path,
            fix="见 data/README.md 中的示例（表头对照）",
        )
    if not raw.get("columns") and not raw.get("values"):  # else ignored, and then named as the
        raise DataError(  # place to write the mapping the header errors need
            f"{path}：表头对照是空的：没有一个表头或取值的对照。",
            file=path,
            fix="在 `columns:` 下写出导出中的表头和契约的表头（如  columns: {受理时间: 接警时间}），"
            "或在 `values:` 下写出取值的对照；导出的表头和取值与契约相同、不需要对照时，删去这个文件",
        )
    for part in ("columns", "values"):
        if raw.get(part) is not None and not isinstance(raw[part], dict):
            raise DataError(
                f"{path}：`{part}:` 必须是对照（每行  导出中的写法: 契约中的写法），"
                f"这里是 {raw[part]!r}。",
                file=path,
                fix=(
                    "写成  columns: {受理时间: 接警时间}  或每行一个、在 columns: 下缩进"
                    if part == "columns"
                    else "写成  values: {警情类别: {刑事类: 违法犯罪}}  即契约的列: {导出中的取值: 契约的取值}"
                ),
            )
    headers = spec.headers
    columns: dict[str, str] = {}
    first: dict[str, object] = {}  # canonical column → the first export header mapped to it
    for theirs, ours in (raw.get("columns") or {}).items():
        if str(ours) not in headers:
            raise _unknown(path, theirs, ours, spec)
        columns[str(theirs)] = headers[str(ours)]
        first.setdefault(headers[str(ours)], theirs)
    values: dict[str, dict[str, str]] = {}
    for column, pairs in (raw.get("values") or {}).items():
        if str(column) not in headers:
            raise _not_a_column(path, column, columns, spec)
        col = spec.column(headers[str(column)])
        if not isinstance(pairs, dict):
            raise DataError(
                f"{path} 第 {getattr(column, 'line', '?')} 行：{column} 的 values 必须把贵单位的"
                "每个取值对应到契约中的取值。",
                file=path,
                fix="写成  刑事类: 违法犯罪  每行一个，在该列下缩进",
            )
        for theirs, ours in pairs.items():
            if col.allowed and str(ours) not in col.allowed:
                raise DataError(
                    f"{path} 第 {getattr(ours, 'line', '?')} 行：{theirs!r} 对应到 {ours!r}，"
                    f"但它不是{col.zh}（{col.name}）的取值。",
                    file=path,
                    expected=col.expected,
                    fix=f"对应到 {'、'.join(col.allowed)} 之一",
                )
            values.setdefault(col.name, {})[str(theirs)] = str(ours)
    return Mapping(path, columns, values, _lines(raw.get("columns") or {}))


def _lines(columns: dict) -> dict[str, int]:
    """Each export header of ``columns:`` with its line in the file (0: not known)."""
    return {str(k): getattr(k, "line", 0) for k in columns}


def _not_a_column(path: Path, column, columns: dict[str, str], spec: Table) -> DataError:
    """A key of ``values:`` that is not a column of the contract: the export's header for one
    (values are keyed by the contract's header, as the mapping renames first), or unknown."""
    line = getattr(column, "line", "?")
    target = columns.get(str(column))
    if target is None:
        return DataError(
            f"{path} 第 {line} 行：values 中的 {column!r} 不是 {spec.name}（{spec.zh}）的列。",
            file=path,
            expected="以下之一：" + "、".join(f"{c.zh}（{c.name}）" for c in spec.columns),
            fix="values 下写契约中的表头（data/README.md 中列出了它们）",
        )
    col = spec.column(target)
    return DataError(
        f"{path} 第 {line} 行：values 中的 {column!r} 是导出中的表头；values 按契约的表头写"
        f"（columns: 中 {column!r} 对应到 {col.zh}）。",
        file=path,
        expected=f"{col.zh}（或 {col.name}）",
        fix=f"把 values 下的 {column}: 改为 {col.zh}:",
    )


def _unknown(path: Path, theirs, ours, spec: Table) -> DataError:
    return DataError(
        f"{path} 第 {getattr(theirs, 'line', '?')} 行：{theirs!r} 对应到 {ours!r}，"
        f"但它不是 {spec.name}（{spec.zh}）的列。",
        file=path,
        expected="以下之一：" + "、".join(f"{c.zh}（{c.name}）" for c in spec.columns),
        fix="对应到契约中的表头（data/README.md 中列出了它们）",
    )


def _one_header_each(names: list[str], mapping: Mapping, spec: Table) -> None:
    """Two headers of this file mapped to the same column of the contract: the mapping's error,
    said with its line (one mapping may map another year's header to the column too)."""
    seen: dict[str, str] = {}
    for name in names:
        target = mapping.columns.get(name)
        if target is None:
            continue
        if target in seen and seen[target] != name:
            col = spec.column(target)
            other = seen[target]
            line = mapping.lines.get(name) or "?"
            raise DataError(
                f"{mapping.path} 第 {line} 行：{other!r} 和 {name!r} 都对应到 {col.zh}，"
                f"而导出的文件中这两列都有；{col.zh}只能来自其中一列。",
                file=mapping.path,
                column=f"{col.zh} / {col.name}",
                expected=f"导出中的一列对应到 {col.zh}（{col.description}）",
                fix=f"只保留内容是“{col.description}”的那一列的对照；另一列对应到它实际存放的"
                "契约列，不需要的列删去它的对照（不在契约中的列不予读取）",
            )
        seen[target] = name


def apply(raw: pd.DataFrame, mapping: Mapping, spec: Table) -> tuple[pd.DataFrame, str]:
    """The raw cells with their headers and values mapped, and the note saying what was done."""
    from helpers.data.rules import PADDING  # what the check takes off values, before the lookup

    names = [str(c).strip(PADDING) for c in raw.columns]
    renamed = [mapping.columns.get(n, n) for n in names]
    _one_header_each(names, mapping, spec)
    headers = sum(1 for a, b in zip(names, renamed, strict=True) if a != b)
    frame = raw.set_axis(renamed, axis=1)
    frame.attrs["file_headers"] = list(raw.columns)  # for messages: the headers as in the file
    changed = 0
    for pos, name in enumerate(frame.columns):
        canonical = spec.headers.get(name)
        table = mapping.values.get(canonical) if canonical else None
        if not table:
            continue
        column = frame.iloc[:, pos]
        text = column.astype("string").str.strip(PADDING)
        hit = text.isin(list(table)).fillna(False)
        if hit.any():
            changed += int(hit.sum())
            frame.isetitem(pos, text.where(~hit, text.map(table)).astype(object))
    return frame, mapping.note(headers, changed)
