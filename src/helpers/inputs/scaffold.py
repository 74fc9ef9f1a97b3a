"""``lawreport new-chapter NAME``: a new chapter that builds at once, to start from.

It writes, in the workspace: the chapter's entry in report.yaml (after the chapter named by
``after``), its notebook (parameters cell, ``open_chapter``, ``record``, ``narrate``), its figures
module (one placeholder figure: the number of records of its table), a contract stub for that
table (``contract/<table>.yaml``), its section in the year's narrative file, and three example
rows of the table (only where no file is yet), so the first build shows the chapter with its
figure. Nothing existing is overwritten.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from helpers.errors import DeclarationError
from helpers.inputs import declaration
from helpers.workspace import Workspace

NAME = re.compile(r"^[a-z][a-z0-9_]{1,30}$")


@dataclass
class Scaffold:
    """What ``new_chapter`` wrote."""

    name: str
    figure: str
    table: str
    files: list[Path]


def new_chapter(
    name: str,
    *,
    title: str | None = None,
    workspace=None,
    after: str | None = None,
    year: int | None = None,
) -> Scaffold:
    """Scaffold the chapter ``name`` in the workspace, placed after ``after`` (default: the last
    level-2 chapter), in the reports from ``year`` (default: the latest year with parameters)."""
    ws = Workspace.of(workspace)
    if not NAME.match(name):
        raise DeclarationError(
            f"{name!r} 不能用作章名。",
            fix="用小写字母、数字和 _（2–31 个字符），例如 publicity",
        )
    report = declaration.load(ws)
    if any(c.name == name for c in report.chapters):
        raise DeclarationError(f"章 {name!r} 已在 {report.file} 中。", fix="换一个名字")
    years = sorted(int(p.stem) for p in ws.params.glob("*.yaml") if p.stem.isdigit())
    year = year or (years[-1] if years else None)
    if year is None:
        raise DeclarationError(f"{ws.params} 中没有任何一年的参数。", fix="先添加 params/<年>.yaml")
    after = after or next(c.name for c in reversed(report.chapters) if c.level == 2)
    if after not in {c.name for c in report.chapters}:
        raise DeclarationError(
            f"没有章 {after!r}，无法把 {name} 放在它后面。", fix="见 report.yaml"
        )
    title = title or name
    table = f"{name}_records"
    figure = re.sub(r"[^A-Z]", "", name.upper())[:4] or "X"
    figure = f"{figure}01"
    stem = _notebook_stem(ws, report, after, name)
    files = [
        _declare(ws, report.file, name, title, after, stem, table, year),
        _write_new(ws.root / "notebooks" / f"{stem}.ipynb", _notebook(name, title, year)),
        _write_new(
            ws.figures / f"{name}.py",
            FIGURES.format(name=name, title=title, table=table, fid=figure),
        ),
        _write_new(ws.contract / f"{table}.yaml", CONTRACT.format(table=table, title=title)),
        _narrative(ws, year, name, title, figure),
    ]
    example = ws.data / table / f"{year}.csv"
    if not example.exists():
        files.append(_write_new(example, EXAMPLE.format(year=year)))
    return Scaffold(name, figure, table, files)


def _notebook_stem(ws: Workspace, report, after: str, name: str) -> str:
    """The next free two-digit prefix after the notebook of ``after`` (16_name after 15_…)."""
    from helpers import paths

    used = {c.notebook for c in report.chapters if c.notebook}
    used |= {
        p.stem
        for folder in (ws.root / "notebooks", paths.NOTEBOOKS)
        for p in folder.glob("*.ipynb")
    }
    base = next((c.notebook for c in report.chapters if c.name == after and c.notebook), "50_x")
    n = int(base[:2]) + 1 if base[:2].isdigit() else 51
    while any(u.startswith(f"{n:02d}_") for u in used):
        n += 1
    return f"{n:02d}_{name}"


def _write_new(path: Path, text: str) -> Path:
    if path.exists():
        raise DeclarationError(f"{path} 已经存在；没有做任何改动。", fix="换一个名字")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _declare(ws, file: Path, name, title, after, stem, table, year) -> Path:
    """The chapter's entry in report.yaml, written after ``after``'s entry (comments kept)."""
    target = ws.root / "report.yaml"
    text = file.read_text(encoding="utf-8")
    entry = (
        f"\n  - name: {name}\n    title: {json.dumps(title, ensure_ascii=False)}\n"
        f"    level: 2\n    years: {year}-\n    notebook: {stem}\n"
        f"    figures: {name}\n    tables: {{{table}: [0]}}\n"
    )
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip() == f"- name: {after}")
    end = next(
        (i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("- name:")),
        len(lines),
    )
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    lines.insert(end, entry)
    target.write_text("".join(lines), encoding="utf-8")
    declaration._load.cache_clear()
    return target


def _narrative(ws: Workspace, year: int, name: str, title: str, figure: str) -> Path:
    path = ws.narrative / f"{year}.yaml"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if re.search(rf"(?m)^{name}:", text):
        raise DeclarationError(f"{path} 中已有 {name}: 一节。", fix="换一个名字")
    section = (
        f"\n{name}:\n"
        f'  lead: "{title}。"\n'
        "  items:\n"
        f'    - "本年共有{title}记录{{{figure}}}。（由 lawreport new-chapter 生成的示例文字，请改写。）"\n'
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.rstrip("\n") + "\n" + section, encoding="utf-8")
    return path


# The help papermill --help-notebook shows for each parameter (a trailing comment in the cell).
PARAMETER_HELP = {
    "workspace": "工作区文件夹；None：项目文件夹（或环境变量 LAWREPORT_WORKSPACE）",
    "data_dir": "原始数据表文件夹；None：工作区的 data/raw（或环境变量 LAWREPORT_DATA）",
}
# The cell after the parameters, alone (run again, %load_ext would say it is loaded already):
# an edit to src/helpers shows when a cell is run again.
AUTORELOAD = (
    "# 改动 src/helpers 下的模块（如 figures）并保存后，重新运行下面的单元格即可看到，不必重启内核\n"
    "%load_ext autoreload\n"
    "%autoreload 2"
)


def _notebook(name: str, title: str, year: int = 2021) -> str:
    cells = [
        nbformat.v4.new_markdown_cell(
            f"# {title}\n\n由 `lawreport new-chapter {name}` 生成：本章读的数据表、在报告中的位置写在 "
            f"`report.yaml`；数字在 `figures/{name}.py` 中计算；文字在 `data/narrative/<年>.yaml` 的 "
            f"`{name}:` 一节。"
        ),
        nbformat.v4.new_code_cell(
            "# Parameters: the build injects params/<year>.yaml here; these defaults are the sample year.\n"
            "from typing import Optional\n"
            f"year: int = {year}  # 报告年份\n"
            f"workspace: Optional[str] = None  # {PARAMETER_HELP['workspace']}\n"
            f"data_dir: Optional[str] = None  # {PARAMETER_HELP['data_dir']}"
        ),
        nbformat.v4.new_code_cell(AUTORELOAD),
        nbformat.v4.new_code_cell(
            "from helpers.chapter import open_chapter\n\n"
            f'ch = open_chapter("{name}", year, workspace=workspace, data_dir=data_dir)\n'
            "ch.record()"
        ),
        nbformat.v4.new_markdown_cell("## 正文"),
        nbformat.v4.new_code_cell("ch.narrate()"),
    ]
    for cell in cells:
        cell.pop("id", None)
    cells[1].metadata = {"tags": ["parameters"]}
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    nb.nbformat_minor = 4
    return nbformat.writes(nb)


FIGURES = '''"""{title}（{name}）：本章的数字。由 lawreport new-chapter 生成，按需要改写。

FIGURES 列出本章写出的数字及其所依据的数据表，WORDS 列出本章文字中由数据整理出的词句；
figure_groups 和 word_groups 逐组计算，缺表或无从计算时只略去相关的部分。
"""

from __future__ import annotations

from helpers.figures.base import Figure, Frames, count

TABLE = "{table}"
FIGURES = {{"{fid}": (TABLE,)}}
WORDS: dict = {{}}


def records(t: Frames) -> Figure:
    """{fid}: 本年{title}的记录数（示例数字）。"""
    return count(
        "{fid}",
        "{title}记录",
        t.{table},
        "条",
        source=TABLE,
        definition="年内{title}记录表中的记录数",
    )


def figure_groups(t: Frames, **_) -> list:
    """The chapter's figure calculations, one group each."""
    return [lambda: records(t)]


def word_groups(t: Frames, **_) -> list:
    """The chapter's word slots (none yet)."""
    return []
'''

CONTRACT = """# {title}记录表：本章所读数据表的契约（由 lawreport new-chapter 生成，按实际导出的表改写）
# 每列还可写：required: false（可以为空）、allowed: [甲, 乙]（只许这些取值）、min / max（数值
# 范围）、distinct: true（检查数据表时顺便数出该列有多少个不同的值，计算模块用
# t.distinct("{table}", "列名") 取用，不必再读这一列；适合很大的表中的人员、房屋等编号）
# 表还可写 tally: [列名]（category 类型的列：检查数据表时按日、按这些列的取值数出行数，计算模块
# 用 t.tally("{table}") 取用，只数行数时不必读整张表）
name: {table}
zh: {title}记录表
row: 一条{title}记录
columns:
  - {{name: record_id, zh: 记录编号, type: str, description: 记录编号}}
  - {{name: record_date, zh: 日期, type: date, description: 日期，决定记录属于哪一年}}
  - {{name: category, zh: 类别, type: str, description: 类别, required: false}}
key: [record_id]
year_column: record_date
counts: 每条记录
source: 本单位业务台账
"""

EXAMPLE = """记录编号,日期,类别
EX001,{year}-03-01,示例
EX002,{year}-06-15,示例
EX003,{year}-09-30,示例
"""
