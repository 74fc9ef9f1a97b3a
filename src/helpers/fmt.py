"""Chinese number and text formatting for official reports.

Statistical reports round half up (四舍五入); Python's ``round`` rounds half to even and
works on binary fractions, so every rounding here goes through ``decimal``.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

EM_DASH = "\u2014"  # 一字线, used for ranges of time: 1—12月


def full_width(text: str) -> tuple[list[str], str]:
    """The full-width characters a Chinese input method's full-width mode typed into ``text``
    (ASCII's full-width forms ０—９, －，．：／ …, and the ideographic space), each once in order,
    and the text's half-width (NFKC) form.

    >>> full_width("２０２２－03－01")
    (['２', '０', '－'], '2022-03-01')
    """
    import re
    import unicodedata

    found = list(dict.fromkeys(re.findall("[\uff01-\uff5e\u3000]", text)))
    return found, unicodedata.normalize("NFKC", text).strip()


def to_decimal(x: float | int | Decimal | str) -> Decimal:
    """Exact decimal of a number as it is written (``2.675`` stays 2.675, not 2.67499…)."""
    if isinstance(x, Decimal):
        return x
    return Decimal(str(x))


def round_half_up(x: float | int | Decimal, ndigits: int = 0) -> Decimal:
    """Round half up to ``ndigits`` decimals.

    >>> round_half_up(2.675, 2)
    Decimal('2.68')
    >>> round_half_up(-0.5)
    Decimal('-1')
    """
    return to_decimal(x).quantize(Decimal(1).scaleb(-ndigits), rounding=ROUND_HALF_UP)


def number(x: float | int | Decimal, ndigits: int = 0) -> str:
    """A number rounded half up, without thousands separators (Chinese official style).

    >>> number(8123)
    '8123'
    >>> number(12.345, 2)
    '12.35'
    """
    return f"{round_half_up(x, ndigits):f}"


def percent(x: float | int | Decimal, ndigits: int = 2) -> str:
    """A percentage value (already ×100) with its sign dropped, e.g. ``64.32%``.

    >>> percent(64.3249, 2)
    '64.32%'
    >>> percent(95, 0)
    '95%'
    """
    return f"{number(abs(to_decimal(x)), ndigits)}%"


def change(pct: float | int | Decimal | None, ndigits: int = 2) -> str:
    """A year-over-year change in words: 上升X% / 下降X% / 持平.

    The sign is decided after rounding, so a change that rounds to zero reads 持平.

    >>> change(12.345)
    '上升12.35%'
    >>> change(-41.25, 1)
    '下降41.3%'
    >>> change(0.004)
    '持平'
    """
    if pct is None:
        raise ValueError("no prior-year value: the change cannot be written")
    r = round_half_up(pct, ndigits)
    if r == 0:
        return "持平"
    return f"{'上升' if r > 0 else '下降'}{percent(r, ndigits)}"


def points(diff: float | int | Decimal, ndigits: int = 2) -> str:
    """A change between two rates, in 个百分点.

    >>> points(-1.234)
    '下降1.23个百分点'
    """
    r = round_half_up(diff, ndigits)
    if r == 0:
        return "持平"
    return f"{'上升' if r > 0 else '下降'}{number(abs(r), ndigits)}个百分点"


def wan(x: float | int | Decimal, ndigits: int = 0) -> str:
    """A count in 万 (ten thousands) with the precision the sentence asks for, or with more
    decimals (up to 4) while that would be more than 0.5% off: 15,000 is 1.5万, not 2万.

    >>> wan(2_345_000)
    '235万'
    >>> wan(6_543_210, 2)
    '654.32万'
    >>> wan(345_000, 1)
    '34.5万'
    >>> wan(15_000), wan(104_987), wan(10_499, 1)
    ('1.5万', '10.5万', '1.05万')

    Zeros ending the decimals are not written: 10,000 is 1万, not 1.0万; 7,418,000 at two
    decimals is 741.8万.

    >>> wan(10_000, 1), wan(7_418_000, 2)
    ('1万', '741.8万')

    Fewer than ten thousand are written whole, as a report writes them (not 0.0万):

    >>> wan(9_999), wan(0, 1), wan(9_999.5)
    ('9999', '0', '1万')
    """
    if abs(round_half_up(x, 0)) < 10_000:
        return number(x)
    d = to_decimal(x)
    while ndigits < 4 and abs(round_half_up(d / 10_000, ndigits) * 10_000 - d) * 200 > abs(d):
        ndigits += 1
    written = number(d / 10_000, ndigits)
    return f"{written.rstrip('0').rstrip('.') if '.' in written else written}万"


def yi(x: float | int | Decimal, ndigits: int = 2) -> str:
    """A count in 亿 (hundred millions).

    >>> yi(123_456_789, 2)
    '1.23亿'
    """
    return f"{number(to_decimal(x) / 100_000_000, ndigits)}亿"


def approx(x: int | float | Decimal, step: int = 10, word: str = "多") -> str:
    """An approximation such as 30多 or 2300余: floored to ``step``, with 多/余 when cut.

    >>> approx(34)
    '30多'
    >>> approx(30)
    '30'
    >>> approx(9)
    '9'
    """
    d = to_decimal(x)
    if d < step:
        return number(d)
    floored = (d / step).to_integral_value(rounding=ROUND_FLOOR) * step
    return number(floored) + (word if floored != d else "")


def approx_wan(x: int | float | Decimal) -> str:
    """An amount in 万 floored, never rounded up: to two significant figures from 100万 up
    (23,456,700 → 2300余万, 1,990,000 → 190余万), to 万 below (995,000 → 99万余: 余 after 万
    unless the number is a round ten, 30余万); under 1万 whole, floored, in the caller's unit
    (元: 4000, not 0万).

    >>> approx_wan(23_456_700), approx_wan(1_990_000), approx_wan(995_000), approx_wan(300_500)
    ('2300余万', '190余万', '99万余', '30余万')
    >>> approx_wan(570_000), approx_wan(19_999), approx_wan(9_999.6)
    ('57万', '1万余', '9999')
    """
    d = to_decimal(x)
    if d < 10_000:
        return number(d.to_integral_value(rounding=ROUND_FLOOR))
    w = d / 10_000
    step = Decimal(10) ** max(len(str(int(w))) - 2, 0)
    floored = (w / step).to_integral_value(rounding=ROUND_FLOOR) * step
    if floored == w:
        return f"{number(floored)}万"
    return f"{number(floored)}余万" if floored % 10 == 0 else f"{number(floored)}万余"


def month_range(first: int, last: int) -> str:
    """A range of months with the em dash, as 1—12月; a single month as 3月.

    >>> month_range(1, 12)
    '1—12月'
    """
    return f"{first}月" if first == last else f"{first}{EM_DASH}{last}月"


def date_cn(d: dt.date | str) -> str:
    """A date in Chinese with Arabic numerals and no leading zeros: 2022年3月1日.

    >>> date_cn("2022-03-01")
    '2022年3月1日'
    """
    if isinstance(d, str):
        d = dt.date.fromisoformat(d)
    return f"{d.year}年{d.month}月{d.day}日"


def month_day(d: dt.date | str) -> str:
    """A date within the report year: 3月19日."""
    if isinstance(d, str):
        d = dt.date.fromisoformat(d)
    return f"{d.month}月{d.day}日"


def enumerate_cn(items: list[str], sep: str = "、") -> str:
    """Join items with the Chinese enumeration comma.

    >>> enumerate_cn(["户口迁移", "二手车异地交易登记"])
    '户口迁移、二手车异地交易登记'
    """
    return sep.join(items)


ORDINALS = "一二三四五六七八九十"


def ordinal(i: int) -> str:
    """一, 二, … 十, 十一 … 九十九: for 一是……二是……, （三）, 四、 (1-based).

    >>> ordinal(3), ordinal(10), ordinal(12), ordinal(20), ordinal(35)
    ('三', '十', '十二', '二十', '三十五')
    """
    if not 1 <= i <= 99:
        raise ValueError(f"ordinal {i} out of range 1–99")
    if i <= 10:
        return ORDINALS[i - 1]
    tens, ones = divmod(i, 10)
    return (ORDINALS[tens - 1] if tens > 1 else "") + "十" + (ORDINALS[ones - 1] if ones else "")
