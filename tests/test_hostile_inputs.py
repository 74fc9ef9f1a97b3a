"""Hostile inputs and faults outside the raw tables (issue 12): parameters, notebooks, the command
line, the file system, processes, sizes. Each gives one clear message naming what is wrong and
how to fix it, exits with code 2, prints no traceback, and leaves the last report byte-identical,
no temporary folder and no process behind (raw tables: test_hostile_tables.py; the narrative
inputs: test_narrative.py)."""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import pytest

from helpers import paths
from helpers.cli import main
from helpers.errors import ChapterError, NotebookError, OutputError, ParamsError
from helpers.inputs.params import load_params
from helpers.run import processes
from helpers.run.build import build_report

QUIET = {"progress": lambda _: None}
# a cell appended to the services notebook is its cell N (counted from 1, markdown included)
N = (
    len(json.loads((paths.NOTEBOOKS / "15_services.ipynb").read_text(encoding="utf-8"))["cells"])
    + 1
)


def digest(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture
def last_report(small_report, tmp_path) -> Path:
    """A reports folder holding a good 2021 report that a failing build must not touch."""
    reports = tmp_path / "reports"
    shutil.copytree(small_report, reports / "2021")
    return reports


def assert_untouched(reports: Path, before: dict) -> None:
    assert digest(reports / "2021") == before
    assert not list(reports.glob(".2021.tmp-*")) and not list(reports.glob(".2021.old-*"))
    assert processes.descendants(os.getpid()) == [] or all(
        processes._is_resource_tracker(p) for p in processes.descendants(os.getpid())
    )


def run_cli(args: list[str], capsys) -> tuple[int, str]:
    """``lawreport …`` in this process: exit code and everything it printed."""
    try:
        code = main(args)
    except SystemExit as exc:  # argparse's usage errors
        code = exc.code
    out = capsys.readouterr()
    text = out.out + out.err
    assert "Traceback" not in text
    return code, text


# ------------------------------------------------------------------ the command line
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["build", "--years", "20x1"], "参数 --years：'20x1' 不是年份，请写成四位数字，如 2021"),
        (
            ["build", "--years", "2022-2020"],
            "'2022-2020' 的年份前后颠倒了，请先写较早的年份：2020-2022",
        ),
        (["build", "--year", "21"], "lawreport build：错误：参数 --year：'21' 不是年份"),
        (["build", "--year", "2021", "--jobs", "0"], "'0' 不是不小于 1 的整数"),
        (["build", "--years", "2020,,2021"], "'' 不是年份"),
        (["validate", "--year", "twenty"], "'twenty' 不是年份"),
        (["build", "--year", "1999"], "参数 --year：1999 年不在 2000—2100 年之间"),
        (["build", "--years", "2099-2101"], "2101 年不在 2000—2100 年之间"),
        (["build"], "必须给出其中一个参数：--year --years"),
        (["build", "--year", "2021", "--years", "2020"], "参数 --years 不能与 --year 同时使用"),
        (["validate"], "缺少必需的参数：--year"),
        (["lab", "--port", "70000"], "'70000' 不是端口号"),
        (["build", "--year", "2021", "--bogus"], "无法识别的参数：--bogus"),
        (["frobnicate"], "参数 命令：没有 'frobnicate' 这一项"),
    ],
)
def test_command_line_mistakes(args, expected, capsys):
    code, text = run_cli(args, capsys)
    assert code == 2 and expected in text


def test_a_year_without_parameters_names_an_existing_file(small_dir, capsys):
    code, text = run_cli(["build", "--year", "2030", "--data-dir", str(small_dir)], capsys)
    assert code == 2 and "params/2030.yaml 不存在" in text
    assert text.startswith("错误：没有 2030 年的参数文件") and "\n  解决办法：把 " in text
    # 2023 is the latest sample year before 2030; both files named in full
    assert f"把 {paths.PARAMS / '2023.yaml'} 复制为 {paths.PARAMS / '2030.yaml'}" in text


# ------------------------------------------------------------------ parameters
GOOD = "year: 2021\norgan: 东莞市公安局\ncity: 东莞\nprovince: 广东\nreport_date: 2022-03-01\nnotes: {}\n"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (GOOD.encode("gb18030"), "文件不是 UTF-8 文本"),
        (GOOD.replace("city: 东莞", "\tcity: 东莞").encode(), "用空格缩进"),
        (GOOD.replace("notes: {}", "notes: &n {a: *n}").encode(), "YAML 锚点和别名"),
        (
            ("<<<<<<< HEAD\n" + GOOD + "=======\n" + GOOD + ">>>>>>> x\n").encode(),
            "未解决的合并冲突",
        ),
        (GOOD.replace("city: 东莞", "cty: 东莞").encode(), "未知的参数 cty"),
        (GOOD.replace("year: 2021", "year: '2021'").encode(), "应为 int"),
        (GOOD.replace("2022-03-01", "2022-02-30").encode(), "不是日期"),
        (b"- just\n- a list\n", "是一个列表，不是“名称: 值”的映射"),
        (GOOD.replace("organ: 东莞市公安局", "organ: [东莞").encode(), "不是有效的 YAML"),
    ],
)
def test_bad_parameters_file(tmp_path, content, expected):
    (tmp_path / "2021.yaml").write_bytes(content)
    with pytest.raises(ParamsError) as err:
        load_params(2021, tmp_path)
    assert expected in str(err.value) and str(tmp_path / "2021.yaml") in str(err.value)


def test_parameters_dates_stay_text_and_lines_do_not_leak(tmp_path):
    (tmp_path / "2021.yaml").write_text(GOOD, encoding="utf-8")
    params = load_params(2021, tmp_path)
    assert params["report_date"] == "2022-03-01" and type(params["city"]) is str


# ------------------------------------------------------------------ notebooks
def notebooks_with(tmp_path, edit) -> Path:
    folder = tmp_path / "notebooks"
    shutil.copytree(paths.NOTEBOOKS, folder)
    edit(folder / "15_services.ipynb")
    return folder


def _add_cell(path: Path, source: str) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"].append(
        {
            "cell_type": "code",
            "metadata": {},
            "outputs": [],
            "execution_count": None,
            "source": source,
        }
    )
    path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")


def _conflict(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(
        "<<<<<<< HEAD\n" + text + "=======\n" + text + ">>>>>>> theirs\n", encoding="utf-8"
    )


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda p: _add_cell(p, "x = (1,\n"), rf"第 {N} 个单元格，第 1 行：'\(' was never closed"),
        (
            lambda p: _add_cell(p, "%load_ext autoreload\nfor x in range(3) print(x)"),
            f"第 {N} 个单元格，第 2 行",
        ),
        (_conflict, "未解决的合并冲突标记"),
        (
            lambda p: p.write_text(p.read_text(encoding="utf-8")[:-40], encoding="utf-8"),
            "不是有效的笔记本",
        ),
        (lambda p: p.write_bytes(b""), "不是有效的笔记本"),
    ],
)
def test_a_broken_notebook_is_named_before_any_kernel_starts(
    small_dir, last_report, tmp_path, edit, expected
):
    before = digest(last_report / "2021")
    with pytest.raises(NotebookError, match=expected) as err:
        build_report(
            2021,
            data_dir=small_dir,
            reports_dir=last_report,
            notebooks_dir=notebooks_with(tmp_path, edit),
            **QUIET,
        )
    assert "15_services.ipynb" in str(err.value) and err.value.fix
    assert_untouched(last_report, before)


# ------------------------------------------------------------------ the file system
def opening_only(tmp_path: Path) -> Path:
    folder = tmp_path / "opening-only"
    folder.mkdir()
    shutil.copy(paths.NOTEBOOKS / "10_opening.ipynb", folder)
    return folder


def test_a_file_where_the_report_folder_goes_is_refused_and_kept(small_dir, tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "2021").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match="是一个文件，不是存放报告的文件夹"):
        build_report(2021, data_dir=small_dir, reports_dir=reports, **QUIET)
    assert (reports / "2021").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in reports.iterdir()) == ["2021"]


def test_a_report_folder_holding_the_users_own_file_is_not_replaced(small_dir, tmp_path):
    """The edited final draft saved into reports/2021 would go with the old report."""
    folder = tmp_path / "reports" / "2021"
    folder.mkdir(parents=True)
    (folder / "report.html").write_text("old", encoding="utf-8")
    (folder / "终稿（已修改）.docx").write_bytes(b"mine")
    with pytest.raises(OutputError, match=r"不是本工具生成的文件（终稿（已修改）\.docx）"):
        build_report(2021, data_dir=small_dir, reports_dir=tmp_path / "reports", **QUIET)
    assert (folder / "终稿（已修改）.docx").read_bytes() == b"mine"
    assert (folder / "report.html").read_text(encoding="utf-8") == "old"


def test_a_file_named_like_the_reports_folder_is_refused(small_dir, tmp_path):
    (tmp_path / "reports").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match="是一个文件"):
        build_report(2021, data_dir=small_dir, reports_dir=tmp_path / "reports", **QUIET)
    assert (tmp_path / "reports").read_text(encoding="utf-8") == "mine"


def test_a_folder_that_may_not_be_written(small_dir, tmp_path, monkeypatch, capsys):
    # tests run as root, who may write anywhere: the refusal comes from the system call
    real = Path.mkdir

    def refuse(self, *a, **kw):
        if self.is_relative_to(tmp_path / "reports"):
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self, *a, **kw)

    monkeypatch.setattr(Path, "mkdir", refuse)
    code, text = run_cli(
        [
            "build",
            "--year",
            "2021",
            "--data-dir",
            str(small_dir),
            "--reports-dir",
            str(tmp_path / "reports"),
        ],
        capsys,
    )
    assert code == 2 and "您没有写入权限" in text and "--reports-dir" in text


@pytest.mark.parametrize(
    ("code", "expected"),
    [(errno.ENOSPC, "磁盘已满"), (errno.EROFS, "在只读磁盘上")],
)
def test_a_write_that_fails_during_assembly_keeps_the_last_report(
    small_dir, last_report, monkeypatch, tmp_path, code, expected
):
    from helpers.render import assemble

    def fail(chapters, output):
        raise OSError(code, os.strerror(code), str(output))

    monkeypatch.setattr(assemble, "write_metrics", fail)
    before = digest(last_report / "2021")
    with pytest.raises(OutputError, match=expected) as err:
        build_report(  # one quick chapter is enough to reach the assembly
            2021,
            data_dir=small_dir,
            reports_dir=last_report,
            notebooks_dir=opening_only(tmp_path),
            force=True,
            pdf_output=False,
            **QUIET,
        )
    assert "metrics.csv" in str(err.value) and "上一次的报告保持原样" in str(err.value)
    assert_untouched(last_report, before)


def test_what_a_killed_build_left_behind_is_removed_by_the_next(small_dir, last_report):
    dead_tmp = last_report / ".2021.tmp-99999999"
    dead_old = last_report / ".2021.old-99999999"
    for folder in (dead_tmp, dead_old):
        (folder / "notebooks").mkdir(parents=True)
        (folder / "notebooks" / "x.ipynb").write_bytes(b"0" * 1000)
    other_year = last_report / ".2020.tmp-99999999"
    other_year.mkdir()
    build_report(2021, data_dir=small_dir, reports_dir=last_report, pdf_output=False, **QUIET)
    assert not dead_tmp.exists() and not dead_old.exists()
    assert other_year.exists()  # another year's build may be running: not this one's to clear


# ------------------------------------------------------------------ processes
def test_a_kernel_killed_by_the_system_names_its_chapter(small_dir, last_report, tmp_path):
    def killed(path):
        _add_cell(path, "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)")

    notebooks = tmp_path / "nbs"
    notebooks.mkdir()
    shutil.copy(paths.NOTEBOOKS / "15_services.ipynb", notebooks)
    killed(notebooks / "15_services.ipynb")
    before = digest(last_report / "2021")
    with pytest.raises(ChapterError, match="章 15_services：运行中内核停止了") as err:
        build_report(
            2021, data_dir=small_dir, reports_dir=last_report, notebooks_dir=notebooks, **QUIET
        )
    assert err.value.chapter == "15_services" and err.value.ename == "DeadKernelError"
    assert "内存不足" in err.value.fix
    assert_untouched(last_report, before)


def test_a_failed_cell_keeps_its_fields_like_papermill(small_dir, tmp_path):
    notebooks = tmp_path / "nbs"
    notebooks.mkdir()
    shutil.copy(paths.NOTEBOOKS / "15_services.ipynb", notebooks)
    _add_cell(notebooks / "15_services.ipynb", "raise ValueError('坏数据')")
    with pytest.raises(ChapterError) as err:
        build_report(
            2021, data_dir=small_dir, reports_dir=tmp_path / "r", notebooks_dir=notebooks, **QUIET
        )
    e = err.value
    # papermill's index counts its injected parameters cell: the appended cell is N - 1 + 1
    assert (e.chapter, e.cell_index, e.ename, e.evalue) == (
        "15_services",
        N,
        "ValueError",
        "坏数据",
    )
    assert any("ValueError" in line for line in e.traceback)


# ------------------------------------------------------------------ sizes
def test_an_overlong_table_cell_is_cut_for_the_layout():
    from helpers.render.document import cell_text

    assert cell_text("短") == "短"
    long = "很" * 30_000
    cut = cell_text(long)
    assert cut.startswith("很" * 200) and cut.endswith("（共30000字，此处截断）") and len(cut) < 230


# ------------------------------------------------------------------ data that passes every check
def test_a_large_table_that_stops_months_before_the_year_ends_is_warned_about(tmp_path):
    import rawtables
    from helpers.data import validate

    rows = [
        {
            "alarm_id": i,
            "received_at": f"2021-{1 + i % 6:02d}-{1 + i % 28:02d} 08:00:00",
            "category": "求助",
            "status": "有效",
        }
        for i in range(1200)
    ]
    rawtables.write(tmp_path, "alarms", 2021, rows)
    [check] = [
        r for r in validate.check_year(2021, tmp_path) if (r.table, r.year) == ("alarms", 2021)
    ]
    # records on 84 of the 179 days to 28 June, 14 a day: a daily register with days missing
    said = [w for w in check.warnings if "一年中的一部分" in w]
    assert said and ("截止于 2021-06-28" in said[0] or "到6月28日" in said[0]), check.warnings


def test_a_report_open_in_word_on_windows_is_named_as_such(tmp_path):
    """Windows refuses to rename a folder while Word holds a file in it (ERROR_SHARING_VIOLATION,
    winerror 32); the message says to close it, not that the folder may not be written."""
    from helpers.run import folders

    exc = PermissionError(13, "另一个程序正在使用此文件", str(tmp_path / "2021"))
    exc.winerror = 32
    err = folders.output_error(exc, tmp_path)
    assert isinstance(err, OutputError)
    assert "正被其他程序打开" in str(err) and "关闭打开的 report.docx" in str(err)
    assert "没有写入权限" not in str(err)
