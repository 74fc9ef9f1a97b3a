"""Run in the kernel by the injected-parameters cell (``helpers.run.injection`` writes it): the
injected names must be parameters. Light on purpose: no papermill or pandas import in a kernel."""

from __future__ import annotations

from helpers.errors import UnknownParameterError
from helpers.run.notebooks import MAGIC, assigned_names

# what IPython itself puts in a kernel's namespace
IPYTHON_NAMES = {"In", "Out", "get_ipython", "exit", "quit", "open"}


def parameters_cell_names(namespace: dict) -> list[str] | None:
    """The names the parameters cell assigned: the cell run just before this one (IPython keeps
    the inputs in ``In``), or None outside IPython or when it cannot be read."""
    inputs = namespace.get("In")
    if not isinstance(inputs, list) or len(inputs) < 2:
        return None
    source = "\n".join("" if MAGIC.match(line) else line for line in inputs[-2].splitlines())
    try:
        return assigned_names(source)
    except SyntaxError:
        return None


def refuse_unknown(names: list[str], namespace: dict) -> None:
    """Run in the kernel by the injected cell: every injected name must be a parameter, one the
    parameters cell above defined; else UnknownParameterError naming it and the known ones."""
    declared = parameters_cell_names(namespace)
    defined = {k for k in namespace if not k.startswith("_") and k not in IPYTHON_NAMES}
    known = declared if declared is not None else sorted(defined)
    unknown = [n for n in names if n not in known and n not in defined]
    if unknown:
        raise UnknownParameterError(unknown, known)
