"""The report as a document, before any format: its chapters (blocks of official text, charts,
tables, recorded figures), its title, the rows of its data annex and what it leaves out. HTML
(``assemble``) and Word (``word``) both read this model; neither imports the other, and the
notebook side (``report``) shares only the MIME types its outputs carry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from helpers import fmt

MIME_BLOCK = "application/vnd.lawreport.block+json"
MIME_FIGURES = "application/vnd.lawreport.figures+json"


MAX_CELL = 200  # characters of a table cell: a row taller than a page stalls the PDF layout


def cell_text(value: object, limit: int = MAX_CELL) -> str:
    """A table cell as text, cut to ``limit`` characters with a mark saying how long it was."""
    text = str(value)
    return text if len(text) <= limit else f"{text[:limit]}……（共{len(text)}字，此处截断）"


_NUMBER = re.compile(r"[+\-−]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?\s*(%|‰|万|亿)?")
_CHANGE = re.compile(r"(上升|下降)\d+(\.\d+)?%|持平")
_DATE = re.compile(
    r"(\d{4}[-/.年])?\d{1,2}[-/.月]\d{1,2}日?(\s+\d{1,2}:\d{2}(:\d{2})?)?|\d{4}年(\d{1,2}月)?|\d{4}-\d{2}"
)
SHORT_CELL = 8  # characters: a category name this short is never broken over two lines


def cell_class(text: str) -> str:
    """The CSS class of a table cell: ``num`` (a number or a change, right-aligned with tabular
    figures), ``nowrap`` (a date, or a short name such as a category or a city), or ``""``.

    >>> [cell_class(t) for t in ["12,345", "-3.5%", "上升2.00%", "1.2万", "2021-05-28", "学法", "市局党委集体学习宪法修正案全文"]]
    ['num', 'num', 'num', 'num', 'nowrap', 'nowrap', '']
    """
    text = str(text).strip()
    if _NUMBER.fullmatch(text) or _CHANGE.fullmatch(text):
        return "num"
    if _DATE.fullmatch(text) or (0 < len(text) <= SHORT_CELL and " " not in text):
        return "nowrap"
    return ""


def column_classes(rows: list[list[str]]) -> list[str]:
    """One class per column: ``num`` when every non-empty cell is a number, ``nowrap`` when every
    one is a number, date or short name, else ``""`` (the column wraps)."""
    width = max((len(r) for r in rows), default=0)
    out = []
    for i in range(width):
        kinds = {cell_class(r[i]) for r in rows if i < len(r) and str(r[i]).strip()}
        out.append("num" if kinds == {"num"} else "nowrap" if kinds and "" not in kinds else "")
    return out


@dataclass
class Chapter:
    """What one executed chapter contributes to the report."""

    name: str
    blocks: list[dict] = field(default_factory=list)
    charts: list[dict] = field(default_factory=list)
    tables: list[dict] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    title: str = ""


def title(params: dict) -> str:
    """The report's title, e.g. 东莞市公安局2021年法治政府建设年度报告."""
    return f"{params['organ']}{params['year']}年法治政府建设年度报告"


def apply_notes(chapters: list[Chapter], notes: dict[str, str]) -> None:
    """Attach the year's annex notes (``params/<year>.yaml`` → notes) to the recorded figures."""
    for ch in chapters:
        for fig in ch.figures:
            if fig["id"] in notes:
                fig["note"] = "；".join(n for n in (fig.get("note"), notes[fig["id"]]) if n)


def text_width(text: str) -> float:
    """Width in em: CJK characters and full-width punctuation 1, ASCII 0.5."""
    return sum(0.5 if ord(ch) < 128 else 1.0 for ch in text)


def balanced_lines(text: str, per_line: float, breaks: list[int] | None = None) -> list[str]:
    """Break a title into the fewest lines of at most ``per_line`` em, as even as possible,
    preferring the given break positions (e.g. after the organ's name or after 年).

    >>> balanced_lines("广东省东莞市公安局2021年法治政府建设年度报告", 20, [9, 14])
    ['广东省东莞市公安局2021年', '法治政府建设年度报告']
    >>> balanced_lines("东莞市公安局2021年法治政府建设年度报告", 20, [6, 11])
    ['东莞市公安局2021年法治政府建设年度报告']
    """
    if text_width(text) <= per_line:
        return [text]
    candidates = [i for i in (breaks or []) if 0 < i < len(text)]
    fitting = [i for i in candidates if max(text_width(text[:i]), text_width(text[i:])) <= per_line]
    if not fitting:  # any position between two characters, not inside a run of digits
        fitting = [
            i
            for i in range(1, len(text))
            if not (text[i - 1].isdigit() and text[i].isdigit())
            and text_width(text[:i]) <= per_line
        ]
    best = min(fitting, key=lambda i: abs(text_width(text[:i]) - text_width(text[i:])))
    return [text[:best], *balanced_lines(text[best:], per_line)]


TITLE_EM_PER_LINE = 156 / (
    22 * 25.4 / 72
)  # text block width over the 2号 (22 pt) character: about 20


def title_lines(params: dict, per_line: float = TITLE_EM_PER_LINE) -> list[str]:
    """The title, broken into balanced lines for the 156 mm text block."""
    text = title(params)
    organ = len(params["organ"])
    year_end = text.find("年", organ) + 1
    return balanced_lines(text, per_line, [organ, year_end])


def _number(value) -> str:
    if value in (None, ""):
        return ""
    return fmt.number(value, 0) if float(value) == int(float(value)) else fmt.number(value, 2)


def source_text(source) -> str:
    """The source tables of a figure by their Chinese names, for the published annex
    (``verification_persons`` → 核查人员表); a name the contract does not know stays as it is."""
    import re

    from helpers.data.contract import TABLES

    def zh(match: re.Match) -> str:
        table = TABLES.get(match.group(0))
        return table.zh if table else match.group(0)

    return re.sub(r"[a-z][a-z0-9_]*", zh, str(source or ""))


def annex_rows(chapters: list[Chapter]) -> list[dict]:
    """Figures for the data annex, with prior year and change written out."""
    rows = []
    for ch in chapters:
        for f in ch.figures:
            change = f.get("change")
            change_text = (
                fmt.change(change, 2) if change is not None and f.get("unit") != "%" else ""
            )
            row = {
                **f,
                "prior_text": _number(f.get("prior")),
                "change_text": change_text,
                "source": source_text(f.get("source")),
            }
            for key in ("display", "definition", "note", "label"):  # a long list of names …
                if isinstance(row.get(key), str):
                    row[key] = cell_text(row[key], 300)
            rows.append(row)
    return rows


def chapter_title(ch: Chapter) -> str:
    """A chapter's name in the annex: its lead or heading, without the closing 。"""
    for b in ch.blocks:
        if b.get("lead") or b["kind"] == "heading":
            return (b.get("lead") or b["text"]).rstrip("。")
    return ch.name


DRAFT_MARK = "征求意见稿"


def left_out(chapters: list[Chapter], warnings: list[str] | None = None) -> list[dict]:
    """What the report could not state — sentences left out (missing tables, claims the data does
    not back), and warnings about the data — each with the chapter it is in. Anything here makes
    the report a draft (征求意见稿)."""
    out = []
    for ch in chapters:
        for b in ch.blocks:
            for item in b.get("left_out", []):
                out.append({**item, "chapter": chapter_title(ch)})
    out += [{"text": "", "why": w, "claim": False, "chapter": "数据检查"} for w in warnings or []]
    return out
