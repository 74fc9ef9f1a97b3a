"""Finding a table's file of a year: ``data/raw/<table>/<year>.<csv|xlsx|parquet>`` (the extension
in any case), and saying so when what is there cannot be it: two files of a year, a folder or a
broken link under the name, a pipe, ``2021.xls`` or ``2021年.csv``."""

from __future__ import annotations

import os
from pathlib import Path

from helpers import paths
from helpers.data import readers
from helpers.data.contract import TABLES, Table
from helpers.errors import DataError

# the last suffix of a file that was meant as a table of a year, though the loader cannot read it
TABLE_LIKE = {"csv", "xlsx", "parquet", "xls", "xlsm", "et", "ods", "txt", "tsv", "json", "numbers"}


def table_file(table: str, year: int, data_dir: Path | str | None = None) -> Path | None:
    """The file holding ``table`` for ``year`` (``<year>.<csv|xlsx|parquet>``, the extension in
    any case), or None. Two files of a year, a folder or a broken link under the name, or only a
    file the loader cannot read (``2021.xls``, ``2021.csv.csv``) is an error saying so."""
    spec = TABLES[table]
    folder = paths.data_dir(data_dir) / table
    named = [n for n in _names_in(folder) if _year_and_format(n)[0] == str(year)]
    found = [folder / n for n in named if _year_and_format(n)[1] in spec.formats]
    for path in found:
        _must_be_a_file(path)
    if len(found) > 1:
        raise DataError(
            f"Table {table} has {len(found)} files for {year}; which one to use is ambiguous.",
            file=", ".join(str(f) for f in found),
            fix="keep one file per table and year",
        )
    if found:
        return found[0]
    near = [folder / n for n in named if n.rsplit(".", 1)[-1].lower() in TABLE_LIKE]
    if near:
        raise _not_readable_name(near[0], spec, year)
    return None


def _names_in(folder: Path) -> list[str]:
    try:
        return sorted(os.listdir(folder))
    except FileNotFoundError:
        return []
    except NotADirectoryError:
        raise DataError(
            f"{folder} is a file, but it should be the folder of the table's files.",
            file=folder,
            expected=f"a folder {folder.name}/ holding <year>.csv, <year>.xlsx or <year>.parquet",
            fix="move the file into a folder of that name, named after its year (e.g. 2021.csv)",
        ) from None
    except OSError as exc:
        raise readers.unreadable(folder, exc) from None


def _year_and_format(name: str) -> tuple[str, str]:
    """``2021.CSV`` → (``2021``, ``csv``); ``2021.csv.csv`` → (``2021``, ``csv.csv``)."""
    stem, _, ext = name.partition(".")
    return stem, ext.lower()


def _must_be_a_file(path: Path) -> None:
    if path.is_symlink() and not path.exists():
        raise DataError(
            f"{path.name} is a symbolic link to {os.readlink(path)}, which does not exist.",
            file=path,
            fix="point the link at the real file (ln -sfn TARGET LINK), or put a copy of the file"
            " in its place",
        )
    if path.exists() and not path.is_dir() and not path.is_file():  # a FIFO or device would hang
        raise DataError(
            f"{path.name} is not a regular file (a pipe or a device); reading it would wait forever.",
            file=path,
            fix=f"put the exported table itself at {path}",
        )
    if path.is_dir():
        raise DataError(
            f"{path.name} is a folder, not a file.",
            file=path,
            expected=f"a file {path.name} holding the table",
            fix=f"move the table file out of the folder {path.name}/ and remove the folder,"
            f" then save the file as {path.name}",
        )


def _not_readable_name(path: Path, spec: Table, year: int) -> DataError:
    """A file meant as the table of a year that the loader does not read under its name."""
    ext = _year_and_format(path.name)[1]
    last = ext.rsplit(".", 1)[-1]
    if "." in ext and last in spec.formats:
        return DataError(
            f"{path.name} has its extension twice (Windows hides known extensions), so it is not"
            f" read as the {spec.name} table of {year}.",
            file=path,
            fix=f"rename it to {year}.{last}",
        )
    if last in ("xls", "et", "xlsm", "ods", "numbers"):
        return DataError(
            f"{path.name} is a workbook in a format the loader does not read.",
            file=path,
            expected=f"{year}.<{'|'.join(spec.formats)}>",
            fix=f"open it in Excel or WPS and save it as an Excel 工作簿 named {year}.xlsx",
        )
    return DataError(
        f"{path.name} is not a format the loader reads, so {spec.name} has no table for {year}.",
        file=path,
        expected=f"{year}.<{'|'.join(spec.formats)}>",
        fix=f"save it as CSV UTF-8 ({year}.csv) or as an Excel 工作簿 ({year}.xlsx)",
    )


def years_on_file(table: str, data_dir: Path | str | None = None) -> list[int]:
    """The years that have a file of ``table`` (``<year>.<ext>`` in its folder), ascending."""
    spec = TABLES[table]
    folder = paths.data_dir(data_dir) / table
    if not folder.is_dir():
        return []
    return sorted(
        {
            int(p.stem)
            for p in folder.iterdir()
            if p.stem.isdigit() and len(p.stem) == 4 and p.suffix[1:].lower() in spec.formats
        }
    )
