"""行政复议和行政应诉 (from 2023): figures on small hand-written registers, with the expected values
worked out by hand in the comments."""

from decimal import Decimal

import rawtables
from helpers import figures
from helpers.inputs import declaration, narrative
from helpers.render.compose import compose


def application(case_id, received, status="已审结", decided=None, decision=None):
    return {
        "case_id": case_id,
        "received_date": received,
        "applicant_type": "公民",
        "respondent": "南城分局",
        "reviewer": "市公安局",
        "matter": "行政处罚",
        "status": status,
        "accepted_date": None if status == "不予受理" else received,
        "decided_date": decided,
        "decision": decision,
    }


def lawsuit(case_no, filed, result=None, concluded=None, hearings=1, appeared=False):
    return {
        "case_no": case_no,
        "filed_date": filed,
        "court": "东莞市第一人民法院",
        "plaintiff_type": "公民",
        "defendant": "交警支队",
        "matter": "行政处罚",
        "after_reconsideration": "否",
        "status": "审理中" if result is None else "已审结",
        "concluded_date": concluded,
        "instance": None if result is None else "一审",
        "result": result,
        "hearings": hearings,
        "leader_appeared": "是" if appeared else "否",
        "leader": "交警支队副支队长" if appeared else None,
    }


RECONSIDERATIONS = {
    2021: [application("A21-1", "2021-12-20", decided="2022-01-05", decision="维持")],
    2022: [
        application("A22-1", "2022-03-01", decided="2022-04-20", decision="维持"),
        application("A22-2", "2022-11-28", decided="2023-01-10", decision="确认违法"),
    ],
    2023: [
        application("A23-1", "2023-01-09", status="不予受理"),
        application("A23-2", "2023-02-01", decided="2023-03-15", decision="维持"),
        application("A23-3", "2023-05-06", decided="2023-06-30", decision="撤销"),
        application("A23-4", "2023-08-18", decided="2023-09-20", decision="终止"),
        application("A23-5", "2023-12-12", status="审理中"),
    ],
}
LAWSUITS = {
    2021: [
        lawsuit("S21-G", "2021-05-10", "驳回起诉", "2022-02-01", hearings=0),
        # filed two years before the report, concluded in it (after an appeal): still counted
        lawsuit("S21-H", "2021-11-02", "胜诉", "2023-02-20", hearings=3, appeared=True),
    ],
    2022: [
        lawsuit("S22-E", "2022-09-01", "胜诉", "2023-03-08", hearings=2, appeared=True),
        lawsuit("S22-F", "2022-02-14", "败诉", "2022-08-30", hearings=1, appeared=True),
    ],
    2023: [
        lawsuit("S23-A", "2023-01-16", "胜诉", "2023-06-01", hearings=2, appeared=True),
        lawsuit("S23-B", "2023-03-03", "败诉", "2023-09-12", hearings=1),
        lawsuit("S23-C", "2023-04-21", "撤诉", "2023-05-30", hearings=0),
        lawsuit("S23-D", "2023-11-30", hearings=1, appeared=True),  # still in court
    ],
}


def registers(data_dir, recon=RECONSIDERATIONS, suits=LAWSUITS, years=(2021, 2022, 2023)):
    for year in years:
        if year in recon:
            rawtables.write(data_dir, "reconsiderations", year, recon[year])
        if year in suits:
            rawtables.write(data_dir, "lawsuits", year, suits[year])
    return data_dir


def chapter(data_dir, year=2023):
    return figures.chapter("reconsideration", year, data_dir)


def shown(res):
    return {k: f.display for k, f in res.figures.items()}


def test_the_chapter_is_in_the_report_from_2023_after_enforcement():
    report = declaration.load()
    assert "reconsideration" not in [e.name for e in report.for_year(2022)]
    numbers = {e.name: e.number for e in report.for_year(2023)}
    assert numbers["enforcement"] == "（三）" and numbers["reconsideration"] == "（四）"
    assert numbers["services"] == "（五）" and "epidemic" not in numbers


def test_every_figure_by_hand(tmp_path):
    res = chapter(registers(tmp_path))
    assert res.absent == {}
    assert shown(res) == {
        # reconsideration: 5 received in 2023 against 2 in 2022, 4 of them accepted
        "F076": "5件",
        "F077": "上升150.0%",
        "F078": "4件",
        # decided in 2023: A23-2, A23-3, A23-4 and A22-2 (received in 2022); A23-5 is open
        "F079": "4件",
        "F080": "2件",  # 撤销 (A23-3) and 确认违法 (A22-2); 维持 and 终止 correct nothing
        "F081": "50.0%",
        # 2022: A22-1 and A21-1 (received in 2021) decided, both upheld: 0.0% → 50.0%
        "F082": "上升50.0个百分点",
        # lawsuits: 4 filed in 2023 against 2 in 2022
        "F083": "4件",
        "F084": "上升100.0%",
        # concluded in 2023: S23-A, S23-B, S23-C, S22-E and S21-H (filed in 2021)
        "F085": "5件",
        "F086": "1件",
        "F087": "25.0%",  # lost 1 (S23-B) of 4 judgments; S23-C was withdrawn
        # 2022: S22-F lost of 1 judgment (S21-G was dismissed by ruling): 100.0% → 25.0%
        "F088": "下降75.0个百分点",
        "F089": "4件",  # S23-C had no hearing
        "F090": "3件",  # S23-A, S22-E, S21-H; not S23-B
        "F091": "75.0%",
        "F092": "下降25.0个百分点",  # 2022: S22-F heard, its leader appeared: 100.0%
    }
    assert res.words == {"months": "1—12月"}
    f079, f085 = res.figures["F079"], res.figures["F085"]
    assert (f079.prior, f085.prior) == (2, 2)  # last year's ended cases, counted the same way
    assert res.figures["F082"].direction == "up" and res.figures["F088"].direction == "down"
    assert res.figures["F081"].unit == "%" and res.figures["F082"].unit == "个百分点"


def test_changes_of_rates_subtract_the_rates_as_stated(tmp_path):
    """1/3 = 33.3% this year against 1/6 = 16.7% last year: the text says 上升16.6个百分点, what a
    reader gets from the two rates as printed (the exact difference would round to 16.7)."""
    recon = {
        2021: [],
        2022: [
            application(f"B{i}", "2022-03-01", decided="2022-04-01", decision="维持")
            for i in range(5)
        ]
        + [application("B5", "2022-03-01", decided="2022-04-01", decision="撤销")],
        2023: [
            application(f"C{i}", "2023-03-01", decided="2023-04-01", decision="维持")
            for i in range(2)
        ]
        + [application("C2", "2023-03-01", decided="2023-04-01", decision="变更")],
    }
    recon[2021] = [application("B-old", "2021-06-01", decided="2021-07-01", decision="维持")]
    res = chapter(registers(tmp_path, recon=recon))
    assert res.figures["F081"].display == "33.3%"
    assert res.figures["F082"].display == "上升16.6个百分点"
    assert res.figures["F082"].prior == Decimal("16.7")


def test_a_rate_without_a_base_is_not_stated(tmp_path):
    suits = {
        2021: [lawsuit("S21", "2021-03-01", "胜诉", "2021-09-01")],
        2022: [lawsuit("S22", "2022-03-01", "胜诉", "2022-09-01", appeared=True)],
        # nothing judged or heard in 2023: withdrawn without a hearing
        2023: [lawsuit("S23", "2023-03-01", "撤诉", "2023-04-01", hearings=0)],
    }
    res = chapter(registers(tmp_path, suits=suits))
    assert res.figures["F085"].display == "1件" and res.figures["F086"].display == "0件"
    for fid in ("F087", "F091"):
        assert fid not in res.figures
    assert "没有以判决结案" in res.absent["F087"]
    assert "均未开庭审理" in res.absent["F091"]
    assert "本年没有可计算比率的案件" in res.absent["F088"]
    assert "本年没有可计算比率的案件" in res.absent["F092"]


def test_without_the_register_of_two_years_before_only_the_changes_of_rates_are_left_out(
    tmp_path,
):
    res = chapter(registers(tmp_path, years=(2022, 2023)))
    for fid in ("F082", "F088", "F092"):
        assert "缺少数据表" in res.absent[fid] and "2021年" in res.absent[fid]
    assert "行政复议案件登记表（2021年" in res.absent["F082"]
    assert "行政诉讼案件登记表（2021年" in res.absent["F088"]
    assert shown(res)["F081"] == "50.0%" and shown(res)["F077"] == "上升150.0%"
    # S21-H (filed in 2021) is not on hand: 4 concluded, and no prior for the counts
    assert shown(res)["F085"] == "4件" and res.figures["F085"].prior is None


def test_a_decided_case_without_its_date_or_decision_leaves_the_decided_figures_out(tmp_path):
    recon = dict(RECONSIDERATIONS)
    recon[2023] = [
        *RECONSIDERATIONS[2023],
        application("A23-6", "2023-06-01", decided=None, decision="维持"),
    ]
    res = chapter(registers(tmp_path, recon=recon))
    for fid in ("F079", "F080", "F081", "F082"):
        assert "A23-6" in res.absent[fid] and "审结日期" in res.absent[fid]
    assert shown(res)["F076"] == "6件"  # what does not need decided cases stays

    recon[2023] = [
        *RECONSIDERATIONS[2023],
        application("A23-7", "2023-06-01", decided="2023-07-01", decision=None),
    ]
    res = chapter(registers(tmp_path, recon=recon))
    assert "A23-7" in res.absent["F081"] and "复议决定" in res.absent["F081"]


def test_a_partial_year_is_compared_with_the_same_months(tmp_path):
    recon = {**RECONSIDERATIONS, 2023: RECONSIDERATIONS[2023][:3]}  # the register ends in May
    suits = {**LAWSUITS, 2023: LAWSUITS[2023][:2]}  # and this one in March
    res = chapter(registers(tmp_path, recon=recon, suits=suits))
    # 2022's applications of January–May: A22-1 only; lawsuits of January–March: S22-F only
    assert res.figures["F077"].display == "上升200.0%" and res.figures["F076"].prior == 1
    assert res.figures["F084"].display == "上升100.0%" and res.figures["F083"].prior == 1
    assert res.words["months"] == "1—5月"


def test_the_text_states_the_chapter_and_leaves_out_what_has_no_base(tmp_path):
    suits = {y: [r for r in rows if r["case_no"] != "S22-F"] for y, rows in LAWSUITS.items()}
    res = chapter(registers(tmp_path, suits=suits))
    blocks = compose(narrative.load(2023, "reconsideration"), res.values(), res.absent, "（四）", 2)
    text = "".join(b["text"] for b in blocks if b["kind"] == "paragraph")
    assert blocks[0]["lead"] == "（四）依法做好行政复议和行政应诉工作。"
    assert "收到行政复议申请5件，同比上升150.0%，其中受理4件" in text
    assert "纠错率为50.0%；纠错率较上年上升50.0个百分点" in text
    assert "败诉率较上年" not in text  # 2022 judged nothing once S22-F is gone
    assert "出庭应诉率为75.0%" in text


def test_yearly_table_counts_what_the_figures_count(tmp_path):
    from helpers.figures import reconsideration

    res = chapter(registers(tmp_path))
    table = reconsideration.yearly_table(res.frames)
    assert list(table.columns) == [2022, 2023]  # 2021: its ended cases began in 2020 too
    year = table[2023]
    assert (year["收到行政复议申请"], year["审结行政复议案件"], year["其中纠错"]) == (5, 4, 2)
    assert (year["新收行政诉讼案件"], year["审结行政诉讼案件"], year["其中败诉"]) == (4, 5, 1)
    assert (year["其中判决结案"], year["开庭审理"], year["负责人出庭"]) == (4, 4, 3)
    assert table[2022]["审结行政诉讼案件"] == 2


def test_without_this_years_lawsuits_only_their_figures_are_left_out(tmp_path):
    from helpers.figures import reconsideration

    res = chapter(registers(tmp_path, suits={}))
    assert {f"F{i:03d}" for i in range(83, 93)} == set(res.absent)
    assert all("行政诉讼案件登记表（2023年" in why for why in res.absent.values())
    assert shown(res)["F081"] == "50.0%" and res.words == {"months": "1—12月"}
    assert reconsideration.yearly_table(res.frames).empty
