"""Build a year's report: check inputs, execute chapters, assemble, publish atomically.

Everything is written into a temporary folder next to ``reports/<year>/`` and moved into place
only when every step succeeded, so a failed or interrupted build leaves the last good report.
A chapter whose inputs did not change is not executed again (see ``incremental``); when nothing
changed, nothing is rebuilt. Heavy modules (papermill, nbconvert, WeasyPrint) are imported only
when there is work for them.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import logging
import multiprocessing
import os
import shutil
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from . import cache, incremental, paths, processes, validate
from .errors import BuildLockedError, DataError, NarrativeError, OutputError, ReportError
from .params import load_params

log = logging.getLogger(__name__)


@dataclass
class BuildResult:
    """Where the report went and how long each step took."""

    year: int
    folder: Path
    timings: dict[str, float] = field(default_factory=dict)
    executed: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    unchanged: bool = False
    warnings: list[str] = field(default_factory=list)  # about the data, listed in the draft notes
    left_out: list[dict] = field(default_factory=list)  # non-empty: the report is a draft


@contextlib.contextmanager
def _year_lock(reports_dir: Path, year: int):
    reports_dir.mkdir(parents=True, exist_ok=True)
    with open(reports_dir / f".{year}.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BuildLockedError(
                f"Another build of {year} is running (lock {reports_dir / f'.{year}.lock'}).",
                fix="wait for it to finish, then build again",
            ) from None
        yield


def _publish(tmp: Path, final: Path) -> None:
    """Swap the finished folder into place; the old report is removed only after the swap."""
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    if final.exists():
        final.rename(old)
    tmp.rename(final)
    shutil.rmtree(old, ignore_errors=True)


@contextlib.contextmanager
def _interruptible():
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


_spare: dict = {}  # in a pool worker (or a build without pool): the kernel started for the next chapter


def _worker_start(notebook_dir: str, log_file: str) -> None:
    """Pool worker set-up: leave Ctrl-C to the main process, and start a kernel for the first
    chapter while the tables are being checked."""
    from multiprocessing.util import Finalize

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _spare["dir"], _spare["log"] = Path(notebook_dir), log_file
    Finalize(None, _stop_spare, exitpriority=10)  # runs when the pool shuts the worker down
    _start_spare()


def _stop_spare() -> None:
    from . import execute

    km = _spare.pop("km", None)
    if km is not None:
        execute.stop_kernel(km)


def _start_spare() -> None:
    from . import execute

    Path(_spare["log"]).parent.mkdir(parents=True, exist_ok=True)
    with open(
        _spare["log"], "ab"
    ) as sink:  # kernels' own stderr (shutdown chatter) goes to the log
        _spare["km"] = execute.start_kernel(_spare["dir"], stderr=sink)


def _run_one(args: tuple[Path, Path, dict, Path, bool]) -> tuple[str, float]:
    """Run one chapter: on the kernel started ahead for it, else with a new kernel.

    ``ahead``: a later chapter will come to this process, so its kernel is started now and
    imports the helpers while this chapter runs."""
    from . import execute

    notebook, output, parameters, failures, ahead = args
    start = time.perf_counter()
    ready = _spare.get("dir") == notebook.parent  # this process starts kernels ahead
    km = _spare.pop("km", None) if ready else None
    if ready and ahead:
        _start_spare()
    if km is not None:
        execute.run_chapter(notebook, output, parameters, failures, km=km)
    else:
        _run_logged(notebook, output, parameters, failures)
    return notebook.stem, time.perf_counter() - start


def _run_logged(notebook: Path, output: Path, parameters: dict, failures: Path) -> None:
    """Run a chapter in this process; the kernel's stderr goes to logs/<chapter>.log."""
    from . import execute

    log_file = output.parent.parent / "logs" / f"{notebook.stem}.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    saved = os.dup(2)
    with open(log_file, "ab") as sink:
        os.dup2(sink.fileno(), 2)
        try:
            execute.run_chapter(notebook, output, parameters, failures)
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def build_report(
    year: int,
    *,
    data_dir: Path | None = None,
    reports_dir: Path | None = None,
    params_dir: Path | None = None,
    notebooks_dir: Path | None = None,
    pdf_output: bool = True,
    jobs: int | None = None,
    force: bool = False,
    progress: Callable[[str], None] = log.info,
) -> BuildResult:
    """Build ``reports/<year>/``: notebooks, chapter HTML, report.html, .pdf and .docx, metrics.csv.

    ``force`` executes every chapter and assembles again even when nothing changed.
    """
    from .execute import chapter_parameters

    reports_dir = reports_dir or paths.REPORTS
    if data_dir or os.environ.get("LAWREPORT_DATA"):
        data_dir = paths.data_dir(data_dir)  # absolute: kernels run in notebooks/
    params = load_params(year, params_dir)
    validate.check_folders(data_dir)
    _require_some_data(year, data_dir)
    notebooks = paths.chapter_notebooks(notebooks_dir)
    check_narrative(year, [incremental.section(nb) for nb in notebooks])
    available = {**params, "data_dir": str(data_dir) if data_dir else None}
    chapter_params = {nb: chapter_parameters(nb, available) for nb in notebooks}
    result = BuildResult(year, reports_dir / str(year))
    try:
        with _private_tmp():
            return _build_locked(
                year, params, notebooks, chapter_params, data_dir, reports_dir, pdf_output, jobs,
                force, progress, result,
            )  # fmt: skip
    except OSError as exc:
        raise _output_error(exc, reports_dir) from None


@contextlib.contextmanager
def _private_tmp():
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


def _output_error(exc: OSError, reports_dir: Path) -> ReportError | OSError:
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


def _check_target(reports_dir: Path, year: int) -> None:
    """Refuse to build where a file (not a report folder) stands: it would be moved aside."""
    for path in (reports_dir, reports_dir / str(year)):
        if path.exists() and not path.is_dir():
            raise OutputError(
                f"{path} is a file, not a folder of reports; nothing was changed.",
                fix=f"move or rename {path.name} (it may be yours), or build into another "
                "folder with --reports-dir",
            )


def _clear_leftovers(reports_dir: Path, year: int) -> None:
    """Remove what a build of this year that died (kill -9, power cut, full disk) left behind:
    its temporary and old folders. Holding the year's lock, no other build of it is running."""
    for pattern in (f".{year}.tmp-*", f".{year}.old-*"):
        for path in reports_dir.glob(pattern):
            log.warning("removing %s, left by a build that did not finish", path)
            shutil.rmtree(path, ignore_errors=True)


def _build_locked(
    year, params, notebooks, chapter_params, data_dir, reports_dir, pdf_output, jobs, force,
    progress, result,
) -> BuildResult:  # fmt: skip
    """The build proper, holding the year's lock: keys, reuse, checks, chapters, assembly, publish."""
    _check_target(reports_dir, year)
    with _year_lock(reports_dir, year), _interruptible():
        _clear_leftovers(reports_dir, year)
        start = time.perf_counter()
        code = cache.code_digest()
        keys = {
            nb.stem: incremental.chapter_key(nb, chapter_params[nb], year, data_dir, code)
            for nb in notebooks
        }
        assembly_key = cache.text_digest(
            json.dumps(keys, sort_keys=True),
            code,
            json.dumps(params, sort_keys=True, ensure_ascii=False),
            str(pdf_output),
        )
        previous = incremental.read_manifest(result.folder)
        result.timings["keys"] = time.perf_counter() - start
        if (
            not force
            and previous.get("assembly") == assembly_key
            and (result.folder / "report.html").exists()
        ):
            result.unchanged, result.reused = True, [nb.stem for nb in notebooks]
            progress(f"{year}: nothing changed since the last build; {result.folder} is up to date")
            return result
        tmp = reports_dir / f".{year}.tmp-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        for sub in ("notebooks", "chapters", "logs"):
            (tmp / sub).mkdir(parents=True)
        run = _reuse_unchanged(notebooks, keys, previous, result, tmp, force, progress)
        # a pool of workers checks the tables, then runs the chapters, each in its own kernel;
        # one chapter (or --jobs 1) runs from this process, its kernel starting right now
        notebook_dir = notebooks[0].parent if notebooks else paths.NOTEBOOKS
        pool = _new_pool(min(jobs or os.cpu_count() or 1, len(run)), notebook_dir, tmp / "logs")
        if pool is None and run:
            _spare.update(dir=notebook_dir, log=str(tmp / "logs" / "kernels.log"))
            _start_spare()
        pages: dict[str, str] = {}  # chapter HTML, converted as each chapter finishes

        def convert(name: str) -> None:
            from .assemble import chapter_html

            pages[name] = chapter_html(tmp / "notebooks" / f"{name}.ipynb")

        try:
            _check_tables(year, data_dir, progress, result, pool, params)
            threading.Thread(target=_preload_assembly, args=(pdf_output,), daemon=True).start()
            _execute_all(
                # largest inputs first, so the longest chapters do not start last
                sorted(run, key=lambda nb: -incremental.input_bytes(nb, year, data_dir)),
                chapter_params,
                tmp,
                reports_dir / "failures" / str(year),
                pool,
                progress,
                result,
                on_done=convert,
            )
            _assemble(tmp, notebooks, pages, params, pdf_output, progress, result)
            seconds = {k: round(v, 3) for k, v in result.timings.items()}
            incremental.write_manifest(
                tmp,
                {
                    "assembly": assembly_key,
                    "chapters": keys,
                    "year": year,
                    "seconds": seconds,
                    "draft": bool(result.left_out),
                    "left_out": result.left_out,
                },
            )
            _publish(tmp, result.folder)
            from .assemble import write_index

            write_index(reports_dir)
        except BaseException:
            if run:  # stop the workers and the kernels they run or started ahead
                processes.terminate_children(grace=1.0)
            raise
        finally:
            if pool:
                pool.shutdown(wait=True)  # each worker stops its spare kernel
            else:
                with contextlib.suppress(Exception):
                    _stop_spare()
                _spare.clear()
            shutil.rmtree(tmp, ignore_errors=True)
    progress(f"{year}: report ready in {result.folder}")
    return result


def _require_some_data(year: int, data_dir) -> None:
    """A year with no raw table at all is a mistake (wrong folder, wrong year), not a report of gaps."""
    from . import loader
    from .figures import needs

    for table, y in needs(year, data_dir):
        if y == year:
            try:
                if loader.table_file(table, year, data_dir) is not None:
                    return
            except DataError:
                return  # a file is there (two of them, even): the table check reports it
    raise DataError(
        f"There are no raw tables for {year} at all in {paths.data_dir(data_dir)}.",
        expected=f"files named {year}.csv, {year}.xlsx or {year}.parquet in the table folders",
        fix=f"export {year}'s tables into data/raw/<table>/ (see data/README.md), or check --data-dir",
    )


def check_narrative(year: int, sections: list[str] | None = None) -> None:
    """The year's narrative inputs are sound: every slot names something its chapter computes and
    every claim word is backed by a condition (all problems at once, before anything runs)."""
    from .narrative import check_year

    problems = check_year(year, sections=sections)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise NarrativeError(
            f"{len(problems)} problems in the narrative inputs of {year}:\n\n"
            + "\n\n".join(str(p) for p in problems)
        )


def _reuse_unchanged(notebooks, keys, previous, result, tmp, force, progress) -> list[Path]:
    """Copy the last build's results of chapters whose key is unchanged; return the ones to run."""
    old = result.folder
    reuse = (
        []
        if force
        else [
            nb
            for nb in notebooks
            if previous.get("chapters", {}).get(nb.stem) == keys[nb.stem]
            and (old / "notebooks" / nb.name).exists()
            and (old / "chapters" / f"{nb.stem}.html").exists()
        ]
    )
    for nb in reuse:
        shutil.copy2(old / "notebooks" / nb.name, tmp / "notebooks" / nb.name)
        shutil.copy2(old / "chapters" / f"{nb.stem}.html", tmp / "chapters" / f"{nb.stem}.html")
    result.reused = [nb.stem for nb in reuse]
    run = [nb for nb in notebooks if nb not in reuse]
    result.executed = [nb.stem for nb in run]
    if reuse:
        progress(
            f"{result.year}: reusing {len(reuse)} unchanged chapter(s): {', '.join(result.reused)}"
        )
    return run


def _check_tables(
    year: int, data_dir, progress, result: BuildResult, pool=None, params=None
) -> None:
    """Every table the year needs meets the contract (cached tables were checked before), and
    what the parameters ask of the tables holds (the city is in the province's table)."""
    from .loader import ValidationError

    start = time.perf_counter()
    checked = validate.check_year(year, data_dir, pool)
    progress(f"{year}: {len(checked)} raw tables checked")
    found = validate.problems(checked)
    if not found and params:
        found = validate.cross_checks(checked, params, data_dir)
    if found:
        raise ValidationError(found)
    for gap in validate.missing(checked):
        log.warning(
            "no %s for %d: the figures that need it are left out with a note", gap.table, gap.year
        )
    for check in checked:  # e.g. far fewer rows than the year before: said in the draft notes
        for warning in getattr(check, "warnings", []):
            log.warning(warning)
            result.warnings.append(warning)
    result.timings["validate"] = time.perf_counter() - start


def _assemble(
    tmp: Path,
    notebooks: list[Path],
    pages: dict[str, str],
    params: dict,
    pdf_output: bool,
    progress,
    result: BuildResult,
) -> None:
    """report.html, the chapter pages of the chapters that ran (``pages``: their HTML without
    fonts), metrics.csv, report.docx and report.pdf."""
    from . import assemble, fonts, word

    start = time.perf_counter()
    progress(f"{params['year']}: assembling report.html, report.docx")
    chapters = [assemble.read_chapter(tmp / "notebooks" / nb.name) for nb in notebooks]
    assemble.apply_notes(chapters, params["notes"])
    missing = assemble.left_out(chapters, result.warnings)
    result.left_out = missing
    draft = assemble.DRAFT_MARK if missing else ""
    if missing:
        progress(
            f"{params['year']}: draft — {len(missing)} thing(s) left out (listed in report.html)"
        )
    report_page = assemble.report_html(chapters, params, embed=False, missing=missing)
    font_css = fonts.subset_css(assemble.visible_text(report_page, *pages.values()))
    for name, page in pages.items():
        (tmp / "chapters" / f"{name}.html").write_text(
            assemble.with_fonts(page, font_css), encoding="utf-8"
        )
    (tmp / "report.html").write_text(assemble.with_fonts(report_page, font_css), encoding="utf-8")
    assemble.write_metrics(chapters, tmp / "metrics.csv")
    word.write_docx(chapters, params, tmp / "report.docx", draft=draft)
    result.timings["html+docx"] = time.perf_counter() - start
    if pdf_output:
        from . import pdf

        start = time.perf_counter()
        progress(f"{params['year']}: writing report.pdf")
        page = assemble.report_html(chapters, params, screen=False, missing=missing)
        pdf.write_pdf(page, tmp / "report.pdf", draft=draft)
        result.timings["pdf"] = time.perf_counter() - start


def _new_pool(jobs: int, notebook_dir: Path, log_dir: Path) -> ProcessPoolExecutor | None:
    """Worker processes (spawned: no kernel inherits a forked state), each starting a kernel ahead
    while the tables are checked; None for fewer than two jobs."""
    if jobs < 2:
        return None
    return ProcessPoolExecutor(
        jobs,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_worker_start,
        initargs=(str(notebook_dir), str(log_dir / "kernels.log")),
    )


def _preload_assembly(pdf_output: bool) -> None:
    """Import nbconvert, python-docx, HarfBuzz (and WeasyPrint when a PDF is wanted) and compile
    the chapter template while the chapters run: about 1.5 s that assembly does not wait for."""
    with contextlib.suppress(Exception):
        from . import assemble, fonts, word  # noqa: F401

        assemble._exporter()
        fonts.preload()
        if pdf_output:
            import weasyprint  # noqa: F401


def _execute_all(
    notebooks, chapter_params, tmp, failures, pool, progress, result, on_done=None
) -> None:
    """Run the chapters; as each one finishes, progress is reported and ``on_done(name)`` called
    (the main process converts it to HTML while the others run). On a failure the caller stops
    the workers (futures are not cancelled here: a cancelled future of a pool whose workers are
    then stopped makes Python 3.11's executor print a spurious InvalidStateError, gh-107219)."""
    workers = pool._max_workers if pool else 1
    # each worker starts with a kernel; the first len - workers chapters start one ahead for a later one
    tasks = [
        (
            nb,
            tmp / "notebooks" / nb.name,
            chapter_params[nb],
            failures,
            i < len(notebooks) - workers,
        )
        for i, nb in enumerate(notebooks)
    ]
    if not tasks:
        return
    progress(f"executing {len(tasks)} chapter(s) with {min(workers, len(tasks))} job(s)")
    if pool:
        done = (f.result() for f in as_completed([pool.submit(_run_one, t) for t in tasks]))
    else:
        done = map(_run_one, tasks)
    for i, (name, seconds) in enumerate(done, 1):
        result.timings[f"chapter {name}"] = seconds
        progress(f"  [{i}/{len(tasks)}] {name} {seconds:.1f} s")
        if on_done:
            on_done(name)
