"""A chapter's official text from its narrative section and the values its tables gave.

Pure functions, no notebook display: ``compose`` returns the blocks (heading, paragraph, note)
that ``report.narrate`` shows and the assembly reads. What the data cannot support is left out,
never guessed:

- a piece whose condition (``when``) does not hold is dropped, or replaced by its ``else``;
- a sentence (up to 。 or ；) whose slot the chapter could not compute is dropped;
- either way a note says what was left out and why (a missing table by its Chinese name and the
  path where its file was expected), and the report becomes a draft.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from decimal import Decimal

from helpers.errors import NarrativeError
from helpers.figures import Figure
from helpers.fmt import month_range, ordinal
from helpers.inputs import claims
from helpers.inputs.narrative import Entry, Section, slot_names

CLOSE = {"“": "”", "《": "》", "（": "）", "「": "」", "‘": "’", "【": "】"}
EXCERPT = 36  # characters of a left-out sentence quoted in the note


class _Slots(Mapping):
    """Figures by id for ``str.format_map``; in HTML each figure carries its provenance."""

    def __init__(self, figures: Mapping[str, object], as_html: bool):
        self.figures, self.as_html = figures, as_html

    def __getitem__(self, key):
        value = self.figures[key]
        if not self.as_html:
            return value
        if isinstance(value, Figure):
            tip = f"{value.label}：{value.definition}。来源：{value.source}，{value.rows}行"
            return _Raw(
                f'<span class="fig" tabindex="0" data-fig="{html.escape(value.id)}" '
                f'data-tip="{html.escape(tip)}">{html.escape(value.display)}</span>'
            )
        return _Raw(html.escape(str(value)))

    def __iter__(self):
        return iter(self.figures)

    def __len__(self):
        return len(self.figures)


class _Raw(str):
    def __format__(self, spec):
        return str(self)


def render(template: str, values: Mapping[str, object] | None = None, as_html: bool = False) -> str:
    """Fill ``{name}`` slots of a sentence with figures or words; HTML-escapes everything else."""
    values = values or {}
    missing = [f for f in slot_names(template) if f not in values]
    if missing:
        raise NarrativeError(
            f"文字中的位置 {'、'.join(missing)} 本章没有算出。",
            fix=f"改用本章的位置之一：{'、'.join(sorted(values))}",
        )
    if as_html:
        template = html.escape(template, quote=False)
    return template.format_map(_Slots(values, as_html))


def units(template: str) -> list[str]:
    """A text split into clauses that end in 。 or ； (not inside quotes, titles or brackets).

    >>> units("甲，乙；丙“丁。戊”。己")
    ['甲，乙；', '丙“丁。戊”。', '己']
    """
    out, start, depth = [], 0, []
    for i, ch in enumerate(template):
        if ch in CLOSE:
            depth.append(CLOSE[ch])
        elif depth and ch == depth[-1]:
            depth.pop()
        elif ch in "。；" and not depth:
            out.append(template[start : i + 1])
            start = i + 1
    if start < len(template):
        out.append(template[start:])
    return out


def _excerpt(template: str) -> str:
    text = re.sub(r"\{[^{}]*\}", "□", template).strip("，；。 ")
    if len(text) <= EXCERPT:
        return text
    cut = text[: EXCERPT - 1]
    return cut + "”" * (cut.count("“") - cut.count("”")) + "…"  # a quote cut open is closed


def _longest_common(a: str, b: str) -> int:
    """The length of the longest run of characters two texts share."""
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] not in b:
                break
            best = j - i
    return best


def _none_held(wrong: list[tuple[bool, str]]) -> str:
    """The reader's note on a piece none of whose groups of conditions holds."""
    if len(wrong) == 1:
        failed, why = wrong[0]
        return f"所述与本年数据不符：{why}" if failed else why
    return "所述与本年数据不符，所列几组条件无一成立：" + "；".join(
        f"第{i}组，{why}" for i, (_, why) in enumerate(wrong, 1)
    )


class _Composer:
    def __init__(
        self,
        values: Mapping[str, object],
        absent: Mapping[str, str],
        periods: Mapping[str, tuple] | None = None,
        reach: int | None = None,
        months_over: int = 12,
    ):
        self.values, self.absent = values, absent
        self.periods, self.reach, self.months_over = periods or {}, reach, months_over
        self.left_out: list[dict] = []
        self.dropped: list[tuple[str, str]] = []  # the templates left out, with why
        self.said: set[str] = set()

    def why_absent(self, slot: str) -> str:
        return self.absent.get(slot) or f"{slot} 未能由数据得出"

    def entry(self, entry: Entry) -> str:
        """The template of an entry after its conditions and missing slots are applied."""
        parts = []
        # figures whose clauses the periods leave out: no condition of a piece rests on them
        unstated = self.unstated_by_periods("".join(p.text for p in entry))
        for piece in entry:
            if not piece.when:
                parts.append(piece.text)
                continue
            so_far = "".join(parts)  # the piece's sentence up to it, and the piece
            sentence = so_far[so_far.rfind("。") + 1 :] + piece.text
            held, lacking, wrong = self.judge(piece, sentence, unstated)
            other = self.about_another(piece.text, sentence, held) if held else ""
            if other:
                self.drop(piece.text, other, claim=True)
            elif held:
                parts.append(piece.text)
            elif wrong and piece.otherwise is not None:
                parts.append(piece.otherwise)
            elif wrong:
                self.drop(piece.text, _none_held(wrong), claim=True)
            else:
                why = (self.why_absent(s) for s in lacking)
                self.drop(piece.text, "；".join(dict.fromkeys(why)))
        kept: list[str] = []
        # figures whose 0 the author's conditions allow (>= 0, == 0): 0 is said on purpose; a
        # condition 0 does not meet (> 0) leaves out its own piece, not the figure's clause
        named = {
            c.figure
            for piece in entry
            for group in piece.when
            for c in (claims.parse_condition(f, spec) for f, spec in group.items())
            if c.direction is None and c.holds(_ZERO)
        }
        for unit in units(self.stated_periods("".join(parts))):
            unit = self.without_zero_items(unit, named)
            lacking = [s for s in slot_names(unit) if s not in self.values]
            claimed = "" if lacking else self.raw_claims(unit) or self.zero_results(unit, named)
            if not lacking and not claimed:
                kept.append(unit)
                continue
            why = claimed or "；".join(dict.fromkeys(self.why_absent(s) for s in lacking))
            self.drop(unit, why, claim=bool(claimed))
            _close(kept, unit)
        text = "".join(kept)
        for slot in slot_names(text):  # a word stated with part of its raw text left out
            for what, why in getattr(self.values.get(slot), "caveats", []):
                if (slot, what) not in self.said:
                    self.said.add((slot, what))
                    self.drop(what, why)
        if text.endswith(("；", "，")):
            text = text[:-1] + "。"
        return text

    def judge(self, piece, sentence: str, unstated: dict[str, str]):
        """Whether any group of a piece's conditions holds; else the figures no value was found
        for, and why each group that could be judged fails (a condition on a figure whose
        period the text cannot state, or that the piece's own period word (全年…下降) does not
        fit, cannot be judged: that is its reason)."""
        lacking: list[str] = []
        wrong: list[tuple[bool, str]] = []  # (a condition failed, why)
        for group in piece.when:
            conditions = [claims.parse_condition(f, spec) for f, spec in group.items()]
            absent = [c.figure for c in conditions if c.figure not in self.values]
            if absent:
                lacking += absent
                continue
            unfit = self.condition_periods(sentence, conditions, unstated)
            failed = [c for c in conditions if not c.holds(self.values[c.figure])]
            if unfit:
                wrong.append((False, unfit))
            elif failed:
                wrong.append((True, "；".join(c.describe(self.values[c.figure]) for c in failed)))
            else:
                return conditions, [], []
        return None, lacking, wrong

    def about_another(self, text: str, sentence: str, conditions: list) -> str:
        """Why a piece whose conditions hold still cannot be said ("": it can): a claim word's
        clause names another figure of the chapter than those its conditions test (全年行政拘留
        人数同比{F056}，违法犯罪警情大幅上升 on F056 rising: 违法犯罪警情 is F053's); ``named_in``
        says which figures a clause names."""
        tested = {c.figure for c in conditions}
        offset = len(sentence) - len(text)
        for claim in claims.find(text):
            at = offset + claim.start
            start = max(sentence.rfind(mark, 0, at) for mark in "，；。、") + 1
            ends = [e for e in (sentence.find(mark, at) for mark in "，；。") if e >= 0]
            clause = claims.SLOT.sub("", sentence[start : min(ends, default=len(sentence))])
            named = self.named_in(clause)
            if named and not tested & set(named):
                other = self.values[named[0]]
                return (
                    f"所述对象与条件不符：“{clause}”说的是 {named[0]}（{other.label}），"
                    f"条件检验的是 {'、'.join(sorted(tested))}"
                )
        return ""

    def named_in(self, clause: str) -> list[str]:
        """The figures a clause names: those whose label (without 同比) it shares the longest
        run of characters with, four at least (刑事拘留人数 is F057's, though 拘留人数 is in
        F056's label too)."""
        labels = {
            fid: v.label.replace("同比", "")
            for fid, v in self.values.items()
            if isinstance(v, Figure) and v.label
        }
        shared = {fid: _longest_common(clause, label) for fid, label in labels.items()}
        best = max(shared.values(), default=0)
        return sorted(fid for fid, n in shared.items() if n == best) if best >= 4 else []

    def condition_periods(self, text: str, conditions: list, unstated: dict[str, str]) -> str:
        """Why a piece's conditions cannot be judged for the period it states ("" : they can):
        a figure they rest on was left out for its period, or the period word nearest before
        the piece's end, in its sentence (``text``), does not fit the figure's months
        (全年电诈警情大幅下降, over alarms that end in August)."""
        year = self.values.get("year")
        stated = claims.periods(text, year if isinstance(year, int) else None)[-1:]
        out = []
        for c in conditions:
            if c.figure in unstated:
                out.append(f"条件所依据的 {c.figure} 已因期间与数据不符略去")
                continue
            for p in stated:
                if p.month is None:
                    continue
                bad = [x for x in self.periods.get(c.figure, ()) if not x.fits(p.month)]
                if bad:
                    words = p.word.replace("{year}", str(year))
                    why = "；".join(x.describe() for x in bad)
                    out.append(f"所说的期间“{words}”与数据不符：{why}")
        return "；".join(dict.fromkeys(out))

    def unstated_by_periods(self, text: str) -> dict[str, str]:
        """The figures in clauses of ``text`` the periods leave out, with why (a dry run of
        ``stated_periods``: nothing is noted)."""
        if not self.periods and self.reach is None and self.months_over == 12:
            return {}
        noted, dropped = self.left_out, self.dropped
        self.left_out, self.dropped = [], []
        try:
            self.stated_periods(text)
            return {
                s: why
                for template, why in self.dropped
                for s in slot_names(template)
                if isinstance(self.values.get(s), Figure)
            }
        finally:
            self.left_out, self.dropped = noted, dropped

    def stated_periods(self, text: str) -> str:
        """The text with each ``{months}``/``{period}`` slot saying the months of its sentence's
        figures, and without the clauses whose figures do not count the period their sentence
        states (全年 before alarms that end in August)."""
        if not self.periods and self.reach is None and self.months_over == 12:
            return text
        kept: list[str] = []
        sentence: list[str] = []
        for unit in units(text):
            sentence.append(unit)
            if unit.endswith("。"):
                self.sentence_periods(sentence, kept)
                sentence = []
        self.sentence_periods(sentence, kept)
        return "".join(kept)

    def sentence_periods(self, sentence: list[str], kept: list[str]) -> None:
        """One sentence's clauses, checked against the periods it states, onto ``kept``: the
        figures after a period, up to the next one, are said to count it."""
        text = "".join(sentence)
        year = self.values.get("year")
        stated = claims.periods(text, year if isinstance(year, int) else None)
        if not stated:
            kept.extend(sentence)
            return
        said = {p: self.period_month(p, text, stated) for p in stated}
        start = 0
        for unit in sentence:
            end = start + len(unit)
            wrong: dict[claims.Period, list] = {}
            for m in re.finditer(r"\{(\w+)\}", unit):
                before = [p for p in stated if p.end <= start + m.start()]
                if not isinstance(self.values.get(m.group(1)), Figure):
                    continue  # words (names, dates), not counts of a period
                if not before or said[before[-1]][0] is None:
                    continue
                months = said[before[-1]][0]
                cover = self.periods.get(m.group(1), ())
                unfit = [c for c in cover if not c.fits(months)]
                if months > self.months_over:  # the year is not over
                    unfit.append(None)
                if unfit:
                    wrong.setdefault(before[-1], []).extend(unfit)
            if wrong:
                why = self.unfit(wrong, said)
                self.drop(self.with_periods(unit, start, stated, said), why, claim=True)
                _close(kept, unit)
            else:
                kept.append(self.with_periods(unit, start, stated, said))
            start = end

    def with_periods(self, unit: str, start: int, stated: list, said: dict) -> str:
        """The clause with its ``{months}``/``{period}`` slots replaced by what they say."""
        for p in sorted(stated, key=lambda p: -p.start):  # right to left: positions hold
            if p.month is None and start <= p.start < start + len(unit) and said[p][1]:
                unit = unit[: p.start - start] + said[p][1] + unit[p.end - start :]
        return unit

    def unfit(self, wrong: dict, said: dict) -> str:
        """The note on a clause left out: the period stated and what the records cover."""
        out = []
        for period, covers in wrong.items():
            words = said[period][1].replace("{year}", str(self.values.get("year")))
            why = list(dict.fromkeys("" if c is None else c.describe() for c in covers))
            if "" in why:
                why.remove("")
                why.insert(0, f"{self.values.get('year')}年还没有过完")
            if period.month is None and all(c and (c.partial or c.gap) for c in covers):
                out.append(f"本句数字的期间说不准：{'；'.join(why)}")
            elif period.month is None:  # a slot: the sentence's figures differ among themselves
                out.append(f"本句各数字涵盖的期间不同，不能都说成“{words}”：{'；'.join(why)}")
            else:
                out.append(f"所说的期间“{words}”与数据不符：{'；'.join(why)}")
        return "；".join(out)

    def period_month(self, period, text: str, stated: list) -> tuple[int | None, str]:
        """The last month a stated period says, and its words. A slot says the months of the
        first of its sentence's figures (after it, else before it) on a daily register whose
        months are known; failing that, how far the chapter's daily registers reach, and no
        less than the months its figures are known to reach; failing that, the chapter's own
        ``months`` word ((None, ""): the slot is left to it)."""
        if period.month is not None:
            return period.month, period.word
        following = [p.start for p in stated if p.start > period.start]
        after = slot_names(text[period.end : following[0] if following else len(text)])
        covers = [
            c for s in after + slot_names(text[: period.start]) for c in self.periods.get(s, ())
        ]
        known = [c.month for c in covers if c.daily and not (c.partial or c.gap)]
        others = [m for m in (self.reach,) if m is not None] + [
            c.month for c in covers if not c.daily
        ]
        if known:
            months = known[0]
        elif others:
            months = min(max(others), max(self.months_over, 1))
        elif covers:  # daily records that stop inside a month, or with a gap: nothing fits
            months = covers[0].month
        else:
            return None, ""
        if months < 1:  # records of January in part only
            return months, ""
        words = month_range(1, months)
        if period.word == "{period}" and months == 12:
            words = "全年"
        return months, words

    def raw_claims(self, unit: str) -> str:
        """Why a sentence cannot be printed as it is: raw-table text it quotes (a title, a
        name, a post) says 首次、最高、下降、第1名 … which no figure checks. Titles in 《》 are
        quoted documents, not claims; what the code computed (``Words.verified``) is checked."""
        for slot in slot_names(unit):
            value = self.values.get(slot)
            if isinstance(value, Figure):
                if not value.quoted:
                    continue
                text = value.display
            elif isinstance(value, str):
                text = value
            else:
                continue
            for part in getattr(value, "verified", ()):
                text = text.replace(part, "")
            text = re.sub(r"《[^》]*》", "", text)
            found = claims.find(text)
            if found:
                word = found[0].word
                context = text[max(0, found[0].start - 8) : found[0].start + len(word) + 8]
                return f"数据表中的文字“…{context}…”含有“{word}”，无从由数据核实"
        return ""

    def without_zero_items(self, unit: str, named: set[str]) -> str:
        """The clause without the items after the first of a list (、恶势力犯罪集团{F016}) that
        state 0 of something done or found (``zero_results``), each noted; unchanged when that
        does not leave it whole: a slot missing, a claim, or 0 in its first item (which holds
        the verb: the clause goes)."""
        if any(s not in self.values for s in slot_names(unit)) or self.raw_claims(unit):
            return unit
        cut: list[str] = []

        def item(m: re.Match) -> str:
            if self.zero_results(m[0], named):
                cut.append(m[0][1:])
                return ""
            return m[0]

        trimmed = _LATER_ITEM.sub(item, unit)
        if not cut or self.zero_results(trimmed, named):
            return unit
        for text in cut:
            self.drop(text, self.zero_results(text, named), claim=True)
        return trimmed

    def zero_results(self, unit: str, named: set[str]) -> str:
        """Why a clause is not said ("": it is): it states 0 of something done or found
        (``Figure.counted``: 打掉黑社会性质组织0个, 缴获毒品0公斤; 0.4 元 written 0元 too), which is
        no result to report, and no condition of its entry that 0 meets names that figure
        (``named``: ``when: {F015: '>= 0'}`` says 0 on purpose)."""
        zero = [
            self.values[s]
            for s in dict.fromkeys(slot_names(unit))
            if s not in named
            and getattr(self.values.get(s), "counted", False)
            and _NOUGHT.match(self.values[s].display)
        ]
        if not zero:
            return ""
        said = (claims.Condition(f.id, op=">", bound=Decimal(0)).describe(f) for f in zero)
        return f"所述与本年数据不符：{'；'.join(said)}"

    def drop(self, template: str, why: str, claim: bool = False) -> None:
        for slot in ("year", "next_year"):  # the year is quoted as itself, figures as □
            if isinstance(self.values.get(slot), int):
                template = template.replace("{" + slot + "}", str(self.values[slot]))
        self.left_out.append({"text": _excerpt(template), "why": why, "claim": claim})
        self.dropped.append((template, why))


# an item after the first of a list of figures: 、 right after a slot, then words and one
# slot, up to the next 、，；。 (抓获部、省目标逃犯{F019}: the 、 is inside the words)
_LATER_ITEM = re.compile(r"(?<=\})、[^、，；。{}]*\{\w+\}(?=[、，；。]|$)")
_NOUGHT = re.compile(r"0(?![\d.])")  # a display that states 0: 0个, 0元 (not 0.5万)
_ZERO = Figure("", "", 0, "", "0", "", "", 0)  # what a condition is asked of to allow 0


def _close(kept: list[str], dropped: str) -> None:
    """A clause ending its sentence left out: the clause kept before it ends the sentence."""
    if dropped.endswith("。") and kept and kept[-1].endswith("；"):
        kept[-1] = kept[-1][:-1] + "。"


def compose(
    section: Section,
    values: Mapping[str, object],
    absent: Mapping[str, str] | None = None,
    number: str = "",
    level: int = 0,
    periods: Mapping[str, tuple] | None = None,
    reach: int | None = None,
    months_over: int = 12,
) -> list[dict]:
    """The blocks of a chapter's text: heading, then one paragraph of lead + intro + 一是…二是… +
    closing (or several ``paragraphs``, then ``numbered`` ones （一）（二）…), then a note on
    anything left out. ``number`` (一、 or （三）, from report.yaml's order) goes before the
    heading of a level-1 chapter and before the lead of a level-2 one."""
    months = values.get("months")
    if values.get("period") == "全年" and months and months != month_range(1, 12):
        values = {**values, "period": months}  # the chapter's records end before December
    c = _Composer(values, absent or {}, periods, reach, months_over)
    blocks: list[dict] = []
    heading = c.entry(section.heading) if section.heading else ""
    if heading:
        text = render(heading, values)
        blocks.append(
            {"kind": "heading", "level": 1, "text": (number if level == 1 else "") + text}
        )
    lead = c.entry(section.lead) if section.lead else ""
    lead = ((number if level == 2 else "") + render(lead, values)) if lead else None
    if section.paragraphs is not None or section.numbered:
        texts = [t for t in (c.entry(e) for e in section.paragraphs or []) if t]
        numbered = [t for t in (c.entry(e) for e in section.numbered) if t]
        if len(numbered) > 1:  # (一) alone promises a (二), as 一是 does
            numbered = [f"（{ordinal(i)}）{t}" for i, t in enumerate(numbered, 1)]
        texts += numbered
        for i, template in enumerate(texts):
            blocks.append(_paragraph(template, values, lead if i == 0 else None))
        if not texts and lead:
            blocks.append(_paragraph("", values, lead))
    else:
        parts = [c.entry(section.intro)] if section.intro else []
        items = [t for t in (c.entry(e) for e in section.items) if t]
        # 一是 promises a 二是: an item left alone (the others left out) is not numbered
        parts += [f"{ordinal(i)}是{t}" for i, t in enumerate(items, 1)] if len(items) > 1 else items
        if section.closing:
            parts.append(c.entry(section.closing))
        parts = [p for p in parts if p]
        if parts or lead:
            blocks.append(_paragraph("".join(parts), values, lead))
    if c.left_out:
        blocks.append(note_block(c.left_out))
    return blocks


def _paragraph(template: str, values: Mapping[str, object], lead: str | None) -> dict:
    ids = [s for s in slot_names(template) if isinstance(values.get(s), Figure)]
    return {
        "kind": "paragraph",
        "lead": lead or "",
        "text": render(template, values),
        "html": render(template, values, as_html=True),
        "figures": list(dict.fromkeys(ids)),
    }


def quote(text: str) -> str:
    """``text`` in quotation marks, the quotes within it made single (“组建□的‘东莞义警’队伍”)."""
    return "“" + text.replace("“", "‘").replace("”", "’") + "”"


def note_block(left_out: list[dict]) -> dict:
    """The reader's note on what a section left out, by reason: why, then the sentences (slots
    shown as □)."""
    by_reason: dict[str, list[str]] = {}
    for x in left_out:
        by_reason.setdefault(x["why"], []).append(quote(x["text"]))
    listed = "；".join(f"{why}——{''.join(texts)}" for why, texts in by_reason.items())
    text = f"【说明】本节略去{len(left_out)}处文字。{listed}。"
    return {"kind": "note", "text": text, "left_out": left_out}
