"""The human-readable data dictionary (``data/README.md``), generated from the contract."""

from __future__ import annotations

from pathlib import Path

from helpers import paths
from helpers.data.contract import TABLES, TYPES

HEADER = """# 原始数据：数据字典

<!-- 由 `lawreport dictionary` 根据 src/helpers/data/contract/ 生成，请勿手工修改。 -->

原始数据表放在 `data/raw/<表名>/<年>.<扩展名>`，每张表每年一个文件，保持从来源系统导出时的样子：
CSV（UTF-8、带 BOM 的 UTF-8 或 GB18030/GBK）、XLSX（表头上方可以有标题行）或 Parquet。
表头可以用下面的规范名，也可以用中文表头。本项目只以只读方式打开这些文件，从不写入；
`lawreport sample` 只把示例数据写入一个没有其他文件的文件夹。`lawreport validate --year Y`
检查 Y 年报告需要的每一张表。

按日期确定年份的表，某一年的文件中只保留日期在该年的行：日期在其他年份的行会被去掉（并在日志中计数）。
“年末快照”表是该登记表在文件所属年份 12 月 31 日的状况。
表头和文字的前后若有空格（含全角空格、制表符、换行）或看不见的字符（零宽空格、字节顺序标记等），读入时会去掉（在 `mapping.yaml` 对照之前）；
去掉后什么都不剩的单元格按空单元格处理。

## 表头对照（导出的表头或取值与下面不同时）

如果系统导出的表头或类别取值与下面的不同，请保留导出的原样，在该表的文件夹中放一个 `mapping.yaml`
（`data/raw/<表名>/mapping.yaml`）；它在检查之前应用到该表每一年的文件上，`lawreport validate` 会说明已应用：

```yaml
columns:            # 贵单位的表头: 契约中的表头（中文表头或规范名）
  受理时间: 接警时间
values:
  警情类别:          # 契约中的列: {贵单位的取值: 契约中的取值}
    刑事类: 违法犯罪
```
"""


def render() -> str:
    """The dictionary as Markdown."""
    out = [HEADER]
    out.append("| 表名 | 中文名 | 每行是 | 格式 |\n| --- | --- | --- | --- |")
    out += [
        f"| [`{t.name}`](#{t.name}) | {t.zh} | {t.row} | {', '.join(t.formats)} |"
        for t in TABLES.values()
    ]
    for t in TABLES.values():
        year = f"`{t.year_column}`" if t.year_column else "年末快照（12 月 31 日）"
        out.append(f"\n## {t.name}\n\n**{t.zh}**——每行是{t.row}。\n")
        out.append(f"- 来源：{t.source}\n- 主键：`{', '.join(t.key)}`\n- 年份依据：{year}")
        if t.daily:
            out.append("- 逐日记录：每天都有记录；文件中最后的日期就是导出截止的日期")
        out.append(f"- 计数口径：{t.counts}\n")
        out.append(
            "| 列名 | 中文表头 | 类型 | 必填 | 允许的取值 | 含义 |\n| --- | --- | --- | --- | --- | --- |"
        )
        for c in t.columns:
            allowed = (
                "、".join(c.allowed) if c.allowed else (c.expected if c.min is not None else "")
            )
            out.append(
                f"| `{c.name}` | {c.zh} | {TYPES[c.type]} | {'是' if c.required else '否'} "
                f"| {allowed} | {c.description} |"
            )
    return "\n".join(out) + "\n"


def write(path: Path | None = None) -> Path:
    """Write the dictionary (default ``data/README.md``)."""
    path = path or paths.ROOT / "data" / "README.md"
    path.write_text(render(), encoding="utf-8")
    return path
