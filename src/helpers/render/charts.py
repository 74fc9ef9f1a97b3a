"""One chart style for every chapter: Chinese labels, quiet colours, no chart junk."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd

from helpers.render import fonts

PALETTE = ["#9e9e9e", "#c0392b", "#2c6fad", "#d68910", "#1e8449"]  # prior year grey, this year red


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
            "font.size": 11,
        }
    )


def monthly_comparison(panels: dict[str, pd.DataFrame], title: str, ylabel: str):
    """Side-by-side panels, each comparing years month by month (columns = years, index = 1–12)."""
    use_style()
    fig, axes = plt.subplots(1, len(panels), figsize=(5.2 * len(panels), 3.6), squeeze=False)
    for ax, (name, frame) in zip(axes[0], panels.items(), strict=True):
        for col in frame.columns:
            ax.plot(
                frame.index, frame[col], marker="o", markersize=3.5, linewidth=1.8, label=f"{col}年"
            )
        ax.set_title(name)
        ax.set_xticks(range(1, 13), [f"{m}月" for m in range(1, 13)], fontsize=8)
        ax.set_ylabel(ylabel)
        ax.set_ylim(bottom=0)
        ax.grid(axis="y", alpha=0.3)
        ax.legend(frameon=False)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def year_bars(frame, title: str, ylabel: str = "数量"):
    """Grouped bars: one group per row (指标), one bar per year column, values printed on the bars."""
    use_style()
    fig, ax = plt.subplots(figsize=(9, 3.8))
    width = 0.8 / len(frame.columns)
    for i, col in enumerate(frame.columns):
        xs = [x + (i - (len(frame.columns) - 1) / 2) * width for x in range(len(frame))]
        bars = ax.bar(xs, frame[col], width, label=f"{col}年", color=PALETTE[i % len(PALETTE)])
        ax.bar_label(bars, fmt="%d", fontsize=7, padding=1)
    ax.set_xticks(range(len(frame)), frame.index)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(frameon=False)
    fig.tight_layout()
    return fig


def ranking(panels: dict[str, pd.Series], highlight: str, title: str):
    """Horizontal bars per panel, sorted, with one city highlighted."""
    use_style()
    fig, axes = plt.subplots(1, len(panels), figsize=(5 * len(panels), 5.6), squeeze=False)
    for ax, (name, series) in zip(axes[0], panels.items(), strict=True):
        s = series.sort_values()
        colors = [PALETTE[1] if k == highlight else PALETTE[0] for k in s.index]
        ax.barh(range(len(s)), s.to_numpy(), color=colors)
        ax.set_yticks(range(len(s)), s.index, fontsize=8)
        ax.set_title(name)
        ax.grid(axis="x", alpha=0.3)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def yearly(frame, title: str):
    """One bar panel per column over the years (index), e.g. accidents and deaths."""
    use_style()
    fig, axes = plt.subplots(
        1, len(frame.columns), figsize=(4.6 * len(frame.columns), 3.4), squeeze=False
    )
    for i, (ax, col) in enumerate(zip(axes[0], frame.columns, strict=True)):
        bars = ax.bar([str(y) for y in frame.index], frame[col], color=PALETTE[i + 1])
        ax.bar_label(bars, fmt="%d", fontsize=7)
        ax.set_title(col)
        ax.tick_params(axis="x", labelsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    return fig
