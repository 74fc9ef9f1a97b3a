"""Injected parameters that refuse a name the notebook does not declare.

papermill writes the injected-parameters cell with the translator registered for the kernel's
language, and only warns about a name the parameters cell does not define (``-p yaer 2022``
runs the chapter with the default year). Our translator writes the same assignments after one
line that checks the names first, in the kernel::

    # Parameters
    __import__("helpers.run.injected").run.injected.refuse_unknown(["yaer"], globals())
    yaer = 2022
    __import__("helpers.run.injected").run.injected.check_types(["yaer"], globals())

so a misspelt name stops the run with an ``UnknownParameterError`` naming it and the known
ones, and a value of another type than the parameters cell annotates (``year: int``) with a
``ParameterTypeError`` (``helpers.run.injected``: the kernel's side, which imports no papermill). The build registers it (``register``); for the papermill command line, papermill loads the
``papermill.engine`` entry point ``lawreport`` of this package (pyproject.toml) whenever it
starts, and loading this module registers the translator (papermill has no entry-point group
for translators).
"""

from __future__ import annotations

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
        types = (
            '__import__("helpers.run.injected").run.injected.check_types('
            f"{list(parameters)!r}, globals())"
        )
        return f"{head}\n{check}\n{assignments.rstrip()}\n{types}\n"


def register() -> None:
    """Use the checked translator for every Python kernel papermill runs in this process."""
    papermill_translators.register("python", CheckedPythonTranslator)


register()
