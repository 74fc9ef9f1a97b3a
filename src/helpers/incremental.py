"""Keys that decide what a rebuild must redo, and the manifest a build leaves in its folder.

A chapter's key covers its notebook, the helpers code, the parameters injected into it, its
section of the narrative inputs, and the digests of the exact table files it reads. The
assembly key covers every chapter key, the year's parameters and the chosen outputs.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from . import cache, notebooks, paths
from .errors import DataError

MANIFEST = "manifest.json"


def table_files(notebook: Path, year: int, data_dir) -> dict[str, Path | None]:
    """``table/year`` → its file (None when missing) for every table the notebook reads."""
    from . import figures, loader

    out = {}
    for name in notebooks.figure_modules(notebook):
        module = getattr(figures, name, None)
        for table, offsets in getattr(module, "NEEDS", {}).items():
            for offset in offsets:
                try:
                    path = loader.table_file(table, year + offset, data_dir)
                except DataError:
                    path = None
                out[f"{table}/{year + offset}"] = path
    return dict(sorted(out.items()))


def table_inputs(notebook: Path, year: int, data_dir) -> dict[str, str]:
    """``table/year`` → digest of its file (or ``missing``) for every table the notebook reads."""
    return {
        name: cache.file_digest(path) if path else "missing"
        for name, path in table_files(notebook, year, data_dir).items()
    }


def input_bytes(notebook: Path, year: int, data_dir) -> int:
    """Size of the raw files a chapter reads: a cold build starts the largest first."""
    return sum(p.stat().st_size for p in table_files(notebook, year, data_dir).values() if p)


def narrative_inputs(notebook: Path, year: int) -> str:
    """The notebook's sections of the year's narrative file, as canonical JSON."""
    sections = notebooks.narrative_sections(notebook)
    if not sections:
        return ""
    path = paths.NARRATIVE / f"{year}.yaml"
    if not path.exists():
        return "missing"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return json.dumps({s: data.get(s) for s in sections}, ensure_ascii=False, sort_keys=True)


def chapter_key(notebook: Path, parameters: dict, year: int, data_dir, code: str) -> str:
    """Everything a chapter's result depends on, as one digest."""
    return cache.text_digest(
        cache.file_digest(notebook),
        code,
        json.dumps(parameters, sort_keys=True, ensure_ascii=False),
        narrative_inputs(notebook, year),
        json.dumps(table_inputs(notebook, year, data_dir)),
    )


def read_manifest(folder: Path) -> dict:
    """The manifest of the last build in ``folder`` ({} when there is none)."""
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_manifest(folder: Path, manifest: dict) -> None:
    (folder / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
    )
