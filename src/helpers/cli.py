"""``lawreport``: a thin command line over build_report, the sample generator and the checks.

What it says is in Chinese first (the analysts' language); commands and option names stay as
they are typed."""

from __future__ import annotations

import argparse
import contextlib
import errno
import logging
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from helpers import paths
from helpers.errors import ReportError

DISTRIBUTION = "lawgov-report"

# argparse's own messages (Python has no Chinese catalogue for them), most specific first
_ARGPARSE_ZH = [
    (r"the following arguments are required: (.+)", r"缺少必需的参数：\1"),
    (r"one of the arguments (.+) is required", r"必须给出其中一个参数：\1"),
    (r"argument (\S+): not allowed with argument (\S+)", r"参数 \1 不能与 \2 同时使用"),
    (
        r"argument (\S+): invalid choice: (.+) \(choose from (.+)\)",
        r"参数 \1：没有 \2 这一项（可选：\3）",
    ),
    (r"argument (\S+): invalid (?:int|float) value: (.+)", r"参数 \1：\2 不是数字"),
    (r"argument (\S+): expected one argument", r"参数 \1 后面需要一个值"),
    (r"unrecognized arguments: (.+)", r"无法识别的参数：\1"),
    (r"ambiguous option: (\S+) could match (.+)", r"选项 \1 有歧义，可能是 \2"),
    (r"argument (\S+): (.+)", r"参数 \1：\2"),
]


def _argparse_zh(message: str) -> str:
    """argparse's English error, in Chinese where it is one we know."""
    for pattern, chinese in _ARGPARSE_ZH:
        if re.fullmatch(pattern, message, flags=re.S):
            return re.sub(pattern, chinese, message, flags=re.S)
    return message


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that speaks Chinese: usage, section titles, -h and its errors."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{_argparse_zh(message)}\n")


def _year(text: str) -> int:
    """A report year as argparse reads it: four digits, 2000–2100."""
    text = text.strip()
    if not (text.isdigit() and len(text) == 4):
        raise argparse.ArgumentTypeError(f"{text!r} 不是年份，请写成四位数字，如 2021")
    if not 2000 <= int(text) <= 2100:
        raise argparse.ArgumentTypeError(f"{text} 年不在 2000—2100 年之间：报告的年份只能是这些年")
    return int(text)


def _positive(text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} 不是不小于 1 的整数")
    return int(text)


def _port(text: str) -> int:
    if not text.strip().isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(
            f"{text!r} 不是端口号，请写 1 到 65535 之间的整数，如 8888"
        )
    return int(text)


def _docx(text: str) -> Path:
    """A Word template: an existing file whose name ends in .docx or .dotx."""
    path = Path(text).expanduser().absolute()
    if path.suffix.lower() not in (".docx", ".dotx"):
        raise argparse.ArgumentTypeError(
            f"Word 模板 {path} 不是 .docx 或 .dotx 文件；解决办法：在 Word 或 WPS 中把模板另存为"
            " .docx，再用 --docx-template 指定它"
        )
    if not path.is_file():
        raise argparse.ArgumentTypeError(
            f"找不到 Word 模板 {path}；解决办法：检查文件名和所在文件夹，或去掉 --docx-template 使用默认样式"
        )
    return path


def _years(text: str) -> list[int]:
    """``2020-2022`` (a range, first to last) or ``2020,2022`` (a list)."""
    try:
        if "-" in text:
            first, last = (_year(x) for x in text.split("-", 1))
            if first > last:
                raise argparse.ArgumentTypeError(
                    f"{text!r} 的年份前后颠倒了，请先写较早的年份：{last}-{first}"
                )
            return list(range(first, last + 1))
        return sorted({_year(x) for x in text.split(",")})
    except argparse.ArgumentTypeError:
        raise
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} 不是年份列表，请写成 2020-2022 或 2020,2022"
        ) from None


def version() -> str:
    """The installed version of the distribution; when it is not installed (run from a source
    folder), the version in pyproject.toml, said as such."""
    import importlib.metadata

    try:
        return importlib.metadata.version(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        pass
    try:
        import tomllib

        with open(paths.ROOT / "pyproject.toml", "rb") as f:
            return f"{tomllib.load(f)['project']['version']}（未安装，取自 pyproject.toml）"
    except (OSError, KeyError, ValueError):
        return "未知（未安装）"


class _Version(argparse.Action):
    """``--version``: the version is looked up only when asked for (importlib.metadata takes
    20–40 ms, a tenth of a build that finds nothing changed)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=argparse.SUPPRESS, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"lawreport {version()}")
        parser.exit()


def _say(message: str) -> None:
    print(message, flush=True)


def cmd_build(args) -> int:
    years = args.years or [args.year]
    if args.workspaces and args.workspace:
        raise ReportError(
            "--workspace 与 --workspaces 只能用其中一个。",
            fix="把所有工作区都写在 --workspaces 后面",
        )
    if args.scheduler:
        return _build_on_cluster(args, years)
    results = []
    with _template_early(args):
        from helpers.run import progress
        from helpers.run.build import build_reports

        for workspace in args.workspaces or [args.workspace]:
            results += build_reports(
                years,
                progress=progress.for_terminal(),  # rich on a terminal, plain lines when piped
                workspace=workspace,
                data_dir=args.data_dir,
                reports_dir=args.reports_dir,
                notebooks_dir=args.notebooks_dir,
                pdf_output=not args.no_pdf,
                jobs=args.jobs,
                force=args.force,
                docx_template=args.docx_template,
            )
    for result in results:
        what = "已核对，没有变化" if result.unchanged else "已生成"
        seconds = result.timings.get("total", 0.0)
        _say(f"{result.year} 年：{what}，用时 {seconds:.1f} 秒 → {result.folder}")
    return 0


def _template_early(args) -> contextlib.ExitStack:
    """With --force every chapter runs, on a pool whose workers and kernels the kernel template
    forks (Linux, two cores or more, not --jobs 1): it starts first, before this process imports
    the build and reads the inputs, so that its imports (about 1 s) are 0.3 s further on when
    the pool asks for workers; and it serves every year and workspace of the run, not one each.
    Stopped when the run ends, however it ends."""
    from helpers.run import forked

    held = contextlib.ExitStack()
    if args.force and (args.jobs or os.cpu_count() or 1) >= 2 and forked.enabled():
        # stopped, not only let go: a build interrupted while its pool started holds it still
        held.callback(forked.TEMPLATE.stop)
        try:
            forked.TEMPLATE.share()
        except OSError:  # no process or socket now: the build starts it, and says what failed
            held.close()
    return held


def _build_on_cluster(args, years: list[int]) -> int:
    """Every chapter of every report (workspace × year) a task on a Dask cluster."""
    from helpers.run import cluster

    if args.reports_dir or args.notebooks_dir or args.jobs:
        raise ReportError(
            "--scheduler 不能与 --reports-dir、--notebooks-dir、--jobs 一起使用。",
            fix="每个工作区的报告写入该工作区的 reports 文件夹；章节数由集群的 worker 决定",
        )
    start = time.perf_counter()
    results = cluster.build_many(
        args.workspaces or [args.workspace],
        years,
        args.scheduler,
        data_dir=args.data_dir,
        pdf_output=not args.no_pdf,
        force=args.force,
        docx_template=args.docx_template,
        progress=_say,
    )
    for r in results:
        what = "已核对，没有变化" if r.unchanged else "已生成"
        _say(f"{r.year} 年：{what} → {r.folder}")
    _say(f"共 {len(results)} 份报告，用时 {time.perf_counter() - start:.1f} 秒")
    return 0


def cmd_sample(args) -> int:
    from helpers.sample import generate
    from helpers.workspace import Workspace

    start = time.perf_counter()
    data_dir = args.data_dir
    if args.workspace:  # a second sample organ: its inputs from the project's, its own tables
        ws = Workspace.at(args.workspace)
        for path in ws.create_from_project(organ=args.organ):
            _say(f"已写入 {path}")
        data_dir = data_dir or ws.data
    elif args.organ:
        raise ReportError(
            "--organ 是新工作区的机关名称，只能与 --workspace 一起使用。",
            fix="加上 --workspace 文件夹",
        )
    files = generate(data_dir, scale=args.scale, seed=args.seed)
    size = sum(f.stat().st_size for f in files)
    _say(
        f"已写入 {len(files)} 个样例文件（{size / 1e6:.1f} MB）到 {paths.data_dir(data_dir)}，"
        f"用时 {time.perf_counter() - start:.1f} 秒"
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
    from helpers.inputs.params import load_params
    from helpers.render.fonts import read_config

    refused = []  # the inputs build would refuse, said here with build's messages

    def loaded(file: Path, load):
        """What ``load`` reads from ``file``; None when the file is not there yet (what the
        parameters ask of the tables is then checked at build time) or is refused."""
        if not file.exists():
            return None
        try:
            return load()
        except ReportError as exc:
            refused.append(exc)
            _say("✗ " + str(exc).replace("\n", "\n    "))
            return None

    params = loaded(
        paths.params_file(args.year, ws.params), lambda: load_params(args.year, ws.params)
    )
    loaded(ws.fonts, lambda: read_config(ws.fonts))
    bad += len(refused)
    cross = validate_cross(results, params, data_dir) if params else []
    for r in results:
        if r.missing:
            _say(f"! {r.table} {r.year}：没有文件（{r.file}）；报告会略去需要它的内容")
        elif r.problems:
            bad += len(r.problems)
            _say(f"✗ {r.table} {r.year}：{len(r.problems)} 个问题")
            for p in r.problems:
                _say("    " + str(p).replace("\n", "\n    "))
        else:
            extra = (
                f"，另有 {r.dropped_other_years} 行的日期属于其他年份，已剔除"
                if r.dropped_other_years
                else ""
            )
            mapped = f"；{r.mapped}" if r.mapped else ""
            _say(f"✓ {r.table} {r.year}：{r.rows} 行（{r.file.name}{mapped}）{extra}")
        for warning in r.warnings:
            _say(f"    ⚠ 警告：{warning}")
    for p in cross:
        bad += 1
        _say("✗ " + str(p).replace("\n", "\n    "))
    from helpers.inputs.narrative import check_year as check_narrative
    from helpers.inputs.narrative import narrative_file

    text_problems = check_narrative(args.year, ws.narrative, workspace=ws)
    if text_problems:
        _say(f"✗ {narrative_file(args.year, ws.narrative)}：{len(text_problems)} 个问题")
        for p in text_problems:
            _say("    " + str(p).replace("\n", "\n    "))
    else:
        _say(f"✓ {narrative_file(args.year, ws.narrative)}：每个数据位置和判断词都已核对")
    bad += len(text_problems)
    gaps = sum(r.missing for r in results)
    warned = sum(len(r.warnings) for r in results)
    _say(f"共检查 {len(results)} 张表：{bad} 个问题，{warned} 个警告，{gaps} 张缺少文件")
    return 1 if bad else 0


def cmd_check(args) -> int:
    from helpers.check.compare import check_document

    try:
        if args.workspace and not Path(args.workspace).expanduser().is_dir():
            raise ReportError(
                f"工作区 {args.workspace} 不存在。",
                fix="检查文件夹的路径（报告所属单位的工作区，即生成它时 --workspace 的文件夹）",
            )
        result = check_document(
            args.file, args.year, data_dir=args.data_dir, workspace=args.workspace
        )
    except ReportError as exc:  # one line: the file, what is wrong and what to do
        fix = f"；解决办法：{exc.fix}" if exc.fix else ""
        print(f"错误：{exc.message.splitlines()[0].rstrip('.。')}{fix}", file=sys.stderr)
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
        _say(f"已写入 {path}")
    _say(
        f"新章节 {made.name}：它的数字 {made.figure} 统计 {made.table} 的行数；"
        "先生成报告看看效果，再修改上面这些文件"
    )
    return 0


def cmd_dictionary(args) -> int:
    from helpers.data.dictionary import write

    _say(f"已写入 {write()}")
    return 0


def cmd_clean(args) -> int:
    """Delete what the project wrote itself: the cache's entries (always safe: they are rebuilt)
    and, with --reports, the built reports. Raw tables, narrative and parameters are never
    touched, a link is never followed, and a report folder holding a file the build did not write
    is kept and named."""
    from helpers.run import folders
    from helpers.workspace import Workspace

    removed = folders.clean_cache(paths.cache_dir(), _say)
    if args.reports:
        reports = Workspace.of(args.workspace).reports
        removed += folders.clean_reports(reports, _say)
    if not removed:
        _say("没有可删除的内容")
    return 0


def lab_folder(workspace: Path | str | None) -> Path:
    """The notebooks JupyterLab opens on: the workspace's own chapters, else the project's."""
    from helpers.workspace import Workspace

    own = Workspace.of(workspace).root / "notebooks"
    return own if own.is_dir() else paths.NOTEBOOKS


def lab_argv(
    folder: Path,
    *,
    port: int | None = None,
    ip: str | None = None,
    no_browser: bool = False,
    as_root: bool | None = None,
) -> list[str]:
    """The command that starts JupyterLab on ``folder`` with this Python (the project's
    environment, on any system). A port asked for is that port or an error, not the next free one.
    ``as_root`` (default: whether this process runs as root) adds --allow-root, which Jupyter
    otherwise demands."""
    if as_root is None:
        geteuid = getattr(os, "geteuid", None)  # not on Windows
        as_root = geteuid is not None and geteuid() == 0
    argv = [sys.executable, "-m", "jupyter", "lab", f"--notebook-dir={folder}"]
    if port is not None:
        argv += [f"--port={port}", "--ServerApp.port_retries=0"]
    if ip:
        argv.append(f"--ip={ip}")
    if no_browser:
        argv.append("--no-browser")
    if as_root:
        argv.append("--allow-root")
    return argv


def check_lab_address(ip: str | None, port: int | None) -> None:
    """Before JupyterLab starts: the address must be one of this machine's and the port free, or
    a ReportError says which and what to do (JupyterLab itself prints an English traceback)."""
    import socket

    host = ip or "localhost"
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.bind((host, port or 0))
    except socket.gaierror:
        raise ReportError(
            f"--ip {host} 不是地址。", fix="写本机的一个 IP 地址，如 127.0.0.1；不写时为 localhost"
        ) from None
    except OSError as exc:
        if port and exc.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1), 10048):
            raise ReportError(
                f"端口 {port} 已被占用（可能已有一个 JupyterLab 在运行）。",
                fix="换一个端口（--port 8890），或先关闭占用它的程序；不写 --port 时自动选空闲端口",
            ) from None
        raise ReportError(
            f"--ip {host} 不是本机的地址，JupyterLab 无法在上面监听（{exc.strerror}）。",
            fix="写本机的 IP 地址（如 127.0.0.1，或局域网地址），或去掉 --ip",
        ) from None


def cmd_lab(args) -> int:
    if args.workspace and not Path(args.workspace).expanduser().is_dir():
        raise ReportError(
            f"工作区 {args.workspace} 不存在。",
            fix="检查文件夹的路径；新建一个示例工作区：lawreport sample --workspace 文件夹 --organ 单位名",
        )
    check_lab_address(args.ip, args.port)
    folder = lab_folder(args.workspace)
    env = dict(os.environ)
    if args.workspace:  # the notebooks' helpers read this workspace's tables and inputs
        env["LAWREPORT_WORKSPACE"] = str(Path(args.workspace).expanduser().resolve())
    argv = lab_argv(folder, port=args.port, ip=args.ip, no_browser=args.no_browser)
    _say(f"在 {folder} 启动 JupyterLab（按两次 Ctrl-C 停止）")
    lab = subprocess.Popen(argv, env=env)

    def _stop(signum, frame):  # stopping lawreport stops JupyterLab and its kernels with it
        if sys.platform == "win32":  # there `python -m jupyter lab` starts jupyter-lab as a child
            from helpers.run import processes

            processes.terminate_children(grace=10.0)
        else:  # JupyterLab stops its kernels itself on SIGTERM
            lab.terminate()

    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        while True:
            try:
                return lab.wait()
            except KeyboardInterrupt:
                continue  # JupyterLab got Ctrl-C too: it asks, or stops on the second one
    finally:
        signal.signal(signal.SIGTERM, previous)


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(
        prog="lawreport",
        description="法治政府建设年度报告：由原始数据表生成报告（HTML、PDF、Word 和章节笔记本）",
    )
    parser.add_argument("--version", action=_Version, help="显示版本号并退出")
    parser.add_argument("-v", "--verbose", action="store_true", help="显示程序包的运行日志")
    sub = parser.add_subparsers(
        dest="command",
        required=True,
        title="命令",
        metavar="命令",
        help="lawreport 命令 -h 显示该命令的选项",
    )

    b = sub.add_parser("build", help="生成一个或几个年度的报告，写入 reports/<年份>/")
    which = b.add_mutually_exclusive_group(required=True)
    which.add_argument("--year", type=_year, help="报告年度，如 2021")
    which.add_argument("--years", type=_years, help="几个年度：2020-2022 或 2020,2022")
    b.add_argument("--no-pdf", action="store_true", help="不生成 report.pdf")
    b.add_argument("--force", action="store_true", help="即使没有任何改动，也重新运行每一章")
    b.add_argument(
        "--jobs", type=_positive, default=None, help="同时运行的章节数（默认：处理器核数）"
    )
    b.add_argument(
        "--workspace", type=Path, default=None, help="某个机关的工作区文件夹（默认：本项目）"
    )
    b.add_argument(
        "--data-dir", type=Path, default=None, help="原始数据表所在文件夹（默认：data/raw）"
    )
    b.add_argument("--reports-dir", type=Path, default=None, help="报告输出文件夹（默认：reports）")
    b.add_argument(
        "--notebooks-dir",
        type=Path,
        default=None,
        help="章节笔记本所在文件夹（默认：notebooks）",
    )
    b.add_argument(
        "--docx-template",
        type=_docx,
        default=None,
        metavar="PATH",
        help="report.docx 使用的 Word 模板（.docx 文件，沿用其中的样式）",
    )
    b.add_argument(
        "--workspaces",
        type=Path,
        nargs="+",
        default=None,
        metavar="DIR",
        help="几个工作区，依次生成（与 --scheduler 一起：在集群上同时生成）",
    )
    b.add_argument(
        "--scheduler",
        default=None,
        metavar="ADDRESS",
        help="在 Dask 集群上运行各章：调度器地址 tcp://HOST:8786，或 local（在本机启动）",
    )
    b.set_defaults(func=cmd_build)

    s = sub.add_parser("sample", help="写入固定的样例原始数据表")
    s.add_argument(
        "--scale", type=float, default=1.0, help="记录数的倍数（测试时可用 0.01 加快速度）"
    )
    s.add_argument("--seed", type=int, default=None, help="随机数种子（默认：固定值，结果可重现）")
    s.add_argument("--data-dir", type=Path, default=None, help="写入的文件夹（默认：data/raw）")
    s.add_argument(
        "--workspace",
        type=Path,
        default=None,
        help="在这个文件夹中建立一个样例机关的工作区",
    )
    s.add_argument("--organ", default=None, help="样例机关的名称（与 --workspace 一起使用）")
    s.set_defaults(func=cmd_sample)

    v = sub.add_parser("validate", help="检查某一年度报告所需的每张原始数据表")
    v.add_argument("--year", type=_year, required=True, help="报告年度，如 2021")
    v.add_argument("--workspace", type=Path, default=None, help="工作区文件夹（默认：本项目）")
    v.add_argument("--data-dir", type=Path, default=None, help="原始数据表所在文件夹")
    v.set_defaults(func=cmd_validate)

    c = sub.add_parser(
        "check",
        help="用数据核对改过的报告（.docx、.pdf、.html、.txt）中的每个数字",
    )
    c.add_argument("file", type=Path, help="要核对的报告文件")
    c.add_argument("--year", type=_year, required=True, help="用哪一年度的数据核对")
    c.add_argument(
        "--workspace",
        type=Path,
        default=None,
        help="报告所属单位的工作区（默认：本项目）：按它的 report.yaml、参数、文字和数据核对",
    )
    c.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="原始数据表所在文件夹（默认：工作区的 data/raw）",
    )
    c.add_argument("--all", action="store_true", help="同时列出找到的每个数字")
    c.set_defaults(func=cmd_check)

    n = sub.add_parser(
        "new-chapter",
        help="新建一章，立即可以生成（声明、笔记本、数字、数据表、文字）",
    )
    n.add_argument("name", help="章节的名称：小写字母、数字和下划线")
    n.add_argument("--title", default=None, help="章节的中文标题，如 普法宣传")
    n.add_argument("--after", default=None, help="排在哪一章之后（默认：最后一节）")
    n.add_argument(
        "--year", type=_year, default=None, help="从哪一年度开始有这一章（默认：最近一年）"
    )
    n.add_argument("--workspace", type=Path, default=None, help="工作区文件夹（默认：本项目）")
    n.set_defaults(func=cmd_new_chapter)

    d = sub.add_parser("dictionary", help="按数据约定重新生成 data/README.md")
    d.set_defaults(func=cmd_dictionary)

    k = sub.add_parser(
        "clean", help="删除缓存 .cache/ 以腾出空间（加 --reports 同时删除已生成的报告）"
    )
    k.add_argument("--reports", action="store_true", help="同时删除工作区的 reports 文件夹")
    k.add_argument("--workspace", type=Path, default=None, help="工作区文件夹（默认：本项目）")
    k.set_defaults(func=cmd_clean)

    lab = sub.add_parser("lab", help="用 JupyterLab 打开章节笔记本")
    lab.add_argument(
        "--workspace",
        type=Path,
        default=None,
        help="打开这个工作区的笔记本，笔记本读取它的数据（默认：本项目）",
    )
    lab.add_argument(
        "--port", type=_port, default=None, help="端口号（默认：8888 或下一个空闲端口）"
    )
    lab.add_argument("--ip", default=None, help="监听的地址（默认：localhost，只有本机能访问）")
    lab.add_argument("--no-browser", action="store_true", help="不自动打开浏览器")
    lab.set_defaults(func=cmd_lab)

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
        fix = f"\n  解决办法：{exc.fix}" if exc.fix else ""
        print(f"错误：{exc.message}{fix}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `lawreport check … | head`: the reader stopped reading
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except KeyboardInterrupt:
        print(INTERRUPTED.get(args.command, "已中断"), file=sys.stderr)
        return 130
    except OSError as exc:
        if exc.errno != errno.ENAMETOOLONG:
            raise
        print(
            f"错误：路径太长：{exc.filename or ''}\n  解决办法：文件夹或文件名的每一段不能超过 255 个"
            "字节（约 85 个汉字）；换用较短的名称",
            file=sys.stderr,
        )
        return 2


INTERRUPTED = {  # what an interrupted command leaves
    "build": "已中断：上一次生成的报告保持原样",
    "sample": "已中断：示例数据可能只写了一部分；请重新运行 lawreport sample",
}


def run() -> None:
    """The ``lawreport`` command: ``main``, then leave without tearing the interpreter down.
    After a build, Python spends about half a second freeing the modules and data it loaded
    (pandas, pyarrow, WeasyPrint …) for a process that is ending anyway; everything that is
    done at a normal exit is done first: other threads are waited for, exit handlers run
    (multiprocessing, temporary folders, logging), and the output is flushed."""
    import atexit
    import threading

    code = main()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # done: an interrupt now would only garble it
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said
            pass
    os._exit(0 if code is None else code if isinstance(code, int) else 1)


if __name__ == "__main__":  # python -m helpers.cli: an ordinary exit (profilers, coverage)
    sys.exit(main())
