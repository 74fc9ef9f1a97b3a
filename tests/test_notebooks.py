"""Notebooks are committed clean, declare their parameters, and hold no published figure."""

import ast
import json
import re

import papermill as pm
import pytest

from helpers import paths
from helpers.params import SCHEMA

NOTEBOOKS = paths.chapter_notebooks()
ALLOWED_NB_METADATA = {"kernelspec", "language_info"}


def test_there_are_chapter_notebooks():
    assert [nb.stem for nb in NOTEBOOKS][:1] and all(
        re.match(r"\d\d_", nb.name) for nb in NOTEBOOKS
    )


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_clean(nb):
    data = json.loads(nb.read_text(encoding="utf-8"))
    assert set(data["metadata"]) <= ALLOWED_NB_METADATA, "kernel noise in notebook metadata"
    assert data["metadata"]["kernelspec"]["name"] == "python3"  # papermill needs it
    for cell in data["cells"]:
        assert set(cell.get("metadata", {})) <= {"tags"}
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_are_known(nb):
    declared = pm.inspect_notebook(str(nb))
    assert "year" in declared
    assert set(declared) <= set(SCHEMA) | {"data_dir"}


def _code(nb):
    cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_do_not_reach_the_generator(nb):
    tree = ast.parse(_code(nb))
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not [m for m in names if "sample" in m]


def test_no_published_figure_is_typed_on_the_report_side(published):
    """Figures of three or more digits appear only in the sample generator."""
    literals = set()
    for row in published.values():
        for token in re.findall(r"\d+(?:\.\d+)?", row["published"]):
            # years and 100 (核查率100%, but also the percent base) are not figures to hunt for
            if len(token.replace(".", "")) >= 3 and not re.fullmatch(r"20\d\d|100", token):
                literals.add(token)
    assert {"7498", "6580", "58.75", "741.81", "10632", "1286"} <= literals
    report_side = [
        *NOTEBOOKS,
        *(
            p
            for p in (paths.ROOT / "src" / "helpers").rglob("*")
            if p.is_file() and "sample" not in p.relative_to(paths.ROOT).parts
        ),
        *paths.PARAMS.glob("*"),
    ]
    hits = []
    for path in report_side:
        if path.suffix not in {".py", ".ipynb", ".yaml", ".j2", ".css", ".json"}:
            continue
        text = path.read_text(encoding="utf-8")
        hits += [
            (path.name, lit)
            for lit in literals
            if re.search(rf"(?<![\d.]){re.escape(lit)}(?![\d.])", text)
        ]
    assert hits == []


def test_report_side_does_not_import_the_generator():
    for path in (paths.ROOT / "src" / "helpers").rglob("*.py"):
        if "sample" in path.parts or path.name == "cli.py":
            continue
        assert "sample" not in " ".join(
            n.module or ""
            for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(n, ast.ImportFrom)
        ), path


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_runs_top_to_bottom_with_its_defaults(nb, small_dir, tmp_path, monkeypatch):
    """As an analyst runs it in JupyterLab: no parameters injected, data found by the default rule."""
    monkeypatch.setenv("LAWREPORT_DATA", str(small_dir))
    out = tmp_path / nb.name
    pm.execute_notebook(
        str(nb), str(out), kernel_name="python3", progress_bar=False, cwd=str(nb.parent)
    )
    executed = json.loads(out.read_text(encoding="utf-8"))
    shown = [o for c in executed["cells"] for o in c.get("outputs", [])]
    assert not [o for o in shown if o.get("output_type") == "error"]
    assert any("application/vnd.lawreport.block+json" in o.get("data", {}) for o in shown)
