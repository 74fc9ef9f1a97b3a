"""The year's narrative inputs: what no table counts, in ``data/narrative/<year>.yaml``.

Each chapter has a section of sentence templates. ``{F020}``-style slots take computed figures
and ``{name}`` slots take words the chapter computes (names of cases, dates of study sessions …),
so the file holds no figure. Items are numbered 一是、二是 … when rendered.

A text entry is a string, or a list of pieces joined together, where a piece that makes a claim
of the numbers carries its condition::

    closing:
      - "……分别同比{F056}、{F057}、{F058}。"
      - text: "社会治安呈现“违法犯罪稳步下降”的良好态势。"
        when: {F053: 下降, F055: 下降}
        else: "社会治安总体平稳。"      # optional: said instead when the condition fails

A ``when`` holds when all its conditions do; a list of such mappings holds when any one does
(``when: [{F046: "> 0"}, {F050: "> 0", F051: "> 0"}]``).

The file is checked before anything runs (``check``): every slot must name a figure or word of
its chapter, every claim word (上升、下降、最大、第N名 …) typed in a piece must be backed by the
piece's ``when`` (each group of a list), and the file must be UTF-8 YAML without anchors or tabs.
"""

from __future__ import annotations

import difflib
import re
import string
from dataclasses import dataclass, field
from pathlib import Path

from helpers import paths
from helpers.errors import NarrativeError
from helpers.inputs import claims
from helpers.inputs.yamlfile import Text, parse_yaml, read_text

KEYS = {"heading", "lead", "intro", "items", "closing", "paragraphs", "numbered"}
# a number typed at the start of a heading or lead: numbers come from report.yaml's order
TYPED_NUMBER = re.compile(r"^\s*([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")
PIECE_KEYS = {"text", "when", "else"}
MAX_PIECE_CHARS = 4000  # one piece of text; the longest sample item is about 700
SLOT_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass
class Piece:
    """Part of a text entry: a template, its line in the file, and an optional condition."""

    text: Text
    # what must hold for it to be said: any one of these groups of conditions, each group
    # whole (``when: {…}`` is one group, ``when: [{…}, {…}]`` several); none: always said
    when: list[dict[str, str]] = field(default_factory=list)
    otherwise: Text | None = None

    @property
    def line(self) -> int:
        return self.text.line


Entry = list[Piece]  # pieces joined into one text


@dataclass
class Section:
    """One chapter's section of the narrative file, checked for form."""

    name: str
    file: Path
    heading: Entry = field(default_factory=list)
    lead: Entry = field(default_factory=list)
    intro: Entry = field(default_factory=list)
    items: list[Entry] = field(default_factory=list)
    closing: Entry = field(default_factory=list)
    paragraphs: list[Entry] | None = None
    numbered: list[Entry] = field(default_factory=list)  # paragraphs numbered （一）（二）…

    def entries(self) -> list[tuple[str, Entry]]:
        """Every entry with its key, in the order of the text."""
        out = [("heading", self.heading), ("lead", self.lead), ("intro", self.intro)]
        out += [(f"items[{i}]", e) for i, e in enumerate(self.items)]
        out += [(f"paragraphs[{i}]", e) for i, e in enumerate(self.paragraphs or [])]
        out += [(f"numbered[{i}]", e) for i, e in enumerate(self.numbered)]
        out.append(("closing", self.closing))
        return [(k, e) for k, e in out if e]


def narrative_file(year: int, folder: Path | None = None) -> Path:
    """``data/narrative/<year>.yaml``."""
    return (folder or paths.NARRATIVE) / f"{year}.yaml"


def load_file(year: int, folder: Path | str | None = None) -> dict:
    """The whole narrative file of a year, parsed (sections not yet checked)."""
    path = narrative_file(year, Path(folder) if folder else None)
    if not path.exists():
        path = path.absolute()
        example = paths.nearest_year_file(year, path.parent, paths.NARRATIVE)
        raise NarrativeError(
            f"没有 {year} 年的文字输入：{path} 不存在。",
            fix=f"把 {example} 复制为 {path}，再按 {year} 年的情况改写"
            if example
            else f"写出 {path}，每章一节（章名: 文字）",
        )
    data = parse_yaml(read_text(path, "文字输入", NarrativeError), path, NarrativeError) or {}
    if not isinstance(data, dict):
        raise NarrativeError(f"{path}：必须每章一节（章名: …）。")
    return data


def load(year: int, chapter: str, folder: Path | str | None = None) -> Section:
    """One chapter's section of the year's narrative, checked for form."""
    path = narrative_file(year, Path(folder) if folder else None)
    return section(load_file(year, folder).get(chapter), chapter, path)


def section(raw: object, chapter: str, path: Path) -> Section:
    """Check a section's form and turn it into pieces."""
    if not isinstance(raw, dict):
        raise NarrativeError(
            f"{path}：章 {chapter!r} 缺失，或不是映射。",
            fix=f"添加一节 `{chapter}:`，写上 items 或 paragraphs",
        )
    bad = sorted(set(raw) - KEYS)
    if bad:
        raise NarrativeError(
            f"{path}：{chapter} 有未知的键 {bad}。",
            fix=f"只用 {', '.join(sorted(KEYS))}",
        )
    out = Section(chapter, path)
    for key in ("heading", "lead"):
        if key in raw:
            setattr(out, key, [_piece(raw[key], path, f"{chapter}.{key}", conditional=False)])
    for key in ("intro", "closing"):
        if key in raw:
            setattr(out, key, _entry(raw[key], path, f"{chapter}.{key}"))
    for key in ("items", "paragraphs", "numbered"):
        if key in raw:
            if not isinstance(raw[key], list):
                raise NarrativeError(
                    f"{path}：{chapter}.{key} 必须是文字的列表。",
                    fix="每条写成 `- 文字`",
                )
            setattr(
                out, key, [_entry(x, path, f"{chapter}.{key}[{i}]") for i, x in enumerate(raw[key])]
            )
    return out


def _entry(raw: object, path: Path, where: str) -> Entry:
    if isinstance(raw, list):
        return [_piece(x, path, f"{where}[{i}]") for i, x in enumerate(raw)]
    return [_piece(raw, path, where)]


def _piece(raw: object, path: Path, where: str, conditional: bool = True) -> Piece:
    line = getattr(raw, "line", 0)
    if isinstance(raw, dict) and conditional:
        extra = sorted(set(raw) - PIECE_KEYS)
        if extra or "text" not in raw:
            raise NarrativeError(
                f"{path}：{where} 的键是 {sorted(raw)}；带条件的片段有 "
                "`text`、`when`，以及可选的 `else`。",
                fix='写成  - text: "……"  并在下一行写  when: {F053: 下降}',
            )
        when = raw.get("when", [{}]) if "when" in raw else []
        alternatives = when if isinstance(when, list) else [when]
        # an empty when (when: [], {}, 0) would say the piece always: refused, not ignored
        if not alternatives or not all(isinstance(a, dict) and a for a in alternatives):
            at = getattr(raw.get("text"), "line", 0) or line
            raise NarrativeError(
                f"{path} 第 {at or '?'} 行：{where}.when 必须把数字编号对应到条件（都成立才说），"
                "或是几组这样的条件的列表（其中一组成立就说）。",
                fix="写成  when: {F053: 下降, F043: '>= 90'}  或"
                "  when: [{F046: '> 0'}, {F050: '> 0', F051: '> 0'}]",
            )
        text = _text(raw["text"], path, f"{where}.text")
        other = _text(raw["else"], path, f"{where}.else") if raw.get("else") else None
        return Piece(text, [{str(k): str(v) for k, v in a.items()} for a in alternatives], other)
    return Piece(_text(raw, path, where, line))


def _text(raw: object, path: Path, where: str, line: int = 0) -> Text:
    if not isinstance(raw, str):
        kind = {dict: "映射", list: "列表"}.get(type(raw), type(raw).__name__)
        raise NarrativeError(
            f"{path} 第 {getattr(raw, 'line', line) or '?'} 行：{where} 是{kind}，不是文字。",
            fix='把文字放在引号中："……"',
        )
    if len(raw) > MAX_PIECE_CHARS:
        raise NarrativeError(
            f"{path} 第 {raw.line} 行：{where} 长 {len(raw)} 个字符"
            f"（一个片段最多 {MAX_PIECE_CHARS} 个）。",
            fix="把它分成几条（items）或几段（paragraphs）",
        )
    return raw if isinstance(raw, Text) else Text(raw, line)


# ------------------------------------------------------------------ checking
def slot_names(template: str) -> list[str]:
    """The ``{slots}`` of a template (ValueError on a lone brace)."""
    return [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]


def check_section(
    sec: Section, allowed: dict[str, tuple[str, ...]], level: int = 0
) -> list[NarrativeError]:
    """Every problem of one section: slots that name nothing the chapter computes, slots that are
    not plain names, lone braces, claim words no condition backs, conditions on unknown figures,
    numbers typed where report.yaml's order gives them, a heading or lead its level needs."""
    problems = []
    for key in ("heading", "lead"):
        for piece in getattr(sec, key):
            m = TYPED_NUMBER.match(piece.text)
            if m:
                problems.append(
                    NarrativeError(
                        f"{sec.file} 第 {piece.line} 行：{sec.name}.{key} 以编号“{m.group(1)}”开头；"
                        "编号由该章在 report.yaml 中的位置决定。",
                        fix=f"删去“{m.group(1)}”：报告自动给各章编号，"
                        "删去或增加一章时其余各章会重新编号",
                    )
                )
    need = {1: "heading", 2: "lead"}.get(level)
    if need and not getattr(sec, need):
        what = "一、 大标题" if level == 1 else "（一） 小标题"
        problems.append(
            NarrativeError(
                f"{sec.file}：{sec.name} 在 report.yaml 中是第 {level} 级的章，"
                f"所以需要 `{need}:`（它的{what}）。",
                fix=f'在 {sec.name}: 一节中添加  {need}: "……"（不写编号）',
            )
        )
    figures = [s for s in allowed if re.fullmatch(r"[A-Z]+\d+", s)]
    for where, entry in sec.entries():
        joined = "".join(piece.text for piece in entry)  # the entry's sentences, all pieces said
        at = 0
        for piece in entry:
            texts = [piece.text] + ([piece.otherwise] if piece.otherwise else [])
            for text in texts:
                problems += _slot_problems(sec, where, text, allowed)
                problems += _typed_numbers(sec, where, text)
            groups = []
            for group in piece.when or [{}]:
                conditions = []
                for fid, spec in group.items():
                    if fid not in figures:
                        problems.append(
                            _error(
                                sec,
                                piece.text,
                                f"条件中的 {fid!r} 不是本章的数字",
                                _nearest(fid, figures),
                            )
                        )
                        continue
                    try:
                        conditions.append(claims.parse_condition(fid, spec))
                    except ValueError as exc:
                        problems.append(
                            _error(
                                sec,
                                piece.text,
                                str(exc),
                                None,
                                "条件写 上升、下降、持平，或比较式，如 {F043: '>= 90'}",
                            )
                        )
                groups.append(conditions)
            # the text is said when any group holds: each group must back its claim words, by a
            # figure its sentence states
            for claim in claims.find(piece.text):
                stated = set(_safe_slots(_sentence(joined, at + claim.start)))
                failing = [
                    i for i, c in enumerate(groups, 1) if claims.uncovered([claim], c, stated)
                ]
                if failing:
                    which = failing if len(groups) > 1 else []
                    problems.append(_claim_error(sec, piece.text, claim, bool(piece.when), which))
            at += len(piece.text)
            if piece.otherwise:
                for claim in claims.find(piece.otherwise):
                    problems.append(_claim_error(sec, piece.otherwise, claim, in_else=True))
    return problems


def _sentence(text: str, at: int) -> str:
    """The sentence of ``text`` (up to its 。) that holds position ``at``."""
    end = text.find("。", at)
    return text[text.rfind("。", 0, at) + 1 : len(text) if end < 0 else end + 1]


def _safe_slots(text: str) -> list[str]:
    try:
        return slot_names(text)
    except ValueError:  # a lone brace: _slot_problems says so
        return []


def _typed_numbers(sec: Section, where: str, text: Text) -> list[NarrativeError]:
    """A number typed into the text (35次, 98.5%, 一千二百人次): the text would state it whatever
    the data say."""
    out = []
    for start, number in claims.typed_numbers(text):
        context = text[max(0, start - 10) : start + len(number) + 6]
        out.append(
            NarrativeError(
                f"{sec.file} 第 {text.line} 行：{sec.name}.{where} 中直接写了数字“{number}”"
                f"（…{context}…）：报告中的数字必须由数据表算出，手写的数字在数据变了以后"
                "仍会照样印出。",
                fix="写成数字的位置（如 {F020}，编号见 metrics.csv 或 data/README.md）；表中没有"
                "的数字，先把它的记录加进数据表（lawreport new-chapter 可以为新内容建表）。名称、"
                "日期、序数和固定说法中的数字（“12345热线”“24小时”“第十二次”“第3、4条”）不受"
                "限制；口号、提法中的中文数字加上引号即可（“十一个坚持”），引号里用阿拉伯数字写的"
                "数量仍算手写的数字",
            )
        )
    return out


def _slot_problems(sec: Section, where: str, text: Text, allowed: dict) -> list[NarrativeError]:
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        return [
            NarrativeError(
                f"{sec.file} 第 {text.line} 行：{sec.name}.{where} 中有落单的花括号（{exc}）。",
                fix="位置写作 {F020} 或 {months}；删去多余的 { 或 }",
            )
        ]
    out = []
    if "｛" in text or "｝" in text:
        out.append(
            NarrativeError(
                f"{sec.file} 第 {text.line} 行：{sec.name}.{where} 中有全角花括号 ｛ 或 ｝，"
                "会被原样印出。",
                fix="位置用半角花括号书写：{F020}（输入时把输入法切换到英文）",
            )
        )
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        shown = (
            "{"
            + name
            + (f"!{conversion}" if conversion else "")
            + (f":{spec}" if spec else "")
            + "}"
        )
        if spec or conversion or not SLOT_NAME.match(name):
            out.append(
                NarrativeError(
                    f"{sec.file} 第 {text.line} 行：{sec.name}.{where} 中的位置 {shown} "
                    "不是单纯的名字。",
                    fix="位置只写名字，例如 {F067} 或 {months}：不要 !r、:格式、点号或方括号",
                )
            )
        elif name not in allowed:
            near = _nearest(name, list(allowed))
            out.append(
                NarrativeError(
                    f"{sec.file} 第 {text.line} 行：{sec.name}.{where} 中的位置 {shown} "
                    f"不是 {sec.name} 章的数字或文字。",
                    fix=(f"是不是 {near}？" if near else "")
                    + f"本章可用的位置：{', '.join(sorted(allowed))}",
                )
            )
    return out


def _nearest(name: str, names: list[str]) -> str | None:
    near = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    return " 或 ".join("{" + n + "}" for n in near) if near else None


def _error(sec: Section, text: Text, what: str, near: str | None, fix: str = "") -> NarrativeError:
    return NarrativeError(
        f"{sec.file} 第 {text.line} 行：{sec.name} 中，{what}。",
        fix=fix or (f"是不是 {near}？" if near else "写本章的一个数字编号（见 metrics.csv）"),
    )


# the condition the fix of an unbacked claim suggests: a comparison of the figure stated
_COMPARE = {"rank": "'<= 3'", "share": "'>= 90'", "record": "'== 1'"}


def _claim_error(
    sec: Section,
    text: Text,
    claim: claims.Claim,
    conditioned: bool = False,
    groups: list[int] = (),
    in_else: bool = False,
) -> NarrativeError:
    context = text[max(0, claim.start - 12) : claim.start + len(claim.word) + 8]
    if in_else:
        return NarrativeError(
            f"{sec.file} 第 {text.line} 行：{sec.name} 的 else 文字中说了“{claim.word}”"
            f"（…{context}…），但没有任何条件检验它。",
            fix="else 的文字在条件不成立时使用：不要在其中写对数字的判断",
        )
    what = {
        "up": "上升",
        "down": "下降",
        "flat": "持平",
        "record": "创纪录",
        "rank": "排名",
        "share": "占比",
    }[claim.kind]
    need = {"up": "上升", "down": "下降", "flat": "持平"}.get(claim.kind)
    if conditioned:
        shown = (
            f"该数字{need}的条件" if need else "对该数字的比较（如 {F025: '<= 3'}），升降不能说明它"
        )
        return NarrativeError(
            f"{sec.file} 第 {text.line} 行：{sec.name} 用“{claim.word}”说了{what}"
            f"（…{context}…），但"
            + (f"第 {'、'.join(map(str, groups))} 组条件" if groups else "片段的条件")
            + "没有检验这句写出的哪个数字能说明这一点（每一组成立时都会说这句话）。",
            fix=f"条件要落在同一句写出的数字上（它的位置在这句中）：要有{shown}；"
            "数字说明不了的，删去这个词",
        )
    return NarrativeError(
        f"{sec.file} 第 {text.line} 行：{sec.name} 用“{claim.word}”说了{what}"
        f"（…{context}…），但没有条件说明是哪个数字显示了这一点。",
        fix="让数字自己说（它的位置，如 {F053}，按数据写出 上升/下降），或把这句写成"
        '带条件的片段（条件落在这句写出的数字上）：  - text: "……"  when: {F053: '
        + (need or _COMPARE[claim.kind])
        + "}",
    )


def check_year(
    year: int,
    folder: Path | str | None = None,
    sections: list[str] | None = None,
    workspace=None,
) -> list[NarrativeError]:
    """Every problem of the year's narrative file (empty: it is fine): each chapter of the year's
    report (report.yaml; ``sections`` narrows them) needs its section, checked against what the
    chapter computes and its level."""
    from helpers import figures
    from helpers.inputs import declaration

    try:
        data = load_file(year, folder)
    except NarrativeError as exc:
        return [exc]
    path = narrative_file(year, Path(folder) if folder else None)
    entries = declaration.load(workspace).for_year(year)
    if sections is not None:
        entries = [e for e in entries if e.name in sections]
    problems: list[NarrativeError] = []
    extra = sorted(set(data) - {c.name for c in declaration.load(workspace).chapters})
    if extra and sections is None:
        problems.append(
            NarrativeError(
                f"{path}：节 {extra} 不是 report.yaml 中的章。",
                fix="改正节名，或在 report.yaml 中声明该章",
            )
        )
    for entry in entries:
        name = entry.name
        if name not in data:
            problems.append(
                NarrativeError(
                    f"{path}：{year} 年的报告有章 {name!r}，但文件中没有 {name}: 一节。",
                    fix=f"添加一节 `{name}:` 并写上文字（可从上一年的文件中复制）",
                )
            )
            continue
        try:
            sec = section(data[name], name, path)
        except NarrativeError as exc:
            problems.append(exc)
            continue
        problems += check_section(sec, figures.slots(name, year, workspace), entry.chapter.level)
    return problems
