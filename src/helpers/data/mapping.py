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
    headers = spec.headers
    columns = {}
    for theirs, ours in (raw.get("columns") or {}).items():
        if str(ours) not in headers:
            raise _unknown(path, theirs, ours, spec)
        columns[str(theirs)] = headers[str(ours)]
    values: dict[str, dict[str, str]] = {}
    for column, pairs in (raw.get("values") or {}).items():
        if str(column) not in headers:
            raise _unknown(path, column, column, spec)
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
    return Mapping(path, columns, values)


def _unknown(path: Path, theirs, ours, spec: Table) -> DataError:
    return DataError(
        f"{path} 第 {getattr(theirs, 'line', '?')} 行：{theirs!r} 对应到 {ours!r}，"
        f"但它不是 {spec.name}（{spec.zh}）的列。",
        file=path,
        expected="以下之一：" + "、".join(f"{c.zh}（{c.name}）" for c in spec.columns),
        fix="对应到契约中的表头（data/README.md 中列出了它们）",
    )


def apply(raw: pd.DataFrame, mapping: Mapping, spec: Table) -> tuple[pd.DataFrame, str]:
    """The raw cells with their headers and values mapped, and the note saying what was done."""
    from helpers.data.rules import PADDING  # what the check takes off values, before the lookup

    names = [str(c).strip(PADDING) for c in raw.columns]
    renamed = [mapping.columns.get(n, n) for n in names]
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
