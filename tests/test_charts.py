"""Chinese text in charts and PDF comes out as glyphs, not boxes, with only pip-installed fonts."""

import warnings

import pandas as pd
from fontTools.ttLib import TTFont

from helpers.render import charts, fonts
from helpers.render.pdf import font_css

CHINESE = "投诉表扬工单逐月对比年月数"


def test_every_role_has_a_font_file_with_chinese_glyphs():
    for role, f in fonts.current().items():
        assert f.path.exists(), role
        with TTFont(f.path, fontNumber=0, lazy=True) as font:
            cmap = font.getBestCmap()
        assert all(ord(ch) in cmap for ch in CHINESE), (role, f)


def test_chart_has_chinese_labels_and_no_missing_glyph():
    frame = pd.DataFrame({2020: range(12), 2021: range(12, 24)}, index=range(1, 13))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)"
        fig = charts.monthly_comparison(
            {"投诉工单": frame, "表扬工单": frame}, "逐月对比", "工单数"
        )
        fig.canvas.draw()
    labels = [t.get_text() for ax in fig.axes for t in ax.get_xticklabels()]
    assert labels[:2] == ["1月", "2月"] and fig.axes[0].get_title() == "投诉工单"


def test_pdf_css_gives_each_role_a_font_file():
    css = font_css()
    for f in fonts.current().values():
        assert f.family in css
    assert css.count("@font-face") >= 1 and "file://" in css


def test_a_year_without_a_covered_month_has_no_line_and_no_legend_entry():
    """Found by the tester: a year with a gap had no line but kept its entry in the legend."""
    frame = pd.DataFrame({2020: range(12), 2021: [float("nan")] * 12}, index=range(1, 13))
    fig = charts.monthly_comparison({"投诉工单": frame}, "逐月对比", "工单数")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["2020年"]
    assert len(ax.get_lines()) == 1
