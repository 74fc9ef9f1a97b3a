"""Figures the report states, one module per chapter; ``base`` holds the Figure record."""

from . import enforcement, epidemic, safety, services, study
from .base import Figure, count, total, yoy

CHAPTERS = (study, epidemic, safety, enforcement, services)

__all__ = ["CHAPTERS", "Figure", "compute_all", "count", "needs", "total", "yoy"]


def needs(year: int) -> list[tuple[str, int]]:
    """Every (table, year) the report of ``year`` reads, in contract order."""
    pairs = {
        (table, year + offset)
        for module in CHAPTERS
        for table, offsets in module.NEEDS.items()
        for offset in offsets
    }
    return sorted(pairs)


def compute_all(year: int, data_dir=None, city: str = "东莞") -> dict[str, Figure]:
    """Every figure of the report of ``year``, by id (what the chapter notebooks compute, in one call)."""
    figs = study.compute(study.load(year, data_dir))
    figs |= epidemic.compute(epidemic.load(year, data_dir))
    figs |= safety.compute(safety.load(year, data_dir), year, city)
    figs |= enforcement.compute(enforcement.load(year, data_dir))
    figs |= services.compute(services.load(year, data_dir))
    return dict(sorted(figs.items()))
