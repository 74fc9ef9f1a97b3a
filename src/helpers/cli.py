"""``lawreport``: a thin command line over build_report, the sample generator and the checks."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

from helpers import paths
from helpers.errors import ReportError


def _year(text: str) -> int:
    """A report year as argparse reads it: four digits, 2000–2100."""
    text = text.strip()
    if not (text.isdigit() and len(text) == 4 and 2000 <= int(text) <= 2100):
        raise argparse.ArgumentTypeError(f"{text!r} is not a year; write it as 2021")
    return int(text)


def _positive(text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of at least 1")
    return int(text)


def _years(text: str) -> list[int]:
    """``2020-2022`` (a range, first to last) or ``2020,2022`` (a list)."""
    try:
        if "-" in text:
            first, last = (_year(x) for x in text.split("-", 1))
            if first > last:
                raise argparse.ArgumentTypeError(
                    f"{text!r} runs backwards; write the first year first: {last}-{first}"
                )
            return list(range(first, last + 1))
        return sorted({_year(x) for x in text.split(",")})
    except argparse.ArgumentTypeError:
        raise
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a list of years; write 2020-2022 or 2020,2022"
        ) from None


def _say(message: str) -> None:
    print(message, flush=True)


def cmd_build(args) -> int:
    from helpers.run.build import build_report

    years = args.years or [args.year]
    for year in years:
        start = time.perf_counter()
        result = build_report(
            year,
            workspace=args.workspace,
            data_dir=args.data_dir,
            reports_dir=args.reports_dir,
            notebooks_dir=args.notebooks_dir,
            pdf_output=not args.no_pdf,
            jobs=args.jobs,
            force=args.force,
            progress=_say,
        )
        what = "checked" if result.unchanged else "built"
        _say(f"{year}: {what} in {time.perf_counter() - start:.1f} s → {result.folder}")
    return 0


def cmd_sample(args) -> int:
    from helpers.sample import generate
    from helpers.workspace import Workspace

    start = time.perf_counter()
    data_dir = args.data_dir
    if args.workspace:  # a second sample organ: its inputs from the project's, its own tables
        ws = Workspace.at(args.workspace)
        for path in ws.create_from_project(organ=args.organ):
            _say(f"wrote {path}")
        data_dir = data_dir or ws.data
    elif args.organ:
        raise ReportError("--organ names the organ of a new workspace", fix="add --workspace DIR")
    files = generate(data_dir, scale=args.scale, seed=args.seed)
    size = sum(f.stat().st_size for f in files)
    _say(
        f"wrote {len(files)} sample files ({size / 1e6:.1f} MB) to {paths.data_dir(data_dir)} "
        f"in {time.perf_counter() - start:.1f} s"
    )
    return 0


def cmd_validate(args) -> int:
    from helpers.data.validate import check_year, no_files_error
    from helpers.data.validate import cross_checks as validate_cross
    from helpers.workspace import Workspace

    ws = Workspace.of(args.workspace)
    data_dir = args.data_dir or (None if ws.is_project else ws.data)
    loader_log = logging.getLogger("helpers.data.loader")
    level = loader_log.level
    if not getattr(args, "verbose", False):  # its warnings are listed below, under their table
        loader_log.setLevel(logging.ERROR)
    try:
        results = check_year(args.year, data_dir, workspace=ws)
    finally:
        loader_log.setLevel(level)
    empty = no_files_error(results, args.year, data_dir)
    if empty is not None:
        raise empty
    bad = 0
    try:
        from helpers.inputs.params import load_params

        params = load_params(args.year, ws.params)
    except ReportError:
        params = None  # no parameters yet: what they ask of the tables is checked at build time
    cross = validate_cross(results, params, data_dir) if params else []
    for r in results:
        if r.missing:
            _say(f"! {r.table} {r.year}: no file ({r.file}); the report leaves out what needs it")
        elif r.problems:
            bad += len(r.problems)
            _say(f"✗ {r.table} {r.year}: {len(r.problems)} problem(s)")
            for p in r.problems:
                _say("    " + str(p).replace("\n", "\n    "))
        else:
            extra = (
                f", {r.dropped_other_years} row(s) dated in another year dropped"
                if r.dropped_other_years
                else ""
            )
            mapped = f"; {r.mapped}" if r.mapped else ""
            _say(f"✓ {r.table} {r.year}: {r.rows} rows ({r.file.name}{mapped}){extra}")
        for warning in r.warnings:
            _say(f"    ⚠ warning: {warning}")
    for p in cross:
        bad += 1
        _say("✗ " + str(p).replace("\n", "\n    "))
    from helpers.inputs.narrative import check_year as check_narrative
    from helpers.inputs.narrative import narrative_file

    text_problems = check_narrative(args.year, ws.narrative, workspace=ws)
    if text_problems:
        _say(f"✗ {narrative_file(args.year, ws.narrative)}: {len(text_problems)} problem(s)")
        for p in text_problems:
            _say("    " + str(p).replace("\n", "\n    "))
    else:
        _say(f"✓ {narrative_file(args.year, ws.narrative)}: every slot and claim word checked")
    bad += len(text_problems)
    gaps = sum(r.missing for r in results)
    warned = sum(len(r.warnings) for r in results)
    _say(f"{len(results)} table(s) checked, {bad} problem(s), {warned} warning(s), {gaps} missing")
    return 1 if bad else 0


def cmd_check(args) -> int:
    from helpers.check.compare import check_document

    try:
        result = check_document(args.file, args.year, data_dir=args.data_dir)
    except ReportError as exc:  # one line: the file, what is wrong and what to do
        fix = f"; {exc.fix}" if exc.fix else ""
        print(f"error: {exc.message.splitlines()[0].rstrip('.。')}{fix}", file=sys.stderr)
        return 2
    for line in result.lines(every=args.all):
        _say(line)
    return 0 if result.ok else 1


def cmd_new_chapter(args) -> int:
    from helpers.inputs.scaffold import new_chapter

    made = new_chapter(
        args.name, title=args.title, workspace=args.workspace, after=args.after, year=args.year
    )
    for path in made.files:
        _say(f"wrote {path}")
    _say(
        f"chapter {made.name}: its figure {made.figure} counts the rows of {made.table};"
        " build the report to see it, then edit the files above"
    )
    return 0


def cmd_dictionary(args) -> int:
    from helpers.data.dictionary import write

    _say(f"wrote {write()}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="lawreport", description="法治政府建设年度报告: build from raw tables"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="show the package's log")
    sub = parser.add_subparsers(dest="command", required=True)

    b = sub.add_parser(
        "build", help="build the report of one or several years into reports/<year>/"
    )
    which = b.add_mutually_exclusive_group(required=True)
    which.add_argument("--year", type=_year, help="report year, e.g. 2021")
    which.add_argument("--years", type=_years, help="several years: 2020-2022 or 2020,2022")
    b.add_argument("--no-pdf", action="store_true", help="skip report.pdf")
    b.add_argument(
        "--force", action="store_true", help="run every chapter again even if nothing changed"
    )
    b.add_argument(
        "--jobs", type=_positive, default=None, help="chapters run at once (default: cores)"
    )
    b.add_argument(
        "--workspace", type=Path, default=None, help="an organ's folder (default: the project)"
    )
    b.add_argument("--data-dir", type=Path, default=None, help="raw tables (default: data/raw)")
    b.add_argument("--reports-dir", type=Path, default=None, help="output (default: reports)")
    b.add_argument(
        "--notebooks-dir", type=Path, default=None, help="chapter notebooks (default: notebooks)"
    )
    b.set_defaults(func=cmd_build)

    s = sub.add_parser("sample", help="write the deterministic sample raw tables")
    s.add_argument(
        "--scale", type=float, default=1.0, help="multiply record counts (0.01 for fast tests)"
    )
    s.add_argument("--seed", type=int, default=None)
    s.add_argument("--data-dir", type=Path, default=None)
    s.add_argument(
        "--workspace",
        type=Path,
        default=None,
        help="make a sample organ's workspace in this folder",
    )
    s.add_argument("--organ", default=None, help="the sample organ's name (with --workspace)")
    s.set_defaults(func=cmd_sample)

    v = sub.add_parser("validate", help="check every raw table a year's report needs")
    v.add_argument("--year", type=_year, required=True)
    v.add_argument("--workspace", type=Path, default=None)
    v.add_argument("--data-dir", type=Path, default=None)
    v.set_defaults(func=cmd_validate)

    c = sub.add_parser(
        "check",
        help="check the figures of a report as edited (.docx, .pdf, .html, .txt) against the data",
    )
    c.add_argument("file", type=Path, help="the report to check")
    c.add_argument("--year", type=_year, required=True, help="report year whose data to compare")
    c.add_argument("--data-dir", type=Path, default=None, help="raw tables (default: data/raw)")
    c.add_argument("--all", action="store_true", help="list every figure found as well")
    c.set_defaults(func=cmd_check)

    n = sub.add_parser(
        "new-chapter",
        help="start a new chapter that builds at once (declaration, notebook, figures, table, text)",
    )
    n.add_argument("name", help="the chapter's name: lower-case letters, digits, _")
    n.add_argument("--title", default=None, help="its title in Chinese, e.g. 普法宣传")
    n.add_argument(
        "--after", default=None, help="the chapter it follows (default: the last section)"
    )
    n.add_argument(
        "--year", type=_year, default=None, help="the first year it is in (default: latest)"
    )
    n.add_argument("--workspace", type=Path, default=None)
    n.set_defaults(func=cmd_new_chapter)

    d = sub.add_parser("dictionary", help="regenerate data/README.md from the data contract")
    d.set_defaults(func=cmd_dictionary)

    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if getattr(args, "seed", 0) is None:
        from helpers.sample import DEFAULT_SEED

        args.seed = DEFAULT_SEED
    try:
        return args.func(args)
    except ReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `lawreport check … | head`: the reader stopped reading
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except KeyboardInterrupt:
        print("interrupted: the previous report is left as it was", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
