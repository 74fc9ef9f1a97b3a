"""Assembly: annex notes reach the recorded figures; report.html's contents, table cells and
tooltips."""

import re

import pytest

from helpers.render import assemble
from helpers.render.assemble import report_html
from helpers.render.document import Chapter, apply_notes, cell_class, column_classes, title
from helpers.render.report import table_html


def test_notes_attach_to_their_figure_only():
    ch = Chapter("x", figures=[{"id": "F023", "note": ""}, {"id": "F022", "note": "已有说明"}])
    apply_notes([ch], {"F023": "与公开稿的差异", "F999": "无此项"})
    assert ch.figures[0]["note"] == "与公开稿的差异"
    assert ch.figures[1]["note"] == "已有说明"


def test_title_from_parameters():
    assert (
        title({"organ": "东莞市公安局", "year": 2021}) == "东莞市公安局2021年法治政府建设年度报告"
    )


PARAMS = {"organ": "东莞市公安局", "year": 2021, "report_date": "2022-01-20"}
FIGURE = {
    "id": "F020", "label": "电诈破案数", "value": 329, "unit": "起", "display": "329起",
    "prior": 207, "change": 58.94, "definition": "年内破案数", "source": "cases", "rows": 329,
    "note": "",
}  # fmt: skip


def _page() -> str:
    part = Chapter("measures", blocks=[{"kind": "heading", "level": 1, "text": "一、主要举措"}])
    study = Chapter(
        "11_study",
        blocks=[{"kind": "paragraph", "lead": "（一）学习。", "text": "学习。", "html": "学习。"}],
        tables=[
            {
                "caption": "活动",
                "columns": ["日期", "类别", "人数", "内容"],
                "rows": [
                    ["2021-05-28", "学法", "1,234", "市局党委集体学习中华人民共和国民法典全文"],
                    ["2021-11-24", "普法", "56", "开展国家宪法日宣传活动并组织全警参加学习"],
                ],
            }
        ],
        figures=[FIGURE],
    )
    safety = Chapter(
        "13_safety",
        blocks=[
            {
                "kind": "paragraph", "lead": "（二）平安。", "text": "破案329起。",
                "html": '破案<span class="fig" tabindex="0" data-fig="F020" data-tip="电诈破案数">329起</span>。',
            }
        ],
    )  # fmt: skip
    closing = Chapter("30_problems", blocks=[{"kind": "heading", "level": 1, "text": "二、问题"}])
    return report_html([part, study, safety, closing], PARAMS, embed=False)


def test_contents_nest_sections_under_their_part_and_number_them_once():
    page = _page()
    nav = page[page.index("<nav") : page.index("</nav>")]
    assert "<ol" not in nav  # an <ol> would put 1. 2. before 一、 and （一）
    part = re.search(
        r'<li class="toc-1"><a href="#measures-0">一、主要举措</a><ul>(.*?)</ul></li>', nav, re.S
    )
    assert part, nav
    assert re.findall(r'<li class="toc-2"><a href="#[^"]+">([^<]+)</a>', part.group(1)) == [
        "（一）学习",
        "（二）平安",
    ]
    assert '<li class="toc-1"><a href="#30_problems-0">二、问题</a></li>' in nav
    assert re.search(r"nav\.toc ul \{[^}]*list-style: none", page)


def test_table_cells_are_classed_numbers_right_aligned_dates_unbroken():
    page = _page()
    annex = page[page.index('id="annex-11_study"') :]
    assert (
        '<th class="nowrap">日期</th><th class="nowrap">类别</th><th class="num">人数</th><th>内容</th>'
        in annex
    )
    assert (
        '<td class="nowrap">2021-05-28</td><td class="nowrap">学法</td><td class="num">1,234</td><td>市局'
        in annex
    )
    row = re.search(r'<tr id="fig-F020">(.*?)</tr>', page).group(1)
    assert '<td data-label="正文写法">329起</td>' in row  # the text as written: left-aligned
    assert '<td class="num" data-label="上年">207</td>' in row
    assert '<td class="num" data-label="变化">上升58.94%</td>' in row
    css = page[page.index("<style>") : page.index("</style>")]
    assert re.search(r"td\.num \{[^}]*text-align: right;[^}]*tabular-nums", css)
    assert re.search(r"td\.nowrap \{[^}]*white-space: nowrap", css)


def test_each_figure_has_one_tooltip_that_keyboard_and_touch_reach():
    page = _page()
    spans = re.findall(r'<span class="fig"[^>]*>', page)
    assert spans and all("title=" not in s for s in spans)
    assert all(s.count("data-tip=") == 1 and 'tabindex="0"' in s for s in spans)
    css = page[page.index("<style>") : page.index("</style>")]
    assert css.count("content: attr(data-tip)") == 1 and "span.fig:focus::after" in css


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0", "num"), ("-12", "num"), ("12,345", "num"), ("3.50", "num"), ("58.94%", "num"),
        ("1.2万", "num"), ("下降41.3%", "num"), ("持平", "num"), ("2021-05-28", "nowrap"),
        ("5月28日", "nowrap"), ("2021年3月", "nowrap"), ("东莞市", "nowrap"), ("329起", "nowrap"),
        ("市局党委集体学习中华人民共和国民法典", ""), ("", ""),
    ],
)  # fmt: skip
def test_cell_class(text, expected):
    assert cell_class(text) == expected


def test_a_column_is_numeric_only_when_every_cell_is():
    rows = [["1", "a", "2021-01-01", "x" * 20], ["", "1", "3", "y"]]
    assert column_classes(rows) == ["num", "nowrap", "nowrap", ""]
    assert column_classes([]) == []


def test_notebook_tables_carry_the_same_classes():
    out = table_html(["城市", "注册率"], [["东莞市", "70.87%"], ["<b>", "1"]])
    assert '<th class="num">注册率</th>' in out and '<td class="num">70.87%</td>' in out
    assert "&lt;b&gt;" in out  # escaped


def test_the_annex_names_source_tables_in_chinese():
    from helpers.render.document import source_text

    assert source_text("alarms") == "110警情表"
    assert source_text("alarms, cases") == "110警情表, 案件表"
    assert source_text("a_table_of_an_organ") == "a_table_of_an_organ"  # unknown: as it is


def test_warming_compiles_the_chapter_template_before_the_first_chapter():
    """The build warms the exporter while the chapters run (build._preload_assembly), which
    hides every failure: a failure here would slow every build without a word."""
    assemble.warm()
    names = [key[1] for key in assemble._exporter().environment.cache or {}]
    assert "index.html.j2" in names


def test_a_left_out_sentence_is_quoted_with_its_own_quotes_made_single():
    """The list of what a draft left out quotes each sentence as the sections' notes do: quotes
    within it become ‘’ (not “组建□的“东莞义警”队伍”)."""
    left = [{"chapter": "（三）平安", "text": "组建□的“东莞义警”队伍", "why": "F046应大于0"}]
    page = report_html([], PARAMS, embed=False, missing=left)
    assert "（三）平安：“组建□的‘东莞义警’队伍”——F046应大于0" in page
