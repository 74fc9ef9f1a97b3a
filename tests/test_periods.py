"""The period a sentence states (全年, 2021年, 1—8月, {months}) is the one its figures count.

Found by building 2021 from alarms that end in August: the text said "1—8月，…打掉黑社会性质
组织2个" for whole-year counts, and "全年…电诈警情同比下降" for eight months of alarms.
"""

import dataclasses
import datetime as dt
import shutil

import pandas as pd
import pytest

from helpers import figures
from helpers.figures import safety
from helpers.figures.base import Figure
from helpers.figures.periods import coverage, months_over, reach, span, unlike_last_year
from helpers.inputs import claims, narrative
from helpers.render.compose import compose
from helpers.render.report import narrate  # noqa: F401  (the notebook's path to compose)


# ------------------------------------------------------------------ the words
@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("全年开展{F060}", [("全年", 12)]),
        ("本年度工作", [("本年度", 12)]),
        ("2021年，受理{F1}", [("2021年", 12)]),
        ("{year}年全市110平台", [("{year}年", 12)]),
        ("2021年度报告", [("2021年", 12)]),
        ("1—8月，投诉{F1}", [("1—8月", 8)]),
        ("１－８月", [("１－８月", 8)]),
        ("1至11月份", [("1至11月", 11)]),
        ("上半年共", [("上半年", 6)]),
        ("前三季度", [("前三季度", 9)]),
        ("{months}，打掉{F015}", [("{months}", None)]),
        ("{period}开展", [("{period}", None)]),
        # dates, points, other years, ranges not from January, quotations: no period
        ("2021年10月中央督察组", []),
        ("2021年底前完成", []),
        ("2021年以来累计", []),
        ("2016—2021年共", []),
        ("2020年，受理", []),
        ("11—12月开展", []),
        ("3—5月专项行动", []),
        ("提供“全年无休”服务", []),
        ("《东莞市公安局2021年普法工作方案》", []),
        ("1—13月", []),
    ],
)
def test_the_periods_a_text_states(text, found):
    assert [(p.word, p.month) for p in claims.periods(text, 2021)] == found


def test_where_a_period_is_found_is_where_it_is_in_the_text():
    text = "破案{F020}。“全年”之外，1—8月投诉{F073}"
    (p,) = claims.periods(text, 2021)
    assert text[p.start : p.end] == "1—8月" and p.start == text.index("1—8月")


# ------------------------------------------------------------------ how far records reach
D = dt.date


def busy(last: str, days: int, empty: int = 0) -> list:
    """The loader's span of a register with a thousand records a day (a city's 110 calls)."""
    return [last, days, empty, days * 1000]


@pytest.mark.parametrize(
    ("table", "span", "month", "partial", "gap", "daily"),
    [
        # a daily register: where its dates stop, its export stops
        ("alarms", busy("2021-08-31", 243), 8, False, False, True),
        # a city's alarms never pause: 3 days short of the end is August in part (the tester's
        # 28 August against last year's whole August); one that pauses 3 days covers it
        ("alarms", busy("2021-08-28", 240), 7, True, False, True),
        ("alarms", busy("2021-08-28", 237, 3), 8, False, False, True),
        ("alarms", busy("2021-08-24", 230, 6), 7, True, False, True),  # the tester's 6-day hole
        # a busy register without a record for ten days running has a gap (no holiday is as
        # long); nine is a holiday
        ("cases", busy("2021-08-31", 216, 27), 8, False, True, True),  # the tester's March
        ("cases", busy("2021-08-31", 233, 10), 8, False, True, True),
        ("cases", busy("2021-08-31", 234, 9), 8, False, False, True),
        # one that rests on weekends (5 days in 7) to Friday 30 July: July whole, no gap (the
        # tester's); a week's holiday in February grants no week at August's end
        ("cases", busy("2021-07-30", 151, 2), 7, False, False, True),
        ("cases", busy("2021-08-24", 229, 7), 7, True, False, True),
        ("alarms", busy("2021-08-27", 239), 7, True, False, True),  # August only in part
        ("alarms", busy("2021-12-01", 335), 11, True, False, True),  # 1 December alone
        ("alarms", busy("2021-02-28", 59), 2, False, False, True),  # January and February
        ("alarms", busy("2021-12-28", 213, 149), 12, False, True, True),  # to July, then 28 Dec
        ("hotline_tickets", busy("2021-12-28", 336, 4), 12, False, False, True),  # days 1-28
        # a county's tickets, a few a day, that pause up to 3 days: 4 days short is whole
        ("hotline_tickets", ["2021-12-27", 331, 3, 1459], 12, False, False, True),
        ("hotline_tickets", ["2021-12-26", 330, 3, 1458], 11, True, False, True),
        # a daily register with too few days to tell (a county's tickets, a test's rows)
        ("hotline_tickets", ["2021-12-20", 120, 9, 150], 12, False, False, False),
        ("alarms", ["2021-03-01", 1, 59, 5], 3, False, False, False),
        # another table may have had nothing later: its last record's month, at least
        ("gangs", ["2021-10-16", 41, 30], 10, False, False, False),
        ("honours", ["2021-07-16", 3, 100], 7, False, False, False),
    ],
)
def test_how_far_a_tables_records_reach(table, span, month, partial, gap, daily):
    got = coverage(table, 2021, span, today=D(2026, 12, 2))
    assert (got.month, got.partial, got.gap, got.daily) == (month, partial, gap, daily)
    assert got.last == D.fromisoformat(span[0])


@pytest.mark.parametrize("span", [["2020-12-31", 366], None])
def test_records_of_another_year_or_no_dates_cover_nothing(span):
    assert coverage("alarms", 2021, span) is None


def test_in_a_year_not_over_the_current_month_is_a_part():
    """The report of 2026, made on 2 December 2026 from records up to 1 December."""
    today = D(2026, 12, 2)
    assert months_over(2026, today) == 11 and months_over(2025, today) == 12
    assert months_over(2027, today) == 0
    alarms = coverage("alarms", 2026, busy("2026-12-01", 335), today)
    assert (alarms.month, alarms.partial) == (11, True)
    alarms = coverage("alarms", 2026, busy("2026-11-30", 334), today)
    assert (alarms.month, alarms.partial) == (11, False)
    gangs = coverage("gangs", 2026, ["2026-12-01", 50], today)
    assert (gangs.month, gangs.partial) == (12, True)


@pytest.mark.parametrize(
    ("cover", "months", "fits"),
    [
        (("alarms", busy("2021-08-31", 243)), 8, True),
        (("alarms", busy("2021-08-31", 243)), 12, False),  # 全年 over eight months
        (("alarms", busy("2021-08-31", 243)), 7, False),  # 1—7月 over eight months
        (("alarms", busy("2021-12-01", 335)), 11, False),  # partial: no period fits
        (("alarms", busy("2021-12-01", 335)), 12, False),
        (("alarms", busy("2021-12-28", 213, 149)), 12, False),  # a gap: no period fits
        (("gangs", ["2021-10-16", 41]), 12, True),  # nothing after October, maybe
        (("gangs", ["2021-10-16", 41]), 10, True),
        (("gangs", ["2021-10-16", 41]), 8, False),  # 1—8月 over groups of October
    ],
)
def test_which_periods_fit_a_tables_records(cover, months, fits):
    assert coverage(*cover[:1], 2021, cover[1], today=D(2026, 12, 2)).fits(months) is fits


def test_a_chapter_reaches_as_far_as_its_daily_registers_cover():
    spans = {"alarms": busy("2021-08-31", 243), "gangs": ["2021-10-02", 12], "venues": None}
    assert reach(spans, 2021) == 8
    assert reach({**spans, "cases": busy("2021-12-31", 365)}, 2021) == 12
    assert reach({**spans, "cases": busy("2021-12-01", 335)}, 2021) == 8  # a part: not counted
    assert reach({"gangs": ["2021-10-02", 12]}, 2021) is None


def test_a_change_against_a_part_of_last_year_is_unlike():
    now = {"measures": busy("2021-12-31", 365)}
    assert unlike_last_year(("measures",), now, {"measures": busy("2020-12-31", 366)}, 2021) is None
    why = unlike_last_year(("measures",), now, {"measures": busy("2020-08-31", 244)}, 2021)
    assert why == (
        "上年的处理措施表2020年的记录只到8月（最后一条在2020-08-31），"
        "与本年的记录不是同一期间，无从比较"
    )
    # this year's to 15 August, compared with last year's same days: alike
    short = {"measures": busy("2021-08-15", 227)}
    before = {"measures": busy("2020-08-31", 244)}
    assert unlike_last_year(("measures",), short, before, 2021, same_period=True) is None
    # ... but against last year's whole year, as the changes of cases and measures are: unlike
    assert unlike_last_year(("measures",), short, before, 2021) == (
        "本年的处理措施表2021年的记录止于8月15日，8月只有部分记录，"
        "而同比是与上年全年比较，两者不是同一期间"
    )
    # both years to 1 December, the same days: alike
    dec1 = {"alarms": busy("2021-12-01", 335)}
    last = {"alarms": busy("2020-12-01", 336)}
    assert unlike_last_year(("alarms",), dec1, last, 2021, same_period=True) is None
    # this year's with a gap (April on): no change
    gap = {"alarms": busy("2021-12-31", 275, 90)}
    assert unlike_last_year(("alarms",), gap, last, 2021, same_period=True) == (
        "本年的110警情表2021年的记录中间有连续90天空缺（最后一条在2021-12-31），同比无从比较"
    )
    # last year's a stub of 20 days, this year's a busy register (found by the tester)
    stub = {"alarms": ["2020-01-20", 20, 0, 20]}
    whole = {"alarms": busy("2021-12-31", 365)}
    assert unlike_last_year(("alarms",), whole, stub, 2021, same_period=True) == (
        "上年的110警情表2020年只有20天有记录，与本年的记录不是同一期间，无从比较"
    )
    # records on every other fortnight: a gap, though no run is a month long; in a busy
    # register, the fortnight is one already
    scattered = coverage("alarms", 2021, busy("2021-12-31", 189, 14))
    assert scattered.gap and scattered.describe() == (
        "110警情表2021年的记录中间有连续14天空缺（最后一条在2021-12-31）"
    )
    # holes of a week at most, but records on too few of the days
    weekly = coverage("alarms", 2021, busy("2021-12-31", 189, 7))
    assert weekly.gap and weekly.describe() == (
        "110警情表2021年只有189天有记录（1月1日到12月31日共365天）"
    )
    # not a daily register: not judged
    assert (
        unlike_last_year(
            ("gangs",), {"gangs": ["2021-12-30", 9]}, {"gangs": ["2020-03-01", 2]}, 2021
        )
        is None
    )


# ------------------------------------------------------------------ the text
def _figure(fid: str, display: str) -> Figure:
    return Figure(fid, fid, 1, "", display, "表", "定义", 1)


AUGUST = coverage("alarms", 2021, busy("2021-08-31", 243))
DECEMBER = coverage("cases", 2021, busy("2021-12-31", 365))
OCTOBER_GROUPS = coverage("gangs", 2021, ["2021-10-16", 41])
ONE_DECEMBER_DAY = coverage("alarms", 2021, busy("2021-12-01", 335))


def _text(
    template: str,
    periods: dict,
    months: str = "1—12月",
    reach_: int | None = None,
    months_over_: int = 12,
    words: dict | None = None,
):
    section = narrative.section({"items": [template]}, "safety", narrative.narrative_file(2021))
    values = {
        "year": 2021,
        "next_year": 2022,
        "months": months,
        "period": "全年",
        **{fid: _figure(fid, f"<{fid}>") for fid in ("F1", "F2", "F3")},
        **(words or {}),
    }
    blocks = compose(section, values, {}, periods=periods, reach=reach_, months_over=months_over_)
    text = "".join(b["text"] for b in blocks if b["kind"] == "paragraph")
    notes = [x for b in blocks if b["kind"] == "note" for x in b["left_out"]]
    return text, notes


def test_a_clause_whose_figures_cover_less_than_the_whole_year_it_states_is_left_out():
    text, notes = _text("全年受理{F1}，立案{F3}；警情{F2}。", {"F1": (DECEMBER,), "F2": (AUGUST,)})
    assert text == "全年受理<F1>，立案<F3>。"
    (note,) = notes
    assert note["claim"] and note["text"] == "警情□"
    assert note["why"] == (
        "所说的期间“全年”与数据不符：110警情表2021年的记录只到8月（最后一条在2021-08-31）"
    )


def test_the_report_year_is_a_whole_year_and_the_note_quotes_it_as_printed():
    text, notes = _text("{year}年，警情{F2}、立案{F1}。", {"F1": (DECEMBER,), "F2": (AUGUST,)})
    assert text == ""
    assert notes[0]["why"].startswith("所说的期间“2021年”与数据不符")
    assert notes[0]["text"] == "2021年，警情□、立案□"


def test_a_part_of_the_year_stated_for_whole_year_figures_is_left_out_too():
    text, notes = _text("破案{F3}；1—8月，立案{F1}。", {"F1": (DECEMBER,)})
    assert text == "破案<F3>。"
    assert "案件表2021年的记录涵盖全年" in notes[0]["why"]


def test_the_months_slot_says_the_months_of_the_figures_after_it():
    periods = {"F1": (DECEMBER,), "F2": (AUGUST,)}
    text, notes = _text("{months}，打掉{F1}。{months}，投诉{F2}。", periods, months="1—8月")
    assert text == "1—12月，打掉<F1>。1—8月，投诉<F2>。" and not notes


@pytest.mark.parametrize(("cover", "said"), [(DECEMBER, "全年"), (AUGUST, "1—8月")])
def test_the_period_slot_says_a_whole_year_as_such(cover, said):
    text, notes = _text("{period}开展{F1}。", {"F1": (cover,)})
    assert text == f"{said}开展<F1>。" and not notes


def test_a_slot_before_figures_of_unknown_months_says_how_far_the_chapters_tables_reach():
    """Groups dismantled on a few days of the year: their months are not known, so the slot
    follows the chapter's tables (cases to December), not the alarms that end in August."""
    text, _ = _text("{months}，打掉{F3}。", {"F2": (AUGUST,)}, months="1—8月", reach_=12)
    assert text == "1—12月，打掉<F3>。"
    text, _ = _text("{months}，打掉{F3}。", {}, months="1—8月", reach_=None)
    assert text == "1—8月，打掉<F3>。"  # nothing known at all: the chapter's own word


def test_figures_of_unknown_months_and_undated_figures_are_not_judged():
    text, notes = _text("全年受理{F3}，注册率{F1}。", {})
    assert text == "全年受理<F3>，注册率<F1>。" and not notes


def test_a_figure_over_tables_that_end_in_different_months_fits_no_one_period():
    text, notes = _text("{months}，警情和案件合计{F1}。", {"F1": (AUGUST, DECEMBER)})
    assert text == ""
    assert notes[0]["why"] == (
        "本句各数字涵盖的期间不同，不能都说成“1—8月”：案件表2021年的记录涵盖全年"
    )
    assert notes[0]["text"] == "1—8月，警情和案件合计□"  # the slot as it would have read


def test_a_period_shorter_than_the_records_of_another_table_is_left_out():
    """Groups dismantled in September and October are not 1—8月's, whatever the fugitives say."""
    text, notes = _text(
        "{months}，抓获逃犯{F2}，打掉团伙{F1}。", {"F1": (OCTOBER_GROUPS,), "F2": (AUGUST,)}
    )
    assert text == ""
    assert "打掉团伙表2021年有10月的记录（最后一条在2021-10-16）" in notes[0]["why"]
    text, notes = _text("全年打掉团伙{F1}。", {"F1": (OCTOBER_GROUPS,)})
    assert text == "全年打掉团伙<F1>。" and not notes  # nothing after October, maybe


def test_a_slot_after_its_figures_says_their_months():
    text, notes = _text("投诉{F2}，统计期间为{months}。", {"F2": (AUGUST,)}, reach_=12)
    assert text == "投诉<F2>，统计期间为1—8月。" and not notes


def test_records_that_stop_inside_a_month_fit_no_period():
    text, notes = _text(
        "全年警情{F2}；{months}，警情{F2}。", {"F2": (ONE_DECEMBER_DAY,)}, reach_=None
    )
    assert text == ""
    assert [n["why"] for n in notes] == [
        "所说的期间“全年”与数据不符：110警情表2021年的记录止于12月1日，12月只有部分记录",
        "本句数字的期间说不准：110警情表2021年的记录止于12月1日，12月只有部分记录",
    ]


def test_every_table_that_does_not_fit_is_named():
    early = coverage("cases", 2021, busy("2021-06-30", 181))
    _, notes = _text("{year}年，警情、案件分别{F2}、{F1}。", {"F1": (early,), "F2": (AUGUST,)})
    assert notes[0]["why"] == (
        "所说的期间“2021年”与数据不符：110警情表2021年的记录只到8月（最后一条在2021-08-31）；"
        "案件表2021年的记录只到6月（最后一条在2021-06-30）"
    )


def test_in_a_year_not_over_no_text_says_the_whole_year():
    """The report of the current year, its records to the end of November."""
    november = coverage("alarms", 2026, busy("2026-11-30", 334), today=D(2026, 12, 2))
    text, notes = _text("全年警情{F2}。{months}，警情{F2}。", {"F2": (november,)}, months_over_=11)
    assert text == "1—11月，警情<F2>。"
    assert notes[0]["why"].startswith("所说的期间“全年”与数据不符：2021年还没有过完")


def test_words_under_a_period_are_not_counts_of_it():
    text, notes = _text("全年开展{study}。", {}, months_over_=11, words={"study": "学法活动"})
    assert text == "全年开展学法活动。" and not notes


def test_year_to_date_and_other_words_with_a_year_in_them_state_no_period():
    periods = {"F2": (AUGUST,)}
    for template in (
        "今年以来，警情{F2}。",
        "面向全年龄段群众，警情{F2}。",
        "开展‘全年无休’服务，警情{F2}。",
    ):
        text, notes = _text(template, periods)
        assert text.endswith("警情<F2>。") and not notes, template


def test_a_period_governs_the_figures_after_it_up_to_the_next_period():
    periods = {"F1": (DECEMBER,), "F2": (AUGUST,)}
    text, notes = _text("全年受理{F1}，其中1—8月警情{F2}。", periods)
    assert text == "全年受理<F1>，其中1—8月警情<F2>。" and not notes


def test_a_quoted_period_word_states_nothing():
    text, notes = _text("开展“全年无休”服务，警情{F2}。", {"F2": (AUGUST,)})
    assert text == "开展“全年无休”服务，警情<F2>。" and not notes


# ------------------------------------------------------------------ a chapter from real tables
def test_alarms_that_end_in_august_leave_whole_year_counts_whole_year(sample_dir, tmp_path):
    """The safety chapter with 2021's alarms cut at 31 August, every other table whole: the
    groups dismantled are 1—12月, the alarm comparisons under 全年 and 2021年 are left out with
    the alarm file's last date, and the text says nothing of a period the alarms do not cover."""
    data = _linked(sample_dir, tmp_path / "raw", "alarms")
    path = data / "alarms" / "2021.parquet"
    alarms = pd.read_parquet(path)
    cut = alarms[alarms["received_at"] < pd.Timestamp("2021-09-01")]
    assert 0 < len(cut) < len(alarms)
    cut.to_parquet(path, index=False)
    last = cut["received_at"].max().date().isoformat()

    res = figures.chapter("safety", 2021, data, city="东莞")
    assert {c.month for c in res.periods["F053"]} == {8} and res.reach == 12
    blocks = compose(
        narrative.load(2021, "safety"),
        res.values(),
        res.absent,
        periods=res.periods,
        reach=res.reach,
    )
    text = "".join(b["text"] for b in blocks if b["kind"] == "paragraph")
    assert "1—12月，建立扫黑除恶常态化工作机制" in text
    assert "1—8月" not in text and "全市电诈警情" not in text and "全市110平台" not in text
    assert "全年“国家反诈中心”APP注册率" in text  # the province's table: not judged
    # a claim whose condition rests on the alarms left out goes with them (the tester's)
    assert "社会治安呈现" not in text and "行政拘留、刑事拘留、移送审查起诉人数分别同比" in text
    why = [x["why"] for b in blocks if b["kind"] == "note" for x in b["left_out"]]
    assert f"所说的期间“全年”与数据不符：110警情表2021年的记录只到8月（最后一条在{last}）" in why
    assert any(w.startswith("所说的期间“2021年”与数据不符") for w in why)


def test_whole_year_tables_leave_the_2021_text_as_it_was(small_dir):
    res = figures.chapter("safety", 2021, small_dir, city="东莞")
    args = (narrative.load(2021, "safety"), res.values(), res.absent)
    checked = compose(*args, periods=res.periods, reach=res.reach)
    assert checked == compose(*args)
    assert all(b["kind"] != "note" for b in checked)


def _cut(data, table: str, year: int, column: str, before: str) -> None:
    """Keep the rows of a sample file dated before ``before`` (a CSV keeps its GBK and headers)."""
    path = next((data / table).glob(f"{year}.*"))
    if path.suffix == ".csv":
        frame = pd.read_csv(path, encoding="gbk", dtype=str)
        dates = pd.to_datetime(frame.iloc[:, column])
        frame[dates < pd.Timestamp(before)].to_csv(path, encoding="gbk", index=False)
    else:
        frame = pd.read_parquet(path)
        frame[frame[column] < pd.Timestamp(before)].to_parquet(path, index=False)


def _linked(source, folder, table: str):
    """The sample's tables as links, but for a copy of ``table`` a test may change."""
    folder.mkdir()
    for sub in source.iterdir():
        if sub.name == table:
            shutil.copytree(sub, folder / sub.name)
        else:
            (folder / sub.name).symlink_to(sub)
    return folder


def _chapter_text(name: str, data) -> tuple[str, list[str], figures.Results]:
    res = figures.chapter(name, 2021, data, city="东莞")
    blocks = compose(
        narrative.load(2021, name),
        res.values(),
        res.absent,
        periods=res.periods,
        reach=res.reach,
        months_over=res.months_over,
    )
    text = "".join(b["text"] for b in blocks if b["kind"] == "paragraph")
    return text, [x["why"] for b in blocks if b["kind"] == "note" for x in b["left_out"]], res


def test_tickets_of_january_and_february_are_said_to_be_of_1_to_2_months(sample_dir, tmp_path):
    """Found by the tester: 56 days of tickets were taken for too few to tell, and the text said
    1—12月 over them (the other tables of the chapter run to December)."""
    data = _linked(sample_dir, tmp_path / "raw", "hotline_tickets")
    _cut(data, "hotline_tickets", 2021, 1, "2021-03-01")
    text, _, res = _chapter_text("services", data)
    assert "1—2月，12345热线投诉工单同比" in text and "1—12月，12345" not in text
    assert {c.month for c in res.periods["F073"]} == {2}


@pytest.mark.parametrize(
    ("cut", "last", "said"),
    [
        ("2021-12-02", "2020-12-02", "110警情表2021年的记录止于12月1日，12月只有部分记录"),
        # 27 days of a city's alarms: not a county's few, though fewer than 28 days
        ("2021-01-28", "2020-01-28", "110警情表2021年的记录止于1月27日，1月只有部分记录"),
    ],
)
def test_alarms_that_stop_inside_a_month_are_compared_with_last_years_same_days(
    sample_dir, tmp_path, cut, last, said
):
    """Records that stop on 1 December cover eleven months and a day: their change is against
    last year's up to 1 December, and no period is said of them."""
    data = _linked(sample_dir, tmp_path / "raw", "alarms")
    _cut(data, "alarms", 2021, "received_at", cut)
    text, why, res = _chapter_text("safety", data)
    prior = pd.read_parquet(data / "alarms" / "2020.parquet")
    valid = prior[(prior["category"] == "违法犯罪") & (prior["status"] == "有效")]
    assert res.figures["F053"].prior == (valid["received_at"] < pd.Timestamp(last)).sum()
    assert res.figures["F053"].prior < len(valid)
    assert "全市110平台" not in text and "全市电诈警情" not in text
    assert any(said in w for w in why)


def test_a_change_of_half_a_year_of_cases_against_a_whole_year_is_not_stated(sample_dir, tmp_path):
    """Cases exported to 30 June (found by the tester: 行政案件受理数 −55.55 %, half a year
    against a whole one); the alarms, compared over the same months, keep theirs."""
    data = _linked(sample_dir, tmp_path / "raw", "cases")
    _cut(data, "cases", 2021, "filed_date", "2021-07-01")
    text, why, res = _chapter_text("safety", data)
    assert not {"F021", "F029", "F054", "F055"} & set(res.figures)
    # a count with last year's beside it keeps the count, not the comparison (the tester's)
    assert res.figures["F020"].prior is None and res.figures["F020"].value > 0
    assert res.absent["F054"] == (
        "本年的案件表2021年的记录只到6月（最后一条在2021-06-30），"
        "而同比是与上年全年比较，两者不是同一期间"
    )
    assert "F053" in res.figures and "F028" in res.figures
    assert "破案" not in text or "同比" not in text.split("破案")[1][:12]


def test_a_change_against_a_part_of_last_year_is_not_stated(sample_dir, tmp_path):
    """Last year's measures exported to 31 August: this year's whole year against eight months
    would be a rise of some 70 % (found by the tester); the changes are left out."""
    data = _linked(sample_dir, tmp_path / "raw", "measures")
    _cut(data, "measures", 2020, "decided_date", "2020-09-01")
    text, why, res = _chapter_text("safety", data)
    assert not {"F056", "F057", "F058"} & set(res.figures)
    assert res.absent["F056"].startswith(
        "上年的处理措施表2020年的记录只到8月（最后一条在2020-08-31）"
    )
    assert "行政拘留、刑事拘留、移送审查起诉人数分别同比" not in text


@pytest.mark.parametrize(
    ("before", "said"),
    [
        ("2021-12-02", "110警情表2021年的记录止于12月1日，12月只有部分记录"),
        ("2021-09-01", "2021 年的"),  # to the end of August: the months, as before
    ],
)
def test_the_data_check_warns_of_a_daily_register_that_stops_early(
    small_dir, tmp_path, before, said
):
    from helpers.data import validate

    data = shutil.copytree(small_dir, tmp_path / "raw")
    _cut(data, "alarms", 2021, "received_at", before)
    [check] = [r for r in validate.check_year(2021, data) if (r.table, r.year) == ("alarms", 2021)]
    assert any(said in w and "一年中的一部分" in w for w in check.warnings), check.warnings


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        ([D(2021, 1, 1), D(2021, 1, 2), D(2021, 1, 3)], ["2021-01-03", 3, 0, None, None, None]),
        # 1-4 January empty
        ([D(2021, 1, 5), None, D(2021, 1, 5)], ["2021-01-05", 1, 4, None, None, None]),
        (  # 3 Jan-28 Feb: a run of ten days and one of 28 from 3 January
            [D(2021, 3, 1), D(2021, 1, 1), D(2021, 1, 2)],
            ["2021-03-01", 3, 57, None, "2021-01-03", "2021-01-03"],
        ),
        (  # 11 days from 2 February, 45 from 14 February
            [D(2021, 2, 1), D(2021, 2, 13), D(2021, 3, 31), D(2021, 5, 1)]
            + [D(2021, 1, d) for d in range(1, 32)],
            ["2021-05-01", 35, 45, None, "2021-02-02", "2021-02-14"],
        ),
        ([None], None),
    ],
)
def test_what_is_kept_of_a_tables_days(days, expected):
    assert span(days) == expected


def test_a_register_with_a_record_on_every_day_stopped_where_they_stop_however_few():
    """Found by the tester: 999 measures on every day to 31 March (under the 1000 of a busy
    register) were compared with last year's whole year: 下降72.75% where the same months
    give 上升5.99%. Records on every day are an export that stopped, whatever their number."""
    few = coverage("measures", 2021, ["2021-03-31", 90, 0, 999])
    assert (few.daily, few.month, few.gap) == (True, 3, False)
    before = {"measures": ["2020-12-31", 366, 0, 3659]}  # 9.99 a day, every day: whole
    assert unlike_last_year(("measures",), {"measures": ["2021-03-31", 90, 0, 999]}, before, 2021)
    whole = {"measures": ["2021-12-31", 365, 0, 3650]}
    assert unlike_last_year(("measures",), whole, before, 2021) is None


def test_figures_compared_over_the_same_months_count_exactly_those_months():
    """Reconsiderations are not a daily register, but F077 compares this year's months with
    last year's same months: 全年 does not fit it when the register stops in June."""
    from helpers.figures.periods import figure_periods

    change = _figure("F077", "上升3.1%")
    change.same_period = True
    count_ = _figure("F079", "259件")
    spans = {"reconsiderations": ["2023-06-30", 100, 5, 198]}
    tables = {"F077": ("reconsiderations",), "F079": ("reconsiderations",)}
    found = figure_periods(spans, 2023, {"F077": change, "F079": count_}, tables)
    assert [(c.daily, c.month, c.fits(12), c.fits(6)) for c in found["F077"]] == [
        (True, 6, False, True)
    ]
    assert [(c.daily, c.fits(12)) for c in found["F079"]] == [(False, True)]  # at least June


def test_a_claim_with_a_period_of_its_own_is_judged_by_its_conditions_months():
    """全年电诈警情大幅下降 with ``when: {F2: 下降}`` over alarms that end in August: the claim
    names no slot, so its condition's figure is what its period is about; with an ``else``, the
    else is said (the tester's broken sentence: 全年全市违法犯罪警情。)."""
    falling = dataclasses.replace(_figure("F2", "下降5%"), direction="down")
    values = {"year": 2021, "next_year": 2022, "months": "1—12月", "period": "全年", "F2": falling}
    raw = {
        "items": [
            ["警情{F2}。", {"text": "全年电诈警情大幅下降。", "when": {"F2": "下降"}}],
            [
                "全年全市违法犯罪警情",
                {"text": "持续下降", "when": {"F2": "下降"}, "else": "总体平稳"},
                "。",
            ],
        ]
    }
    section = narrative.section(raw, "safety", narrative.narrative_file(2021))
    blocks = compose(section, values, {}, periods={"F2": (AUGUST,)})
    text = "".join(b["text"] for b in blocks if b["kind"] == "paragraph")
    assert text == "一是警情下降5%。二是全年全市违法犯罪警情总体平稳。"
    why = [x["why"] for b in blocks if b["kind"] == "note" for x in b["left_out"]]
    assert why == [
        "所说的期间“全年”与数据不符：110警情表2021年的记录只到8月（最后一条在2021-08-31）"
    ]


# ------------------------------------------------------------------ the overview chart's periods
def _valid_alarms_before(path, before: str | None) -> int:
    rows = pd.read_parquet(path)
    rows = rows[(rows["category"] == "违法犯罪") & (rows["status"] == "有效")]
    return int((rows["received_at"] < pd.Timestamp(before)).sum()) if before else len(rows)


def _filed_before(path, kind: str, before: str | None) -> int:
    rows = pd.read_parquet(path)
    rows = rows[(rows["status"] != "已撤销") & (rows["kind"] == kind)]
    return int((rows["filed_date"] < pd.Timestamp(before)).sum()) if before else len(rows)


def test_the_overview_chart_compares_alarms_with_last_years_same_days(sample_dir, tmp_path):
    """Found by the tester: alarms to 17 August against the whole of last year drew a fall
    (1802 → 1403) where the same days rose (1132 → 1403), as F053 says. The bar of last year
    counts its alarms to 17 August; the caption says so; the cases, whole, stay whole."""
    data = _linked(sample_dir, tmp_path / "raw", "alarms")
    _cut(data, "alarms", 2021, "received_at", "2021-08-18")
    t = figures.frames("safety", 2021, data)
    frame = safety.overview(t, 2021)
    alarms = data / "alarms"
    assert frame.loc["违法犯罪警情"].tolist() == [
        _valid_alarms_before(alarms / "2020.parquet", "2020-08-18"),
        _valid_alarms_before(alarms / "2021.parquet", None),
    ]
    cases = data / "cases"
    assert frame.loc["行政案件受理"].tolist() == [
        _filed_before(cases / "2020.parquet", "行政", None),
        _filed_before(cases / "2021.parquet", "行政", None),
    ]
    assert safety.overview_caption(frame, 2021) == (
        "违法犯罪警情、案件受理立案与拘留、移送起诉人数：2020年与2021年同期对比"
        "（违法犯罪警情为1月1日至8月17日）"
    )


def test_the_overview_chart_compares_half_a_year_of_cases_with_last_years_half(
    sample_dir, tmp_path
):
    data = _linked(sample_dir, tmp_path / "raw", "cases")
    _cut(data, "cases", 2021, "filed_date", "2021-07-01")
    frame = safety.overview(figures.frames("safety", 2021, data), 2021)
    cases = data / "cases"
    for kind, label in (("行政", "行政案件受理"), ("刑事", "刑事案件立案")):
        assert frame.loc[label].tolist() == [
            _filed_before(cases / "2020.parquet", kind, "2020-07-01"),
            _filed_before(cases / "2021.parquet", kind, None),
        ]
    assert frame.loc["违法犯罪警情"].tolist() == [
        _valid_alarms_before(data / "alarms" / "2020.parquet", None),
        _valid_alarms_before(data / "alarms" / "2021.parquet", None),
    ]
    assert safety.overview_caption(frame, 2021).endswith(
        "：2020年与2021年同期对比（行政案件受理、刑事案件立案为1—6月）"
    )


def test_the_overview_chart_leaves_out_what_last_years_shorter_records_cannot_match(
    sample_dir, tmp_path
):
    """Last year's measures stop at 31 August, this year's run to December: their bars would
    set a whole year against eight months, so they are left out and the caption says why."""
    data = _linked(sample_dir, tmp_path / "raw", "measures")
    _cut(data, "measures", 2020, "decided_date", "2020-09-01")
    frame = safety.overview(figures.frames("safety", 2021, data), 2021)
    assert list(frame.index) == ["违法犯罪警情", "行政案件受理", "刑事案件立案"]
    caption = safety.overview_caption(frame, 2021)
    assert caption.startswith("违法犯罪警情、行政案件受理、刑事案件立案：2020年与2021年对比。")
    assert "行政拘留人数、刑事拘留人数、移送审查起诉人数未列出：上年的处理措施表2020年" in caption


def test_the_monthly_fraud_chart_leaves_months_after_the_records_empty(sample_dir, tmp_path):
    """Suspects caught to 30 June: July to December of this year are empty, not 0 (a line
    falling to 0 would show a drop the records do not show); last year's months are whole."""
    data = _linked(sample_dir, tmp_path / "raw", "persons")
    _cut(data, "persons", 2021, "caught_date", "2021-07-01")
    caught = safety.fraud_by_month(figures.frames("safety", 2021, data), 2021)["电诈抓获人数"]
    assert caught[2021].loc[7:].isna().all() and caught[2021].loc[:6].notna().all()
    prior = pd.read_parquet(data / "persons" / "2020.parquet")
    months = prior[prior["case_type"] == "电信网络诈骗"]["caught_date"].dt.month
    assert caught[2020].tolist() == [int((months == m).sum()) for m in range(1, 13)]
    solved = safety.fraud_by_month(figures.frames("safety", 2021, data), 2021)["电诈破案数"]
    assert solved[2021].notna().all()  # the cases run to December


def test_the_overview_chart_of_whole_years_says_no_period(small_dir):
    frame = safety.overview(figures.frames("safety", 2021, small_dir), 2021)
    assert frame.attrs["periods"] == {} and frame.attrs["left_out"] == {}
    assert safety.overview_caption(frame, 2021) == (
        "违法犯罪警情、案件受理立案与拘留、移送起诉人数：2020年与2021年对比"
    )


def test_the_monthly_ticket_chart_leaves_months_after_the_records_empty(sample_dir, tmp_path):
    """Tickets to the end of February: March to December of this year are empty, not 0."""
    from helpers.figures import services

    data = _linked(sample_dir, tmp_path / "raw", "hotline_tickets")
    _cut(data, "hotline_tickets", 2021, 1, "2021-03-01")
    t = figures.frames("services", 2021, data)
    covers = t.coverages("hotline_tickets")
    months = services.tickets_by_month(t.hotline_tickets, t.prior.hotline_tickets, "投诉", covers)
    assert months[2021].loc[3:].isna().all() and (months[2021].loc[:2] > 0).all()
    assert months[2020].notna().all() and months[2020].sum() > 0
    whole = services.tickets_by_month(t.hotline_tickets, t.prior.hotline_tickets, "投诉")
    assert (whole[2021].loc[3:] == 0).all()  # without the coverage: counted, so 0
    # a year without a ticket of the category is a line at 0, not left out (the tester's)
    none = services.tickets_by_month(t.hotline_tickets, t.prior.hotline_tickets, "没有的类别")
    assert list(none.columns) == [2020, 2021] and (none == 0).all().all()


def test_the_monthly_charts_leave_last_years_missing_months_and_a_gapped_year_empty(
    sample_dir, tmp_path
):
    """Found by the tester: last year's suspects to 17 August fell to 0 from September, and a
    month missing inside this year's register was drawn as 0."""
    data = _linked(sample_dir, tmp_path / "raw", "persons")
    _cut(data, "persons", 2020, "caught_date", "2020-08-18")
    path = data / "persons" / "2021.parquet"
    rows = pd.read_parquet(path)
    hole = (rows["caught_date"] >= "2021-03-01") & (rows["caught_date"] < "2021-04-10")
    rows[~hole].to_parquet(path, index=False)
    caught = safety.fraud_by_month(figures.frames("safety", 2021, data), 2021)["电诈抓获人数"]
    assert caught[2020].loc[8:].isna().all() and (caught[2020].loc[:7] > 0).all()
    assert caught[2021].isna().all()  # 40 days without a suspect caught: a gap, no line


def test_alarms_that_stop_three_days_short_are_compared_with_last_years_same_days(
    sample_dir, tmp_path
):
    """Found by the tester: alarms with a record on every day that stop on 28 August were
    taken to cover August, and compared with last year's whole August (F053 and the chart)."""
    data = _linked(sample_dir, tmp_path / "raw", "alarms")
    _cut(data, "alarms", 2021, "received_at", "2021-08-29")
    t = figures.frames("safety", 2021, data)
    frame = safety.overview(t, 2021)
    same_days = _valid_alarms_before(data / "alarms" / "2020.parquet", "2020-08-29")
    assert frame.loc["违法犯罪警情"].tolist() == [
        same_days,
        _valid_alarms_before(data / "alarms" / "2021.parquet", None),
    ]
    assert "违法犯罪警情为1月1日至8月28日" in safety.overview_caption(frame, 2021)
    res = figures.chapter("safety", 2021, data, city="东莞")
    assert res.figures["F053"].prior == same_days


def _register(days: list, rows_a_day: int = 100) -> list:
    return span(days, rows_a_day * len(set(days)))


def test_a_gap_of_last_year_after_the_months_compared_leaves_the_change_alike():
    """Found by the tester: last year's alarms without a record 5–20 October made this year's
    1—8月 against last year's 1—8月 unlike; a gap in last year's August does."""
    now = {"alarms": _register([D(2021, 1, 1) + dt.timedelta(n) for n in range(243)])}
    everyday = [D(2020, 1, 1) + dt.timedelta(n) for n in range(366)]
    october = [d for d in everyday if not D(2020, 10, 5) <= d <= D(2020, 10, 20)]
    august = [d for d in everyday if not D(2020, 8, 5) <= d <= D(2020, 8, 20)]
    assert unlike_last_year(("alarms",), now, {"alarms": _register(october)}, 2021, True) is None
    assert unlike_last_year(("alarms",), now, {"alarms": _register(august)}, 2021, True) == (
        "上年的110警情表2020年的记录中间有连续16天空缺（最后一条在2020-12-31），"
        "与本年的记录不是同一期间，无从比较"
    )
    # against last year's whole year, October's gap counts too
    year = {"alarms": _register([D(2021, 1, 1) + dt.timedelta(n) for n in range(365)])}
    assert unlike_last_year(("alarms",), year, {"alarms": _register(october)}, 2021) is not None
    assert unlike_last_year(("alarms",), year, {"alarms": _register(everyday)}, 2021) is None
