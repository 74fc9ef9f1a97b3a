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

_NUM = r"[0-9０-９一二两三四五六七八九十百]+"
_WHOLE = r"(?![0-9０-９一二两三四五六七八九十百])"  # the whole number, not its first digits
# a 前N that is a period, not a rank: 前三季度, 前10个月, 前两年
_NOT_A_PERIOD = r"(?!个?季度|个?月|年|天|日|周|批|次)"
# 增长, 增加, 减少 are also verbs of aims and means (为经济持续增长营造环境, 最大限度减少影响, 减少证明
# 材料): a claim only beside a comparison (同比增长, 较上年减少) or a number (增长了, 增加{F020})
_CHANGE_BEFORE = r"(?<=同比|环比|上年|去年|大幅|明显|显著|稳步|逐年|分别|均有|有所)"
_CHANGE_AFTER = r"(?=了|[0-9０-９□]|百分|个百分点|[一二两三四五六七八九十]?成|倍)"


def _change(word: str) -> str:
    return rf"{_CHANGE_BEFORE}{word}|{word}{_CHANGE_AFTER}"


PATTERNS = [
    # 负增长, 零增长 before 增长 (the earliest match wins): a fall and no change
    (
        DOWN,
        r"负增长|下降|降幅(?!全省排名|排名)|回落|下滑|减半|骤降|双降|稳中有降|大幅降低|明显降低"
        rf"|显著降低|同比压降|较上年少|比上年少|{_change('减少')}",
    ),
    (FLAT, r"持平|零增长"),
    (
        UP,
        r"上升|增幅|上涨|攀升|回升|翻了?[一两三四]番|翻番|成倍|激增|猛增|双升|同比增(?![长加])"
        r"|同比(?:大幅|明显|显著)?提升|(?<=[^效]率)(?:大幅|明显|显著|稳步|持续)?(?:提升|提高)"
        r"|较上年多|比上年多|是上年的"
        rf"|{_change('增长')}|{_change('增加')}",
        # (提升 alone is not: 大幅提升执法办案效能 says nothing of a number; a rate's is: 破案率提升)
    ),
    (
        "record",
        rf"最大|最高|最低|最多|最少|最优|最佳|最好|首次|首个|历年来|历年最|历史最|新高|新低"
        rf"|近{_NUM}年|之最|之冠|前所未有|零的突破|创佳绩|(?:创|刷新)[^，。；]{{0,4}}纪录|历史纪录",
    ),
    (
        "rank",
        rf"(?:全省|全市|全国|排名|排位|居|列|位列)(?:并列)?第{_NUM}|第{_NUM}(?:名|位)|并列|前列|"
        rf"前茅|榜首|居首|首位|冠军|领先|领跑|垫底|前{_NUM}{_WHOLE}(?:名|位)?{_NOT_A_PERIOD}"
        rf"|TOP ?{_NUM}",
    ),
    (
        "share",
        r"绝大多数|绝大部分|大多数|大部分|过半|半数以上|一半以上"
        r"|(?:超过?|逾|近)?[二三四五六七八九]成(?:以上)?",
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
    "最高人民检察院",
    "最高人民法院",
    "最高检",
    "最高法",
    "最低生活保障",
    "最低工资",
    "最严",
    "最强决心",
    "最多跑一次",
    "第一责任人",
    "第一时间",
    "第一书记",
    "第一批",
    "走在全省前列",
    "走在全国前列",
    "走在前列",
    "增加投入",
    "减少群众",
    "减少证明",
    "减少材料",
    "减少环节",
    "减少审批",
    "减少跑动",
    "上升为",
    "上升到",
    "首次申领",
    "首次申请",
    "首次办理",
    "首次登记",
    "首次违法",
    "首违不罚",
    "一成不变",
)
SLOT = re.compile(r"\{[^{}]*\}")


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
    masked = SLOT.sub(lambda m: "□" * len(m.group()), text)
    for idiom in IDIOMS:
        masked = masked.replace(idiom, "□" * len(idiom))
    out = []
    for m in CLAIM.finditer(masked):
        clause = masked[max(masked.rfind(p, 0, m.start()) for p in "，；。") + 1 : m.start()]
        if _AIM.search(clause):
            continue  # an aim (力争进入全省前列), not what the data show
        index = next(i for i, g in enumerate(m.groups()) if g is not None)
        out.append(Claim(m.group(), PATTERNS[index][0], m.start()))
    return out


# words that make the rest of a clause an aim for the year ahead
_AIM = re.compile(r"力争|争取|争创|确保|目标是|努力实现|力求|为了|以期")


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
    one that it fell; a rank, record or share a comparison of it that implies the words
    (``needs``: 第一 and 最高 == 1 or <= 1, 前列 <= 3, 前五 <= 5, 绝大多数 >= 80, 过半 > 50, 九成以上
    >= 90). A direction shows none of them, nor does a lower bound a rank (> 0 is no 全省第一)."""
    out = []
    for claim in claims:
        backing = [c for c in conditions if stated is None or c.figure in stated]
        if claim.kind in (UP, DOWN, FLAT):
            backed = any(c.direction == claim.kind for c in backing)
        else:
            need = needs(claim)
            backed = need is not None and any(c.op and _implies(c, need) for c in backing)
        if not backed:
            out.append(claim)
    return out


# what a rank, record or share claims of a figure: (least, least excluded, greatest, greatest
# excluded), None for a bound not claimed
Range = tuple[Decimal | None, bool, Decimal | None, bool]
_NUMERALS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2, "〇": 0}


def needs(claim: Claim) -> Range | None:
    """The values of its figure a rank, record or share claim says (None: no comparison of a
    figure of this year can show it: a record over the years, 首次, 近N年, 垫底 are the computed
    figure's own words)."""
    word = claim.word
    if claim.kind == "share":
        if "绝大" in word:
            return (Decimal(80), False, None, False)
        if word in ("大多数", "大部分", "过半", "半数以上", "一半以上"):
            return (Decimal(50), True, None, False)
        tenths = next((_NUMERALS[c] for c in word if c in _NUMERALS), None)
        if tenths is None:
            return None
        if word.startswith("近"):
            return (Decimal(tenths * 10 - 10), False, None, False)
        return (Decimal(tenths * 10), word.startswith(("超", "逾")), None, False)
    if claim.kind == "record":
        return (None, False, Decimal(1), False) if word.startswith(("最", "首个")) else None
    if word in ("前列", "前茅", "领先"):
        return (None, False, Decimal(3), False)
    if word in ("榜首", "居首", "首位", "冠军", "领跑"):
        return (None, False, Decimal(1), False)
    n = _number(word)
    if not n:
        return None  # 并列, 垫底
    if word.startswith(("前", "TOP")):
        return (None, False, Decimal(n), False)
    # 第N: that rank; no rank is above the first, so <= 1 shows 第一 as == 1 does
    return (None if n == 1 else Decimal(n), False, Decimal(n), False)


def _number(word: str) -> int | None:
    """The number in a rank word: 第3, 前十, 第十二, TOP10."""
    digits = re.search(r"[0-9０-９]+", word)
    if digits:
        return int(digits.group().translate(_DIGIT))
    chars = [c for c in word if c in _NUMERALS or c == "十"]
    if not chars:
        return None
    if "十" not in chars:
        return _NUMERALS[chars[-1]]
    at = chars.index("十")
    tens = _NUMERALS.get(chars[at - 1], 1) if at else 1
    ones = _NUMERALS.get(chars[at + 1], 0) if at + 1 < len(chars) else 0
    return tens * 10 + ones


def _implies(condition: Condition, need: Range) -> bool:
    """Whether every value meeting a comparison lies in the range a claim says."""
    low, low_open, high, high_open = need
    b, op = condition.bound, condition.op
    has = {
        "==": (b, False, b, False),
        "<=": (None, False, b, False),
        "<": (None, False, b, True),
        ">=": (b, False, None, False),
        ">": (b, True, None, False),
    }[op]
    c_low, c_low_open, c_high, c_high_open = has
    if low is not None and (
        c_low is None or c_low < low or (c_low == low and low_open and not c_low_open)
    ):
        return False
    return not (
        high is not None
        and (c_high is None or c_high > high or (c_high == high and high_open and not c_high_open))
    )


# a number typed into the text, of something counted, measured or ranked (``typed_numbers``).
# Years, months, days and ages (2021年, 12月26日, 80周岁), whole hours, days or working days (24小时,
# 5个工作日: commitments), ordinals and their lists (第十二次, 第3、4条, 十四届十二次全会; a rank
# typed as 第1名 is a claim word, see PATTERNS) and single numerals (两起, 一批, 三项) are words of
# the text, not statistics
_CN = "〇零一二两三四五六七八九十百千万亿"
_D = r"[0-9０-９]"
_SPACE = r"[ \u3000]*"
_COUNT_UNIT = (
    r"(?:人次|人|次|个(?!工作日|月|小时|季度|星期|年)|起|宗|件|名|位|家|条|项|场|期|支|把|间|户|所|"
    r"处|批|份|篇|辆|台|套|单|例|座|张|本|册|队|组|公斤|千克|克|吨|元|倍|成|公里|千米|平方米|米|发|"
    r"部|分(?![局队所之钟别类析工管流布级期批会院站区])|万|亿|%|％|‰)"
)
_AMOUNT = rf"(?:多|余|来)?(?:[十百千万亿]+)?(?:多|余)?{_SPACE}{_COUNT_UNIT}"
_TIME = r"(?:分钟|秒|小时|天|日|周|个月|个工作日)"
TYPED_NUMBER = re.compile(
    # digits: 35次, 1.2万余宗, 3千人, 98.5%, 35 次
    rf"(?<![第届0-9０-９.．]){_D}+(?:[.．]{_D}+)?{_AMOUNT}"
    # Chinese numerals of two characters or more: 三十五次, 一千二百人次, 零点五个百分点
    rf"|(?<![第届{_CN}点])[{_CN}][{_CN}点]+{_AMOUNT}"
    # about so many: 近百人, 逾千人, 上千人, 数十起, 百余人, 十余次
    rf"|(?:近|逾|上|数|约|超|成)[十百千万]+(?:余|多)?{_COUNT_UNIT}|(?<![{_CN}])[十百千万]+[余多]{_COUNT_UNIT}"
    # single numerals of things counted: 八次, 九名 (一次, 两起 are words of the text); points
    rf"|(?<![第届{_CN}])[三四五六七八九](?:人次|次|名|起|宗|件)|[{_CN}]+个百分点"
    # decimals of time (平均8.5分钟), shares: 百分之95, 三分之一, 1/3
    rf"|{_D}+[.．]{_D}+{_SPACE}{_TIME}|百分之(?:[{_CN}点]+|{_D}+(?:[.．]{_D}+)?)"
    rf"|[{_CN}]+分之[{_CN}]+|(?<!{_D}){_D}+/{_D}+(?!{_D}|/)"
    # none, as a rate or count: 败诉率为零
    r"|(?<=率|数)为零"
)
# document titles are quoted as written; ordinal lists (第3、4条) and the five-year plans are words
_TITLES = re.compile(
    rf"《[^》]*》|第[0-9０-９{_CN}]+[条款项章节次届批号]?"
    rf"(?:[、和及至到—\-~～][0-9０-９{_CN}]+[条款项章节次届批号]?)+|十[三四五六七八九]五"
)
# quotations: a slogan's Chinese numerals are its words (“十一个坚持”, “百万警进千万家”); digits
# with a unit in quotes are still a number typed (满意率达“98.5%”)
_QUOTATION = re.compile(r"“[^“”]*”|‘[^‘’]*’|「[^」]*」|『[^』]*』|\"[^\"]*\"")


def typed_numbers(text: str) -> list[tuple[int, str]]:
    """Numbers of things counted typed into ``text`` (where, what), outside slots and titles
    in 《》; in quotes only those written in digits.

    >>> typed_numbers("开展培训35次，满意率98.5%，培训民警一千二百人次，{F020}起，两起事件")
    [(4, '35次'), (11, '98.5%'), (21, '一千二百人次')]
    >>> typed_numbers("“海啸2021”行动，12345热线，24小时，80周岁以上，12月26日，“十一个坚持”")
    []
    """
    masked = SLOT.sub(lambda m: "□" * len(m.group()), text)
    masked = _TITLES.sub(lambda m: "□" * len(m.group()), masked)
    quoted = [m.span() for m in _QUOTATION.finditer(masked)]
    out = []
    for m in TYPED_NUMBER.finditer(masked):
        inside = any(a < m.start() and m.end() <= b for a, b in quoted)
        if inside and not re.search(rf"{_D}|[%％‰]", m.group()):
            continue  # a slogan's words
        out.append((m.start(), m.group()))
    return out


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
    masked = SLOT.sub(lambda m: m.group() if m.group() in kept else "□" * len(m.group()), text)
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
