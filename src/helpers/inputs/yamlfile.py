"""Reading the project's YAML inputs (params, narrative) safely: UTF-8 only, dates kept as text,
no anchors or aliases (an alias bomb would expand to gigabytes), a size limit, merge-conflict marks
refused, and every string remembering its line for error messages."""

from __future__ import annotations

from pathlib import Path

import yaml

from helpers.errors import ReportError

MAX_FILE_BYTES = 512 * 1024  # a year's narrative is about 15 KB, its parameters under 1 KB


class StringDateLoader(yaml.SafeLoader):
    """SafeLoader that leaves timestamps as strings (``2022-03-01`` stays text)."""


StringDateLoader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class Text(str):
    """A string from the narrative file that remembers its line (1-based)."""

    line: int = 0

    def __new__(cls, value: str, line: int = 0):
        obj = super().__new__(cls, value)
        obj.line = line
        return obj


def read_text(path: Path, what: str, error=ReportError) -> str:
    """A YAML input file as text: UTF-8 (a BOM is fine), not too large, no merge-conflict marks."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise error(
                f"{path} is {size // 1024} KB; {what} of a year is a few dozen KB at most.",
                fix="check that the right file is in place (a data export saved here by mistake?)",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise error(
            f"{path} cannot be read: {exc.strerror}.",
            fix="check that the file exists and that you may read it",
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(
            f"{path} line {line}: the file is not UTF-8 text (saved as GBK/ANSI?).",
            fix="open it in an editor and save it as UTF-8 (记事本：另存为 → 编码选 UTF-8)",
        ) from None
    for n, line in enumerate(text.splitlines(), 1):
        if line.startswith(("<<<<<<< ", ">>>>>>> ")) or line.rstrip() == "=======":
            raise error(
                f"{path} line {n}: an unresolved merge conflict ({line.strip()[:20]}).",
                fix="keep one of the two versions and delete the <<<<<<<, ======= and >>>>>>> lines",
            )
    return text


def parse_yaml(text: str, path: Path, error=ReportError) -> object:
    """YAML to Python: dates stay strings, strings remember their line, and anchors/aliases are
    refused (an alias bomb would expand to gigabytes)."""
    try:
        for event in yaml.parse(text, Loader=StringDateLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                line = event.start_mark.line + 1
                raise error(
                    f"{path} line {line}: YAML anchors and aliases (& and *) are not allowed here.",
                    fix="write the text out in full where it is needed",
                )
        loader = StringDateLoader(text)
        try:
            node = loader.get_single_node()
            return _python(node, loader)
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        lines = text.splitlines()
        tab = bool(mark) and mark.line < len(lines) and "\t" in lines[mark.line]
        if tab:
            fix = "indent with spaces, not tabs"
        elif "appears twice" in problem:
            fix = "keep one of the two (merge their texts): YAML would silently keep the last"
        else:
            fix = "compare the line with the ones around it: indentation, a missing quote or colon"
        raise error(f"{path}{where}: not valid YAML ({problem}).", fix=fix) from None


def _python(node, loader) -> object:
    if node is None:
        return None
    if isinstance(node, yaml.MappingNode):
        out = {}
        for k, v in node.value:
            key = _python(k, loader)
            if key in out:  # YAML would keep the last silently: a whole section could vanish
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} appears twice in the same mapping", k.start_mark
                )
            out[key] = _python(v, loader)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_python(v, loader) for v in node.value]
    value = loader.construct_object(node, deep=True)
    return Text(value, node.start_mark.line + 1) if isinstance(value, str) else value
