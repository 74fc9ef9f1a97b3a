"""Figures the report states, one module per chapter; ``base`` holds the Figure record.

A chapter module gives ``FIGURES`` and ``WORDS`` (the slots its text may use, each with the
tables it rests on), optionally ``COLUMNS`` (the only columns to read of its largest tables),
and ``figure_groups`` / ``word_groups``: calculations run one group at a time, so a missing
table or a figure the data cannot state leaves out only what depends on it. Which tables and
years a chapter reads is declared in report.yaml, not here (``helpers.inputs.declaration``).
"""

from __future__ import annotations

from types import ModuleType

from helpers.figures.base import (
    COMMON_SLOTS,
    Figure,
    Frames,
    NotStated,
    Results,
    collect,
    count,
    load_frames,
    results,
    total,
    years_read,
    yoy,
)

__all__ = [
    "COMMON_SLOTS",
    "Figure",
    "NotStated",
    "Results",
    "chapter",
    "compute",
    "compute_all",
    "count",
    "frames",
    "needs",
    "slots",
    "total",
    "yoy",
]


def _declared(section: str, year: int, workspace=None):
    from helpers.inputs import declaration

    report = declaration.load(workspace)
    entry = report.entry(year, section)
    return entry.chapter, declaration.module(entry.chapter, workspace)


def needs(year: int, data_dir=None, workspace=None) -> list[tuple[str, int]]:
    """Every (table, year) the report of ``year`` reads, as report.yaml declares it."""
    from helpers.inputs import declaration

    report = declaration.load(workspace)
    pairs = set()
    for entry in report.for_year(year):
        pairs |= set(years_read(entry.chapter.tables, year, data_dir))
    return sorted(pairs)


def owned(chapter, module: ModuleType | None) -> dict[str, tuple[str, ...]]:
    """The figures a chapter states (report.yaml's ``owns``, else all its module's), with the
    tables each rests on."""
    if module is None:
        return {}
    figures = getattr(module, "FIGURES", {})
    if chapter.owns is None:
        return dict(figures)
    return {fid: figures.get(fid, ()) for fid in chapter.owns}


def slots(section: str, year: int | None = None, workspace=None) -> dict[str, tuple[str, ...]]:
    """Every slot a narrative section may use, with the tables each rests on (() for common ones):
    the common ones, the figures the chapter states, and its module's words. A section that is
    no chapter of the report has the common slots only."""
    from helpers.inputs import declaration

    report = declaration.load(workspace)
    chapter = next((c for c in report.chapters if c.name == section), None)
    if chapter is None:
        return dict.fromkeys(COMMON_SLOTS, ())
    module = declaration.module(chapter, workspace)
    words = getattr(module, "WORDS", {}) if module else {}
    return {**dict.fromkeys(COMMON_SLOTS, ()), **owned(chapter, module), **words}


def frames(section: str, year: int, data_dir=None, workspace=None) -> Frames:
    """The tables a chapter declares, read for the report of ``year``."""
    chapter, module = _declared(section, year, workspace)
    columns = getattr(module, "COLUMNS", {}) if module else {}
    return load_frames(chapter.tables, year, data_dir, columns, chapter=chapter.name)


def compute(module: ModuleType, t, **params) -> dict[str, Figure]:
    """The figures of one chapter module from its loaded tables ``t``."""
    return collect(*module.figure_groups(t, **params))


def chapter(section: str, year: int, data_dir=None, workspace=None, **params) -> Results:
    """Read a chapter's declared tables and compute the figures it states and its words, with
    the reason for every slot left out. A chapter without a figures module (the opening,
    problems, plans) has only the common slots."""
    decl, module = _declared(section, year, workspace)
    if module is None:
        return Results(year=year)
    t = frames(section, year, data_dir, workspace)
    res = results(
        t,
        module.figure_groups(t, **params),
        module.word_groups(t, **params),
        {**owned(decl, module), **getattr(module, "WORDS", {})},
    )
    res.figures = {k: v for k, v in res.figures.items() if k in owned(decl, module)}
    return res


def compute_all(year: int, data_dir=None, city: str = "东莞", workspace=None) -> dict[str, Figure]:
    """Every figure of the report of ``year``, by id (what the chapter notebooks compute, in one
    call)."""
    from helpers.inputs import declaration

    figs: dict[str, Figure] = {}
    for entry in declaration.load(workspace).for_year(year):
        if entry.chapter.figures:
            res = chapter(entry.name, year, data_dir, workspace, city=city)
            figs |= res.figures
    return dict(sorted(figs.items()))
