"""Chart axes in 万 and chart text legible at phone width (charts.format_wan, charts.wan_axis).

Kept apart from test_charts.py (fonts in charts and PDF), which another workspace changes."""

import io
import math

import matplotlib
import numpy as np
import pandas as pd
import pytest
from PIL import Image

from helpers.render import charts

matplotlib.use("Agg")

PHONE_COLUMN = 358  # CSS px a chart gets in report.html on a 390 px screen (16 px padding)
DPI = 150  # report.chart saves at this resolution
SMALLEST_PX = 8  # text smaller than this on a phone is not read


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (12000, "1.2万"), (3500, "3500"), (0, "0"), (9999, "9999"), (10000, "1万"),
        (12345, "1.23万"), (125000, "12.5万"), (-25000, "-2.5万"), (-3500, "-3500"),
        (2.5, "2.5"), (99_995_000, "9999.5万"), (99_999_999, "1亿"), (100_000_000, "1亿"), (250_000_000, "2.5亿"),
        (float("nan"), ""), (None, ""),
    ],
)  # fmt: skip
def test_format_wan(value, text):
    assert charts.format_wan(value) == text


def _tick_texts(fig, axis="y") -> list[str]:
    fig.canvas.draw()
    ax = fig.axes[0]
    ticks = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    return [t.get_text() for t in ticks]


def test_large_values_are_ticked_in_wan_small_ones_as_they_are():
    big = pd.DataFrame({2020: [12000, 30000], 2021: [15000, 42000]}, index=["警情", "案件"])
    labels = [t for t in _tick_texts(charts.year_bars(big, "警情与案件")) if t]
    assert "40000" not in labels and "4万" in labels
    assert all(t.endswith("万") for t in labels if t != "0")  # one unit on the axis
    small = pd.DataFrame({2020: [1200, 3000], 2021: [1500, 3500]}, index=["警情", "案件"])
    labels = _tick_texts(charts.year_bars(small, "警情与案件"))
    assert not any("万" in t for t in labels) and "3000" in labels


def test_values_on_bars_in_wan():
    frame = pd.DataFrame({2020: [123456], 2021: [3500]}, index=["警情"])
    fig = charts.year_bars(frame, "警情")
    texts = {t.get_text() for t in fig.axes[0].texts}
    assert {"12.35万", "0.35万"} <= texts  # one unit for the bars of a chart


def _charts():
    months = pd.DataFrame({2020: range(1, 13), 2021: range(20000, 20012)}, index=range(1, 13))
    cities = pd.Series({f"城市{i}": i * 3.5 for i in range(21)})
    yield charts.monthly_comparison({"投诉工单": months, "表扬工单": months}, "逐月对比", "工单数")
    yield charts.year_bars(
        pd.DataFrame({2020: [5, 40000, 7, 9], 2021: [6, 45000, 8, 12]},
                     index=["警情", "刑事案件", "行政案件", "处理人员"]), "警情、案件", "数量",
    )  # fmt: skip
    yield charts.ranking({"注册率": cities, "覆盖人数": cities * 10000}, "城市3", "全省各市")
    yield charts.yearly(
        pd.DataFrame({"事故宗数": [300, 280, 250], "死亡人数": [90, 80, 70]}, index=[2019, 2020, 2021]),
        "道路交通事故",
    )  # fmt: skip


@pytest.mark.parametrize("fig", list(_charts()), ids=["monthly", "year_bars", "ranking", "yearly"])
def test_chart_text_is_legible_at_phone_width(fig):
    """Saved as report.chart saves it and scaled to a phone's column, no text is under 8 px."""
    width_px = Image.open(io.BytesIO(charts.png(fig))).width
    scale = min(1.0, PHONE_COLUMN / width_px)
    sizes = [
        t.get_fontsize()
        for t in fig.findobj(matplotlib.text.Text)
        if t.get_text().strip() and t.get_visible()
    ]
    smallest = min(sizes) / 72 * DPI * scale
    assert smallest >= SMALLEST_PX, f"{min(sizes)} pt on {width_px} px shows at {smallest:.1f} px"
    assert not math.isnan(smallest)


def _grey(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("L"), dtype=float)


def _margins_white(picture: np.ndarray, px: int = 3) -> bool:
    """Nothing drawn in the outer ``px`` pixels: the picture has its white pad on every side."""
    edges = [picture[:px], picture[-px:], picture[:, :px], picture[:, -px:]]
    return all(e.min() > 250 for e in edges)


def _content(picture: np.ndarray) -> np.ndarray:
    """The picture cut to its non-white pixels."""
    rows = np.flatnonzero((picture < 250).any(axis=1))
    cols = np.flatnonzero((picture < 250).any(axis=0))
    return picture[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]


@pytest.mark.parametrize("fig", list(_charts()), ids=["monthly", "year_bars", "ranking", "yearly"])
def test_a_chart_is_saved_as_savefig_saves_it_tight(fig):
    """charts.png draws a chart once and cuts the picture around what is drawn; it must hold
    the picture ``savefig(bbox_inches="tight")`` makes by drawing twice: the same drawing (the
    same size, a pixel or two of rounding either way; the same pixels, compared at a quarter of
    the size, as glyph edges fall on other sub-pixels), with a white pad of 0.1 inch on every
    side, so that nothing is cut off."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight", pad_inches=0.1)
    ours = _grey(charts.png(fig))
    mine, theirs = _content(ours), _content(_grey(buf.getvalue()))
    assert mine.shape[1] > 1000  # the chart itself, not an empty cut
    assert abs(mine.shape[0] - theirs.shape[0]) <= 2 and abs(mine.shape[1] - theirs.shape[1]) <= 2
    h, w = (min(a, b) // 4 * 4 for a, b in zip(mine.shape, theirs.shape, strict=True))

    def small(p):
        return p[:h, :w].reshape(h // 4, 4, w // 4, 4).mean(axis=(1, 3))

    assert np.abs(small(mine) - small(theirs)).mean() < 3  # of 255
    assert _margins_white(ours, px=round(0.1 * DPI) - 1)


def test_a_chart_drawn_past_its_edge_is_saved_whole():
    """Text that sticks out of the figure (a long label at its edge) is in the picture, with its
    pad: the picture is then wider than the figure, as with savefig's tight box."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(charts.WIDTH, 3))
    ax.bar(["一", "二"], [1, 2])
    fig.text(0.98, 0.5, "伸出图外的一段很长的说明文字")
    picture = _grey(charts.png(fig))
    assert picture.shape[1] > charts.WIDTH * DPI + 100
    assert _margins_white(picture)
    plt.close(fig)


def test_an_opaque_chart_is_saved_without_alpha_and_a_transparent_one_with_it():
    import matplotlib.pyplot as plt

    opaque, ax = plt.subplots(figsize=(charts.WIDTH, 3), layout="tight")
    ax.bar(["a", "b"], [1, 2])
    clear, ax = plt.subplots(figsize=(charts.WIDTH, 3), layout="tight", facecolor="none")
    ax.bar(["a", "b"], [1, 2])
    assert Image.open(io.BytesIO(charts.png(opaque))).mode == "RGB"
    assert Image.open(io.BytesIO(charts.png(clear))).mode == "RGBA"
    plt.close(opaque)
    plt.close(clear)
