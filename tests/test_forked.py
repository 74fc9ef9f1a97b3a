"""Kernels forked from a template process (Linux): the same kernel as a launched one, seen from
the notebook; a new template when the helpers change; nothing left when its owner goes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from jupyter_client.utils import run_sync

from helpers.run import execute, forked, processes
from nbfiles import code_notebook

pytestmark = [
    pytest.mark.skipif(
        not sys.platform.startswith("linux"), reason="kernels are forked only on Linux"
    ),
    # each test's kernels and this process's template end with it (later tests count this
    # process's children)
    pytest.mark.usefixtures("no_process_left"),
]


PROBE_CELLS = [
    "import os, sys, random, json\n"
    "env = {k: v for k, v in os.environ.items() if k != 'JPY_PARENT_PID'}\n"
    "print(json.dumps({'cwd': os.getcwd(), 'path': sys.path, 'env': env,\n"
    "                  'own_group': os.getpgid(0) == os.getpid(),\n"
    "                  'shell': type(get_ipython()).__name__,\n"
    "                  'cmdline': open('/proc/self/cmdline', 'rb').read().decode(errors='replace'),\n"
    "                  'random': random.random()}))",
    "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])",  # the inline backend shows it
    "import helpers\nprint(helpers.__file__)",
]


def _notebook(folder: Path) -> Path:
    return code_notebook(folder / "probe.ipynb", PROBE_CELLS)


def _run(nb: Path, out: Path) -> dict:
    execute.run_chapter(nb, out, {})
    cells = json.loads(out.read_text(encoding="utf-8"))["cells"]
    probe = json.loads(
        cells[0]["outputs"][0]["text"]
        if isinstance(cells[0]["outputs"][0]["text"], str)
        else "".join(cells[0]["outputs"][0]["text"])
    )
    probe["plot"] = sorted(
        (o["output_type"], tuple(sorted(o.get("data", {})))) for o in cells[1]["outputs"]
    )
    probe["helpers"] = "".join(cells[2]["outputs"][0]["text"]).strip()
    return probe


def test_a_forked_kernel_is_what_the_notebook_would_see_in_a_launched_one(tmp_path, monkeypatch):
    monkeypatch.setenv("LAWREPORT_PROBE", "探针")
    nb = _notebook(tmp_path / "chapters")
    first = _run(nb, tmp_path / "a.ipynb")
    second = _run(nb, tmp_path / "b.ipynb")
    monkeypatch.setenv("LAWREPORT_FORK_KERNELS", "0")
    launched = _run(nb, tmp_path / "c.ipynb")

    assert "helpers.run.forked" in first["cmdline"] and "helpers.run.forked" in second["cmdline"]
    assert "ipykernel_launcher" in launched["cmdline"]
    assert first["cwd"] == launched["cwd"] == str(nb.parent)
    assert first["path"] == launched["path"]
    assert sys.path[0] not in first["path"] or sys.path[0] in launched["path"]
    env = {k: v for k, v in first["env"].items() if k != "LAWREPORT_FORK_KERNELS"}
    assert env == {k: v for k, v in launched["env"].items() if k != "LAWREPORT_FORK_KERNELS"}
    assert first["env"]["LAWREPORT_PROBE"] == "探针"
    assert first["own_group"] and launched["own_group"]
    assert first["shell"] == launched["shell"] == "ZMQInteractiveShell"
    assert first["plot"] == launched["plot"]
    assert ("display_data", ("image/png", "text/plain")) in first["plot"]
    assert (
        first["helpers"]
        == launched["helpers"]
        == str(Path(forked.__file__).parents[1] / "__init__.py")
    )
    assert first["random"] != second["random"]  # not the template's sequence in every kernel


def test_another_interpreter_is_launched_not_forked(tmp_path):
    other = tmp_path / "python3"
    other.write_text("#!/bin/sh\n")
    assert (
        forked._launcher_arguments([str(other), "-m", "ipykernel_launcher", "-f", "c.json"]) is None
    )
    assert forked._launcher_arguments(
        [sys.executable, "-m", "ipykernel_launcher", "-f", "c.json"]
    ) == [
        "-f",
        "c.json",
    ]
    assert (
        forked._launcher_arguments([sys.executable, "-m", "other_kernel", "-f", "c.json"]) is None
    )


def test_changed_helpers_code_starts_a_new_template(monkeypatch):
    template = forked.Template()
    try:
        template.start()
        first = template.proc
        template.start()
        assert template.proc is first  # nothing changed: the same template
        monkeypatch.setattr(forked, "code_state", lambda: (("changed.py", 1, 1),))
        template.start()
        assert template.proc is not first and first.poll() is not None
        monkeypatch.setenv("LAWREPORT_PROBE", "another environment")
        second = template.proc
        template.start()
        assert template.proc is not second and second.poll() is not None
    finally:
        template.stop()


def test_turned_off_or_elsewhere_no_fork_provisioner(monkeypatch):
    km = execute.IPCKernelManager(kernel_name="python3")
    monkeypatch.setenv("LAWREPORT_FORK_KERNELS", "0")
    assert forked.provisioner_for(km) is None
    monkeypatch.delenv("LAWREPORT_FORK_KERNELS")
    assert isinstance(forked.provisioner_for(km), forked.ForkProvisioner)
    monkeypatch.setattr(sys, "platform", "win32")
    assert forked.provisioner_for(km) is None


def test_template_and_kernels_end_with_the_process_that_owns_them(tmp_path):
    script = textwrap.dedent(
        f"""
        import os, sys
        from pathlib import Path
        from helpers.run import execute, forked
        km = execute.start_kernel(Path({str(tmp_path)!r}))
        print(km.provisioner.pid, forked.TEMPLATE.proc.pid, flush=True)
        os._exit(0)  # no clean-up: the template sees its input end, the kernel its parent go
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        timeout=120,
        check=True,
    )
    kernel, template = map(int, out.stdout.split())
    assert kernel != template
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and (processes.alive(kernel) or processes.alive(template)):
        time.sleep(0.2)
    assert not processes.alive(template)
    assert not processes.alive(kernel)


def test_a_kernel_forked_as_its_template_ends_does_not_outlive_it(tmp_path):
    """The race tester round 25 met twice in 25 failing builds: the template ended just after
    forking a kernel. The child then saw pid 1 as its parent, told ipykernel to watch that
    (which it never does) and ran on. Now it knows its template's pid from before the fork,
    and, finding its parent gone, exits. Here the "template" is a process that forks the
    kernel's set-up and ends at once, before the child looks."""
    report = tmp_path / "child"
    script = textwrap.dedent(
        f"""
        import os, time
        from helpers.run import forked
        template = os.getpid()
        if os.fork() == 0:  # the kernel-to-be
            time.sleep(1.0)  # its template ends meanwhile
            try:
                forked._become_kernel({{"cwd": ".", "env": {{}}, "argv": [], "log": None}}, template)
            finally:
                open({str(report)!r}, "w").write("ran on")
                os._exit(0)
        os._exit(0)  # the template ends before its child has looked
        """
    )
    subprocess.run([sys.executable, "-c", script], timeout=60, check=True)
    time.sleep(2.5)
    assert not report.exists()  # exited in _become_kernel, never reaching the kernel's start


def test_a_kernel_watches_its_templates_pid_as_its_parent(tmp_path):
    script = textwrap.dedent(
        """
        import os, sys, json
        from helpers.run import forked
        read, write = os.pipe()
        template = os.getpid()
        pid = os.fork()
        if pid == 0:
            forked._become_kernel({"cwd": ".", "env": {}, "argv": [], "log": None}, template)
            os.write(write, json.dumps([sys.argv[-1], os.environ["JPY_PARENT_PID"]]).encode())
            os._exit(0)
        os.waitpid(pid, 0)
        print(os.read(read, 4096).decode() + "|" + str(template))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, timeout=60, check=True
    ).stdout.strip()
    said, template = json.loads(out.split("|")[0]), out.split("|")[1]
    assert said == [f"--IPKernelApp.parent_handle={template}", template]


def test_a_kernel_that_dies_is_a_chapter_error(tmp_path):
    from helpers.errors import ChapterError

    folder = tmp_path / "nbs"
    folder.mkdir()
    nb = folder / "dies.ipynb"
    cell = {
        "cell_type": "code",
        "id": "dies",
        "metadata": {},
        "outputs": [],
        "execution_count": None,
    }
    nb.write_text(
        json.dumps(
            {
                "cells": [{**cell, "source": "import os\nos._exit(3)"}],
                "metadata": {
                    "kernelspec": {
                        "name": "python3",
                        "display_name": "Python 3",
                        "language": "python",
                    }
                },
                "nbformat": 4,
                "nbformat_minor": 5,
            }
        ),
        encoding="utf-8",
    )
    with pytest.raises(ChapterError) as err:
        execute.run_chapter(nb, tmp_path / "out" / "dies.ipynb", {}, tmp_path / "failures")
    assert err.value.ename == "DeadKernelError"
    assert (tmp_path / "failures" / "dies.ipynb").exists()


def _open_files(fds: Path) -> set[str]:
    """What a running process's descriptors point to; one it closes while they are read (the
    kernel still importing or starting a thread) is passed over."""
    seen = set()
    for fd in fds.iterdir():
        try:
            seen.add(os.readlink(fd))
        except FileNotFoundError:
            pass
    return seen


def test_kernel_output_goes_to_the_chapter_log(tmp_path):
    log = tmp_path / "kernel.log"
    with open(log, "ab") as sink:
        km = execute.start_kernel(tmp_path, stderr=sink)
    try:
        assert isinstance(km.provisioner, forked.ForkProvisioner)
        pid = km.provisioner.pid
        kc = km.client()
        kc.start_channels()
        try:
            run_sync(kc.wait_for_ready)(timeout=60)  # the kernel answers: it is running
        finally:
            kc.stop_channels()
        fds = Path(f"/proc/{pid}/fd")
        assert str(log) in _open_files(fds)  # what it writes outside cells
        assert os.readlink(fds / "0") == os.devnull
    finally:
        execute.stop_kernel(km)


def test_a_log_named_relative_to_the_builds_folder_is_the_kernels_log(tmp_path, monkeypatch):
    """``--reports-dir reports``: the chapter log's name is relative to the folder the build
    runs in, not to the template's; the kernel must still start and write there."""
    monkeypatch.chdir(tmp_path)
    Path("logs").mkdir()
    with open("logs/kernels.log", "ab") as sink:
        km = execute.start_kernel(tmp_path, stderr=sink)
    try:
        kc = km.client()
        kc.start_channels()
        try:
            run_sync(kc.wait_for_ready)(timeout=60)
        finally:
            kc.stop_channels()
        fds = Path(f"/proc/{km.provisioner.pid}/fd")
        assert str(tmp_path / "logs" / "kernels.log") == os.readlink(fds / "2")
    finally:
        execute.stop_kernel(km)


def test_a_module_in_the_folder_the_build_starts_from_does_not_shadow_the_templates(tmp_path):
    (tmp_path / "uuid.py").write_text("raise ImportError('不是标准库的 uuid')\n", encoding="utf-8")
    script = textwrap.dedent(
        """
        from pathlib import Path
        from jupyter_client.utils import run_sync
        from helpers.run import execute, forked
        km = execute.start_kernel(Path.cwd())
        kc = km.client(); kc.start_channels()
        run_sync(kc.wait_for_ready)(timeout=60)
        print(type(km.provisioner).__name__, flush=True)
        kc.stop_channels(); execute.stop_kernel(km); forked.TEMPLATE.stop()
        """
    )
    runner = tmp_path / "elsewhere" / "run.py"  # as the lawreport command: cwd not on sys.path
    runner.parent.mkdir()
    runner.write_text(script, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, str(runner)], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ForkProvisioner"


def test_a_pool_worker_ends_when_its_build_is_killed(tmp_path):
    worker = (
        "import os, time\nfrom helpers.run.pool import _end_with_parent\n"
        "_end_with_parent(os.getppid(), 0.1)\n"
        "print('watching', flush=True)\ntime.sleep(120)\n"
    )
    build = textwrap.dedent(
        f"""
        import os, subprocess, sys
        child = subprocess.Popen([sys.executable, "-c", {worker!r}], stdout=subprocess.PIPE, text=True)
        print(child.pid, child.stdout.readline().strip(), flush=True)
        os._exit(0)  # as if killed: nothing stops the worker
        """
    )
    out = subprocess.run([sys.executable, "-c", build], capture_output=True, text=True, timeout=60)
    pid, said = out.stdout.split()
    assert said == "watching"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and processes.alive(int(pid)):
        time.sleep(0.1)
    assert not processes.alive(int(pid))


WORKER = """
import json, logging, sys
from pathlib import Path
logging.basicConfig(level=logging.DEBUG, format="%(name)s: %(message)s")  # a refusal says why
import psutil
from helpers.run import execute, forked
if {other_code}:
    forked.code_state = lambda: (("changed.py", 1, 1),)  # this worker's helpers differ
forked.TEMPLATE.connect({address!r})
km = execute.start_kernel(Path({folder!r}))
own = forked.TEMPLATE.proc.pid if forked.TEMPLATE.proc else None
print(json.dumps({{"parent": psutil.Process(km.provisioner.pid).ppid(), "own": own}}), flush=True)
execute.stop_kernel(km)
forked.TEMPLATE.stop()
"""


def _worker(address: str, folder: Path, other_code: bool = False) -> dict:
    """What a pool worker sees: the template its kernel came from, and its own (if any)."""
    script = WORKER.format(address=address, folder=str(folder), other_code=other_code)
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    seen["refused"] = [line for line in out.stderr.splitlines() if "内核模板（共用）" in line]
    return seen


def test_workers_fork_their_kernels_from_the_one_template_of_the_build(tmp_path):
    """A pool's workers are given the build's template (``share``): their kernels are its
    children, and no worker starts a template of its own; when the build is done, the template,
    its socket and the socket's folder are gone."""
    address = forked.TEMPLATE.share()
    assert address is not None
    shared = forked.TEMPLATE.proc.pid
    first, second = _worker(address, tmp_path), _worker(address, tmp_path)
    assert first == {"parent": shared, "own": None, "refused": []}
    assert second == {"parent": shared, "own": None, "refused": []}
    assert os.stat(address).st_mode & 0o077 == 0  # the socket is this user's alone
    forked.TEMPLATE.release()
    assert not processes.alive(shared)
    assert not os.path.exists(address) and not os.path.exists(os.path.dirname(address))


def test_a_worker_whose_helpers_differ_is_refused_and_forks_from_its_own_template(tmp_path):
    """The build's template imported the helpers as they were when it started: a worker that
    sees other code (edited meanwhile) must not get a kernel of the old code from it."""
    address = forked.TEMPLATE.share()
    shared = forked.TEMPLATE.proc.pid
    seen = _worker(address, tmp_path, other_code=True)
    assert seen["own"] is not None and seen["own"] != shared
    assert seen["parent"] == seen["own"]
    assert any("helpers 代码与内核模板的不同" in line for line in seen["refused"]), seen
    assert _worker(address, tmp_path)["parent"] == shared  # the others are still served
    forked.TEMPLATE.release()


def test_the_template_outlives_one_runner_while_another_shares_it(tmp_path):
    """Two runners in one process (a batch) share the template: the first to finish must not
    stop it under the second."""
    address = forked.TEMPLATE.share()
    assert forked.TEMPLATE.share() == address
    shared = forked.TEMPLATE.proc.pid
    forked.TEMPLATE.release()
    assert processes.alive(shared)
    seen = _worker(address, tmp_path)
    assert seen["parent"] == shared, seen
    forked.TEMPLATE.release()
    assert not processes.alive(shared)


def test_a_pool_runs_its_chapters_in_kernels_of_the_runners_template(tmp_path):
    """The runner of a build with two jobs shares its template with its two workers: every
    chapter's kernel is that template's child."""
    from helpers.run import pool
    from helpers.run.progress import Display

    folder = tmp_path / "chapters"
    folder.mkdir()
    cell = "import os\nprint(os.getppid())"
    for name in ("a", "b", "c"):
        nb = json.loads(_notebook(tmp_path / "x").read_text(encoding="utf-8"))
        nb["cells"] = [{**nb["cells"][0], "source": cell}]
        (folder / f"{name}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    runner = pool.ChapterRunner(2, folder, tmp_path / "logs", 3)
    try:
        shared = forked.TEMPLATE.proc.pid
        out = tmp_path / "out"
        chapters = [(folder / f"{n}.ipynb", out / f"{n}.ipynb", {}, ()) for n in ("a", "b", "c")]
        runner.run(
            runner.tasks(chapters, tmp_path / "failures"), Display(lambda _: None), lambda *_: None
        )
    finally:
        runner.close(failed=False)
    parents = {
        int(
            "".join(
                json.loads((out / f"{n}.ipynb").read_text(encoding="utf-8"))["cells"][0]["outputs"][
                    0
                ]["text"]
            )
        )
        for n in ("a", "b", "c")
    }
    assert parents == {shared}
    assert not processes.alive(shared)  # the runner's template ends with it


def test_a_kernel_that_dies_before_its_first_cell_is_a_chapter_error(tmp_path):
    """Killed (or crashed) while starting: the chapter is named and the kernels' log pointed to,
    not a RuntimeError from jupyter_client's depths."""
    import signal

    from helpers.errors import ChapterError

    nb = _notebook(tmp_path / "chapters")
    km = execute.start_kernel(nb.parent)
    os.kill(km.provisioner.pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while processes.alive(km.provisioner.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    with pytest.raises(ChapterError) as caught:
        execute.run_chapter(nb, tmp_path / "out.ipynb", {}, tmp_path / "failures", km=km)
    assert caught.value.chapter == "probe"
    assert "内核未能启动" in str(caught.value)
    assert f"查看 {tmp_path / 'failures' / 'logs'} 中各内核日志" in caught.value.fix


def test_a_worker_waits_for_a_template_that_has_not_bound_its_socket_yet(tmp_path):
    """On a busy machine a pool's worker can ask before the template's Python has started."""
    import socket
    import threading

    address = str(tmp_path / "t")

    def late_template():
        time.sleep(0.5)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        listener.bind(address)
        listener.listen(1)
        conn, _ = listener.accept()
        while not conn.recv(1 << 16).endswith(b"\n"):
            pass
        conn.sendall(b'{"pid": 4242}\n')
        conn.close()
        listener.close()

    server = threading.Thread(target=late_template, daemon=True)
    server.start()
    worker = forked.Template()
    worker.connect(address)
    assert worker._fork_shared({"argv": []}) == 4242
    server.join()


RELOAD_CELLS = [
    "%load_ext autoreload\n%autoreload 2",
    "import json\nip = get_ipython()\n"
    "hooks = [getattr(f, '__qualname__', repr(f)) for f in ip.events.callbacks['pre_run_cell']]\n"
    "print(json.dumps({'hooks': hooks, 'magic': 'autoreload' in ip.magics_manager.magics['line'],\n"
    "                  'history': ip.history_manager.enabled}))",
]


def _reload_probe(nb: Path, out: Path) -> dict:
    execute.run_chapter(nb, out, {})
    cells = json.loads(out.read_text(encoding="utf-8"))["cells"]
    assert cells[0]["outputs"] == []  # the magics said nothing
    return json.loads("".join(cells[1]["outputs"][0]["text"]))


def test_a_build_kernel_accepts_autoreload_but_reloads_nothing_and_keeps_no_history(
    tmp_path, monkeypatch
):
    nb = code_notebook(tmp_path / "chapters" / "reload.ipynb", RELOAD_CELLS)
    forked_kernel = _reload_probe(nb, tmp_path / "a.ipynb")
    assert forked_kernel["magic"] and not forked_kernel["history"]
    assert not any("Autoreload" in hook for hook in forked_kernel["hooks"])
    # a kernel started the usual way (JupyterLab's) reloads as before
    monkeypatch.setenv("LAWREPORT_FORK_KERNELS", "0")
    launched = _reload_probe(nb, tmp_path / "b.ipynb")
    assert launched["magic"] and not launched["history"]
    assert any("AutoreloadMagics.pre_run_cell" in hook for hook in launched["hooks"])


def test_a_notebook_given_by_a_relative_path_runs_in_a_forked_kernel(tmp_path, monkeypatch):
    """``--notebooks-dir notebooks`` from the folder that holds it: the kernel's folder is
    that folder, though the template that forks it runs elsewhere."""
    import psutil

    monkeypatch.chdir(tmp_path)
    code_notebook(tmp_path / "notebooks" / "where.ipynb", ["import os\nprint(os.getcwd())"])
    out = tmp_path / "out.ipynb"
    km = execute.start_kernel(Path("notebooks"))  # a kernel started ahead (``pool.SpareKernel``)
    assert "helpers.run.forked" in " ".join(psutil.Process(km.provisioner.pid).cmdline())
    execute.run_chapter(Path("notebooks") / "where.ipynb", out, {}, km=km)
    cells = json.loads(out.read_text(encoding="utf-8"))["cells"]
    assert "".join(cells[0]["outputs"][0]["text"]).strip() == str(tmp_path / "notebooks")


def test_one_template_serves_builds_with_their_own_temporary_folders(tmp_path, monkeypatch):
    """Each year's build has its own $TMPDIR (``folders.private_tmp``); the template started
    before them (``cli._template_early``) forks every year's kernels, each finding its own."""
    nb = code_notebook(
        tmp_path / "chapters" / "tmp.ipynb", ["import tempfile\nprint(tempfile.gettempdir())"]
    )
    forked.TEMPLATE.start()
    template = forked.TEMPLATE.proc.pid
    for year in ("2020", "2021"):
        folder = tmp_path / f"tmp-{year}"
        folder.mkdir()
        monkeypatch.setenv("TMPDIR", str(folder))
        out = tmp_path / f"{year}.ipynb"
        execute.run_chapter(nb, out, {})
        text = json.loads(out.read_text(encoding="utf-8"))["cells"][0]["outputs"][0]["text"]
        assert "".join(text).strip() == str(folder)
        assert forked.TEMPLATE.proc.pid == template  # not started again for another folder
    assert forked.request_state({"TMPDIR": "/a"}) == forked.request_state({"TMPDIR": "/b"})
    assert forked.request_state({"LANG": "C"}) != forked.request_state({"LANG": "zh_CN.UTF-8"})
