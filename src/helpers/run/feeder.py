"""Work handed to a pool a little at a time, so that work given to the pool later goes first.

A process pool takes work in the order it is given. A build gives it every table check of the
year at once, and then a chapter as soon as the tables that chapter reads are checked: that
chapter waited behind every other table's check (4 s at ``--scale 10``, with its kernel ready).
A ``Feeder`` keeps at most ``depth`` of its calls with the pool (one per worker) and holds the
rest, so a chapter handed to the pool directly waits for at most the checks under way.
"""

from __future__ import annotations

import threading
from concurrent.futures import FIRST_COMPLETED, CancelledError, Future, wait


class Feeder:
    """Calls queued for ``pool`` (``submit`` them all, then ``start``), at most ``depth`` of
    them given to it at a time, in the order queued. Each ``submit`` returns a Future at once; it
    is "running" once given to the pool and gets the pool's result or exception. If the pool
    refuses work (shut down or broken), every call still queued gets that exception: nothing
    waits for ever."""

    def __init__(self, pool, depth: int) -> None:
        self.pool = pool
        self.depth = max(1, depth)
        self.queued: list[tuple[Future, object, tuple]] = []
        self.lock = threading.Lock()
        self.thread: threading.Thread | None = None

    def submit(self, fn, *args) -> Future:
        if self.thread is not None:
            raise RuntimeError("Feeder.submit after start")
        future: Future = Future()
        self.queued.append((future, fn, args))
        return future

    def start(self) -> Feeder:
        """Give the pool its first calls now and the rest from a thread as earlier ones end."""
        outstanding = self._give([])
        if outstanding:
            self.thread = threading.Thread(
                target=self._feed, args=(outstanding,), daemon=True, name="feeder"
            )
            self.thread.start()
        return self

    def _give(self, outstanding: list[Future]) -> list[Future]:
        """Top the pool up to ``depth`` calls; the ones still with it."""
        outstanding = [f for f in outstanding if not f.done()]
        while len(outstanding) < self.depth:
            with self.lock:
                if not self.queued:
                    break
                future, fn, args = self.queued.pop(0)
            if not future.set_running_or_notify_cancel():
                continue  # cancelled while queued
            try:
                given = self.pool.submit(fn, *args)
            except BaseException as exc:  # a pool shut down or broken: no call will run
                future.set_exception(exc)
                self._refuse(exc)
                return []
            given.add_done_callback(lambda done, ours=future: _copy(done, ours))
            outstanding.append(given)
        return outstanding

    def _refuse(self, exc: BaseException) -> None:
        with self.lock:
            left, self.queued = self.queued, []
        for future, _, _ in left:
            if future.set_running_or_notify_cancel():
                future.set_exception(exc)

    def _feed(self, outstanding: list[Future]) -> None:
        while outstanding:
            wait(outstanding, return_when=FIRST_COMPLETED)
            outstanding = self._give(outstanding)


def _copy(done: Future, ours: Future) -> None:
    if done.cancelled():  # the pool shut down with the call still queued in it
        ours.set_exception(CancelledError())
    elif done.exception() is not None:
        ours.set_exception(done.exception())
    else:
        ours.set_result(done.result())
