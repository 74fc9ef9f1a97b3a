"""Build a year's report, step by step: plan it from the workspace's inputs (parameters, the
declaration of its chapters, the narrative, the notebooks), key every chapter, reuse what did
not change, check the tables, run the other chapters, assemble, publish.

Everything is written into a temporary folder next to ``reports/<year>/`` and moved into place
only when every step succeeded, so a failed or interrupted build leaves the last good report
(``folders``). Chapters run in kernels started ahead (``pool``). Heavy modules (papermill,
nbconvert, WeasyPrint) are imported only when there is work for them.
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
from dataclasses import dataclass, field
from pathlib import Path

from helpers.data import cache, validate
from helpers.errors import DataError, DeclarationError, NarrativeError, ValidationError
from helpers.inputs import declaration
from helpers.inputs.declaration import Entry
from helpers.inputs.params import load_params
from helpers.run import folders, incremental
from helpers.run.pool import ChapterRunner
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
    progress: Callable[[str], None] = log.info,
    docx_template: Path | str | None = None,
) -> BuildResult:
    """Build ``reports/<year>/`` of a workspace (default: the project): notebooks, chapter HTML,
    report.html, .pdf and .docx, metrics.csv. ``force`` runs every chapter and assembles again
    even when nothing changed; ``notebooks_dir`` builds only the chapters whose notebooks are
    there (their numbers stay those of the whole report); ``docx_template``: the office's Word
    template (default: the workspace's templates/reference.docx when it exists)."""
    plan = plan_build(
        year, workspace, data_dir, reports_dir, params_dir, notebooks_dir, pdf_output, docx_template
    )
    result = BuildResult(year, plan.folder)
    try:
        with folders.private_tmp():
            return _build(plan, jobs, force, progress, result)
    except OSError as exc:
        raise folders.output_error(exc, plan.reports_dir) from None


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
    from helpers.run.execute import chapter_parameters

    ws = Workspace.of(workspace)
    template = _docx_template(docx_template, ws)
    faces = fonts.resolve(fonts.FontSearch.default(ws.root))
    params = load_params(year, Path(params_dir) if params_dir else ws.params)
    data = Path(data_dir or os.environ.get("LAWREPORT_DATA") or ws.data).expanduser().resolve()
    validate.check_folders(data)
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
    """The Word template: the one given (it must exist), else the workspace's if it has one."""
    from helpers.errors import LayoutError

    if given is None:
        return ws.docx_template if ws.docx_template.is_file() else None
    path = Path(given).expanduser().resolve()
    if not path.is_file() or path.suffix.lower() not in (".docx", ".dotx"):
        raise LayoutError(
            f"The Word template {path} is not a .docx or .dotx file here.",
            fix="give the path of the office's template (保存为 Word 文档 .docx 或模板 .dotx)",
        )
    return path


def _notebook(entry: Entry, ws: Workspace, notebooks_dir) -> Path:
    if notebooks_dir and (Path(notebooks_dir) / f"{entry.chapter.notebook}.ipynb").exists():
        return Path(notebooks_dir) / f"{entry.chapter.notebook}.ipynb"
    return ws.notebook(entry.chapter.notebook)


def _build(
    plan: Plan,
    jobs: int | None,
    force: bool,
    progress,
    result: BuildResult,
    make_runner=ChapterRunner,
) -> BuildResult:
    """The build proper, holding the year's lock: keys, reuse, checks, chapters, assembly, publish.
    ``make_runner`` makes what runs the chapters (``cluster.ClusterRunner``: a Dask cluster's workers)."""
    folders.check_target(plan.reports_dir, plan.year)
    with folders.year_lock(plan.reports_dir, plan.year), folders.interruptible():
        folders.clear_leftovers(plan.reports_dir, plan.year)
        start = time.perf_counter()
        keys, assembly_key = _keys(plan)
        previous = incremental.read_manifest(plan.folder)
        result.timings["keys"] = time.perf_counter() - start
        if (
            not force
            and previous.get("assembly") == assembly_key
            and (plan.folder / "report.html").exists()
        ):
            result.unchanged, result.reused = True, [nb.stem for nb in plan.notebooks.values()]
            progress(
                f"{plan.year}: nothing changed since the last build; {plan.folder} is up to date"
            )
            return result
        tmp = plan.reports_dir / f".{plan.year}.tmp-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        for sub in ("notebooks", "chapters", "logs"):
            (tmp / sub).mkdir(parents=True)
        run = _reuse_unchanged(plan, keys, previous, result, tmp, force, progress)
        # a pool of workers checks the tables, then runs the chapters, each in its own kernel;
        # one chapter (or --jobs 1) runs from this process, its kernel starting right now
        first_dir = next(iter(plan.notebooks.values())).parent if plan.notebooks else tmp
        runner = make_runner(jobs or os.cpu_count() or 1, first_dir, tmp / "logs", len(run))
        pages: dict[str, str] = {}  # chapter HTML, converted as each chapter finishes

        def done(stem: str, seconds: float) -> None:
            from helpers.render.assemble import chapter_html

            result.timings[f"chapter {stem}"] = seconds
            pages[stem] = chapter_html(tmp / "notebooks" / f"{stem}.ipynb")

        failed = True
        try:
            _check_tables(plan, progress, result, runner.pool)
            threading.Thread(target=_preload_assembly, args=(plan.pdf_output,), daemon=True).start()
            # largest inputs first, so the longest chapters do not start last
            entry = {e.name: e for e in plan.entries}
            order = sorted(
                run, key=lambda n: -incremental.input_bytes(entry[n], plan.year, plan.data_dir)
            )
            chapters = [
                (plan.notebooks[n], tmp / "notebooks" / plan.notebooks[n].name, plan.parameters[n])
                for n in order
            ]
            failures = plan.reports_dir / "failures" / str(plan.year)
            runner.run(runner.tasks(chapters, failures), progress, done)
            _assemble(plan, tmp, pages, progress, result)
            seconds = {k: round(v, 3) for k, v in result.timings.items()}
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
            folders.publish(tmp, plan.folder)
            from helpers.render.assemble import write_index

            write_index(plan.reports_dir)
            failed = False
        finally:
            runner.close(failed=failed and bool(run))
            shutil.rmtree(tmp, ignore_errors=True)
    progress(f"{plan.year}: report ready in {plan.folder}")
    return result


def _keys(plan: Plan) -> tuple[dict[str, str], str]:
    """Each chapter's key (by notebook name), and the assembly's."""
    from helpers.render import fonts

    code = cache.code_digest()  # every change re-assembles the report …
    # … only these run chapters again (and another chart font: charts are drawn in the chapters)
    kernel_code = cache.text_digest(
        cache.code_digest(cache.KERNEL_CODE), fonts.chart_identity(plan.faces)
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
        code,
        json.dumps(plan.params, sort_keys=True, ensure_ascii=False),
        str(plan.pdf_output),
        *headings,
        *(f.identity() for f in plan.faces.values()),
        _template_identity(plan.docx_template),
    )
    return keys, assembly_key


def _template_identity(template: Path | None) -> str:
    """The Word template's path and content: another or an edited template reassembles."""
    return f"{template}|{cache.file_digest(template)}" if template else "no template"


def _reuse_unchanged(plan, keys, previous, result, tmp, force, progress) -> list[str]:
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
        progress(
            f"{plan.year}: reusing {len(reuse)} unchanged chapter(s): {', '.join(result.reused)}"
        )
    return run


# ------------------------------------------------------------------ checks before anything runs
def check_declaration(entries: list[Entry], notebooks: dict[str, Path], ws: Workspace) -> None:
    """Every chapter's notebook and figures module exist, it declares only tables of the contract,
    and every table its figures and words rest on is among those it declares."""
    from helpers import figures
    from helpers.data.contract import TABLES

    problems = []
    for e in entries:
        where = f"report.yaml, chapter {e.name}"
        nb = notebooks.get(e.name)
        if e.chapter.notebook and nb is not None and not nb.exists():
            problems.append(f"{where}: its notebook {nb} does not exist")
        unknown = sorted(set(e.chapter.tables) - set(TABLES))
        if unknown:
            problems.append(f"{where}: the table(s) {unknown} are not in the data contract")
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
            problems.append(f"{where}: it owns {unowned}, which its module does not compute")
        undeclared = sorted({t for ts in rests_on.values() for t in ts} - set(e.chapter.tables))
        if undeclared:
            problems.append(
                f"{where}: its figures rest on {undeclared}, which it does not declare under `tables:`"
            )
    if problems:
        raise DeclarationError(
            f"{ws.declaration}: " + "; ".join(problems) + ".",
            fix="correct report.yaml (each chapter declares the tables and years it reads)",
        )


def _require_some_data(year: int, data_dir: Path, ws: Workspace) -> None:
    """A year with no raw table at all is a mistake (wrong folder, wrong year), not a report of gaps."""
    from helpers.data import loader
    from helpers.figures import needs

    for table, y in needs(year, data_dir, ws):
        if y == year:
            try:
                if loader.table_file(table, year, data_dir) is not None:
                    return
            except DataError:
                return  # a file is there (two of them, even): the table check reports it
    raise DataError(
        f"There are no raw tables for {year} at all in {data_dir}.",
        expected=f"files named {year}.csv, {year}.xlsx or {year}.parquet in the table folders",
        fix=f"export {year}'s tables into data/raw/<table>/ (see data/README.md), or check --data-dir",
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
            f"{len(problems)} problems in the narrative inputs of {year}:\n\n"
            + "\n\n".join(str(p) for p in problems)
        )


def _check_tables(plan: Plan, progress, result: BuildResult, pool=None) -> None:
    """Every table the year needs meets the contract (cached tables were checked before), and
    what the parameters ask of the tables holds (the city is in the province's table)."""
    start = time.perf_counter()
    checked = validate.check_year(plan.year, plan.data_dir, pool, plan.workspace)
    progress(f"{plan.year}: {len(checked)} raw tables checked")
    found = validate.problems(checked)
    if not found:
        found = validate.cross_checks(checked, plan.params, plan.data_dir)
    if found:
        raise ValidationError(found)
    for gap in validate.missing(checked):
        log.warning(
            "no %s for %d: the figures that need it are left out with a note", gap.table, gap.year
        )
    for check in checked:  # e.g. far fewer rows than the year before: said in the draft notes
        for warning in check.warnings:
            log.warning(warning)
            result.warnings.append(warning)
    result.timings["validate"] = time.perf_counter() - start


# ------------------------------------------------------------------ assembly
def _assemble(plan: Plan, tmp: Path, pages: dict[str, str], progress, result: BuildResult) -> None:
    """report.html, the chapter pages of the chapters that ran (``pages``: their HTML without
    fonts), metrics.csv, report.docx and report.pdf."""
    from helpers.render import assemble, document, fonts, word

    start = time.perf_counter()
    year = plan.year
    progress(f"{year}: assembling report.html, report.docx")
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
        progress(f"{year}: draft — {len(missing)} thing(s) left out (listed in report.html)")
    report_page = assemble.report_html(chapters, plan.params, embed=False, missing=missing)
    font_css = fonts.subset_css(assemble.visible_text(report_page, *pages.values()))
    for name, page in pages.items():
        (tmp / "chapters" / f"{name}.html").write_text(
            assemble.with_fonts(page, font_css), encoding="utf-8"
        )
    (tmp / "report.html").write_text(assemble.with_fonts(report_page, font_css), encoding="utf-8")
    assemble.write_metrics(chapters, tmp / "metrics.csv")
    _report_fonts(plan, progress)
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
        progress(f"{year}: writing report.pdf")
        page = assemble.report_html(chapters, plan.params, screen=False, missing=missing)
        pdf.write_pdf(page, tmp / "report.pdf", draft=draft, faces=plan.faces)
        result.timings["pdf"] = time.perf_counter() - start


def _report_fonts(plan: Plan, progress) -> None:
    """Say which font serves each GB/T 9704 role, and which fell back to the pip-installed one."""
    from helpers.render.fonts import OFFICIAL

    said = []
    for role, f in plan.faces.items():
        where = "fallback" if f.fallback else f"{f.source}: {f.path.name}"
        said.append(f"{OFFICIAL[role]} → {f.family} ({where})")
    progress(f"{plan.year}: fonts — " + "; ".join(said))
    if plan.docx_template:
        progress(f"{plan.year}: report.docx from the template {plan.docx_template}")


def _heading_chapter(entry: Entry, plan: Plan):
    """A chapter without a notebook: its numbered heading, from the narrative."""
    from helpers.figures.base import common
    from helpers.inputs import narrative
    from helpers.render.compose import compose
    from helpers.render.document import Chapter

    section = narrative.load(plan.year, entry.name, plan.workspace.narrative)
    blocks = compose(section, common(plan.year), {}, entry.number, entry.chapter.level)
    return Chapter(entry.name, blocks=blocks)


def _preload_assembly(pdf_output: bool) -> None:
    """Import nbconvert, python-docx, HarfBuzz (and WeasyPrint when a PDF is wanted) and compile
    the chapter template while the chapters run: about 1.5 s that assembly does not wait for."""
    with contextlib.suppress(Exception):
        from helpers.render import assemble, fonts, word  # noqa: F401  (imported: that is the work)

        assemble._exporter()
        fonts.preload()
        if pdf_output:
            import weasyprint  # noqa: F401
