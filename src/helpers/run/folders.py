"""The report's folder on disk: one build of a year at a time (a lock), refusal to move aside what
is not a report, a private temporary folder for everything a build's processes leave in $TMPDIR,
leftovers of killed builds cleared, write errors said in words, and the atomic swap that
publishes a finished report. Interrupts (Ctrl-C, SIGTERM) stop every process the build started."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import re
import shutil
import signal
import threading
import time
from pathlib import Path

from filelock import FileLock, Timeout

from helpers.errors import BuildLockedError, OutputError, ReportError

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
            f"{year}年的报告正由另一次构建生成（锁文件 {reports_dir / f'.{year}.lock'}）。",
            fix="等它结束后再构建",
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


AGAIN = 0.05  # seconds after which a signal that came in the middle of an import is sent again


def _importing(frame) -> bool:
    """Whether the main thread is inside Python's import system (taking or giving back a
    module's lock): a KeyboardInterrupt raised there is swallowed by a weakref callback and
    leaves the lock held, and the next import of that module waits forever (a SIGTERM hung
    the build about once in 15 tries)."""
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


@contextlib.contextmanager
def interruptible():
    """SIGTERM and SIGHUP (the terminal closed) behave like Ctrl-C, and any of them stops every
    worker and kernel this build started. One that comes while the main thread imports is
    sent again a moment later, once the import is done."""
    main = threading.current_thread() is threading.main_thread()
    names = [n for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n)]
    previous = {n: signal.getsignal(getattr(signal, n)) for n in names} if main else {}

    deferred = []  # when the signals sent again began (an import that never ends: at most 2 s)

    def _to_interrupt(signum, frame):
        if _importing(frame) and not (deferred and time.monotonic() - deferred[0] > 2):
            # raised in there, it can leave the import lock held: the build would hang
            deferred[:1] = deferred[:1] or [time.monotonic()]
            threading.Timer(AGAIN, os.kill, (os.getpid(), signum)).start()
            return
        raise KeyboardInterrupt(f"signal {signum}")

    for n in previous:
        signal.signal(getattr(signal, n), _to_interrupt)
    try:
        yield
    except KeyboardInterrupt:
        from helpers.run import processes  # psutil: only when there is something to stop

        processes.terminate_children()
        raise
    finally:
        for n, handler in previous.items():
            signal.signal(getattr(signal, n), handler)


@contextlib.contextmanager
def finishing():
    """After the report is published: Ctrl-C, SIGTERM and SIGHUP are ignored while the build
    finishes (the index of years, stopping its workers), so that an interrupt can no longer say
    the last report was kept when the new one is already in its place."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    names = [n for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n)]
    previous = {n: signal.signal(getattr(signal, n), signal.SIG_IGN) for n in names}
    try:
        yield
    finally:
        for n, handler in previous.items():
            signal.signal(getattr(signal, n), handler)


@contextlib.contextmanager
def private_tmp():
    """A temporary folder of this build for everything its processes put in $TMPDIR (kernels'
    sockets and connection files): removed at the end however the build ends, and the folders of
    builds that were killed (their process is gone) are removed at the next build's start."""
    import tempfile

    base = Path(tempfile.gettempdir())
    for stale in base.glob("lawreport-*-*"):
        pid = stale.name.split("-")[1]
        if pid.isdigit() and not _alive(int(pid)):
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


def discard(tmp: Path, settle: float = 0.3, tries: int = 10) -> None:
    """Remove a build's unpublished folder. A process the build started that was still starting
    as the build failed (a pool's worker making its spare kernel's log, the kernel forked just
    then opening it) may write into the folder while it is removed, leaving part of it: what is
    left is removed again a moment later (at most ``tries`` times)."""
    shutil.rmtree(tmp, ignore_errors=True)
    for _ in range(tries):
        if not tmp.exists():
            return
        time.sleep(settle)
        shutil.rmtree(tmp, ignore_errors=True)


def _alive(pid: int) -> bool:
    from helpers.run import processes  # psutil: only for a folder some build left

    return processes.alive(pid)


def output_error(exc: OSError, reports_dir: Path) -> ReportError | OSError:
    """A failed write, in words: which file, what is wrong (no permission, read-only, disk full)
    and what to do. Other OS errors are passed on as they are."""
    where = exc.filename or reports_dir
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        free = shutil.disk_usage(reports_dir if reports_dir.exists() else Path.cwd()).free
        return OutputError(
            f"磁盘已满：无法写入 {where}（剩余 {free / 1e6:.0f} MB）。上一次的报告保持原样。",
            fix="腾出一些空间（一份报告约占 15 MB；可运行 `lawreport clean` 或删除 .cache/），"
            "然后再构建",
        )
    if getattr(exc, "winerror", None) in (32, 33):  # Windows: a file is open in another program
        return OutputError(
            f"{where} 正被其他程序打开（例如在 Word、WPS 或 PDF 阅读器中打开了上一次的报告），"
            "无法替换。上一次的报告保持原样。",
            fix="关闭打开的 report.docx、report.pdf 等文件，然后再构建",
        )
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        what = "在只读磁盘上" if exc.errno == errno.EROFS else "您没有写入权限"
        return OutputError(
            f"{where} {what}。上一次的报告保持原样。",
            fix="构建到一个您能写入的文件夹（--reports-dir），或修改它的权限",
        )
    return exc


def check_target(reports_dir: Path, year: int) -> None:
    """Refuse to build where a file (not a report folder) stands, or into a report folder that
    holds a file of the user's: either would be moved aside or lost."""
    for path in (reports_dir, reports_dir / str(year)):
        if path.exists() and not path.is_dir():
            raise OutputError(
                f"{path} 是一个文件，不是存放报告的文件夹；没有做任何改动。",
                fix=f"移走或重命名 {path.name}（它可能是您的文件），或用 --reports-dir "
                "构建到另一个文件夹",
            )
    folder = reports_dir / str(year)
    foreign = foreign_files(folder) if folder.is_dir() else []
    if foreign:  # publishing replaces the whole folder: the user's own files would go with it
        raise OutputError(
            f"{folder} 中有不是本工具生成的文件（{'、'.join(foreign[:5])}），生成新报告会替换整个"
            "文件夹；没有做任何改动。",
            fix=f"把这些文件移到 {folder} 以外（例如改好的终稿另存到别处），再生成",
        )


def clear_leftovers(reports_dir: Path, year: int) -> None:
    """Remove what a build of this year that died (kill -9, power cut, full disk) left behind:
    its temporary and old folders. Holding the year's lock, no other build of it is running."""
    for pattern in (f".{year}.tmp-*", f".{year}.old-*"):
        for path in reports_dir.glob(pattern):
            log.warning("删除 %s：这是一次未完成的构建留下的", path)
            shutil.rmtree(path, ignore_errors=True)


# what a build writes into reports/<year>/ (anything else there is the user's)
OUTPUTS = {
    "report.html",
    "report.pdf",
    "report.docx",
    "metrics.csv",
    "manifest.json",
    "chapters",
    "notebooks",
    "logs",
}
# what the project keeps in its cache folder (.cache/ or $LAWREPORT_CACHE)
CACHE_ENTRIES = ("tables", "fonts", "bench", "digests.json", "rows.json")
_YEAR = re.compile(r"\d{4}")
_LEFTOVER = re.compile(r"\.\d{4}\.(tmp|old)-\d+|\.\d{4}\.lock")


def foreign_files(folder: Path) -> list[str]:
    """Names in a report folder that the build did not write."""
    return sorted(p.name for p in folder.iterdir() if p.name not in OUTPUTS)


def _remove(path: Path, say) -> int:
    """Delete a file or a folder (a link: only the link); say what went and how big it was."""
    if path.is_symlink() or path.is_file():
        size = 0 if path.is_symlink() else path.stat().st_size
        path.unlink()
    else:
        size = sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())
        shutil.rmtree(path)
    say(f"已删除 {path}（{size / 1e6:.1f} MB）")
    return 1


def clean_cache(cache: Path, say) -> int:
    """Delete the cache's own entries (never the folder's other contents, whatever
    $LAWREPORT_CACHE names); returns how many things were deleted."""
    return sum(
        _remove(cache / name, say) for name in CACHE_ENTRIES if os.path.lexists(cache / name)
    )


def clean_reports(reports: Path, say) -> int:
    """Delete the built reports of a reports folder: year folders the build wrote, the index,
    failures and what dead builds left. A link is not followed; a year folder with a file the
    build did not write is kept, naming the file."""
    if not reports.exists():
        return 0
    if reports.is_symlink() or not reports.is_dir():
        say(f"跳过 {reports}：它是链接或文件，不是本工具生成的报告文件夹；请手工处理")
        return 0
    removed = 0
    for path in sorted(reports.iterdir()):
        name = path.name
        if _YEAR.fullmatch(name) and path.is_dir() and not path.is_symlink():
            foreign = foreign_files(path)
            if foreign:
                say(
                    f"保留 {path}：其中有不是生成的文件（{'、'.join(foreign[:5])}），请先移走再删除"
                )
                continue
            removed += _remove(path, say)
        elif name in ("index.html", "failures") or _LEFTOVER.fullmatch(name):
            removed += _remove(path, say)
    return removed
