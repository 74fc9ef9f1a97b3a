"""The chapter runner starts a chapter as soon as the tables it reads are checked, and a table's
problem is said before a chapter's failure."""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from helpers.data.validate import Checking, TableCheck
from helpers.run import pool
from helpers.run.progress import Display


class Recorder(Display):
    def __init__(self) -> None:
        super().__init__(lambda _line: None)
        self.events: list[str] = []

    def chapter_started(self, stem: str) -> None:
        self.events.append(f"start {stem}")

    def chapter_done(self, stem: str, seconds: float) -> None:
        self.events.append(f"done {stem}")


def _check(table: str, problems=()) -> TableCheck:
    return TableCheck(table, 2021, None, 10, 0, list(problems))


def _runner(monkeypatch, run_task) -> pool.ChapterRunner:
    runner = pool.ChapterRunner(1, Path("."), Path("."), 0)  # no chapters: nothing started
    runner.pool = ThreadPoolExecutor(2)
    runner.workers = 2
    monkeypatch.setattr(pool, "run_task", run_task)
    return runner


def _alarms_being_checked(future: Future) -> Checking:
    """cases checked and sound; alarms being checked (``future``)."""
    return Checking(
        [("cases", 2021), ("alarms", 2021)],
        {("cases", 2021): _check("cases"), ("alarms", 2021): None},
        {("alarms", 2021): future},
        None,
        2021,
    )


def _task(stem: str, *reads) -> pool.Task:
    return pool.Task(Path(f"{stem}.ipynb"), Path("out"), {}, Path("f"), False, reads)


def test_a_chapter_whose_tables_are_checked_runs_while_other_tables_are_checked(monkeypatch):
    slow_table: Future = Future()  # the check of alarms, which a worker is on
    slow_table.set_running_or_notify_cancel()
    checking = _alarms_being_checked(slow_table)
    events: list[str] = []

    def run_task(task):
        events.append(f"ran {task.notebook.stem}")
        if task.notebook.stem == "small":  # the other table's check ends after this chapter
            threading.Timer(0.2, slow_table.set_result, [_check("alarms")]).start()
        return task.notebook.stem, 0.0

    runner = _runner(monkeypatch, run_task)
    shown = Recorder()
    runner.run(
        [_task("big", ("alarms", 2021), ("cases", 2021)), _task("small", ("cases", 2021))],
        shown,
        lambda name, seconds: events.append(f"on_done {name}"),
        checking,
        lambda: events.append("checked"),
    )
    runner.pool.shutdown()
    assert events.index("ran small") < events.index("checked") < events.index("ran big")
    assert events.count("checked") == 1
    assert shown.events[0] == "start small"
    assert sorted(e for e in events if e.startswith("on_done")) == ["on_done big", "on_done small"]


def test_a_chapter_reading_an_unsound_table_never_starts_and_the_tables_problem_is_raised(
    monkeypatch,
):
    bad: Future = Future()
    bad.set_running_or_notify_cancel()
    checking = _alarms_being_checked(bad)
    ran: list[str] = []

    def run_task(task):
        ran.append(task.notebook.stem)
        if task.notebook.stem == "small":
            threading.Timer(0.2, bad.set_result, [_check("alarms", ["日期无效"])]).start()
            raise RuntimeError("the chapter's own failure")
        return task.notebook.stem, 0.0

    def checked():
        raise ValueError("alarms: 日期无效")  # as _tables_checked raises ValidationError

    runner = _runner(monkeypatch, run_task)
    with pytest.raises(ValueError, match="日期无效"):  # not the chapter's RuntimeError
        runner.run(
            [_task("big", ("alarms", 2021)), _task("small", ("cases", 2021))],
            Recorder(),
            lambda *_: None,
            checking,
            checked,
        )
    runner.pool.shutdown()
    assert ran == ["small"]


def test_ready_means_checked_and_sound():
    running: Future = Future()
    failed: Future = Future()
    failed.set_exception(OSError("worker died"))
    checking = Checking(
        [],
        {("a", 2021): _check("a"), ("b", 2021): _check("b", ["坏"]), ("gone", 2021): None},
        {("c", 2021): running, ("d", 2021): failed},
        None,
        2021,
    )
    assert checking.ready([("a", 2021)])
    assert checking.ready([])
    assert not checking.ready([("a", 2021), ("b", 2021)])
    assert not checking.ready([("c", 2021)])
    assert not checking.ready([("d", 2021)])
    running.set_result(_check("c"))
    assert checking.ready([("a", 2021), ("c", 2021)])
    assert checking.open() == []


def test_while_checks_wait_for_a_worker_no_chapter_overtakes_a_longer_one(monkeypatch):
    queued: Future = Future()  # no worker has taken this check yet
    checking = _alarms_being_checked(queued)
    ran: list[str] = []
    at: dict[str, float] = {}
    start = time.monotonic()

    def run_task(task):
        ran.append(task.notebook.stem)
        at[task.notebook.stem] = time.monotonic() - start
        return task.notebook.stem, 0.0

    def later():  # a worker takes the check, then finishes it
        queued.set_running_or_notify_cancel()
        threading.Timer(0.3, queued.set_result, [_check("alarms")]).start()

    threading.Timer(0.5, later).start()
    runner = _runner(monkeypatch, run_task)
    runner.run(
        [_task("long", ("alarms", 2021)), _task("short", ("cases", 2021))],
        Recorder(),
        lambda *_: None,
        checking,
        lambda: ran.append("checked"),
    )
    runner.pool.shutdown()
    # the short chapter, whose table is checked, did not overtake the long one while the long
    # one's table waited for a worker; once no check waited, it went
    assert at["short"] >= 0.5
    assert ran.index("checked") < ran.index("long")


def test_a_worker_killed_outright_is_a_chapter_error_not_a_traceback(tmp_path):
    """kill -9 of a pool worker (the system's OOM killer, a user): the build stops with words
    saying what happened and that the last report is kept, not BrokenProcessPool's traceback."""
    import json
    import os
    import signal

    import psutil

    from helpers.errors import ChapterError
    from helpers.run import processes

    folder = tmp_path / "chapters"
    folder.mkdir()
    nb = {
        "cells": [
            {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
             "source": "import time\ntime.sleep(60)"}
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }  # fmt: skip
    for name in ("a", "b"):
        (folder / f"{name}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    runner = pool.ChapterRunner(2, folder, tmp_path / "logs", 2)
    workers = [psutil.Process(pid) for pid in runner.worker_pids()]
    assert len(workers) == 2 and all(p.pid in processes.descendants(os.getpid()) for p in workers)

    def kill_one() -> None:
        time.sleep(3)
        os.kill(workers[0].pid, signal.SIGKILL)

    threading.Thread(target=kill_one, daemon=True).start()
    chapters = [(folder / f"{n}.ipynb", tmp_path / "out" / f"{n}.ipynb", {}, ()) for n in "ab"]
    try:
        with pytest.raises(ChapterError) as stopped:
            runner.run(runner.tasks(chapters, tmp_path / "failures"), Recorder(), lambda *_: None)
    finally:
        runner.close(failed=True)
    assert "工作进程意外退出" in str(stopped.value) and "保持原样" in stopped.value.fix


def test_the_first_chapter_goes_to_its_worker_ahead_of_the_checks_still_held(monkeypatch):
    """With one worker, busy with the last check of the chapter's tables and two other tables'
    checks held by the feeder: the chapter runs next, and those checks after it."""
    from helpers.run.feeder import Feeder

    order: list[str] = []
    release = threading.Event()

    def check(table: str) -> TableCheck:
        if table == "cases":
            release.wait(5)
        order.append(f"check {table}")
        return _check(table)

    def run_task(task):
        order.append(f"ran {task.notebook.stem}")
        return task.notebook.stem, 0.0

    runner = _runner(monkeypatch, run_task)
    runner.pool = ThreadPoolExecutor(1)
    feed = Feeder(runner.pool, depth=1)
    futures = {(t, 2021): feed.submit(check, t) for t in ("cases", "alarms", "hotline")}
    feed.start()
    checking = Checking(list(futures), {}, futures, None, 2021, feed=feed)
    threading.Timer(0.2, release.set).start()
    runner.run(
        [_task("safety", ("cases", 2021)), _task("services", ("hotline", 2021))],
        Recorder(),
        lambda *_: None,
        checking,
        feed.close,  # as Checking.result does
    )
    runner.pool.shutdown()
    assert order == ["check cases", "ran safety", "check alarms", "check hotline", "ran services"]


def test_a_chapter_failing_while_checks_are_held_does_not_wait_out_their_pacing(monkeypatch):
    """The build waits for every check before it says what failed; once a chapter has failed
    nobody pumps, and each held check waited out the pacing (PACE s each) before going."""
    from helpers.run.feeder import Feeder

    monkeypatch.setattr(Feeder, "PACE", 10.0)

    def run_task(task):
        raise RuntimeError("the chapter's own failure")

    runner = _runner(monkeypatch, run_task)
    runner.pool = ThreadPoolExecutor(1)
    feed = Feeder(runner.pool, depth=1)
    tables = ("cases", "alarms", "hotline", "venues")
    futures = {(t, 2021): feed.submit(_check, t) for t in tables}
    feed.start()
    checking = Checking(list(futures), {}, futures, None, 2021, feed=feed)
    start = time.monotonic()
    with pytest.raises(RuntimeError, match="own failure"):
        runner.run(
            [_task("safety", ("cases", 2021))], Recorder(), lambda *_: None, checking, feed.close
        )
    runner.pool.shutdown()
    assert all(f.done() for f in futures.values())
    assert time.monotonic() - start < 5  # not 3 × 10 s of pacing
    feed.thread.join(5)
    assert not feed.thread.is_alive()


def _probe(path: str) -> None:
    """A pool initializer that wraps its worker's queue and says what it wrapped."""
    import sys

    caller = sys._getframe(1)
    pool._quiet_when_the_pool_breaks(caller)
    queue = caller.f_locals["call_queue"]
    Path(path).write_text(f"{type(queue).__name__} {queue.get.__qualname__}", encoding="utf-8")


def test_a_worker_whose_pool_broke_ends_without_a_traceback(tmp_path):
    """The executor's worker loop runs the initializer first: its queue is the one wrapped (a
    Python whose executor were laid out otherwise would fail here, not print tracebacks)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    said = tmp_path / "probe"
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        1, mp_context=context, initializer=_probe, initargs=(str(said),)
    ) as ex:
        assert ex.submit(int, "7").result(timeout=60) == 7
    kind, wrapped = said.read_text(encoding="utf-8").split()
    assert kind == "_SafeQueue" and wrapped.endswith("_quiet_when_the_pool_breaks.<locals>.get")

    class Closed:
        def get(self, block=True):
            raise EOFError

    class Frame:
        f_locals = {"call_queue": Closed()}

    pool._quiet_when_the_pool_breaks(Frame)
    with pytest.raises(SystemExit) as ended:
        Frame.f_locals["call_queue"].get(block=True)
    assert ended.value.code == 0


def test_the_executors_own_error_after_a_worker_died_is_not_printed(capsys, monkeypatch):
    """Python 3.11's executor thread can raise 'dictionary changed size during iteration' as
    it cleans up after a dead worker (seen once in CI): logged, not printed. Another thread's
    error is printed as before."""
    import threading
    from concurrent.futures import process

    monkeypatch.setattr(threading, "excepthook", threading.__excepthook__)
    pool._quiet_executor_thread()
    pool._quiet_executor_thread()  # once is enough: not wrapped twice
    assert threading.excepthook.quiets_executor

    def args(thread):
        try:
            raise RuntimeError("dictionary changed size during iteration")
        except RuntimeError as exc:
            return threading.ExceptHookArgs([RuntimeError, exc, exc.__traceback__, thread])

    threading.excepthook(args(object.__new__(process._ExecutorManagerThread)))
    assert capsys.readouterr().err == ""
    threading.excepthook(args(threading.Thread(name="其他线程")))
    assert "dictionary changed size" in capsys.readouterr().err
