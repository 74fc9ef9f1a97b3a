"""What a build says while it runs: plain lines when piped, rich on a terminal, a heartbeat for a
long chapter that stops with the build."""

import io
import re
import shutil
import threading
import time

import pytest
from rich.console import Console

from helpers import paths
from helpers.run import pool, progress
from helpers.run.build import build_report


class Lines(list):
    def __call__(self, text: str) -> None:
        self.append(text)


def two_chapters(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for stem in ("10_opening", "40_plans"):
        shutil.copy(paths.NOTEBOOKS / f"{stem}.ipynb", folder)
    return folder


def test_plain_lines_of_a_small_build(small_dir, tmp_path, monkeypatch):
    """Year 1/1, the chapters by their Chinese titles and n/N, a heartbeat for the slow one, and
    no thread left once the build is over."""
    real = pool.run_task

    def slow(task):
        if task.notebook.stem == "40_plans":
            time.sleep(0.5)
        return real(task)

    monkeypatch.setattr(pool, "run_task", slow)
    monkeypatch.setattr(progress.Display, "heartbeat_seconds", 0.1)
    lines = Lines()
    build_report(
        2021,
        data_dir=small_dir,
        reports_dir=tmp_path / "r",
        notebooks_dir=two_chapters(tmp_path),
        pdf_output=False,
        jobs=1,
        progress=lines,
    )
    assert lines[0] == "年度 1/1：2021年"
    assert re.fullmatch(r"2021年：已检查 \d+ 张原始数据表", lines[1])
    assert lines[2] == "2021年：运行 2 章（同时运行 1 章）"
    done = [x for x in lines if "章完成" in x]
    assert [re.sub(r"（[\d.]+ 秒）", "", x) for x in done] == [
        "  第 1/2 章完成：开篇",
        "  第 2/2 章完成：下一年工作打算",
    ]
    beats = [x for x in lines if x.startswith("  仍在运行：")]
    assert all(re.fullmatch(r"  仍在运行：(开篇|下一年工作打算)（已 \d+ 秒）", x) for x in beats)
    slow_beats = [i for i, x in enumerate(lines) if x.startswith("  仍在运行：下一年工作打算")]
    assert slow_beats
    assert lines.index("  开始：下一年工作打算") < slow_beats[0] < lines.index(done[1])
    assert lines[-1] == f"2021年：报告已生成，在 {tmp_path / 'r' / '2021'}"
    assert not [t for t in threading.enumerate() if t.name == "lawreport-heartbeat"]


def test_heartbeat_names_long_chapters_and_stops():
    lines = Lines()
    shown = progress.Plain(say=lines)
    shown.heartbeat_seconds = 0.05
    shown.chapters(2021, {"13_safety": "安全稳定", "10_opening": "开篇"}, 2)
    shown.chapter_started("13_safety")
    with progress.Heartbeat(shown.beat, 0.05) as beat:
        time.sleep(0.3)
        thread = beat._thread
    assert not thread.is_alive()
    after = len(lines)
    time.sleep(0.15)
    assert len(lines) == after  # nothing said once the block is left
    beats = lines[2:]
    assert beats and all(re.fullmatch(r"  仍在运行：安全稳定（已 \d+ 秒）", x) for x in beats)


def test_heartbeat_stops_when_the_build_fails():
    with pytest.raises(RuntimeError), progress.Heartbeat(lambda: None, 0.01) as beat:
        raise RuntimeError("boom")
    assert beat._thread is None
    assert not [t for t in threading.enumerate() if t.name == "lawreport-heartbeat"]


def test_still_running_line():
    assert (
        progress.still_running([("安全稳定", 12.4), ("严格规范执法", 7)])
        == "  仍在运行：安全稳定（已 12 秒）、严格规范执法（已 7 秒）"
    )


class Stream(io.StringIO):
    def __init__(self, tty: bool):
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize("tty, kind", [(True, progress.Live), (False, progress.Plain)])
def test_rich_only_on_a_terminal(tty, kind):
    assert type(progress.for_terminal(Stream(tty))) is kind


def test_a_callable_is_a_plain_display():
    lines = Lines()
    shown = progress.display(lines)
    assert isinstance(shown, progress.Plain)
    shown.year(2, 3, 2022)
    assert lines == ["年度 2/3：2022年"]
    live = progress.Live(Console(file=io.StringIO()))
    assert progress.display(live) is live


def test_live_display_draws_and_stops():
    out = io.StringIO()
    shown = progress.Live(Console(file=out, force_terminal=True, width=80))
    shown.year(1, 1, 2021)
    shown.chapters(2021, {"13_safety": "安全稳定"}, 1)
    shown.chapter_started("13_safety")
    shown.beat()
    shown.chapter_done("13_safety", 1.5)
    shown.step("2021年：正在汇编 report.html、report.docx")
    shown.close()
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out.getvalue())
    assert "第 1/1 章完成：安全稳定（1.5 秒）" in text
    assert "正在汇编" in text
    assert "\x1b[" in out.getvalue()  # drawn for a terminal
    assert not shown.bars.live.is_started
    assert not [t for t in threading.enumerate() if type(t).__name__ == "_RefreshThread"]


def test_a_failed_build_closes_the_display(tmp_path):
    """Year n/N is said once a year's inputs are checked, so a year whose inputs are wrong says
    only its error; a year that fails still closes the display (rich's refresh thread stops)."""
    from helpers.errors import ParamsError
    from helpers.run.build import build_reports

    class Recorded(progress.Plain):
        closed = False

        def close(self):
            super().close()
            self.closed = True

    lines = Lines()
    shown = Recorded(say=lines)
    with pytest.raises(ParamsError):
        build_reports([2030, 2031], progress=shown, reports_dir=tmp_path / "r")
    assert lines == [] and shown.closed
