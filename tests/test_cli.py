"""The command line: its version, `lawreport lab`, --docx-template, and that it speaks Chinese."""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from helpers import cli, paths
from helpers.run import processes

CJK = re.compile(r"[\u4e00-\u9fff]")
PYPROJECT_VERSION = re.search(
    r'(?m)^version = "([^"]+)"', (paths.ROOT / "pyproject.toml").read_text(encoding="utf-8")
).group(1)


def run_cli(args, capsys) -> tuple[int, str, str]:
    try:
        code = cli.main(args)
    except SystemExit as exc:
        code = exc.code
    out = capsys.readouterr()
    return code, out.out, out.err


# ------------------------------------------------------------------ --version
def test_version_is_the_installed_distributions(capsys):
    code, out, _ = run_cli(["--version"], capsys)
    assert code == 0 and out == f"lawreport {PYPROJECT_VERSION}\n"


def test_version_when_not_installed_is_read_from_pyproject(monkeypatch):
    def not_installed(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", not_installed)
    assert cli.version() == f"{PYPROJECT_VERSION}（未安装，取自 pyproject.toml）"
    monkeypatch.setattr(paths, "ROOT", Path("/nonexistent-lawreport"))
    assert cli.version() == "未知（未安装）"


# ------------------------------------------------------------------ Chinese first
def _parsers(parser: argparse.ArgumentParser):
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _parsers(sub)


def test_every_help_text_is_in_chinese(monkeypatch):
    seen = {}

    def capture(self, args=None, namespace=None):
        seen["parser"] = self
        raise SystemExit(0)

    monkeypatch.setattr(argparse.ArgumentParser, "parse_args", capture)
    with pytest.raises(SystemExit):
        cli.main(["--version"])
    parsers = list(_parsers(seen["parser"]))
    assert {p.prog for p in parsers} >= {"lawreport", "lawreport build", "lawreport lab"}
    assert CJK.search(seen["parser"].description)
    helps = [
        (p.prog, a.option_strings or a.dest, a.help)
        for p in parsers
        for a in p._actions
        if not isinstance(a, argparse._SubParsersAction._ChoicesPseudoAction)
    ]
    not_chinese = [h for h in helps if not (h[2] and CJK.search(h[2]))]
    assert not_chinese == []
    choices = [
        (p.prog, c.dest, c.help)
        for p in parsers
        for a in p._actions
        if isinstance(a, argparse._SubParsersAction)
        for c in a._choices_actions
    ]
    assert len(choices) == 8 and all(CJK.search(h) for *_, h in choices)


def test_help_and_usage_are_in_chinese(capsys):
    code, out, _ = run_cli(["build", "--help"], capsys)
    assert code == 0
    assert out.startswith("用法：lawreport build ")
    assert "选项" in out and "显示本帮助并退出" in out and "--docx-template PATH" in out


def test_errors_of_the_package_get_chinese_labels(tmp_path, capsys):
    code, out, err = run_cli(["sample", "--organ", "某局", "--data-dir", str(tmp_path)], capsys)
    assert code == 2 and out == ""
    assert err == (
        "错误：--organ 是新工作区的机关名称，只能与 --workspace 一起使用。\n"
        "  解决办法：加上 --workspace 文件夹\n"
    )


# ------------------------------------------------------------------ --docx-template
class _Built:
    """What a year's build returns, as far as the command line reads it."""

    unchanged = False

    def __init__(self, year, folder: Path):
        self.year, self.folder, self.timings = year, folder / str(year), {"total": 1.5}


@pytest.fixture
def recorded_builds(monkeypatch, tmp_path):
    """Each year's build replaced by a recorder: what the command line passes for each year."""
    from helpers.run import build

    calls = []

    def record(year, shown, position, **kwargs):
        calls.append((year, kwargs))
        return _Built(year, tmp_path)

    monkeypatch.setattr(build, "_build_year", record)
    return calls


@pytest.fixture
def template_seen(monkeypatch, tmp_path):
    """Each year's build replaced by one that notes the kernel template it finds running."""
    from helpers.run import build, forked

    seen = []

    def record(year, shown, position, **kwargs):
        proc = forked.TEMPLATE.proc
        seen.append((year, proc.pid if proc is not None and proc.poll() is None else None))
        return _Built(year, tmp_path)

    monkeypatch.setattr(build, "_build_year", record)
    yield seen
    forked.TEMPLATE.stop()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="kernels are forked on Linux")
def test_a_forced_run_starts_one_template_first_for_every_year_and_stops_it(template_seen, capsys):
    from helpers.run import forked

    code, _, _ = run_cli(["build", "--years", "2020-2021", "--force"], capsys)
    assert code == 0
    (_, first), (_, second) = template_seen
    assert first is not None and first == second  # one template, running before either year
    assert forked.TEMPLATE.proc is None and not processes.alive(first)
    assert forked.TEMPLATE.users == 0


@pytest.mark.parametrize(
    "argv",
    [["build", "--years", "2020-2021"], ["build", "--year", "2021", "--force", "--jobs", "1"]],
    ids=["not forced", "one job"],
)
def test_a_run_that_may_not_need_a_template_does_not_start_one_first(template_seen, capsys, argv):
    code, _, _ = run_cli(argv, capsys)
    assert code == 0 and template_seen and all(pid is None for _, pid in template_seen)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="kernels are forked on Linux")
def test_the_early_template_stops_when_the_run_fails(monkeypatch, capsys):
    from helpers.run import build, forked

    seen = []

    def fail(year, shown, position, **kwargs):
        seen.append(forked.TEMPLATE.proc.pid)
        raise cli.ReportError("这一年出了问题", fix="改正后重来")

    monkeypatch.setattr(build, "_build_year", fail)
    code, _, err = run_cli(["build", "--year", "2021", "--force"], capsys)
    assert code != 0 and "这一年出了问题" in err
    [pid] = seen
    assert forked.TEMPLATE.proc is None and forked.TEMPLATE.users == 0
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and processes.alive(pid):
        time.sleep(0.05)
    assert not processes.alive(pid)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="kernels are forked on Linux")
def test_a_run_interrupted_while_its_pool_starts_leaves_no_template_or_socket(monkeypatch, capsys):
    from helpers.run import build, forked

    seen = []

    def interrupted(year, shown, position, **kwargs):
        forked.TEMPLATE.share()  # the pool's share, never let go: Ctrl-C came as it started
        seen.append((forked.TEMPLATE.proc.pid, Path(forked.TEMPLATE.address).parent))
        raise KeyboardInterrupt

    monkeypatch.setattr(build, "_build_year", interrupted)
    code, _, _ = run_cli(["build", "--year", "2021", "--force"], capsys)
    assert code != 0
    [(pid, folder)] = seen
    # named as a build's temporary folder, so that the next build would remove it were it left
    assert folder.name.startswith(f"lawreport-{os.getpid()}-")
    assert forked.TEMPLATE.proc is None and not folder.exists()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and processes.alive(pid):
        time.sleep(0.05)
    assert not processes.alive(pid)


def test_docx_template_is_passed_to_every_years_build(recorded_builds, tmp_path, capsys):
    template = tmp_path / "公文模板.DOCX"
    template.write_bytes(b"PK")
    code, out, _ = run_cli(
        ["build", "--years", "2020-2021", "--docx-template", str(template)], capsys
    )
    assert code == 0
    assert [(y, kw["docx_template"]) for y, kw in recorded_builds] == [
        (2020, template),
        (2021, template),
    ]
    assert f"2021 年：已生成，用时 1.5 秒 → {tmp_path / '2021'}" in out


def test_no_docx_template_passes_none(recorded_builds, capsys):
    assert run_cli(["build", "--year", "2021"], capsys)[0] == 0
    assert recorded_builds[0][1]["docx_template"] is None


@pytest.mark.parametrize(
    ("name", "make", "says"),
    [
        ("missing.docx", False, "找不到 Word 模板 {path}；解决办法：检查文件名和所在文件夹"),
        (
            "template.doc",
            True,
            "Word 模板 {path} 不是 .docx 或 .dotx 文件；解决办法：在 Word 或 WPS 中把模板另存为 .docx",
        ),
        ("folder.docx", "dir", "找不到 Word 模板 {path}"),
    ],
)
def test_a_bad_docx_template_is_refused_before_building(
    recorded_builds, tmp_path, capsys, name, make, says
):
    path = tmp_path / name
    if make == "dir":
        path.mkdir()
    elif make:
        path.write_bytes(b"PK")
    code, _, err = run_cli(["build", "--year", "2021", "--docx-template", str(path)], capsys)
    assert code == 2 and recorded_builds == []
    assert "lawreport build：错误：参数 --docx-template：" + says.format(path=path) in err


def test_build_report_accepts_docx_template():
    import inspect

    from helpers.run.build import build_report

    parameter = inspect.signature(build_report).parameters["docx_template"]
    assert parameter.default is None and parameter.kind is inspect.Parameter.KEYWORD_ONLY


# ------------------------------------------------------------------ lawreport lab
def test_lab_argv_runs_jupyter_lab_of_this_python_on_the_notebooks(tmp_path):
    assert cli.lab_argv(tmp_path, as_root=False) == [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        f"--notebook-dir={tmp_path}",
    ]


def test_lab_argv_passes_the_options_through(tmp_path):
    argv = cli.lab_argv(tmp_path, port=9123, ip="0.0.0.0", no_browser=True, as_root=True)
    assert argv[5:] == [
        "--port=9123",
        "--ServerApp.port_retries=0",  # the port asked for, or an error: not the next one
        "--ip=0.0.0.0",
        "--no-browser",
        "--allow-root",
    ]


@pytest.mark.parametrize(("euid", "root"), [(0, True), (1000, False), (None, False)])
def test_lab_allows_root_only_when_running_as_root(monkeypatch, tmp_path, euid, root):
    if euid is None:  # Windows: there is no os.geteuid
        monkeypatch.delattr(os, "geteuid", raising=False)
    else:
        monkeypatch.setattr(os, "geteuid", lambda: euid, raising=False)
    assert ("--allow-root" in cli.lab_argv(tmp_path)) is root


def test_lab_opens_the_workspaces_own_notebooks_else_the_projects(tmp_path):
    assert cli.lab_folder(None) == paths.NOTEBOOKS
    assert cli.lab_folder(tmp_path) == paths.NOTEBOOKS  # no notebooks of its own
    (tmp_path / "notebooks").mkdir()
    assert cli.lab_folder(tmp_path) == tmp_path.resolve() / "notebooks"


def test_lab_command_line_builds_the_argv_and_the_workspace(monkeypatch, tmp_path, capsys):
    started = {}

    class FakeLab:
        def __init__(self, argv, env):
            started["argv"], started["env"] = argv, env

        def wait(self):
            return 0

    monkeypatch.setattr(subprocess, "Popen", FakeLab)
    (tmp_path / "notebooks").mkdir()
    args = ["lab", "--workspace", str(tmp_path), "--port", "9124", "--ip", "127.0.0.1"]
    code, out, _ = run_cli([*args, "--no-browser"], capsys)
    assert code == 0
    folder = tmp_path.resolve() / "notebooks"
    assert started["argv"][:5] == [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        f"--notebook-dir={folder}",
    ]
    assert {"--port=9124", "--ip=127.0.0.1", "--no-browser"} <= set(started["argv"])
    assert started["env"]["LAWREPORT_WORKSPACE"] == str(tmp_path.resolve())
    assert out == f"在 {folder} 启动 JupyterLab（按两次 Ctrl-C 停止）\n"


def _cmdline(pid: int) -> list[str]:
    try:
        return psutil.Process(pid).cmdline()
    except psutil.Error:  # a short-lived helper process that is gone already
        return []


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(sys.platform == "win32", reason="stops lawreport with SIGTERM")
def test_lab_starts_a_server_that_answers_and_stops_with_nothing_left(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(paths.ROOT / "src"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces"),
    }
    lab = subprocess.Popen(
        [sys.executable, "-m", "helpers.cli", "lab", "--port", str(port), "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    tree: set[int] = set()
    answer = None
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and lab.poll() is None:
            tree |= set(processes.descendants(lab.pid))
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api", timeout=2) as r:
                    answer = r.status, json.loads(r.read())
                break
            except OSError:
                time.sleep(0.3)
        tree |= set(processes.descendants(lab.pid))
        assert answer is not None, lab.stderr.read() if lab.poll() is not None else "no answer"
        status, body = answer
        assert status == 200 and "version" in body  # jupyter_server's API answers
        jupyter = [p for p in tree if any("--notebook-dir=" in a for a in _cmdline(p))]
        assert jupyter, "JupyterLab is not a child of lawreport"
        lab.send_signal(signal.SIGTERM)  # stopping lawreport stops JupyterLab with it
        lab.wait(30)
    finally:
        if lab.poll() is None:
            lab.kill()
            lab.wait(10)
        for p in tree:
            if processes.alive(p):
                psutil.Process(p).kill()
        out, err = lab.communicate()
    assert lab.returncode == 0, err
    assert out.startswith(f"在 {paths.NOTEBOOKS} 启动 JupyterLab")
    time.sleep(0.5)
    assert [p for p in tree if processes.alive(p)] == []  # no server or kernel left
    assert not _answers(port)  # the port is closed


# ------------------------------------------------------------------ lawreport clean
@pytest.fixture
def organ(tmp_path, monkeypatch):
    """A cache with a table entry (2 MB) and a workspace with a built year, raw data and params."""
    cache = tmp_path / "cache"
    (cache / "tables").mkdir(parents=True)
    (cache / "tables" / "x.parquet").write_bytes(b"0" * 2_000_000)
    monkeypatch.setenv("LAWREPORT_CACHE", str(cache))
    ws = tmp_path / "ws"
    for folder in ("reports/2021/chapters", "data/raw/alarms", "params"):
        (ws / folder).mkdir(parents=True)
    (ws / "reports" / "2021" / "report.html").write_text("x", encoding="utf-8")
    (ws / "reports" / "index.html").write_text("x", encoding="utf-8")
    (ws / "reports" / ".2021.lock").write_text("", encoding="utf-8")
    (ws / "data" / "raw" / "alarms" / "2021.csv").write_text("a\n", encoding="utf-8")
    (ws / "params" / "2021.yaml").write_text("year: 2021\n", encoding="utf-8")
    return cache, ws


def test_clean_deletes_the_cache_and_with_reports_the_reports_only(organ, capsys):
    cache, ws = organ
    code, out, _ = run_cli(["clean", "--workspace", str(ws)], capsys)
    assert code == 0 and out == f"已删除 {cache / 'tables'}（2.0 MB）\n"
    assert list(cache.iterdir()) == [] and (ws / "reports" / "2021" / "report.html").exists()

    code, out, _ = run_cli(["clean", "--workspace", str(ws), "--reports"], capsys)
    reports = ws / "reports"
    assert code == 0 and out.splitlines() == [
        f"已删除 {reports / '.2021.lock'}（0.0 MB）",
        f"已删除 {reports / '2021'}（0.0 MB）",
        f"已删除 {reports / 'index.html'}（0.0 MB）",
    ]
    assert list(reports.iterdir()) == []
    assert (ws / "data" / "raw" / "alarms" / "2021.csv").exists()
    assert (ws / "params" / "2021.yaml").exists()

    assert (
        run_cli(["clean", "--workspace", str(ws), "--reports"], capsys)[1] == "没有可删除的内容\n"
    )


def test_clean_keeps_a_report_folder_holding_the_users_own_file(organ, capsys):
    _, ws = organ
    own = ws / "reports" / "2021" / "报告终稿-已修改.docx"
    own.write_bytes(b"mine")
    code, out, _ = run_cli(["clean", "--workspace", str(ws), "--reports"], capsys)
    assert code == 0
    assert f"保留 {ws / 'reports' / '2021'}：其中有不是生成的文件（报告终稿-已修改.docx）" in out
    assert own.read_bytes() == b"mine"


def test_clean_never_follows_a_linked_reports_folder(organ, capsys):
    _, ws = organ
    shutil.rmtree(ws / "reports")
    (ws / "reports").symlink_to(ws / "data", target_is_directory=True)
    code, out, _ = run_cli(["clean", "--workspace", str(ws), "--reports"], capsys)
    assert code == 0 and "它是链接或文件" in out
    assert (ws / "data" / "raw" / "alarms" / "2021.csv").exists()


@pytest.mark.parametrize("where", ["home", "project"])
def test_clean_never_deletes_the_project_or_home(tmp_path, monkeypatch, capsys, where):
    """$LAWREPORT_CACHE set by mistake to a folder of the user's: only cache entries go."""
    home = tmp_path / "home"  # a stand-in home folder: a regression must not cost a real one
    (home / "文档").mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    project = tmp_path / "project"
    (project / "data").mkdir(parents=True)
    monkeypatch.setattr(paths, "ROOT", project)
    target = home if where == "home" else project
    monkeypatch.setenv("LAWREPORT_CACHE", str(target))
    code, out, _ = run_cli(["clean"], capsys)
    assert code == 0 and out == "没有可删除的内容\n"
    assert (home / "文档").is_dir() and (project / "data").is_dir()


def test_lab_refuses_a_busy_port_a_foreign_address_and_a_missing_workspace(tmp_path, capsys):
    """Said in Chinese before JupyterLab starts (which would print an English traceback)."""
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, _, err = run_cli(["lab", "--port", str(port), "--no-browser"], capsys)
        assert code == 2 and f"端口 {port} 已被占用" in err
    code, _, err = run_cli(["lab", "--ip", "8.8.8.8", "--no-browser"], capsys)
    assert code == 2 and "--ip 8.8.8.8 不是本机的地址" in err
    code, _, err = run_cli(["lab", "--ip", "not an ip", "--no-browser"], capsys)
    assert code == 2 and "--ip not an ip 不是地址" in err
    code, _, err = run_cli(["lab", "--workspace", str(tmp_path / "无此工作区")], capsys)
    assert code == 2 and "不存在" in err and "无此工作区" in err


# ------------------------------------------------------------------ the command itself
def _console(*args: str, **kw) -> subprocess.CompletedProcess:
    """The installed ``lawreport`` command (the console script pip made), as a user runs it."""
    command = Path(sys.executable).with_name("lawreport")
    assert command.exists(), "the project is installed (pip install -e .)"
    return subprocess.run([str(command), *args], capture_output=True, timeout=120, **kw)


def test_the_command_says_everything_and_exits_with_its_code(small_dir, tmp_path):
    """``lawreport`` leaves without tearing the interpreter down: what it says must still all
    reach a pipe (which Python buffers), and its exit code must be the command's."""
    told = _console("validate", "--year", "2021", "--data-dir", str(small_dir))
    in_process = subprocess.run(
        [sys.executable, "-c", "import sys; from helpers.cli import main; sys.exit(main())",
         "validate", "--year", "2021", "--data-dir", str(small_dir)],
        capture_output=True, timeout=120,
    )  # fmt: skip
    assert told.returncode == in_process.returncode == 0, told.stderr.decode()
    assert told.stdout == in_process.stdout and told.stdout.count(b"\n") > 20
    wrong = _console("validate", "--year", "2021", "--data-dir", str(tmp_path / "nothing"))
    assert wrong.returncode == 2
    assert "错误：" in wrong.stderr.decode() and "解决办法" in wrong.stderr.decode()
    usage = _console("build", "--years", "20x1")
    assert usage.returncode == 2 and "20x1" in usage.stderr.decode()


def test_a_path_too_long_for_the_system_is_said_in_words(capsys, tmp_path):
    code, _, err = run_cli(
        ["validate", "--year", "2021", "--data-dir", str(tmp_path / ("数" * 90))], capsys
    )
    assert code == 2 and "路径太长" in err and "255" in err and "Traceback" not in err


def test_an_interrupted_command_says_what_it_left(capsys, monkeypatch):
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "cmd_sample", interrupted)
    monkeypatch.setattr(cli, "cmd_validate", interrupted)
    code, _, err = run_cli(["sample", "--data-dir", "x"], capsys)
    assert code == 130 and "示例数据可能只写了一部分" in err and "报告" not in err
    code, _, err = run_cli(["validate", "--year", "2021"], capsys)
    assert code == 130 and err.strip() == "已中断"


# ------------------------------------------------------------------ validate and params
def test_validate_reports_the_params_build_would_refuse(small_dir, tmp_path, capsys):
    """Found by the tester (round 21): a report_date within the year passed validate, and build
    then refused it. A params file that does not exist is still no problem of validate's."""
    from helpers.inputs.params import load_params
    from helpers.workspace import Workspace

    ws = Workspace(tmp_path / "ws")
    ws.create_from_project()
    args = ["validate", "--year", "2021", "--workspace", str(ws.root), "--data-dir", str(small_dir)]
    code, out, _ = run_cli(args, capsys)
    assert code == 0 and "参数" not in out
    params = ws.params / "2021.yaml"
    text = params.read_text(encoding="utf-8")
    params.write_text(text.replace("report_date: 2022-03-01", "report_date: 2021-12-31"), "utf-8")
    code, out, _ = run_cli(args, capsys)
    assert code == 1
    assert f"✗ {params} 第 6 行：report_date（成文日期）是 2021-12-31，不晚于 2021 年年底；" in out
    assert "解决办法：改为 2021 年以后的成文日期，例如 report_date: 2022-03-01" in out
    with pytest.raises(cli.ReportError) as err:  # what build says, word for word
        load_params(2021, ws.params)
    assert str(err.value).replace("\n", "\n    ") in out
    assert re.search(r"共检查 \d+ 张表：1 个问题", out)
    params.write_text(
        text.replace("report_date: 2022-03-01", "report_date: ２０２２－０３－０１"), "utf-8"
    )
    code, out, _ = run_cli(args, capsys)
    assert code == 1 and "不是日期：其中有全角字符" in out and "report_date: 2022-03-01" in out
    # round 23: a date in another form within the year was told to be written so, then refused
    params.write_text(text.replace("report_date: 2022-03-01", "report_date: 2021年3月1日"), "utf-8")
    code, out, _ = run_cli(args, capsys)
    assert "而且 2021-03-01 不晚于 2021 年年底" in out and "report_date: 2022-03-01" in out
    params.write_text("", "utf-8")
    code, out, _ = run_cli(args, capsys)
    assert code == 1 and f"✗ {params} 是空的。" in out and "包含这些键：year" in out
    params.unlink()
    code, out, _ = run_cli(args, capsys)
    assert code == 0 and str(params) not in out


def test_validate_reports_the_fonts_yaml_build_would_refuse(small_dir, tmp_path, capsys):
    """Round 23: a fonts.yaml naming a file that does not exist passed validate; build stopped."""
    from helpers.workspace import Workspace

    ws = Workspace(tmp_path / "ws")
    ws.create_from_project()
    args = ["validate", "--year", "2021", "--workspace", str(ws.root), "--data-dir", str(small_dir)]
    ws.fonts.write_text("body: 不存在/仿宋.ttf\n", encoding="utf-8")
    code, out, _ = run_cli(args, capsys)
    assert code == 1 and f"✗ {ws.fonts} 第 1 行：body（仿宋_GB2312）的字体文件" in out
    assert "不存在" in out
    ws.fonts.unlink()
    code, out, _ = run_cli(args, capsys)
    assert code == 0
