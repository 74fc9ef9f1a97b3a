"""Checks are handed to the pool one per worker, so a chapter given to the pool later goes ahead
of the checks not yet started (``run.feeder``)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, wait

import pytest

from helpers.run.feeder import Feeder


def test_work_given_to_the_pool_directly_goes_ahead_of_the_queued_calls():
    order: list[str] = []
    first_started, release = threading.Event(), threading.Event()

    def job(name: str) -> str:
        if name == "check 1":
            first_started.set()
            release.wait(5)
        order.append(name)
        return name

    with ThreadPoolExecutor(1) as pool:
        feed = Feeder(pool, depth=1)
        checks = [feed.submit(job, f"check {i}") for i in (1, 2, 3)]
        feed.start()
        assert first_started.wait(5)
        assert [f.running() for f in checks] == [True, False, False]  # 2 and 3 not given yet
        chapter = pool.submit(job, "chapter")
        release.set()
        wait([*checks, chapter], timeout=5)
    assert order == ["check 1", "chapter", "check 2", "check 3"]
    assert [f.result() for f in checks] == ["check 1", "check 2", "check 3"]


def test_without_a_feeder_the_same_chapter_waits_for_every_check():
    """What the build did before: every check given at once, the chapter behind them all."""
    order: list[str] = []
    release = threading.Event()

    def job(name: str) -> None:
        if name == "check 1":
            release.wait(5)
        order.append(name)

    with ThreadPoolExecutor(1) as pool:
        futures = [pool.submit(job, f"check {i}") for i in (1, 2, 3)]
        futures.append(pool.submit(job, "chapter"))
        release.set()
        wait(futures, timeout=5)
    assert order == ["check 1", "check 2", "check 3", "chapter"]


def test_at_most_depth_calls_are_with_the_pool_at_a_time():
    running, most = 0, 0
    lock = threading.Lock()

    def job(_: int) -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.02)
        with lock:
            running -= 1

    with ThreadPoolExecutor(4) as pool:
        feed = Feeder(pool, depth=2)
        futures = [feed.submit(job, i) for i in range(12)]
        feed.start()
        wait(futures, timeout=10)
    assert all(f.done() and f.exception() is None for f in futures)
    assert most == 2


def _fail(message: str) -> None:
    raise ValueError(message)


def test_a_calls_exception_reaches_its_future_and_the_others_still_run():
    with ThreadPoolExecutor(1) as pool:
        feed = Feeder(pool, depth=1)
        bad = feed.submit(_fail, "表格损坏")
        good = feed.submit(len, "东莞")
        feed.start()
        wait([bad, good], timeout=5)
    with pytest.raises(ValueError, match="表格损坏"):
        bad.result()
    assert good.result() == 2


def test_a_pool_that_shuts_down_leaves_no_call_waiting():
    release = threading.Event()
    pool = ThreadPoolExecutor(1)
    feed = Feeder(pool, depth=1)
    first = feed.submit(release.wait, 5)
    rest = [feed.submit(len, "x") for _ in range(3)]
    feed.start()
    pool.shutdown(wait=False)  # the build stopping: the pool takes no new work
    release.set()
    done, not_done = wait([first, *rest], timeout=5)
    assert not not_done
    assert first.result() is True
    for future in rest:
        with pytest.raises(RuntimeError, match="shutdown"):
            future.result()


def test_a_process_pool_runs_the_queued_calls_in_order():
    with ProcessPoolExecutor(1) as pool:
        feed = Feeder(pool, depth=1)
        futures = [feed.submit(pow, 2, n) for n in range(5)]
        feed.start()
        assert [f.result(timeout=60) for f in futures] == [1, 2, 4, 8, 16]


def test_submit_after_start_is_refused():
    with ThreadPoolExecutor(1) as pool:
        feed = Feeder(pool, depth=1)
        feed.submit(len, "a")
        feed.start()
        with pytest.raises(RuntimeError):
            feed.submit(len, "b")
