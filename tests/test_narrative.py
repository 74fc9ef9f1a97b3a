"""The narrative inputs are checked before anything runs, and the text leaves out only what the data
cannot support, saying so (issues 11 and 12)."""

import shutil

import pytest

from helpers import paths
from helpers.errors import NarrativeError
from helpers.figures import Figure
from helpers.inputs import narrative
from helpers.render.compose import compose, units


@pytest.fixture
def narrative_dir(tmp_path, monkeypatch):
    """A copy of the project's narrative files that a test may edit (NARRATIVE points at it)."""
    folder = tmp_path / "narrative"
    shutil.copytree(paths.NARRATIVE, folder)
    monkeypatch.setattr(paths, "NARRATIVE", folder)
    return folder


def _edit(folder, year, old, new):
    path = folder / f"{year}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path, needle):
    return next(
        i
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if needle in line
    )


def test_the_projects_narratives_are_sound():
    for year in (2019, 2020, 2021, 2022, 2023):
        assert narrative.check_year(year) == []


def test_a_misspelt_slot_names_file_line_slot_and_the_nearest_names(narrative_dir):
    path = _edit(narrative_dir, 2021, "破案{F020}", "破案{F0200}")
    [problem] = narrative.check_year(2021)
    text = str(problem)
    assert str(path) in text and f"第 {_line_of(path, '{F0200}')} 行" in text
    assert "{F0200}" in text and "{F020}" in text  # the slot and its nearest existing name


def test_a_word_slot_of_another_chapter_is_an_error(narrative_dir):
    _edit(narrative_dir, 2021, "总体安排。{study_list}", "总体安排。{appearances}")
    [problem] = narrative.check_year(2021)
    assert "{appearances}" in str(problem) and "study" in str(problem)


@pytest.mark.parametrize(
    ("new", "expected"),
    [
        ("破案{F020!r}", "不是单纯的名字"),
        ("破案{F020:>10}", "不是单纯的名字"),
        ("破案{F020.value}", "不是单纯的名字"),
        ("破案{F020", "落单的花括号"),
        ("破案F020}", "落单的花括号"),
    ],
)
def test_slots_are_names_only(narrative_dir, new, expected):
    _edit(narrative_dir, 2021, "破案{F020}", new)
    problems = narrative.check_year(2021)
    assert len(problems) == 1 and expected in str(problems[0])


def test_a_typed_claim_word_needs_a_condition(narrative_dir):
    path = _edit(narrative_dir, 2021, "破案{F020}，同比{F021}", "破案{F020}，同比大幅上升")
    [problem] = narrative.check_year(2021)
    assert "上升" in str(problem) and f"第 {_line_of(path, '大幅上升')} 行" in str(problem)
    assert "when:" in problem.fix


CLOSING_2022 = (
    '  closing: "{year}年，全市110平台接报违法犯罪警情数、行政案件受理数、刑事案件立案数分别同比'
    '{F053}、{F054}、{F055}；行政拘留、刑事拘留、移送审查起诉人数分别同比{F056}、{F057}、{F058}。"'
)


@pytest.mark.parametrize(
    ("closing", "number"),
    [
        ("全年开展专项培训35次，{year}年警情同比{F053}。", "35次"),
        ("群众满意率达到98.5%，警情同比{F053}。", "98.5%"),
        ("全年开展专项培训３５次，警情同比{F053}。", "３５次"),
        ("培训民警一千二百人次，警情同比{F053}。", "一千二百人次"),
        ("化解矛盾纠纷1.2万余宗，警情同比{F053}。", "1.2万余宗"),
        ("结案率达百分之九十五，警情同比{F053}。", "百分之九十五"),
    ],
)
def test_a_number_typed_into_the_text_is_refused(narrative_dir, closing, number):
    """A number typed into the narrative would be printed whatever the data say (tester, round
    20: all four were published as a complete report)."""
    path = _edit(narrative_dir, 2022, CLOSING_2022, f'  closing: "{closing}"')
    [problem] = narrative.check_year(2022)
    assert f"直接写了数字“{number}”" in str(problem)
    assert f"第 {_line_of(path, closing[:6])} 行" in str(problem) and "{F020}" in problem.fix


def test_numbers_in_names_dates_and_set_phrases_are_words_of_the_text(narrative_dir):
    closing = (
        "{year}年12月26日，“海啸2022”行动、12345热线、24小时服务、80周岁以上老人、"
        "第十二次党代会、两起事件、建党100周年、《纲要（2020—2025年）》，警情同比{F053}。"
    )
    _edit(narrative_dir, 2022, CLOSING_2022, f'  closing: "{closing}"')
    assert narrative.check_year(2022) == []


@pytest.mark.parametrize(
    ("text", "when", "expected"),
    [
        # a record or rank needs a comparison of a figure its sentence states: a direction, or
        # a figure not stated there, does not show it (tester, round 20)
        ('"，行政拘留人数增幅为全省最大"', "{F056: 上升}", "没有检验这句写出的哪个数字"),
        ('"，降幅位居全省前列"', "{F057: 下降}", "说了排名"),
        ('"，排名位居全省前列"', "{F053: '<= 3'}", None),
        ('"，行政拘留人数大幅上升"', "{F056: 上升}", "说了上升"),  # F056 not in the sentence
        ('"，大幅下降"', "{F053: 下降}", None),
        ('"，大幅下降"', "[{F053: 下降}, {F056: 下降}]", "说了下降"),  # the second: not stated
    ],
)
def test_a_claim_word_is_backed_only_by_a_figure_its_sentence_states(
    narrative_dir, text, when, expected
):
    new = (
        '  closing:\n    - "{year}年，警情同比{F053}"\n'
        f"    - text: {text}\n      when: {when}\n"
        '    - "。"'
    )
    _edit(narrative_dir, 2022, CLOSING_2022, new)
    problems = [str(p) for p in narrative.check_year(2022)]
    if expected is None:
        assert problems == []
    else:
        assert problems and all(expected in p or "说了" in p for p in problems)
        assert any(expected in p for p in problems)


@pytest.mark.parametrize("when", ["[]", "{}", "0", "''", "[{}]"])
def test_an_empty_when_is_refused_not_taken_for_always(narrative_dir, when):
    """Round 21: when: [], {} and 0 said the piece always, as if it had no condition."""
    new = f'  closing:\n    - text: "警情同比{{F053}}。"\n      when: {when}'
    _edit(narrative_dir, 2022, CLOSING_2022, new)
    try:
        problems = [str(p) for p in narrative.check_year(2022)]
    except NarrativeError as exc:
        problems = [str(exc)]
    assert len(problems) == 1 and "when 必须把数字编号对应到条件" in problems[0]


@pytest.mark.parametrize(
    "typed",
    [
        "近百人",
        "逾千人",
        "上千人",
        "百余人",
        "数十起",
        "上百次",
        "十余次",
        "3千人",
        "5百余人",
        "平均到场时间8.5分钟",
        "考核得分98.6分",
        "巡逻1200公里",
        "300平方米",
        "子弹300发",
        "手机200部",
        "百分之95",
        "三分之一",
        "1/3",
        "零点五个百分点",
        "三个百分点",
        "八次",
        "九名",
        "98.5‰",
        "培训民警35 次",
        "35\u3000次",
        "满意率达“98.5%”",
        '开展“平安校园"35次',
    ],
)
def test_typed_statistics_in_their_many_forms_are_found(typed):
    """Forms the tester of round 21 got published: about-amounts, fractions, measures, a space
    before the unit, digits in quotes (quotes let a slogan's Chinese numerals through, not a
    number written in digits)."""
    from helpers.inputs.claims import typed_numbers

    assert typed_numbers(f"全年{typed}，") != []


@pytest.mark.parametrize(
    "words",
    [
        "市委十四届十二次全会",
        "“十一个坚持”",
        "百万警进“千万家”",
        "十四五期间",
        "第二十三条、二十六条",
        "第3、4条",
        "户籍业务5个工作日内办结",
        "开展为期3个月的行动",
        "二十届三中全会",
        "3·15",
        "7×24小时",
        "5G",
        "4A级",
        "国务院令第711号",
        "粤公通〔2021〕5号",
        "千家万户",
        "三项制度",
        "一次性告知",
        "两次会议",
        "3分局",
    ],
)
def test_numbers_that_are_words_of_official_text_are_not_refused(words):
    from helpers.inputs.claims import typed_numbers

    assert typed_numbers(f"深入学习{words}，") == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("警情实现“双降”", "down"),
        ("刑事警情稳中有降", "down"),
        ("警情骤降", "down"),
        ("负增长", "down"),
        ("零增长", "flat"),
        ("警情激增", "up"),
        ("翻两番", "up"),
        ("同比增12%", "up"),
        ("位居全省前五", "rank"),
        ("全省TOP10", "rank"),
        ("夺得全省冠军", "rank"),
        ("全省最优", "record"),
        ("历年最佳", "record"),
        ("近两年来最好", "record"),
        ("大部分群众", "share"),
        ("逾九成", "share"),
    ],
)
def test_claim_words_in_more_forms_are_found(text, kind):
    from helpers.inputs.claims import find

    assert [c.kind for c in find(text)][:1] == [kind]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("创历年之最", "record"),
        ("刷新历史纪录", "record"),
        ("为全省同类学校之冠", "record"),
        ("数量之多前所未有", "record"),
        ("实现零的突破", "record"),
        ("较上年多打掉一倍", "up"),
        ("是上年的两倍", "up"),
        ("同比大幅提升", "up"),
        ("领跑全省", "rank"),
        ("占抓获总数的一半以上", "share"),
        ("同比增加12%", "up"),
        ("增加了", "up"),
        ("破案率大幅提升", "up"),
        ("群众满意率持续提高", "up"),
    ],
)
def test_claim_words_found_by_the_tester_of_round_22(text, kind):
    from helpers.inputs.claims import find

    assert [c.kind for c in find(text)][:1] == [kind]


@pytest.mark.parametrize(
    "text",
    [
        "推动法治建设从“要我做”上升到“我要做”",
        "最大限度减少疫情对律师执业的影响",
        "最大程度减少社会对立面",
        "为经济持续增长营造了良好的法治环境",
        "力争执法质量考评进入全省前列",
        "电诈警情降幅全省排名{F030}，走在全省前列",
        "办事效率大幅提升",
    ],
)
def test_verbs_of_means_and_aims_claim_nothing(text):
    """Round 22: 减少, 增长 as verbs of what is done, and an aim for the year ahead, were
    refused as claims of the data."""
    from helpers.inputs.claims import find

    assert find(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "落实最高人民检察院的部署",
        "最低生活保障",
        "对首次违法且危害后果轻微的不予处罚",
        "把成熟经验上升为制度",
        "减少证明材料",
        "被命名为全国第一批示范地区",
        "力争走在全省前列",
        "前三季度",
        "前10个月",
        "大幅提升执法办案效能",
    ],
)
def test_set_phrases_of_official_text_claim_nothing(text):
    from helpers.inputs.claims import find

    assert find(text) == []


@pytest.mark.parametrize(
    ("claim", "when", "backed"),
    [
        ("位居全省第一", "{F025: '<= 3'}", False),  # round 21: published with F025 = 3
        ("位居全省第一", "{F025: '== 1'}", True),
        ("位居全省第一", "{F025: '<= 1'}", True),
        ("破案数居全省第一", "{F025: '> 0'}", False),  # a lower bound is no rank
        ("位居全省前列", "{F025: '<= 3'}", True),
        ("位居全省前列", "{F025: '<= 5'}", False),
        ("位居全省前五", "{F025: '<= 5'}", True),
        ("排名全省第3", "{F025: '== 3'}", True),
        ("排名全省第3", "{F025: '<= 3'}", False),
        ("注册率居全省最高", "{F025: '== 1'}", True),
        ("降幅为近五年最大", "{F025: '== 1'}", False),  # a record over years: the figure's own
    ],
)
def test_a_rank_or_record_needs_a_comparison_that_implies_it(narrative_dir, claim, when, backed):
    new = (
        '  closing:\n    - "APP注册率排名{F025}"\n'
        f'    - text: "，{claim}"\n      when: {when}\n'
        '    - "。"'
    )
    _edit(narrative_dir, 2022, CLOSING_2022, new)
    problems = [str(p) for p in narrative.check_year(2022)]
    assert (problems == []) == backed, problems


def test_the_group_that_does_not_back_a_claim_is_named_and_a_bad_when_has_its_line(
    narrative_dir,
):
    """Round 21: “每一组都没有检验” was said when only the second group failed, and a malformed
    when gave no line."""
    new = (
        '  closing:\n    - "{year}年，警情同比{F053}"\n'
        '    - text: "，大幅下降"\n      when: [{F053: 下降}, {F056: 下降}]\n    - "。"'
    )
    path = _edit(narrative_dir, 2022, CLOSING_2022, new)
    [problem] = narrative.check_year(2022)
    assert "但第 2 组条件没有检验这句写出的哪个数字能说明这一点" in str(problem)
    _edit(narrative_dir, 2022, "when: [{F053: 下降}, {F056: 下降}]", "when: [{F053: 下降}, F056]")
    try:
        problems = [str(p) for p in narrative.check_year(2022)]
    except NarrativeError as exc:
        problems = [str(exc)]
    assert problems[0].startswith(f"{path} 第 {_line_of(path, '，大幅下降')} 行：")


def test_a_claim_about_another_figure_than_its_condition_is_left_out_with_a_note():
    """Round 21: “全年行政拘留人数同比{F056}，违法犯罪警情大幅上升” on F056 rising was published,
    with alarms (F053) down. The claim's clause names F053 (by its label), not the figure its
    condition tests: the piece is left out with a note."""
    from pathlib import Path

    def fig(fid, label, direction, shown):
        figure = Figure(fid, label, 1, "%", shown, "t", "d", 1)
        figure.direction = direction
        return figure

    values = {
        "F056": fig("F056", "行政拘留人数同比", "up", "上升17.65%"),
        "F053": fig("F053", "110违法犯罪警情同比", "down", "下降15.78%"),
    }
    piece = {"text": "，违法犯罪警情大幅上升", "when": {"F056": "上升"}}
    sec = narrative.section(
        {"closing": ["全年行政拘留人数同比{F056}", piece, "。"]}, "safety", Path("x")
    )
    blocks = compose(sec, values, {})
    assert blocks[0]["text"] == "全年行政拘留人数同比上升17.65%。"
    assert blocks[1]["kind"] == "note" and blocks[1]["left_out"][0]["claim"]
    assert (
        "所述对象与条件不符：“违法犯罪警情大幅上升”说的是 F053（110违法犯罪警情同比），条件检验的是 F056"
        in blocks[1]["text"]
    )
    piece = {"text": "，违法犯罪警情大幅下降", "when": {"F053": "下降"}}
    sec = narrative.section({"closing": ["全年警情同比{F053}", piece, "。"]}, "safety", Path("x"))
    [block] = compose(sec, values, {})
    assert block["text"] == "全年警情同比下降15.78%，违法犯罪警情大幅下降。"
    # round 22: 刑事拘留人数 shares 拘留人数 with F056's label, but all six characters with F057's
    values["F057"] = fig("F057", "刑事拘留人数同比", "down", "下降1.13%")
    values["F022"] = fig("F022", "电诈抓获违法犯罪人员", None, "95590人")
    piece = {"text": "，刑事拘留人数亦同比上升", "when": {"F056": "上升"}}
    sec = narrative.section(
        {"closing": ["行政拘留人数同比{F056}", piece, "。"]}, "safety", Path("x")
    )
    blocks = compose(sec, values, {})
    assert (
        "“刑事拘留人数亦同比上升”说的是 F057（刑事拘留人数同比），条件检验的是 F056"
        in (blocks[1]["text"])
    )
    piece = {"text": "，违法犯罪警情大幅上升", "when": {"F056": "上升"}}
    sec = narrative.section(
        {"closing": ["行政拘留人数同比{F056}", piece, "。"]}, "safety", Path("x")
    )
    # F022's label shares 违法犯罪 (4), F053's 违法犯罪警情 (6): the note names F053
    assert "说的是 F053（110违法犯罪警情同比）" in compose(sec, values, {})[1]["text"]


def test_a_condition_on_an_unknown_figure_or_with_a_bad_form_is_an_error(narrative_dir):
    _edit(
        narrative_dir,
        2021,
        "when: {F028: 下降, F029: 下降, F030: 下降, F031: 下降}",
        "when: {F300: 下降, F031: 大约}",
    )
    problems = [str(p) for p in narrative.check_year(2021)]
    assert any("'F300'" in p and "{F030}" in p for p in problems)
    assert any("大约" in p and "不是条件" in p for p in problems)


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("[{F053: 下降}, {F055: 下降}]", None),  # each group backs 下降
        ("[{F053: 下降}, {F043: '>= 90'}]", "下降"),  # the second group does not
        ("[{F053: 下降}, F055]", "几组这样的条件的列表"),
        ("[{F053: 下降}, {}]", "几组这样的条件的列表"),
        ("[{F053: 下降}, {F5300: 下降}]", "'F5300'"),
    ],
)
def test_groups_of_conditions_each_back_the_claim_words(narrative_dir, when, expected):
    """``when: [{…}, {…}]``: the text is said when any one group holds, so a claim word typed
    in it must be backed by every group."""
    _edit(
        narrative_dir,
        2021,
        '    - text: "，社会治安呈现“违法犯罪下降、打击效能提升”的良好态势"\n'
        "      when: {F053: 下降, F055: 下降, F056: 上升, F057: 上升, F058: 上升}",
        '    - text: "，违法犯罪警情下降"\n      when: ' + when,
    )
    try:
        problems = [str(p) for p in narrative.check_year(2021)]
    except NarrativeError as exc:  # a group of the wrong form: the file is refused at once
        problems = [str(exc)]
    if expected is None:
        assert problems == []
    else:  # (a group naming no figure of the chapter backs no claim word either)
        assert problems and any(expected in p for p in problems)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("safety:\n\titems: [a]\n", "不要用制表符"),
        ("a: &x [1, 2]\nb: *x\n", "YAML 锚点和别名"),
        ("<<<<<<< HEAD\nopening: {}\n=======\nopening: {}\n>>>>>>> branch\n", "未解决的合并冲突"),
        ("opening:\n  paragraphs:\n    - 2021-03-01\n", None),  # a date stays text
        ("opening:\n  paragraphs:\n    - 2021\n", "不是文字"),
        ('opening:\n  paragraphs: "一段"\n', "必须是文字的列表"),
        ("opening:\n  paragraph:\n    - 一段\n", "有未知的键"),
        ("openning:\n  paragraphs:\n    - 一段\n", "不是 report.yaml 中的章"),
    ],
)
def test_malformed_yaml_is_one_clear_error(narrative_dir, content, expected):
    (narrative_dir / "2021.yaml").write_text(content, encoding="utf-8")
    # these files hold one section: the report's other sections are missing, said apart
    problems = [p for p in narrative.check_year(2021) if "但文件中没有" not in str(p)]
    if expected is None:
        assert problems == []
    else:
        assert len(problems) == 1 and expected in str(problems[0]), problems


def test_a_billion_laughs_is_refused_quickly(narrative_dir):
    lines = ['a0: &a0 ["lol"]'] + [
        f"a{i}: &a{i} [{', '.join(['*a' + str(i - 1)] * 9)}]" for i in range(1, 10)
    ]
    (narrative_dir / "2021.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    [problem] = narrative.check_year(2021)
    assert "锚点和别名" in str(problem)


def test_a_file_saved_in_gbk_is_refused_with_the_line(narrative_dir):
    path = narrative_dir / "2021.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("gb18030"))
    [problem] = narrative.check_year(2021)
    assert "不是 UTF-8" in str(problem) and "第 1 行" in str(problem) and "UTF-8" in problem.fix


def test_a_piece_too_long_for_the_layout_is_refused(narrative_dir):
    _edit(narrative_dir, 2021, "破案{F020}", "破案{F020}" + "很" * 5000)
    [problem] = narrative.check_year(2021)
    assert "个字符（一个片段最多" in str(problem)


# ------------------------------------------------------------------ composing the text
FIG = {
    "F001": Figure("F001", "甲", 5, "起", "5起", "t", "d", 5, direction="up"),
    "F002": Figure("F002", "乙", 90, "%", "90%", "t", "d", 5),
}


def _section(raw, tmp_path):
    return narrative.section(raw, "study", tmp_path / "x.yaml")


def test_a_clause_stating_none_of_something_done_is_left_out_unless_a_condition_names_it(
    tmp_path,
):
    """打掉黑社会性质组织0个 is no result to report (tester, round 17: about 25 such clauses in the
    sample narrative): a clause stating 0 of a counted figure is left out with a note; a rate or
    change of 0 is said as it is, and a condition naming the figure says 0 on purpose."""
    figs = {
        "F015": Figure("F015", "黑社会性质组织", 0, "个", "0个", "t", "d", 0, counted=True),
        "F016": Figure("F016", "恶势力犯罪集团", 3, "个", "3个", "t", "d", 3, counted=True),
        "F004": Figure("F004", "核查率", 0, "%", "0%", "t", "d", 4),
        "F021": Figure("F021", "同比", 0, "%", "持平", "t", "d", 4, direction="flat"),
    }
    raw = {
        "items": [["打掉黑社会性质组织{F015}、恶势力犯罪集团{F016}；核查率达{F004}，同比{F021}。"]]
    }
    blocks = compose(_section(raw, tmp_path), figs, {})
    assert blocks[0]["text"] == "核查率达0%，同比持平。"
    assert blocks[1]["text"] == (
        "【说明】本节略去1处文字。所述与本年数据不符：F015（黑社会性质组织）应大于0个，数据为0个"
        "——“打掉黑社会性质组织□、恶势力犯罪集团□”。"
    )
    raw["items"] = [
        [{"text": "打掉黑社会性质组织{F015}；", "when": {"F015": ">= 0"}}, "另{F016}。"]
    ]
    blocks = compose(_section(raw, tmp_path), figs, {})
    assert [b["text"] for b in blocks] == ["打掉黑社会性质组织0个；另3个。"]
    # a condition that 0 does not meet says nothing of saying 0: its own piece is left out,
    # and the clause stating 0 too (tester, round 18: "> 0" on another piece let 0 through)
    raw["items"] = [
        [
            "打掉黑社会性质组织{F015}；",
            {"text": "成效明显；", "when": {"F015": "> 0"}},
            "另{F016}。",
        ]
    ]
    blocks = compose(_section(raw, tmp_path), figs, {})
    assert blocks[0]["text"] == "另3个。"
    assert [x["text"] for x in blocks[1]["left_out"]] == ["成效明显", "打掉黑社会性质组织□"]


def test_an_item_after_the_first_of_a_list_stating_none_is_left_out_alone(tmp_path):
    """恶势力犯罪集团0个 in a list of four: that item goes, with its note, and the true figures
    around it stay (tester, round 18: one 0 took the whole sentence); a 0 in the first item,
    which holds the verb, still takes the clause."""

    def fig(fid, n, unit="个"):
        return Figure(fid, fid, n, unit, f"{n}{unit}", "t", "d", 1, counted=True)

    figs = {f: fig(f, n) for f, n in [("F015", 2), ("F016", 0), ("F017", 136), ("F018", 0)]}
    figs["F019"] = fig("F019", 16, "人")
    text = "打掉黑社会性质组织{F015}、恶势力犯罪集团{F016}、网络团伙{F017}、其它团伙{F018}，抓获逃犯{F019}。"
    raw = {"items": [text, "另{F019}。"]}
    blocks = compose(_section(raw, tmp_path), figs, {})
    assert (
        blocks[0]["text"] == "一是打掉黑社会性质组织2个、网络团伙136个，抓获逃犯16人。二是另16人。"
    )
    assert [x["text"] for x in blocks[1]["left_out"]] == ["恶势力犯罪集团□", "其它团伙□"]
    # a 、 inside the words is no list (tester, round 19: "抓获部、省目标逃犯0人" read
    # "抓获部"): the clause goes whole
    figs["F019"] = fig("F019", 0, "人")
    raw["items"][0] = "打掉团伙{F017}，抓获部、省目标逃犯{F019}；为企业、社区服务{F017}。"
    blocks = compose(_section(raw, tmp_path), figs, {})
    assert blocks[0]["text"] == "为企业、社区服务136个。"
    assert blocks[1]["left_out"][0]["text"] == "打掉团伙□，抓获部、省目标逃犯□"
    figs["F019"] = fig("F019", 16, "人")
    raw["items"][0] = text
    figs["F015"] = fig("F015", 0)
    blocks = compose(_section(raw, tmp_path), figs, {})
    assert blocks[0]["text"] == "另16人。"
    (left,) = blocks[1]["left_out"]
    assert left["text"].startswith("打掉黑社会性质组织□、恶势力犯罪集团□")
    assert "F015" in left["why"] and "F016" in left["why"] and "F018" in left["why"]


def test_an_item_left_alone_is_not_numbered(tmp_path):
    """一是 promises a 二是 (tester, round 18: the other items left out, 一是 stood alone)."""
    raw = {"items": ["共{F001}。", "另有{F009}。", "占{F002}。"]}
    sec = _section(raw, tmp_path)
    figs = {**FIG, "F009": Figure("F009", "丙", 7, "个", "7个", "t", "d", 7)}
    assert compose(sec, figs, {})[0]["text"] == "一是共5起。二是另有7个。三是占90%。"
    absent = {"F001": "缺少甲", "F002": "缺少乙"}
    only = {k: v for k, v in figs.items() if k == "F009"}
    assert compose(sec, only, absent)[0]["text"] == "另有7个。"


def test_units_split_at_full_stops_and_semicolons_outside_quotes():
    assert units("甲；乙“丙。丁”。《戊；己》庚") == ["甲；", "乙“丙。丁”。", "《戊；己》庚"]


def test_a_sentence_whose_figure_is_absent_is_left_out_with_the_reason(tmp_path):
    sec = _section({"items": ["共{F001}；另有{F009}。再说{F002}。"]}, tmp_path)
    blocks = compose(sec, FIG, {"F009": "缺少数据表：某表（2021年，应在 /x/t/2021.csv）"})
    assert blocks[0]["text"] == "共5起。再说90%。"
    note = blocks[1]
    assert note["kind"] == "note" and "某表（2021年，应在 /x/t/2021.csv）" in note["text"]
    assert "F009" not in note["text"]  # the reader is told the table, not an id


def test_a_condition_that_fails_drops_its_piece_and_says_why(tmp_path):
    sec = _section(
        {"items": [["数量{F001}", {"text": "，持续下降", "when": {"F001": "下降"}}, "。"]]},
        tmp_path,
    )
    blocks = compose(sec, FIG, {})
    assert blocks[0]["text"] == "数量5起。"
    assert blocks[1]["left_out"][0]["claim"] and "应下降" in blocks[1]["left_out"][0]["why"]


def test_else_is_said_instead_and_no_note_is_needed(tmp_path):
    sec = _section(
        {
            "items": [
                [
                    "数量{F001}",
                    {"text": "，持续下降", "when": {"F001": "下降"}, "else": "，较上年有所变化"},
                    "。",
                ]
            ]
        },
        tmp_path,
    )
    blocks = compose(sec, FIG, {})
    assert [b["kind"] for b in blocks] == ["paragraph"]
    assert blocks[0]["text"] == "数量5起，较上年有所变化。"


def test_a_condition_that_holds_keeps_its_piece(tmp_path):
    sec = _section(
        {"items": [["占{F002}", {"text": "，绝大多数", "when": {"F002": ">= 90"}}, "。"]]}, tmp_path
    )
    assert compose(sec, FIG, {})[0]["text"] == "占90%，绝大多数。"


def test_items_left_out_whole_are_renumbered(tmp_path):
    sec = _section({"items": ["有{F009}。", "共{F001}。", "占{F002}。"]}, tmp_path)
    assert compose(sec, FIG, {"F009": "缺"})[0]["text"] == "一是共5起。二是占90%。"


def test_a_semicolon_before_a_dropped_sentence_end_becomes_a_full_stop(tmp_path):
    sec = _section({"items": ["共{F001}；另{F009}。又{F002}。"]}, tmp_path)
    assert compose(sec, FIG, {"F009": "缺"})[0]["text"] == "共5起。又90%。"


def test_a_slot_that_is_not_computed_without_a_reason_is_still_left_out(tmp_path):
    with pytest.raises(NarrativeError):
        narrative.section({"items": [1]}, "study", tmp_path / "x.yaml")


def test_validate_and_build_refuse_a_misspelt_slot(narrative_dir, small_dir, tmp_path, capsys):
    from helpers.cli import main
    from helpers.run.build import build_report

    _edit(narrative_dir, 2021, "破案{F020}", "破案{F0200}")
    assert main(["validate", "--year", "2021", "--data-dir", str(small_dir)]) == 1
    out = capsys.readouterr().out
    assert "{F0200}" in out and "是不是 {F020}" in out
    with pytest.raises(NarrativeError, match=r"\{F0200\}"):
        build_report(2021, data_dir=small_dir, reports_dir=tmp_path / "r", progress=lambda _: None)
    assert not (tmp_path / "r" / "2021").exists()  # refused before any chapter ran


def test_full_width_braces_duplicate_sections_and_missing_sections(narrative_dir):
    path = _edit(narrative_dir, 2021, "破案{F020}", "破案｛F020｝")
    [problem] = narrative.check_year(2021)
    assert "全角花括号" in str(problem) and f"第 {_line_of(path, '｛F020｝')} 行" in str(problem)
    _edit(narrative_dir, 2021, "破案｛F020｝", "破案{F020}")
    with path.open("a", encoding="utf-8") as f:
        f.write('safety:\n  lead: "（三）平安建设。"\n')
    [problem] = narrative.check_year(2021)
    assert (
        "键 'safety' 在同一个映射中出现了两次" in str(problem) and "只保留其中一个" in problem.fix
    )
    path.write_text("", encoding="utf-8")
    problems = narrative.check_year(2021)
    from helpers.inputs import declaration

    assert len(problems) == len(declaration.load().for_year(2021))
    assert "但文件中没有 opening: 一节" in str(problems[0])


def test_a_year_without_narrative_names_an_existing_file_to_copy(tmp_path, monkeypatch):
    for year in (2019, 2021, 2031):
        (tmp_path / f"{year}.yaml").write_text("x: y\n", encoding="utf-8")
    with pytest.raises(NarrativeError, match="2030.yaml 不存在") as err:
        narrative.load_file(2030, tmp_path)
    assert err.value.fix == (
        f"把 {tmp_path / '2021.yaml'} 复制为 {tmp_path / '2030.yaml'}，再按 2030 年的情况改写"
    )
    empty = tmp_path / "ws" / "narrative"  # a new workspace: start from the project's text
    empty.mkdir(parents=True)
    with pytest.raises(NarrativeError) as err:
        narrative.load_file(2030, empty)
    assert err.value.fix == (
        f"把 {paths.NARRATIVE / '2023.yaml'} 复制为 {empty / '2030.yaml'}，再按 2030 年的情况改写"
    )
    monkeypatch.setattr(paths, "NARRATIVE", tmp_path / "nowhere")
    with pytest.raises(NarrativeError) as err:
        narrative.load_file(2030, empty)
    assert err.value.fix == f"写出 {empty / '2030.yaml'}，每章一节（章名: 文字）"


@pytest.mark.parametrize("year", [2020, 2021, 2022, 2023])
@pytest.mark.parametrize("members", [0, 2669580])
def test_the_volunteer_team_is_said_formed_only_with_members_on_the_roster(year, members):
    """An empty roster (F046 = 0) must not be written up as "组建0人的“东莞义警”队伍": that
    clause is left out, with a note, and the rest of the sentence stays (tester, round 2)."""
    sec = narrative.load(year, "safety")
    slots = {s for _, e in sec.entries() for p in e for s in narrative.slot_names(p.text)}
    values = {
        s: Figure(s, s, 7, "个", "7个", "t", "d", 7) if s.startswith("F") else "某地" for s in slots
    }
    shown = "0人" if not members else "266.96万人"
    values["F046"] = Figure("F046", "东莞义警队伍", members, "人", shown, "t", "d", members)
    values["F047"] = Figure("F047", "义警小组", 0 if not members else 95400, "个", "x", "t", "d", 1)
    blocks = compose(sec, values, {})
    text = "".join(b["text"] for b in blocks if b["kind"] == "paragraph")
    assert "先莞队”7个" in text  # the sentence around the clause is kept
    if members:
        assert "266.96万人" in text and "义警小组，布建" in text.replace("x", "")
        assert ("义警力量全面参与" in text) == (year == 2021)
    else:  # (2021 names a plan for the team elsewhere: the clause is told by its groups)
        assert "义警小组" not in text and "0人" not in text
        assert "；布建" in text  # the semicolon before the clause stays
        assert "义警力量全面参与" not in text  # (2021: its results are still the volunteers')
        # the volunteers stay who helped catch suspects
        assert "义警召集点7个。义警协助抓获" in text or "义警召集点7个，义警协助抓获" in text
        notes = [b for b in blocks if b["kind"] == "note"]
        assert any("“东莞义警”队伍" in d["text"] for n in notes for d in n["left_out"])
        said = "".join(n["text"] for n in notes)
        assert "应大于0人，数据为0人" in said and "‘东莞义警’队伍" in said
    if year == 2021:  # without a roster the volunteers are still who helped catch suspects
        values.pop("F046")
        blocks = compose(sec, values, {"F046": "缺少数据表：义警名册"})
        text = "".join(b["text"] for b in blocks if b["kind"] == "paragraph")
        assert "义警召集点7个。义警协助抓获犯罪嫌疑人7个" in text


@pytest.mark.parametrize("year", [2020, 2021, 2022, 2023])
@pytest.mark.parametrize(("caught", "deeds"), [(0, 5), (3, 0), (0, 0), (3, 5)])
def test_no_suspect_caught_or_good_deed_is_not_written_up_as_a_result(year, caught, deeds):
    """“协助抓获犯罪嫌疑人0人次” is no result to report: with either count 0 the clause of the
    volunteers' results is left out, with a note, and the sentence around it still reads."""
    sec = narrative.load(year, "safety")
    slots = {s for _, e in sec.entries() for p in e for s in narrative.slot_names(p.text)}
    values = {
        s: Figure(s, s, 7, "个", "7个", "t", "d", 7) if s.startswith("F") else "某地" for s in slots
    }
    values["F050"] = Figure("F050", "义警协助抓获", caught, "人次", f"{caught}人次", "t", "d", 1)
    values["F051"] = Figure("F051", "义警好人好事", deeds, "起", f"{deeds}起", "t", "d", 1)
    blocks = compose(sec, values, {})
    text = "".join(b["text"] for b in blocks if b["kind"] == "paragraph")
    said = "".join(n["text"] for n in blocks if n["kind"] == "note")
    if caught and deeds:
        assert "协助抓获犯罪嫌疑人3人次，涌现好人好事5起" in text and "协助抓获" not in said
        return
    assert "协助抓获" not in text and "好人好事" not in text
    assert "0人次" not in text and "0起" not in text
    assert "义警召集点7个。" in text  # the sentence is closed where the clause was
    assert "协助抓获犯罪嫌疑人" in said
    assert ("应大于0人次，数据为0人次" in said) == (caught == 0)
    assert ("应大于0起，数据为0起" in said) == (deeds == 0)
    if year == 2021:
        assert "工作，共建共治共享的社会治理格局进一步巩固。" in text


@pytest.mark.parametrize(("members", "caught"), [(0, 0), (None, 0), (0, 3), (5, 0), (5, 3)])
def test_the_volunteers_are_said_to_consolidate_governance_only_with_members_or_results(
    members, caught
):
    """2021 closes the volunteers' sentence with “共建共治共享的社会治理格局进一步巩固”, and
    its subject 义警 stands before either of the two clauses that back it. With no member on
    the roster (or no roster) and no result, neither is said: the sentence ends at the rally
    points, and a note says which groups of conditions failed (tester, round 19)."""
    sec = narrative.load(2021, "safety")
    slots = {s for _, e in sec.entries() for p in e for s in narrative.slot_names(p.text)}
    values = {
        s: Figure(s, s, 7, "个", "7个", "t", "d", 7) if s.startswith("F") else "某地" for s in slots
    }
    absent = {}
    if members is None:
        values.pop("F046")
        absent["F046"] = "缺少数据表：义警名册"
    else:
        values["F046"] = Figure("F046", "东莞义警队伍", members, "人", f"{members}人", "t", "d", 1)
    values["F050"] = Figure("F050", "义警协助抓获", caught, "人次", f"{caught}人次", "t", "d", 1)
    blocks = compose(sec, values, absent)
    text = "".join(b["text"] for b in blocks if b["kind"] == "paragraph")
    said = "".join(n["text"] for n in blocks if n["kind"] == "note")
    end = "共建共治共享的社会治理格局进一步巩固。"
    if members:
        assert "义警召集点7个。义警力量全面参与" in text
        assert text.count("义警力量") == 1
    if caught and not members:
        assert "义警召集点7个。义警协助抓获犯罪嫌疑人3人次，涌现好人好事7个，" + end in text
    if members or caught:
        assert end in text and "义警共建" not in text
        return
    assert "义警召集点7个。四是" in text  # the sentence ends there; the next item follows
    assert end not in text and "义警共建" not in text
    assert "F050（义警协助抓获）应大于0人次，数据为0人次" in said
    if members == 0:  # both groups judged and failed
        assert (
            "所列几组条件无一成立：第1组，F046（东莞义警队伍）应大于0人，数据为0人；第2组，F050"
            in said
        )
        assert "——“义警”“共建共治共享的社会治理格局进一步巩固”" in said
    else:  # no roster: the group of results is the one judged
        assert "缺少数据表：义警名册" in said and "所列几组条件" not in said
        assert "——“义警”“协助抓获犯罪嫌疑人□，涌现好人好事□”“共建共治共享" in said


def test_an_excerpt_cut_inside_quotes_closes_them():
    from helpers.render.compose import _excerpt, quote

    long = "镇发生涉疫事件后，从市局机关抽调民警组建为民服务的志愿服务队“解难题、办实事”驰援"
    cut = _excerpt(long)
    assert cut == "镇发生涉疫事件后，从市局机关抽调民警组建为民服务的志愿服务队“解难题、”…"
    assert quote(cut).count("‘") == quote(cut).count("’")
