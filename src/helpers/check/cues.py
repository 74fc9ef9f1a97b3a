"""Cue words: the words around a number, to tell which figure a statement states.

The words on each side of a number, up to the end of its sentence, become Chinese character
pairs (bigrams) weighted by their closeness to the number: the same words in another order or
among other words still count, and the nearest count most. Other numbers are gaps. The same is
done around each ``{F020}`` slot of the year's narrative (``data/narrative/<year>.yaml``), so a
figure's cue is the words its own text puts around it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping
from decimal import Decimal
from pathlib import Path

import yaml

from helpers import paths
from helpers.check.doctext import normalise
from helpers.check.statements import Statement, group

log = logging.getLogger(__name__)

HALF_WEIGHT = 6  # a cue word this many characters from the number counts half
REACH = 40  # characters read on each side of a number
BOUNDARY = set("。;!?\n")  # the end of a sentence
CJK = re.compile(r"[\u3400-\u9fffA-Za-z]")
SLOT = re.compile(r"\{(\w+)\}")
HOLE = "\ue000"  # where a figure's slot is, in a template


class Bag(dict):
    """Bigrams near a number, keyed (side, pair), each with the weight of its closest occurrence
    (1 next to the number). Side "before"/"after", "" for either side, "*" for anywhere in the
    sentence (weight 1)."""

    def add(self, key, weight: float) -> None:
        if weight > self.get(key, 0.0):
            self[key] = weight


def _side(text: str, pos: int, step: int, holes: list[tuple[int, int]]) -> list[str | None]:
    """Characters read from ``pos`` outwards (``step`` −1: before, +1: after), nearest first,
    up to the end of the sentence; another number or a punctuation mark is a gap (None)."""
    out: list[str | None] = []
    i = pos if step > 0 else pos - 1
    while 0 <= i < len(text) and len(out) < REACH:
        hole = next((h for h in holes if h[0] <= i < h[1]), None)
        if hole:
            out.append(None)
            i = hole[1] if step > 0 else hole[0] - 1
            continue
        if text[i] in BOUNDARY:
            break
        out.append(text[i] if CJK.match(text[i]) else None)
        i += step
    return out


def _add(chars: list[str | None], side: str, bag: Bag, offset: int = 0) -> None:
    """Add the bigrams of a nearest-first character list to ``bag`` with closeness weights."""
    for d in range(len(chars) - 1):
        a, b = chars[d], chars[d + 1]
        if a is None or b is None:
            continue
        pair = b + a if side == "before" else a + b  # in reading order
        weight = 0.5 ** ((d + offset) / HALF_WEIGHT)
        bag.add((side, pair), weight)
        bag.add(("", pair), weight)
        bag.add(("*", pair), 1.0)


def span(st: Statement, by_group: Mapping[int, list[Statement]]) -> tuple:
    """What ``context`` needs of a statement: its place, and its list's first start and last end."""
    run = by_group[st.group]
    return (run[0].start, run[-1].end, st.index, st.size)


def context(text: str, where: tuple, holes: list[tuple[int, int]]) -> Bag:
    """The weighted bigrams around a statement or slot (``where`` from ``span``). In a list of n
    numbers after a list of n names (甲、乙、丙分别同比下降X、Y、Z) the i-th name is read as next
    to the i-th number."""
    first_start, last_end, index, size = where
    bag = Bag()
    before = _side(text, first_start, -1, holes)
    clause = "".join(c or "|" for c in reversed(before))
    names = re.split(r"[,:;|]", clause)[-1].split("、") if size > 1 and clause else []
    if len(names) >= size > 1:
        own = names[len(names) - size + index]
        own_chars = [c if CJK.match(c) else None for c in reversed(own)]
        _add(own_chars, "before", bag)
        _add(before, "before", bag, offset=len(own_chars))
    else:
        _add(before, "before", bag)
    _add(_side(text, last_end, 1, holes), "after", bag)
    return bag


def contexts(text: str, found: list[Statement]) -> dict[int, Bag]:
    """The context of each statement of a text, by ``id(statement)``."""
    by_group: dict[int, list[Statement]] = {}
    for st in found:
        by_group.setdefault(st.group, []).append(st)
    holes = sorted((st.start, st.end) for st in found)
    return {id(st): context(text, span(st, by_group), holes) for st in found}


def similarity(cue: Bag, near: Bag, how: str = "sided") -> float:
    """How much of the cue's weight is found as close to the statement (0–1): on the same side
    of the number (``sided``), on either side (``merged``), or anywhere in its sentence (``topic``)."""
    sides = {"sided": ("before", "after"), "merged": ("",), "topic": ("*",)}[how]
    keys = [k for k in cue if k[0] in sides]
    total = sum(cue[k] for k in keys)
    if not total:
        return 0.0
    return sum(min(cue[k], near.get(k, 0.0)) for k in keys) / total


def words_bag(text: str) -> Bag:
    """Bigrams of a label or a display's words, all weighted 1 (matched on either side)."""
    chars = [c if CJK.match(c) else None for c in normalise(text)]
    bag = Bag()
    for a, b in zip(chars, chars[1:], strict=False):
        if a and b:
            bag[("", a + b)] = 1.0
    return bag


def words_similarity(words: Bag, near: Bag) -> float:
    """How close to the statement a label's words are, on average (0–1)."""
    return sum(near.get(k, 0.0) for k in words) / len(words) if words else 0.0


def window_bag(text: str, start: int, end: int) -> Bag:
    """Every bigram from ``REACH`` characters before ``start`` to as many after ``end``, weight 1."""
    chars = text[max(0, start - REACH) : end + REACH]
    bag = Bag()
    for a, b in zip(chars, chars[1:], strict=False):
        if CJK.match(a) and CJK.match(b):
            bag[("", a + b)] = 1.0
    return bag


# ------------------------------------------------------------------ the narrative's slots
def narrative_cues(
    year: int, folder: Path | None = None
) -> dict[str, list[tuple[Bag, int, tuple]]]:
    """For each figure id, the context of each of its slots in the year's narrative, with the
    slot's place in the text (1, 2 … in reading order) and its (index, size) in a list of slots.
    No narrative file: no cues (figures are then located by their labels)."""
    path = (folder or paths.NARRATIVE) / f"{year}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        log.warning("没有 %d 年的文字线索（%s）：按数字的名称查找它们", year, exc)
        return {}
    cues: dict[str, list] = {}
    order = 0
    for template in _templates(data):
        ids: list[str] = []

        def slot(m: re.Match, ids: list[str] = ids) -> str:
            if re.fullmatch(r"F\d+", m.group(1)):
                ids.append(m.group(1))
                return HOLE
            return ""  # a word slot ({study_list}): not a figure's cue

        text = normalise(SLOT.sub(slot, template))
        slots = [
            Statement(m.start(), m.end(), Decimal(0), 0, "slot") for m in re.finditer(HOLE, text)
        ]
        group(text, slots)  # slots listed together, as statements are
        by_group: dict[int, list[Statement]] = {}
        for it in slots:
            by_group.setdefault(it.group, []).append(it)
        holes = [(it.start, it.end) for it in slots]
        for fid, it in zip(ids, slots, strict=True):
            order += 1
            bag = context(text, span(it, by_group), holes)
            cues.setdefault(fid, []).append((bag, order, (it.index, it.size)))
    return cues


def _templates(node, key: str | None = None) -> Iterator[str]:
    """The texts of a narrative file, each as one string: a text made of pieces (a list, or
    ``{text: …, when: …}`` parts) is joined; ``items`` and ``paragraphs`` list separate texts."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, Mapping):
        if "text" in node:
            yield from (node[k] for k in ("text", "else") if isinstance(node.get(k), str))
            return
        for k, v in node.items():
            yield from _templates(v, k)
    elif isinstance(node, list):
        if key in ("items", "paragraphs"):
            for v in node:
                yield from _templates(v, "pieces" if isinstance(v, list) else None)
        else:
            yield "".join(_piece(v) for v in node)


def _piece(node) -> str:
    if isinstance(node, str):
        return node
    if isinstance(node, Mapping):
        return node["text"] if isinstance(node.get("text"), str) else ""
    if isinstance(node, list):
        return "".join(_piece(v) for v in node)
    return ""
