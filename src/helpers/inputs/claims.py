"""Words that claim something of the numbers — a direction, a record, a rank, a share — and the
conditions under which the text may say them.

A figure's own text (``上升12.34%``, ``全省第3``, ``降幅为近5年以来最大``) is computed, so it always
says what the data shows. A claim word typed into the narrative inputs is only allowed in a
piece of text that declares what must hold for it (``when: {F053: 下降}``); when that does not
hold, the piece is left out with a note (or replaced by its ``else`` text), never printed as typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

UP, DOWN, FLAT = "up", "down", "flat"
DIRECTION_WORDS = {"上升": UP, "下降": DOWN, "持平": FLAT}  # how a condition names a direction

_NUM = r"[0-9０-９一二三四五六七八九十百]+"
PATTERNS = [
    (UP, r"上升|增长|增幅|增加|上涨|攀升|回升|翻了?一番|翻番|成倍"),
    (DOWN, r"下降|降幅|减少|回落|下滑|减半"),
    (FLAT, r"持平"),
    ("record", rf"最大|最高|最低|最多|最少|首次|首个|首位|历年来|历史最|新高|新低|近{_NUM}年"),
    (
        "rank",
        rf"(?:全省|全市|全国|排名|排位|居|列|位列)(?:并列)?第{_NUM}|第{_NUM}(?:名|位)|并列|前列|"
        r"前茅|榜首|居首|领先|垫底",
    ),
    (
        "share",
        r"绝大多数|绝大部分|大多数|过半|半数以上|[一二三四五六七八九]成以上|超[一二三四五六七八九]成",
    ),
]
CLAIM = re.compile("|".join(f"(?P<{'k' + str(i)}>{p})" for i, (_, p) in enumerate(PATTERNS)))
_SAYS_DIRECTION = re.compile("|".join(p for kind, p in PATTERNS if kind in (UP, DOWN, FLAT)))

# set phrases that contain such a word but say nothing about the numbers
IDIOMS = (
    "最大力度",
    "最大限度",
    "最大程度",
    "最大努力",
    "最大决心",
    "最高站位",
    "最高标准",
    "最高水平",
    "最严",
    "最强决心",
    "最多跑一次",
    "第一责任人",
    "第一时间",
    "增加投入",
    "减少群众",
    "首次申领",
    "首次申请",
    "首次办理",
    "首次登记",
)
_SLOT = re.compile(r"\{[^{}]*\}")


@dataclass(frozen=True)
class Claim:
    """A claim word found in text: the word, what it claims (up, down, flat, record, rank, share)
    and where it is."""

    word: str
    kind: str
    start: int


def find(text: str) -> list[Claim]:
    """The claim words typed in ``text`` (slots and set phrases do not count).

    >>> [c.word for c in find("社会治安呈现违法犯罪稳步下降的态势，以最大力度补齐短板")]
    ['下降']
    >>> [c.kind for c in find("同比{F021}，排名全省第3")]
    ['rank']
    """
    masked = _SLOT.sub(lambda m: "□" * len(m.group()), text)
    for idiom in IDIOMS:
        masked = masked.replace(idiom, "□" * len(idiom))
    out = []
    for m in CLAIM.finditer(masked):
        index = next(i for i, g in enumerate(m.groups()) if g is not None)
        out.append(Claim(m.group(), PATTERNS[index][0], m.start()))
    return out


@dataclass(frozen=True)
class Condition:
    """One ``when`` entry: a figure and what must hold of it (a direction, or a comparison)."""

    figure: str
    direction: str | None = None
    op: str | None = None
    bound: Decimal | None = None

    def holds(self, figure) -> bool:
        """Whether the computed figure meets the condition."""
        if self.direction is not None:
            return getattr(figure, "direction", None) == self.direction
        value = getattr(figure, "value", None)
        if value is None:
            return False
        v = Decimal(str(value))
        return {
            ">=": v >= self.bound,
            "<=": v <= self.bound,
            ">": v > self.bound,
            "<": v < self.bound,
            "==": v == self.bound,
        }[self.op]

    def describe(self, figure=None) -> str:
        """The condition, and what the data gives, in words for the reader's note."""
        if self.direction:
            want = {UP: "上升", DOWN: "下降", FLAT: "持平"}[self.direction]
        else:  # in the figure's unit: 应不低于90%，数据为67%
            want = f"{COMPARISON_WORDS[self.op]}{self.bound}{getattr(figure, 'unit', '') or ''}"
        if figure is None:
            return f"{self.figure} 应{want}，但本年没有该数"
        got = getattr(figure, "display", "")
        if self.direction:  # a rank (第21名) says no direction: the figure's own, in words
            told = {UP: "上升", DOWN: "下降", FLAT: "持平"}.get(
                getattr(figure, "direction", None), "升降不一或无从比较"
            )
            if not _SAYS_DIRECTION.search(got):
                got = f"{got}（{told}）"
        return f"{self.figure}（{getattr(figure, 'label', '')}）应{want}，数据为{got}"


# how the reader's note says a comparison (应不低于90, not 应>= 90)
COMPARISON_WORDS = {">=": "不低于", "<=": "不高于", ">": "大于", "<": "小于", "==": "等于"}
_COMPARISON = re.compile(r"^\s*(>=|<=|>|<|==|≥|≤)\s*(-?\d+(?:\.\d+)?)\s*%?\s*$")


def parse_condition(figure: str, spec: object) -> Condition:
    """``上升``, ``下降``, ``持平``, or a comparison of the value such as ``>= 90``; ValueError else."""
    text = str(spec).strip()
    if text in DIRECTION_WORDS:
        return Condition(figure, direction=DIRECTION_WORDS[text])
    m = _COMPARISON.match(text)
    if not m:
        raise ValueError(
            f"{figure}：{spec!r} 不是条件；写 上升、下降、持平，或比较式，例如 '>= 90'"
        )
    op = {"≥": ">=", "≤": "<="}.get(m.group(1), m.group(1))
    try:
        return Condition(figure, op=op, bound=Decimal(m.group(2)))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
        raise ValueError(f"{figure}：{spec!r} 不是数字") from exc


def uncovered(
    claims: list[Claim], conditions: list[Condition], stated: set[str] | None = None
) -> list[Claim]:
    """The claims a piece's conditions do not back. Only a condition on a figure the claim's
    sentence states (``stated``: its slots; None: any figure) backs it, so that the number that
    shows it stands beside the words: a rise needs a condition that such a figure rose, a fall
    one that it fell; a record, rank or share needs a comparison of such a figure (``{F025:
    '<= 3'}`` backs 位居全省前列), which a direction never shows (上升 is no 全省最大)."""
    out = []
    for claim in claims:
        backing = [c for c in conditions if stated is None or c.figure in stated]
        if claim.kind in (UP, DOWN, FLAT):
            backed = any(c.direction == claim.kind for c in backing)
        else:
            backed = any(c.op is not None for c in backing)
        if not backed:
            out.append(claim)
    return out


# a number typed into the text, of something counted, measured or ranked: digits (ASCII or
# full-width, with decimals), or Chinese numerals of two characters or more (三十五, 一千二百),
# or 百分之…, then a unit of count. Years, months, days, hours and ages (2021年, 12月26日, 24小时,
# 80周岁), ordinals (第十二次: a rank typed as 第1名 is a claim word, see PATTERNS) and single
# numerals (两起, 一批, 三项) are the words of the text, not statistics
_DIGITS = r"[0-9０-９]+(?:[.．][0-9０-９]+)?"
_CN_FIGURE = r"[〇零一二两三四五六七八九十百千万亿]{2,}"
_COUNT_UNIT = (
    r"(?:多|余|来)?(?:万|亿)?(?:多|余)?"
    r"(?:人次|人|次|个|起|宗|件|名|位|家|条|项|场|期|支|把|间|户|所|处|批|份|篇|辆|台|套|单|例|"
    r"座|张|本|册|队|组|公斤|千克|克|吨|元|倍|成|%|％|万|亿)"
)
TYPED_NUMBER = re.compile(
    rf"(?<![第0-9０-９.．])(?:{_DIGITS}|(?<![〇零一二两三四五六七八九十百千万亿]){_CN_FIGURE})"
    rf"{_COUNT_UNIT}"
    r"|百分之[〇零一二三四五六七八九十百点]+|[0-9０-９]+(?:[.．][0-9０-９]+)?\s*[%％]"
)
_NAMES = re.compile(r"《[^》]*》|“[^”]*”|‘[^’]*’|「[^」]*」|『[^』]*』|\"[^\"]*\"")


def typed_numbers(text: str) -> list[tuple[int, str]]:
    """Numbers of things counted typed into ``text`` (where, what), outside slots and outside
    names in quotes or 《》 (“海啸2021”, 《纲要（2020—2025年）》).

    >>> typed_numbers("开展培训35次，满意率98.5%，培训民警一千二百人次，{F020}起，两起事件")
    [(4, '35次'), (11, '98.5%'), (21, '一千二百人次')]
    >>> typed_numbers("“海啸2021”行动，12345热线，24小时，80周岁以上，12月26日")
    []
    """
    masked = _SLOT.sub(lambda m: "□" * len(m.group()), text)
    masked = _NAMES.sub(lambda m: "□" * len(m.group()), masked)
    return [(m.start(), m.group()) for m in TYPED_NUMBER.finditer(masked)]


# ------------------------------------------------------------------ periods
# the figures that follow a period word, up to the next one or the end of the sentence, are
# said to count that period; helpers.render.compose checks it against the months their tables'
# records cover (helpers.figures.periods)
PERIOD_SLOTS = ("months", "period")  # {months}: 1—8月, 1—12月; {period}: 1—8月, 全年
_DIGIT = str.maketrans("０１２３４５６７８９－", "0123456789-")  # one character for one
_WHOLE_YEAR = r"全年度?(?!龄|级)|本年度?|今年(?!以来)|一年来|(?<![0-9])年内"  # 今年以来: to date
_PARTS = {"上半年": 6, "前三季度": 9, "第一季度": 3, "一季度": 3}
_CN_MONTHS = {"二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_CN_MONTHS |= {"十一": 11, "十二": 12, "两": 2, "一": 1}
_CN_NUMBER = r"十[一二]?|[一两二三四五六七八九]"
_DASH = r"\s*[—–―‐‑−\-~～至到]\s*"
_FROM_JANUARY = (
    rf"(?<![0-9])1\s*月?(?:1日)?{_DASH}(?P<last>[0-9]{{1,2}})\s*月"
    rf"|(?<![〇一二三四五六七八九十])一\s*月?{_DASH}(?P<cn>十[一二]?|[二三四五六七八九])\s*月"
    rf"|前(?P<first>[0-9]{{1,2}}|{_CN_NUMBER})个?月"
    rf"|前(?P<quarters>[1-3]|[一两二三])个?季度"
)
_CN_DIGITS = str.maketrans("0123456789", "〇一二三四五六七八九")
# 2021年 as a period, not a date (2021年10月), a range's end (2020—2021年) or a point (2021年底)
_YEAR_AFTER = r"(?![0-9〇一二三四五六七八九十]|月|以来|以前|以后|前|后|底|末|初|中)"
# quotations and titles: what they say is not the text's own period
_QUOTED = r"《[^》]*》|“[^”]*”|‘[^’]*’|「[^」]*」|『[^』]*』|\"[^\"]*\""


@dataclass(frozen=True)
class Period:
    """A period the text states for the figures after it: a word (全年, 2021年, 1—8月, 上半年),
    with ``month`` the last month it says they reach, or a ``{months}``/``{period}`` slot
    (``month`` None: the figures after it decide what it says)."""

    word: str
    start: int
    end: int
    month: int | None


def periods(text: str, year: int | None = None) -> list[Period]:
    """The periods ``text`` states, in order; quotations (“…”, ‘…’, 《…》 …) and other slots
    do not count. ``year``: the report's year, which 2021年 (or ``{year}年``) states. A period
    word after its figures (…250名（全年）) and one in another entry (an intro over its items)
    are not seen.

    >>> [(p.word, p.month) for p in periods("全年开展{F060}；1—8月，受理{F061}；《2021年方案》", 2021)]
    [('全年', 12), ('1—8月', 8)]
    >>> [(p.word, p.month) for p in periods("{months}，打掉{F015}。{year}年10月督察时指出", 2021)]
    [('{months}', None)]
    """
    kept = ("{year}", *(f"{{{name}}}" for name in PERIOD_SLOTS))
    masked = _SLOT.sub(lambda m: m.group() if m.group() in kept else "□" * len(m.group()), text)
    masked = re.sub(_QUOTED, lambda m: "□" * len(m.group()), masked.translate(_DIGIT))
    years = r"\{year\}" + (f"|{year}|{str(year).translate(_CN_DIGITS)}" if year else "")
    pattern = re.compile(
        rf"(?P<slot>\{{(?:{'|'.join(PERIOD_SLOTS)})\}})|(?P<whole>{_WHOLE_YEAR})"
        rf"|(?P<part>{'|'.join(_PARTS)})|{_FROM_JANUARY}"
        rf"|(?<![0-9〇一二三四五六七八九—–―‐‑−\-~～至到])(?P<year>(?:{years})\s*年){_YEAR_AFTER}"
    )
    out = []
    for m in pattern.finditer(masked):
        word = text[m.start() : m.end()]
        if m.group("slot"):
            month = None
        elif m.group("part"):
            month = _PARTS[m.group("part")]
        elif m.group("last"):
            month = int(m.group("last"))
        elif m.group("cn"):
            month = _CN_MONTHS[m.group("cn")]
        elif m.group("first"):
            first = m.group("first")
            month = int(first) if first.isdigit() else _CN_MONTHS.get(first, 0)
        elif m.group("quarters"):
            q = m.group("quarters")
            month = 3 * (int(q) if q.isdigit() else _CN_MONTHS[q])
        else:
            month = 12
        if month is None or 1 <= month <= 12:
            out.append(Period(word, m.start(), m.end(), month))
    return out
