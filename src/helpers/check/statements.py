"""The numbers a Chinese text states, read back with their wording: the inverse of ``fmt``.

``statements(text)`` finds 235万人, 30多个, 2300余万元, 逾3000人次, 64.32%, 上升12.35%,
全省并列第1, 第2名, 近5年 …, each with its unit, 万/亿, 多/余, 近/逾/约, precision and direction
word; ``Statement.fits(value)`` says whether a value is what the wording states, and
``Statement.say(value)`` writes a value in the same wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from helpers import fmt

UP_WORDS = ("上升", "增长", "增加", "提高", "提升", "上涨", "增幅", "涨幅")
DOWN_WORDS = ("下降", "减少", "降低", "下跌", "回落", "下滑", "降幅", "减幅")
OPPOSITE = {
    "上升": "下降", "增长": "下降", "增加": "减少", "提高": "降低", "提升": "下降", "上涨": "下跌",
    "增幅": "降幅", "涨幅": "降幅", "下降": "上升", "减少": "增加", "降低": "提高", "下跌": "上涨",
    "回落": "上升", "下滑": "上升", "降幅": "增幅", "减幅": "增幅",
}  # fmt: skip
_WORDS = "|".join(UP_WORDS + DOWN_WORDS)
CLAIM_WORD = re.compile(f"(?:{_WORDS}|持平)")
# a change: 上升12.35%, 降幅分别为41.3%; a count or rank stated with a direction: 降幅为近5年,
# 降幅分别居全省第2名, 上升至120起; a difference, not a count: 同比增加120起
CHANGE = re.compile(rf"({_WORDS})(?:了|为|达到|达|约|近|超过|分别|均|同比)*$")
LEVEL = re.compile(rf"({_WORDS})(?:为|了|至|到|达到|达|约|分别|均|同比|居|排名|排|位列|列)*$")
DELTA = re.compile(r"(?:上升|下降|增长|增加|减少|降低|提高|提升|上涨|下跌|回落|下滑)了?$")

UNITS = (
    "人次", "批次", "场次", "公斤", "万元", "个", "人", "名", "位", "次", "宗", "起", "件",
    "间", "台", "项", "类", "份", "元", "把", "年", "户", "家", "场", "处", "条", "辆", "所",
    "座", "张", "支", "套", "部", "吨", "千克", "克", "天", "小时",
)  # fmt: skip
POINTS = ("个百分点", "百分点")
KIN = ({"人", "名", "位"}, {"起", "宗", "件"}, {"次", "场"})  # with or without 次: 人次, 宗次
SEPARATORS = re.compile(r"^(?:、|,|和|及|与|以及)$")  # between the items of a list
DATE = re.compile(r"(?<!\d)(\d{1,2})月(\d{1,2})日")
NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?")
AT_LEAST = ("多", "余", "逾", "超", "超过", "多于")  # 30多个: 30 to 39
AT_MOST = ("近", "将近", "接近")
QUALIFIERS = ("将近", "接近", "超过", "多于", "近", "逾", "超", "约")
MULTIPLIERS = {"万": 10_000, "亿": 100_000_000}


@dataclass
class Statement:
    """A number the text states, with its shape: 235万人, 上升12.35%, 全省第1 …"""

    start: int
    end: int
    number: Decimal
    decimals: int
    kind: str  # count, percent, change, rank, points (个百分点), delta (同比增加120起), claim
    unit: str = ""
    mult: int = 1  # 1, 10_000 (万) or 100_000_000 (亿)
    approx: str = ""  # 多 or 余 after the number
    qualifier: str = ""  # 近, 逾, 约 … before it
    sign: int | None = None  # the direction word's: +1 up, -1 down, 0 持平
    word: str = ""  # the direction word, a shared one included
    tie: bool = False  # 并列第1
    text: str = ""
    group: int = -1  # statements listed together (X、Y、Z) share a group …
    index: int = 0  # … at this place
    size: int = 1  # … of this many

    def form(self) -> tuple:
        """What the wording fixes besides the number and the direction."""
        return (self.kind, self.mult, self.approx, self.qualifier, self.decimals, self.unit)

    def fits(self, value: Decimal) -> bool:
        """Whether ``value`` is what the statement says, with its 万, 多/余, 近/逾/约 and precision
        (a change's value is signed; its direction is the word's business).

        >>> st = statements("235万人")[0]
        >>> st.fits(Decimal(2_345_000)), st.fits(Decimal(2_355_000))
        (True, False)
        """
        q = (abs(value) if self.kind == "change" else value) / self.mult
        n, word = self.number, self.approx or self.qualifier
        if word in AT_LEAST:
            return n <= q < n + step(n, self.decimals)
        if word in AT_MOST:
            return n - step(n, self.decimals) < q <= n
        if word == "约":
            return abs(q - n) <= step(n, self.decimals) / 2
        return fmt.round_half_up(q, self.decimals) == n

    def say(self, value: Decimal, unit: str | None = None) -> str:
        """``value`` in this statement's wording (a change with 上升/下降; ``unit`` instead of its own).

        >>> statements("30多个")[0].say(Decimal(41))
        '40多个'
        """
        q = (abs(value) if self.kind == "change" else value) / self.mult
        if self.approx or self.qualifier in AT_LEAST + AT_MOST:
            unit_step = step(self.number, self.decimals)
            floored = (q / unit_step).to_integral_value(rounding=ROUND_FLOOR) * unit_step
            number = fmt.number(floored, self.decimals) + (self.approx if floored != q else "")
        else:
            number = fmt.number(q, self.decimals)
        mult = {v: k for k, v in MULTIPLIERS.items()}.get(self.mult, "")
        if self.kind == "change":
            r = fmt.round_half_up(value, self.decimals)
            return "持平" if r == 0 else f"{'上升' if r > 0 else '下降'}{number}%"
        qualifier = "" if self.approx else self.qualifier
        return f"{qualifier}{number}{mult}{self.unit if unit is None else unit}"


def step(n: Decimal, decimals: int) -> Decimal:
    """The unit of the last stated digit that is not a trailing zero: 30 → 10, 2300 → 100."""
    if decimals:
        return Decimal(1).scaleb(-decimals)
    zeros, k = 0, int(n)
    while k and k % 10 == 0:
        zeros, k = zeros + 1, k // 10
    return Decimal(10) ** zeros


def sign(word: str) -> int:
    """+1 for a word of rise, -1 of fall, 0 for 持平."""
    return 0 if word == "持平" else 1 if word in UP_WORDS else -1


def kin(a: str, b: str) -> bool:
    """Units that count the same thing: 人/名/人次, 起/宗/件, 宗/宗次 …"""
    a, b = (u[:-1] if len(u) > 1 and u.endswith("次") else u for u in (a, b))
    return a == b or any(a in k and b in k for k in KIN)


def _tail(units: set[str]) -> re.Pattern:
    known = sorted(set(UNITS) | {u for u in units if u and u != "%"}, key=len, reverse=True)
    alternatives = "|".join(map(re.escape, POINTS + tuple(known)))
    return re.compile(rf"(?P<a1>多|余)?(?P<mult>万|亿)?(?P<a2>多|余)?(?P<unit>%|‰|{alternatives})?")


def statements(text: str, units: set[str] = frozenset()) -> list[Statement]:
    """Every number with a shape in ``text``, in order (``units``: more units to know); dates,
    years and bare numbers (110平台, “6.18”) are left out.

    >>> [s.text for s in statements("1—12月,破案120起,同比下降12.3%、4.5%,居全省第2名")]
    ['120起', '下降12.3%', '下降4.5%', '全省第2名']
    """
    tail = _tail(set(units))
    out: list[Statement] = []
    for m in NUMBER.finditer(text):
        s, e = m.span()
        after = text[e : e + 6]
        if re.match(r"[月日时号]", after) or (
            after.startswith("年") and "." not in m.group() and int(m.group()) >= 1000
        ):
            continue  # a date or a year
        t = tail.match(text, e)
        unit = t.group("unit") or ""
        decimals = len(m.group().split(".")[1]) if "." in m.group() else 0
        st = Statement(s, t.end(), Decimal(m.group()), decimals, "count", unit=unit)
        st.mult = MULTIPLIERS.get(t.group("mult") or "", 1)
        st.approx = t.group("a1") or t.group("a2") or ""
        before = text[max(0, s - 12) : s]
        rank = re.search(r"(?:全省|全市|全国)?(并列)?第$", before)
        change = CHANGE.search(before)
        if rank:
            if unit not in ("", "名", "位"):
                continue
            st.kind, st.tie, st.start = "rank", bool(rank.group(1)), s - len(rank.group())
        elif unit in POINTS:
            st.kind = "points"
        elif unit in ("%", "‰"):
            st.kind = "percent"
            if change:
                st.kind, st.word, st.start = "change", change.group(1), s - len(change.group())
            elif out and out[-1].kind == "change" and SEPARATORS.match(text[out[-1].end : s]):
                st.kind, st.word = "change", out[-1].word  # 下降12.3%、4.5%
        elif not unit:
            continue
        elif DELTA.search(before):
            st.kind = "delta"
        if st.kind == "change":
            st.sign = sign(st.word)
        qualifier = next((q for q in QUALIFIERS if before.endswith(q)), "")
        if qualifier and st.kind in ("count", "percent"):
            st.qualifier, st.start = qualifier, s - len(qualifier)
        st.text = (st.word if st.start == s else text[st.start : s]) + text[s : st.end]
        if st.kind in ("count", "rank"):
            _level_direction(text, st, out[-1] if out else None)
        out.append(st)
    for m in re.finditer("持平", text):
        out.append(
            Statement(m.start(), m.end(), Decimal(0), 0, "change", sign=0, word="持平", text="持平")
        )
    out.sort(key=lambda st: st.start)
    group(text, out)
    return out


def _level_direction(text: str, st: Statement, prev: Statement | None) -> None:
    """The direction word a count or rank is stated with: 降幅为近5年…, 降幅分别居全省第2名、
    第3名 (shared along a list), 上升至120起."""
    said = LEVEL.search(text, max(0, st.start - 16), st.start)
    if said:
        st.word, st.sign = said.group(1), sign(said.group(1))
        st.text = text[said.start() : st.end]
    elif (
        prev and prev.kind == st.kind and prev.word and SEPARATORS.match(text[prev.end : st.start])
    ):
        st.word, st.sign, st.text = prev.word, prev.sign, f"{prev.word}…{st.text}"


def group(text: str, found: list[Statement]) -> None:
    """Mark statements of one kind listed together: 2个、15个和120个; 第2名和第3名."""
    runs: list[list[Statement]] = []
    for st in found:
        prev = runs[-1][-1] if runs else None
        if prev and prev.kind == st.kind and SEPARATORS.match(text[prev.end : st.start]):
            runs[-1].append(st)
        else:
            runs.append([st])
    for gid, run in enumerate(runs):
        for i, st in enumerate(run):
            st.group, st.index, st.size = gid, i, len(run)
