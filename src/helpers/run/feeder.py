"""Work handed to a pool a little at a time, so that urgent work given later goes first.

A process pool takes work in the order it is given. A build gave it every table check of the
year at once, and then a chapter as soon as the tables that chapter reads were checked: that
chapter waited behind every other table's check (4 s at ``--scale 10``, with its kernel ready).
A ``Feeder`` keeps at most ``depth`` of its calls with the pool (one per worker) and holds the
rest in order; a call submitted ``first`` (a chapter) goes ahead of those held (checks), so it
waits only for the work under way. ``paced``, a held call waits, after each call ends, until
the caller has looked (``pump``): the check that just ended may have made a chapter ready.
"""

from __future__ import annotations

import collections
import functools
import threading
from concurrent.futures import CancelledError, Future


class Feeder:
    """Calls for ``pool``, at most ``depth`` of them with it at a time, in the order submitted
    (``first``: ahead of those not yet given). Each ``submit`` returns a Future at once; it is
    "running" once given to the pool and gets the pool's result or exception. If the pool refuses
    work (shut down or broken), every call held gets that exception: nothing waits for ever.
    ``close`` when no more calls will come: the feeding thread ends once it has given the last.

    ``paced``: when a call ends, the next held one waits for ``pump`` (at most ``PACE`` seconds),
    so that a caller who submits ``first`` on seeing a call end gets the free worker."""

    PACE = 0.5

    def __init__(self, pool, depth: int) -> None:
        self.pool = pool
        self.depth = max(1, depth)
        # (future, function, arguments, first)
        self.held: collections.deque[tuple[Future, object, tuple, bool]] = collections.deque()
        self.given = 0  # calls with the pool, not yet done
        self.closed = False
        self.refused: BaseException | None = None
        self.paced = False
        self.unseen = False  # paced: a call ended and the caller has not pumped since
        self.changed = threading.Condition()
        self.thread = threading.Thread(target=self._feed, daemon=True, name="feeder")

    def submit(self, fn, *args, first: bool = False) -> Future:
        future: Future = Future()
        with self.changed:
            if self.refused is not None:
                future.set_exception(self.refused)
                return future
            if first:
                self.held.appendleft((future, fn, args, True))
            else:
                self.held.append((future, fn, args, False))
            self.changed.notify()
        return future

    def pace(self) -> None:
        with self.changed:
            self.paced = True

    def pump(self) -> None:
        """The caller has looked at the calls that ended: held ones may go."""
        with self.changed:
            self.unseen = False
            self.changed.notify()

    def start(self) -> Feeder:
        self.thread.start()
        return self

    def close(self) -> None:
        """No more calls will come: those held go in order, unpaced."""
        with self.changed:
            self.closed = True
            self.paced = self.unseen = False
            self.changed.notify()

    def _feed(self) -> None:
        while True:
            with self.changed:
                while not self._may_give():
                    if self.closed and not self.held:
                        return
                    if not self.unseen:
                        self.changed.wait()
                    elif not self.changed.wait(self.PACE):
                        self.unseen = False  # nobody pumps (a caller waiting on every check)
                future, fn, args, _ = self.held.popleft()
                self.given += 1
            if not future.set_running_or_notify_cancel():  # cancelled while held
                self._done(None, None)
                continue
            try:
                theirs = self.pool.submit(fn, *args)
            except BaseException as exc:  # a pool shut down or broken: no call will run
                future.set_exception(exc)
                self._refuse(exc)
                return
            theirs.add_done_callback(functools.partial(self._done, future))

    def _may_give(self) -> bool:
        return bool(self.held) and self.given < self.depth and (not self.unseen or self.held[0][3])

    def _done(self, ours: Future | None, theirs: Future | None) -> None:
        with self.changed:  # before the caller can see it end, and pump
            self.given -= 1
            self.unseen = self.paced
            self.changed.notify()
        if ours is not None:
            _copy(theirs, ours)

    def _refuse(self, exc: BaseException) -> None:
        with self.changed:
            self.refused = exc
            left, self.held = self.held, collections.deque()
        for future, *_ in left:
            if future.set_running_or_notify_cancel():
                future.set_exception(exc)


def _copy(theirs: Future, ours: Future) -> None:
    if theirs.cancelled():  # the pool shut down with the call still queued in it
        ours.set_exception(CancelledError())
    elif theirs.exception() is not None:
        ours.set_exception(theirs.exception())
    else:
        ours.set_result(theirs.result())
