"""Kernels forked from a template process (Linux): each chapter still runs in a kernel of its own,
but the kernel does not start Python and import pandas, pyarrow, matplotlib and the helpers
again: a template process that imported them once forks it, ready in a fraction of a second.

jupyter_client starts a kernel through a *provisioner*; ``ForkProvisioner`` asks the template
(``python -m helpers.run.forked``, a child of the process that runs chapters) to fork, and in
the child runs exactly what ``python -m ipykernel_launcher -f <connection file> …`` runs, with
the kernel's environment, folder, ``sys.path[0]`` and stderr, and fresh random seeds. papermill
and nbclient talk to it over the same sockets as to any kernel.

Used only where it is safe and the same: on Linux (macOS forbids forking after some system
libraries are loaded; Windows cannot fork), when the kernel spec runs this very Python with
``ipykernel_launcher``, and while the helpers code and the environment are those the template
started with (otherwise a new template starts). ``LAWREPORT_FORK_KERNELS=0`` turns it off.
Anything else starts a kernel the usual way.

A build with a pool of workers starts one template for all of them (``share``): it listens on
a Unix socket, whose path the workers are given (``connect``). A worker whose helpers code or
environment is not the template's is refused, and starts a template of its own.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

log = logging.getLogger(__name__)

# What a chapter's kernel imports; the template imports them once (about 1 s) for every kernel
PRELOAD = (
    "pandas",
    "pyarrow",
    "pyarrow.parquet",
    "matplotlib",
    "matplotlib.pyplot",
    "IPython",
    "IPython.extensions.autoreload",  # every chapter's first cell loads it
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",  # and what the kernel app imports as it starts (debugpy …)
    "ipykernel.zmqshell",
    "ipykernel.debugger",
    "ipykernel.comm",
    "ipykernel.eventloops",
    "helpers.chapter",
    "helpers.figures",
    "helpers.render.report",
    "helpers.render.charts",
    "helpers.inputs.narrative",
    "helpers.run.noreload",
)
# What a build's pool worker imports besides (``workers``: the template forks them too); after
# the kernels' modules, which kernels do not use
WORKER_PRELOAD = (
    "papermill",
    "nbclient",
    "helpers.data.validate",
    "helpers.data.checks",
    "helpers.data.readers",
    "helpers.run.execute",
    "helpers.run.injection",
    "helpers.run.pool",
    "helpers.run.workers",
)
WORKER_GAP = 0.05  # seconds the template waits for a pool's next worker request before going on
MAX_FDS = 64  # descriptors a worker request may bring (multiprocessing's forkserver: 256)
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"  # what ipykernel sets when unset
IGNORED_ENV = ("JPY_", "PYDEVD_")  # set per kernel by jupyter_client: not the template's concern
TERMINAL_ENV = ("COLUMNS", "LINES")  # a terminal's size, set by some runners (pytest): no import
# depends on them
# each year's build sets its own temporary folder (``folders.private_tmp``): no import depends on
# it, and a forked worker or kernel finds its own anew (``tempfile.tempdir`` reset), so one
# template serves every year of a run
PER_BUILD_ENV = ("TMPDIR",)
HELPERS = Path(__file__).resolve().parents[1]
SET_BY_IMPORTS: dict[str, str] = {}  # in the template: what its imports put in os.environ
START_FOLDER = os.getcwd()  # the template's: ``python -m`` put it first on sys.path


def enabled() -> bool:
    """Whether kernels may be forked here: Linux, and not turned off."""
    return sys.platform.startswith("linux") and os.environ.get("LAWREPORT_FORK_KERNELS") != "0"


def code_state() -> tuple:
    """The helpers package's files as the template imported them (path, size, modification
    time): a changed module starts a new template, so no kernel runs old code."""
    return tuple(
        (str(p), s.st_size, s.st_mtime_ns)
        for p in sorted(HELPERS.rglob("*.py"))
        for s in [p.stat()]
    )


def _env_state(env: dict) -> dict:
    return {
        k: v
        for k, v in env.items()
        if not k.startswith(IGNORED_ENV)
        and k not in TERMINAL_ENV
        and k not in PER_BUILD_ENV
        and not (k == "MPLBACKEND" and v == INLINE_BACKEND)
    }


def _state(env: dict) -> tuple:
    return (code_state(), sorted(_env_state(env).items()))


def _state_digest(state: tuple) -> str:
    """What a kernel must share with the template that forks it, in a line of a request."""
    return hashlib.blake2b(repr(state).encode(), digest_size=16).hexdigest()


def request_state(env: dict) -> dict:
    """What a request to a shared template says of the asking process (its code, and its
    environment ``env``): the template forks only for a process whose state is its own."""
    return {"state": _state_digest(_state(env)), "code": _state_digest((code_state(), []))}


# ------------------------------------------------------------------ this side: the template
class Template:
    """The template process of this process, started on first use (or by ``start``) and replaced
    when the helpers code or the environment changed since it started; or, in a pool's worker,
    the build's template, reached at the address ``connect`` was given (``share``)."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None
        self.state: tuple | None = None
        self.lock = threading.Lock()
        self.address: str | None = None  # shared: the socket this process's template listens on
        self.shared: socket.socket | None = None  # a worker's connection to the build's template
        self.shared_address: str | None = None
        self.users = 0  # the runners sharing this process's template (``share``, ``release``)

    def start(self) -> None:
        """Start the template now (its imports run while other work goes on)."""
        with self.lock:
            self._ensure(dict(os.environ))

    def share(self) -> str | None:
        """Start the template now, listening for other processes (a pool's workers) as well; its
        address for ``connect``, or None where kernels are not forked or no socket can be made."""
        if not enabled():
            return None
        with self.lock:
            self.users += 1
            if self.address is None:
                # named as a build's temporary folder (``folders.private_tmp``): should this
                # process end without removing it, the next build removes it
                folder = os.path.abspath(tempfile.mkdtemp(prefix=f"lawreport-{os.getpid()}-t"))
                address = os.path.join(folder, "t")
                if len(address.encode()) > 100:  # a Unix socket path has at most 107 bytes
                    os.rmdir(folder)
                    self._ensure(dict(os.environ))
                    return None
                self._stop()
                self.address = address
            self._ensure(dict(os.environ))
            return self.address

    def running(self) -> bool:
        """Whether this process's template is running."""
        proc = self.proc
        return proc is not None and proc.poll() is None

    def connect(self, address: str | None) -> None:
        """In a pool's worker: fork kernels from the build's template at ``address``."""
        self.shared_address = address

    def _ensure(self, env: dict) -> subprocess.Popen:
        state = _state(env)
        if self.proc is not None and (self.proc.poll() is not None or self.state != state):
            self._stop()
        if self.proc is None:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "helpers.run.forked",
                    *([self.address] if self.address else []),
                ],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env={
                    **{k: v for k, v in env.items() if not k.startswith(IGNORED_ENV)},
                    "PYDEVD_DISABLE_FILE_VALIDATION": "1",  # as jupyter_client sets for kernels
                },
                # not the folder the build was started from: a uuid.py there would be imported
                # in place of the standard module while the template imports (a launched
                # kernel takes its folder off sys.path for the same reason)
                cwd=str(HELPERS.parent),
                start_new_session=True,  # Ctrl-C in the terminal is the build's to handle
            )
            self.state = state
        return self.proc

    def fork(self, argv: list[str], env: dict, cwd: str, log_file: str | None) -> int:
        """A new kernel process running ``ipykernel_launcher argv``; its process id."""
        request = {"argv": argv, "env": env, "cwd": cwd, "log": log_file}
        with self.lock:
            if self.shared_address is not None:
                pid = self._fork_shared({**request, **request_state(env)})
                if pid is not None:
                    return pid
            proc = self._ensure(env)
            try:
                proc.stdin.write((json.dumps(request) + "\n").encode())
                proc.stdin.flush()
                answer = json.loads(proc.stdout.readline() or b"{}")
            except (OSError, ValueError):
                answer = {}
            if "pid" not in answer:
                self._stop()
                raise OSError(answer.get("error") or "内核模板进程意外退出")
            return answer["pid"]

    def _fork_shared(self, request: dict) -> int | None:
        """Ask the build's template; None when it refuses (other code or environment: this
        process then uses a template of its own from now on) or is gone."""
        try:
            if self.shared is None:
                self.shared = connect_socket(self.shared_address)
            self.shared.sendall((json.dumps(request) + "\n").encode())
            answer = json.loads(read_line(self.shared) or b"{}")
        except (OSError, ValueError):
            answer = {}
        if "pid" in answer:
            return answer["pid"]
        log.debug("内核模板（共用）：%s", answer.get("error") or "无应答")
        self._disconnect()
        self.shared_address = None
        return None

    def _disconnect(self) -> None:
        shared, self.shared = self.shared, None
        if shared is not None:
            shared.close()

    def _stop(self) -> None:
        self._disconnect()
        proc, self.proc = self.proc, None
        if proc is None:
            return
        with contextlib.suppress(OSError):
            proc.stdin.close()  # the template would end when its input ends, but tearing down
        proc.kill()  # what it imported takes a quarter of a second, and it keeps no state:
        proc.wait()  # its kernels end with it
        proc.stdout.close()
        if self.address is not None:  # killed, it left its socket: a new template binds anew
            with contextlib.suppress(OSError):
                os.unlink(self.address)

    def release(self) -> None:
        """A runner that called ``share`` is done: the template stops after the last one."""
        with self.lock:
            self.users = max(0, self.users - 1)
            last = self.users == 0
        if last:
            self.stop()

    def stop(self) -> None:
        """Stop the template now, whoever shares it (a build that failed, a test's end)."""
        with self.lock:
            self._stop()
            self.users = 0
            if self.address is not None:  # the socket's folder (``_stop`` removed the socket)
                with contextlib.suppress(OSError):
                    os.rmdir(os.path.dirname(self.address))
                self.address = None


CONNECT_WAIT = 10.0  # seconds a worker waits for the build's template to bind its socket


def connect_socket(address: str) -> socket.socket:
    """A connection to the build's template. The template binds its socket as soon as its
    Python starts, before its imports, but on a busy machine a worker can ask sooner: no socket
    yet (or not yet listening) is waited for, up to CONNECT_WAIT seconds."""
    deadline = time.monotonic() + CONNECT_WAIT
    while True:
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            conn.connect(address)
            return conn
        except (FileNotFoundError, ConnectionRefusedError):
            conn.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.02)
        except OSError:
            conn.close()
            raise


def read_line(conn: socket.socket) -> bytes:
    """One answer line from the template (answers are short: read a byte at a time)."""
    line = bytearray()
    while not line.endswith(b"\n"):
        byte = conn.recv(1)
        if not byte:
            break
        line += byte
    return bytes(line)


TEMPLATE = Template()  # one per process that runs chapters


class ForkedProcess:
    """A kernel forked by the template, seen through the part of ``subprocess.Popen`` that
    jupyter_client uses. It is the template's child, not ours: the template reaps it, and it is
    gone (``poll`` answers) once it exited."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                self.returncode = 0  # its exit status went to the template
            except PermissionError:
                pass
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        end = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if end is not None and time.monotonic() > end:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.02)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, signum)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        if hasattr(signal, "SIGKILL"):
            self.send_signal(signal.SIGKILL)


@functools.cache
def _provisioner_class() -> type:
    """``ForkProvisioner``, made on first use: jupyter_client takes 0.13 s to import, and a
    build starts the template (``Template``) before it needs any kernel."""
    from jupyter_client.provisioning import LocalProvisioner

    class ForkProvisioner(LocalProvisioner):
        """Starts the kernel by forking the template; a command that is not this Python's
        ``ipykernel_launcher`` (another kernel spec, another interpreter) starts as usual."""

        async def launch_kernel(self, cmd: list[str], **kwargs):
            argv = _launcher_arguments(cmd)
            if argv is None:
                return await super().launch_kernel(cmd, **kwargs)
            env = dict(kwargs.get("env") or os.environ)
            # absolute: the template runs in another folder (a relative --notebooks-dir is ours)
            cwd = os.path.abspath(str(kwargs.get("cwd") or os.getcwd()))
            pid = TEMPLATE.fork(argv, env, cwd, _log_file(kwargs.get("stderr")))
            self.process = ForkedProcess(pid)
            self.pid = self.pgid = pid  # the kernel leads its own process group, as when launched
            self.cwd = cwd
            return self.connection_info

    return ForkProvisioner


def __getattr__(name: str):
    if name == "ForkProvisioner":
        return _provisioner_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _log_file(stderr) -> str | None:
    """The file the kernel's output goes to: the one given, else this process's stderr when that
    is a file (a chapter's log); None: the template's stderr."""
    name = getattr(stderr, "name", None) if stderr is not None else _stderr_file()
    # absolute: the template opens it, and the template runs in another folder
    return os.path.abspath(name) if isinstance(name, str) and os.path.isfile(name) else None


def _stderr_file() -> str | None:
    if sys.platform.startswith("linux"):  # where kernels are forked
        try:
            return os.readlink("/proc/self/fd/2")
        except OSError:
            return None
    return None


def _launcher_arguments(cmd: list[str]) -> list[str] | None:
    """The arguments after ``python -m ipykernel_launcher`` when ``cmd`` runs this Python."""
    if len(cmd) < 3 or cmd[1:3] != ["-m", "ipykernel_launcher"]:
        return None
    try:
        same = os.path.samefile(cmd[0], sys.executable)
    except OSError:
        same = False
    return cmd[3:] if same else None


def provisioner_for(km):
    """A fork provisioner (``ForkProvisioner``) for kernel manager ``km`` when forking is
    enabled here; else None."""
    if not enabled():
        return None
    return _provisioner_class()(kernel_id=km.kernel_id, kernel_spec=km.kernel_spec, parent=km)


# ------------------------------------------------------------------ the template process itself
def serve(address: str | None = None) -> None:
    """The template: import what kernels use, then fork one kernel per request line (answering
    its process id) until its input ends: requests come on stdin, from the process that
    started it, and, given an ``address``, from any process connecting to that Unix socket.

    With an ``address`` (a build's pool) it first imports what the pool's workers use, and
    forks workers (``workers``) as soon as they are asked for, between the kernels' imports:
    the workers check tables while the template imports the rest."""
    import gc

    gc.disable()  # its imports make objects that live on: collecting them is time lost
    before = dict(os.environ)
    state = _state_digest(_state(before))  # of the code about to be imported
    code = _state_digest((code_state(), []))
    listener = _listen(address) if address else None  # workers wait in its queue, not fail
    os.environ.setdefault("MPLBACKEND", INLINE_BACKEND)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # it ends when its input ends
    requests = Requests(state, listener, address, before, code)
    try:
        if listener is not None:
            for name in WORKER_PRELOAD:
                _preload(name)
            while requests.poll(WORKER_GAP):  # a pool asks for its workers one after another
                pass
        for name in (*PRELOAD, *_figures_modules()):
            if listener is not None and requests.poll() is None:
                return  # its input ended: the build is gone
            _preload(name)
        # what importing set in the environment (ipykernel.debugger: PYDEVD_USE_FRAME_EVAL),
        # which a kernel importing them itself would have too
        SET_BY_IMPORTS.update({k: v for k, v in os.environ.items() if before.get(k) != v})
        if hasattr(signal, "SIGCHLD"):
            signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # exited kernels are reaped at once
        gc.freeze()  # what it imported lives on; what it makes from now on is collected
        gc.enable()
        requests.kernels = True
        requests.run()
    finally:
        requests.close()


def _preload(name: str) -> None:
    try:
        __import__(name)
    except Exception as exc:  # a kernel importing it will say what is wrong
        print(f"lawreport 内核模板：未能预先导入 {name}：{exc}", file=sys.stderr)


class Requests:
    """The template's requests: lines of JSON on stdin (its owner's; their end is the template's
    end) and on the connections to its socket, each answered on the same channel. Until
    ``kernels`` is set (the kernels' imports are done) only workers are forked; requests for
    kernels wait."""

    def __init__(
        self, state: str, listener: socket.socket | None, address: str | None, env: dict, code
    ) -> None:
        self.state = state
        self.env, self.code = _env_state(env), code
        self.selector = selectors.DefaultSelector()
        self.pending: dict[int, bytes] = {}
        self.received: dict[int, list[int]] = {}  # descriptors sent on a connection, not used yet
        self.kernels = False
        self.events = 0  # connections and requests that came (``poll``)
        self.waiting: list[tuple[str, int, bytes]] = []  # kernel requests before ``kernels``
        self.selector.register(0, selectors.EVENT_READ, "owner")
        self.listener, self.address = listener, address
        if listener is not None:
            self.selector.register(listener, selectors.EVENT_READ, "listen")

    def run(self) -> None:
        waiting, self.waiting = self.waiting, []
        for kind, fd, line in waiting:
            self._handle(kind, fd, line, [])
        while self._once():
            pass

    def poll(self, timeout: float = 0) -> bool | None:
        """Answer what comes within ``timeout`` seconds: whether anything came (a connection, a
        request); None when the owner's input ended."""
        self.events = 0
        if not self._once(timeout):
            return None
        return self.events > 0

    def close(self) -> None:
        if self.address:
            with contextlib.suppress(OSError):
                os.unlink(self.address)

    def _once(self, timeout: float | None = None) -> bool:
        for key, _ in self.selector.select(timeout):
            self.events += 1
            if key.data == "listen":
                conn, _ = self.listener.accept()
                self.selector.register(conn, selectors.EVENT_READ, "worker")
                continue
            fd = key.fd
            if key.data == "worker":  # a worker request comes with descriptors
                try:
                    chunk, fds, _, _ = socket.recv_fds(key.fileobj, 1 << 16, MAX_FDS)
                except OSError:
                    chunk, fds = b"", []
                self.received.setdefault(fd, []).extend(fds)
            else:
                chunk = os.read(fd, 1 << 16)
            if not chunk:
                if key.data == "owner":
                    return False
                self.selector.unregister(key.fileobj)
                key.fileobj.close()
                self.pending.pop(fd, None)
                _close_all(self.received.pop(fd, []))
                self.waiting = [w for w in self.waiting if w[1] != fd]
                continue
            lines = (self.pending.pop(fd, b"") + chunk).split(b"\n")
            self.pending[fd] = lines.pop()
            for line in lines:
                fds = self.received.pop(fd, [])
                if not self.kernels and not fds:  # a kernel's: once the imports are done
                    self.waiting.append((key.data, fd, line))
                    continue
                self._handle(key.data, fd, line, fds)
        return True

    def _handle(self, kind: str, fd: int, line: bytes, fds: list[int]) -> None:
        try:
            answer = self._answer(line, checked=kind == "worker", fds=fds)
        finally:
            _close_all(fds)  # a forked worker has its copies
        _write_all(1 if kind == "owner" else fd, (json.dumps(answer) + "\n").encode())

    def _answer(self, line: bytes, checked: bool, fds: list[int] = ()) -> dict:
        try:
            request = json.loads(line)
            if checked and request.get("state") != self.state:
                return {"error": f"这个进程的 {self._differs(request)}与内核模板的不同"}
            if request.get("worker"):  # a build's pool worker (``workers``)
                from helpers.run import workers

                if len(fds) < 5:
                    return {"error": "工作进程的请求缺少文件描述符"}
                return {"pid": workers.fork_worker(request, fds, self._fds())}
            return {"pid": _fork(request, self._fds())}
        except Exception as exc:
            return {"error": f"{type(exc).__name__}: {exc}"}

    def _differs(self, request: dict) -> str:
        """What makes a request's state another than the template's: the code, or which
        variables of the environment (said in the worker's log at debug level)."""
        if request.get("code") != self.code:
            return "helpers 代码"
        theirs, ours = _env_state(request.get("env") or {}), self.env
        names = sorted(k for k in set(theirs) | set(ours) if theirs.get(k) != ours.get(k))
        return f"环境变量（{'、'.join(names[:5])}）"

    def _fds(self) -> list[int]:
        """What a forked kernel closes: the socket and the connections (not stdin: replaced)."""
        fds = [k.fd for k in self.selector.get_map().values() if k.data != "owner"]
        return [*fds, self.selector.fileno()] if hasattr(self.selector, "fileno") else fds


def _listen(address: str) -> socket.socket | None:
    """The template's socket; None when it cannot be made (the workers then start templates of
    their own, as they do when refused)."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o177)  # the socket is this user's alone
    try:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(address)  # left by a template that was killed
        listener.bind(address)
        listener.listen(64)
    except OSError:
        listener.close()
        return None
    finally:
        os.umask(old)
    return listener


def _close_all(fds: list[int]) -> None:
    for fd in fds:
        with contextlib.suppress(OSError):
            os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    while data:
        data = data[os.write(fd, data) :]


def _figures_modules() -> list[str]:
    """The helpers' chapter modules (``helpers.figures.safety`` …)."""
    import pkgutil

    return [f"helpers.figures.{m.name}" for m in pkgutil.iter_modules([str(HELPERS / "figures")])]


def _fork(request: dict, close: list[int] = ()) -> int:
    from helpers.run.workers import fork_child

    template = os.getpid()
    pid = fork_child()
    if pid:
        return pid
    try:  # the kernel
        for fd in close:
            with contextlib.suppress(OSError):
                os.close(fd)
        _become_kernel(request, template)
        from ipykernel.kernelapp import launch_new_instance

        launch_new_instance()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    with contextlib.suppress(Exception):
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code)


def _become_kernel(request: dict, template: int) -> None:
    """In the forked child: what a freshly launched kernel process would have. A child whose
    template (``template``, its parent) has already gone is not wanted by anyone: it exits."""
    if os.getppid() != template:
        os._exit(1)
    if hasattr(os, "setsid"):
        os.setsid()  # its own process group: an interrupt or kill reaches it alone
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a new Python
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    try:
        sink = os.open(request["log"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    except (OSError, TypeError, KeyError):  # no log, or it cannot be opened: the template's
        os.dup2(2, 1)  # stderr (its stdout is its answers to the runner)
    else:
        os.dup2(sink, 1)
        os.dup2(sink, 2)
        os.close(sink)
    sys.stdin = os.fdopen(0, closefd=False)  # /dev/null, for the life of the kernel
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update({**SET_BY_IMPORTS, **request["env"]})
    # ipykernel read JPY_PARENT_PID when the template imported it: say it on the command line
    # (the kernel exits when the template goes, and says nothing on its console). The template's
    # pid as it was before the fork: os.getppid() here would be 1 had the template just ended,
    # and ipykernel watches no parent of pid 1 (tester round 25 found two kernels left running)
    os.environ["JPY_PARENT_PID"] = str(template)
    sys.argv = [sys.argv[0], *request["argv"], f"--IPKernelApp.parent_handle={template}"]
    if sys.path and sys.path[0] == START_FOLDER:  # as ipykernel_launcher does with its own
        del sys.path[0]  # (IPython puts '', the kernel's folder, back)
    import random
    import tempfile

    from helpers.run import noreload

    tempfile.tempdir = None  # found anew from the kernel's environment, as a new process would

    sys.modules.setdefault("autoreload", noreload)  # what ``%load_ext autoreload`` loads here
    random.seed()  # not the template's sequence, shared by every kernel it forked
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed()


if __name__ == "__main__":
    serve(sys.argv[1] if len(sys.argv) > 1 else None)
