"""What a build tells the analyst while it runs, in Chinese: year n/N, chapter n/N by the
chapter's title, and, while a long chapter runs, a heartbeat (仍在运行：安全稳定（已 12 秒）).

Two displays read the same events: ``Plain``, one line per event (a pipe, CI, a log file: lines
are never rewritten, and the heartbeat thread writes whole lines under the same lock), and
``Live``, a ``rich`` progress display for a terminal. ``for_terminal`` picks one by the
stream's ``isatty``. A build calls ``close`` when it ends or fails: the heartbeat and rich's
refresh thread stop there, so no thread outlives the build.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable

HEARTBEAT_SECONDS = 5.0  # a plain display says which chapters still run this often


class Display:
    """The events of a build, said as one line each (``say``); subclasses draw them otherwise."""

    heartbeat_seconds = HEARTBEAT_SECONDS

    def __init__(self, say: Callable[[str], None]) -> None:
        self._say = say
        self._lock = threading.Lock()
        self.titles: dict[str, str] = {}  # notebook stem → the chapter's Chinese title
        self.running: dict[str, float] = {}  # stem → when it started (perf_counter)
        self.total = self.finished = 0

    # ------------------------------------------------------------ events
    def year(self, index: int, total: int, year: int) -> None:
        self.line(f"年度 {index}/{total}：{year}年")

    def step(self, message: str) -> None:
        """A step of the build (tables checked, assembling …), already in Chinese."""
        self.line(message)

    def chapters(self, year: int, titles: dict[str, str], jobs: int) -> None:
        """The chapters about to run (stem → title, in the order they start) and at most how
        many run at once."""
        with self._lock:
            self.titles, self.running = dict(titles), {}
            self.total, self.finished = len(titles), 0
        self.line(f"{year}年：运行 {len(titles)} 章（同时运行 {jobs} 章）")

    def chapter_started(self, stem: str) -> None:
        with self._lock:
            self.running[stem] = time.perf_counter()
        self.line(f"  开始：{self.title(stem)}")

    def chapter_done(self, stem: str, seconds: float) -> None:
        with self._lock:
            self.running.pop(stem, None)
            self.finished += 1
            n = self.finished
        self.line(f"  第 {n}/{self.total} 章完成：{self.title(stem)}（{seconds:.1f} 秒）")

    def beat(self) -> None:
        """Say which chapters have been running for at least a heartbeat, and for how long."""
        now = time.perf_counter()
        with self._lock:
            long = [
                (stem, now - start)
                for stem, start in self.running.items()
                if now - start >= self.heartbeat_seconds
            ]
        if long:
            self.line(still_running([(self.title(s), t) for s, t in long]))

    def close(self) -> None:
        """The build ended (or failed): nothing more is drawn."""
        with self._lock:
            self.running = {}

    # ------------------------------------------------------------ helpers
    def title(self, stem: str) -> str:
        return self.titles.get(stem, stem)

    def line(self, text: str) -> None:
        with self._lock:  # whole lines, also from the heartbeat thread
            self._say(text)


def still_running(chapters: list[tuple[str, float]]) -> str:
    """仍在运行：安全稳定（已 12 秒）、严格执法（已 7 秒）"""
    return "  仍在运行：" + "、".join(
        f"{title}（已 {seconds:.0f} 秒）" for title, seconds in chapters
    )


class Plain(Display):
    """One line per event on a stream (or through any ``say`` callable, e.g. ``log.info``)."""

    def __init__(self, stream=None, say: Callable[[str], None] | None = None) -> None:
        stream = stream if stream is not None else sys.stdout
        if say is None:

            def say(text: str) -> None:
                print(text, file=stream, flush=True)

        super().__init__(say)


class Live(Display):
    """A ``rich`` progress display: a bar of years, a bar of chapters and, under them, each
    running chapter with its time so far; steps are printed above the bars."""

    heartbeat_seconds = 1.0

    def __init__(self, console=None) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        self.console = console or Console(stderr=False)
        self.bars = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
        )
        super().__init__(lambda text: self.console.print(text, markup=False, highlight=False))
        self._years = self._chapters = None
        self._rows: dict[str, object] = {}
        self._started = False

    def _start(self) -> None:
        if not self._started:
            self.bars.start()
            self._started = True

    def year(self, index: int, total: int, year: int) -> None:
        self._start()
        if self._years is None:
            self._years = self.bars.add_task("年度", total=total)
        self.bars.update(self._years, description=f"年度 {year}年", completed=index - 1)

    def chapters(self, year: int, titles: dict[str, str], jobs: int) -> None:
        super().chapters(year, titles, jobs)
        self._start()
        if self._chapters is not None:
            self.bars.remove_task(self._chapters)
        self._chapters = self.bars.add_task(f"{year}年 章", total=len(titles))

    def chapter_started(self, stem: str) -> None:
        with self._lock:
            self.running[stem] = time.perf_counter()
            self._rows[stem] = self.bars.add_task(f"  运行中：{self.title(stem)}", total=None)

    def chapter_done(self, stem: str, seconds: float) -> None:
        with self._lock:
            self.running.pop(stem, None)
            self.finished += 1
            row = self._rows.pop(stem, None)
            if row is not None:
                self.bars.remove_task(row)
            self.bars.update(self._chapters, completed=self.finished)
        self.line(
            f"  第 {self.finished}/{self.total} 章完成：{self.title(stem)}（{seconds:.1f} 秒）"
        )

    def beat(self) -> None:
        """rich redraws the times itself; the heartbeat only names the long ones in each row."""
        now = time.perf_counter()
        with self._lock:
            for stem, start in self.running.items():
                if stem in self._rows:
                    self.bars.update(
                        self._rows[stem],
                        description=still_running([(self.title(stem), now - start)]),
                    )

    def close(self) -> None:
        super().close()
        if self._started:
            # rich's stop() only signals its refresh thread; join it, so none outlives the build
            refresher = getattr(self.bars.live, "_refresh_thread", None)
            self.bars.stop()
            if refresher is not None:
                refresher.join()
            self._started = False


def for_terminal(stream=None) -> Display:
    """``Live`` when ``stream`` (default stdout) is a terminal, else ``Plain`` lines on it."""
    stream = stream if stream is not None else sys.stdout
    isatty = getattr(stream, "isatty", None)
    if isatty is not None and isatty():
        from rich.console import Console

        return Live(Console(file=stream))
    return Plain(stream)


def display(progress: Display | Callable[[str], None]) -> Display:
    """A display for ``build_report``'s ``progress``: a display as is, or a callable that takes
    one line at a time (``print``, ``log.info``, ``lambda _: None``) as a plain display."""
    return progress if isinstance(progress, Display) else Plain(say=progress)


class Heartbeat:
    """Calls ``beat`` every ``seconds`` on a daemon thread until the ``with`` block ends
    (normally or by an exception); the thread is joined before the block is left."""

    def __init__(self, beat: Callable[[], None], seconds: float) -> None:
        self.beat, self.seconds = beat, seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _run(self) -> None:
        while not self._stop.wait(self.seconds):
            try:
                self.beat()
            except Exception:  # a broken pipe must not kill the build from this thread
                return

    def __enter__(self) -> Heartbeat:
        self._thread = threading.Thread(target=self._run, name="lawreport-heartbeat", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
