"""What a chapter notebook declares, found without running it (no kernel, no papermill), and
whether it can run at all: valid JSON, code cells that compile."""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from helpers.errors import NotebookError

MAGIC = re.compile(r"^\s*[%!]")  # IPython magics and shell lines: not Python to compile


@dataclass(frozen=True)
class Cells:
    """A notebook's code cells: (index among all cells, source), and which one holds parameters."""

    code: tuple[tuple[int, str], ...]
    parameters: int | None  # index into ``code``


@lru_cache(maxsize=64)
def _cells(path: Path, mtime: int) -> Cells:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise NotebookError(
            f"{path} cannot be read ({exc}).", fix="restore it from version control"
        ) from None
    if re.search(r"^(<<<<<<<|>>>>>>>) ", text, flags=re.M):
        raise NotebookError(
            f"{path} has unresolved merge-conflict marks (<<<<<<< … >>>>>>>).",
            fix="resolve the conflict (JupyterLab cannot open the file as it is), e.g. keep one "
            "side with `git checkout --ours` or `--theirs`, then build again",
        )
    try:
        nb = json.loads(text)
        cells = nb["cells"]
    except (ValueError, KeyError, TypeError) as exc:
        where = f" (line {exc.lineno})" if hasattr(exc, "lineno") else ""
        raise NotebookError(
            f"{path} is not a valid notebook{where}: {exc}.",
            fix="open it in JupyterLab to repair it, or restore it from version control",
        ) from None
    code, params = [], None
    for i, c in enumerate(cells):
        if c.get("cell_type") != "code":
            continue
        src = c.get("source", "")
        src = "".join(src) if isinstance(src, list) else src
        if "parameters" in c.get("metadata", {}).get("tags", []) and params is None:
            params = len(code)
        code.append((i, src))
    return Cells(tuple(code), params)


def cells(path: Path) -> Cells:
    """The code cells of a notebook (NotebookError when it is not a readable notebook)."""
    try:
        mtime = path.stat().st_mtime_ns
    except OSError as exc:
        raise NotebookError(f"{path} cannot be read ({exc.strerror}).") from None
    return _cells(path, mtime)


def check_code(path: Path) -> None:
    """Every code cell compiles (magics aside): a syntax error is named by cell and line before
    any kernel starts, not as a failed chapter."""
    for index, source in cells(path).code:
        python = "\n".join("" if MAGIC.match(line) else line for line in source.splitlines())
        try:
            compile(python, f"{path.name} cell {index + 1}", "exec")
        except SyntaxError as exc:
            line = (exc.text or "").strip()
            raise NotebookError(
                f"{path}: cell {index + 1}, line {exc.lineno}: {exc.msg}: {line}",
                fix="correct the cell in JupyterLab (the notebook's cells are numbered from 1, "
                "markdown included)",
            ) from None


def declared_parameters(path: Path) -> list[str] | None:
    """Names assigned in the cell tagged ``parameters`` (None when there is no such cell)."""
    found = cells(path)
    if found.parameters is None:
        return None
    check_code(path)
    return assigned_names(found.code[found.parameters][1])


def assigned_names(source: str) -> list[str]:
    """Names a cell assigns at its top level (``year = 2021``, ``year: int = 2021``), in order."""
    names = []
    for node in ast.parse(source).body:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign)
            else []
        )
        names += [t.id for t in targets if isinstance(t, ast.Name)]
    return names
