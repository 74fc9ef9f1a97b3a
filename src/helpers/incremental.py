"""Keys that decide what a rebuild must redo, and the manifest a build leaves in its folder.

A chapter's key covers its notebook, the helpers code, the parameters injected into it, its
section of the narrative inputs, and the digests of the exact table files it reads. The
assembly key covers every chapter key, the year's parameters and the chosen outputs.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import cache
from .errors import DataError

MANIFEST = "manifest.json"


def section(notebook: Path) -> str:
    """The chapter a notebook renders: ``13_safety.ipynb`` → ``safety`` (its narrative section and
    its figures module, ``helpers.figures.MODULES``)."""
    return notebook.stem.split("_", 1)[-1]


def table_files(notebook: Path, year: int, data_dir) -> dict[str, Path | None]:
    """``table/year`` → its file (None when missing) for every table the notebook reads."""
    from . import figures, loader
    from .figures.base import years_read

    module = figures.MODULES.get(section(notebook))
    out = {}
    for table, y in years_read(module.NEEDS, year, data_dir) if module else []:
        try:
            path = loader.table_file(table, y, data_dir)
        except DataError:
            path = None
        out[f"{table}/{y}"] = path
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
    """The notebook's section of the year's narrative file, as canonical JSON."""
    from . import narrative

    path = narrative.narrative_file(year)
    if not path.exists():
        return "missing"
    data = narrative.load_file(year)
    return json.dumps(data.get(section(notebook)), ensure_ascii=False, sort_keys=True)


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
