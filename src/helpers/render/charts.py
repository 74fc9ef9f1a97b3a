"""One chart style for every chapter: Chinese labels, quiet colours, no chart junk."""

from __future__ import annotations

import io
import math
import textwrap

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.ticker import FuncFormatter

from helpers.render import fonts

PALETTE = ["#9e9e9e", "#c0392b", "#2c6fad", "#d68910", "#1e8449"]  # prior year grey, this year red

# Legibility on a phone: report.html scales a chart to the column, about 358 CSS px on a 390 px
# screen, so text of s points on a chart WIDTH inches wide shows at s / 72 × 358 / WIDTH px:
# 14 pt ticks and labels on 7.2 in come to 9.7 px, 12 pt values on bars to 8.3 px, the least a
# phone shows legibly (tests/test_chart_ticks.py measures the saved images). Several panels share
# that width side by side only where their text is short (years, names beside bars); monthly
# panels stand one above the other.
WIDTH = 7.2  # inches, every chart
FONT_SIZE = 14  # points: ticks, legends, axis labels
TITLE_SIZE = 15
LABEL_SIZE = 12  # points: values printed on bars


UNITS = (("亿", 100_000_000), ("万", 10_000))


def unit_of(value: float) -> str:
    """The unit a value is written in: 亿 from 10^8, 万 from 10 000, else none ("")."""
    for unit, size in UNITS:
        if round(abs(value) * 10_000 / size, 2) >= 10_000:  # 99 999 999 is 1亿, not 10000万
            return unit
    return ""


def format_wan(value: float, unit: str | None = None) -> str:
    """An axis or bar label: values of 10 000 and more in 万 (亿 from 10^8), others as they are;
    ``unit`` writes every value of a scale in that one unit (2000 on a 万 axis is 0.2万).

    >>> [format_wan(v) for v in (12000, 3500, 10000, 125000, 0, -25000, 2.5, 300000000)]
    ['1.2万', '3500', '1万', '12.5万', '0', '-2.5万', '2.5', '3亿']
    >>> [format_wan(v, "万") for v in (0, 2000, 12000)]
    ['0', '0.2万', '1.2万']
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    unit = unit_of(value) if unit is None else unit
    if not unit or value == 0:
        return f"{round(value, 2):g}"
    size = dict(UNITS)[unit]
    return f"{round(value / size, 2):g}{unit}"


def wan_axis(ax, axis: str = "y") -> bool:
    """Write the value axis's ticks in 万 (1.2万) when its largest value reaches 10 000: every
    tick in the same unit (0.5万, 1万, 1.5万), so the unit is said on the axis itself."""
    lo, hi = ax.get_ylim() if axis == "y" else ax.get_xlim()
    unit = unit_of(max(abs(lo), abs(hi)))
    if not unit:
        return False
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(FuncFormatter(lambda v, _pos: format_wan(v, unit)))
    return True


def use_style() -> None:
    """Set fonts and look once per kernel."""
    plt.rcParams.update(
        {
            "font.family": fonts.register_with_matplotlib(),
            "axes.unicode_minus": False,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.prop_cycle": matplotlib.cycler(color=PALETTE),
            "figure.dpi": 100,
            "font.size": FONT_SIZE,
            "axes.titlesize": TITLE_SIZE,
            "figure.titlesize": TITLE_SIZE,
            "xtick.labelsize": FONT_SIZE,
            "ytick.labelsize": FONT_SIZE,
            "legend.fontsize": FONT_SIZE,
        }
    )


DPI = 150  # a chart's resolution: 1080 px across, sharp in the PDF too
PAD = 0.1  # inches of white kept around what is drawn


def png(fig, dpi: int = DPI) -> bytes:
    """The chart as PNG, cut to what is drawn plus ``PAD`` of white (as
    ``savefig(bbox_inches="tight")``) but drawn once, not twice: the figure is drawn at its own
    size and the picture cut around the pixels that differ from its background. Only when
    something reaches the figure's edge (a long tick label sticking out) is it drawn again
    around everything, as savefig does. An opaque chart is saved as RGB, with zlib at level 3:
    half the time of RGBA at level 6, and no larger."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    saved_dpi = fig.dpi
    try:
        fig.set_dpi(dpi)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        pixels = np.asarray(canvas.buffer_rgba())
        height, width = pixels.shape[:2]
        drawn = (pixels != pixels[0, 0]).any(axis=2)  # the corner is background
        rows, cols = np.flatnonzero(drawn.any(axis=1)), np.flatnonzero(drawn.any(axis=0))
        pad = round(PAD * dpi)
        buf = io.BytesIO()
        if not len(rows):  # nothing drawn
            top, bottom, left, right = 0, height, 0, width
        else:
            top, bottom = rows[0] - pad, rows[-1] + 1 + pad
            left, right = cols[0] - pad, cols[-1] + 1 + pad
        if top < 0 or left < 0 or bottom > height or right > width:
            fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", pad_inches=PAD)
            return buf.getvalue()
        picture = Image.fromarray(pixels[top:bottom, left:right])
        if pixels[..., 3].min() == 255:  # opaque: no alpha channel to store
            picture = picture.convert("RGB")
        picture.save(buf, format="png", compress_level=3)
        return buf.getvalue()
    finally:
        fig.set_dpi(saved_dpi)


def _bar_labels(ax, bars, bar_inches: float, unit: str | None = None) -> None:
    """Values on the bars, all in 万 when the largest (of these bars, or ``unit`` for a whole
    chart) reaches 10 000; turned upright when wider than a bar."""
    if unit is None:
        unit = unit_of(max((abs(b.get_height()) for b in bars), default=0))
    labels = [format_wan(b.get_height(), unit) for b in bars]
    wide = max((len(t) for t in labels), default=0) * 0.6 * LABEL_SIZE / 72 > 0.8 * bar_inches
    ax.bar_label(bars, labels=labels, fontsize=LABEL_SIZE, padding=2, rotation=90 if wide else 0)
    if wide:
        ax.margins(y=0.18)  # room above the tallest bar for its upright label


def wrap_label(text: str, inches: float, size: float = FONT_SIZE) -> str:
    """A category label broken into lines that fit ``inches`` at ``size`` points (CJK text
    has no spaces: it breaks between any two characters).

    >>> wrap_label("违法犯罪警情", 0.6, 14)
    '违法犯\\n罪警情'
    """
    per_line = max(2, int(inches / (size / 72)))
    return "\n".join(textwrap.wrap(str(text), per_line)) or str(text)


def monthly_comparison(panels: dict[str, pd.DataFrame], title: str, ylabel: str):
    """Panels one above the other, each comparing years month by month (columns = years,
    index = 1–12): stacked, every panel has the full width and stays legible on a phone."""
    use_style()
    n = len(panels)
    fig, axes = plt.subplots(n, 1, figsize=(WIDTH, 3.3 * n + 0.4), squeeze=False)
    for ax, (name, frame) in zip(axes[:, 0], panels.items(), strict=True):
        for col in frame.columns:
            if frame[col].isna().all():  # a year its records do not cover: no line, no legend
                continue
            ax.plot(
                frame.index, frame[col], marker="o", markersize=3.5, linewidth=1.8, label=f"{col}年"
            )
        ax.set_title(name)
        ax.set_xticks(range(1, 13), [f"{m}月" for m in range(1, 13)])
        ax.set_ylabel(ylabel)
        ax.set_ylim(bottom=0)
        wan_axis(ax)
        ax.grid(axis="y", alpha=0.3)
        ax.legend(frameon=False)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def year_bars(frame, title: str, ylabel: str = "数量"):
    """Grouped bars: one group per row (指标), one bar per year column, values printed on the bars."""
    use_style()
    fig, ax = plt.subplots(figsize=(WIDTH, 4.4))
    width = 0.8 / len(frame.columns)
    group = (WIDTH - 1) / max(len(frame), 1)  # inches per group of bars, the y axis aside
    unit = unit_of(float(frame.abs().max().max())) if frame.size else ""  # one for all bars
    for i, col in enumerate(frame.columns):
        xs = [x + (i - (len(frame.columns) - 1) / 2) * width for x in range(len(frame))]
        bars = ax.bar(xs, frame[col], width, label=f"{col}年", color=PALETTE[i % len(PALETTE)])
        _bar_labels(ax, bars, width * group, unit)
    ax.set_xticks(range(len(frame)), [wrap_label(k, 0.9 * group) for k in frame.index])
    ax.set_ylabel(ylabel)
    wan_axis(ax)
    ax.set_title(title)
    ax.legend(frameon=False)
    fig.tight_layout()
    return fig


def ranking(panels: dict[str, pd.Series], highlight: str, title: str):
    """Horizontal bars per panel, sorted, with one city highlighted."""
    use_style()
    rows = max((len(s) for s in panels.values()), default=1)
    fig, axes = plt.subplots(1, len(panels), figsize=(WIDTH, 0.28 * rows + 1.2), squeeze=False)
    for ax, (name, series) in zip(axes[0], panels.items(), strict=True):
        s = series.sort_values()
        colors = [PALETTE[1] if k == highlight else PALETTE[0] for k in s.index]
        ax.barh(range(len(s)), s.to_numpy(), color=colors)
        ax.set_yticks(range(len(s)), s.index)
        ax.set_title(name)
        wan_axis(ax, "x")
        ax.grid(axis="x", alpha=0.3)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def yearly(frame, title: str):
    """One bar panel per column over the years (index), e.g. accidents and deaths; the panels
    stand one above the other, so that every year's label has room at phone width."""
    use_style()
    n = len(frame.columns)
    fig, axes = plt.subplots(n, 1, figsize=(WIDTH, 2.8 * n + 0.4), squeeze=False)
    slot = (WIDTH - 1) / max(len(frame), 1)
    for i, (ax, col) in enumerate(zip(axes[:, 0], frame.columns, strict=True)):
        bars = ax.bar([str(y) for y in frame.index], frame[col], color=PALETTE[i + 1])
        _bar_labels(ax, bars, 0.8 * slot)
        ax.set_title(col)
        wan_axis(ax)
    fig.suptitle(title)
    fig.tight_layout()
    return fig
