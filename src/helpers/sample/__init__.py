"""Deterministic sample raw tables, calibrated so the 2021 build reproduces the published report.

This package is the only place that knows the published figures (``published-2021.csv``);
nothing on the report side imports it.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from helpers import paths
from helpers.errors import ReportError
from helpers.sample import enforcement, epidemic, reconsideration, safety, services, study

log = logging.getLogger(__name__)
DEFAULT_SEED = 20211231
MARKER = ".sample"  # marks a folder of sample data, which may be regenerated
CHAPTERS = (study, epidemic, safety, enforcement, reconsideration, services)


def generate(
    data_dir: Path | None = None, *, scale: float = 1.0, seed: int = DEFAULT_SEED
) -> list[Path]:
    """Write every sample table into ``data_dir`` (default ``data/raw``); returns the files written."""
    root = paths.data_dir(data_dir)
    if root.exists() and any(root.iterdir()) and not (root / MARKER).exists():
        raise ReportError(
            f"{root} 中有不是示例数据生成器写入的文件；不会覆盖它们。",
            fix="用 --data-dir 选一个空文件夹，或先把您自己的导出数据移到别处",
        )
    root.mkdir(parents=True, exist_ok=True)
    (root / MARKER).write_text(
        f"seed={seed} scale={scale}\n", encoding="utf-8"
    )  # first: a half-written folder stays ours
    written: list[Path] = []
    for chapter in CHAPTERS:
        start = time.perf_counter()
        files = chapter.write_all(root, seed, scale)
        log.info(
            "%s：%d 个文件，用时 %.1f 秒",
            chapter.__name__.rsplit(".", 1)[-1],
            len(files),
            time.perf_counter() - start,
        )
        written += files
    return written
