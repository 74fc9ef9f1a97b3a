"""``%load_ext autoreload`` in a build's kernel: the magics, without the reloading.

Every chapter notebook turns on autoreload (``%autoreload 2``) so that an analyst who edits the
helpers sees the change by running a cell again. A build's kernel runs its chapter once and
ends, and a helpers module changed during a build must not reach some chapters half-way (the
build notices the change and says so); yet autoreload would look at the modification time of
every imported module (some 1,300) before each cell, 7 ms a cell. A kernel forked for a build
(``forked``) finds this module under the name ``autoreload``, which IPython's ``%load_ext``
tries before its own extension: ``%autoreload`` and ``%aimport`` are accepted and do nothing.
A kernel opened in JupyterLab is not forked, and reloads as usual.
"""

from __future__ import annotations

from IPython.core.magic import Magics, line_magic, magics_class


@magics_class
class NoReload(Magics):
    """autoreload's line magics, accepted and ignored."""

    @line_magic
    def autoreload(self, line: str = "") -> None:
        """Ignored in a build's kernel (see the module)."""

    @line_magic
    def aimport(self, line: str = "") -> None:
        """Ignored in a build's kernel (see the module)."""


def load_ipython_extension(ip) -> None:
    ip.register_magics(NoReload)
