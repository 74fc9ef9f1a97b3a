"""One exception hierarchy: every error carries what the user needs to fix it."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path


def _rebuild(cls, state: dict, text: str):
    error = cls.__new__(cls)
    Exception.__init__(error, text)
    error.__dict__.update(state)
    return error


class ReportError(Exception):
    """Base class of every error this project raises on purpose."""

    def __init__(self, message: str, fix: str | None = None):
        self.message = message
        self.fix = fix
        super().__init__(message if not fix else f"{message}\n  解决办法：{fix}")

    def __reduce__(self):
        # keep file, column, rows … when an error crosses from a worker process to the build
        return _rebuild, (self.__class__, dict(self.__dict__), str(self))


class ParamsError(ReportError):
    """A year's parameters file is missing, or has an unknown key, a missing key or a wrong type."""


class ParameterTypeError(ParamsError):
    """A parameter injected with a value of another type than its parameters cell declares
    (``papermill -p year twenty`` for ``year: int``)."""

    def __init__(self, wrong: Sequence[tuple[str, str, object]]):
        self.wrong = list(wrong)
        listed = "；".join(
            f"{name} 应为{want}，注入的是 {value!r}（{type(value).__name__}）"
            for name, want, value in self.wrong
        )
        super().__init__(
            f"参数类型不对：{listed}。",
            fix="改正注入的值（papermill -p 名称 值，或 params/<年>.yaml）；"
            "papermill --help-notebook <笔记本> 列出参数及其类型",
        )


class UnknownParameterError(ParamsError):
    """A parameter injected into a notebook (papermill -p, the build) that its parameters cell does
    not define: a misspelt name would otherwise run the chapter with the default."""

    def __init__(self, unknown: Sequence[str], known: Sequence[str], notebook: str = ""):
        self.unknown, self.known, self.notebook = list(unknown), list(known), notebook
        where = f"{notebook} 的" if notebook else "本笔记本的"
        listed = (
            "、".join(self.known)
            if self.known
            else "（没有：笔记本中没有标记为 parameters 的单元格）"
        )
        super().__init__(
            f"未知参数：{'、'.join(self.unknown)}。{where}参数有：{listed}。",
            fix="检查参数名的拼写（papermill -p 名称 值，或 params/<年>.yaml）；"
            "papermill --help-notebook <笔记本> 列出参数及其说明",
        )


class DataError(ReportError):
    """A raw table does not meet its data contract."""

    def __init__(
        self,
        message: str,
        *,
        file: Path | str | None = None,
        column: str | None = None,
        rows: Sequence[int] = (),
        values: Sequence[object] = (),
        expected: str | None = None,
        fix: str | None = None,
        lines: Sequence[int] = (),
    ):
        self.file, self.column = file, column
        self.rows, self.values, self.expected = list(rows), list(values), expected
        # each row's line in a text editor, when one is not the row (else empty)
        self.lines = list(lines) if list(lines) != list(rows) else []
        self.said = message
        super().__init__(self._text(), fix)

    def _text(self) -> str:
        """The message with the file, column, first rows (and their lines) and what was expected."""
        parts = [self.said]
        if self.file is not None:
            parts.append(f"  文件：{self.file}")
        if self.column is not None:
            parts.append(f"  列：{self.column}".replace("\n", "\\n"))  # a header cell over lines
        if self.rows:
            shown = "，".join(
                f"第 {r} 行{f'（文本编辑器中第 {n} 行）' if n != r else ''}：{_cell(v)}"
                for r, v, n in zip(self.rows, self.values, self.lines or self.rows, strict=False)
            )
            if self.lines:
                where = "行号与 Excel 或 WPS 中的一致；文件中有跨行的值，文本编辑器中的行号在括号中"
            elif str(self.file).lower().endswith((".xlsx", ".xlsm", ".xls")):
                where = "行号与 Excel 或 WPS 中的一致"
            else:
                where = "行号与 Excel 或文本编辑器中的一致"
            parts.append(f"  最先出错的行（{where}）：{shown}")
        if self.expected:
            parts.append(f"  应为：{self.expected}")
        return "\n".join(parts)

    def as_rows(self, row_of: Callable[[int], int | None]) -> None:
        """Number an error found at a text editor's lines (``rows`` and "第 N 行" in the message)
        as Excel and WPS show the rows too: ``row_of(line)`` is the row of a line (None: it
        cannot be told). A line whose row differs reads 第 R 行（文本编辑器中第 N 行）."""
        if not self.rows or self.lines:
            return
        rows = {
            n: row_of(n) for n in {*self.rows, *map(int, re.findall(r"第 (\d+) 行", self.said))}
        }
        moved = {n: r for n, r in rows.items() if r is not None and r != n}
        if not moved:
            return
        self.said = re.sub(
            r"第 (\d+) 行",
            lambda m: (
                f"第 {moved[int(m[1])]} 行（文本编辑器中第 {m[1]} 行）"
                if int(m[1]) in moved
                else m[0]
            ),
            self.said,
        )
        self.rows, self.lines = [moved.get(n, n) for n in self.rows], self.rows
        ReportError.__init__(self, self._text(), self.fix)

    def in_text_lines(self, first_row: int, extra: Sequence[int]) -> None:
        """Say each row's line in a text editor too: a CSV with values over several lines, in
        which the row that begins at index ``i`` (row ``first_row + i`` in Excel) begins
        ``extra[i]`` lines further down."""
        if not self.rows or self.lines:
            return
        lines = [
            r + int(extra[r - first_row]) if 0 <= r - first_row < len(extra) else r
            for r in self.rows
        ]
        self.lines = lines if lines != self.rows else []
        ReportError.__init__(self, self._text(), self.fix)


def _cell(value: object) -> str:
    """A cell as a user reads it: text quoted, a number or a time as written, not numpy's or
    pandas' reprs (np.float64(1.5), Timestamp('2021-05-01 08:00:00')); an empty one as （空）."""
    if isinstance(value, str):
        return repr(value)
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        value = value.item()
    if value is None or str(value) in ("<NA>", "NaT", "nan"):  # None, pandas' NA and NaT, NaN
        return "（空）"
    return str(value)


class StatisticsError(DataError):
    """A Parquet file checked in place by its footer's statistics holds rows they deny."""


class ValidationError(ReportError):
    """One or more raw tables break the contract; ``problems`` holds each one."""

    def __init__(self, problems: list[DataError]):
        self.problems = problems
        head = f"原始数据表中有 {len(problems)} 个问题：\n"
        super().__init__(head + "\n\n".join(str(p) for p in problems))


class MissingTableError(DataError):
    """A table file the report needs for a year does not exist (the section is left out)."""

    def __init__(self, message: str, *, table: str, year: int, **kw):
        self.table, self.year = table, year
        self.also: list[MissingTableError] = []  # other table-years missing for the same result
        super().__init__(message, **kw)

    @classmethod
    def all_of(cls, errors: list[MissingTableError]) -> MissingTableError:
        """The first of several missing table-years, carrying the others in ``also``."""
        first = errors[0]
        first.also = list(errors[1:])
        return first


class NarrativeError(ReportError):
    """The year's narrative inputs (data/narrative/<year>.yaml) are missing or malformed."""


class ChapterError(ReportError):
    """A chapter notebook failed while it was executed: like papermill's execution error, it keeps
    the chapter, the cell, and the exception's name, value and traceback as fields."""

    def __init__(
        self,
        message: str,
        fix: str | None = None,
        *,
        chapter: str = "",
        cell_index: int | None = None,
        exec_count: int | None = None,
        ename: str = "",
        evalue: str = "",
        traceback: list[str] | None = None,
    ):
        self.chapter, self.cell_index, self.exec_count = chapter, cell_index, exec_count
        self.ename, self.evalue, self.traceback = ename, evalue, list(traceback or [])
        super().__init__(message, fix)


class BuildLockedError(ReportError):
    """Another build of the same year is running."""


class DocumentError(ReportError):
    """A report to check cannot be read: no such file, another format, damaged, or no text."""

    def __init__(self, message: str, *, file: Path | str | None = None, fix: str | None = None):
        self.file = file
        super().__init__(message, fix)


class OutputError(ReportError):
    """The report cannot be written where it should go: no permission, a read-only or full disk,
    or a file in the place of the report's folder. The last good report is left as it was."""


class NotebookError(ReportError):
    """A chapter notebook cannot be read or run: not valid JSON (a merge conflict?), a syntax
    error in a cell, no cell tagged parameters."""


class DeclarationError(ReportError):
    """The report's declaration (report.yaml) is malformed or names what does not exist."""


class UndeclaredTableError(ReportError):
    """A chapter read a table (or a year of it) that report.yaml does not declare for it: its
    rebuild key would not cover that file, so it could be reused stale."""


class NotCountedError(ReportError):
    """A figures module asked for what the table check did not count: the distinct values of a
    column (``t.distinct``) or the rows by day and kind (``t.tally``) of no such table or column,
    of one the contract does not mark ``distinct`` or give ``tally`` columns, or of the years of
    a table stacked together (``t.history``)."""


class ColumnNotReadError(ReportError, KeyError):
    """A chapter asked a table's frame for a column of the contract that its figures module did
    not read (``COLUMNS``): a KeyError still, that says which columns were read and how to read
    the one wanted."""

    def __str__(self) -> str:  # the message, not KeyError's quoted repr of it
        return Exception.__str__(self)


class ColumnNotReadAttributeError(ReportError, AttributeError):
    """The same, for a column asked for as an attribute (``t.alarms.received_at``)."""


class LayoutError(ReportError):
    """The workspace's font settings (fonts.yaml) or template for Word name a file that is not
    there, or a role that does not exist."""
