"""Injected parameters that refuse a name the notebook does not declare.

papermill writes the injected-parameters cell with the translator registered for the kernel's
language, and only warns about a name the parameters cell does not define (``-p yaer 2022``
runs the chapter with the default year). Our translator writes the same assignments after one
line that checks the names first, in the kernel::

    # Parameters
    __import__("helpers.run.injected").run.injected.refuse_unknown(["yaer"], globals())
    yaer = 2022

so a misspelt name stops the run with an ``UnknownParameterError`` naming it and the known
ones (``helpers.run.injected``: the kernel's side, which imports no papermill). The build registers it (``register``); for the papermill command line, papermill loads the
``papermill.engine`` entry point ``lawreport`` of this package (pyproject.toml) whenever it
starts, and loading this module registers the translator (papermill has no entry-point group
for translators).
"""

from __future__ import annotations

from papermill.engines import NBClientEngine
from papermill.translators import PythonTranslator, papermill_translators


class CheckedPythonTranslator(PythonTranslator):
    """papermill's Python translator, with the check of the names before the assignments."""

    @classmethod
    def codify(cls, parameters, comment="Parameters"):
        content = super().codify(parameters, comment)
        if not parameters:
            return content
        head, _, assignments = content.partition("\n")
        check = (
            '__import__("helpers.run.injected").run.injected.refuse_unknown('
            f"{list(parameters)!r}, globals())"
        )
        return f"{head}\n{check}\n{assignments}"


def register() -> None:
    """Use the checked translator for every Python kernel papermill runs in this process."""
    papermill_translators.register("python", CheckedPythonTranslator)


class LawreportEngine(NBClientEngine):
    """papermill's nbclient engine, under the entry point that makes papermill load this module
    (``--engine lawreport`` also selects it explicitly)."""


register()
