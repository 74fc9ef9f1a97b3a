"""Stopping everything a build started: worker processes and their kernels.

psutil reads the process table on Windows, macOS and Linux alike (no /proc), and its
``Process`` objects notice when a process id was reused by another program.
"""

from __future__ import annotations

import logging
import os
import time

import psutil

log = logging.getLogger(__name__)


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children, grandchildren …); [] when ``pid`` is gone."""
    try:
        return [p.pid for p in psutil.Process(pid).children(recursive=True)]
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return []


def alive(pid: int) -> bool:
    """Whether a process exists and is not a zombie."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:  # another user's process: it exists
        return True


def terminate_children(grace: float = 3.0) -> int:
    """Ask every descendant of this process to stop (SIGTERM; TerminateProcess on Windows), then
    kill those still running after ``grace`` s."""
    try:
        procs = psutil.Process(os.getpid()).children(recursive=True)
    except psutil.NoSuchProcess:  # pragma: no cover - this process always exists
        procs = []
    procs = [p for p in procs if not _is_resource_tracker(p.pid)]
    for proc in procs:
        _stop(proc, psutil.Process.terminate)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(_running(p) for p in procs):
        time.sleep(0.05)
    for proc in procs:
        if _running(proc):
            _stop(proc, psutil.Process.kill)
    if procs:
        log.info("已停止 %d 个子进程", len(procs))
    return len(procs)


def _is_resource_tracker(pid: int) -> bool:
    """multiprocessing's resource tracker is shared by the whole process and outlives pools:
    stopping it only makes Python print warnings and start it again."""
    try:
        cmdline = psutil.Process(pid).cmdline()
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return False
    return any("multiprocessing.resource_tracker" in part for part in cmdline)


def _running(proc: psutil.Process) -> bool:
    """Still there (the same process, not a reused id) and not a zombie."""
    try:
        return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return False


def _stop(proc: psutil.Process, how) -> None:
    try:
        how(proc)
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        pass
