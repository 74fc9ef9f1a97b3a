"""Execute one chapter notebook with papermill, with its parameters checked first."""

from __future__ import annotations

import logging
import os
import tempfile
import time
import uuid
from pathlib import Path
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from traitlets import DottedObjectName, Type, default

from helpers.errors import ChapterError, UnknownParameterError
from helpers.run import notebooks

log = logging.getLogger(__name__)


def _not_zmq_teardown(record: logging.LogRecord) -> bool:
    """jupyter_client warns when nbclient's finished client is garbage-collected with its
    channels open; the kernel is stopped by then and nothing is lost."""
    return not str(record.msg).startswith("Could not destroy zmq context")


logging.getLogger("traitlets").addFilter(_not_zmq_teardown)


SOCKET_PATH_MAX = 100  # Unix socket paths are limited to 107 bytes (104 on macOS)


def _socket_base() -> str | None:
    """A fresh socket path prefix in the temp folder, or None when the temp folder's path is too
    long for a Unix socket (then kernels talk over TCP on 127.0.0.1)."""
    base = os.path.join(tempfile.gettempdir(), f"k{uuid.uuid4().hex[:10]}")
    too_long = len(base.encode()) + 3 > SOCKET_PATH_MAX or os.name == "nt"
    return None if too_long else base


class KernelStartError(RuntimeError):
    """A chapter's kernel died, or did not answer, before its first cell."""


class ReadyClient(AsyncKernelClient):
    """A kernel client that is ready as soon as the kernel has answered: jupyter_client's own
    waits 0.2 s after the last IOPub message in case more come, a fifth of a short chapter."""

    async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
        """Ask for the kernel's info until it answers on the shell channel and its ``idle`` status
        for that request arrives on IOPub (which proves IOPub is connected and leaves nothing of
        the request queued there); start over when IOPub missed it (subscribed too late)."""
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            msg_id = self.kernel_info()
            try:
                reply = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                reply = None
            if (
                reply is not None
                and reply["msg_type"] == "kernel_info_reply"
                and reply["parent_header"].get("msg_id") == msg_id
                and await self._idle_after(msg_id)
            ):
                self._handle_kernel_info_reply(reply)
                return
            if not await self._async_is_alive():
                raise KernelStartError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise KernelStartError(f"Kernel didn't respond in {timeout:.0f} seconds")

    wait_for_ready = _async_wait_for_ready  # AsyncKernelClient binds the name to the base's

    async def _idle_after(self, msg_id: str, wait: float = 0.5) -> bool:
        """Read IOPub up to the kernel's ``idle`` status for request ``msg_id``."""
        end = time.monotonic() + wait
        while (left := end - time.monotonic()) > 0:
            try:
                msg = await self.iopub_channel.get_msg(timeout=left)
            except Empty:
                return False
            if (
                msg["msg_type"] == "status"
                and msg["content"].get("execution_state") == "idle"
                and msg["parent_header"].get("msg_id") == msg_id
            ):
                return True
        return False


class IPCKernelManager(AsyncKernelManager):
    """Kernels talk over local sockets, not TCP ports: no port races between parallel chapters.

    Each kernel gets its own socket path in the temp folder (jupyter_client's default,
    ``kernel-ipc`` in the working directory, is shared by every kernel started there). Where the
    temp folder's path is too long for a socket (or on Windows), TCP on 127.0.0.1 is used.
    """

    client_class = DottedObjectName("helpers.run.execute.ReadyClient")
    client_factory = Type(klass="helpers.run.execute.ReadyClient")

    @default("transport")
    def _default_transport(self):
        self._base = _socket_base()
        return "ipc" if self._base else "tcp"

    @default("ip")
    def _default_ip(self):
        if self.transport == "ipc":
            return getattr(self, "_base", None) or _socket_base() or "127.0.0.1"
        return "127.0.0.1"

    async def _async_pre_start_kernel(self, **kw):
        """On Linux the kernel is forked from a template that has the imports done (``forked``)."""
        from helpers.run import forked

        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", None) or str(uuid.uuid4())
            self.provisioner = forked.provisioner_for(self)
        return await super()._async_pre_start_kernel(**kw)

    async def _async_wait(self, pollinterval: float = 0.01) -> None:
        """Wait for a stopped kernel to be gone, looking every 10 ms (jupyter_client: 100 ms; a
        killed kernel is gone within a few, and every chapter waits for its own)."""
        await super()._async_wait(pollinterval=pollinterval)


# Run by a kernel started ahead, before it answers: the imports every chapter makes (0.4 s),
# out of the chapter's time (matplotlib only where a chapter draws). Nothing is defined in the
# notebook's namespace.
WARM_UP = (
    "import importlib as _m; "
    "[_m.import_module(x) for x in ('pyarrow.parquet', 'helpers.render.report', 'helpers.inputs.narrative', "
    "'helpers.figures')]; del _m"
)


# A chapter's kernel keeps no command history: IPython would write every cell of every chapter of
# every build to the user's history database (one SQLite file, shared by kernels run in parallel)
KERNEL_ARGUMENTS = ["--HistoryManager.enabled=False"]


def start_kernel(cwd: Path, stderr=None) -> IPCKernelManager:
    """Start a python3 kernel now, to be handed to the next chapter: it starts and imports the
    helpers while other work goes on (papermill waits for it to answer before the first cell)."""
    from jupyter_client.utils import run_sync

    km = IPCKernelManager(kernel_name="python3")
    run_sync(km.start_kernel)(
        cwd=str(cwd),
        stderr=stderr,
        extra_arguments=[*KERNEL_ARGUMENTS, f"--IPKernelApp.exec_lines={WARM_UP}"],
    )
    return km


def stop_kernel(km: IPCKernelManager) -> None:
    """Stop a kernel at once (its chapter is done) and remove its connection file."""
    from jupyter_client.utils import run_sync

    if km.has_kernel:
        run_sync(km.shutdown_kernel)(now=True)
    run_sync(km.cleanup_resources)()


def _logs_kept(failures_dir: Path | None) -> str:
    """Where a failed build keeps what the kernels printed (``build`` moves the logs there)."""
    return str(failures_dir / "logs") if failures_dir is not None else "logs/"


def _keep(output: Path, failures_dir: Path | None) -> Path:
    """Move the failed notebook (papermill wrote it with its banner) to the failures folder."""
    if failures_dir is None or not output.exists():
        return output
    failures_dir.mkdir(parents=True, exist_ok=True)
    kept = failures_dir / output.name
    output.replace(kept)
    return kept


SAVE_EVERY = 1.0  # seconds: a chapter's notebook is written at a cell's start or end no more often


def _engine() -> str:
    """The name of papermill's nbclient engine with fewer saves, registered in this process.

    papermill writes the whole output notebook (validated, charts included) when each cell starts
    and ends: twenty writes for a chapter of ten short cells, a third of a second in all. Here a
    cell's start or end is written only when a second has passed since the last write, so a long
    cell still shows as running; the notebook is still written when the run starts and when it
    ends, failed or not (papermill's ``notebook_complete``), and every 30 s during a long cell."""
    from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines

    class Manager(NotebookExecutionManager):
        lazy = False

        def save(self, **kwargs):
            since = (self.now() - self.last_save_time).total_seconds()
            if not (self.lazy and since < SAVE_EVERY):
                super().save(**kwargs)

        def cell_start(self, cell, cell_index=None, **kwargs):
            self.lazy = True
            try:
                super().cell_start(cell, cell_index, **kwargs)
            finally:
                self.lazy = False

        def cell_complete(self, cell, cell_index=None, **kwargs):
            self.lazy = True
            try:
                super().cell_complete(cell, cell_index, **kwargs)
            finally:
                self.lazy = False

    class Engine(NBClientEngine):
        @classmethod
        def execute_notebook(
            cls,
            nb,
            kernel_name,
            output_path=None,
            progress_bar=True,
            log_output=False,
            autosave_cell_every=30,
            **kwargs,
        ):  # papermill's Engine.execute_notebook, with the manager above
            manager = Manager(
                nb,
                output_path=output_path,
                progress_bar=progress_bar,
                log_output=log_output,
                autosave_cell_every=autosave_cell_every,
            )
            manager.notebook_start()
            try:
                cls.execute_managed_notebook(manager, kernel_name, log_output=log_output, **kwargs)
            finally:
                manager.cleanup_pbar()
                manager.notebook_complete()
            return manager.nb

    papermill_engines.register(CHAPTER_ENGINE, Engine)
    return CHAPTER_ENGINE


CHAPTER_ENGINE = "lawreport-chapter"


def run_chapter(
    notebook: Path,
    output: Path,
    parameters: dict,
    failures_dir: Path | None = None,
    km: IPCKernelManager | None = None,
) -> Path:
    """Run ``notebook`` into ``output``; on failure keep the failed notebook and raise ChapterError.

    ``km``, when given, is an already started kernel for this chapter alone; it is stopped after.
    A parameter the notebook does not declare is an UnknownParameterError (a misspelt name would
    run the chapter with its default).
    """
    import papermill as pm
    from nbclient.exceptions import DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    from helpers.run import injection

    injection.register()  # the injected cell refuses a name the parameters cell does not define
    output.parent.mkdir(parents=True, exist_ok=True)
    try:
        declared = notebooks.declared_parameters(notebook) or []
        unknown = [name for name in parameters if name not in declared]
        if unknown:  # said before a kernel runs anything
            raise UnknownParameterError(unknown, declared, notebook.name)
        pm.execute_notebook(
            str(notebook),
            str(output),
            parameters=parameters,
            kernel_name="python3",
            progress_bar=False,
            log_output=False,
            cwd=str(notebook.parent),
            kernel_manager_class=IPCKernelManager,
            km=km,
            extra_arguments=KERNEL_ARGUMENTS,  # for a kernel papermill starts (km None)
            engine_name=_engine(),
        )
    except PapermillExecutionError as exc:
        kept = _keep(output, failures_dir)
        raise ChapterError(
            f"章 {notebook.stem} 在第 {exc.exec_count} 个单元格出错：{exc.ename}: {exc.evalue}",
            fix=f"打开 {kept} 查看出错的单元格（papermill 已标出），改正后再构建",
            chapter=notebook.stem,
            cell_index=exc.cell_index,
            exec_count=exc.exec_count,
            ename=exc.ename,
            evalue=exc.evalue,
            traceback=exc.traceback,
        ) from None
    except KernelStartError as exc:
        raise ChapterError(
            f"章 {notebook.stem}：内核未能启动（{exc}）。",
            fix=f"查看 {_logs_kept(failures_dir)} 中各内核日志末尾的出错信息；机器内存不足时"
            "用较小的 --jobs 再构建",
            chapter=notebook.stem,
            ename="KernelStartError",
            evalue=str(exc),
        ) from None
    except DeadKernelError as exc:
        kept = _keep(output, failures_dir)
        raise ChapterError(
            f"章 {notebook.stem}：运行中内核停止了（被系统终止，如内存不足，或被其他程序终止）。",
            fix="查看机器是否内存不足（较小的 --jobs 用内存较少），然后再构建；"
            f"运行到中断处的笔记本在 {kept}",
            chapter=notebook.stem,
            ename="DeadKernelError",
            evalue=str(exc),
        ) from None
    finally:
        if km is not None:
            stop_kernel(km)
    return output
