"""What a chapter notebook shows: official text blocks, charts, tables and its recorded figures.

Each output carries a machine-readable part (a ``application/vnd.lawreport.*+json`` MIME type)
that the assembly reads from the executed notebook, and an HTML part that JupyterLab and the
chapter HTML show. This replaces scrapbook, which no longer installs cleanly.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable, Mapping

import pandas as pd
from IPython.display import display

from helpers.figures import Figure
from helpers.render.compose import render  # noqa: F401  (notebooks and tests fill templates through report)
from helpers.render.document import MIME_BLOCK, MIME_FIGURES, cell_text, column_classes


def _show(block: dict, html_part: str, text_part: str, extra: dict | None = None) -> None:
    bundle = {MIME_BLOCK: block, "text/html": html_part, "text/plain": text_part}
    bundle.update(extra or {})
    display(bundle, raw=True)


def heading(text: str, level: int = 1) -> None:
    """A heading of the official text: level 1 is 一、…, level 2 is （一）…."""
    _show_block({"kind": "heading", "level": level, "text": text})


def paragraph(
    template: str, values: Mapping[str, object] | None = None, lead: str | None = None
) -> None:
    """A paragraph of the official text; ``lead`` is an inline level-2 heading such as （五）…。"""
    from helpers.render.compose import _paragraph

    _show_block(_paragraph(template, values or {}, lead))


def narrate(section, computed, number: str = "", level: int = 0) -> None:
    """Show a chapter's official text: its narrative section (``narrative.load``) filled with
    what the chapter computed — a ``figures.Results`` (figures, words, and why any slot is
    absent) or a plain mapping of slot values. What the data cannot support is left out with a
    visible note (see ``compose``). ``number`` and ``level``: the chapter's place in the report
    (report.yaml)."""
    from helpers.figures import Results
    from helpers.render.compose import compose

    if isinstance(computed, Results):
        values, absent, periods = computed.values(), computed.absent, computed.periods
        reach, over = computed.reach, computed.months_over
    else:
        values, absent, periods, reach, over = dict(computed), {}, {}, None, 12
    for block in compose(section, values, absent, number, level, periods, reach, over):
        _show_block(block)


def _show_block(block: dict) -> None:
    """Display one block of the official text with its HTML and plain-text forms."""
    if block["kind"] == "heading":
        level = block["level"]
        html_part = f"<h{level + 1}>{html.escape(block['text'])}</h{level + 1}>"
        text = block["text"]
    elif block["kind"] == "paragraph":
        lead = block.get("lead") or ""
        lead_html = f'<span class="lead">{html.escape(lead)}</span>' if lead else ""
        html_part = f'<p class="body">{lead_html}{block["html"]}</p>'
        text = lead + block["text"]
    else:
        html_part = f'<p class="note">{html.escape(block["text"])}</p>'
        text = block["text"]
    _show(block, html_part, text)


def note(text: str) -> None:
    """A visible note to the reader."""
    _show_block({"kind": "note", "text": text})


def chart(fig, caption: str) -> None:
    """A matplotlib chart with its caption, embedded as PNG."""
    import matplotlib.pyplot as plt

    from helpers.render import charts

    data = charts.png(fig)
    plt.close(fig)
    png = base64.b64encode(data).decode("ascii")
    _show(
        {"kind": "chart", "caption": caption},
        f'<figure><img src="data:image/png;base64,{png}" alt="{html.escape(caption)}"/>'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>",
        caption,
        {"image/png": png},
    )


def table(frame: pd.DataFrame, caption: str) -> None:
    """A small table (catalog extracts, rankings) with its caption; over-long cells are cut."""
    frame = frame.astype(str).map(cell_text)
    columns = [str(c) for c in frame.columns]
    cells = frame.values.tolist()
    _show(
        {"kind": "table", "caption": caption, "columns": columns, "rows": cells},
        f"<figure><figcaption>{html.escape(caption)}</figcaption>{table_html(columns, cells)}</figure>",
        caption,
    )


def table_html(columns: list[str], rows: list[list[str]]) -> str:
    """An HTML table whose numeric columns are classed ``num`` and short ones ``nowrap``."""

    def cls(i: int) -> str:
        return f' class="{classes[i]}"' if i < len(classes) and classes[i] else ""

    classes = column_classes(rows)
    head = "".join(f"<th{cls(i)}>{html.escape(c)}</th>" for i, c in enumerate(columns))
    body = "".join(
        "<tr>" + "".join(f"<td{cls(i)}>{html.escape(v)}</td>" for i, v in enumerate(r)) + "</tr>"
        for r in rows
    )
    return f'<table class="dataframe"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


# The table of figures a notebook shows: Figure field → column heading (for the analyst).
FIGURE_COLUMNS = {
    "id": "编号",
    "label": "名称",
    "display": "文中写作",
    "prior": "上年",
    "definition": "定义",
    "source": "数据表",
    "rows": "行数",
    "computed_by": "计算位置",
}


def figure_table(figures: Mapping[str, Figure] | Iterable[Figure]) -> pd.DataFrame:
    """The chapter's figures, one row each, under FIGURE_COLUMNS's headings; 计算位置 is the
    ``module:function`` that computed the figure (``helpers.figures.safety:traffic``)."""
    figs = list(figures.values()) if isinstance(figures, Mapping) else list(figures)
    rows = [{key: getattr(f, key) for key in FIGURE_COLUMNS} for f in figs]
    return pd.DataFrame(rows, columns=list(FIGURE_COLUMNS)).rename(columns=FIGURE_COLUMNS)


def record(figures: Mapping[str, Figure] | Iterable[Figure]) -> None:
    """Record the chapter's figures for ``metrics.csv`` and the annex, and show them, folded, as
    the analyst's table: each figure's definition and the function that computes it."""
    figs = list(figures.values()) if isinstance(figures, Mapping) else list(figures)
    table = figure_table(figs)
    cells = [["" if pd.isna(v) else str(v) for v in row] for row in table.itertuples(index=False)]
    display(
        {
            MIME_FIGURES: [f.to_dict() for f in figs],
            "text/html": f'<details class="figures"><summary>本章数据（{len(figs)}项）</summary>'
            f"{table_html(list(table.columns), cells)}</details>",
            "text/plain": f"本章数据 {len(figs)} 项",
        },
        raw=True,
    )
