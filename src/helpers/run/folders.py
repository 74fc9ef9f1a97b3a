"""The report's folder on disk: one build of a year at a time (a lock), refusal to move aside what
is not a report, a private temporary folder for everything a build's processes leave in $TMPDIR,
leftovers of killed builds cleared, write errors said in words, and the atomic swap that
publishes a finished report. Interrupts (Ctrl-C, SIGTERM) stop every process the build started."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import shutil
import signal
import threading
from pathlib import Path

from filelock import FileLock, Timeout

from helpers.errors import BuildLockedError, OutputError, ReportError
from helpers.run import processes

log = logging.getLogger(__name__)


@contextlib.contextmanager
def year_lock(reports_dir: Path, year: int):
    """Hold ``reports/.<year>.lock`` while building; a second build of the year is refused at once
    (an OS lock on every system: released when the build ends, even by kill -9 or a power cut)."""
    reports_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(reports_dir / f".{year}.lock")
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise BuildLockedError(
            f"Another build of {year} is running (lock {reports_dir / f'.{year}.lock'}).",
            fix="wait for it to finish, then build again",
        ) from None
    try:
        yield
    finally:
        lock.release()


def publish(tmp: Path, final: Path) -> None:
    """Swap the finished folder into place; the old report is removed only after the swap."""
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    if final.exists():
        final.rename(old)
    tmp.rename(final)
    shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def interruptible():
    """SIGTERM behaves like Ctrl-C, and either stops every worker and kernel this build started."""
    main = threading.current_thread() is threading.main_thread()
    previous = signal.getsignal(signal.SIGTERM) if main else None

    def _to_interrupt(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    if main:
        signal.signal(signal.SIGTERM, _to_interrupt)
    try:
        yield
    except KeyboardInterrupt:
        processes.terminate_children()
        raise
    finally:
        if main:
            signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def private_tmp():
    """A temporary folder of this build for everything its processes put in $TMPDIR (kernels'
    sockets and connection files): removed at the end however the build ends, and the folders of
    builds that were killed (their process is gone) are removed at the next build's start."""
    import tempfile

    base = Path(tempfile.gettempdir())
    for stale in base.glob("lawreport-*-*"):
        pid = stale.name.split("-")[1]
        if pid.isdigit() and not processes.alive(int(pid)):
            shutil.rmtree(stale, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(prefix=f"lawreport-{os.getpid()}-", dir=base))
    saved_env, saved_tempdir = os.environ.get("TMPDIR"), tempfile.tempdir
    os.environ["TMPDIR"], tempfile.tempdir = str(folder), str(folder)
    try:
        yield folder
    finally:
        tempfile.tempdir = saved_tempdir
        if saved_env is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved_env
        shutil.rmtree(folder, ignore_errors=True)


def output_error(exc: OSError, reports_dir: Path) -> ReportError | OSError:
    """A failed write, in words: which file, what is wrong (no permission, read-only, disk full)
    and what to do. Other OS errors are passed on as they are."""
    where = exc.filename or reports_dir
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        free = shutil.disk_usage(reports_dir if reports_dir.exists() else Path.cwd()).free
        return OutputError(
            f"The disk is full: {where} could not be written ({free / 1e6:.0f} MB free). "
            "The last report is left as it was.",
            fix="free some space (a report takes about 15 MB; `lawreport clean` or delete .cache/), "
            "then build again",
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        what = "is on a read-only disk" if exc.errno == errno.EROFS else "may not be written by you"
        return OutputError(
            f"{where} {what}. The last report is left as it was.",
            fix="build into a folder you can write (--reports-dir), or change its permissions",
        )
    return exc


def check_target(reports_dir: Path, year: int) -> None:
    """Refuse to build where a file (not a report folder) stands: it would be moved aside."""
    for path in (reports_dir, reports_dir / str(year)):
        if path.exists() and not path.is_dir():
            raise OutputError(
                f"{path} is a file, not a folder of reports; nothing was changed.",
                fix=f"move or rename {path.name} (it may be yours), or build into another "
                "folder with --reports-dir",
            )


def clear_leftovers(reports_dir: Path, year: int) -> None:
    """Remove what a build of this year that died (kill -9, power cut, full disk) left behind:
    its temporary and old folders. Holding the year's lock, no other build of it is running."""
    for pattern in (f".{year}.tmp-*", f".{year}.old-*"):
        for path in reports_dir.glob(pattern):
            log.warning("removing %s, left by a build that did not finish", path)
            shutil.rmtree(path, ignore_errors=True)
