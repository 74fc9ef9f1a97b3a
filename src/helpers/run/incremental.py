"""Keys that decide what a rebuild must redo, and the manifest a build leaves in its folder.

A chapter's key covers its notebook, the code its kernel runs, the parameters injected into it,
its declaration in report.yaml (tables and years, number, level), its section of the narrative
inputs, the digests of the exact table files its declaration names, and the workspace's own
figures module, table contracts and header mappings of those tables. Nothing is found by
reading the notebook's code: a chapter that reads anything else stops with an error (see
``helpers.chapter``), so a chapter reused from the last build is never stale. The assembly key
covers every chapter key, all the code, the year's parameters and the chosen outputs.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from helpers.data import cache
from helpers.errors import DataError
from helpers.inputs.declaration import Entry

MANIFEST = "manifest.json"


def table_files(entry: Entry, year: int, data_dir) -> dict[str, Path | None]:
    """``table/year`` → its file (None when missing) for every table the chapter declares."""
    from helpers.data.files import table_file
    from helpers.figures.base import years_read

    out = {}
    for table, y in years_read(entry.chapter.tables, year, data_dir):
        try:
            path = table_file(table, y, data_dir)
        except DataError:
            path = None
        out[f"{table}/{y}"] = path
    return dict(sorted(out.items()))


def table_inputs(entry: Entry, year: int, data_dir) -> dict[str, str]:
    """``table/year`` → digest of its file for every table the chapter reads; for a table-year
    with no file, ``missing`` and the names in its folder that hold the year (``2021 (1).xlsx``:
    a file meant as it but misnamed, which the check reports, so a new one is a change)."""
    from helpers import paths
    from helpers.data.files import _names_in

    out = {}
    for name, path in table_files(entry, year, data_dir).items():
        if path:
            out[name] = cache.file_digest(path)
            continue
        table, y = name.split("/")
        try:
            near = [n for n in _names_in(paths.data_dir(data_dir) / table) if y in n]
        except DataError as exc:  # not a folder: the check says so
            near = [str(exc)]
        out[name] = "missing" + (f":{'|'.join(near)}" if near else "")
    return out


def input_bytes(entry: Entry, year: int, data_dir) -> int:
    """Size of the raw files a chapter reads: a cold build starts the largest first."""
    return sum(p.stat().st_size for p in table_files(entry, year, data_dir).values() if p)


def narrative_inputs(entry: Entry, year: int, folder: Path | None = None) -> str:
    """The chapter's section of the year's narrative file, as canonical JSON."""
    from helpers.inputs import narrative

    path = narrative.narrative_file(year, folder)
    if not path.exists():
        return "missing"
    data = narrative.load_file(year, folder)
    return json.dumps(data.get(entry.name), ensure_ascii=False, sort_keys=True)


def declaration_inputs(entry: Entry) -> str:
    """The chapter as report.yaml declares it this year (its number included: it is in the text;
    its title, only said in progress lines, left out)."""
    spec = {**dataclasses.asdict(entry.chapter), "line": 0, "number": entry.number}
    spec.pop("title")
    return json.dumps(spec, ensure_ascii=False, sort_keys=True, default=list)


def workspace_inputs(entry: Entry, workspace, data_dir) -> dict[str, str]:
    """The workspace's own files that decide what the chapter computes: its figures module
    (``figures/<name>.py``, in place of the helpers' one), the contract of its own tables
    (``contract/<table>.yaml``) and the header mapping in each table's folder; each file's
    digest, or ``missing``."""
    from helpers import paths
    from helpers.data.mapping import FILE as MAPPING

    files = {}
    if workspace is not None and entry.chapter.figures:
        files["figures"] = workspace.figures / f"{entry.chapter.figures}.py"
    for table in entry.chapter.tables:
        if workspace is not None:
            files[f"contract/{table}"] = workspace.contract / f"{table}.yaml"
        files[f"mapping/{table}"] = paths.data_dir(data_dir) / table / MAPPING
    return {k: cache.file_digest(p) if p.is_file() else "missing" for k, p in sorted(files.items())}


def chapter_key(
    entry: Entry,
    notebook: Path,
    parameters: dict,
    year: int,
    data_dir,
    code: str,
    narrative_dir: Path | None = None,
    workspace=None,
) -> str:
    """Everything a chapter's result depends on, as one digest."""
    # where the data and the workspace lie is no input: the digests of the files are
    placeless = {k: v for k, v in parameters.items() if k not in ("data_dir", "workspace")}
    return cache.text_digest(
        cache.file_digest(notebook),
        code,
        json.dumps(placeless, sort_keys=True, ensure_ascii=False),
        declaration_inputs(entry),
        narrative_inputs(entry, year, narrative_dir),
        json.dumps(table_inputs(entry, year, data_dir)),
        json.dumps(workspace_inputs(entry, workspace, data_dir)),
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
