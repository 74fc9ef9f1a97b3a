"""Text slots are filled from computed figures, and nothing from the inputs reaches HTML unescaped."""

import pytest

from helpers.errors import NarrativeError
from helpers.figures import Figure
from helpers.render.report import render

FIG = Figure("F999", "测试", 51, "项", "51项", "service_items", "定义<b>", 51)


def test_slots_take_figures_and_words():
    assert render("实现{a}等{F999}业务", {"a": "户口迁移", "F999": FIG}) == "实现户口迁移等51项业务"


def test_html_carries_provenance_and_escapes():
    out = render("<script>x</script>{F999}", {"F999": FIG}, as_html=True)
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert 'data-fig="F999"' in out and "定义&lt;b&gt;" in out


def test_word_values_are_escaped_in_html():
    assert render("{w}", {"w": "<img src=x onerror=alert(1)>"}, as_html=True).startswith("&lt;img")


def test_a_slot_without_a_figure_is_an_error():
    with pytest.raises(NarrativeError, match="F123"):
        render("共{F123}", {"F999": FIG})


def test_chapter_figures_table_right_aligns_numbers(monkeypatch):
    from helpers.render import report

    shown = []
    monkeypatch.setattr(report, "display", lambda bundle, raw: shown.append(bundle))
    report.record([FIG, Figure("F998", "<甲>", 7, "项", "7项", "t", "定义", 7, prior=5)])
    page = shown[0]["text/html"]
    assert '<th class="num">rows</th>' in page and '<td class="num">51</td>' in page
    assert '<td class="nowrap">&lt;甲&gt;</td>' in page  # short names on one line, escaped
    assert "None" not in page and "nan" not in page.lower()
