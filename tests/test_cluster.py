"""Many reports on a Dask cluster (issue 15, item 3): every chapter of every report (workspace ×
year) a task on a LocalCluster of two worker processes; each report the same as a local build,
published whole; a worker killed mid-batch loses nothing."""

from __future__ import annotations

import contextlib
import json
import os
import re
import threading
import time
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

from helpers.cli import main  # noqa: E402
from helpers.run import cluster  # noqa: E402
from helpers.run.build import build_report  # noqa: E402

YEARS = [2021, 2022]
QUIET = {"progress": lambda _: None, "pdf_output": False}

# a short report: three chapters with notebooks (one reads last year's tables) and a heading
SHORT = """chapters:
  - name: opening
    notebook: 10_opening
  - name: measures
    level: 1
  - name: services
    level: 2
    notebook: 15_services
    figures: services
    tables:
      service_items: [0, -1]
      home_services: [0, -1]
      outreach_events: [0, -1]
      hotline_tickets: [0, -1]
  - name: plans
    level: 1
    notebook: 40_plans
"""


def _organ(root: Path, organ: str, seed: int) -> Path:
    argv = ["sample", "--workspace", str(root), "--organ", organ, "--scale", "0.01"]
    assert main([*argv, "--seed", str(seed)]) == 0
    (root / "report.yaml").write_text(SHORT, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def organs(tmp_path_factory) -> list[Path]:
    """Three organs' workspaces, each with its own tables (another seed) and the short report."""
    base = tmp_path_factory.mktemp("organs")
    return [_organ(base / f"ws{i}", f"示例{i}公安局", seed) for i, seed in enumerate((3, 5, 7))]


@pytest.fixture(scope="module")
def client():
    """A LocalCluster of two worker processes of one thread each, and its client."""
    with cluster.local_cluster(2) as c:
        yield c


@pytest.fixture(scope="module")
def local_reports(organs, tmp_path_factory) -> dict[tuple[Path, int], Path]:
    """Each organ's reports built on the local pool, elsewhere: the expected ones."""
    where = tmp_path_factory.mktemp("local")
    return {(ws, y): _local(ws, y, where) for ws in organs for y in YEARS}


def _local(ws: Path, year: int, where: Path) -> Path:
    """The same report built locally (one job: the quickest for three chapters), elsewhere."""
    build_report(year, workspace=ws, reports_dir=where / ws.name, force=True, jobs=1, **QUIET)
    return where / ws.name / str(year)


def _text(folder: Path) -> str:
    page = (folder / "report.html").read_text(encoding="utf-8")
    return re.sub(r"<[^>]+>", "", page[page.index("<article") : page.index("</article>")])


def _whole(ws: Path, year: int) -> Path:
    """The published report, complete, and nothing half-written beside it."""
    reports = ws / "reports"
    folder = reports / str(year)
    for name in ("report.html", "report.docx", "metrics.csv", "manifest.json"):
        assert (folder / name).is_file(), f"{folder} lacks {name}"
    assert not [p.name for p in reports.glob(".*.tmp-*")] + [
        p.name for p in reports.glob(".*.old-*")
    ]
    return folder


def test_every_report_on_the_cluster_is_the_local_one(organs, client, local_reports):
    said: list[str] = []
    results = cluster.build_many(
        organs, YEARS, "unused", client=client, pdf_output=False, progress=said.append
    )
    assert [(r.year, r.folder) for r in results] == [
        (y, ws / "reports" / str(y)) for ws in organs for y in YEARS
    ]
    for ws in organs:
        for year in YEARS:
            ours, local = _whole(ws, year), local_reports[ws, year]
            assert (ours / "metrics.csv").read_bytes() == (local / "metrics.csv").read_bytes()
            assert _text(ours) == _text(local)
            manifest = json.loads((ours / "manifest.json").read_text(encoding="utf-8"))
            assert manifest["workspace"] == str(ws.resolve())
            # progress says which report and which chapter finished
            assert any(m.startswith(f"[{ws.name}] {year}年：报告已生成") for m in said)
    for ws in organs:
        done = [m for m in said if m.startswith(f"[{ws.name}] 第 ") and "章完成" in m]
        assert len(done) == 3 * len(YEARS)  # three chapters a year, each said once
    # nothing changed: every report is reused as it is, per report, nothing runs
    again = cluster.build_many(organs, YEARS, "unused", client=client, **QUIET)
    assert all(r.unchanged for r in again)


def test_a_report_being_built_is_locked(organs, client):
    from helpers.errors import BuildLockedError
    from helpers.run import folders

    ws = organs[0]
    with folders.year_lock(ws / "reports", 2021), pytest.raises(BuildLockedError):
        cluster.build_many([ws], [2021], "unused", client=client, force=True, **QUIET)
    _whole(ws, 2021)


SLOW_CELL = (
    "import os, pathlib, time\npathlib.Path({marks!r}, str(os.getpid())).touch()\ntime.sleep(4)"
)


def _with_cell(notebook: str, code: str, at: int | None, ws: Path) -> None:
    """The project's notebook with one more code cell, as the workspace's own chapter."""
    import nbformat

    nb = nbformat.read(Path(__file__).parents[1] / "notebooks" / notebook, as_version=4)
    cell = nbformat.v4.new_code_cell(code)
    if nb.nbformat_minor < 5:  # cell ids came with nbformat 4.5
        del cell["id"]
    nb.cells.insert(len(nb.cells) if at is None else at, cell)
    (ws / "notebooks").mkdir(exist_ok=True)
    nbformat.write(nb, ws / "notebooks" / notebook)


def _slow_organ(root: Path, marks: Path) -> Path:
    """A workspace whose opening chapter notes each run (the kernel's pid) and sleeps."""

    ws = _organ(root, "示例慢公安局", 11)
    _with_cell("10_opening.ipynb", SLOW_CELL.format(marks=str(marks)), 1, ws)
    return ws


def test_a_worker_killed_mid_batch_loses_nothing(organs, client, local_reports, tmp_path):
    import psutil

    marks = tmp_path / "runs"
    marks.mkdir()
    slow = _slow_organ(tmp_path / "slow", marks)
    batch = [slow, organs[1]]
    local = {(slow, y): _local(slow, y, tmp_path / "local") for y in YEARS}
    local.update({(organs[1], y): local_reports[organs[1], y] for y in YEARS})
    for m in marks.iterdir():
        m.unlink()
    outcome: dict = {}

    def run():
        try:
            outcome["results"] = cluster.build_many(
                batch, YEARS, "unused", client=client, force=True, **QUIET
            )
        except BaseException as exc:  # pragma: no cover - said by the assert below
            outcome["error"] = exc

    batch_thread = threading.Thread(target=run)
    batch_thread.start()
    victim = None
    deadline = time.monotonic() + 120
    while victim is None and time.monotonic() < deadline:  # a worker whose kernel is asleep
        running = {int(m.name) for m in marks.iterdir()}
        for address in client.processing():
            with contextlib.suppress(Exception):
                pid = client.run(os.getpid, workers=[address])[address]
                kernels = {c.pid for c in psutil.Process(pid).children(recursive=True)}
                if kernels & running:
                    victim = pid
        time.sleep(0.2)
    assert victim is not None, "the slow chapter never ran"
    pid = victim
    psutil.Process(pid).kill()
    batch_thread.join(timeout=300)
    assert not batch_thread.is_alive()
    assert "error" not in outcome, outcome.get("error")
    assert len(list(marks.iterdir())) >= 3  # the killed chapter ran again (2 years + a rerun)
    for (ws, year), reference in local.items():
        ours = _whole(ws, year)
        assert (ours / "metrics.csv").read_bytes() == (reference / "metrics.csv").read_bytes()
        assert _text(ours) == _text(reference)


def test_a_failing_chapter_leaves_its_report_as_it_was_and_the_others_built(
    organs, client, tmp_path
):
    from helpers.errors import ChapterError

    broken = _organ(tmp_path / "broken", "示例错公安局", 13)
    _with_cell("40_plans.ipynb", "raise ValueError('broken on purpose')", None, broken)
    manifest = organs[2] / "reports" / "2021" / "manifest.json"
    before = manifest.read_bytes() if manifest.exists() else b""
    with pytest.raises(ChapterError) as caught:
        cluster.build_many(
            [broken, organs[2]], [2021], "unused", client=client, force=True, **QUIET
        )
    assert caught.value.chapter == "40_plans" and caught.value.evalue == "broken on purpose"
    assert not (broken / "reports" / "2021").exists()  # never published, nothing half-written
    assert not list((broken / "reports").glob(".*.tmp-*"))
    assert (broken / "reports" / "failures" / "2021" / "40_plans.ipynb").is_file()
    assert manifest.read_bytes() != before  # built again
    _whole(organs[2], 2021)


def test_workspaces_without_a_scheduler_build_here_and_reuse_the_cluster_s_reports(organs, capsys):
    # the reports the cluster built have the keys a local build makes: nothing runs again
    argv = ["build", "--workspaces", str(organs[0]), str(organs[1]), "--years", "2021-2022"]
    assert main([*argv, "--no-pdf", "--jobs", "1"]) == 0
    said = capsys.readouterr().out
    assert said.count("已核对，没有变化") == 4
    assert main([*argv, "--workspace", str(organs[2])]) == 2
    assert "--workspaces" in capsys.readouterr().err
