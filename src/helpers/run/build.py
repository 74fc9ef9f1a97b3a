"""Build a year's report, step by step: plan it from the workspace's inputs (parameters, the
declaration of its chapters, the narrative, the notebooks), key every chapter, reuse what did
not change, check the tables, run the other chapters, assemble, publish.

Everything is written into a temporary folder next to ``reports/<year>/`` and moved into place
only when every step succeeded, so a failed or interrupted build leaves the last good report
(``folders``). Chapters run in kernels started ahead (``pool``). Heavy modules (pandas,
jupyter_client, papermill, nbconvert, python-docx, WeasyPrint) are imported only when there is
work for them: a build that finds nothing changed imports none of them.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from helpers.data import cache, files
from helpers.errors import (
    ChapterError,
    DataError,
    DeclarationError,
    NarrativeError,
    ValidationError,
)
from helpers.inputs import declaration
from helpers.inputs.declaration import Entry
from helpers.inputs.params import load_params
from helpers.run import folders, incremental
from helpers.run.progress import Display, display
from helpers.workspace import Workspace

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
    titles: dict[str, str] = field(default_factory=dict)  # chapter page (notebook stem) → title


@dataclass
class Plan:
    """What one year's build is made of, checked before anything runs."""

    year: int
    workspace: Workspace
    params: dict
    data_dir: Path
    reports_dir: Path
    entries: list[Entry]  # the year's chapters, in order and numbered
    notebooks: dict[str, Path]  # chapter → notebook, for the chapters that run one
    parameters: dict[str, dict]  # chapter → the parameters injected into its notebook
    pdf_output: bool = True
    faces: dict = field(default_factory=dict)  # role → fonts.Font (fonts.resolve)
    docx_template: Path | None = None  # the office's Word template, if any

    @property
    def folder(self) -> Path:
        return self.reports_dir / str(self.year)


def build_report(
    year: int,
    *,
    workspace: Workspace | Path | str | None = None,
    data_dir: Path | str | None = None,
    reports_dir: Path | str | None = None,
    params_dir: Path | str | None = None,
    notebooks_dir: Path | str | None = None,
    pdf_output: bool = True,
    jobs: int | None = None,
    force: bool = False,
    progress: Display | Callable[[str], None] = log.info,
    docx_template: Path | str | None = None,
) -> BuildResult:
    """Build ``reports/<year>/`` of a workspace (default: the project): notebooks, chapter HTML,
    report.html, .pdf and .docx, metrics.csv. ``force`` runs every chapter and assembles again
    even when nothing changed; ``notebooks_dir`` builds only the chapters whose notebooks are
    there (their numbers stay those of the whole report). ``progress`` is a display
    (``progress.for_terminal()``) or a callable given one line at a time; ``docx_template``: the
    office's Word template (default: the workspace's templates/reference.docx when it exists)."""
    options = dict(
        workspace=workspace,
        data_dir=data_dir,
        reports_dir=reports_dir,
        params_dir=params_dir,
        notebooks_dir=notebooks_dir,
        pdf_output=pdf_output,
        jobs=jobs,
        force=force,
        docx_template=docx_template,
    )
    return build_reports([year], progress=progress, **options)[0]


def build_reports(
    years: list[int],
    *,
    progress: Display | Callable[[str], None] = log.info,
    **options,
) -> list[BuildResult]:
    """Build several years one after the other (``options``: those of ``build_report``), saying
    year n/N once a year's inputs are checked (an error in them is the first thing said); the
    display is closed when the last year is built or one fails."""
    shown = display(progress)
    results = []
    try:
        for i, year in enumerate(years, 1):
            results.append(_build_year(year, shown, (i, len(years)), **options))
    finally:
        shown.close()
    return results


def _build_year(
    year: int,
    shown: Display,
    position: tuple[int, int],
    jobs: int | None = None,
    force: bool = False,
    **inputs,
) -> BuildResult:
    """One year's build; ``inputs``: those of ``plan_build`` (workspace, data_dir …)."""
    start = time.perf_counter()
    plan = plan_build(year, **inputs)
    shown.year(*position, year)
    result = BuildResult(year, plan.folder)
    try:
        with folders.private_tmp():
            return _build(plan, jobs, force, shown, result)
    except BrokenProcessPool:  # a worker lost while it started or checked tables
        from helpers.run import processes
        from helpers.run.pool import broken_pool

        # the other workers may wait for ever on a queue lock the lost one held; the pool's
        # thread waits for them at exit
        processes.terminate_children(grace=1.0)
        raise broken_pool() from None
    except OSError as exc:
        raise folders.output_error(exc, plan.reports_dir) from None
    finally:
        result.timings["total"] = time.perf_counter() - start


def plan_build(
    year: int,
    workspace=None,
    data_dir=None,
    reports_dir=None,
    params_dir=None,
    notebooks_dir=None,
    pdf_output: bool = True,
    docx_template=None,
) -> Plan:
    """Read and check the build's inputs: parameters, folders, the declaration, the notebooks,
    that there is data for the year at all, and the narrative (every problem at once)."""
    from helpers.render import fonts
    from helpers.run.notebooks import chapter_parameters

    ws = Workspace.of(workspace)
    template = _docx_template(docx_template, ws)
    faces = fonts.resolve(fonts.FontSearch.default(ws.root))
    params = load_params(year, Path(params_dir) if params_dir else ws.params)
    data = Path(data_dir or os.environ.get("LAWREPORT_DATA") or ws.data).expanduser().resolve()
    files.check_folders(data)
    entries = declaration.load(ws).for_year(year)
    notebooks = {e.name: _notebook(e, ws, notebooks_dir) for e in entries if e.chapter.notebook}
    if notebooks_dir:  # only the chapters whose notebooks are there
        notebooks = {k: v for k, v in notebooks.items() if v.parent == Path(notebooks_dir)}
        entries = [e for e in entries if e.name in notebooks]
    check_declaration(entries, notebooks, ws)
    _require_some_data(year, data, ws)
    check_narrative(year, [e.name for e in entries], ws)
    available = {**params, "data_dir": str(data), "workspace": str(ws.root)}
    parameters = {name: chapter_parameters(nb, available) for name, nb in notebooks.items()}
    return Plan(
        year,
        ws,
        params,
        data,
        Path(reports_dir) if reports_dir else ws.reports,
        entries,
        notebooks,
        parameters,
        pdf_output,
        faces,
        template,
    )


def _docx_template(given, ws: Workspace) -> Path | None:
    """The Word template: the one given (it must exist), else the workspace's if it has one;
    opened once here, so that a broken one stops the build before any chapter runs."""
    from helpers.errors import LayoutError

    if given is None:
        path = ws.docx_template
        if path is None:
            return None
    else:
        path = Path(given).expanduser().resolve()
        if not path.is_file() or path.suffix.lower() not in (".docx", ".dotx"):
            raise LayoutError(
                f"Word 模板 {path} 不存在，或不是 .docx / .dotx 文件。",
                fix="给出本单位模板的路径（保存为 Word 文档 .docx 或模板 .dotx）",
            )
    from helpers.render.word import open_template  # python-docx: only when there is a template

    open_template(path)
    return path


def _notebook(entry: Entry, ws: Workspace, notebooks_dir) -> Path:
    if notebooks_dir and (Path(notebooks_dir) / f"{entry.chapter.notebook}.ipynb").exists():
        return Path(notebooks_dir) / f"{entry.chapter.notebook}.ipynb"
    return ws.notebook(entry.chapter.notebook)


def _build(
    plan: Plan,
    jobs: int | None,
    force: bool,
    shown: Display,
    result: BuildResult,
    make_runner=None,
) -> BuildResult:
    """The build proper, holding the year's lock: keys, reuse, checks, chapters, assembly, publish.
    ``make_runner`` makes what runs the chapters (default ``pool.ChapterRunner``, imported only
    when something runs; ``cluster.ClusterRunner``: a Dask cluster's workers)."""
    folders.check_target(plan.reports_dir, plan.year)
    with folders.year_lock(plan.reports_dir, plan.year), folders.interruptible():
        folders.clear_leftovers(plan.reports_dir, plan.year)
        jobs = jobs or os.cpu_count() or 1
        ahead = _template_ahead(  # (let go below)
            make_runner is None
            and min(jobs, len(plan.notebooks)) >= 2
            and (force or not (plan.folder / "manifest.json").exists())
        )
        tmp = None
        try:
            start = time.perf_counter()
            code_at_start = cache.code_digest()  # see the manifest below
            keys, assembly_key = _keys(plan)
            previous = incremental.read_manifest(plan.folder)
            result.timings["keys"] = time.perf_counter() - start
            if (
                not force
                and previous.get("assembly") == assembly_key
                and (plan.folder / "report.html").exists()
            ):
                result.unchanged, result.reused = True, [nb.stem for nb in plan.notebooks.values()]
                shown.step(f"{plan.year}年：自上次构建以来没有任何改变，{plan.folder} 已是最新")
                return result
            tmp = plan.reports_dir / f".{plan.year}.tmp-{os.getpid()}"
            shutil.rmtree(tmp, ignore_errors=True)
            for sub in ("notebooks", "chapters", "logs"):
                (tmp / sub).mkdir(parents=True)
            run = _reuse_unchanged(plan, keys, previous, result, tmp, force, shown)
            # a pool of workers checks the tables, then runs the chapters, each in its own kernel;
            # one chapter (or --jobs 1) runs from this process, its kernel starting right now
            first_dir = next(iter(plan.notebooks.values())).parent if plan.notebooks else tmp
            preload = _Preload(plan.pdf_output)
            if make_runner is None:
                from helpers.run.pool import ChapterRunner

                make_runner = ChapterRunner
                if min(jobs, len(run)) >= 2:
                    # a pool waits for the kernel template to import what its workers use, this
                    # process idle and a core free: assembly's imports meanwhile
                    preload.start()
            runner = make_runner(jobs, first_dir, tmp / "logs", len(run))
            # a pool's runner holds the template now (shared); else the chapter runs here, on a
            # kernel of this process's template, which the runner stops when it closes
            if not getattr(runner, "shared", False):
                ahead.pop_all()
        except BaseException:  # Ctrl-C while the workers start: no empty folder left behind
            if tmp is not None:
                folders.discard(tmp)  # (a worker still starting may write its log there)
            raise
        finally:
            ahead.close()
        pages: dict[str, str] = {}  # chapter HTML, converted as each chapter finishes

        def done(stem: str, seconds: float) -> None:
            from helpers.render.assemble import chapter_html

            result.timings[f"chapter {stem}"] = seconds
            pages[stem] = chapter_html(tmp / "notebooks" / f"{stem}.ipynb")

        failed = True
        finish = contextlib.ExitStack()
        try:
            from helpers.figures.base import years_read

            # the longest chapters first (by the last build's times, else the largest inputs),
            # so that they do not start last; their tables are checked first
            entry = {e.name: e for e in plan.entries}
            last = previous.get("seconds", {})
            order = sorted(
                run,
                key=lambda n: (
                    -last.get(f"chapter {plan.notebooks[n].stem}", 0.0),
                    -incremental.input_bytes(entry[n], plan.year, plan.data_dir),
                ),
            )
            reads = {
                n: years_read(entry[n].chapter.tables, plan.year, plan.data_dir) for n in order
            }
            start = time.perf_counter()
            # one chapter to run (a table or a chapter changed) runs here at once: its kernel
            # checks the tables it reads as it loads them, and the build checks every table
            # after it, answered from the cache the kernel filled, without importing pandas
            # (1.4 s less in a rebuild). Else the tables are checked first: on a pool's
            # workers, many at a time, or here before chapters run one after another (--jobs 1)
            after = len(run) == 1 and getattr(runner, "runs_here", False)
            checking = (
                None
                if after
                else _start_checks(plan, runner.pool, [reads[n] for n in order], runner.workers)
            )
            chapters = [
                (
                    plan.notebooks[n],
                    tmp / "notebooks" / plan.notebooks[n].name,
                    plan.parameters[n],
                    reads[n],
                )
                for n in order
            ]
            failures = plan.reports_dir / "failures" / str(plan.year)

            def checked() -> None:  # every table checked: problems stop the build here
                _tables_checked(plan, checking, shown, result, start)
                # assembly's imports, while the chapters run (not while the tables are checked:
                # on two cores the first chapter waits for its tables), unless started before
                preload.start()

            if checking is not None and not checking.open():  # checked here, or all before
                checked()
            if chapters:
                titles = {plan.notebooks[n].stem: entry[n].chapter.label for n in order}
                shown.chapters(plan.year, titles, min(runner.workers, len(chapters)))
            if after:
                preload.start()
                try:
                    runner.run(runner.tasks(chapters, failures), shown, done)
                except Exception:  # a table's problem is said, not the chapter failure it caused
                    checking = _start_checks(plan)
                    try:
                        checked()
                    except ValidationError:  # no failed notebook is kept for it either
                        _drop_failed(failures, [plan.notebooks[n].stem for n in run])
                        raise
                    raise
                start = time.perf_counter()
                checking = _start_checks(plan)
                checked()
            elif checking.open():  # on a pool a chapter starts once the tables it reads are checked
                runner.run(runner.tasks(chapters, failures), shown, done, checking, checked)
            else:
                runner.run(runner.tasks(chapters, failures), shown, done)
            _assemble(plan, tmp, pages, shown, result)
            seconds = {k: round(v, 3) for k, v in result.timings.items()}
            if cache.code_digest() != code_at_start:
                # the helpers changed while the chapters ran: some kernels may have run the new
                # code, some the old; the keys (made from the old) must not vouch for this report
                keys, assembly_key = {}, None
                shown.step(
                    f"{plan.year}年：生成期间 helpers 的代码改变了，各章用的可能不是同一版代码；"
                    "下次生成会重新运行所有章节"
                )
            incremental.write_manifest(
                tmp,
                {
                    "assembly": assembly_key,
                    "chapters": keys,
                    "year": plan.year,
                    "workspace": str(plan.workspace.root),
                    "seconds": seconds,
                    "fonts": {role: f.describe() for role, f in plan.faces.items()},
                    "docx_template": str(plan.docx_template) if plan.docx_template else None,
                    "draft": bool(result.left_out),
                    "left_out": result.left_out,
                    "built": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
                    "titles": result.titles,
                },
            )
            finish.enter_context(folders.finishing())  # no interrupt once it is published
            folders.publish(tmp, plan.folder)
            from helpers.render.assemble import write_index

            write_index(plan.reports_dir)
            failed = False
        except ChapterError:
            _keep_logs(tmp / "logs", plan.reports_dir / "failures" / str(plan.year) / "logs")
            raise
        finally:
            try:
                runner.close(failed=failed and bool(run))
            finally:  # Ctrl-C while the workers or the spare kernel stop: the folder still goes
                with folders.finishing():
                    folders.discard(tmp)
                finish.close()
    shown.step(f"{plan.year}年：报告已生成，在 {plan.folder}")
    return result


def _keys(plan: Plan) -> tuple[dict[str, str], str]:
    """Each chapter's key (by notebook name), and the assembly's."""
    from helpers.render import fonts

    # every change of the code re-assembles the report; only the kernels' code runs chapters
    # again (and another chart font: charts are drawn in the chapters)
    code, kernel = cache.code_digests(None, cache.KERNEL_CODE)
    kernel_code = cache.text_digest(kernel, fonts.chart_identity(plan.faces))
    cache.prefetch_digests(
        {
            path
            for entry in plan.entries
            for path in incremental.table_files(entry, plan.year, plan.data_dir).values()
            if path
        }
    )
    keys = {
        nb.stem: incremental.chapter_key(
            next(e for e in plan.entries if e.name == name),
            nb,
            plan.parameters[name],
            plan.year,
            plan.data_dir,
            kernel_code,
            plan.workspace.narrative,
            plan.workspace,
        )
        for name, nb in plan.notebooks.items()
    }
    headings = [  # chapters without a notebook are a heading from the narrative
        incremental.declaration_inputs(e)
        + incremental.narrative_inputs(e, plan.year, plan.workspace.narrative)
        for e in plan.entries
        if e.name not in plan.notebooks
    ]
    assembly_key = cache.text_digest(
        json.dumps(keys, sort_keys=True),
        *(f"{name}:{cache.file_digest(path)}" for name, path in _compared_with(plan)),
        code,
        json.dumps(plan.params, sort_keys=True, ensure_ascii=False),
        str(plan.pdf_output),
        *headings,
        *(f.identity() for f in plan.faces.values()),
        _template_identity(plan.docx_template),
    )
    return keys, assembly_key


def _compared_with(plan: Plan) -> list[tuple[str, Path]]:
    """The files of the year before that no chapter reads but the checks compare a table's rows
    with (far fewer rows than last year is warned of, and makes the report a draft): a change
    to one of them assembles the report again, as a full build would warn. Named by table and
    year, not by folder: a copy of the data elsewhere is no change."""
    from helpers.data.validate import compared_files
    from helpers.figures import needs

    pairs = needs(plan.year, plan.data_dir, plan.workspace)
    return [(f"{t} {y}", path) for t, y, path in compared_files(pairs, plan.data_dir)]


def _template_identity(template: Path | None) -> str:
    """The Word template's path and content: another or an edited template reassembles."""
    return f"{template}|{cache.file_digest(template)}" if template else "no template"


def _reuse_unchanged(plan, keys, previous, result, tmp, force, shown: Display) -> list[str]:
    """Copy the last build's results of chapters whose key is unchanged; return the chapters to run."""
    old = plan.folder
    reuse = []
    for name, nb in plan.notebooks.items():
        if (
            not force
            and previous.get("chapters", {}).get(nb.stem) == keys[nb.stem]
            and (old / "notebooks" / nb.name).exists()
            and (old / "chapters" / f"{nb.stem}.html").exists()
        ):
            shutil.copy2(old / "notebooks" / nb.name, tmp / "notebooks" / nb.name)
            shutil.copy2(old / "chapters" / f"{nb.stem}.html", tmp / "chapters" / f"{nb.stem}.html")
            reuse.append(name)
    result.reused = [plan.notebooks[n].stem for n in reuse]
    run = [n for n in plan.notebooks if n not in reuse]
    result.executed = [plan.notebooks[n].stem for n in run]
    if reuse:
        titles = "、".join(
            next(e for e in plan.entries if e.name == n).chapter.label for n in reuse
        )
        shown.step(f"{plan.year}年：沿用上次构建中未改变的 {len(reuse)} 章：{titles}")
    return run


# ------------------------------------------------------------------ checks before anything runs
def check_declaration(entries: list[Entry], notebooks: dict[str, Path], ws: Workspace) -> None:
    """Every chapter's notebook and figures module exist, it declares only tables of the contract,
    and every table its figures and words rest on is among those it declares."""
    from helpers import figures
    from helpers.data.contract import TABLES

    problems = []
    for e in entries:
        where = f"report.yaml 中的章 {e.name}"
        nb = notebooks.get(e.name)
        if e.chapter.notebook and nb is not None and not nb.exists():
            problems.append(f"{where}：它的笔记本 {nb} 不存在")
        unknown = sorted(set(e.chapter.tables) - set(TABLES))
        if unknown:
            problems.append(f"{where}：数据表 {unknown} 不在数据契约中")
        try:
            module = declaration.module(e.chapter, ws)
        except DeclarationError as exc:
            problems.append(exc.message)
            continue
        if module is None:
            continue
        rests_on = {**figures.owned(e.chapter, module), **getattr(module, "WORDS", {})}
        unowned = [f for f in figures.owned(e.chapter, module) if f not in module.FIGURES]
        if unowned:
            problems.append(f"{where}：它的 owns 列出了 {unowned}，但它的模块不计算这些数字")
        undeclared = sorted({t for ts in rests_on.values() for t in ts} - set(e.chapter.tables))
        if undeclared:
            problems.append(
                f"{where}：它的数字依据 {undeclared}，但它没有在 `tables:` 下声明这些表"
            )
    if problems:
        raise DeclarationError(
            f"{ws.declaration}：" + "；".join(problems) + "。",
            fix="改正 report.yaml（每一章声明它读取的数据表和年份）",
        )


def _require_some_data(year: int, data_dir: Path, ws: Workspace) -> None:
    """A year with no raw table at all is a mistake (wrong folder, wrong year), not a report of gaps."""
    from helpers.figures import needs

    for table, y in needs(year, data_dir, ws):
        if y == year:
            try:
                if files.table_file(table, year, data_dir) is not None:
                    return
            except DataError:
                return  # a file is there (two of them, even): the table check reports it
    raise DataError(
        f"{data_dir} 中完全没有 {year} 年的原始数据表。",
        expected=f"各表文件夹中名为 {year}.csv、{year}.xlsx 或 {year}.parquet 的文件",
        fix=f"把 {year} 年的数据表导出到 data/raw/<表名>/（见 data/README.md），或检查 --data-dir",
    )


def check_narrative(year: int, sections: list[str] | None = None, workspace=None) -> None:
    """The year's narrative inputs are sound: every chapter has its section, every slot names
    something its chapter computes and every claim word is backed by a condition (all problems
    at once, before anything runs)."""
    from helpers.inputs.narrative import check_year

    ws = Workspace.of(workspace)
    problems = check_year(year, ws.narrative, sections=sections, workspace=ws)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise NarrativeError(
            f"{year} 年的文字输入中有 {len(problems)} 个问题：\n\n"
            + "\n\n".join(str(p) for p in problems)
        )


def _drop_failed(failures: Path, stems: list[str]) -> None:
    """Take out the notebooks of chapters that failed on a table the checks then refused (the
    build says the table's problem; a kept notebook would say the chapter failed)."""
    for stem in stems:
        (failures / f"{stem}.ipynb").unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        failures.rmdir()  # only if nothing else is kept there
        failures.parent.rmdir()


def _keep_logs(logs: Path, kept: Path) -> None:
    """What the kernels printed in a build that failed, kept beside its failed notebooks (the
    build's temporary folder goes): the logs with anything in them, replacing those of the
    last failure."""
    written = [f for f in logs.glob("*.log") if f.is_file() and f.stat().st_size]
    if not written:
        return
    with contextlib.suppress(OSError):
        shutil.rmtree(kept, ignore_errors=True)
        kept.mkdir(parents=True)
        for f in written:
            shutil.copyfile(f, kept / f.name)


def _start_checks(plan: Plan, pool=None, first=(), workers=None):
    """Start checking every table the year needs (cached tables were checked before): on the
    pool's workers when there are many, the tables of the chapters ``first`` first, else here;
    ``validate.Checking``. The pool gets one check per worker at a time, so the first chapter
    handed to it goes ahead of the checks not yet started."""
    from helpers.data import validate

    return validate.start_year(plan.year, plan.data_dir, pool, plan.workspace, first, workers)


def _tables_checked(
    plan: Plan, checking, shown: Display, result: BuildResult, start: float
) -> None:
    """Every table meets the contract, and what the parameters ask of the tables holds (the city
    is in the province's table); say what is missing and warn of what looks incomplete."""
    from helpers.data import validate

    checked = checking.result()
    shown.step(f"{plan.year}年：已检查 {len(checked)} 张原始数据表")
    found = validate.problems(checked)
    if not found:
        found = validate.cross_checks(checked, plan.params, plan.data_dir, checking)
    if found:
        raise ValidationError(found)
    gaps = validate.missing(checked)
    if gaps:  # not an error: only what the text states from them is left out, with a note
        listed = "、".join(f"{g.table}（{g.year}年）" for g in gaps)
        shown.step(
            f"{plan.year}年：提示——没有这些数据表文件：{listed}；用到它们的数字算不出，"
            "正文若写到这些数字，会略去并注明（报告成为征求意见稿）"
        )
    for check in checked:  # e.g. far fewer rows than the year before: said in the draft notes
        for warning in check.warnings:
            log.warning(warning)
            result.warnings.append(warning)
    result.timings["validate"] = time.perf_counter() - start


# ------------------------------------------------------------------ assembly
def _assemble(
    plan: Plan, tmp: Path, pages: dict[str, str], shown: Display, result: BuildResult
) -> None:
    """report.html, the chapter pages of the chapters that ran (``pages``: their HTML without
    fonts), metrics.csv, report.docx and report.pdf."""
    from helpers.render import assemble, document, fonts, word

    start = time.perf_counter()
    year = plan.year
    shown.step(f"{year}年：正在汇编 report.html、report.docx")
    chapters = [
        assemble.read_chapter(tmp / "notebooks" / plan.notebooks[e.name].name)
        if e.name in plan.notebooks
        else _heading_chapter(e, plan)
        for e in plan.entries
    ]
    document.apply_notes(chapters, plan.params["notes"])
    missing = document.left_out(chapters, result.warnings)
    result.left_out = missing
    # the chapter pages by title in reports/index.html; the untitled opening is 报告开头
    result.titles = {ch.name: document.chapter_title(ch) for ch in chapters}
    result.titles.update({k: "报告开头" for k, v in result.titles.items() if v == k})
    draft = document.DRAFT_MARK if missing else ""
    if missing:
        shown.step(f"{year}年：征求意见稿——有 {len(missing)} 处内容略去（列在 report.html 中）")
    report_page = assemble.report_html(chapters, plan.params, embed=False, missing=missing)
    font_css = fonts.subset_css(assemble.visible_text(report_page, *pages.values()))
    for name, page in pages.items():
        (tmp / "chapters" / f"{name}.html").write_text(
            assemble.with_fonts(page, font_css), encoding="utf-8"
        )
    (tmp / "report.html").write_text(assemble.with_fonts(report_page, font_css), encoding="utf-8")
    assemble.write_metrics(chapters, tmp / "metrics.csv")
    _report_fonts(plan, shown)
    word.write_docx(
        chapters,
        plan.params,
        tmp / "report.docx",
        draft=draft,
        faces=plan.faces,
        template=plan.docx_template,
    )
    result.timings["html+docx"] = time.perf_counter() - start
    if plan.pdf_output:
        from helpers.render import pdf

        start = time.perf_counter()
        shown.step(f"{year}年：正在生成 report.pdf")
        page = assemble.report_html(chapters, plan.params, screen=False, missing=missing)
        pdf.write_pdf(page, tmp / "report.pdf", draft=draft, faces=plan.faces)
        result.timings["pdf"] = time.perf_counter() - start


def _report_fonts(plan: Plan, shown: Display) -> None:
    """Say which font serves each GB/T 9704 role, and which fell back to the pip-installed one."""
    from helpers.render.fonts import OFFICIAL

    said = []
    for role, f in plan.faces.items():
        where = "备用字体" if f.fallback else f"{f.source}：{f.path.name}"
        said.append(f"{OFFICIAL[role]} → {f.family}（{where}）")
    shown.step(f"{plan.year}年：字体——" + "；".join(said))
    if plan.docx_template:
        shown.step(f"{plan.year}年：report.docx 使用模板 {plan.docx_template}")


def _heading_chapter(entry: Entry, plan: Plan):
    """A chapter without a notebook: its numbered heading, from the narrative."""
    from helpers.figures.base import common
    from helpers.inputs import narrative
    from helpers.render.compose import compose
    from helpers.render.document import Chapter

    section = narrative.load(plan.year, entry.name, plan.workspace.narrative)
    blocks = compose(section, common(plan.year), {}, entry.number, entry.chapter.level)
    return Chapter(entry.name, blocks=blocks)


def _template_ahead(every_chapter_runs: bool) -> contextlib.ExitStack:
    """When every chapter will run on a pool (``--force``, or no report of the year yet), the
    kernel template starts now, its imports under way while the keys are made; closing the
    returned stack lets it go (the pool's runner holds it by then)."""
    ahead = contextlib.ExitStack()
    if every_chapter_runs:
        from helpers.run import forked

        if forked.enabled():
            forked.TEMPLATE.share()
            ahead.callback(forked.TEMPLATE.release)
    return ahead


class _Preload:
    """``_preload_assembly`` in a thread of its own, started once."""

    def __init__(self, pdf_output: bool) -> None:
        self.pdf_output = pdf_output
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        if self.thread is None:
            self.thread = threading.Thread(
                target=_preload_assembly, args=(self.pdf_output,), daemon=True
            )
            self.thread.start()


def _preload_assembly(pdf_output: bool) -> None:
    """Import nbconvert, python-docx, HarfBuzz (and WeasyPrint when a PDF is wanted) and compile
    the chapter template while the chapters run: about 1.8 s that assembly does not wait for."""
    with contextlib.suppress(Exception):
        from helpers.render import assemble, fonts, word  # noqa: F401  (imported: that is the work)

        assemble.warm()
        fonts.preload()
        if pdf_output:
            import weasyprint  # noqa: F401
