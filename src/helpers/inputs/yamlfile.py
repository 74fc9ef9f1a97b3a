"""Reading the project's YAML inputs (params, narrative) safely: UTF-8 only, dates kept as text,
no anchors or aliases (an alias bomb would expand to gigabytes), a size limit, merge-conflict marks
refused, and every string remembering its line for error messages."""

from __future__ import annotations

import re
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


class _CStringDateLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The same in libyaml (PyYAML's wheels include it): a sixth of the time. Any text it finds
    wrong is read again by ``StringDateLoader``, whose messages the errors quote."""


_CStringDateLoader.yaml_implicit_resolvers = StringDateLoader.yaml_implicit_resolvers


def in_words(value: object) -> str:
    """What a YAML value is, in words for a message (not a Python repr): 空的, 一个列表 …"""
    if value is None or (isinstance(value, str) and not value.strip()):
        return "空的"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"数字 {value:g}" if isinstance(value, float) else f"数字 {value}"
    if isinstance(value, str):
        return f"文字“{value}”"
    if isinstance(value, list):
        return "一个列表"
    if isinstance(value, dict):
        return "一组“键: 值”"
    return "一个值"


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
                f"{path} 有 {size // 1024} KB；一年的{what}最多几十 KB。",
                fix="检查放在这里的是否是正确的文件（是否误把导出的数据存到了这里？）",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise error(
            f"无法读取 {path}：{exc.strerror}。",
            fix="检查文件是否存在、您是否有权读取",
        ) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error(
            f"{path} 第 {line} 行：文件不是 UTF-8 文本（是否存成了 GBK/ANSI？）。",
            fix="用编辑器打开并另存为 UTF-8（记事本：另存为 → 编码选 UTF-8）",
        ) from None
    for n, line in enumerate(text.splitlines(), 1):
        if line.startswith(("<<<<<<< ", ">>>>>>> ")) or line.rstrip() == "=======":
            raise error(
                f"{path} 第 {n} 行：有未解决的合并冲突（{line.strip()[:20]}）。",
                fix="保留两个版本中的一个，删去 <<<<<<<、======= 和 >>>>>>> 这几行",
            )
    return text


_PARSED: dict[tuple[str, str], object] = {}  # (path, text) → parsed: a build reads a file often


def parse_yaml(text: str, path: Path, error=ReportError) -> object:
    """YAML to Python: dates stay strings, strings remember their line, and anchors/aliases are
    refused (an alias bomb would expand to gigabytes). The same text of the same file is parsed
    once per process (a copy is returned: callers may change it)."""
    key = (str(path), text)
    if key not in _PARSED:
        if len(_PARSED) > 64:
            _PARSED.clear()
        _PARSED[key] = _parse(text, path, error)
    return _copied(_PARSED[key])


def _copied(value: object) -> object:
    """A copy of parsed YAML: new dicts and lists, the same scalars (strings, Text, numbers: none
    of them changes). copy.deepcopy took 30 times as long, and a build copies the narrative once
    per chapter."""
    if isinstance(value, dict):
        return {k: _copied(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copied(v) for v in value]
    return value


def _parse(text: str, path: Path, error) -> object:
    bad = _BAD_CHARACTER.search(text)
    if bad:  # said with its line, in words (PyYAML names the position in English)
        line = text.count("\n", 0, bad.start()) + 1
        raise error(
            f"{path} 第 {line} 行：有一个看不见的控制字符（U+{ord(bad.group()):04X}）。",
            fix="在编辑器中删去这一行中看不见的字符（可把这一行删去后重新输入）",
        )
    try:
        if "\t" in text:  # libyaml lets a tab pass where PyYAML refuses it, as we do
            value = _pure(text, path, error)
        else:
            try:
                value = _read(text, path, error, _CStringDateLoader)
            except yaml.YAMLError:  # said in PyYAML's words, which the messages quote
                value = _pure(text, path, error)
    except RecursionError:
        raise error(
            f"{path}：嵌套的层次太多，不是本工具的输入文件应有的样子。",
            fix="检查文件内容是否正确（是否误把别的文件存到了这里）",
        ) from None
    _no_lone_surrogates(value, path, error)
    return value


# control characters YAML cannot hold (a tab, a line break and a carriage return can)
_BAD_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_lone_surrogates(value, path: Path, error) -> None:
    """A "\\ud800" escape in quotes makes a string no file or page can hold: refused here,
    with its line, rather than failing when the report is written."""
    if isinstance(value, dict):
        for k, v in value.items():
            _no_lone_surrogates(k, path, error)
            _no_lone_surrogates(v, path, error)
    elif isinstance(value, list):
        for v in value:
            _no_lone_surrogates(v, path, error)
    elif isinstance(value, str) and _SURROGATE.search(value):
        line = getattr(value, "line", 0)
        where = f" 第 {line} 行" if line else ""
        raise error(
            f"{path}{where}：文字中有无效的 Unicode 转义（如 \\ud800，单独的代理码位）。",
            fix="删去这个转义，或直接写出要用的字",
        )


def _read(text: str, path: Path, error, loader_class) -> object:
    """The YAML as Python (``_python``) through ``loader_class``; anchors and aliases refused
    with their line; YAMLError for anything else wrong."""
    for event in yaml.parse(text, Loader=loader_class):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            line = event.start_mark.line + 1
            raise error(
                f"{path} 第 {line} 行：这里不允许使用 YAML 锚点和别名（& 和 *）。",
                fix="在需要的地方把文字完整写出",
            )
    loader = loader_class(text)
    try:
        return _python(loader.get_single_node(), loader)
    finally:
        loader.dispose()


def _pure(text: str, path: Path, error) -> object:
    """``_read`` with PyYAML's own parser, whose problems become one error with line, column
    and a fix."""
    try:
        return _read(text, path, error, StringDateLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" 第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        lines = text.splitlines()
        tab = bool(mark) and mark.line < len(lines) and "\t" in lines[mark.line]
        if tab:
            fix = "用空格缩进，不要用制表符（Tab）"
        elif "出现了两次" in problem:
            fix = "只保留其中一个（把两处文字合并）：YAML 会悄悄只保留后一个"
        else:
            fix = "把这一行和上下行对照：缩进、缺少的引号或冒号"
        raise error(f"{path}{where}：不是有效的 YAML（{problem}）。", fix=fix) from None


def _python(node, loader) -> object:
    if node is None:
        return None
    if isinstance(node, yaml.MappingNode):
        out = {}
        for k, v in node.value:
            key = _python(k, loader)
            if isinstance(key, (dict, list)):
                raise yaml.constructor.ConstructorError(
                    None, None, "键只能是文字或数字，不能是列表或映射", k.start_mark
                )
            if key in out:  # YAML would keep the last silently: a whole section could vanish
                raise yaml.constructor.ConstructorError(
                    None, None, f"键 {key!r} 在同一个映射中出现了两次", k.start_mark
                )
            out[key] = _python(v, loader)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_python(v, loader) for v in node.value]
    value = loader.construct_object(node, deep=True)
    return Text(value, node.start_mark.line + 1) if isinstance(value, str) else value
