"""A misspelt injected parameter stops the run, naming it and the known ones (issue 14, item 6)."""

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import papermill as pm
import pytest
from papermill.exceptions import PapermillExecutionError
from papermill.translators import papermill_translators, translate_parameters

import helpers
from helpers import paths
from helpers.errors import ParameterTypeError, UnknownParameterError
from helpers.run import injected, injection
from helpers.run.execute import run_chapter

OPENING = paths.NOTEBOOKS / "10_opening.ipynb"  # reads no table: the fastest chapter to run


@pytest.fixture
def kernel_sees_this_code(monkeypatch):
    """Kernels import the helpers under test (not another installed copy)."""
    src = str(Path(helpers.__file__).resolve().parents[1])
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [src, os.getenv("PYTHONPATH")])))


def test_the_translator_is_registered_for_python():
    assert papermill_translators.find_translator("python3", "python") is (
        injection.CheckedPythonTranslator
    )


def test_the_injected_cell_checks_the_names_before_assigning_them():
    code = translate_parameters("python3", "python", {"yaer": 2022, "city": "x"})
    lines = code.splitlines()
    assert lines[0] == "# Parameters"
    assert "refuse_unknown(['yaer', 'city'], globals())" in lines[1]
    assert lines[2:4] == ["yaer = 2022", 'city = "x"']
    assert lines[4] == (
        "__import__(\"helpers.run.injected\").run.injected.check_types(['yaer', 'city'], globals())"
    )
    assert translate_parameters("python3", "python", {}) == "# Parameters\n"


PARAMETERS_CELL = (
    "# Parameters\nfrom typing import Optional\nyear: int = 2021  # 报告年份\ncity = 'x'\n"
)


@pytest.mark.parametrize(
    "names, namespace, unknown, known",
    [
        # in IPython: the cell run before the injected one is the parameters cell
        (["yaer"], {"In": ["", PARAMETERS_CELL, "…"], "year": 2021}, ["yaer"], ["year", "city"]),
        (["year", "city"], {"In": ["", PARAMETERS_CELL, "…"], "year": 2021}, [], None),
        # no parameters cell: papermill injects its cell first
        (["year"], {"In": ["", "…"]}, ["year"], []),
        # outside IPython: the names defined so far
        (["yaer", "year"], {"year": 2021, "_x": 1}, ["yaer"], ["year"]),
        (["open"], {"year": 2021}, ["open"], ["year"]),  # a builtin is no parameter
    ],
)
def test_refuse_unknown(names, namespace, unknown, known):
    if not unknown:
        injected.refuse_unknown(names, namespace)
        return
    with pytest.raises(UnknownParameterError) as caught:
        injected.refuse_unknown(names, namespace)
    assert (caught.value.unknown, caught.value.known) == (unknown, known)
    assert f"未知参数：{'、'.join(unknown)}" in str(caught.value)


def test_papermill_api_refuses_a_misspelt_parameter(kernel_sees_this_code, tmp_path):
    out = tmp_path / "opening.ipynb"
    with pytest.raises(PapermillExecutionError) as caught:
        pm.execute_notebook(
            str(OPENING),
            str(out),
            parameters={"yaer": 2022},
            kernel_name="python3",
            progress_bar=False,
            cwd=str(OPENING.parent),
        )
    assert caught.value.ename == "UnknownParameterError"
    assert caught.value.evalue.startswith(
        "未知参数：yaer。本笔记本的参数有：year、workspace、data_dir。"
    )
    assert caught.value.exec_count == 2  # the injected cell, right after the parameters


@pytest.mark.parametrize(
    "value, fits",
    [("twenty", False), (2022, True), (2022.0, False), (True, False), (None, False)],
)
def test_injected_values_must_have_the_annotated_type(value, fits):
    from typing import Optional

    # both spellings of an optional parameter: the notebooks' Optional[str] and str | None
    annotations = {"year": int, "data_dir": Optional[str], "city": str | None}  # noqa: UP045
    namespace = {"__annotations__": annotations, "year": value, "data_dir": None, "city": None}
    if fits:
        injected.check_types(["year", "data_dir", "city"], namespace)
        return
    with pytest.raises(ParameterTypeError) as caught:
        injected.check_types(["year", "data_dir"], namespace)
    assert str(caught.value).startswith(f"参数类型不对：year 应为整数，注入的是 {value!r}")


def test_papermill_api_refuses_a_year_that_is_not_a_number(kernel_sees_this_code, tmp_path):
    with pytest.raises(PapermillExecutionError) as caught:
        pm.execute_notebook(
            str(OPENING),
            str(tmp_path / "opening.ipynb"),
            parameters={"year": "twenty"},
            kernel_name="python3",
            progress_bar=False,
            cwd=str(OPENING.parent),
        )
    assert caught.value.ename == "ParameterTypeError"
    assert caught.value.evalue.startswith("参数类型不对：year 应为整数，注入的是 'twenty'（str）")


def test_the_build_refuses_an_unknown_parameter_before_any_kernel(tmp_path):
    with pytest.raises(UnknownParameterError) as caught:
        run_chapter(OPENING, tmp_path / "out.ipynb", {"year": 2021, "yaer": 2022})
    assert caught.value.unknown == ["yaer"]
    assert caught.value.known == ["year", "workspace", "data_dir"]
    assert "10_opening.ipynb 的参数有：year、workspace、data_dir" in str(caught.value)
    assert not (tmp_path / "out.ipynb").exists()


def test_papermill_command_line_loads_it_through_an_entry_point():
    """papermill loads the ``papermill.engine`` entry points when it starts (it has no group for
    translators); loading ours registers the translator."""
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    target = project["project"]["entry-points"]["papermill.engine"]["lawreport"]
    assert target == injection.__name__  # the module: loading it registers the translator


def test_the_module_imports_before_papermill_too(tmp_path):
    """Imported first, it makes papermill load its entry point while it is itself half-imported;
    that must not fail (it once did: the entry point named a class not yet defined)."""
    code = (
        "import helpers.run.injection as i, papermill.translators as t;"
        "print(t.papermill_translators.find_translator('python3', 'python').__name__)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "CheckedPythonTranslator"


def test_papermill_command_line_refuses_a_misspelt_parameter(tmp_path):
    """The command line as installed: papermill finds the entry point in the package's metadata
    (here a copy of pyproject.toml's on the path, as ``pip install -e .`` writes it)."""
    import subprocess
    import sys

    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    group = project["project"]["entry-points"]["papermill.engine"]
    meta = tmp_path / "site" / "lawreport_entry_points-0.dist-info"
    meta.mkdir(parents=True)
    (meta / "METADATA").write_text("Name: lawreport-entry-points\nVersion: 0\n")
    lines = [f"{name} = {target}" for name, target in group.items()]
    (meta / "entry_points.txt").write_text("[papermill.engine]\n" + "\n".join(lines) + "\n")
    src = str(Path(helpers.__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(meta.parent), src])}
    run = subprocess.run(
        [sys.executable, "-m", "papermill", str(OPENING), str(tmp_path / "out.ipynb")]
        + ["-p", "yaer", "2022", "--cwd", str(OPENING.parent)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert run.returncode != 0
    assert "未知参数：yaer。本笔记本的参数有：year、workspace、data_dir。" in run.stderr
