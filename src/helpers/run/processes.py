"""Stopping everything a build started: worker processes and their kernels."""

from __future__ import annotations

import logging
import os
import signal
import time
from pathlib import Path

log = logging.getLogger(__name__)


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children, grandchildren …), read from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def terminate_children(grace: float = 3.0) -> int:
    """SIGTERM every descendant of this process, then SIGKILL those still running after ``grace`` s."""
    pids = [p for p in descendants(os.getpid()) if not _is_resource_tracker(p)]
    for pid in pids:
        _signal(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(alive(p) for p in pids):
        time.sleep(0.05)
    for pid in pids:
        if alive(pid):
            _signal(pid, signal.SIGKILL)
    if pids:
        log.info("已停止 %d 个子进程", len(pids))
    return len(pids)


def _is_resource_tracker(pid: int) -> bool:
    """multiprocessing's resource tracker is shared by the whole process and outlives pools:
    stopping it only makes Python print warnings and start it again."""
    try:
        return b"multiprocessing.resource_tracker" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass
