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

The file is checked before anything runs (``check``): every slot must name a figure or word of
its chapter, every claim word (上升、下降、最大、第N名 …) typed in a piece must be backed by the
piece's ``when``, and the file must be UTF-8 YAML without anchors or tabs.
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
    when: dict[str, str] = field(default_factory=dict)
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
            f"No narrative inputs for {year}: {path} does not exist.",
            fix=f"copy {example} to {path} and rewrite it for {year}"
            if example
            else f"write {path} with one section per chapter (name: text)",
        )
    data = parse_yaml(read_text(path, "the narrative", NarrativeError), path, NarrativeError) or {}
    if not isinstance(data, dict):
        raise NarrativeError(f"{path}: must hold one section per chapter (name: …).")
    return data


def load(year: int, chapter: str, folder: Path | str | None = None) -> Section:
    """One chapter's section of the year's narrative, checked for form."""
    path = narrative_file(year, Path(folder) if folder else None)
    return section(load_file(year, folder).get(chapter), chapter, path)


def section(raw: object, chapter: str, path: Path) -> Section:
    """Check a section's form and turn it into pieces."""
    if not isinstance(raw, dict):
        raise NarrativeError(
            f"{path}: chapter {chapter!r} is missing or not a mapping.",
            fix=f"add a section `{chapter}:` with items or paragraphs",
        )
    bad = sorted(set(raw) - KEYS)
    if bad:
        raise NarrativeError(
            f"{path}: {chapter} has unknown key(s) {bad}.",
            fix=f"use only {', '.join(sorted(KEYS))}",
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
                    f"{path}: {chapter}.{key} must be a list of texts.",
                    fix="write each as `- 文字`",
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
                f"{path}: {where} has key(s) {sorted(raw)}; a piece with a condition has "
                "`text`, `when` and optionally `else`.",
                fix='write it as  - text: "……"  and on the next lines  when: {F053: 下降}',
            )
        when = raw.get("when") or {}
        if not isinstance(when, dict):
            raise NarrativeError(
                f"{path}: {where}.when must map figure ids to conditions.",
                fix="write it as  when: {F053: 下降, F043: '>= 90'}",
            )
        text = _text(raw["text"], path, f"{where}.text")
        other = _text(raw["else"], path, f"{where}.else") if raw.get("else") else None
        return Piece(text, {str(k): str(v) for k, v in when.items()}, other)
    return Piece(_text(raw, path, where, line))


def _text(raw: object, path: Path, where: str, line: int = 0) -> Text:
    if not isinstance(raw, str):
        kind = {dict: "a mapping", list: "a list"}.get(type(raw), f"a {type(raw).__name__}")
        raise NarrativeError(
            f"{path} line {getattr(raw, 'line', line) or '?'}: {where} is {kind}, not text.",
            fix='put the text in quotes: "……"',
        )
    if len(raw) > MAX_PIECE_CHARS:
        raise NarrativeError(
            f"{path} line {raw.line}: {where} is {len(raw)} characters long "
            f"(at most {MAX_PIECE_CHARS} in one piece).",
            fix="split it into several items or paragraphs",
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
                        f"{sec.file} line {piece.line}: {sec.name}.{key} starts with the number "
                        f"“{m.group(1)}”; numbers are given by the chapter's place in report.yaml.",
                        fix=f"delete “{m.group(1)}”: the report numbers its chapters itself, so "
                        "dropping or adding a chapter renumbers the rest",
                    )
                )
    need = {1: "heading", 2: "lead"}.get(level)
    if need and not getattr(sec, need):
        what = "一、 heading" if level == 1 else "（一） lead"
        problems.append(
            NarrativeError(
                f"{sec.file}: {sec.name} is a level-{level} chapter in report.yaml, so it needs a"
                f" `{need}:` (its {what}).",
                fix=f'add  {need}: "……"  to the section {sec.name}: (without a number)',
            )
        )
    figures = [s for s in allowed if re.fullmatch(r"[A-Z]+\d+", s)]
    for where, entry in sec.entries():
        for piece in entry:
            texts = [piece.text] + ([piece.otherwise] if piece.otherwise else [])
            for text in texts:
                problems += _slot_problems(sec, where, text, allowed)
            conditions = []
            for fid, spec in piece.when.items():
                if fid not in figures:
                    problems.append(
                        _error(
                            sec,
                            piece.text,
                            f"the condition names {fid!r}, which is not a figure of this chapter",
                            _nearest(fid, figures),
                        )
                    )
                    continue
                try:
                    conditions.append(claims.parse_condition(fid, spec))
                except ValueError as exc:
                    problems.append(_error(sec, piece.text, str(exc), None))
            for claim in claims.uncovered(claims.find(piece.text), conditions):
                problems.append(_claim_error(sec, piece.text, claim))
            if piece.otherwise:
                for claim in claims.find(piece.otherwise):
                    problems.append(_claim_error(sec, piece.otherwise, claim, in_else=True))
    return problems


def _slot_problems(sec: Section, where: str, text: Text, allowed: dict) -> list[NarrativeError]:
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as exc:
        return [
            NarrativeError(
                f"{sec.file} line {text.line}: {sec.name}.{where} has a lone brace ({exc}).",
                fix="slots are written {F020} or {months}; remove the stray { or }",
            )
        ]
    out = []
    if "｛" in text or "｝" in text:
        out.append(
            NarrativeError(
                f"{sec.file} line {text.line}: {sec.name}.{where} has a full-width brace ｛ or ｝, "
                "which would be printed as it is.",
                fix="write slots with half-width braces: {F020} (switch the input method to 英文 for them)",
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
                    f"{sec.file} line {text.line}: the slot {shown} in {sec.name}.{where} is not "
                    "a plain name.",
                    fix="a slot is a name only, e.g. {F067} or {months}: no !r, :format, dots or brackets",
                )
            )
        elif name not in allowed:
            near = _nearest(name, list(allowed))
            out.append(
                NarrativeError(
                    f"{sec.file} line {text.line}: the slot {shown} in {sec.name}.{where} names no "
                    f"figure or word of the {sec.name} chapter.",
                    fix=(f"did you mean {near}? " if near else "")
                    + f"this chapter's slots: {', '.join(sorted(allowed))}",
                )
            )
    return out


def _nearest(name: str, names: list[str]) -> str | None:
    near = difflib.get_close_matches(name, names, n=3, cutoff=0.6)
    return " or ".join("{" + n + "}" for n in near) if near else None


def _error(sec: Section, text: Text, what: str, near: str | None) -> NarrativeError:
    return NarrativeError(
        f"{sec.file} line {text.line}: in {sec.name}, {what}.",
        fix=f"did you mean {near}?"
        if near
        else "name a figure id of this chapter (see metrics.csv)",
    )


def _claim_error(
    sec: Section, text: Text, claim: claims.Claim, in_else: bool = False
) -> NarrativeError:
    context = text[max(0, claim.start - 12) : claim.start + len(claim.word) + 8]
    if in_else:
        return NarrativeError(
            f"{sec.file} line {text.line}: the else text of {sec.name} says “{claim.word}” "
            f"(…{context}…), which nothing checks.",
            fix="the else text is said when the condition fails: keep claims of the numbers out of it",
        )
    what = {
        "up": "a rise",
        "down": "a fall",
        "flat": "no change",
        "record": "a record",
        "rank": "a rank",
        "share": "a share",
    }[claim.kind]
    need = {"up": "上升", "down": "下降", "flat": "持平"}.get(claim.kind)
    return NarrativeError(
        f"{sec.file} line {text.line}: {sec.name} states {what} with “{claim.word}” "
        f"(…{context}…), but no condition says which figure shows it.",
        fix="let a figure say it (its slot, e.g. {F053}, writes 上升/下降 from the data), or make this "
        'a piece with a condition:  - text: "……"  when: {F053: ' + (need or "'>= 90'") + "}",
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
                f"{path}: section(s) {extra} are no chapter of report.yaml.",
                fix="correct the section's name, or declare the chapter in report.yaml",
            )
        )
    for entry in entries:
        name = entry.name
        if name not in data:
            problems.append(
                NarrativeError(
                    f"{path}: the report of {year} has a chapter {name!r}, but the file has no"
                    f" section {name}:.",
                    fix=f"add a section `{name}:` with its text (copy it from last year's file)",
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
