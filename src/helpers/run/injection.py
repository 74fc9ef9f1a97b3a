"""Injected parameters that refuse a name the notebook does not declare.

papermill writes the injected-parameters cell with the translator registered for the kernel's
language, and only warns about a name the parameters cell does not define (``-p yaer 2022``
runs the chapter with the default year). Our translator writes the same assignments after one
line that checks the names first, in the kernel::

    # Parameters
    __import__("helpers.run.injection").run.injection.refuse_unknown(["yaer"], globals())
    yaer = 2022

so a misspelt name stops the run with an ``UnknownParameterError`` naming it and the known
ones. The build registers it (``register``); for the papermill command line, papermill loads the
``papermill.engine`` entry point ``lawreport`` of this package (pyproject.toml) whenever it
starts, and loading this module registers the translator (papermill has no entry-point group
for translators).
"""

from __future__ import annotations

import re

from papermill.engines import NBClientEngine
from papermill.translators import PythonTranslator, papermill_translators

from helpers.errors import UnknownParameterError

# IPython magics and shell lines are not Python to parse
_MAGIC = re.compile(r"^\s*[%!]")
# what IPython itself puts in a kernel's namespace
_IPYTHON = {"In", "Out", "get_ipython", "exit", "quit", "open"}


class CheckedPythonTranslator(PythonTranslator):
    """papermill's Python translator, with the check of the names before the assignments."""

    @classmethod
    def codify(cls, parameters, comment="Parameters"):
        content = super().codify(parameters, comment)
        if not parameters:
            return content
        head, _, assignments = content.partition("\n")
        check = (
            '__import__("helpers.run.injection").run.injection.refuse_unknown('
            f"{list(parameters)!r}, globals())"
        )
        return f"{head}\n{check}\n{assignments}"


def register() -> None:
    """Use the checked translator for every Python kernel papermill runs in this process."""
    papermill_translators.register("python", CheckedPythonTranslator)


def parameters_cell_names(namespace: dict) -> list[str] | None:
    """The names the parameters cell assigned: the cell run just before this one (IPython keeps
    the inputs in ``In``), or None outside IPython or when it cannot be read."""
    from helpers.run.notebooks import assigned_names

    inputs = namespace.get("In")
    if not isinstance(inputs, list) or len(inputs) < 2:
        return None
    source = "\n".join("" if _MAGIC.match(line) else line for line in inputs[-2].splitlines())
    try:
        return assigned_names(source)
    except SyntaxError:
        return None


def refuse_unknown(names: list[str], namespace: dict) -> None:
    """Run in the kernel by the injected cell: every injected name must be a parameter, one the
    parameters cell above defined; else UnknownParameterError naming it and the known ones."""
    declared = parameters_cell_names(namespace)
    defined = {k for k in namespace if not k.startswith("_") and k not in _IPYTHON}
    known = declared if declared is not None else sorted(defined)
    unknown = [n for n in names if n not in known and n not in defined]
    if unknown:
        raise UnknownParameterError(unknown, known)


class LawreportEngine(NBClientEngine):
    """papermill's nbclient engine, under the entry point that makes papermill load this module
    (``--engine lawreport`` also selects it explicitly)."""


register()
