"""Pool workers forked from the kernel template (Linux), not spawned.

A spawned worker starts Python and imports pandas, pyarrow, papermill and the helpers (about a
second of CPU each) while the build's kernel template imports most of the same. Here the
template forks the workers too: ``context(address)`` is a multiprocessing context for
``ProcessPoolExecutor`` whose processes are started by asking the template at ``address`` to
fork, as multiprocessing's ``forkserver`` asks its server. The worker then runs exactly what a
spawned worker runs: it reads the build's preparation data (``sys.path``, folder, main module)
and its process object from a pipe (``multiprocessing.spawn._main``), with the build's
environment, standard output and error, and fresh random seeds.

When the template cannot fork it (gone, or its code or environment are not the build's any
more), the worker is spawned as before. The template is a child of the build, so the workers
are the build's grandchildren: they watch the build itself (``pool._end_with_parent``), and
stopping the build's descendants stops them.
"""

from __future__ import annotations

import io
import json
import os
import signal
import socket
import struct
import sys
from multiprocessing import context as mp_context
from multiprocessing import popen_fork, process, reduction, spawn, util

EXIT = struct.Struct("i")  # the worker's exit code, written on its sentinel pipe as it ends
UNKNOWN_EXIT = 255  # ended without saying (killed, os._exit): as multiprocessing's forkserver
# says when it cannot tell
INHERITED: list[int] = []  # in a forked worker: the descriptors the build passed, in order


class _DupFd:
    """A descriptor of the build's (a pool queue's pipe) as the forked worker received it."""

    def __init__(self, index: int) -> None:
        self.index = index

    def detach(self) -> int:
        return INHERITED[self.index]


class TemplatePopen(popen_fork.Popen):
    """Starts a worker by asking the template to fork (``multiprocessing.popen_forkserver``'s
    protocol: the descriptors the child needs are sent over the template's Unix socket, the
    pickled preparation data and process object over a pipe). Raises OSError when the template
    does not fork it."""

    method = "forkserver"
    DupFd = _DupFd

    def __init__(self, process_obj, address: str) -> None:
        self._fds: list[int] = []
        self.address = address
        super().__init__(process_obj)

    def duplicate_for_child(self, fd: int) -> int:
        self._fds.append(fd)
        return len(self._fds) - 1

    def _launch(self, process_obj) -> None:
        from multiprocessing import resource_tracker

        from helpers.run import forked

        if self.address == forked.TEMPLATE.address and not forked.TEMPLATE.running():
            raise OSError("内核模板已经退出")  # (its socket would be waited for, in vain)
        prep_data = spawn.get_preparation_data(process_obj._name)
        buf = io.BytesIO()
        mp_context.set_spawning_popen(self)
        try:
            reduction.dump(prep_data, buf)
            reduction.dump(process_obj, buf)
        finally:
            mp_context.set_spawning_popen(None)
        child_r, data_w = os.pipe()  # the pickled data, to the worker
        sentinel, child_w = os.pipe()  # the worker's end of life (and exit code), to us
        try:
            request = {"worker": True, **forked.request_state(dict(os.environ))}
            request.update(env=dict(os.environ), cwd=os.getcwd())
            line = (json.dumps(request) + "\n").encode()
            fds = [child_r, child_w, 1, 2, resource_tracker.getfd(), *self._fds]
            with forked.connect_socket(self.address) as conn:
                socket.send_fds(conn, [line], fds)
                answer = json.loads(forked.read_line(conn) or b"{}")
        except (OSError, ValueError) as exc:
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        finally:
            os.close(child_r)
            os.close(child_w)
        if "pid" not in answer:
            os.close(data_w)
            os.close(sentinel)
            raise OSError(answer.get("error") or "内核模板没有应答")
        self.pid, self.sentinel = answer["pid"], sentinel
        # the worker's parent_process() is alive while this copy of the pipe is open
        parent_w = os.dup(data_w)
        self.finalizer = util.Finalize(self, util.close_fds, (parent_w, self.sentinel))
        with open(data_w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())

    def poll(self, flag: int = os.WNOHANG) -> int | None:
        if self.returncode is None:
            from multiprocessing.connection import wait

            if not wait([self.sentinel], 0 if flag == os.WNOHANG else None):
                return None
            try:
                said = os.read(self.sentinel, EXIT.size)
            except OSError:
                said = b""
            self.returncode = EXIT.unpack(said)[0] if len(said) == EXIT.size else UNKNOWN_EXIT
        return self.returncode


class TemplateProcess(process.BaseProcess):
    """A pool worker forked by the template at ``_template``, or spawned when it cannot be."""

    _start_method = "forkserver"
    _template: str | None = None

    @staticmethod
    def _Popen(process_obj):
        if process_obj._template is not None:
            try:
                return TemplatePopen(process_obj, process_obj._template)
            except OSError as exc:
                util.debug(f"内核模板未能 fork 工作进程（{exc}），改为新启动")
        from multiprocessing.popen_spawn_posix import Popen

        return Popen(process_obj)


class TemplateContext(mp_context.BaseContext):
    """multiprocessing's context for a pool whose workers the template at ``address`` forks."""

    _name = "forkserver"  # named semaphores, pipes passed to the child: as for forkserver

    def __init__(self, address: str) -> None:
        self.address = address

    def Process(self, *args, **kwargs) -> TemplateProcess:  # noqa: N802 (multiprocessing's name)
        proc = TemplateProcess(*args, **kwargs)
        proc._template = self.address
        return proc

    def get_start_method(self, allow_none: bool = False) -> str:
        return self._name


def context(address: str | None):
    """The context for a build's pool: workers forked by the template at ``address``; without
    one (no shared template: not Linux, or forking turned off), spawned."""
    import multiprocessing

    if address is None or not hasattr(socket, "send_fds"):
        return multiprocessing.get_context("spawn")
    return TemplateContext(address)


# ------------------------------------------------------------------ in the template
def fork_child() -> int:
    """``os.fork`` from the template, as Python's documentation of ``gc.freeze`` advises: the
    template imports with its collector off (``serve``), freezes what it holds before each fork
    (a child's collections neither walk those objects nor write to their pages, which the child
    would then copy) and the child turns its collector on."""
    import gc

    gc.freeze()
    if hasattr(os, "fork"):  # the template runs only where kernels are forked (Linux)
        pid = os.fork()
    else:
        raise OSError("这个系统不能 fork")
    if not pid:
        gc.enable()
    return pid


def fork_worker(request: dict, fds: list[int], close: list[int]) -> int:
    """Fork a pool worker for the build that sent ``request`` with descriptors ``fds`` (as
    ``TemplatePopen`` sends them); the worker's process id. The child never returns."""
    pid = fork_child()
    if pid:
        return pid
    code = 1
    alive = fds[1]
    try:
        for fd in close:  # the template's socket and connections
            try:
                os.close(fd)
            except OSError:
                pass
        code = _become_worker(request, fds)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
            os.write(alive, EXIT.pack(code))
        except Exception:
            pass
        os._exit(code)


def _become_worker(request: dict, fds: list[int]) -> int:
    """In the forked child: the build's environment and output, then the worker's life."""
    from multiprocessing import resource_tracker

    child_r, _alive, out, err, tracker, *inherited = fds
    if hasattr(signal, "SIGCHLD"):  # the template ignores it; a worker waits for its children
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)  # the template's standard input is the build's requests to it
    os.close(null)
    os.dup2(out, 1)  # the template's standard output is its answers to the build
    os.dup2(err, 2)
    os.close(out)
    os.close(err)
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    import random
    import tempfile

    tempfile.tempdir = None  # found anew from this environment, as a new process would
    random.seed()  # not the template's sequence
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed()
    INHERITED[:] = inherited
    resource_tracker._resource_tracker._fd = tracker  # the build's, as a spawned worker has
    parent_sentinel = os.dup(child_r)
    return spawn._main(child_r, parent_sentinel)
