"""The period a sentence states (全年, 2021年, 1—8月, {months}) is the one its figures count.

Found by building 2021 from alarms that end in August: the text said "1—8月，…打掉黑社会性质
组织2个" for whole-year counts, and "全年…电诈警情同比下降" for eight months of alarms.
"""

import shutil

import pandas as pd
import pytest

from helpers import figures
from helpers.figures.base import Figure
from helpers.figures.periods import Coverage, coverage, reach
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
@pytest.mark.parametrize(
    ("span", "month"),
    [
        (["2021-08-31", 243], 8),  # records most days, to August: an export of part of the year
        (["2021-08-31", 60], 8),
        (["2021-08-31", 59], None),  # a few days' records: nothing later, or not exported?
        (["2021-12-30", 5], 12),  # a record in December: the year is there to its end
        (["2021-12-31", 365], 12),
        (["2020-12-31", 365], None),  # not this year's records
        (None, None),  # an undated table (a roster)
    ],
)
def test_the_months_a_tables_records_are_known_to_cover(span, month):
    got = coverage("alarms", 2021, span)
    assert (got.month if got else None) == month
    if got:
        assert got.table == "110警情表" and got.last == span[0]


def test_a_chapter_reaches_as_far_as_its_furthest_known_table():
    spans = {"alarms": ["2021-08-31", 243], "gangs": ["2021-10-02", 12], "venues": None}
    assert reach(spans, 2021) == 8
    assert reach({**spans, "cases": ["2021-12-31", 365]}, 2021) == 12
    assert reach({"gangs": ["2021-10-02", 12]}, 2021) is None


# ------------------------------------------------------------------ the text
def _figure(fid: str, display: str) -> Figure:
    return Figure(fid, fid, 1, "", display, "表", "定义", 1)


AUGUST = Coverage("110警情表", 2021, 8, "2021-08-31")
DECEMBER = Coverage("案件表", 2021, 12, "2021-12-31")


def _text(template: str, periods: dict, months: str = "1—12月", reach_: int | None = None):
    section = narrative.section({"items": [template]}, "safety", narrative.narrative_file(2021))
    values = {
        "year": 2021,
        "next_year": 2022,
        "months": months,
        "period": "全年",
        **{fid: _figure(fid, f"<{fid}>") for fid in ("F1", "F2", "F3")},
    }
    blocks = compose(section, values, {}, periods=periods, reach=reach_)
    text = "".join(b["text"] for b in blocks if b["kind"] == "paragraph")
    notes = [x for b in blocks if b["kind"] == "note" for x in b["left_out"]]
    return text, notes


def test_a_clause_whose_figures_cover_less_than_the_whole_year_it_states_is_left_out():
    text, notes = _text("全年受理{F1}，立案{F3}；警情{F2}。", {"F1": (DECEMBER,), "F2": (AUGUST,)})
    assert text == "一是全年受理<F1>，立案<F3>。"
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
    assert text == "一是破案<F3>。"
    assert "案件表2021年的记录涵盖全年" in notes[0]["why"]


def test_the_months_slot_says_the_months_of_the_figures_after_it():
    periods = {"F1": (DECEMBER,), "F2": (AUGUST,)}
    text, notes = _text("{months}，打掉{F1}。{months}，投诉{F2}。", periods, months="1—8月")
    assert text == "一是1—12月，打掉<F1>。1—8月，投诉<F2>。" and not notes


@pytest.mark.parametrize(("cover", "said"), [(DECEMBER, "全年"), (AUGUST, "1—8月")])
def test_the_period_slot_says_a_whole_year_as_such(cover, said):
    text, notes = _text("{period}开展{F1}。", {"F1": (cover,)})
    assert text == f"一是{said}开展<F1>。" and not notes


def test_a_slot_before_figures_of_unknown_months_says_how_far_the_chapters_tables_reach():
    """Groups dismantled on a few days of the year: their months are not known, so the slot
    follows the chapter's tables (cases to December), not the alarms that end in August."""
    text, _ = _text("{months}，打掉{F3}。", {"F2": (AUGUST,)}, months="1—8月", reach_=12)
    assert text == "一是1—12月，打掉<F3>。"
    text, _ = _text("{months}，打掉{F3}。", {}, months="1—8月", reach_=None)
    assert text == "一是1—8月，打掉<F3>。"  # nothing known at all: the chapter's own word


def test_figures_of_unknown_months_and_undated_figures_are_not_judged():
    text, notes = _text("全年受理{F3}，注册率{F1}。", {})
    assert text == "一是全年受理<F3>，注册率<F1>。" and not notes


def test_a_figure_over_tables_that_end_in_different_months_fits_no_one_period():
    text, notes = _text("{months}，警情和案件合计{F1}。", {"F1": (AUGUST, DECEMBER)})
    assert text == ""
    assert notes[0]["why"] == "所说的期间“1—8月”与数据不符：案件表2021年的记录涵盖全年"


def test_a_period_governs_the_figures_after_it_up_to_the_next_period():
    periods = {"F1": (DECEMBER,), "F2": (AUGUST,)}
    text, notes = _text("全年受理{F1}，其中1—8月警情{F2}。", periods)
    assert text == "一是全年受理<F1>，其中1—8月警情<F2>。" and not notes


def test_a_quoted_period_word_states_nothing():
    text, notes = _text("开展“全年无休”服务，警情{F2}。", {"F2": (AUGUST,)})
    assert text == "一是开展“全年无休”服务，警情<F2>。" and not notes


# ------------------------------------------------------------------ a chapter from real tables
def test_alarms_that_end_in_august_leave_whole_year_counts_whole_year(small_dir, tmp_path):
    """The safety chapter with 2021's alarms cut at 31 August, every other table whole: the
    groups dismantled are 1—12月, the alarm comparisons under 全年 and 2021年 are left out with
    the alarm file's last date, and the text says nothing of a period the alarms do not cover."""
    data = shutil.copytree(small_dir, tmp_path / "raw")
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
    why = [x["why"] for b in blocks if b["kind"] == "note" for x in b["left_out"]]
    assert f"所说的期间“全年”与数据不符：110警情表2021年的记录只到8月（最后一条在{last}）" in why
    assert any(w.startswith("所说的期间“2021年”与数据不符") for w in why)


def test_whole_year_tables_leave_the_2021_text_as_it_was(small_dir):
    res = figures.chapter("safety", 2021, small_dir, city="东莞")
    args = (narrative.load(2021, "safety"), res.values(), res.absent)
    checked = compose(*args, periods=res.periods, reach=res.reach)
    assert checked == compose(*args)
    assert all(b["kind"] != "note" for b in checked)
