"""Checks are handed to the pool one per worker, so a chapter handed over later goes ahead of
the checks not yet started (``run.feeder``)."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, wait

import pytest

from helpers.run.feeder import Feeder


def _gated(order: list[str], started: threading.Event, release: threading.Event):
    def job(name: str) -> str:
        if name == "check 1":
            started.set()
            release.wait(5)
        order.append(name)
        return name

    return job


def test_a_call_submitted_first_goes_ahead_of_the_calls_held():
    order: list[str] = []
    started, release = threading.Event(), threading.Event()
    job = _gated(order, started, release)
    with ThreadPoolExecutor(1) as pool:
        feed = Feeder(pool, depth=1)
        checks = [feed.submit(job, f"check {i}") for i in (1, 2, 3)]
        feed.start()
        assert started.wait(5)
        assert [f.running() for f in checks] == [True, False, False]  # 2 and 3 held
        chapter = feed.submit(job, "chapter", first=True)
        release.set()
        wait([*checks, chapter], timeout=5)
        feed.close()
    assert order == ["check 1", "chapter", "check 2", "check 3"]
    assert [f.result() for f in checks] == ["check 1", "check 2", "check 3"]
    assert chapter.result() == "chapter"
    feed.thread.join(5)
    assert not feed.thread.is_alive()


def test_given_to_the_pool_all_at_once_the_same_chapter_waits_for_every_check():
    """What the build did before: every check given at once, the chapter behind them all."""
    order: list[str] = []
    started, release = threading.Event(), threading.Event()
    job = _gated(order, started, release)
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
        feed = Feeder(pool, depth=2).start()
        futures = [feed.submit(job, i) for i in range(12)]
        feed.close()
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
        feed.start().close()
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
    _, not_done = wait([first, *rest], timeout=5)
    assert not not_done
    assert first.result() is True
    for future in rest:
        with pytest.raises(RuntimeError, match="shutdown"):
            future.result()
    later = feed.submit(len, "y")  # refused at once, not held for ever
    with pytest.raises(RuntimeError, match="shutdown"):
        later.result(timeout=1)


def test_a_process_pool_runs_the_held_calls_in_order():
    with ProcessPoolExecutor(1) as pool:
        feed = Feeder(pool, depth=1)
        futures = [feed.submit(pow, 2, n) for n in range(5)]
        feed.start().close()
        assert [f.result(timeout=60) for f in futures] == [1, 2, 4, 8, 16]


def test_paced_a_held_call_waits_until_the_caller_has_seen_the_last_one_end(monkeypatch):
    """The build's loop wakes when a check ends and may hand over a chapter first: until it
    pumps, the next check is held (at most PACE seconds)."""
    monkeypatch.setattr(Feeder, "PACE", 30.0)
    with ThreadPoolExecutor(1) as pool:
        feed = Feeder(pool, depth=1)
        feed.pace()
        first = feed.submit(len, "ab")
        second = feed.submit(len, "abc")
        feed.start()
        assert first.result(timeout=5) == 2
        time.sleep(0.3)
        assert not second.running()  # held: the caller has not looked yet
        chapter = feed.submit(len, "chapter", first=True)  # goes at once, paced or not
        assert chapter.result(timeout=5) == 7
        assert not second.running()
        feed.pump()
        assert second.result(timeout=5) == 3
        feed.close()


def test_paced_with_nobody_pumping_the_held_calls_still_go(monkeypatch):
    monkeypatch.setattr(Feeder, "PACE", 0.05)
    with ThreadPoolExecutor(1) as pool:
        feed = Feeder(pool, depth=1)
        feed.pace()
        futures = [feed.submit(len, "x" * n) for n in range(6)]
        feed.start()
        assert [f.result(timeout=5) for f in futures] == list(range(6))
        feed.close()
