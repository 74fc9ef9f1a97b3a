"""Deterministic sample raw tables, calibrated so the 2021 build reproduces the published report.

This package is the only place that knows the published figures (``published-2021.csv``);
nothing on the report side imports it.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from .. import paths
from . import services

log = logging.getLogger(__name__)
DEFAULT_SEED = 20211231
CHAPTERS = (services,)


def generate(data_dir: Path | None = None, *, scale: float = 1.0, seed: int = DEFAULT_SEED) -> list[Path]:
    """Write every sample table into ``data_dir`` (default ``data/raw``); returns the files written."""
    root = data_dir or paths.DATA
    written: list[Path] = []
    for chapter in CHAPTERS:
        start = time.perf_counter()
        files = chapter.write(root, seed, scale)
        log.info("%s: %d files in %.1f s", chapter.__name__.rsplit(".", 1)[-1], len(files), time.perf_counter() - start)
        written += files
    (root / ".sample").write_text(f"seed={seed} scale={scale}\n", encoding="utf-8")
    return written
