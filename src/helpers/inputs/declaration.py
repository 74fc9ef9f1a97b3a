"""The report declared in one place: ``report.yaml`` lists the chapters in order and, for each, its
notebook, its level (一、 or （一）), the years it appears in, its figures module, the tables and
years it reads, its narrative section and the figures it states. The build, ``validate``, the
rebuild keys, the notebooks, the data dictionary and the numbering all read it; nothing is found
by reading a notebook's code.

::

    chapters:
      - name: measures          # a part heading: 一、 and the text of its narrative `heading`
        level: 1
      - name: safety            # a section: （三）…, numbered within its part
        level: 2
        notebook: 13_safety
        figures: safety         # helpers/figures/safety.py, or the workspace's figures/safety.py
        tables:                 # the years each table is read for: 0 this year, -1 the year
          alarms: [0, -1]       # before, history: every year on file in an unbroken run
          cases: [0, -1, history]
        params: [city]          # parameters of params/<year>.yaml it needs besides year
        years: 2020-2022        # optional: the years the chapter is in the report
"""

from __future__ import annotations

import difflib
import importlib
import importlib.util
import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import ModuleType

from helpers.errors import DeclarationError
from helpers.fmt import ordinal
from helpers.inputs.yamlfile import parse_yaml, read_text
from helpers.workspace import Workspace

HISTORY = "history"
KEYS = {"name", "title", "level", "notebook", "figures", "tables", "owns", "params", "years"}
NAME = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Chapter:
    """One chapter as declared."""

    name: str
    level: int = 0  # 0: not numbered (the opening); 1: 一、…; 2: （一）…
    notebook: str | None = None  # file stem in notebooks/; None: a part heading only
    figures: str | None = None  # figures module
    tables: dict[str, tuple] = field(default_factory=dict)
    owns: tuple[str, ...] | None = None  # figure ids it states (None: all its module's)
    params: tuple[str, ...] = ()
    years: tuple[int | None, int | None] = (None, None)
    line: int = 0
    title: str | None = None  # a short Chinese title for progress lines, e.g. 安全稳定

    @property
    def label(self) -> str:
        """How the analyst is told about the chapter: its title, else its name."""
        return self.title or self.name

    def in_year(self, year: int) -> bool:
        first, last = self.years
        return (first is None or year >= first) and (last is None or year <= last)


@dataclass(frozen=True)
class Entry:
    """A chapter of one year's report, with its generated number (一、 / （二） / '')."""

    chapter: Chapter
    number: str

    @property
    def name(self) -> str:
        return self.chapter.name


@dataclass(frozen=True)
class Report:
    """The declaration of one workspace: every chapter, each with the years it is in."""

    file: Path
    chapters: tuple[Chapter, ...]

    def for_year(self, year: int) -> list[Entry]:
        """The chapters of ``year``'s report in order, numbered: 一、二、… for level 1,
        （一）（二）… for level 2, counted afresh under each level-1 chapter."""
        out, parts, sections = [], 0, 0
        for ch in self.chapters:
            if not ch.in_year(year):
                continue
            number = ""
            if ch.level == 1:
                parts, sections = parts + 1, 0
                number = f"{ordinal(parts)}、"
            elif ch.level == 2:
                sections += 1
                number = f"（{ordinal(sections)}）"
            out.append(Entry(ch, number))
        return out

    def entry(self, year: int, name: str) -> Entry:
        """The chapter ``name`` in ``year``'s report (DeclarationError if it is not in it)."""
        for e in self.for_year(year):
            if e.name == name:
                return e
        names = [c.name for c in self.chapters]
        known = name in names
        raise DeclarationError(
            f"{self.file}：章 {name!r} " + (f"不在 {year} 年的报告中。" if known else "没有声明。"),
            fix=(
                f"它在 {self.file.name} 中的 `years:` 不包括 {year} 年；改为包括该年"
                if known
                else f"已声明的章：{', '.join(names)}"
            ),
        )

    def with_notebook(self, year: int) -> list[Entry]:
        """The chapters of ``year`` that run a notebook."""
        return [e for e in self.for_year(year) if e.chapter.notebook]


# ------------------------------------------------------------------ reading
def load(ws: Workspace | Path | str | None = None) -> Report:
    """The workspace's ``report.yaml``, checked."""
    from helpers.data.contract.workspace import register_folder

    ws = Workspace.of(ws)
    register_folder(ws.contract)  # the tables of the workspace's own chapters join the contract
    path = ws.declaration
    return _load(path, path.stat().st_mtime_ns if path.exists() else 0)


@lru_cache(maxsize=16)
def _load(path: Path, _mtime: int) -> Report:
    if not path.exists():
        raise DeclarationError(
            f"没有报告的结构声明：{path} 不存在。",
            fix="把项目文件夹中的 report.yaml 复制到工作区再修改",
        )
    raw = parse_yaml(read_text(path, "报告的结构声明", DeclarationError), path, DeclarationError)
    if not isinstance(raw, dict) or not isinstance(raw.get("chapters"), list):
        raise DeclarationError(
            f"{path}：必须有 `chapters:`，即按报告顺序排列的各章。",
            fix="见项目 report.yaml 开头的注释",
        )
    extra = sorted(set(raw) - {"chapters"})
    if extra:
        raise DeclarationError(f"{path}：未知的键 {extra}。", fix="只保留 `chapters:`")
    chapters = tuple(_chapter(c, path, i) for i, c in enumerate(raw["chapters"], 1))
    names = [c.name for c in chapters]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise DeclarationError(
            f"{path}：章 {twice} 声明了两次。",
            fix="每一章用自己的名字（它也是该章文字的节名）",
        )
    return Report(path, chapters)


def _chapter(raw: object, path: Path, index: int) -> Chapter:
    line = getattr(raw.get("name"), "line", 0) if isinstance(raw, dict) else 0
    where = f"{path} 第 {line or '?'} 行（第 {index} 章）"
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        raise DeclarationError(f"{where}：每一章都要有 `name:`。", fix="例如  - name: safety")
    name = str(raw["name"])
    if not NAME.match(name):
        raise DeclarationError(
            f"{where}：章名 {name!r} 只能由小写字母、数字和 _ 组成。",
            fix="例如 reconsideration（它也是该章文字的节名）",
        )
    unknown = sorted(set(raw) - KEYS)
    if unknown:
        near = {k: difflib.get_close_matches(k, KEYS, n=1) for k in unknown}
        hints = "；".join(f"{k} → {v[0]}？" for k, v in near.items() if v)
        raise DeclarationError(
            f"{where}：{name} 有未知的键 {unknown}。",
            fix=(hints + "；" if hints else "") + f"可用的键：{', '.join(sorted(KEYS))}",
        )
    level = raw.get("level", 0)
    if level not in (0, 1, 2):
        raise DeclarationError(
            f"{where}：{name}.level 是 {level!r}。",
            fix="写 0（不编号）、1（一、 大标题）或 2（（一） 小标题）",
        )
    tables = raw.get("tables") or {}
    if not isinstance(tables, dict):
        raise DeclarationError(
            f"{where}：{name}.tables 必须给每张表写出它的年份。",
            fix="例如  tables: {alarms: [0, -1], cases: [0, -1, history]}",
        )
    parsed = {}
    for table, offsets in tables.items():
        offsets = offsets if isinstance(offsets, list) else [offsets]
        bad = [o for o in offsets if not (o == HISTORY or (isinstance(o, int) and -20 <= o <= 0))]
        if bad or not offsets:
            raise DeclarationError(
                f"{where}：{name}.tables.{table} 中有 {bad or offsets!r}。",
                fix="把年份写成相对本年的偏移：0 本年，-1 上年……，或 history",
            )
        parsed[str(table)] = tuple(o if o == HISTORY else int(o) for o in offsets)
    owns = raw.get("owns")
    at = getattr(raw.get("years"), "line", 0) or line  # the line of `years:` where it is text
    return Chapter(
        name=name,
        level=level,
        notebook=str(raw["notebook"]) if raw.get("notebook") else None,
        figures=str(raw["figures"]) if raw.get("figures") else None,
        tables=parsed,
        owns=tuple(str(x) for x in owns) if owns is not None else None,
        params=tuple(str(x) for x in raw.get("params") or ()),
        years=_years(raw.get("years"), f"{path} 第 {at or '?'} 行（第 {index} 章）", name),
        line=line,
        title=str(raw["title"]).strip() or None if raw.get("title") else None,
    )


def _years(raw: object, where: str, name: str) -> tuple[int | None, int | None]:
    import unicodedata

    if raw is None:
        return None, None
    text = str(raw).strip()
    m = re.fullmatch(r"(\d{4})?\s*-\s*(\d{4})?|(\d{4})", text)
    # a range joined by another dash than "-" (2020—2022, 2020－2022), which looks like the fix
    other = re.fullmatch(r"(\d{4})?\s*(\S)\s*(\d{4})?", text, re.ASCII) if not m else None
    dashes = {
        "—": "破折号 U+2014",
        "－": "全角连字符 U+FF0D",
        "–": "短破折号 U+2013",
        "−": "减号 U+2212",
        "～": "全角波浪号 U+FF5E",
        "~": "波浪号",
        "〜": "波浪号 U+301C",
        "至": "汉字“至”",
    }
    if (
        other
        and (other.group(1) or other.group(3))
        and (other.group(2) in dashes or unicodedata.category(other.group(2)) == "Pd")
    ):
        first, dash, last = other.groups()
        called = dashes.get(dash, f"U+{ord(dash):04X}")
        reversed_ = bool(first and last and first > last)
        if reversed_:
            first, last = last, first
        raise DeclarationError(
            f"{where}：{name}.years 是 {text!r}：连接年份的是 {dash!r}（{called}），不是半角连字符 -"
            + ("，而且起止年份写反了" if reversed_ else "")
            + "。",
            fix=f"把 {dash} 换成半角连字符 -（键盘上的减号键，半角状态下输入）"
            + ("，并先写起始年份、再写截止年份" if reversed_ else "")
            + f"：years: {first or ''}-{last or ''}",
        )
    if not m or text == "-":
        raise DeclarationError(
            f"{where}：{name}.years 是 {text!r}。",
            fix="写 2020-2022、2023-（从2023年起）、-2022（到2022年为止）或 2023",
        )
    if m.group(3):
        return int(m.group(3)), int(m.group(3))
    first, last = (int(g) if g else None for g in m.group(1, 2))
    if first is not None and last is not None and first > last:  # else in no year's report
        raise DeclarationError(
            f"{where}：{name}.years 是 {text!r}：起止年份写反了，这一章将不出现在任何一年的报告中。",
            fix=f"先写起始年份，再写截止年份：years: {last}-{first}",
        )
    return first, last


# ------------------------------------------------------------------ figures modules
def module(chapter: Chapter, ws: Workspace | Path | str | None = None) -> ModuleType | None:
    """The figures module of a chapter: the workspace's ``figures/<name>.py`` if there is one,
    else ``helpers.figures.<name>``."""
    if not chapter.figures:
        return None
    ws = Workspace.of(ws)
    own = ws.figures / f"{chapter.figures}.py"
    if own.exists():
        return _load_file(own)
    try:
        return importlib.import_module(f"helpers.figures.{chapter.figures}")
    except ModuleNotFoundError:
        raise DeclarationError(
            f"章 {chapter.name} 的数字模块是 {chapter.figures!r}，但既没有 {own}，"
            f"也没有 helpers/figures/{chapter.figures}.py。",
            fix="改正 report.yaml 中的 `figures:`，或创建该模块（`lawreport new-chapter`）",
        ) from None


def _load_file(path: Path) -> ModuleType:
    name = f"lawreport_workspace_{abs(hash(str(path.parent)))}.{path.stem}"
    if name in sys.modules and getattr(sys.modules[name], "__file__", None) == str(path):
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod
