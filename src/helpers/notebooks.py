"""What a chapter notebook declares and reads, found without running it (no kernel, no papermill)."""

from __future__ import annotations

import ast
import json
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=64)
def _code(path: Path, mtime: int) -> tuple[str, str]:
    """(parameters cell, all code) of a notebook."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if c["cell_type"] == "code"]
    source = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in cells]
    params = next(
        (
            s
            for c, s in zip(cells, source, strict=True)
            if "parameters" in c.get("metadata", {}).get("tags", [])
        ),
        "",
    )
    return params, "\n".join(source)


def _read(path: Path) -> tuple[str, str]:
    return _code(path, path.stat().st_mtime_ns)


def declared_parameters(path: Path) -> list[str] | None:
    """Names assigned in the cell tagged ``parameters`` (None when there is no such cell)."""
    params, _ = _read(path)
    if not params:
        return None
    names = []
    for node in ast.parse(params).body:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign)
            else []
        )
        names += [t.id for t in targets if isinstance(t, ast.Name)]
    return names
