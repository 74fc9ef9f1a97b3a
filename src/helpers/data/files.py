"""Finding a table's file of a year: ``data/raw/<table>/<year>.<csv|xlsx|parquet>`` (the extension
in any case), and saying so when what is there cannot be it: two files of a year, a folder or a
broken link under the name, a pipe, ``2021.xls`` or ``2021年.csv``; a file where the data folder
or the cache should be. Nothing here reads a table (no pandas): a build that finds nothing
changed uses these alone."""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

from helpers import paths
from helpers.data.contract import TABLES, Table
from helpers.errors import DataError, OutputError

# the last suffix of a file that was meant as a table of a year, though the loader cannot read it
TABLE_LIKE = {"csv", "xlsx", "parquet", "xls", "xlsm", "et", "ods", "txt", "tsv", "json", "numbers"}


def check_folders(data_dir: Path | None = None) -> None:
    """The data folder and the cache are folders (or do not exist yet): one error, not one per
    table, when a file stands in their place."""
    data = paths.data_dir(data_dir)
    if data.exists() and not data.is_dir():
        raise DataError(
            f"数据文件夹 {data} 是一个文件，不是存放数据表的文件夹。",
            file=data,
            fix="用 --data-dir（或 LAWREPORT_DATA）指定存放各表文件夹的那个文件夹",
        )
    cache = paths.cache_dir()
    if cache.exists() and not cache.is_dir():
        raise OutputError(
            f"缓存文件夹 {cache} 是一个文件，不是文件夹。",
            fix="让 LAWREPORT_CACHE 指向一个文件夹（不存在时会自动创建），或取消这个设置",
        )


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
            f"数据表 {table} 的 {year} 年有 {len(found)} 个文件，不知该用哪一个。",
            file=", ".join(str(f) for f in found),
            fix="每张表每年只保留一个文件",
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
            f"{folder} 是一个文件，但这里应是存放该表各年文件的文件夹。",
            file=folder,
            expected=f"文件夹 {folder.name}/，其中是 <年>.csv、<年>.xlsx 或 <年>.parquet",
            fix="把该文件移入同名文件夹，并以年份命名（如 2021.csv）",
        ) from None
    except OSError as exc:
        from helpers.data.readers import unreadable

        raise unreadable(folder, exc) from None


def _year_and_format(name: str) -> tuple[str, str]:
    """``2021.CSV`` → (``2021``, ``csv``); ``2021.csv.csv`` → (``2021``, ``csv.csv``)."""
    stem, _, ext = name.partition(".")
    return stem, ext.lower()


def _must_be_a_file(path: Path) -> None:
    if path.is_symlink() and not path.exists():
        raise DataError(
            f"{path.name} 是指向 {os.readlink(path)} 的符号链接，但目标不存在。",
            file=path,
            fix="让链接指向真正的文件（ln -sfn 目标 链接），或在它的位置放一份文件的副本",
        )
    if path.exists() and not path.is_dir() and not path.is_file():  # a FIFO or device would hang
        raise DataError(
            f"{path.name} 不是普通文件（是管道或设备）；读取它会一直等待下去。",
            file=path,
            fix=f"把导出的数据表本身放在 {path}",
        )
    if path.is_dir():
        raise DataError(
            f"{path.name} 是一个文件夹，不是文件。",
            file=path,
            expected=f"存放该表的文件 {path.name}",
            fix=f"把数据表文件从文件夹 {path.name}/ 中移出并删去该文件夹，再把文件存为 {path.name}",
        )


def _not_readable_name(path: Path, spec: Table, year: int) -> DataError:
    """A file meant as the table of a year that the loader does not read under its name."""
    ext = _year_and_format(path.name)[1]
    last = ext.rsplit(".", 1)[-1]
    if "." in ext and last in spec.formats:
        return DataError(
            f"{path.name} 的扩展名重复了两次（Windows 会隐藏已知的扩展名），所以不会被当作"
            f" {year} 年的 {spec.name} 表读取。",
            file=path,
            fix=f"把它重命名为 {year}.{last}",
        )
    saved_as = " 或 ".join(f"{SAVED_AS[f]}（{year}.{f}）" for f in spec.formats if f in SAVED_AS)
    if last in ("xls", "et", "xlsm", "ods", "numbers"):
        return DataError(
            f"{path.name} 是读取程序不支持的工作簿格式。",
            file=path,
            expected=f"{year}.<{'|'.join(spec.formats)}>",
            fix=f"用 Excel 或 WPS 打开，另存为 {saved_as}",
        )
    return DataError(
        f"{path.name} 不是读取程序支持的格式，所以 {spec.name} 没有 {year} 年的表。",
        file=path,
        expected=f"{year}.<{'|'.join(spec.formats)}>",
        fix=f"另存为 {saved_as}" if saved_as else f"从{spec.source}导出为 {year}.{spec.formats[0]}",
    )


# how a format is saved, for the fix of a file in one the table does not take
SAVED_AS = {"csv": "CSV UTF-8", "xlsx": "Excel 工作簿"}


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


def rows_on_file(path: Path) -> int | None:
    """About how many data rows a table file holds, read cheaply (Parquet: its metadata; CSV:
    its lines but blank ones and the header; XLSX: the longest sheet's recorded size but one);
    None when the file cannot be read or does not say (its own check reports why)."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            return pq.ParquetFile(path).metadata.num_rows
        if suffix == ".xlsx":
            return _xlsx_rows(path)
        data = path.read_bytes()
        breaks = max(data.count(b"\n"), data.count(b"\r"))  # LF, CRLF or CR line ends
        blank = max(data.count(b"\n\n"), data.count(b"\r\r"), data.count(b"\r\n\r\n"))
        return breaks + (not data.endswith((b"\n", b"\r"))) - blank - 1
    except Exception:  # a rough count for a warning: a file that cannot be read has no count
        return None


def _xlsx_rows(path: Path) -> int | None:
    """The rows an XLSX records in each sheet's ``<dimension ref="A1:E22"/>`` (read from the
    head of the sheet's XML, not the cells: a fraction of a millisecond), the largest but one."""
    rows = []
    with zipfile.ZipFile(path) as book:
        for name in book.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with book.open(name) as sheet:
                    head = sheet.read(4096)
                found = re.search(rb'<dimension ref="[A-Z]+\d+(?::[A-Z]+(\d+))?"', head)
                if found is None:
                    return None
                rows.append(int(found.group(1) or 1))
    return max(rows) - 1 if rows else None


def arrow_table(path: Path, columns: list[str] | None = None, dictionary: list[str] = ()):
    """A Parquet file's columns (``dictionary``: these read dictionary-encoded) as an Arrow
    table. ``ParquetFile.read`` and not ``pq.read_table``, which imports pyarrow.dataset
    (0.25 s of CPU in each process that reads a table) for what one local file does not need."""
    import pyarrow.parquet as pq

    with pq.ParquetFile(path, read_dictionary=list(dictionary) or None) as source:
        return source.read(columns=columns)
