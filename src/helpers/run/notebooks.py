"""What a chapter notebook declares, found without running it (no kernel, no papermill), and
whether it can run at all: valid JSON, code cells that compile; the parameters it is given."""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from helpers.errors import NotebookError, ParamsError

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
        raise NotebookError(f"无法读取 {path}（{exc}）。", fix="从版本控制中恢复它") from None
    if re.search(r"^(<<<<<<<|>>>>>>>) ", text, flags=re.M):
        raise NotebookError(
            f"{path} 中有未解决的合并冲突标记（<<<<<<< … >>>>>>>）。",
            fix="解决冲突（文件这样 JupyterLab 打不开），例如用 `git checkout --ours` 或 "
            "`--theirs` 保留一方，然后再构建",
        )
    try:
        nb = json.loads(text)
        cells = nb["cells"]
    except (ValueError, KeyError, TypeError) as exc:
        where = f"（第 {exc.lineno} 行）" if hasattr(exc, "lineno") else ""
        raise NotebookError(
            f"{path} 不是有效的笔记本{where}：{exc}。",
            fix="在 JupyterLab 中打开并修复它，或从版本控制中恢复",
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
        raise NotebookError(f"无法读取 {path}（{exc.strerror}）。") from None
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
                f"{path}：第 {index + 1} 个单元格，第 {exc.lineno} 行：{exc.msg}：{line}",
                fix="在 JupyterLab 中改正该单元格（笔记本的单元格从 1 起编号，"
                "markdown 单元格也计在内）",
            ) from None


def declared_parameters(path: Path) -> list[str] | None:
    """Names assigned in the cell tagged ``parameters`` (None when there is no such cell)."""
    found = cells(path)
    if found.parameters is None:
        return None
    check_code(path)
    return assigned_names(found.code[found.parameters][1])


def chapter_parameters(notebook: Path, available: dict) -> dict:
    """The parameters to inject: those the notebook declares, every one of which must be available.

    A declared parameter the year's parameters do not provide is an error (not papermill's
    warning); keys the notebook does not declare are not injected into it.
    """
    declared = declared_parameters(notebook)
    if not declared:
        raise ParamsError(
            f"{notebook.name} 中没有标记为 'parameters' 的单元格。",
            fix="给笔记本的第一个代码单元格加上标签 'parameters'（JupyterLab：属性检查器 → 单元格标签）",
        )
    missing = sorted(set(declared) - set(available))
    if missing:
        raise ParamsError(
            f"{notebook.name} 声明了参数 {', '.join(missing)}，但该年的参数中没有。",
            fix="把它们加入 helpers/params.py 的 SCHEMA 和 params/<年>.yaml，或从笔记本中删去",
        )
    return {k: available[k] for k in declared}


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
