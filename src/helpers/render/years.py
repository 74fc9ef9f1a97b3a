"""The built years side by side, for ``reports/index.html``: each year's build (date, draft
status, warnings, chapters by title) from its ``manifest.json``, and every figure across the
years from their ``metrics.csv``, with a small trend line drawn as inline SVG."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass, field
from pathlib import Path

from helpers import fmt

FILES = (
    ("report.html", "网页版"),
    ("report.pdf", "PDF"),
    ("report.docx", "Word"),
    ("metrics.csv", "数据"),
)
WARNING_CHAPTER = "数据检查"  # document.left_out files the data checks' warnings under this


@dataclass
class BuiltYear:
    """One year's folder under ``reports/`` as the index shows it."""

    year: int
    built: str  # when it was built, e.g. 2026-12-01 04:40
    files: list[tuple[str, str]]
    chapters: list[tuple[str, str]]  # (file name of the chapter page, chapter title)
    notebooks: list[str]
    left_out: list[dict] = field(default_factory=list)  # sentences the data could not state
    warnings: list[str] = field(default_factory=list)  # about the data

    @property
    def draft(self) -> bool:
        return bool(self.left_out or self.warnings)


def built_years(reports_dir: Path) -> list[BuiltYear]:
    """Every year built under ``reports_dir``, newest first."""
    from helpers.run.incremental import MANIFEST, read_manifest

    years = []
    for folder in sorted(
        (p for p in reports_dir.iterdir() if p.is_dir() and p.name.isdigit()), reverse=True
    ):
        manifest = read_manifest(folder)
        titles = manifest.get("titles", {})
        items = manifest.get("left_out", [])
        built = manifest.get("built") or _mtime(folder / MANIFEST)
        years.append(
            BuiltYear(
                year=int(folder.name),
                built=built.replace("T", " ")[:16],
                files=[(n, label) for n, label in FILES if (folder / n).exists()],
                chapters=[
                    (p.name, titles.get(p.stem) or p.stem)
                    for p in sorted((folder / "chapters").glob("*.html"))
                ],
                notebooks=sorted(p.name for p in (folder / "notebooks").glob("*.ipynb")),
                left_out=[m for m in items if m.get("chapter") != WARNING_CHAPTER],
                warnings=[m["why"] for m in items if m.get("chapter") == WARNING_CHAPTER],
            )
        )
    return years


def _mtime(path: Path) -> str:
    """A file's modification time as an ISO date and time ('' when it does not exist)."""
    import datetime as dt

    try:
        stamp = path.stat().st_mtime
    except OSError:
        return ""
    return dt.datetime.fromtimestamp(stamp).isoformat(timespec="minutes")


@dataclass
class FigureAcrossYears:
    """One figure id with its value in each built year (None where the year has none)."""

    id: str
    label: str
    unit: str
    values: dict[int, float | None]
    texts: dict[int, str]  # the value as the table shows it

    def sparkline(self) -> str:
        return sparkline_svg([self.values[y] for y in sorted(self.values)])


def read_metrics(path: Path) -> list[dict]:
    """The rows of one year's ``metrics.csv`` ([] when it does not exist)."""
    try:
        with path.open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))
    except FileNotFoundError:
        return []


def _float(text: str) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def value_text(value: float | None) -> str:
    """A value in the cross-year table: whole numbers as they are, others to two places.

    >>> [value_text(v) for v in (7498, 58.94, 100.0, None, 0.125)]
    ['7498', '58.94', '100', '', '0.13']
    """
    if value is None:
        return ""
    return fmt.number(value, 0) if value == int(value) else fmt.number(value, 2)


def figures_across_years(reports_dir: Path, years: list[int]) -> list[FigureAcrossYears]:
    """Every figure id in any of ``years``' metrics, in id order, with each year's value; the
    label and unit are the newest year's."""
    rows: dict[str, FigureAcrossYears] = {}
    for year in sorted(years):
        for r in read_metrics(reports_dir / str(year) / "metrics.csv"):
            f = rows.setdefault(r["id"], FigureAcrossYears(r["id"], "", "", {}, {}))
            f.label, f.unit = r.get("label", ""), r.get("unit", "")
            f.values[year] = _float(r.get("value"))
            f.texts[year] = (
                value_text(f.values[year]) if f.values[year] is not None else r.get("value", "")
            )
    for f in rows.values():
        for year in years:
            f.values.setdefault(year, None)
            f.texts.setdefault(year, "")
    return [rows[k] for k in sorted(rows)]


def sparkline_svg(values: list[float | None], width: int = 72, height: int = 18) -> str:
    """A small trend line as inline SVG: one point per year (left to right), a gap-free line
    through the years that have a value, the last value marked; '' with fewer than two values.

    >>> svg = sparkline_svg([1, 3, 2])
    >>> svg.startswith("<svg") and "polyline" in svg and svg.count("<circle") == 1
    True
    >>> sparkline_svg([5, None])
    ''
    """
    present = [(i, v) for i, v in enumerate(values) if v is not None]
    if len(present) < 2:
        return ""
    lo, hi = min(v for _, v in present), max(v for _, v in present)
    span = hi - lo or 1
    pad = 2
    step = (width - 2 * pad) / max(len(values) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        y = height - pad - (v - lo) / span * (height - 2 * pad) if hi > lo else height / 2
        return round(pad + i * step, 1), round(y, 1)

    points = " ".join(f"{x},{y}" for x, y in (xy(i, v) for i, v in present))
    lx, ly = xy(*present[-1])
    return (
        f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-hidden="true"><polyline points="{points}" fill="none" stroke="#2c6fad" '
        f'stroke-width="1.5"/><circle cx="{lx}" cy="{ly}" r="2" fill="#c0392b"/></svg>'
    )
