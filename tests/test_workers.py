"""Pool workers forked from the build's kernel template (Linux): the same worker as a spawned one
(environment, folder, output, descriptors, exit codes), spawned when the template cannot fork
it, and gone when the build is killed."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ProcessPoolExecutor

import psutil
import pytest

from helpers.run import forked, pool, processes, workers

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="kernels and workers are forked only on Linux"
)


pytestmark = pytest.mark.usefixtures("no_process_left")


def shared_template() -> str:
    """The address of a template shared as a build shares it (``ChapterRunner``), started in the
    test itself: pytest's PYTEST_CURRENT_TEST differs between a fixture and the test, and a
    template refuses workers whose environment is not its own (the fixture above stops it)."""
    address = forked.TEMPLATE.share()
    assert address is not None
    return address


@pytest.fixture
def marked(tmp_path, monkeypatch):
    """A variable of the build's environment, and its folder, set before its template starts
    (a template started with another environment refuses the build's workers)."""
    monkeypatch.setenv("LAWREPORT_TEST_MARK", "法治政府")
    monkeypatch.chdir(tmp_path)


def test_a_worker_is_the_templates_child_with_the_builds_environment_folder_and_output(
    tmp_path, marked, capfd
):
    ctx = workers.context(shared_template())
    parent_end, child_end = multiprocessing.Pipe()
    # the pipe's end travels to the worker as a descriptor passed through the template
    proc = ctx.Process(target=child_end.send, args=(["报告", 2021],))
    proc.start()
    assert parent_end.poll(30) and parent_end.recv() == ["报告", 2021]
    proc.join(30)
    assert proc.exitcode == 0
    # a worker of the pool: its parent is the template; what it sees is the build's
    with ProcessPoolExecutor(1, mp_context=ctx) as ex:
        ppid = ex.submit(os.getppid).result(timeout=60)
        mark = ex.submit(os.getenv, "LAWREPORT_TEST_MARK").result()
        cwd = ex.submit(os.getcwd).result()
        # (the template's own environment has MPLBACKEND set for kernels: not the worker's)
        backend = ex.submit(os.getenv, "MPLBACKEND").result()
        ex.submit(print, "工作进程的输出", flush=True).result()
    assert ppid == forked.TEMPLATE.proc.pid
    assert mark == "法治政府" and cwd == str(tmp_path)
    assert backend == os.environ.get("MPLBACKEND")
    assert "工作进程的输出" in capfd.readouterr().out  # the build's stdout, not the template's


def test_a_workers_exit_code_and_a_killed_worker():
    ctx = workers.context(shared_template())
    proc = ctx.Process(target=sys.exit, args=(3,))
    proc.start()
    proc.join(30)
    assert proc.exitcode == 3
    # an end that skips Python's own (os._exit, a signal) says no code: 255, as forkserver's
    proc = ctx.Process(target=os._exit, args=(3,))
    proc.start()
    proc.join(30)
    assert proc.exitcode == workers.UNKNOWN_EXIT
    proc = ctx.Process(target=time.sleep, args=(60,))
    proc.start()
    assert proc.is_alive()
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(30)
    assert not proc.is_alive() and proc.exitcode == workers.UNKNOWN_EXIT


def test_a_worker_the_template_refuses_is_spawned(monkeypatch):
    """Another helpers code than the template's (changed since it started): spawned instead."""
    ctx = workers.context(shared_template())
    monkeypatch.setattr(forked, "request_state", lambda env: {"state": "x", "code": "y"})
    with ProcessPoolExecutor(1, mp_context=ctx) as ex:
        assert ex.submit(os.getppid).result(timeout=60) == os.getpid()


def test_without_a_template_workers_are_spawned():
    assert workers.context(None).get_start_method() == "spawn"


def test_a_chapter_runners_workers_run_table_checks(tmp_path):
    """The pool a build makes: two workers forked from its template that do a build's work."""
    folder = tmp_path / "chapters"
    folder.mkdir()
    runner = pool.ChapterRunner(2, folder, tmp_path / "logs", 2)
    try:
        pids = runner.worker_pids()
        assert len(pids) == 2
        assert {psutil.Process(p).ppid() for p in pids} == {forked.TEMPLATE.proc.pid}
        from helpers.data import validate

        check = runner.pool.submit(validate.check_one, "gangs", 2021, tmp_path / "none")
        assert check.result(timeout=60).missing
    finally:
        runner.close(failed=False)


BUILD = """
import json, os, sys, time
from pathlib import Path
from helpers.run import forked, pool
folder = Path(sys.argv[1])
runner = pool.ChapterRunner(2, folder, folder / "logs", 2)
print(json.dumps({"workers": runner.worker_pids(), "template": forked.TEMPLATE.proc.pid}), flush=True)
os._exit(0)  # as if killed: nothing stops the pool
"""


def test_forked_workers_and_their_template_end_when_the_build_is_killed(tmp_path):
    out = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(BUILD), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert len(seen["workers"]) == 2
    pids = [*seen["workers"], seen["template"]]
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(processes.alive(p) for p in pids):
        time.sleep(0.1)
    assert not any(processes.alive(p) for p in pids)


def test_a_worker_reads_nothing_of_the_templates_requests(tmp_path):
    """A forked worker's standard input is /dev/null, not the pipe the build writes the
    template's requests to (a program the worker started could take them)."""
    ctx = workers.context(shared_template())
    with ProcessPoolExecutor(1, mp_context=ctx) as ex:
        stdin = ex.submit(os.readlink, "/proc/self/fd/0").result(timeout=60)
    assert stdin == os.devnull


def test_no_worker_is_asked_of_a_template_that_is_gone():
    """The build's template was killed: its workers are spawned at once (its socket is not
    waited for)."""
    ctx = workers.context(shared_template())
    forked.TEMPLATE.proc.kill()
    forked.TEMPLATE.proc.wait()
    start = time.monotonic()
    with ProcessPoolExecutor(1, mp_context=ctx) as ex:
        assert ex.submit(os.getppid).result(timeout=60) == os.getpid()
    assert time.monotonic() - start < forked.CONNECT_WAIT
