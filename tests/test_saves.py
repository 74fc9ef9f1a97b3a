"""A chapter's output notebook is written when the run starts and ends, and at a cell's start
or end only once a second has passed since the last write (execute._engine): papermill's own
engine writes the whole notebook, charts included, twice for every cell."""

from __future__ import annotations

import json

import papermill.engines

from helpers.run import execute
from nbfiles import code_notebook

CELLS = ["x = 1", "x += 1", "x += 1", "x += 1", "import time\ntime.sleep(1.5)", "print(x)"]


def test_short_cells_are_not_each_written_out(tmp_path, monkeypatch):
    writes: list[list[str]] = []  # the status of each cell, at each write
    real = papermill.engines.write_ipynb

    def counted(nb, path):
        writes.append([c.metadata.papermill["status"] for c in nb.cells])
        return real(nb, path)

    monkeypatch.setattr(papermill.engines, "write_ipynb", counted)
    out = tmp_path / "out.ipynb"
    execute.run_chapter(code_notebook(tmp_path / "saves.ipynb", CELLS), out, {})
    # papermill's engine: 1 + 2 × 6 + 1 = 14 writes. Here: the start, the end of the cell that
    # slept (1.5 s after the last write), the end; a slow machine may add one or two
    assert 3 <= len(writes) <= 5, writes
    assert writes[0] == ["pending"] * len(CELLS)
    assert any(w[4] == "completed" and w[5] != "completed" for w in writes[1:-1])
    assert writes[-1] == ["completed"] * len(CELLS)
    cells = json.loads(out.read_text(encoding="utf-8"))["cells"]
    assert "".join(cells[-1]["outputs"][0]["text"]).strip() == "4"
