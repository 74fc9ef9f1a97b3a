"""What a chapter notebook calls: one object for its place in the report (report.yaml), its
tables, its figures and words, and its text. A notebook stays a few lines::

    from helpers.chapter import open_chapter

    ch = open_chapter("safety", year, workspace=workspace, data_dir=data_dir, city=city)
    ch.record()      # the figures this chapter states, for metrics.csv and the annex
    ch.narrate()     # the official text, numbered by the chapter's place in the report
    ch.frames        # the tables read, for charts and tables; ch.module: the figures module

Only the tables report.yaml declares for the chapter can be read: any other table, in the
figures module or the notebook, stops the chapter with an UndeclaredTableError (its rebuild key
would not cover the file).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pandas as pd

from helpers import figures
from helpers.data import loader
from helpers.figures.base import Figure, Frames, Results, years_read
from helpers.inputs import declaration, narrative
from helpers.workspace import Workspace


@dataclass
class OpenChapter:
    """A chapter of one year's report, read and computed."""

    entry: declaration.Entry
    module: ModuleType | None
    results: Results
    workspace: Workspace
    year: int

    @property
    def name(self) -> str:
        return self.entry.name

    @property
    def frames(self) -> Frames:
        return self.results.frames if self.results.frames is not None else Frames()

    @property
    def figures(self) -> dict:
        return self.results.figures

    def record(self) -> None:
        """Record the figures this chapter states (metrics.csv, the data annex) and show them as
        a table: each figure's definition and the function that computes it (计算位置)."""
        show_figures(self.results.figures)

    def narrate(self) -> None:
        """Show the chapter's official text from the year's narrative file."""
        from helpers.render import report

        section = narrative.load(self.year, self.name, self.workspace.narrative)
        report.narrate(section, self.results, self.entry.number, self.entry.chapter.level)


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


def figure_table(figures: dict[str, Figure]) -> pd.DataFrame:
    """The chapter's figures, one row each, under FIGURE_COLUMNS's headings; 计算位置 is the
    ``module:function`` that computed the figure (``helpers.figures.safety:traffic``)."""
    rows = [{key: getattr(f, key) for key in FIGURE_COLUMNS} for f in figures.values()]
    return pd.DataFrame(rows, columns=list(FIGURE_COLUMNS)).rename(columns=FIGURE_COLUMNS)


def show_figures(figures: dict[str, Figure]) -> None:
    """Display the figures: their records for the assembly (metrics.csv, the annex) and, folded,
    the table of figures for the analyst."""
    from IPython.display import display

    from helpers.render.document import MIME_FIGURES

    table = figure_table(figures)
    html = table.to_html(index=False, escape=True, na_rep="")
    display(
        {
            MIME_FIGURES: [f.to_dict() for f in figures.values()],
            "text/html": f'<details class="figures"><summary>本章数据（{len(table)}项）</summary>'
            f"{html}</details>",
            "text/plain": f"本章数据 {len(table)} 项",
        },
        raw=True,
    )


def open_chapter(
    name: str,
    year: int,
    *,
    workspace: Path | str | None = None,
    data_dir: Path | str | None = None,
    **params,
) -> OpenChapter:
    """Read the chapter's declared tables and compute its figures and words; from here on this
    process (the chapter's kernel) may read no other table."""
    from helpers.render import fonts

    ws = Workspace.of(workspace)
    fonts.use_workspace(ws.root)  # its fonts.yaml, for the charts
    entry = declaration.load(ws).entry(year, name)
    data = Path(data_dir) if data_dir else ws.data
    loader.declare(years_read(entry.chapter.tables, year, data), chapter=name)
    results = figures.chapter(name, year, data, ws, **params)
    module = declaration.module(entry.chapter, ws)
    return OpenChapter(entry, module, results, ws, year)
