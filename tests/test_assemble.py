"""Assembly helpers: annex notes from the year's parameters reach the recorded figures."""

from helpers.render.document import Chapter, apply_notes, title


def test_notes_attach_to_their_figure_only():
    ch = Chapter("x", figures=[{"id": "F023", "note": ""}, {"id": "F022", "note": "已有说明"}])
    apply_notes([ch], {"F023": "与公开稿的差异", "F999": "无此项"})
    assert ch.figures[0]["note"] == "与公开稿的差异"
    assert ch.figures[1]["note"] == "已有说明"


def test_title_from_parameters():
    assert (
        title({"organ": "东莞市公安局", "year": 2021}) == "东莞市公安局2021年法治政府建设年度报告"
    )
