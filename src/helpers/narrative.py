"""The year's narrative inputs: what no table counts, in ``data/narrative/<year>.yaml``.

Each chapter has a section of sentence templates. ``{F020}``-style slots take computed figures
and ``{name}`` slots take words the chapter computes (names of cases, dates of study sessions …),
so the file holds no figure. Items are numbered 一是、二是 … when rendered.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from . import paths
from .errors import NarrativeError
from .params import _StringDateLoader

CHAPTERS = (
    "opening",
    "study",
    "epidemic",
    "safety",
    "enforcement",
    "services",
    "leaders",
    "problems",
    "plans",
)
KEYS = {"heading", "lead", "intro", "items", "closing", "paragraphs"}


def narrative_file(year: int, folder: Path | None = None) -> Path:
    """``data/narrative/<year>.yaml``."""
    return (folder or paths.NARRATIVE) / f"{year}.yaml"


def load(year: int, chapter: str, folder: Path | str | None = None) -> dict:
    """One chapter's section of the year's narrative, checked."""
    path = narrative_file(year, Path(folder) if folder else None)
    if not path.exists():
        raise NarrativeError(
            f"No narrative inputs for {year}: {path} does not exist.",
            fix=f"copy data/narrative/{year - 1}.yaml to {path.name} and rewrite it for {year}",
        )
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_StringDateLoader) or {}
    unknown = sorted(set(data) - set(CHAPTERS))
    if unknown:
        raise NarrativeError(
            f"{path}: unknown chapter(s) {unknown}.", fix=f"use only {', '.join(CHAPTERS)}"
        )
    section = data.get(chapter)
    if not isinstance(section, dict):
        raise NarrativeError(
            f"{path}: chapter {chapter!r} is missing or not a mapping.",
            fix=f"add a section `{chapter}:` with items or paragraphs",
        )
    bad = sorted(set(section) - KEYS)
    if bad:
        raise NarrativeError(
            f"{path}: {chapter} has unknown key(s) {bad}.",
            fix=f"use only {', '.join(sorted(KEYS))}",
        )
    for key in ("items", "paragraphs"):
        if key in section and not (
            isinstance(section[key], list) and all(isinstance(x, str) for x in section[key])
        ):
            raise NarrativeError(
                f"{path}: {chapter}.{key} must be a list of texts.", fix="write each as `- 文字`"
            )
    return section
