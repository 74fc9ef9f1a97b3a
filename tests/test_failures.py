"""Failures cost nothing: interrupts stop every kernel and keep the last report; bad input is named."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pandas as pd
import psutil
import pytest
from filelock import FileLock

from helpers import paths
from helpers.data import loader
from helpers.errors import BuildLockedError, DataError
from helpers.run import processes
from helpers.run.build import build_report

QUIET = {"progress": lambda _: None}


def snapshot(folder):
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def previous_report(small_report):
    return small_report.parent


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_interrupted_build_stops_its_kernels_and_keeps_the_last_report(
    previous_report, small_dir, tmp_path, sig
):
    reports = tmp_path / "reports"
    shutil.copytree(previous_report, reports)
    before = snapshot(reports / "2021")
    # a chapter that waits until it is interrupted: the signal always lands while it runs
    notebooks = tmp_path / "nbs"
    shutil.copytree(paths.NOTEBOOKS, notebooks)
    waiting = notebooks / "15_services.ipynb"
    nb = json.loads(waiting.read_text(encoding="utf-8"))
    nb["cells"].append(
        {
            "cell_type": "code",
            "metadata": {},
            "outputs": [],
            "execution_count": None,
            "source": "import time\ntime.sleep(600)",
        }
    )
    waiting.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    private_tmp = tmp_path / "tmp"
    private_tmp.mkdir()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "helpers.cli",
            "build",
            "--year",
            "2021",
            "--no-pdf",
            "--force",
            "--data-dir",
            str(small_dir),
            "--reports-dir",
            str(reports),
            "--notebooks-dir",
            str(notebooks),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(private_tmp)},
    )
    seen: set[int] = set()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # wait until chapters are running in kernels
        seen |= set(processes.descendants(proc.pid))
        kernels = [p for p in seen if processes.alive(p) and _is_kernel(p)]
        if kernels:
            break
        time.sleep(0.1)
    assert kernels, "no kernel started"
    time.sleep(0.5)
    seen |= set(processes.descendants(proc.pid))
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "已中断：上一次生成的报告保持原样" in err
    assert "Traceback" not in err and "resource_tracker" not in err, err
    time.sleep(0.5)
    assert [p for p in seen if processes.alive(p)] == []  # no worker or kernel of ours left
    assert snapshot(reports / "2021") == before
    assert not list(reports.glob(".2021.tmp-*")), (
        proc.returncode,
        err[-600:],
        [str(p) for p in reports.rglob(".2021.tmp-*/**/*")],
    )
    assert list(private_tmp.iterdir()) == []  # no kernel socket or connection file left


def _is_kernel(pid: int) -> bool:
    """A kernel: launched (ipykernel_launcher) or forked by the kernel template (Linux)."""
    if b"ipykernel" in _cmdline(pid):
        return True
    try:
        parent = psutil.Process(pid).ppid()
    except psutil.Error:
        return False
    return b"helpers.run.forked" in _cmdline(pid) and b"helpers.run.forked" in _cmdline(parent)


def _cmdline(pid: int) -> bytes:
    try:
        return "\0".join(psutil.Process(pid).cmdline()).encode()
    except psutil.Error:
        return b""


def test_an_interrupt_while_the_workers_start_leaves_no_folder(small_dir, tmp_path, monkeypatch):
    """Ctrl-C in the first second, while the pool's workers are being started, left an empty
    reports/.2021.tmp-<pid>/ (found by the hostile tester)."""
    from helpers.run import pool

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pool.ChapterRunner, "__init__", interrupted)
    with pytest.raises(KeyboardInterrupt):
        build_report(2021, data_dir=small_dir, reports_dir=tmp_path, pdf_output=False, **QUIET)
    assert [p.name for p in tmp_path.iterdir()] in ([], [".2021.lock"])


def test_an_interrupt_while_a_failed_build_stops_its_kernels_still_removes_its_folder(
    small_dir, tmp_path, monkeypatch
):
    """A table's problem stopped the build and Ctrl-C came while the spare kernel was being
    stopped: the clean-up was cut short and reports/.2021.tmp-<pid>/ stayed (hostile tester,
    4 of 4 runs at one moment)."""
    from helpers.run import pool

    stopped = []

    def interrupted(self, failed: bool) -> None:
        stopped.append(failed)
        assert list(tmp_path.glob(".2021.tmp-*"))  # the folder is still there while it stops
        raise KeyboardInterrupt

    def broken(*args, **kwargs):
        raise RuntimeError("a chapter failed")

    monkeypatch.setattr(pool.ChapterRunner, "close", interrupted)
    monkeypatch.setattr(pool.ChapterRunner, "run", broken)
    try:
        with pytest.raises(KeyboardInterrupt):
            build_report(
                2021, data_dir=small_dir, reports_dir=tmp_path, pdf_output=False, jobs=1, **QUIET
            )
    finally:
        pool.SPARE.clear()  # what the replaced close would have stopped
        from helpers.run import forked

        forked.TEMPLATE.stop()
    assert stopped == [True]
    assert [p.name for p in tmp_path.iterdir()] in ([], [".2021.lock"])


@pytest.mark.parametrize("where", ["starting the workers", "checking the tables"])
def test_a_worker_lost_before_any_chapter_runs_is_the_builds_one_line_error(
    where, small_dir, tmp_path, monkeypatch
):
    """A pool worker killed in the first second and a half (while the pool started, or while
    it checked tables) came out as a BrokenProcessPool traceback (hostile tester, 3 of 3)."""
    from concurrent.futures.process import BrokenProcessPool

    from helpers.data import validate
    from helpers.errors import ChapterError
    from helpers.run import feeder, pool

    def lost(*args, **kwargs):
        raise BrokenProcessPool("A child process terminated abruptly")

    def refused(feed):  # the pool refuses the first check: every held one fails at once
        feed._refuse(BrokenProcessPool("A child process terminated abruptly"))
        return feed

    if where == "starting the workers":
        monkeypatch.setattr(pool.ChapterRunner, "__init__", lost)
    else:
        monkeypatch.setenv("LAWREPORT_CACHE", str(tmp_path / "cache"))  # every table to check
        monkeypatch.setattr(validate, "HERE_BYTES", -1)  # on the pool even if few changed
        monkeypatch.setattr(feeder.Feeder, "start", refused)
    with pytest.raises(ChapterError, match="工作进程意外退出") as err:
        build_report(2021, data_dir=small_dir, reports_dir=tmp_path, pdf_output=False, **QUIET)
    assert err.value.ename == "BrokenProcessPool"
    assert "保持原样" in err.value.fix
    left = sorted(p.name for p in tmp_path.iterdir() if p.name != "cache")
    assert left in ([], [".2021.lock"])


def test_second_build_of_the_same_year_is_refused(small_dir, tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    with FileLock(reports / ".2021.lock"):  # as a running build holds it
        with pytest.raises(BuildLockedError, match="2021年的报告正由另一次构建生成"):
            build_report(2021, data_dir=small_dir, reports_dir=reports, **QUIET)
    assert not (reports / "2021").exists()


def test_year_with_no_data_at_all(small_dir, tmp_path):
    (tmp_path / "params").mkdir()
    (tmp_path / "params" / "2030.yaml").write_text(
        "year: 2030\norgan: 东莞市公安局\ncity: 东莞\nprovince: 广东\nreport_date: 2031-03-01\nnotes: {}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match="完全没有 2030 年的原始数据表") as err:
        build_report(
            2030,
            data_dir=small_dir,
            reports_dir=tmp_path / "r",
            params_dir=tmp_path / "params",
            **QUIET,
        )
    assert "data/README.md" in str(err.value)


def test_markup_in_text_fields_is_escaped_everywhere(small_dir, tmp_path):
    data = shutil.copytree(small_dir, tmp_path / "raw")
    activities = data / "activities" / "2021.xlsx"
    frame = pd.read_excel(activities, header=2, dtype=str, engine="calamine")
    frame.loc[frame["类别"] == "学法", "活动内容"] = (
        "<script>alert('x')</script><img src=x onerror=alert(1)>学习"
    )
    activities.unlink()
    frame.to_csv(data / "activities" / "2021.csv", index=False)
    build_report(2021, data_dir=data, reports_dir=tmp_path / "r", pdf_output=False, **QUIET)
    for page in [
        tmp_path / "r" / "2021" / "report.html",
        *(tmp_path / "r" / "2021" / "chapters").glob("*.html"),
    ]:
        text = page.read_text(encoding="utf-8")
        assert "<script>alert" not in text and "<img src=x" not in text, page.name
    assert "&lt;script&gt;alert" in (tmp_path / "r" / "2021" / "report.html").read_text(
        encoding="utf-8"
    )


def test_xlsx_with_title_rows_and_merged_cells(tmp_path):
    path = tmp_path / "gangs" / "2021.xlsx"
    path.parent.mkdir()
    frame = pd.DataFrame(
        {
            "团伙编号": ["G1"],
            "打掉日期": ["2021-05-01"],
            "团伙类别": ["恶势力犯罪集团"],
            "成员人数": ["5"],
            "认定状态": ["已认定"],
        }
    )
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        frame.to_excel(xw, index=False, startrow=3)
        sheet = xw.sheets["Sheet1"]
        sheet.cell(row=1, column=1, value="东莞市公安局打团伙台账")
        sheet.merge_cells("A1:E1")
        sheet.cell(row=2, column=1, value="导出时间：2022-01-05")
        sheet.merge_cells("A2:E2")
    loaded = loader.load("gangs", 2021, tmp_path)
    assert loaded.loc[0, "category"] == "恶势力犯罪集团" and loaded.loc[0, "members"] == 5


def test_row_numbers_in_xlsx_errors_are_excel_rows(tmp_path):
    path = tmp_path / "gangs" / "2021.xlsx"
    path.parent.mkdir()
    frame = pd.DataFrame(
        {
            "团伙编号": ["G1", "G2"],
            "打掉日期": ["2021-05-01", "2021-05-02"],
            "团伙类别": ["恶势力犯罪集团", "恶势力犯罪集团"],
            "成员人数": ["5", "暂无"],
            "认定状态": ["已认定", "已认定"],
        }
    )
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        frame.to_excel(xw, index=False, startrow=2)
        xw.sheets["Sheet1"].cell(row=1, column=1, value="标题")
    with pytest.raises(loader.ValidationError) as err:
        loader.load("gangs", 2021, tmp_path)
    problem = err.value.problems[0]
    assert problem.rows == [5] and problem.values == [
        "暂无"
    ]  # title row 1, blank row 2, header row 3


def test_validate_cli_lists_every_problem_and_fails(small_dir, tmp_path):
    data = shutil.copytree(small_dir, tmp_path / "raw")
    (data / "gangs" / "2021.csv").write_bytes(
        (data / "gangs" / "2021.csv")
        .read_bytes()
        .replace("已认定".encode("gb18030"), "确认".encode("gb18030"), 1)
    )
    events = data / "outreach_events" / "2021.csv"
    events.write_text(
        events.read_text(encoding="utf-8-sig").replace("服务人次", "服务人数", 1), encoding="utf-8"
    )
    (data / "knife_seizures" / "2021.csv").unlink()
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "helpers.cli",
            "validate",
            "--year",
            "2021",
            "--data-dir",
            str(data),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert run.returncode == 1
    out = run.stdout
    assert "✗ gangs 2021" in out and "确认" in out and "认定状态" in out
    assert "✗ outreach_events 2021" in out and "把表头 '服务人数' 改为 '服务人次'" in out
    assert "! knife_seizures 2021：没有文件（" in out
    assert "Traceback" not in out + run.stderr


def test_hup_and_term_interrupt_a_build_and_nothing_interrupts_it_once_published():
    """SIGHUP (the terminal closed) stops a build as Ctrl-C and SIGTERM do; once the new report
    is in place, none of them can interrupt what is left (the index, stopping the workers), so
    no message can say the last report was kept when it was replaced."""
    from helpers.run import folders

    for signum in (signal.SIGHUP, signal.SIGTERM):
        with pytest.raises(KeyboardInterrupt), folders.interruptible():
            os.kill(os.getpid(), signum)
            time.sleep(1)  # the handler raises here
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    with folders.interruptible(), folders.finishing():
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            os.kill(os.getpid(), signum)
        time.sleep(0.2)
    assert {s: signal.getsignal(s) for s in before} == before


def test_a_signal_in_the_middle_of_an_import_waits_for_it(tmp_path, monkeypatch):
    """A SIGTERM raised inside Python's import system can leave a module's lock held, and the
    build hung on its next import (the hostile tester: about once in 15 tries): it is sent
    again until the import is done, and then interrupts."""
    import threading

    from helpers.run import folders

    (tmp_path / "slow_to_import.py").write_text("import time\ntime.sleep(0.6)\nDONE = True\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(KeyboardInterrupt), folders.interruptible():
        threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGTERM)).start()
        import slow_to_import  # noqa: F401

        assert sys.modules["slow_to_import"].DONE  # the import ended whole
        time.sleep(2)  # the signal, sent again, interrupts here
    monkeypatch.delitem(sys.modules, "slow_to_import", raising=False)


def test_helpers_changed_during_a_build_leave_no_keys_to_trust(small_dir, tmp_path, monkeypatch):
    """A module edited while the chapters run: some kernels may have run the new code and some
    the old, so the manifest must not vouch for the report, and the next build runs every
    chapter again (found by the hostile tester: a reverted edit kept a wrong figure)."""
    from helpers.data import cache

    said: list[str] = []
    real = cache.code_digest
    calls = iter(range(1000))
    monkeypatch.setattr(cache, "code_digest", lambda *a: real(*a) + str(next(calls)))
    build_report(2021, data_dir=small_dir, reports_dir=tmp_path, pdf_output=False, jobs=1,
                 progress=said.append)  # fmt: skip
    manifest = json.loads((tmp_path / "2021" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["chapters"] == {} and manifest["assembly"] is None
    assert any("生成期间 helpers 的代码改变了" in line for line in said)
    monkeypatch.setattr(cache, "code_digest", real)
    again: list[str] = []
    result = build_report(2021, data_dir=small_dir, reports_dir=tmp_path, pdf_output=False,
                          jobs=1, progress=again.append)  # fmt: skip
    assert not result.unchanged and result.reused == []


@pytest.mark.skipif(sys.platform != "linux", reason="workers forked from the kernel template")
def test_a_worker_killed_while_the_pool_starts_ends_the_build_at_once(
    previous_report, small_dir, tmp_path
):
    """kill -9 of the first pool worker as soon as it exists (hostile tester): the build said
    so in a traceback (OSError from starting the next worker, or BrokenProcessPool from the
    checks), could hang at exit (four workers, one dead holding the pool's queue lock), and a
    worker's spare kernel made reports/.2021.tmp-<pid>/logs again after it was removed. Now:
    one line, exit 2 (or a report, if the kill missed all work), nothing left behind."""
    reports = tmp_path / "reports"
    shutil.copytree(previous_report, reports)
    before = snapshot(reports / "2021")
    env = {**os.environ, "LAWREPORT_CACHE": str(tmp_path / "cache")}  # every table checked
    proc = subprocess.Popen(
        [sys.executable, "-m", "helpers.cli", "build", "--year", "2021", "--no-pdf", "--force"]
        + ["--data-dir", str(small_dir), "--reports-dir", str(reports), "--jobs", "4"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    seen: set[int] = set()
    victim = None
    deadline = time.monotonic() + 60
    while victim is None and time.monotonic() < deadline and proc.poll() is None:
        templates = [
            p
            for p in psutil.Process(proc.pid).children()
            if b"helpers.run.forked" in _cmdline(p.pid)
        ]
        workers = [c for t in templates for c in t.children()]  # forked first: the pool's
        if workers:  # killed at once, while the pool still starts the others
            victim = min(workers, key=lambda c: c.create_time())
        time.sleep(0.01)
    assert victim is not None, "no pool worker seen"
    seen |= set(processes.descendants(proc.pid))
    victim.kill()
    out, err = proc.communicate(timeout=60)  # a hang fails here
    assert proc.returncode in (0, 2), err
    assert "Traceback" not in err, err
    if proc.returncode == 2:
        assert "工作进程意外退出" in err
        assert snapshot(reports / "2021") == before
    time.sleep(0.5)
    assert [p for p in seen if processes.alive(p)] == []
    assert not list(reports.glob(".2021.tmp-*")), (
        proc.returncode,
        err[-600:],
        [str(p) for p in reports.rglob(".2021.tmp-*/**/*")],
    )


def test_a_folder_written_again_while_it_is_discarded_is_removed_again(tmp_path, monkeypatch):
    """A build's unpublished folder that a process it started writes into as it is removed (a
    worker's spare kernel opening its log: CI of 2026-12-03, a .2021.tmp-*/logs/kernels.log left
    behind in 2 runs of 10) is removed again a moment later."""
    from helpers.run import folders

    tmp = tmp_path / ".2021.tmp-1"
    (tmp / "logs").mkdir(parents=True)
    removals = []
    remove = shutil.rmtree

    def racing(path, ignore_errors=False):
        remove(path, ignore_errors=ignore_errors)
        removals.append(path)
        if len(removals) <= 2:  # the late writer, twice
            (tmp / "logs").mkdir(parents=True, exist_ok=True)
            (tmp / "logs" / "kernels.log").write_text("x", encoding="utf-8")

    monkeypatch.setattr(folders.shutil, "rmtree", racing)
    folders.discard(tmp, settle=0.01)
    assert not tmp.exists() and len(removals) == 3
