"""Combine executed chapter notebooks into the report: chapter HTML, report.html, metrics.csv."""

from __future__ import annotations

import csv
import functools
import html
import re
from pathlib import Path

import jinja2
import nbformat
from nbconvert import HTMLExporter

from helpers import fmt, paths
from helpers.render import fonts
from helpers.render.document import (
    DRAFT_MARK,
    MIME_BLOCK,
    MIME_FIGURES,
    Chapter,
    annex_rows,
    chapter_title,
    column_classes,
    title,
    title_lines,
)

METRIC_COLUMNS = [
    "id",
    "label",
    "value",
    "unit",
    "display",
    "prior",
    "change",
    "current",
    "source",
    "definition",
    "rows",
    "note",
    "chapter",
]


def read_chapter(notebook: Path) -> Chapter:
    """Collect the official text blocks, charts, tables and figures from an executed notebook."""
    nb = nbformat.read(notebook, as_version=4)
    ch = Chapter(notebook.stem)
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if MIME_FIGURES in data:
                ch.figures += [dict(f, chapter=ch.name) for f in data[MIME_FIGURES]]
            block = data.get(MIME_BLOCK)
            if not block:
                continue
            if block["kind"] == "chart":
                ch.charts.append({"caption": block["caption"], "png": data["image/png"]})
            elif block["kind"] == "table":
                ch.tables.append(block)
            else:
                ch.blocks.append(block)
    return ch


def visible_text(*pages: str) -> str:
    """The text a reader sees on HTML pages (no markup, styles or scripts)."""
    return "".join(
        html.unescape(
            re.sub(r"<[^>]+>", "", re.sub(r"<(style|script)[^>]*>.*?</\1>", "", p, flags=re.S))
        )
        for p in pages
    )


def with_fonts(page: str, font_css: str) -> str:
    """The page with @font-face rules (subsets of the bundled fonts) inside its head."""
    return page.replace("</head>", f"<style>\n{font_css}\n</style>\n</head>", 1)


def chapter_html(notebook: Path, output: Path | None = None) -> str:
    """One chapter as HTML with code hidden, images embedded, nothing fetched from the network.

    Fonts are added by the caller (``with_fonts``), once for all pages of a build."""
    body, _ = _exporter().from_filename(str(notebook))
    if output is not None:
        output.write_text(with_fonts(body, fonts.subset_css(visible_text(body))), encoding="utf-8")
    return body


@functools.cache
def _exporter() -> HTMLExporter:
    """One exporter per process: it compiles its templates once (0.07 s per chapter otherwise)."""
    return HTMLExporter(
        template_name="chapter",
        extra_template_basedirs=[str(paths.TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        optimistic_validation=True,  # the notebook is validated once, not after each step
    )


def warm() -> None:
    """Convert a notebook of one cell, so that the exporter's templates and the CSS selectors
    nbconvert applies to every page are compiled before the first chapter is (0.25 s)."""
    from nbformat.v4 import new_code_cell, new_notebook, new_output

    cell = new_code_cell("", outputs=[new_output("display_data", data={"text/plain": ""})])
    _exporter().from_notebook_node(new_notebook(cells=[cell]))


def _env() -> jinja2.Environment:
    from helpers.render.compose import quote

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(paths.TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["quote"] = quote  # a sentence left out, as the section's note quotes it
    return env


def _number_blocks(chapters: list[Chapter]) -> list[dict]:
    """Give headings and led paragraphs an id; return the table of contents as a tree: each
    一、 entry with its （一） entries as ``children`` (a （一） before any 一、 stands alone)."""
    toc: list[dict] = []
    for ch in chapters:
        for i, b in enumerate(ch.blocks):
            if b["kind"] == "heading" or (b["kind"] == "paragraph" and b.get("lead")):
                b["id"] = f"{ch.name}-{i}"
                text = b["text"] if b["kind"] == "heading" else b["lead"]
                entry = {"id": b["id"], "text": text.rstrip("。"), "level": b.get("level", 2)}
                entry["children"] = []
                if entry["level"] > 1 and toc and toc[-1]["level"] == 1:
                    toc[-1]["children"].append(entry)
                else:
                    toc.append(entry)
    return toc


def report_html(
    chapters: list[Chapter],
    params: dict,
    screen: bool = True,
    embed: bool = True,
    missing: list[dict] | None = None,
) -> str:
    """The whole report as one self-contained HTML page (CSS inline, images as data URIs).

    ``screen=True`` adds the table of contents, tooltips and phone layout; ``screen=False``
    gives the GB/T 9704 paged layout for the PDF engine.
    """
    sheets = ["report.css", "screen.css"] if screen else ["report.css", "print.css"]
    css = "\n".join((paths.TEMPLATES / s).read_text(encoding="utf-8") for s in sheets)
    toc = _number_blocks(chapters)
    for ch in chapters:
        ch.title = chapter_title(ch)
        for t in ch.tables:
            t["classes"] = column_classes(t["rows"])
    page = (
        _env()
        .get_template("report.html.j2")
        .render(
            title=title(params),
            title_lines=title_lines(params),
            organ=params["organ"],
            date=fmt.date_cn(params["report_date"]),
            chapters=chapters,
            figures=annex_rows(chapters),
            css=css,
            toc=toc,
            draft=DRAFT_MARK if missing else "",
            missing=missing or [],
        )
    )
    if screen and embed:
        return with_fonts(page, fonts.subset_css(visible_text(page)))
    return page


def write_metrics(chapters: list[Chapter], output: Path) -> Path:
    """Every recorded figure, one per row, with its provenance."""
    with output.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=METRIC_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for ch in chapters:
            writer.writerows(ch.figures)
    return output


def write_index(reports_dir: Path) -> Path:
    """``reports/index.html``: every built year (its build date, links to its HTML, PDF, Word,
    data, chapters by title and notebooks, and for a draft its warnings and what it leaves out),
    then every figure across the built years side by side with a small trend line."""
    from helpers.render import years as built

    years = built.built_years(reports_dir)
    columns = sorted(y.year for y in years)
    page = (
        _env()
        .get_template("index.html.j2")
        .render(
            years=years,
            columns=columns,
            figures=built.figures_across_years(reports_dir, columns),
        )
    )
    page = with_fonts(page, fonts.subset_css(visible_text(page)))  # Chinese without system fonts
    out = reports_dir / "index.html"
    tmp = out.with_suffix(".tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(out)
    return out
