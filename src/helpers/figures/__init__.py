"""Figures the report states, one module per chapter; ``base`` holds the Figure record.

Each chapter module declares ``NEEDS`` (the tables and years it reads), ``FIGURES`` and ``WORDS``
(the slots its text may use, each with the tables it rests on), and gives ``figure_groups`` and
``word_groups``: calculations run one group at a time, so a missing table or a figure the data
cannot state leaves out only what depends on it.
"""

from __future__ import annotations

from types import ModuleType

from . import enforcement, epidemic, leaders, safety, services, study
from .base import COMMON_SLOTS, Figure, NotStated, Results, collect, count, results, total, yoy

# narrative section → the module that computes its slots
MODULES: dict[str, ModuleType] = {
    "study": study,
    "epidemic": epidemic,
    "safety": safety,
    "enforcement": enforcement,
    "services": services,
    "leaders": leaders,
}

__all__ = [
    "COMMON_SLOTS",
    "MODULES",
    "Figure",
    "NotStated",
    "Results",
    "chapter",
    "compute",
    "compute_all",
    "count",
    "needs",
    "slots",
    "total",
    "yoy",
]


def needs(year: int, data_dir=None) -> list[tuple[str, int]]:
    """Every (table, year) the report of ``year`` reads, in contract order."""
    from .base import years_read

    return sorted({pair for m in MODULES.values() for pair in years_read(m.NEEDS, year, data_dir)})


def slots(section: str) -> dict[str, tuple[str, ...]]:
    """Every slot a narrative section may use, with the tables each rests on (() for common ones)."""
    module = MODULES.get(section)
    declared = {} if module is None else {**module.FIGURES, **module.WORDS}
    return {**dict.fromkeys(COMMON_SLOTS, ()), **declared}


def compute(module: ModuleType, t, **params) -> dict[str, Figure]:
    """The figures of one chapter module from its loaded tables ``t``."""
    return collect(*module.figure_groups(t, **params))


def chapter(section: str, year: int, data_dir=None, **params) -> Results:
    """Load a chapter's tables and compute its figures and words, with the reason for every
    declared slot left out. Sections without a module (the opening, problems, plans) have only
    the common slots."""
    module = MODULES.get(section)
    if module is None:
        return Results(year=year)
    t = module.load(year, data_dir)
    return results(
        t,
        module.figure_groups(t, **params),
        module.word_groups(t, **params),
        {**module.FIGURES, **module.WORDS},
    )


def compute_all(year: int, data_dir=None, city: str = "东莞") -> dict[str, Figure]:
    """Every figure of the report of ``year``, by id (what the chapter notebooks compute, in one call)."""
    figs: dict[str, Figure] = {}
    for module in MODULES.values():
        figs |= compute(module, module.load(year, data_dir), city=city)
    return dict(sorted(figs.items()))
