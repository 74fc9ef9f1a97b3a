"""Check a report as edited by hand against the data: every figure it states, and those that differ.

``check_document(path, year)`` reads the official text (``doctext``), computes every figure of the
year from the raw tables (``figures.compute_all``, no kernels), and compares them:

1. **Statements.** Every number the text states is read with its wording (``statements``):
   235万人, 30多个, 2300余万元, 上升12.35%, a direction shared along a list (分别同比下降12.3%、
   4.5%、0.6% states three falls), 全省第1, 降幅为近5年 …
2. **What to look for** comes from each Figure, never from a figure's id: its display is read
   the same way (so a display that changes form still works); the value, unit, change and
   direction say what agrees with the data. A display listing dates (3月19日/…) or names
   (塘厦分局、樟木头分局) is checked as a list, one in words (较上年下降) by its direction word.
3. **Cue words** (``cues``). A figure's cue is its label and the words around its ``{F020}``
   slot in the year's narrative; a statement's, the words around it in the document; both as
   Chinese bigrams weighted by closeness to the number, so other wording still matches.
4. **Locating** (``locate``). Figures in the narrative's order are aligned with the statements
   of compatible shape (unit or its kin: 人/名/人次) in the document's order, maximising the cue
   scores (plus a little where the value agrees). A statement that differs from the data is
   reported only when its cue is strong and clearly better than any other statement's between
   its neighbours, or when it is the only candidate there: a figure not confidently located is
   "not found", never compared with the wrong number. Figures stated out of the narrative's
   order are then matched best first, by the same rule.
"""

from __future__ import annotations

import bisect
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import NamedTuple

from helpers import fmt, paths
from helpers.check.cues import (
    Bag,
    contexts,
    narrative_cues,
    similarity,
    window_bag,
    words_bag,
    words_similarity,
)
from helpers.check.doctext import normalise, read_text
from helpers.check.statements import CLAIM_WORD, DATE, OPPOSITE, Statement, kin, sign, statements
from helpers.errors import DataError
from helpers.figures import Figure

# ------------------------------------------------------------------ thresholds (see ``locate``)
IN_ORDER_CUE = 0.20  # a statement in the narrative's order that agrees with the data: from this cue
AGREE_CUE = 0.40  # one out of that order
DIFFER_CUE = 0.45  # a statement that differs is reported only from this cue score
MARGIN = 0.12  # … and only when no other statement of its shape comes this close
ALONE_CUE = 0.30  # or from this one when it is the only candidate between its neighbours
LIST_CUE = 0.30  # a list of names is located from this cue (of its label), besides its names
VALUE_BONUS = 0.25  # agreeing with the data makes a statement likelier to be the figure's
TOPIC_WEIGHT = 0.3  # words of the sentence farther away add this much at most


# ------------------------------------------------------------------ results
KINDS = {"value": "数值不符", "direction": "方向不符"}


class Difference(NamedTuple):
    """A figure the document states otherwise than the data: 文中写作 vs 数据为."""

    id: str
    says: str
    gives: str
    kind: str  # "value" (数值) or "direction" (方向)


@dataclass
class Finding:
    """Where and how the document states one figure."""

    id: str
    label: str
    says: str
    gives: str
    agrees: bool
    kind: str  # "" when it agrees, else "value" or "direction"
    excerpt: str
    position: int
    score: float


@dataclass
class CheckResult:
    """What ``check_document`` found: every figure located, those that differ, those not found."""

    file: Path
    year: int
    found: dict[str, Finding] = field(default_factory=dict)
    not_found: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # every figure's label, by id

    @property
    def differences(self) -> list[Difference]:
        """(id, document says, data gives, kind) of every figure stated otherwise than the data."""
        return [
            Difference(f.id, f.says, f.gives, f.kind)
            for f in sorted(self.found.values(), key=lambda f: f.id)
            if not f.agrees
        ]

    @property
    def ok(self) -> bool:
        """True when every figure the document states agrees with the data."""
        return not self.differences

    def lines(self, every: bool = False) -> list[str]:
        """The result for the reader, in Chinese: each difference with what the document says and
        what the data gives (``every``: each figure found), then the figures not found."""
        total = len(self.found) + len(self.not_found)
        diffs = [f for f in self.found.values() if not f.agrees]
        out = [f"文件：{self.file}（{self.year}年数据）"]
        out.append(
            f"找到 {len(self.found)} / {total} 项数据，"
            + (f"{len(diffs)} 项与数据不符：" if diffs else "均与数据一致。")
        )
        for f in self.found.values() if every else diffs:
            verdict = "与数据一致" if f.agrees else f"{KINDS[f.kind]}"
            out.append(f"  {f.id} {f.label}：文中写作“{f.says}”，数据为“{f.gives}”（{verdict}）")
            if not f.agrees or every:
                out.append(f"      原文：{f.excerpt}")
        if self.not_found:
            named = "、".join(f"{i} {self.labels.get(i, '')}".strip() for i in self.not_found)
            out.append(f"未找到 {len(self.not_found)} 项（文中未写，或无法确定写在哪里）：{named}")
        return out


# ------------------------------------------------------------------ what each figure looks like
@dataclass
class Expect:
    """One number a figure's display states, and what agrees with it."""

    figure: Figure
    shape: Statement  # the display's own statement
    index: int = 0
    count: int = 1
    truth: Decimal | None = None  # the exact value behind a rounded display (else: the display)
    sign: int | None = None  # the direction a word before the number must say (+1, -1, 0), if known
    words: Bag = field(default_factory=Bag)  # label and the display's words
    cue_slots: list = field(default_factory=list)  # (bigrams, order, (index, size)) of each slot
    order: float = math.inf  # position of the first slot in the narrative

    @property
    def id(self) -> str:
        return self.figure.id


def _decimal(x) -> Decimal | None:
    """A figure's value, change … as a Decimal (None when missing or not a finite number)."""
    if x is None or isinstance(x, bool):
        return None
    try:
        d = fmt.to_decimal(x)
    except (InvalidOperation, ValueError, TypeError):
        return None
    return d if d.is_finite() else None


def expectations(figures: Mapping[str, Figure]) -> tuple[list[Expect], list[Figure]]:
    """Numbers to look for, from each figure's display; and the figures that are lists."""
    units = {f.unit for f in figures.values()}
    numbers, lists = [], []
    for f in figures.values():
        display = normalise(str(f.display))
        if DATE.search(display):
            lists.append(f)
            continue
        shapes = [s for s in statements(display, units) if s.kind != "delta"]
        if not shapes and not re.search(r"\d", display):
            claim = CLAIM_WORD.search(display)
            if claim:  # a direction in words: 较上年下降
                pattern = re.escape(display[: claim.start()]) + CLAIM_WORD.pattern
                pattern += re.escape(display[claim.end() :])
                shape = Statement(0, len(display), Decimal(0), 0, "claim", unit=pattern)
                shape.word, shape.sign, shape.text = claim.group(), sign(claim.group()), display
                numbers.append(Expect(f, shape, words=words_bag(f.label)))
            elif re.search(r"[\u3400-\u9fff]", display):
                lists.append(f)  # names: 塘厦分局、樟木头分局
            continue
        words = words_bag(f.label + _words_of(display, shapes))
        for i, shape in enumerate(shapes):
            e = Expect(f, shape, i, len(shapes), words=words, sign=_direction(f, shape))
            if len(shapes) == 1:
                e.truth = _truth(f, shape)
            numbers.append(e)
    return numbers, lists


def _words_of(display: str, shapes: list[Statement]) -> str:
    """The display's own words around its numbers (以来最大 in 近5年以来最大)."""
    out, pos = [], 0
    for s in shapes:
        out.append(display[pos : s.start])
        pos = s.end
    out.append(display[pos:])
    return " ".join(out)


def _direction(f: Figure, shape: Statement) -> int | None:
    """The direction a figure's statement may be worded with: the display's own word (上升12.35%,
    降幅为近5年…), else the figure's direction when it has one, else its change on last year."""
    if shape.sign is not None:
        return shape.sign
    direction = getattr(f, "direction", None)
    if direction in ("up", "down", "flat"):
        return {"up": 1, "down": -1, "flat": 0}[direction]
    change = _decimal(f.change)
    if change is not None and shape.kind == "count":
        return (change > 0) - (change < 0)
    return None


def _truth(f: Figure, shape: Statement) -> Decimal | None:
    """The exact value behind a display, when the display is that value rounded (235万人 is
    2,345,000 people), so that the document may state it at another precision."""
    exact = _decimal(f.change) if shape.kind == "change" else _decimal(f.value)
    if exact is None:
        return None
    if shape.kind == "change":
        sign = (exact > 0) - (exact < 0)
        if sign != shape.sign and fmt.round_half_up(exact, shape.decimals) != 0:
            return None
    return exact if shape.fits(exact) else None


def claims(text: str, numbers: list[Expect], taken: list[Statement]) -> list[Statement]:
    """Where the text says what a figure displayed in words says (较上年下降), with any
    direction word in place of the figure's; not inside a number's statement."""
    out: dict[tuple[int, int], Statement] = {}
    for e in numbers:
        if e.shape.kind != "claim":
            continue
        for m in re.finditer(e.shape.unit, text):
            if any(st.start < m.end() and m.start() < st.end for st in taken if st.word != "持平"):
                continue
            word = CLAIM_WORD.search(m.group()).group()
            st = Statement(m.start(), m.end(), Decimal(0), 0, "claim", unit=e.shape.unit)
            st.word, st.sign, st.text = word, sign(word), m.group()
            out.setdefault((m.start(), m.end(), e.shape.unit), st)
    return list(out.values())


# ------------------------------------------------------------------ locating and comparing
def compatible(e: Expect, st: Statement) -> bool:
    """Whether a statement has the shape the figure's display has."""
    s = e.shape
    if st.kind != s.kind:
        return False
    if s.kind == "count":
        return kin(s.unit, st.unit)
    if s.kind == "claim":
        return s.unit == st.unit  # found by this figure's own pattern
    return True


def compare(e: Expect, st: Statement) -> tuple[bool, str, str]:
    """(agrees, kind of difference, what the data gives in the statement's wording)."""
    s = e.shape
    gives = _render(e, st)
    if s.kind in ("change", "claim") and st.sign != s.sign:
        return False, "direction", gives
    if st.word and e.sign is not None and st.sign != e.sign:  # 增幅为… where the data fell
        word = OPPOSITE.get(st.word, st.word) if e.sign else "持平"
        return False, "direction", st.text.replace(st.word, word, 1)
    if s.kind == "rank" and st.tie != s.tie:  # 全省第1 where the data has a tie, or the reverse
        return False, "value", gives
    if e.truth is not None:
        ok = st.fits(e.truth)
    elif st.form()[1:4] == s.form()[1:4]:
        d = min(st.decimals, s.decimals)
        ok = fmt.round_half_up(st.number, d) == fmt.round_half_up(s.number, d)
    else:
        ok = True  # a claim in words, or a number we only know as displayed in another form
    return ok, ("" if ok else "value"), gives


def _render(e: Expect, st: Statement) -> str:
    """The data's value in the statement's own wording (the display when the wording is the same)."""
    s = e.shape
    if e.truth is None or st.form() == s.form() or s.kind == "rank":
        return s.text
    return st.say(e.truth, unit=st.unit if s.kind == "count" else s.unit)


@dataclass
class _Pair:
    """A statement as a candidate for one of a figure's numbers."""

    e: Expect
    st: Statement
    cue: float
    score: float
    agrees: bool
    kind: str
    gives: str


def _cue(e: Expect, near: Bag, st: Statement) -> float:
    """Cue score of a statement for a figure: narrative context or label, whichever fits best."""
    best = words_similarity(e.words, near)
    for bag, _order, (index, size) in e.cue_slots:
        sim = max(similarity(bag, near), 0.85 * similarity(bag, near, "merged"))
        sim += TOPIC_WEIGHT * similarity(bag, near, "topic")
        if size > 1 and st.size == size:
            sim += 0.15 if index == st.index else -0.25
        best = max(best, sim)
    if e.count > 1 and st.size == e.count:
        best += 0.15 if e.index == st.index else -0.25
    return best


def locate(text: str, numbers: list[Expect], found: list[Statement]) -> list[_Pair]:
    """Match figures to statements.

    The figures, in the narrative's order, are aligned with the statements, in the document's
    order: the alignment of highest total score, as when comparing two sequences. A pair that
    differs from the data is kept only when its cue is strong and clearly better than any other
    statement's between its neighbours, or when it is the only candidate there. The figures left
    (not in the narrative, or stated in another order) are then matched best pair first, with the
    same rule against every statement left.
    """
    near = contexts(text, found)
    pairs: list[_Pair] = []
    for e in numbers:
        for st in found:
            if not compatible(e, st):
                continue
            cue = _cue(e, near[id(st)], st)
            if cue < IN_ORDER_CUE:
                continue
            agrees, kind, gives = compare(e, st)
            score = cue + (VALUE_BONUS if agrees else 0.0)
            pairs.append(_Pair(e, st, cue, score, agrees, kind, gives))
    chosen = _confident(_align(pairs), pairs)
    taken = {p.st.start for p in chosen.values()}
    rest = [p for p in pairs if _key(p.e) not in chosen and p.st.start not in taken]
    chosen |= _assign(rest)
    return list(chosen.values())


def _key(e: Expect) -> str:
    return f"{e.id}#{e.index}"


def _align(pairs: list[_Pair]) -> list[_Pair]:
    """The pairs of an order-keeping alignment of highest total score (figures without a place in
    the narrative are left out)."""
    expects = sorted(
        {_key(p.e): p.e for p in pairs if not math.isinf(p.e.order)}.values(),
        key=lambda e: (e.order, e.index),
    )
    starts = sorted({p.st.start for p in pairs})
    col = {s: j for j, s in enumerate(starts)}
    weight: list[dict[int, _Pair]] = [{} for _ in expects]
    row = {_key(e): i for i, e in enumerate(expects)}
    for p in pairs:
        if _key(p.e) in row:
            weight[row[_key(p.e)]][col[p.st.start]] = p
    n, m = len(expects), len(starts)
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(1, n + 1):
        here, above, w = best[i], best[i - 1], weight[i - 1]
        for j in range(1, m + 1):
            p = w.get(j - 1)
            here[j] = max(above[j], here[j - 1], above[j - 1] + p.score if p else -1.0)
    out, i, j = [], n, m
    while i and j:
        p = weight[i - 1].get(j - 1)
        if p and best[i][j] == best[i - 1][j - 1] + p.score:
            out.append(p)
            i, j = i - 1, j - 1
        elif best[i][j] == best[i - 1][j]:
            i -= 1
        else:
            j -= 1
    return out[::-1]


def _confident(aligned: list[_Pair], pairs: list[_Pair]) -> dict[str, _Pair]:
    """The aligned pairs to keep: every agreement, and a difference only when no other statement
    between its neighbours comes close (or none is there and its cue is fair)."""
    taken = {p.st.start for p in aligned}
    chosen = {}
    for k, p in enumerate(aligned):
        if not p.agrees:
            lo = aligned[k - 1].st.start if k else -1
            hi = aligned[k + 1].st.start if k + 1 < len(aligned) else math.inf
            others = [
                q.score
                for q in pairs
                if q.e is p.e and q is not p and q.st.start not in taken and lo < q.st.start < hi
            ]
            clear = p.cue >= DIFFER_CUE and p.score - max(others, default=0.0) >= MARGIN
            if not (clear or (not others and p.cue >= ALONE_CUE)):
                continue
        chosen[_key(p.e)] = p
    return chosen


def _assign(pairs: list[_Pair]) -> dict[str, _Pair]:
    """Best pair first, one statement per figure: an agreement needs a fair cue, a difference a
    strong cue clearly better than any other statement's for that figure."""
    scores: dict[str, list[float]] = {}
    for p in pairs:
        scores.setdefault(_key(p.e), []).append(p.score)
    chosen: dict[str, _Pair] = {}
    used: set[int] = set()
    for p in sorted(pairs, key=lambda p: -p.score):
        key = _key(p.e)
        if key in chosen or p.st.start in used:
            continue
        if p.agrees and p.cue < AGREE_CUE:
            continue
        if not p.agrees:
            others = sorted(scores[key], reverse=True)[1:]
            if p.cue < DIFFER_CUE or p.score - (others[0] if others else 0.0) < MARGIN:
                continue
        chosen[key] = p
        used.add(p.st.start)
    return chosen


# ------------------------------------------------------------------ lists of dates and names
def _lcs(a: list[str], b: list[str]) -> int:
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            table[i + 1][j + 1] = (
                table[i][j] + 1 if x == y else max(table[i][j + 1], table[i + 1][j])
            )
    return table[-1][-1]


def _date_runs(dates: list[tuple[int, int, str, int]], n: int):
    """Runs of ``n`` dates that follow each other in one paragraph (all of a paragraph's dates
    when it has fewer): a list of dates is stated in one paragraph, not gathered from several."""
    by_paragraph: dict[int, list] = {}
    for d in dates:
        by_paragraph.setdefault(d[3], []).append(d)
    for run in by_paragraph.values():
        for k in range(max(1, len(run) - n + 1)):
            yield run[k : k + n]


def _date_list(text: str, f: Figure, dates: list[tuple[int, int, str, int]], used: set[int]):
    """A figure listing dates (3月19日/3月26日…, 10月26日常务副局长、…): the run of dates in one
    paragraph of the text that shares most of them, in order (only the dates are compared)."""
    display = normalise(str(f.display))
    listed = display.rsplit(":", 1)[-1]
    items = [i for i in re.split(r"[、/]", listed) if DATE.match(i)]
    if not items:
        return None
    want = [DATE.match(i).group() for i in items]
    words = words_bag(f.label + " ".join(DATE.sub(" ", i) for i in items))
    n, best = len(want), None
    for window in _date_runs(dates, n):
        if any(d[0] in used for d in window):
            continue
        got = [d[2] for d in window]
        shared = _lcs(got, want)
        cue = words_similarity(words, window_bag(text, window[0][0], window[-1][1]))
        if best is None or (shared, cue) > (best[0], best[1]):
            best = (shared, cue, window, got)
    if best is None:
        return None
    shared, cue, window, got = best
    agrees = got == want
    if shared < max(1, math.ceil(n / 2)) or (not agrees and shared < 2 and cue < DIFFER_CUE):
        return None
    sep = "/" if "/" in listed else "、"
    used.update(d[0] for d in window)
    return Finding(
        f.id, f.label, sep.join(got), sep.join(want), agrees, "" if agrees else "value",
        _excerpt(text, window[0][0], window[-1][1]), window[0][0], float(shared) / n + cue,
    )  # fmt: skip


def _name_list(text: str, f: Figure):
    """A figure listing names (塘厦分局、樟木头分局): the enumeration in the text that names most of them."""
    items = [i for i in re.split(r"[、/]", normalise(str(f.display))) if i]
    words = words_bag(f.label)
    n, best = len(items), None
    splitter = "、" if any(ch in i for i in items for ch in "和及与") else r"、|和|及|与"
    suffix = os.path.commonprefix([i[::-1] for i in items])[::-1] if n > 1 else ""
    for m in re.finditer(r"[^,;:。!?\n]+", text):  # each clause
        clause = m.group()
        if not any(i in clause for i in items):
            continue
        parts = re.split(splitter, clause)
        for k in range(len(parts) - n + 1):
            window = parts[k : k + n]
            got = [
                _name_in(
                    part,
                    want,
                    "only" if n == 1 else "first" if j == 0 else "last" if j == n - 1 else "",
                    suffix,
                )
                for j, (part, want) in enumerate(zip(window, items, strict=True))
            ]
            shared = sum(g == w for g, w in zip(got, items, strict=True))
            cue = words_similarity(words, window_bag(text, m.start(), m.end()))
            if best is None or (shared, cue) > (best[0], best[1]):
                best = (shared, cue, got, m.start() + clause.find(window[0]), m.end())
    if best is None:
        return None
    shared, cue, got, start, end = best
    agrees = got == items
    if shared < max(1, math.ceil(n / 2)) or cue < (LIST_CUE if agrees else DIFFER_CUE):
        return None
    return Finding(
        f.id, f.label, "、".join(got), "、".join(items), agrees, "" if agrees else "value",
        _excerpt(text, start, end), start, float(shared) / n + cue,
    )  # fmt: skip


LEAD_WORDS = re.compile(r".*(?:同时对|对|向|在|为|将|由|经|把|给|其中|是)")


def _name_in(part: str, want: str, where: str, suffix: str) -> str:
    """The name a piece of an enumeration gives where ``want`` is expected: the first piece may
    begin with other words (同时对塘厦分局), the last one go on (樟木头分局开展…)."""
    if where == "first":
        if part.endswith(want):
            return want
        return LEAD_WORDS.sub("", part) or part[-len(want) :]
    if where == "last":
        if part.startswith(want):
            return want
        return (
            part[: part.index(suffix) + len(suffix)]
            if suffix and suffix in part
            else part[: len(want)]
        )
    if where == "only":
        return want if want in part else part
    return part


def _excerpt(text: str, start: int, end: int, before: int = 24, after: int = 10) -> str:
    """The words around a statement, within its paragraph (a long list cut in the middle)."""
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    hi = len(text) if hi < 0 else hi
    a, b = max(lo, start - before), min(hi, end + after)
    middle = text[a:b] if b - a <= 90 else text[a : start + 30] + "……" + text[end - 30 : b]
    return ("…" if a > lo else "") + middle + ("…" if b < hi else "")


# ------------------------------------------------------------------ the check
def check_text(
    text: str,
    figures: Mapping[str, Figure],
    year: int,
    file: Path | str = "",
    narrative_dir: Path | None = None,
) -> CheckResult:
    """Locate every figure in a report's text and compare it with the data (``figures``); the
    narrative of ``year`` (in ``narrative_dir``, default data/narrative) gives the cue words."""
    text = normalise(text)
    numbers, lists = expectations(figures)
    cues = narrative_cues(year, narrative_dir)
    for e in numbers:
        e.cue_slots = cues.get(e.id, [])
        e.order = min((order for _, order, _ in e.cue_slots), default=math.inf)
    units = {f.unit for f in figures.values()}
    found = statements(text, units)
    found = sorted(found + claims(text, numbers, found), key=lambda st: st.start)
    result = CheckResult(Path(file), year)
    by_figure: dict[str, list[_Pair]] = {}
    for p in locate(text, numbers, found):
        by_figure.setdefault(p.e.id, []).append(p)
    for fid, ps in by_figure.items():
        ps.sort(key=lambda p: p.e.index)
        kinds = [p.kind for p in ps if p.kind]
        result.found[fid] = Finding(
            fid,
            figures[fid].label,
            "、".join(p.st.text for p in ps),
            "、".join(p.gives for p in ps),
            not kinds,
            "direction" if "direction" in kinds else (kinds[0] if kinds else ""),
            _excerpt(text, ps[0].st.start, ps[-1].st.end),
            ps[0].st.start,
            min(p.cue for p in ps),
        )
    breaks = [m.start() for m in re.finditer("\n", text)]
    dates = [
        (m.start(), m.end(), m.group(), bisect.bisect(breaks, m.start()))  # its paragraph
        for m in DATE.finditer(text)
    ]
    used: set[int] = set()
    for f in sorted(lists, key=lambda f: -len(str(f.display))):
        finding = (
            _date_list(text, f, dates, used) if DATE.search(str(f.display)) else _name_list(text, f)
        )
        if finding:
            result.found[f.id] = finding
    result.found = dict(sorted(result.found.items()))
    # a figure the year's narrative never states is no figure missing from the text (F052 in
    # 2022); without a narrative every figure is looked for
    stated = set(cues) if cues else set(figures)
    result.not_found = sorted(set(figures) & stated - set(result.found))
    result.labels = {fid: f.label for fid, f in figures.items()}
    return result


def check_document(
    path: Path | str,
    year: int,
    data_dir: Path | str | None = None,
    params_dir: Path | None = None,
    figures: Mapping[str, Figure] | None = None,
    workspace=None,
) -> CheckResult:
    """Check the report in ``path`` (.docx, .pdf, .html or .txt) against the data of ``year``.

    The figures are those of the workspace's report (its report.yaml; default: the project's),
    computed from the raw tables in ``data_dir`` (default: the workspace's data/raw) for the city
    in its ``params/<year>.yaml``, and found by the words around them in its narrative; pass
    ``figures`` to reuse ones already computed. Raises DocumentError when the file cannot be
    read.
    """
    from helpers.workspace import Workspace

    ws = Workspace.of(workspace)
    text = read_text(path)
    if figures is None:
        from helpers.figures import compute_all
        from helpers.inputs.params import load_params

        params = load_params(year, params_dir or ws.params)
        folder = paths.data_dir(data_dir) if data_dir is not None or ws.is_project else ws.data
        if not folder.is_dir():
            raise DataError(
                f"没有原始数据表：{folder} 不是文件夹",
                fix="用 --data-dir 指定存放导出数据的文件夹（各表为 <表名>/<年>.csv）",
            )
        figures = compute_all(year, folder, city=params["city"], workspace=ws)
        if not figures:
            raise DataError(
                f"无法计算 {year} 年的任何数字：{folder} 中没有 {year} 年的原始数据表",
                fix="用 --data-dir 指定存放导出数据的文件夹（各表为 <表名>/<年>.csv）",
            )
    return check_text(text, figures, year, path, ws.narrative)
