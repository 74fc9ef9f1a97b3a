"""One chart style for every chapter: Chinese labels, quiet colours, no chart junk."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd

from . import fonts

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
