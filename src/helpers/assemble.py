"""Combine executed chapter notebooks into the report: chapter HTML, report.html, metrics.csv."""

from __future__ import annotations

import csv
import html
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import nbformat
from nbconvert import HTMLExporter

from . import fmt, paths
from .report import MIME_BLOCK, MIME_FIGURES

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


@dataclass
class Chapter:
    """What one executed chapter contributes to the report."""

    name: str
    blocks: list[dict] = field(default_factory=list)
    charts: list[dict] = field(default_factory=list)
    tables: list[dict] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)


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


def chapter_html(notebook: Path, output: Path) -> Path:
    """One chapter as HTML with code hidden, images embedded, nothing fetched from the network."""
    exporter = HTMLExporter(
        template_name="chapter",
        extra_template_basedirs=[str(paths.TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    body, _ = exporter.from_filename(str(notebook))
    output.write_text(body, encoding="utf-8")
    return output


def _env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(paths.TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def title(params: dict) -> str:
    """The report's title, e.g. 东莞市公安局2021年法治政府建设年度报告."""
    return f"{params['organ']}{params['year']}年法治政府建设年度报告"


def apply_notes(chapters: list[Chapter], notes: dict[str, str]) -> None:
    """Attach the year's annex notes (``params/<year>.yaml`` → notes) to the recorded figures."""
    for ch in chapters:
        for fig in ch.figures:
            if fig["id"] in notes:
                fig["note"] = "；".join(n for n in (fig.get("note"), notes[fig["id"]]) if n)


def report_html(chapters: list[Chapter], params: dict, screen: bool = True) -> str:
    """The whole report as one self-contained HTML page (CSS inline, images as data URIs).

    ``screen=False`` leaves out the screen-only rules, for the PDF engine.
    """
    sheets = ["report.css", "screen.css"] if screen else ["report.css"]
    css = "\n".join((paths.TEMPLATES / s).read_text(encoding="utf-8") for s in sheets)
    figures = [f for ch in chapters for f in ch.figures]
    return (
        _env()
        .get_template("report.html.j2")
        .render(
            title=title(params),
            organ=params["organ"],
            date=fmt.date_cn(params["report_date"]),
            chapters=chapters,
            figures=figures,
            css=css,
        )
    )


def write_metrics(chapters: list[Chapter], output: Path) -> Path:
    """Every recorded figure, one per row, with its provenance."""
    with output.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=METRIC_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for ch in chapters:
            writer.writerows(ch.figures)
    return output


def plain_text(chapters: list[Chapter]) -> str:
    """The official text without markup (for checks and quick reading)."""
    lines = []
    for ch in chapters:
        for b in ch.blocks:
            lines.append(
                html.unescape(b.get("lead", "") + b["text"])
                if b["kind"] == "paragraph"
                else b["text"]
            )
    return "\n".join(lines)
