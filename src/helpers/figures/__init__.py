"""Figures the report states, one module per chapter; ``base`` holds the Figure record."""

from . import services
from .base import Figure, count, total, yoy

CHAPTERS = (services,)

__all__ = ["CHAPTERS", "Figure", "count", "needs", "total", "yoy"]


def needs(year: int) -> list[tuple[str, int]]:
    """Every (table, year) the report of ``year`` reads, in contract order."""
    pairs = {
        (table, year + offset)
        for module in CHAPTERS
        for table, offsets in module.NEEDS.items()
        for offset in offsets
    }
    return sorted(pairs)
