"""Benchmark of the yearly build against the plain papermill + nbconvert loop (``make bench``).

Measures, on this machine, in one run, medians over ``--runs`` runs (default 3):
  (a) cold build of the 2021 report at full scale, with and without the PDF
      (empty cache: every table parsed, every chapter executed, fonts subset)
  (b) rebuild with nothing changed
  (c) rebuild after one chapter's raw table changed (one hotline ticket moved to another
      station, a different one in each run → chapter 15_services)
  (d) the plain loop: ``papermill`` CLI then ``jupyter nbconvert --to html --no-input``
      for each chapter, one after another, same notebooks, same data, empty cache
  (e) the cold build without PDF on data generated with ``--scale 10``, run right after (a) in
      each run, so that a machine whose speed drifts over the benchmark's 20 minutes (this
      virtual machine's does, by a fifth) slows both alike
  (f) what reading the data alone costs: every table-year the 2021 report reads, read once
      with pyarrow on one thread (Parquet a column at a time, CSV decoded and split by Arrow,
      XLSX by pandas with calamine), no check, no figure, no kernel; CPU seconds at scale 1 and at scale 10,
      and the least (e) could be if nothing but those extra reads were added to (a), spread
      over the cores
  (p) Ploomber 0.23 on the same notebooks and data, with its papermill executor (Parallel, 2
      processes) and with ``ploomber-engine`` (in-process, one after another): cold (empty
      table cache, no products) and rebuilt with nothing changed. Ploomber pins older
      jupyter_client/ipykernel, so it runs from a virtual environment of its own that the
      benchmark creates once in .cache/bench/ploomber-venv (pip, a few minutes).
  (m) with ``--cluster`` alone: 3 workspaces × 4 years (2020–2023), cold, no PDF, built one
      report after another on the local pool (``--workspaces A B C``) and with every chapter a
      task on a LocalCluster of 2 single-thread worker processes (``--scheduler local``, its
      start included); ``--cluster-scale`` sets the sample's scale (default 1)
and for each the wall time and the peak memory of the whole process tree: PSS (a page shared by
forked processes counted once, the physical memory held) and RSS summed over the processes.
Memory is measured in a pass of its own before the timed runs: the poller walks the process
tree every 50 ms and reads every process's page map every 0.5 s, CPU that a build using both
cores would lose (about a second of a 9 s cold build here), so timed runs are not polled.
Not a test: it prints numbers. Work files go to .cache/bench/ (several GB with scale 10).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
WORK = ROOT / ".cache" / "bench"


def tree_memory(pid: int, pss: bool = True) -> tuple[int, int]:
    """Memory (bytes) of a process and all its descendants: (PSS, RSS) summed (psutil); PSS is
    0 unless asked for (it reads every process's page map: 25 ms of CPU for a build's tree).

    RSS counts a page once in every process that maps it, so the pages a forked kernel shares
    with its template count once per kernel; PSS splits each shared page between the processes
    sharing it, so the sum is the physical memory the tree holds (Linux; elsewhere PSS = RSS)."""
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0, 0
    total_pss = total_rss = 0
    for p in procs:
        try:
            if pss:
                full = p.memory_full_info()
                total_rss += full.rss
                total_pss += getattr(full, "pss", full.rss)
            else:
                total_rss += p.memory_info().rss
        except psutil.Error:
            pass
    return total_pss, total_rss


POLL = {"memory": True}  # False in the timed runs (main)


def measure(cmd: list[str], env: dict | None = None) -> tuple[float, int, int]:
    """Run a command; return (wall seconds, peak tree PSS, peak tree RSS in bytes; both 0 when
    memory is not polled)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peak_pss = peak_rss = 0
    done = threading.Event()
    if not POLL["memory"]:
        _, err = proc.communicate()
        wall = time.perf_counter() - start
        if proc.returncode:
            raise SystemExit(f"failed: {' '.join(cmd)}\n{err.decode(errors='replace')[-3000:]}")
        return wall, 0, 0

    def poll():  # RSS every 50 ms; PSS, which costs more, every 0.5 s
        nonlocal peak_pss, peak_rss
        n = 0
        while not done.is_set():
            pss, rss = tree_memory(proc.pid, pss=n % 10 == 0)
            peak_pss, peak_rss = max(peak_pss, pss), max(peak_rss, rss)
            n += 1
            time.sleep(0.05)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    _, err = proc.communicate()
    done.set()
    poller.join()
    wall = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{err.decode(errors='replace')[-3000:]}")
    return wall, peak_pss, peak_rss


def lawreport(*args: str) -> list[str]:
    return [str(BIN / "lawreport"), *args]


def sample(folder: Path, scale: float) -> None:
    if (
        not (folder / ".sample").exists()
        or f"scale={scale}" not in (folder / ".sample").read_text()
    ):
        shutil.rmtree(folder, ignore_errors=True)
        print(f"  generating sample data at scale {scale} into {folder} …", flush=True)
        subprocess.run(
            lawreport("sample", "--scale", str(scale), "--data-dir", str(folder)), check=True
        )


def cold_build(data: Path, out: Path, pdf: bool) -> tuple[float, int, int]:
    cache = WORK / "cache-cold"
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    args = [
        "build",
        "--year",
        "2021",
        "--force",
        "--data-dir",
        str(data),
        "--reports-dir",
        str(out),
    ]
    return measure(
        lawreport(*args, *([] if pdf else ["--no-pdf"])), {"LAWREPORT_CACHE": str(cache)}
    )


def report_notebooks(year: int = 2021) -> list[Path]:
    """The chapter notebooks of the year's report, as report.yaml declares them."""
    from helpers.inputs import declaration

    chapters = declaration.load().with_notebook(year)
    return [ROOT / "notebooks" / f"{e.chapter.notebook}.ipynb" for e in chapters]


def plain_loop(data: Path, out: Path) -> tuple[float, int, int]:
    """What a user without this project runs: each chapter through the papermill and nbconvert CLIs.
    Each chapter's own time goes to ``out/seconds.txt`` (``chapter_cost``)."""
    cache = WORK / "cache-cold"
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    notebooks = report_notebooks()
    script = out / "loop.sh"
    lines = ["set -e"]
    for nb in notebooks:
        from helpers.run.notebooks import declared_parameters

        params = ["-p", "year", "2021"]
        if "data_dir" in (declared_parameters(nb) or []):
            params += ["-p", "data_dir", str(data)]
        if "city" in (declared_parameters(nb) or []):
            params += ["-p", "city", "东莞"]
        executed = out / nb.name
        lines.append("start=$(date +%s.%N)")
        lines.append(
            " ".join(
                [
                    str(BIN / "papermill"),
                    "-k",
                    "python3",
                    "--cwd",
                    str(nb.parent),
                    str(nb),
                    str(executed),
                    *params,
                    "--no-progress-bar",
                    "2>/dev/null",
                ]
            )
        )
        lines.append(
            " ".join(
                [
                    str(BIN / "jupyter"),
                    "nbconvert",
                    "--to",
                    "html",
                    "--no-input",
                    str(executed),
                    "2>/dev/null",
                ]
            )
        )
        lines.append(f'echo "{nb.stem} $start $(date +%s.%N)" >> {out}/seconds.txt')
    script.write_text("\n".join(lines) + "\n")
    return measure(["bash", str(script)], {"LAWREPORT_CACHE": str(cache)})


def chapter_cost(out: Path, chapter: str) -> float:
    """Seconds the plain loop spent on one chapter (papermill and nbconvert)."""
    for line in (out / "seconds.txt").read_text().splitlines():
        name, start, end = line.split()
        if name == chapter:
            return float(end) - float(start)
    raise SystemExit(f"no time for {chapter} in {out / 'seconds.txt'}")


PLOOMBER = WORK / "ploomber-venv"
# Ploomber's Python API: one NotebookRunner task per chapter, products in OUT, the same parameters
# as the plain loop; a second run with nothing changed skips every task Ploomber thinks up to date
PLOOMBER_DAG = """
import json, sys
from pathlib import Path
from ploomber import DAG
from ploomber.executors import Parallel, Serial
from ploomber.products import File
from ploomber.tasks import NotebookRunner

out, executor, jobs = Path(sys.argv[1]), sys.argv[2], json.loads(sys.argv[3])
out.mkdir(parents=True, exist_ok=True)
serial = executor == "ploomber-engine"  # in-process: no kernel, so one after another
dag = DAG(executor=Serial(build_in_subprocess=False) if serial else Parallel(processes=2))
for nb, params in jobs.items():
    NotebookRunner(Path(nb), File(out / Path(nb).name), dag=dag, name=Path(nb).stem,
                   params=params, executor=executor, static_analysis="disable",
                   kernelspec_name="python3")
dag.build()
"""


def ploomber_python() -> Path:
    """The Python of the benchmark's own Ploomber environment, made on first use."""
    python = PLOOMBER / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    stamp = PLOOMBER / ".installed"
    # our dependencies as installed there: a new one in pyproject.toml installs again
    wanted = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    if not stamp.exists() or stamp.read_text(encoding="utf-8") != wanted:
        print(f"  installing ploomber and ploomber-engine into {PLOOMBER} …", flush=True)
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(PLOOMBER)], check=True)
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                "ploomber",
                "ploomber-engine",
                "-e",
                str(ROOT),
            ],
            check=True,
        )
        stamp.write_text(wanted, encoding="utf-8")
    return python


def ploomber_notebooks() -> list[Path]:
    """The chapter notebooks as Ploomber wants them: its NotebookRunner injects ``product``, which
    a notebook must declare in its parameters cell (our injected cell refuses undeclared names)."""
    folder = WORK / "ploomber-notebooks"
    folder.mkdir(parents=True, exist_ok=True)
    copies = []
    for nb in report_notebooks():
        data = json.loads(nb.read_text(encoding="utf-8"))
        cell = next(
            c for c in data["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])
        )
        source = "".join(cell["source"])
        cell["source"] = (
            source + "\nproduct = None  # Ploomber injects the path of its product here\n"
        )
        copy = folder / nb.name
        copy.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        copies.append(copy)
    return copies


def chapter_params(data: Path, notebooks: list[Path] | None = None) -> dict[str, dict]:
    """Each chapter notebook and the parameters the plain loop gives it."""
    from helpers.run.notebooks import declared_parameters

    jobs = {}
    for nb in notebooks or report_notebooks():
        declared = declared_parameters(nb) or []
        params: dict = {"year": 2021}
        if "data_dir" in declared:
            params["data_dir"] = str(data)
        if "city" in declared:
            params["city"] = "东莞"
        jobs[str(nb)] = params
    return jobs


def ploomber(data: Path, out: Path, executor: str, cold: bool) -> tuple[float, int, int]:
    """One Ploomber build of the chapters; ``cold``: no products and an empty table cache."""
    cache = WORK / "cache-cold"
    if cold:
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
    script = WORK / "ploomber_dag.py"
    script.write_text(PLOOMBER_DAG, encoding="utf-8")
    cmd = [str(ploomber_python()), str(script), str(out), executor]
    return measure(
        [*cmd, json.dumps(chapter_params(data, ploomber_notebooks()), ensure_ascii=False)],
        {"LAWREPORT_CACHE": str(cache)},
    )


def change_tickets(data: Path, run: int) -> bytes:
    """Move one hotline ticket to another police station, a different one in each run (so the
    changed file is never in the table cache already); returns the original bytes."""
    path = data / "hotline_tickets" / "2021.csv"
    a, b = "莞城分局".encode("gb18030"), "南城分局".encode("gb18030")
    body = path.read_bytes()
    at = -1
    for _ in range(run + 1):
        at = body.index(a, at + 1)
    path.write_bytes(body[:at] + b + body[at + len(a) :])
    return body


def seconds(reports: Path) -> dict[str, float]:
    """Where a build's time went (``seconds`` in its manifest.json)."""
    return json.loads((reports / "2021" / "manifest.json").read_text(encoding="utf-8"))["seconds"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--no-ploomber", action="store_true", help="skip the Ploomber peer (p), (q)"
    )
    parser.add_argument(
        "--no-scale10", action="store_true", help="skip (e), which needs several GB and minutes"
    )
    parser.add_argument(
        "--cluster", action="store_true", help="run only (m): many reports, local pool vs cluster"
    )
    parser.add_argument("--cluster-scale", type=float, default=1.0, help="the scale of (m)'s data")
    parser.add_argument("--read-once", type=Path, help=argparse.SUPPRESS)  # (f), in its own process
    args = parser.parse_args()
    if args.read_once:
        print(f"{read_once(args.read_once):.3f}")
        return 0
    WORK.mkdir(parents=True, exist_ok=True)
    if args.cluster:
        return many_reports(args.runs, args.cluster_scale)
    data1, data10 = WORK / "raw-1", WORK / "raw-10"
    sample(data1, 1.0)
    if not args.no_scale10:
        sample(data10, 10.0)
    timed: dict[str, list[tuple[float, int, int]]] = {k: [] for k in LABELS}
    polled: dict[str, list[tuple[float, int, int]]] = {k: [] for k in LABELS}
    warm = WORK / "reports-warm"
    # (c)'s target: the services chapter (as the plain loop runs it) + assembly with PDF (as in (a))
    plain_chapter: list[float] = []
    c_seconds: list[dict] = []  # where (c)'s time went
    assembly: list[float] = []
    for run in range(args.runs + 1):  # run 0: the memory pass, not timed
        POLL["memory"] = run == 0
        results = polled if run == 0 else timed
        print("memory pass" if run == 0 else f"run {run}/{args.runs}", flush=True)
        results["a_pdf"].append(cold_build(data1, WORK / "reports-a", pdf=True))
        if run:
            assembly.append(
                seconds(WORK / "reports-a")["html+docx"] + seconds(WORK / "reports-a")["pdf"]
            )
        results["a"].append(cold_build(data1, WORK / "reports-a", pdf=False))
        if not args.no_scale10:  # right after (a): a machine whose speed drifts skews both alike
            print("  scale 10", flush=True)
            results["e"].append(cold_build(data10, WORK / "reports-e", pdf=False))
        results["d"].append(plain_loop(data1, WORK / "plain"))
        if not args.no_ploomber:
            for executor, key in (("papermill", "p"), ("ploomber-engine", "q")):
                out = WORK / f"ploomber-{executor}"
                results[f"{key}_cold"].append(ploomber(data1, out, executor, cold=True))
                results[f"{key}_again"].append(ploomber(data1, out, executor, cold=False))
        if run:
            plain_chapter.append(chapter_cost(WORK / "plain", "15_services"))
        if run == 0:  # a warm report to rebuild from
            shutil.rmtree(warm, ignore_errors=True)
            subprocess.run(
                lawreport(
                    "build", "--year", "2021", "--data-dir", str(data1), "--reports-dir", str(warm)
                ),
                check=True,
                stdout=subprocess.DEVNULL,
            )
        results["b"].append(
            measure(
                lawreport(
                    "build", "--year", "2021", "--data-dir", str(data1), "--reports-dir", str(warm)
                )
            )
        )
        original = change_tickets(data1, run)
        try:
            results["c"].append(
                measure(
                    lawreport(
                        "build",
                        "--year",
                        "2021",
                        "--data-dir",
                        str(data1),
                        "--reports-dir",
                        str(warm),
                    )
                )
            )
        finally:
            (data1 / "hotline_tickets" / "2021.csv").write_bytes(original)
        if run:
            c_seconds.append(seconds(warm))
        subprocess.run(
            lawreport(
                "build", "--year", "2021", "--data-dir", str(data1), "--reports-dir", str(warm)
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    if not args.no_scale10:
        for run in range(args.runs):
            print(f"reading the data once, run {run + 1}/{args.runs}", flush=True)
            READ_ONCE.append((read_once_seconds(data1), read_once_seconds(data10)))
    report(timed, polled, args.runs, plain_chapter, assembly, c_seconds)
    return 0


def many_reports(runs: int, scale: float) -> int:
    """(m): 3 workspaces × 4 years on the local pool, then on a 2-worker LocalCluster."""
    base = WORK / f"cluster-{scale}"
    spaces = [base / f"ws{i}" for i in range(3)]
    for i, ws in enumerate(spaces):
        if not (ws / "report.yaml").exists():
            print(f"  generating workspace {ws} at scale {scale} …", flush=True)
            subprocess.run(
                lawreport(
                    "sample",
                    "--workspace",
                    str(ws),
                    "--organ",
                    f"示例{i}公安局",
                    "--scale",
                    str(scale),
                    "--seed",
                    str(100 + i),
                ),
                check=True,
                stdout=subprocess.DEVNULL,
            )
    cache = WORK / "cache-cluster"
    batch = [
        "build",
        "--workspaces",
        *map(str, spaces),
        "--years",
        "2020-2023",
        "--force",
        "--no-pdf",
    ]
    results: dict[str, list[tuple[float, int, int]]] = {"pool": [], "cluster": []}
    for run in range(runs):
        print(f"(m) run {run + 1}/{runs}", flush=True)
        for key, extra in (("pool", []), ("cluster", ["--scheduler", "local"])):
            shutil.rmtree(cache, ignore_errors=True)
            results[key].append(measure(lawreport(*batch, *extra), {"LAWREPORT_CACHE": str(cache)}))
    print(
        f"\n(m) 3 workspaces × 4 years, scale {scale}, cold, no PDF; medians over {runs} run(s)"
        f" on {os.cpu_count()} cores\n"
    )
    for key, label in (
        ("pool", "local pool, one report after another"),
        ("cluster", "LocalCluster, 2 workers × 1 thread"),
    ):
        walls = [r[0] for r in results[key]]
        pss = max(r[1] for r in results[key]) / 2**20
        rss = max(r[2] for r in results[key]) / 2**20
        print(
            f"  {label:40s} median {statistics.median(walls):7.2f} s"
            f"  (min {min(walls):.2f}, max {max(walls):.2f})  peak {pss:.0f} MB PSS ({rss:.0f} MB RSS)"
        )
    return 0


READ_ONCE: list[tuple[float, float]] = []  # (f): CPU seconds at scale 1 and at scale 10

LABELS = {
    "a_pdf": "(a) cold build, scale 1, HTML+Word+PDF",
    "a": "(a) cold build, scale 1, HTML+Word, no PDF",
    "b": "(b) rebuild, nothing changed",
    "c": "(c) rebuild, one chapter's table changed",
    "d": "(d) plain loop: papermill + nbconvert CLI",
    "e": "(e) cold build, scale 10, no PDF",
    "p_cold": "(p) Ploomber, papermill executor: cold",
    "p_again": "(p) Ploomber, papermill executor: no change",
    "q_cold": "(q) Ploomber, ploomber-engine: cold",
    "q_again": "(q) Ploomber, ploomber-engine: no change",
}


def read_once(data: Path) -> float:
    """(f): the CPU seconds of reading every table-year the 2021 report reads from ``data``
    once (run in a process of its own: ``bench.py --read-once DIR``)."""
    import io

    import pandas as pd
    import pyarrow as pa
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    from helpers.data import readers
    from helpers.data.contract import TABLES
    from helpers.data.files import table_file
    from helpers.figures import needs

    if not data.is_dir():
        raise SystemExit(f"{data}: not a folder of raw tables (data/raw or lawreport sample's)")
    pa.set_cpu_count(1)
    files = [(t, path) for t, y in needs(2021, data) if (path := table_file(t, y, data))]
    if not files:
        raise SystemExit(f"{data}: no table file the 2021 report reads (<table>/<year>.csv …)")
    start = time.process_time()
    for table, path in files:
        if path.suffix == ".parquet":
            source = pq.ParquetFile(path)
            for name in source.schema_arrow.names:
                for _ in source.iter_batches(batch_size=1 << 20, columns=[name]):
                    pass
        elif path.suffix == ".csv":
            raw = path.read_bytes()
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = raw.decode("gb18030")
            options = pcsv.ReadOptions(use_threads=False)
            try:
                pcsv.read_csv(io.BytesIO(text.encode("utf-8")), read_options=options)
            except pa.ArrowInvalid:  # title lines above the header: read as the build reads it
                readers.read_raw(path, TABLES[table])
        else:
            pd.read_excel(path, sheet_name=None, header=None, engine="calamine")
    return time.process_time() - start


def read_once_seconds(data: Path) -> float:
    out = subprocess.run(
        [sys.executable, __file__, "--read-once", str(data)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    return float(out.stdout.strip().splitlines()[-1])


def report(results: dict, polled: dict, runs: int, plain_chapter, assembly, c_seconds) -> None:
    med = {k: statistics.median(r[0] for r in v) for k, v in results.items() if v}
    print(
        f"\nMedians over {runs} timed run(s) on {os.cpu_count()} cores; peak memory of the whole"
        " process tree in a memory pass before them: PSS (each shared page counted once) and RSS"
        " (summed per process)\n"
    )
    print(
        f"| {'scenario':44s} | {'median s':>8s} | {'min s':>7s} | {'max s':>7s}"
        f" | {'peak PSS MB':>11s} | {'peak RSS MB':>11s} |"
    )
    print(f"|{'-' * 46}|{'-' * 10}|{'-' * 9}|{'-' * 9}|{'-' * 13}|{'-' * 13}|")
    for key, label in LABELS.items():
        if results[key]:
            walls = [r[0] for r in results[key]]
            pss = max(r[1] for r in polled[key]) / 2**20
            rss = max(r[2] for r in polled[key]) / 2**20
            print(
                f"| {label:44s} | {med[key]:8.2f} | {min(walls):7.2f} | {max(walls):7.2f}"
                f" | {pss:11.0f} | {rss:11.0f} |"
            )
    print()
    print(f"(a)/(d), no PDF:   {med['a'] / med['d']:.2f}   target ≤ 0.15")
    print(f"(a)/(d), with PDF: {med['a_pdf'] / med['d']:.2f}")
    print(f"(b):               {med['b']:.2f} s   target < 0.5 s")
    chapter = statistics.median(plain_chapter)
    assemble = statistics.median(assembly)
    ours = statistics.median(s["chapter 15_services"] for s in c_seconds)
    ours_assembly = statistics.median(s["html+docx"] + s.get("pdf", 0) for s in c_seconds)
    own = ours + ours_assembly
    print(
        f"(c):               {med['c']:.2f} s   target ≤ 1.2 × (the chapter's own compute + assembly)"
        f" = {1.2 * own:.2f} s: {med['c'] / own:.2f} ×\n"
        f"                   (c) itself: services chapter {ours:.2f} s, assembly {ours_assembly:.2f} s,"
        f" start-up, keys and checking the changed table {med['c'] - own:.2f} s;"
        f" for comparison the chapter through papermill + nbconvert in (d) {chapter:.2f} s,"
        f" assembly with PDF in (a) {assemble:.2f} s"
    )
    if results["q_cold"]:
        print("\nAgainst Ploomber (ours / theirs; below 1: we are faster):")
        for key, name in (("p", "papermill executor"), ("q", "ploomber-engine")):
            print(
                f"  {name:20s} cold, no PDF: {med['a'] / med[key + '_cold']:.2f}"
                f"   no change: {med['b'] / med[key + '_again']:.2f}"
            )
        print("  target: cold ≤ 0.5 × ploomber-engine; (a)/(d) ≤ 0.15; (b) < 0.5 s")
    if results["e"]:
        pss_e = max(r[1] for r in polled["e"]) / 2**30
        rss_e = max(r[2] for r in polled["e"]) / 2**30
        each = sorted(e[0] / a[0] for e, a in zip(results["e"], results["a"], strict=True))
        print(
            f"(e)/(a), no PDF:   {med['e'] / med['a']:.2f}   target ≤ 2; peak {pss_e:.2f} GB PSS"
            f" ({rss_e:.2f} GB RSS), target < 3 GB\n"
            f"                   (e) run right after (a) each time; run by run"
            f" {' '.join(f'{r:.2f}' for r in each)}"
        )
    if READ_ONCE:
        one = statistics.median(r[0] for r in READ_ONCE)
        ten = statistics.median(r[1] for r in READ_ONCE)
        cores = os.cpu_count() or 1
        least = med["a"] + (ten - one) / cores
        print(
            f"(f) reading the data once, no check or figure: {one:.2f} s CPU at scale 1,"
            f" {ten:.2f} s at scale 10 (medians of {len(READ_ONCE)}).\n"
            f"    (a) plus only the extra reads, spread over {cores} cores: {least:.2f} s,"
            f" so (e)/(a) ≥ {least / med['a']:.2f} before any check, figure or chart"
        )


if __name__ == "__main__":
    sys.exit(main())
