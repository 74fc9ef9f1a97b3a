"""The package runs on Windows, macOS and Linux: no POSIX-only call outside a guarded fallback,
process trees seen and stopped through psutil, the per-year build lock through filelock."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import textwrap
import time

import psutil
import pytest

from helpers import paths
from helpers.errors import BuildLockedError
from helpers.run import processes
from helpers.run.folders import year_lock

# ------------------------------------------------------------------ no POSIX-only calls
POSIX_MODULES = {"fcntl", "termios", "pwd", "grp", "resource", "posix"}
POSIX_ATTRIBUTES = {
    "os": {"fork", "forkpty", "killpg", "setsid", "setpgrp", "getpgid", "geteuid", "getuid"},
    "signal": {"SIGKILL", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGCHLD"},
}


PLATFORM_MODULES = {"os", "signal", "sys", "socket", "errno"}
SHELLS = {"bash", "sh", "/bin/sh", "/bin/bash", "zsh"}


def _is_guard(test: ast.expr) -> bool:
    """A condition that checks the platform: sys.platform, os.name or hasattr(…)."""
    for node in ast.walk(test):
        if isinstance(node, ast.Attribute) and (node.attr, getattr(node.value, "id", None)) in {
            ("platform", "sys"),
            ("name", "os"),
        }:
            return True
        if (  # hasattr(os, "killpg"): asks the platform; hasattr(anything, …) does not
            isinstance(node, ast.Call)
            and getattr(node.func, "id", None) == "hasattr"
            and getattr(node.args[0] if node.args else None, "id", None) in PLATFORM_MODULES
        ):
            return True
    return False


def _catches_import_or_attribute_error(handler: ast.ExceptHandler) -> bool:
    names = (
        {n.id for n in ast.walk(handler.type) if isinstance(n, ast.Name)} if handler.type else set()
    )
    return bool(names & {"ImportError", "ModuleNotFoundError", "AttributeError"})


def posix_only_uses(source: str, filename: str = "<source>") -> list[str]:
    """Every POSIX-only import, /proc path, fork or POSIX-only os/signal attribute in ``source``
    that is not inside a guarded fallback (an ``if`` on the platform or hasattr, the right side
    of ``hasattr(…) and …``, or a ``try`` that catches ImportError/AttributeError)."""
    tree = ast.parse(source, filename)
    docstrings = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    found: list[str] = []

    def visit(node: ast.AST, guarded: bool) -> None:
        if not guarded:
            what = _posix_only(node, docstrings)
            if what:
                found.append(f"{filename}:{node.lineno}: {what}")
        if isinstance(node, ast.If | ast.IfExp) and _is_guard(node.test):
            visit(node.test, guarded)
            for child in [*_as_list(node.body), *_as_list(node.orelse)]:
                visit(child, True)
            return
        if isinstance(node, ast.Try) and any(
            _catches_import_or_attribute_error(h) for h in node.handlers
        ):
            for child in node.body:
                visit(child, True)
            for child in [*node.handlers, *node.orelse, *node.finalbody]:
                visit(child, guarded)
            return
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.And):
            seen_guard = guarded
            for value in node.values:
                visit(value, seen_guard)
                seen_guard = seen_guard or _is_guard(value)
            return
        for child in ast.iter_child_nodes(node):
            visit(child, guarded)

    visit(tree, False)
    return found


def _first_text(call: ast.Call) -> str | None:
    first = call.args[0] if call.args else None
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None


def _as_list(body) -> list:
    return body if isinstance(body, list) else [body]


def _posix_only(node: ast.AST, docstrings: set[int]) -> str | None:
    if isinstance(node, ast.Import):
        bad = [a.name for a in node.names if a.name.split(".")[0] in POSIX_MODULES]
        return f"import {', '.join(bad)}" if bad else None
    if isinstance(node, ast.ImportFrom) and node.module:
        if node.module.split(".")[0] in POSIX_MODULES:
            return f"from {node.module} import …"
        bad = [a.name for a in node.names if a.name in POSIX_ATTRIBUTES.get(node.module, set())]
        return f"from {node.module} import {', '.join(bad)}" if bad else None
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        if node.attr in POSIX_ATTRIBUTES.get(node.value.id, set()):
            return f"{node.value.id}.{node.attr}"
    if (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and node.value.startswith("/proc")
    ):
        return f"reads {node.value!r}"
    if isinstance(node, ast.Call) and _first_text(node) in POSIX_MODULES:
        called = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if called in {"__import__", "import_module"}:
            return f"{called}({_first_text(node)!r})"
    if isinstance(node, ast.Call) and getattr(node.func, "attr", None) in {
        "run",
        "Popen",
        "call",
        "check_call",
        "check_output",
    }:
        first = node.args[0] if node.args else None
        shell = (
            first.elts[0].value
            if isinstance(first, ast.List | ast.Tuple)
            and first.elts
            and isinstance(first.elts[0], ast.Constant)
            else first.value.split()[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str) and first.value
            else None
        )
        if shell in SHELLS:
            return f"runs {shell}"
    if isinstance(node, ast.Call) and getattr(node.func, "attr", None) in {
        "get_context",
        "set_start_method",
    }:
        if any(isinstance(a, ast.Constant) and a.value == "fork" for a in node.args):
            return "multiprocessing start method 'fork'"
    return None


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import fcntl\n", ["<source>:1: import fcntl"]),
        ("import os\nos.fork()\n", ["<source>:2: os.fork"]),
        ("from pathlib import Path\nPath('/proc').glob('*')\n", ["<source>:2: reads '/proc'"]),
        ("x = open(f'/proc/{pid}/stat')\n", ["<source>:1: reads '/proc/'"]),
        ("import os, signal\nos.kill(1, signal.SIGKILL)\n", ["<source>:2: signal.SIGKILL"]),
        (
            "import multiprocessing as m\nm.get_context('fork')\n",
            ["<source>:2: multiprocessing start method 'fork'"],
        ),
        ('__import__("fcntl")\n', ["<source>:1: __import__('fcntl')"]),
        (
            "import importlib\nimportlib.import_module('fcntl')\n",
            ["<source>:2: import_module('fcntl')"],
        ),
        (
            "import subprocess\nsubprocess.run(['bash', '-c', 'ls'])\n",
            ["<source>:2: runs bash"],
        ),
        ("import subprocess\nsubprocess.run('sh x.sh', shell=True)\n", ["<source>:2: runs sh"]),
        # a hasattr that does not ask the platform guards nothing
        ("if hasattr(str, 'upper'):\n    import fcntl\n", ["<source>:2: import fcntl"]),
        # not code: a comment and a docstring
        ("# we used to import fcntl and call os.fork() on /proc\nx = 1\n", []),
        ('"""No /proc here: psutil reads it."""\n', []),
        # guarded fallbacks
        ("import sys\nif sys.platform != 'win32':\n    import fcntl\n", []),
        ("import os\nif os.name == 'posix':\n    os.killpg(1, 15)\n", []),
        ("import os\nroot = hasattr(os, 'geteuid') and os.geteuid() == 0\n", []),
        ("try:\n    import fcntl\nexcept ImportError:\n    fcntl = None\n", []),
        # a guard covers its own branch only
        (
            "import sys, os\nif sys.platform == 'linux':\n    pass\nos.fork()\n",
            ["<source>:4: os.fork"],
        ),
    ],
)
def test_the_checker_finds_calls_not_comments(source, expected):
    assert posix_only_uses(source) == expected


def test_product_code_has_no_posix_only_calls():
    found = []
    for file in sorted(paths.HELPERS.rglob("*.py")):
        found += posix_only_uses(
            file.read_text(encoding="utf-8"), str(file.relative_to(paths.ROOT))
        )
    assert found == []


# ------------------------------------------------------------------ process trees via psutil
TREE = textwrap.dedent(
    """
    import subprocess, sys, time
    grandchild = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    print(grandchild.pid, flush=True)
    time.sleep(120)
    """
)


def _wait_for(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_descendants_and_alive_follow_a_real_process_tree():
    child = subprocess.Popen([sys.executable, "-c", TREE], stdout=subprocess.PIPE, text=True)
    try:
        grandchild = int(child.stdout.readline())
        assert processes.descendants(child.pid) == [grandchild]
        assert {child.pid, grandchild} <= set(processes.descendants(os.getpid()))
        assert processes.alive(child.pid) and processes.alive(grandchild)
        psutil.Process(grandchild).kill()
        assert _wait_for(lambda: not processes.alive(grandchild))
        child.kill()
        if sys.platform != "win32":  # killed but not yet waited for: a zombie, not alive
            assert _wait_for(lambda: psutil.Process(child.pid).status() == psutil.STATUS_ZOMBIE)
            assert psutil.pid_exists(child.pid) and not processes.alive(child.pid)
    finally:
        child.kill()
        child.wait(10)
        child.stdout.close()
    assert not processes.alive(child.pid)
    assert processes.descendants(child.pid) == []  # a process that is gone has no tree


DRIVER = textwrap.dedent(
    """
    import json, signal, subprocess, sys, time
    from helpers.run import processes

    tracker = None
    if sys.platform != "win32":  # the resource tracker is left alone (it serves the whole process)
        from multiprocessing import resource_tracker
        resource_tracker.ensure_running()
        tracker = resource_tracker._resource_tracker._pid
    stubborn = "import signal, sys, time\\n" + (
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\\n" if sys.platform != "win32" else ""
    ) + "print('ready', flush=True)\\ntime.sleep(120)"
    middle = (
        "import subprocess, sys, time\\n"
        f"g = subprocess.Popen([sys.executable, '-c', {stubborn!r}], stdout=subprocess.PIPE, text=True)\\n"
        "g.stdout.readline()\\nprint(g.pid, flush=True)\\ntime.sleep(120)"
    )
    child = subprocess.Popen([sys.executable, "-c", middle], stdout=subprocess.PIPE, text=True)
    grandchild = int(child.stdout.readline())
    start = time.monotonic()
    stopped = processes.terminate_children(grace=1.0)
    seconds = time.monotonic() - start
    child.wait(10)
    print(json.dumps({
        "child": child.pid, "grandchild": grandchild, "stopped": stopped, "seconds": seconds,
        "tracker": tracker,
        "tracker_seen": tracker is not None and processes._is_resource_tracker(tracker),
        "tracker_alive": tracker is not None and processes.alive(tracker),
    }))
    """
)


def test_terminate_children_stops_a_whole_tree_even_one_that_ignores_sigterm():
    import json

    run = subprocess.run(
        [sys.executable, "-c", DRIVER],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(paths.ROOT / "src")},
    )
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout.splitlines()[-1])
    assert seen["stopped"] == 2  # the child and the grandchild; not the resource tracker
    assert _wait_for(lambda: not processes.alive(seen["grandchild"]))
    assert not processes.alive(seen["child"])
    assert 0.9 <= seen["seconds"] < 5  # the grandchild ignored SIGTERM: killed after the grace
    if sys.platform != "win32":
        assert seen["tracker_seen"] and seen["tracker_alive"]


# ------------------------------------------------------------------ the per-year build lock
def test_a_second_holder_of_the_year_is_refused_at_once_with_the_lock_named(tmp_path):
    with year_lock(tmp_path, 2021):
        start = time.monotonic()
        with pytest.raises(BuildLockedError) as err:
            with year_lock(tmp_path, 2021):
                pass
        assert time.monotonic() - start < 1.0
        assert "2021" in err.value.message and str(tmp_path / ".2021.lock") in err.value.message
        assert err.value.fix
        with year_lock(tmp_path, 2022):  # another year is not blocked
            pass
    with year_lock(tmp_path, 2021):  # released: the next build of 2021 goes ahead
        pass


HOLDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from helpers.run.folders import year_lock

    with year_lock(Path(sys.argv[1]), 2021):
        print("held", flush=True)
        sys.stdin.readline()
    """
)


@pytest.mark.parametrize("ends", ["finishes", "is killed"])
def test_the_lock_held_by_another_process_refuses_until_it_ends(tmp_path, ends):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(paths.ROOT / "src")},
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(BuildLockedError, match="2021年的报告正由另一次构建生成"):
            with year_lock(tmp_path, 2021):
                pass
        if ends == "finishes":
            holder.stdin.write("\n")
            holder.stdin.flush()
            assert holder.wait(10) == 0
        else:  # kill -9 / TerminateProcess: the system releases the lock
            holder.kill()
            holder.wait(10)
    finally:
        holder.kill()
        holder.wait(10)
        holder.stdin.close()
        holder.stdout.close()
    with year_lock(tmp_path, 2021):
        pass
