"""Notebooks are committed clean, declare their parameters, and hold no published figure."""

import ast
import json
import os
import re
import time

import papermill as pm
import pytest

from helpers import paths
from helpers.inputs import scaffold
from helpers.inputs.params import SCHEMA
from helpers.run.notebooks import MAGIC, declared_parameters

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
    assert set(declared) <= set(SCHEMA) | {"data_dir", "workspace"}


# What papermill --help-notebook shows: each parameter's inferred type, and its help (a comment)
TYPES = {"year": "int", "city": "str", "workspace": "Optional[str]", "data_dir": "Optional[str]"}


def check_typed(nb) -> None:
    shown = pm.inspect_notebook(str(nb))
    assert list(shown) == declared_parameters(nb)  # papermill and our injection read the same
    for name, p in shown.items():
        assert p["inferred_type_name"] == TYPES[name], name
        assert re.search(r"[\u4e00-\u9fff]", p["help"]), f"{name}: no help in Chinese"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_are_typed_and_explained(nb):
    check_typed(nb)
    assert pm.inspect_notebook(str(nb))["year"]["default"] in {"2021", "2023"}


def test_a_new_chapters_notebook_has_typed_parameters_and_autoreload(tmp_path):
    nb = tmp_path / "51_publicity.ipynb"
    nb.write_text(scaffold._notebook("publicity", "普法宣传", 2022), encoding="utf-8")
    check_typed(nb)
    assert pm.inspect_notebook(str(nb))["year"]["default"] == "2022"
    assert first_cell_after_parameters(nb) == scaffold.AUTORELOAD


def first_cell_after_parameters(nb) -> str:
    cells = [
        c for c in json.loads(nb.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"
    ]
    at = next(i for i, c in enumerate(cells) if "parameters" in c["metadata"].get("tags", []))
    return "".join(cells[at + 1]["source"])


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_autoreload_is_loaded_after_the_parameters(nb):
    assert first_cell_after_parameters(nb) == scaffold.AUTORELOAD


def test_autoreload_shows_an_edited_module_without_a_restart(tmp_path):
    """As an analyst works: run the chapter's first cell's magics, use a module, edit the file,
    run the cell again — the edit shows in the same kernel."""
    from jupyter_client.manager import start_new_kernel

    module = tmp_path / "lawreport_edited.py"
    module.write_text("def answer():\n    return 'before'\n", encoding="utf-8")
    km, kc = start_new_kernel(kernel_name="python3", cwd=str(tmp_path))
    try:

        def run(code: str) -> str:
            shown = []
            reply = kc.execute_interactive(
                code,
                timeout=60,
                output_hook=lambda m: shown.append(
                    m["content"].get("data", {}).get("text/plain", "")
                ),
            )
            assert reply["content"]["status"] == "ok", reply["content"]
            return "".join(shown)

        magics = [line for line in scaffold.AUTORELOAD.splitlines() if line.startswith("%")]
        run("\n".join(magics))
        run(f"import sys; sys.path.insert(0, {str(tmp_path)!r}); import lawreport_edited")
        assert run("lawreport_edited.answer()") == "'before'"
        module.write_text("def answer():\n    return 'after'\n", encoding="utf-8")
        later = time.time() + 2  # autoreload compares modification times
        os.utime(module, (later, later))
        assert run("lawreport_edited.answer()") == "'after'"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


# What a cell must not leave in a chapter: the repr of whatever its last expression returned
BARE_REPR = re.compile(r"\[\]|\{\}|\(\)|None|set\(\)|<[^>]* at 0x[0-9a-fA-F]+>|\[(<[^>]*>,? ?)+\]")


def stray_outputs(notebook: dict) -> list[tuple[int, str]]:
    """(cell, text) of every output that is a bare repr (``[]``, ``None``, ``{}``, ``<… at 0x…>``)."""
    found = []
    for i, cell in enumerate(notebook["cells"]):
        for out in cell.get("outputs", []):
            text = out.get("data", {}).get("text/plain", out.get("text", ""))
            text = "".join(text) if isinstance(text, list) else text
            if BARE_REPR.fullmatch(text.strip()):
                found.append((i, text.strip()))
    return found


@pytest.mark.parametrize(
    "text, stray",
    [
        ("[]", True),
        ("None", True),
        ("{}", True),
        ("<helpers.chapter.OpenChapter object at 0x7f3a2c>", True),
        ("[<Figure size 640x480 with 1 Axes>]", True),
        ("本章数据 44 项", False),
        ("（一）深入学习贯彻……", False),
    ],
)
def test_stray_outputs_are_recognised(text, stray):
    nb = {"cells": [{"outputs": [{"output_type": "execute_result", "data": {"text/plain": text}}]}]}
    assert bool(stray_outputs(nb)) is stray


def _code(nb):
    """The notebook's Python, magics (%autoreload …) left out."""
    cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
    source = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    return "\n".join(line for line in source.splitlines() if not MAGIC.match(line))


def imported(source: str, package: str = "") -> set[str]:
    """Every module a piece of code imports, by full dotted name: ``import a.b``, ``from a import
    b`` (a.b), relative imports resolved against ``package``, and ``importlib.import_module`` or
    ``__import__`` with a literal name."""
    out = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parent = ".".join(parts[: len(parts) - node.level + 1])
                base = f"{parent}.{base}" if base else parent
            out.add(base)
            out |= {f"{base}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                out.add(node.args[0].value)
    return out


def reaches_generator(modules: set[str]) -> set[str]:
    return {m for m in modules if m == "helpers.sample" or m.startswith("helpers.sample.")}


@pytest.mark.parametrize(
    "source",
    [
        "import helpers.sample",
        "from helpers import sample",
        "from helpers import report, sample as s",
        "from helpers.sample import generate",
        "import helpers.sample.safety as x",
        "import importlib\nimportlib.import_module('helpers.sample')",
        "__import__('helpers.sample')",
    ],
)
def test_the_import_guard_sees_every_form(source):
    assert reaches_generator(imported(source, "helpers.figures"))


def test_the_import_guard_resolves_relative_imports():
    assert reaches_generator(imported("from .. import sample", "helpers.figures"))
    assert reaches_generator(imported("from ..sample import targets", "helpers.figures"))
    assert reaches_generator(imported("from . import sample", "helpers"))
    assert not reaches_generator(imported("from . import stats, fmt", "helpers"))


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_do_not_reach_the_generator(nb):
    assert not reaches_generator(imported(_code(nb)))


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
        *paths.NARRATIVE.glob("*"),
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
    src = paths.ROOT / "src"
    for path in (src / "helpers").rglob("*.py"):
        if "sample" in path.parts or path.name == "cli.py":  # the CLI's `sample` command may
            continue
        module = ".".join(path.relative_to(src).with_suffix("").parts)
        package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
        assert not reaches_generator(imported(path.read_text(encoding="utf-8"), package)), path


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
    assert stray_outputs(executed) == []
