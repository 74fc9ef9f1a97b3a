"""Run in the kernel by the injected-parameters cell (``helpers.run.injection`` writes it): the
injected names must be parameters. Light on purpose: no papermill or pandas import in a kernel."""

from __future__ import annotations

import types
import typing

from helpers.errors import ParameterTypeError, UnknownParameterError
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


UNIONS = (typing.Union, types.UnionType)  # Optional[str] and str | None
TYPE_NAMES = {int: "整数", float: "数", str: "文字", bool: "是/否（True/False）"}


def fits(value, want) -> bool:
    """Whether ``value`` is of the annotated type ``want`` (int, str, Optional[str] …; an int
    passes for float, a bool never for int). Annotations it cannot judge pass."""
    if typing.get_origin(want) in UNIONS:
        return any(fits(value, arg) for arg in typing.get_args(want))
    if want is type(None):
        return value is None
    if not isinstance(want, type):
        return True
    if want is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if want is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, want)


def describe(want) -> str:
    """整数, 文字或 None … — a type in the analyst's words."""
    if typing.get_origin(want) in UNIONS:
        return "或".join(describe(arg) for arg in typing.get_args(want))
    if want is type(None):
        return "None"
    return TYPE_NAMES.get(want, getattr(want, "__name__", str(want)))


def check_types(names: list[str], namespace: dict) -> None:
    """Run in the kernel after the injected assignments: each value must be of the type its
    parameters cell annotates (``year: int = 2021``); else ParameterTypeError naming it."""
    annotations = namespace.get("__annotations__") or {}
    wrong = [
        (name, describe(annotations[name]), namespace.get(name))
        for name in names
        if name in annotations and not fits(namespace.get(name), annotations[name])
    ]
    if wrong:
        raise ParameterTypeError(wrong)
