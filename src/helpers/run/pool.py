"""Running chapter notebooks: worker processes, each with a kernel started ahead for its next
chapter, or (one job) this process itself.

A kernel takes about a second to start and import pandas and the helpers (on Linux a few tenths,
forked from a template that has done the imports: ``forked``); starting it while the tables are
checked, and while the chapter before runs, takes that time out of the build. Each process keeps
at most one such kernel in a ``SpareKernel``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from helpers.run import processes
from helpers.run.progress import Display, Heartbeat

log = logging.getLogger(__name__)


class SpareKernel:
    """The kernel this process started for its next chapter, in ``folder`` (the notebooks' folder:
    a kernel runs in its notebook's folder)."""

    def __init__(self) -> None:
        self.folder: Path | None = None
        self.log: str | None = None
        self.km = None
        self.starting: threading.Thread | None = None

    def setup(self, folder: Path, log: str) -> None:
        self.folder, self.log = Path(folder), log

    def start(self) -> None:
        """Start a kernel now (its stderr, shutdown chatter, goes to the log)."""
        from helpers.run import execute

        # not the build's folder itself: gone, it means the build is over (a worker that has
        # not yet seen it end would make it again, left behind)
        Path(self.log).parent.mkdir(exist_ok=True)
        with open(self.log, "ab") as sink:
            self.km = execute.start_kernel(self.folder, stderr=sink)

    def start_soon(self) -> None:
        """Start a kernel from a thread: a kernel forked from the template waits for the
        template's imports, which go on while this process checks tables."""

        def start() -> None:
            with contextlib.suppress(Exception):  # no spare kernel: the chapter starts one
                self.start()

        self.starting = threading.Thread(target=start, daemon=True, name=SPARE_THREAD)
        self.starting.start()

    def _started(self) -> None:
        if self.starting is not None:
            self.starting.join()
            self.starting = None

    def take(self, notebook: Path, ahead: bool):
        """The kernel for ``notebook`` if one was started ahead in its folder (and start the next
        one now when ``ahead``), else None."""
        self._started()
        if self.folder != notebook.parent:
            return None
        km, self.km = self.km, None
        if ahead:
            self.start()
        return km

    def stop(self) -> None:
        from helpers.run import execute

        self._started()
        km, self.km = self.km, None
        if km is not None:
            execute.stop_kernel(km)

    def clear(self) -> None:
        with contextlib.suppress(Exception):
            self.stop()
        self.folder = self.log = None


SPARE = SpareKernel()  # one per process: a pool worker's, or the build's own with one job
SPARE_THREAD = "spare-kernel"


def _not_from_a_spare_kernel(record) -> bool:
    """A kernel started ahead that fails to start (its build stopping, its template killed) is
    no error: its chapter, if it runs, starts a kernel of its own and says what went wrong."""
    return threading.current_thread().name != SPARE_THREAD


logging.getLogger("traitlets").addFilter(_not_from_a_spare_kernel)


def _worker_start(
    notebook_dir: str, log_file: str, template: str | None = None, build: int | None = None
) -> None:
    """Pool worker set-up: leave Ctrl-C to the main process, end with the build (process
    ``build``), fork kernels from the build's kernel template (at address ``template``), and
    start a kernel for the first chapter while the tables are being checked."""
    from multiprocessing.util import Finalize

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _end_with_parent(build or os.getppid())
    _quiet_when_the_pool_breaks(sys._getframe(1))
    from helpers.run import forked

    forked.TEMPLATE.connect(template)
    # a template of its own (refused by the build's) ends with the worker, not half a second later
    Finalize(None, forked.TEMPLATE.stop, exitpriority=9)
    SPARE.setup(Path(notebook_dir), log_file)
    Finalize(None, SPARE.stop, exitpriority=10)  # runs when the pool shuts the worker down
    SPARE.start_soon()
    import helpers.data.checks  # noqa: F401  (pandas, pyarrow: its first tasks check tables)
    import helpers.data.readers  # noqa: F401


def _quiet_when_the_pool_breaks(caller) -> None:
    """When another worker dies, the executor closes the queue the workers take work from, and
    a worker reading it then printed its EOFError as a traceback on the build's console, beside
    the one-line error (the hostile tester's kill of a worker as the pool starts; 1 run in
    about 20 under load). ``caller`` is the executor's ``_process_worker``, which runs this
    initializer before it reads the queue: the worker now ends quietly instead, its finalizers
    run (its spare kernel is stopped), and the build says what happened."""
    queue = caller.f_locals.get("call_queue") if caller is not None else None
    if queue is None or not hasattr(queue, "get"):
        return
    take = queue.get

    def get(*args, **kwargs):
        try:
            return take(*args, **kwargs)
        except (EOFError, OSError):  # the pool is broken: nothing more will come
            raise SystemExit(0) from None

    queue.get = get


def _quiet_executor_thread() -> None:
    """Python 3.11's executor, cleaning up after a worker died, can trip over its own list of
    workers in its management thread (RuntimeError: dictionary changed size during iteration,
    while the next worker is being started) and print that as a traceback beside the build's
    one-line error (the hostile tester's kill of a worker as the pool starts, under load). The
    pool is broken either way and the build says so: such an error of that thread is logged,
    not printed; any other thread's goes to the hook as before."""
    from concurrent.futures import process

    manager = getattr(process, "_ExecutorManagerThread", None)
    previous = threading.excepthook
    if manager is None or getattr(previous, "quiets_executor", False):
        return

    def hook(args) -> None:
        if isinstance(args.thread, manager):
            log.debug("执行器管理线程：%s", args.exc_value)
            return
        previous(args)

    hook.quiets_executor = True
    threading.excepthook = hook


def _started() -> None:
    """A first task that makes the pool start its worker now, not at the first check."""


def _end_with_parent(build: int, every: float = 1.0) -> None:
    """A worker whose build (process ``build``: its parent, or its grandparent when the
    template forked it) was killed outright (kill -9, a crash) ends within ``every`` seconds,
    and with it its kernel template and kernels: a pool's worker does not notice on its own,
    and would wait for work forever."""
    import psutil

    try:
        parent = psutil.Process(build)
    except psutil.Error:
        return

    def alive() -> bool:
        # the build itself, not this process's parent: a worker the kernel template forked
        # outlives a killed template (whose kernels end with it: their chapters fail, saying so)
        try:
            return (
                parent.is_running()  # False when its pid went to another process
                and parent.status() != psutil.STATUS_ZOMBIE  # killed, not yet reaped
            )
        except psutil.Error:
            return False

    def watch() -> None:
        while alive():
            time.sleep(every)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="end-with-build").start()


@dataclass(frozen=True)
class Task:
    """One chapter to run: its notebook, where the executed notebook goes, its parameters,
    where a failed notebook is kept, and whether a later chapter will come to this process."""

    notebook: Path
    output: Path
    parameters: dict
    failures: Path
    ahead: bool
    reads: tuple = ()  # the (table, year) pairs it reads: it starts once they are checked


def run_task(task: Task) -> tuple[str, float]:
    """Run one chapter, on the kernel started ahead for it or on a new one."""
    from helpers.run import execute

    start = time.perf_counter()
    import papermill  # noqa: F401  (its first import, 0.3 s, while the kernel is starting)

    km = SPARE.take(task.notebook, task.ahead)
    if km is not None:
        execute.run_chapter(task.notebook, task.output, task.parameters, task.failures, km=km)
    else:
        _run_logged(task)
    return task.notebook.stem, time.perf_counter() - start


def _run_logged(task: Task) -> None:
    """Run a chapter on a new kernel; its stderr goes to logs/<chapter>.log."""
    from helpers.run import execute

    log_file = task.output.parent.parent / "logs" / f"{task.notebook.stem}.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    saved = os.dup(2)
    with open(log_file, "ab") as sink:
        os.dup2(sink.fileno(), 2)
        try:
            execute.run_chapter(task.notebook, task.output, task.parameters, task.failures)
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def broken_pool():
    """The error of a build whose pool lost a worker (killed, out of memory), whenever it
    shows: starting the workers, checking tables or running chapters."""
    from helpers.errors import ChapterError

    return ChapterError(
        "运行章节的一个工作进程意外退出（被系统终止，如内存不足，或被其他程序终止），"
        "本次生成没有完成。",
        fix="查看机器是否内存不足（较小的 --jobs 用内存较少），然后再生成；上一次"
        "生成的报告保持原样",
        ename="BrokenProcessPool",
    )


class ChapterRunner:
    """Runs a build's chapters, ``jobs`` at a time: a pool of workers, each starting a kernel
    ahead (on Linux the workers and the kernels are forked from the build's kernel template,
    which has done their imports: ``workers``, ``forked``; elsewhere workers are spawned); or,
    for one job (or one chapter), this process, whose kernel starts as soon as the runner is
    made."""

    def __init__(self, jobs: int, notebook_dir: Path, log_dir: Path, chapters: int):
        self.workers = max(1, min(jobs, chapters))
        self.pool: ProcessPoolExecutor | None = None
        self.runs_here = not (chapters and self.workers >= 2)  # the chapters run in this process
        self.shared = False
        if chapters and self.workers >= 2:
            from helpers.run import forked

            _quiet_executor_thread()

            # one kernel template for every worker, its imports under way while they start
            template = forked.TEMPLATE.share()
            self.shared = forked.enabled()
            from helpers.run import workers

            self.pool = ProcessPoolExecutor(
                self.workers,
                mp_context=workers.context(template),  # forked by the template, or spawned
                initializer=_worker_start,
                initargs=(str(notebook_dir), str(log_dir / "kernels.log"), template, os.getpid()),
            )
            try:
                for _ in range(self.workers):  # each starts (and imports) while keys are made
                    self.pool.submit(_started)
            except OSError:  # a worker died while the next was started: the pool broke
                if getattr(self.pool, "_broken", False):  # (the executor's only record of it)
                    raise BrokenProcessPool(self.pool._broken) from None
                raise
        elif chapters:
            SPARE.setup(notebook_dir, str(log_dir / "kernels.log"))
            SPARE.start_soon()

    def worker_pids(self) -> list[int]:
        """The pool's worker processes (started as the runner is made); [] without a pool."""
        return list(self.pool._processes) if self.pool else []  # the executor has no public way

    def run(
        self,
        tasks: list[Task],
        display: Display,
        on_done: Callable[[str, float], None],
        checking=None,
        on_checked: Callable[[], None] = lambda: None,
    ) -> None:
        """Run the chapters; as each starts and finishes the display is told (a heartbeat names
        the long ones meanwhile) and ``on_done(name, seconds)`` is called (the build converts it
        to HTML while the others run). On a failure the caller stops the workers (futures are not
        cancelled here: a cancelled future of a pool whose workers are then stopped makes Python
        3.11's executor print a spurious InvalidStateError, gh-107219).

        ``checking`` (``validate.Checking``): table checks still running on the pool. A chapter
        is handed to the pool once the tables it reads are checked and sound, so the workers go
        on from the last checks to the first chapters without waiting for every table;
        ``on_checked()`` is called when all checks are done (it raises if a table is unsound;
        a chapter that failed meanwhile is reported after the tables' problems). Without a pool
        the chapters run here one after another (``runs_here``), their kernels checking the
        tables they read, and the build checks every table after them.

        The display is told a chapter started when a worker is free for it (workers take work in
        the order given): at most ``workers`` at a time, the next as one finishes."""
        if checking is None or not checking.open():
            on_checked()
            checking = None
        if not tasks:
            if checking is not None:
                wait(checking.open())
                on_checked()
            return
        width = min(self.workers, len(tasks)) if self.pool else 1
        with Heartbeat(display.beat, display.heartbeat_seconds):
            if self.pool is None:
                for stem in [t.notebook.stem for t in tasks][:1]:
                    display.chapter_started(stem)
                for i, (name, seconds) in enumerate(map(run_task, tasks)):
                    display.chapter_done(name, seconds)
                    on_done(name, seconds)
                    if i + 1 < len(tasks):
                        display.chapter_started(tasks[i + 1].notebook.stem)
                return
            try:
                self._run_pool(tasks, display, on_done, checking, on_checked, width)
            except BrokenProcessPool:
                raise broken_pool() from None

    def _run_pool(self, tasks, display, on_done, checking, on_checked, width) -> None:
        """Keep ``width`` chapters with the workers, taking them in the order given (longest
        first) among those whose tables are checked. While checks still wait for a worker only
        the first chapter may join them: the workers take work in turn, and a short chapter
        handed over early would keep a long one waiting."""
        waiting = list(tasks)  # not handed to the pool yet, in order
        running: dict = {}  # future → chapter

        def checks_queued() -> bool:
            return checking is not None and any(not f.running() for f in checking.open())

        def hand_over() -> None:
            while waiting and len(running) < width:
                ready = [t for t in waiting if checking is None or checking.ready(t.reads)]
                if not ready or (checks_queued() and ready[0] is not waiting[0]):
                    return
                task = ready[0]
                waiting.remove(task)
                # its worker starts a kernel for its next chapter when there will be one
                task = dataclasses.replace(task, ahead=len(waiting) >= width)
                future = (  # ahead of the checks not yet given
                    feed.submit(run_task, task, first=True)
                    if checking is not None and feed is not None
                    else self.pool.submit(run_task, task)
                )
                running[future] = task.notebook.stem
                display.chapter_started(task.notebook.stem)

        def checks_finished() -> None:
            nonlocal checking
            if checking is not None and not checking.open():
                checking = None
                on_checked()

        feed = getattr(checking, "feed", None)
        if feed is not None:  # a check that ends may make a chapter ready: it goes first
            feed.pace()
        try:
            hand_over()
            while running or waiting:
                if feed is not None:
                    feed.pump()
                pending = [*running, *(checking.open() if checking is not None else [])]
                finished, _ = wait(pending, return_when=FIRST_COMPLETED, timeout=0.2)
                checks_finished()
                for future in [f for f in finished if f in running]:
                    running.pop(future)
                    try:
                        name, seconds = future.result()
                    except BaseException:
                        if checking is not None:  # a table's problem is said first
                            if feed is not None:  # unpaced: nobody pumps any more
                                feed.close()
                            wait(checking.open())
                            checks_finished()
                        raise
                    display.chapter_done(name, seconds)
                    on_done(name, seconds)
                hand_over()
                if waiting and not running and checking is None:  # on_checked raises first
                    raise RuntimeError(f"未能运行：{[t.notebook.stem for t in waiting]}")
        finally:  # also when a chapter or a table failed: the feeding thread ends
            if feed is not None:
                feed.close()

    def tasks(self, chapters: list[tuple[Path, Path, dict, tuple]], failures: Path) -> list[Task]:
        """Tasks in the given order (notebook, output, parameters, the table-years it reads);
        the first ``len - workers`` start a kernel for a later one."""
        n = len(chapters)
        return [
            Task(nb, out, params, failures, i < n - self.workers, tuple(reads))
            for i, (nb, out, params, reads) in enumerate(chapters)
        ]

    def close(self, failed: bool) -> None:
        """Stop the workers (each stops its spare kernel) or this process's spare kernel; after a
        failure every process the build started is stopped first."""
        if failed:
            processes.terminate_children(grace=1.0)
        from helpers.run import forked

        if self.pool:
            self.pool.shutdown(wait=True)
            if self.shared:
                forked.TEMPLATE.release()  # the workers' kernel template
        else:
            SPARE.clear()
            forked.TEMPLATE.stop()  # this process's template ends with the build
