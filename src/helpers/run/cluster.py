"""Many reports (workspaces × years) on a Dask distributed cluster: every chapter of every report
is a task on the cluster's workers; everything else stays on this machine, the client.

What runs where:

- the client plans every report first (parameters, declaration, narrative: all checked before
  anything runs), then builds each report in a thread of its own exactly as ``build._build``
  does: the year's lock, keys, reuse of unchanged chapters, the table checks, assembly into
  ``reports/.<year>.tmp-<pid>`` and the atomic publish by rename;
- a worker runs one chapter: it starts a kernel, runs the notebook with ``execute.run_chapter``
  into a temporary folder of its own and returns the executed notebook (and the kernel's log)
  as bytes. The client writes them into the report's temporary folder.

Returning the notebook, rather than writing it into the report's folder, makes a task
idempotent: a worker that dies mid-chapter leaves nothing in any report, and the scheduler runs
the task again on another worker (``distributed.scheduler.allowed-failures``, 3 by default);
only the client ever writes a report. Workers need the notebooks, the raw tables and the table
cache at the same paths as the client (a shared folder), since a chapter reads them where the
parameters say.

Chapter errors are not retried (they would fail the same way): that report fails, its last good
version is left as it was, and the others go on; the first error is raised at the end.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from helpers.errors import ReportError
from helpers.run import folders
from helpers.run.pool import Task
from helpers.run.progress import display

log = logging.getLogger(__name__)

LOCAL = "local"

# nbconvert's exporter, python-docx and WeasyPrint are not known to be thread-safe: the client
# converts chapters and assembles one report at a time (the chapters run on the cluster meanwhile)
CLIENT_WORK = threading.Lock()


class ClusterError(ReportError):
    """The cluster cannot be reached, or distributed is not installed."""


def connect(scheduler: str, workers: int = 2):
    """A Client of the scheduler at ``scheduler`` (tcp://host:8786), or of a LocalCluster of
    ``workers`` processes of one thread each started here for ``local``. Returns (client, cluster
    or None): the caller closes both."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ClusterError(
            "在集群上生成需要 distributed 程序包，但本机没有安装。",
            fix="pip install -e .[cluster]（本机和每台 worker 机器都要安装）",
        ) from None
    if not log.isEnabledFor(logging.INFO):  # the cluster's own chatter only with -v
        logging.getLogger("distributed").setLevel(logging.WARNING)
    cluster = None
    try:
        if scheduler == LOCAL:
            cluster = LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
            )
            return Client(cluster), cluster
        return Client(scheduler, timeout="20s"), None
    except OSError as exc:
        if cluster is not None:
            cluster.close()
        raise ClusterError(
            f"连接不上 {scheduler} 的 Dask 调度器（{exc}）。",
            fix="先用 `dask scheduler` 启动调度器，再以 tcp://主机:8786 的形式给出它的地址；"
            "或用 --scheduler local 在本机启动",
        ) from None


def run_chapter_task(
    notebook: str, parameters: dict, failures: str
) -> tuple[str, float, bytes, bytes]:
    """On a worker: run one chapter in a kernel of its own into a private temporary folder and
    return (chapter, seconds, the executed notebook, the kernel's log). Writes nothing that a
    second attempt would find (a failed notebook goes to the failures folder, as locally)."""
    from helpers.run import execute

    start = time.perf_counter()
    nb = Path(notebook)
    with tempfile.TemporaryDirectory(prefix="lawreport-chapter-") as folder:
        output, log_file = Path(folder) / nb.name, Path(folder) / "kernel.log"
        with open(log_file, "ab") as sink:
            km = execute.start_kernel(nb.parent, stderr=sink)
        execute.run_chapter(nb, output, parameters, Path(failures), km=km)
        return nb.stem, time.perf_counter() - start, output.read_bytes(), log_file.read_bytes()


class ClusterRunner:
    """Runs one report's chapters as tasks on the cluster; the same interface as
    ``pool.ChapterRunner`` (``tasks``, ``run``, ``close``), for ``build._build``."""

    pool = None  # the tables are checked on the client

    def __init__(self, client, label: str, year: int, log_dir: Path):
        self.client, self.label, self.year, self.log_dir = client, label, year, log_dir
        self.futures: list = []
        self.holding = False
        workers = client.scheduler_info().get("workers", {}) if client is not None else {}
        self.workers = max(1, len(workers))  # chapters that run at once, for the progress

    def tasks(self, chapters: list[tuple[Path, Path, dict, tuple]], failures: Path) -> list[Task]:
        return [Task(nb, out, params, failures, False) for nb, out, params, _ in chapters]

    def run(
        self,
        tasks: list[Task],
        shown,
        on_done: Callable[[str, float], None],
        checking=None,
        on_checked: Callable[[], None] = lambda: None,
    ) -> None:
        """Submit the chapters, and as each comes back write it into the report's temporary
        folder and call ``on_done``; then hold the client's lock for the assembly (``close``
        lets it go). The tables were checked on the client (``pool`` is None)."""
        from distributed import as_completed

        on_checked()

        by_key = {}
        for t in tasks:
            key = f"chapter-{self.label}-{t.notebook.stem}-{os.urandom(4).hex()}"
            future = self.client.submit(
                run_chapter_task,
                str(t.notebook),
                t.parameters,
                str(t.failures),
                key=key,
                pure=False,
            )
            self.futures.append(future)
            by_key[key] = t
            shown.chapter_started(t.notebook.stem)
        for future in as_completed(self.futures):
            stem, seconds, notebook, kernel_log = future.result()
            task = by_key[future.key]
            task.output.write_bytes(notebook)
            (self.log_dir / f"{stem}.log").write_bytes(kernel_log)
            with CLIENT_WORK:
                on_done(stem, seconds)
            shown.chapter_done(stem, seconds)
        CLIENT_WORK.acquire()
        self.holding = True

    def close(self, failed: bool) -> None:
        if failed:  # the client may be closed already (Ctrl-C): the temporary folder still goes
            with contextlib.suppress(Exception):
                self.client.cancel(self.futures)
        if self.holding:
            self.holding = False
            CLIENT_WORK.release()


def build_many(
    workspaces: Iterable,
    years: Iterable[int],
    scheduler: str,
    *,
    data_dir: Path | str | None = None,
    pdf_output: bool = True,
    force: bool = False,
    docx_template: Path | str | None = None,
    progress: Callable[[str], None] = log.info,
    client=None,
) -> list:
    """Build every report (workspace × year) with its chapters on the cluster at ``scheduler``
    (``local``: a LocalCluster here), each published atomically into its workspace's reports
    folder. ``client``: an existing distributed Client (then ``scheduler`` is not used). Returns
    the BuildResults in order; when a report fails the others are still built, and the first
    error is raised at the end."""
    from helpers.run import build
    from helpers.workspace import Workspace

    plans = [
        build.plan_build(
            year, Workspace.of(ws), data_dir, None, None, None, pdf_output, docx_template
        )
        for ws in workspaces
        for year in years
    ]
    closing = client is None
    if closing:
        client, cluster = connect(scheduler)
    try:
        # no folders.private_tmp() here: no kernel runs on the client, and a LocalCluster's
        # nanny restarting a dead worker would hand it this process's $TMPDIR, removed later
        with ThreadPoolExecutor(max(1, len(plans))) as threads:
            futures = [threads.submit(_one, plan, force, progress, client) for plan in plans]
            outcomes = []
            try:
                for f in futures:
                    try:
                        outcomes.append(f.result())
                    except Exception as exc:  # said at the end, after the others finished
                        outcomes.append(exc)
            except KeyboardInterrupt:  # Ctrl-C: every chapter task is cancelled, so every
                client.close()  # report not yet published fails and is left as it was
                raise
    finally:
        if closing:
            client.close()
            if cluster is not None:
                cluster.close()
    errors = [o for o in outcomes if isinstance(o, BaseException)]
    for plan, outcome in zip(plans, outcomes, strict=True):
        if isinstance(outcome, BaseException):
            progress(f"{_label(plan)}：生成失败，上一次的报告保持原样：{outcome}")
    if errors:
        raise errors[0]
    return outcomes


def _label(plan) -> str:
    return f"{plan.workspace.root.name} {plan.year}"


def _one(plan, force: bool, progress, client):
    """One report, as ``build.build_report`` builds it, its chapters on the cluster."""
    from helpers.run import build

    label = _label(plan)

    def say(message: str) -> None:
        progress(f"[{plan.workspace.root.name}] {message.strip()}")

    def make_runner(jobs, notebook_dir, log_dir, chapters):
        return ClusterRunner(client, label.replace(" ", "-"), plan.year, log_dir)

    result = build.BuildResult(plan.year, plan.folder)
    try:
        return build._build(plan, None, force, display(say), result, make_runner)
    except OSError as exc:
        raise folders.output_error(exc, plan.reports_dir) from None


@contextlib.contextmanager
def local_cluster(workers: int = 2):
    """A LocalCluster of ``workers`` single-thread processes and its Client (tests, bench)."""
    client, cluster = connect(LOCAL, workers)
    try:
        yield client
    finally:
        client.close()
        cluster.close()
