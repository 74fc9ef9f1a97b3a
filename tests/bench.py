"""Benchmark of the yearly build against the plain papermill + nbconvert loop (``make bench``).

Measures, on this machine, in one run, medians over ``--runs`` runs (default 3):
  (a) cold build of the 2021 report at full scale, with and without the PDF
      (empty cache: every table parsed, every chapter executed, fonts subset)
  (b) rebuild with nothing changed
  (c) rebuild after one chapter's raw table changed (one hotline ticket moved to another
      station, a different one in each run → chapter 15_services)
  (d) the plain loop: ``papermill`` CLI then ``jupyter nbconvert --to html --no-input``
      for each chapter, one after another, same notebooks, same data, empty cache
  (e) the cold build without PDF on data generated with ``--scale 10``
and for each the wall time and the peak resident memory of the whole process tree.
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


def tree_rss(pid: int) -> int:
    """Resident memory (bytes) of a process and all its descendants (psutil: any OS)."""
    import psutil

    from helpers.run.processes import descendants

    total = 0
    for p in [pid, *descendants(pid)]:
        try:
            total += psutil.Process(p).memory_info().rss
        except psutil.Error:
            pass
    return total


def measure(cmd: list[str], env: dict | None = None) -> tuple[float, int]:
    """Run a command; return (wall seconds, peak tree memory in bytes)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peak = 0
    done = threading.Event()

    def poll():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(proc.pid))
            time.sleep(0.05)

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    _, err = proc.communicate()
    done.set()
    poller.join()
    wall = time.perf_counter() - start
    if proc.returncode:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{err.decode(errors='replace')[-3000:]}")
    return wall, peak


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


def cold_build(data: Path, out: Path, pdf: bool) -> tuple[float, int]:
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


def plain_loop(data: Path, out: Path) -> tuple[float, int]:
    """What a user without this project runs: each chapter through the papermill and nbconvert CLIs.
    Each chapter's own time goes to ``out/seconds.txt`` (``chapter_cost``)."""
    cache = WORK / "cache-cold"
    shutil.rmtree(cache, ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
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
        "--no-scale10", action="store_true", help="skip (e), which needs several GB and minutes"
    )
    args = parser.parse_args()
    WORK.mkdir(parents=True, exist_ok=True)
    data1, data10 = WORK / "raw-1", WORK / "raw-10"
    sample(data1, 1.0)
    results: dict[str, list[tuple[float, int]]] = {
        k: [] for k in ("a_pdf", "a", "b", "c", "d", "e")
    }
    warm = WORK / "reports-warm"
    # (c)'s target: the services chapter (as the plain loop runs it) + assembly with PDF (as in (a))
    plain_chapter: list[float] = []
    c_seconds: list[dict] = []  # where (c)'s time went
    assembly: list[float] = []
    for run in range(args.runs):
        print(f"run {run + 1}/{args.runs}", flush=True)
        results["a_pdf"].append(cold_build(data1, WORK / "reports-a", pdf=True))
        assembly.append(
            seconds(WORK / "reports-a")["html+docx"] + seconds(WORK / "reports-a")["pdf"]
        )
        results["a"].append(cold_build(data1, WORK / "reports-a", pdf=False))
        results["d"].append(plain_loop(data1, WORK / "plain"))
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
        c_seconds.append(seconds(warm))
        subprocess.run(
            lawreport(
                "build", "--year", "2021", "--data-dir", str(data1), "--reports-dir", str(warm)
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    if not args.no_scale10:
        sample(data10, 10.0)
        for run in range(args.runs):
            print(f"scale 10, run {run + 1}/{args.runs}", flush=True)
            results["e"].append(cold_build(data10, WORK / "reports-e", pdf=False))
    report(results, args.runs, plain_chapter, assembly, c_seconds)
    return 0


LABELS = {
    "a_pdf": "(a) cold build, scale 1, HTML+Word+PDF",
    "a": "(a) cold build, scale 1, HTML+Word, no PDF",
    "b": "(b) rebuild, nothing changed",
    "c": "(c) rebuild, one chapter's table changed",
    "d": "(d) plain loop: papermill + nbconvert CLI",
    "e": "(e) cold build, scale 10, no PDF",
}


def report(results: dict, runs: int, plain_chapter, assembly, c_seconds) -> None:
    med = {k: statistics.median(w for w, _ in v) for k, v in results.items() if v}
    print(
        f"\nMedians over {runs} run(s) on {os.cpu_count()} cores; peak memory = whole process tree, max over runs\n"
    )
    print(
        f"| {'scenario':44s} | {'median s':>8s} | {'min s':>7s} | {'max s':>7s} | {'peak MB':>8s} |"
    )
    print(f"|{'-' * 46}|{'-' * 10}|{'-' * 9}|{'-' * 9}|{'-' * 10}|")
    for key, label in LABELS.items():
        if results[key]:
            walls = [w for w, _ in results[key]]
            peak = max(m for _, m in results[key]) / 2**20
            print(
                f"| {label:44s} | {med[key]:8.2f} | {min(walls):7.2f} | {max(walls):7.2f} | {peak:8.0f} |"
            )
    print()
    print(f"(a)/(d), no PDF:   {med['a'] / med['d']:.2f}   target ≤ 0.25")
    print(f"(a)/(d), with PDF: {med['a_pdf'] / med['d']:.2f}")
    print(f"(b):               {med['b']:.2f} s   target < 1 s")
    chapter = statistics.median(plain_chapter)
    assemble = statistics.median(assembly)
    ours = statistics.median(s["chapter 15_services"] for s in c_seconds)
    ours_assembly = statistics.median(s["html+docx"] + s.get("pdf", 0) for s in c_seconds)
    print(
        f"(c):               {med['c']:.2f} s   target ≤ one chapter + assembly = {chapter + assemble:.2f} s"
        f" (services through papermill + nbconvert in (d) {chapter:.2f} s, assembly with PDF in (a)"
        f" {assemble:.2f} s)\n"
        f"                   (c) itself: services chapter {ours:.2f} s, assembly {ours_assembly:.2f} s,"
        f" start-up, keys and checking the changed table {med['c'] - ours - ours_assembly:.2f} s"
    )
    if results["e"]:
        peak_e = max(m for _, m in results["e"]) / 2**30
        print(
            f"(e)/(a), no PDF:   {med['e'] / med['a']:.2f}   target ≤ 3; peak {peak_e:.2f} GB, target < 4 GB"
        )


if __name__ == "__main__":
    sys.exit(main())
