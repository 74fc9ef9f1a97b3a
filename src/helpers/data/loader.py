"""Read raw tables from ``data/raw/<table>/<year>.<csv|xlsx|parquet>`` and enforce the contract.

Files are opened read-only and never written. ``readers`` turns a file into cells (CSV in UTF-8,
with or without BOM, or GB18030/GBK; XLSX with title rows or a cover sheet; Parquet); here the
cells are checked against the contract: headers (canonical or Chinese), types, allowed values,
keys, and that the rows are of the file's year.
"""

from __future__ import annotations

import difflib
import json
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers import paths
from helpers.data import cache, mapping, readers
from helpers.data.contract import TABLES, Column, Table
from helpers.errors import (
    DataError,
    MissingTableError,
    UndeclaredTableError,
    ValidationError,
)

log = logging.getLogger(__name__)

SHOW_ROWS = 5  # offending rows quoted in an error
TRUE_WORDS = {"是", "true", "True", "TRUE", "1", "Y", "y"}
FALSE_WORDS = {"否", "false", "False", "FALSE", "0", "N", "n"}
INT64_MAX = 2**63 - 1  # whole numbers beyond ±this do not fit 64 bits: they would wrap around
# the last suffix of a file that was meant as a table of a year, though the loader cannot read it
TABLE_LIKE = {"csv", "xlsx", "parquet", "xls", "xlsm", "et", "ods", "txt", "tsv", "json", "numbers"}
# a time with a zone after it: 2021-05-01T08:00:00+08:00, …Z, … UTC
ZONED = (
    r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*"
    r"(?:[zZ]|[+-]\d{2}(?::?\d{2})?|(?:UTC|GMT)(?:[+-]\d{1,2}(?::?\d{2})?)?)$"
)


@dataclass
class Loaded:
    """A validated table of one year, with how many rows the year filter dropped."""

    frame: pd.DataFrame
    file: Path
    dropped_other_years: int
    # said, not fatal: extra columns, most rows of other years
    warnings: list[str] = field(default_factory=list)
    # a dated table: [its last date (ISO), on how many days it has records]
    span: list | None = None
    mapped: str = ""  # what the table folder's mapping.yaml changed, said by validate


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


_declared: dict = {}  # in a chapter's kernel: the (table, year) pairs report.yaml declares


def declare(pairs, chapter: str) -> None:
    """From now on this process (a chapter's kernel) reads only these (table, year) pairs."""
    _declared.clear()
    _declared.update(pairs=set(pairs), chapter=chapter)


def load(
    table: str, year: int, data_dir: Path | str | None = None, columns: list[str] | None = None
) -> pd.DataFrame:
    """The validated rows of ``table`` for ``year`` (rows dated in other years dropped).

    Served from the table cache when the file has not changed; ``columns`` reads only those.
    In a chapter's kernel, a table-year its declaration does not list is refused.
    """
    if _declared and (table, year) not in _declared["pairs"]:
        raise UndeclaredTableError(
            f"The chapter {_declared['chapter']} reads {table} of {year}, which report.yaml does"
            " not declare for it: its rebuild key would not cover that file.",
            fix=f"add {table} (with the years it reads) under the chapter's `tables:` in report.yaml",
        )
    loaded, problems = read_checked(table, year, data_dir, columns)
    if problems:
        raise ValidationError(problems)
    return loaded.frame


def load_years(
    table: str, years: list[int] | range, data_dir: Path | str | None = None
) -> pd.DataFrame:
    """Rows of several years stacked, with a ``year`` column."""
    frames = [load(table, y, data_dir).assign(year=y) for y in years]
    return pd.concat(frames, ignore_index=True)


def read_checked(
    table: str, year: int, data_dir: Path | str | None = None, columns: list[str] | None = None
) -> tuple[Loaded, list[DataError]]:
    """Read one table-year and return it with every problem found (empty list: clean)."""
    spec = TABLES[table]
    path = table_file(table, year, data_dir)
    if path is None:
        folder = paths.data_dir(data_dir) / table
        misnamed = [n for n in _names_in(folder) if str(year) in n]
        if misnamed:  # meant as this year's table, but not found under its name
            raise DataError(
                f"Table {table} ({spec.zh}) has no file named {year}.<ext> for {year}, but its "
                f"folder has {'、'.join(misnamed)}.",
                file=folder / misnamed[0],
                expected=f"a file named {year}.<{'|'.join(spec.formats)}> in {folder}",
                fix=f"rename {misnamed[0]} to {year}.{spec.formats[0]} (or .{' or .'.join(spec.formats[1:])}"
                " as its format is): the year, then the extension, nothing else",
            )
        raise MissingTableError(
            f"Table {table} ({spec.zh}) has no file for {year}.",
            table=table,
            year=year,
            file=folder / f"{year}.{spec.formats[0]}",
            expected=f"a file named {year}.<{'|'.join(spec.formats)}> in {folder}",
            fix=f"export {spec.zh} for {year} from {spec.source} and save it there"
            " (or run `lawreport sample` for sample data)",
        )
    mapped = mapping.for_table(path.parent, spec)
    entry = cache.table_entry(table, year, path, _contract_key(spec, mapped))
    meta = _cached(entry)
    clean = _clean_in_place(path, spec, year) if meta is None and mapped is None else None
    if clean is not None:  # the source is its own cache
        count, span = clean
        meta = {"count": count, "dropped": 0, "source": str(path), "warnings": [], "rows": "source"}
        cache.write_meta(entry, {**meta, "span": span})
        meta["span"] = span
    if meta is not None:
        rows = path if meta["rows"] == "source" else entry.with_name(meta["rows"])
        warnings = meta.get("warnings", [])
        loaded = Loaded(read_parquet(rows, columns), path, meta["dropped"], warnings)
        loaded.span, loaded.mapped = meta.get("span"), meta.get("mapped", "")
        return loaded, []
    raw, first_row = _read_file(path, spec)
    note = ""
    if mapped is not None:
        raw, note = mapping.apply(raw, mapped, spec)
    warnings: list[str] = []
    frame, problems = check(raw, spec, path, first_row, warnings)
    dropped = 0
    if not problems and spec.year_column:
        in_year = _in_year(frame[spec.year_column], spec, year)
        dropped = int((~in_year).sum())
        if dropped == len(frame):  # last year's export under this year's name, most likely
            problems.append(_all_out_of_year(frame, spec, year, path, first_row))
        elif dropped:  # no copy of a large table when every row is in the year
            log.info("%s: dropped %d row(s) dated outside %d", path, dropped, year)
            if dropped > len(frame) - dropped:
                warnings.append(_mostly_out_of_year(frame, spec, year, path, dropped))
                log.warning(warnings[-1])
            frame = frame[in_year]
    if not problems:
        if not frame.index.equals(pd.RangeIndex(len(frame))):
            frame = frame.reset_index(drop=True)  # rows were left out: numbered afresh
        span = _span(frame, spec)
        meta = {"count": len(frame), "dropped": dropped, "source": str(path), "warnings": warnings}
        cache.write_atomic(frame, entry, {**meta, "span": span, "mapped": note})
        if columns is not None:
            frame = frame[columns]
        return Loaded(frame, path, dropped, warnings, span, note), problems
    return Loaded(frame, path, dropped, warnings), problems


def _span(frame: pd.DataFrame, spec: Table) -> list | None:
    """[last date, days with records] of a table dated by a date column (None otherwise)."""
    column = spec.year_column
    if not column or spec.column(column).type not in ("date", "datetime") or frame.empty:
        return None
    stamps = frame[column]
    return [stamps.max().date().isoformat(), int(stamps.dt.normalize().nunique())]


def _in_year(stamp: pd.Series, spec: Table, year: int) -> pd.Series:
    """Rows whose year column (a date, or the year itself) is ``year``."""
    return _years(stamp, spec) == year


def _years(stamp: pd.Series, spec: Table) -> pd.Series:
    dated = spec.column(spec.year_column).type in ("date", "datetime")
    return stamp.dt.year if dated else stamp


def _year_counts(frame: pd.DataFrame, spec: Table) -> pd.Series:
    return _years(frame[spec.year_column], spec).value_counts().sort_index()


def _in_words(counts: pd.Series) -> str:
    return ", ".join(f"{int(y)}: {n} row(s)" for y, n in counts.items())


def _all_out_of_year(
    frame: pd.DataFrame, spec: Table, year: int, path: Path, first_row: int
) -> DataError:
    """No row of the file is of its year: another year's export saved under this year's name."""
    col = spec.column(spec.year_column)
    counts = _year_counts(frame, spec)
    main = int(counts.idxmax())
    stamp = frame[col.name].head(SHOW_ROWS)
    shown = stamp.dt.strftime("%Y-%m-%d") if col.type in ("date", "datetime") else stamp
    return DataError(
        f"None of the {len(frame)} rows of {spec.name} ({spec.zh}) in {path.name} is dated in"
        f" {year}: by {col.zh} the file holds {_in_words(counts)}.",
        file=path,
        column=f"{col.zh} / {col.name}",
        rows=[int(i) + first_row for i in stamp.index],
        values=shown.tolist(),
        expected=f"the rows of {year} (rows of other years are dropped; not all of them)",
        fix=f"this looks like the table of {main} saved under {year}'s name: export {spec.zh} for"
        f" {year} from {spec.source} and save it as {path.name}"
        + (f" (and name {main}'s file {main}{path.suffix})" if main != year else ""),
    )


def _mostly_out_of_year(
    frame: pd.DataFrame, spec: Table, year: int, path: Path, dropped: int
) -> str:
    counts = _year_counts(frame, spec)
    return (
        f"{path}: {dropped} of the {len(frame)} rows are dated in other years ({_in_words(counts)});"
        f" only the {len(frame) - dropped} of {year} are used. Is this the file of {year}?"
    )


def _clean_in_place(path: Path, spec: Table, year: int) -> tuple[int, list | None] | None:
    """The row count (and span, see ``_span``) of a Parquet file in the contract's form (its columns in order, each
    already of its type: integers or floats, timestamps, dictionary-encoded text) that passes
    every check with all rows in the year; else None. Decided in Arrow, one column and a
    million rows at a time, so a 61-million-row table never sits in memory whole. Anything
    else, a problem included, goes the full way, which reports it with rows and values."""
    if path.suffix.lower() != ".parquet":
        return None
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        source = pq.ParquetFile(path)
    except (OSError, pa.ArrowException):
        return None  # the full path reports what is wrong with the file
    numeric = lambda t: pa.types.is_integer(t) or pa.types.is_floating(t)  # noqa: E731
    local = lambda t: pa.types.is_timestamp(t) and t.tz is None  # noqa: E731  (a zone: the full way says so)
    kinds = {"int": numeric, "float": numeric, "date": local}
    kinds |= {"datetime": local, "str": pa.types.is_dictionary}
    kinds |= {"category": pa.types.is_dictionary}
    schema = source.schema_arrow
    if (
        not source.metadata.num_rows
        or len(spec.key) != 1
        or schema.names != [c.name for c in spec.columns]
        or not all(
            c.type in kinds and kinds[c.type](schema.field(c.name).type) for c in spec.columns
        )
    ):
        return None
    try:
        return _clean_batches(source, spec, year)
    except (OSError, pa.ArrowException):
        return None  # a damaged row group: the full path reports it


def _clean_batches(source, spec: Table, year: int) -> tuple[int, list | None] | None:
    import pyarrow as pa
    import pyarrow.compute as pc

    latest, days = None, set()
    for col in spec.columns:
        last = None
        for batch in source.iter_batches(batch_size=1 << 20, columns=[col.name]):
            values = batch.column(0)
            if not _clean_values(values, col):
                return None
            if col.name == spec.year_column:
                stamp = pc.year(values) if col.type in ("date", "datetime") else values
                if pc.sum(pc.equal(stamp, year)).as_py() != len(values):
                    return None
                if col.type in ("date", "datetime"):
                    day = pc.cast(values, pa.date32())
                    days |= set(pc.unique(day).to_pylist())
                    top = pc.max(day).as_py()
                    latest = top if latest is None or (top and top > latest) else latest
            if col.name == spec.key[0]:  # strictly increasing: unique
                if values.null_count or not len(values):
                    return None
                if len(values) > 1 and not pc.all(pc.greater(values[1:], values[:-1])).as_py():
                    return None
                if last is not None and not values[0].as_py() > last:
                    return None
                last = values[-1].as_py()
    span = [latest.isoformat(), len(days - {None})] if latest is not None else None
    return source.metadata.num_rows, span


def _clean_values(values, col: Column) -> bool:
    """One slice of a column: no empty required cells, whole numbers where asked, values
    allowed and within limits."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if col.required and values.null_count:
        return False
    if pa.types.is_dictionary(values.type):
        used = values.dictionary.take(pc.unique(values.indices).drop_null())
        return not col.allowed or all(v in col.allowed for v in used.to_pylist())
    if not (pa.types.is_integer(values.type) or pa.types.is_floating(values.type)):
        return True
    if pa.types.is_floating(values.type) and pc.any(pc.is_inf(values)).as_py():
        return False
    if col.type == "int" and pa.types.is_floating(values.type):
        if pc.any(pc.not_equal(pc.floor(values), values)).as_py():
            return False
    low, high = pc.min_max(values).values()
    if pa.types.is_unsigned_integer(values.type) and (high.as_py() or 0) > INT64_MAX:
        return False
    return (col.min is None or low.as_py() is None or low.as_py() >= col.min) and (
        col.max is None or high.as_py() is None or high.as_py() <= col.max
    )


def _contract_key(spec: Table, mapped: mapping.Mapping | None) -> str:
    """What the cached check of a file depends on besides its bytes: the contract, and the
    table's header mapping when there is one."""
    if mapped is None:
        return repr(spec)
    return repr(spec) + cache.file_digest(mapped.path)


def checked_before(table: str, year: int, data_dir: Path | str | None = None) -> dict | None:
    """The metadata of a table-year whose file passed the contract before (rows ``count``,
    ``dropped`` out of the year, the ``source`` file), without reading rows; None if not cached."""
    path = table_file(table, year, data_dir)
    if path is None:
        return None
    try:
        spec = TABLES[table]
        meta = _cached(
            cache.table_entry(
                table, year, path, _contract_key(spec, mapping.for_table(path.parent, spec))
            )
        )
    except (OSError, DataError):
        return None  # read_checked says why the file cannot be read
    if meta is None:
        return None
    return {**meta, "source": str(path)}  # the same bytes may lie elsewhere now


def _cached(entry: Path) -> dict | None:
    try:
        meta = json.loads(entry.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    for warning in meta.get("warnings", []):  # said again on every load, not only the first
        log.warning(warning)
    return meta


# ------------------------------------------------------------------ reading
def read_parquet(path: Path, columns: list[str] | None = None) -> pd.DataFrame:
    """Parquet to pandas, freeing Arrow's buffers column by column (half the peak memory of
    ``pd.read_parquet`` on tables of tens of millions of rows)."""
    import pyarrow.parquet as pq

    return pq.read_table(path, columns=columns).to_pandas(self_destruct=True, split_blocks=True)


def _read_file(path: Path, spec: Table) -> tuple[pd.DataFrame, int]:
    """Raw cells as text (Parquet keeps its types) under the file's own headers, and the number
    that turns a row's index into its row in Excel or its line in a text editor."""
    return readers.read_raw(path, spec)


# ------------------------------------------------------------------ checking
def check(
    raw: pd.DataFrame,
    spec: Table,
    path: Path,
    first_row: int = 2,
    warnings: list[str] | None = None,
) -> tuple[pd.DataFrame, list[DataError]]:
    """Map headers, parse types and check the contract; returns the typed frame and all problems.

    ``raw`` has the file's own headers, duplicates included; a row's index plus ``first_row``
    is its row in Excel or its line in a text editor."""
    problems: list[DataError] = []
    warnings = warnings if warnings is not None else []
    headers = spec.headers
    names = [readers.header_text(c) for c in raw.columns]
    places: dict[str, list[int]] = {}  # canonical name → the positions of its headers
    unknown: list[int] = []
    for pos, name in enumerate(names):
        if name in headers:
            places.setdefault(headers[name], []).append(pos)
        elif name:
            unknown.append(pos)
        elif raw.iloc[:, pos].notna().any():
            warnings.append(
                f"{path}: {readers.column_label(pos)} has no header; its values are ignored"
            )
            log.warning(warnings[-1])
    for canonical, positions in places.items():
        if len(positions) > 1:
            problems.append(_twice(spec.column(canonical), positions, names, path))
    renames = {
        names[pos]: near[0]
        for pos in unknown
        if (near := difflib.get_close_matches(names[pos], list(headers), n=1, cutoff=0.5))
        and headers[near[0]] not in places
    }
    if not places:  # not one header of the table: a wrong header line, or another table
        problems.append(_no_known_header(raw, names, spec, path, renames))
        return raw, problems
    for pos in unknown:
        col = names[pos]
        if col in renames:
            problems.append(
                DataError(
                    f"Unknown column header {col!r} ({readers.column_label(pos)}) in {spec.name}.",
                    file=path,
                    column=col,
                    expected=f"the header {renames[col]!r} ({headers[renames[col]]})",
                    fix=f"rename the header {col!r} to {renames[col]!r}, or leave the export as"
                    f" it is and map it in {path.parent / 'mapping.yaml'}:"
                    f"  columns: {{{col}: {renames[col]}}}",
                )
            )
        else:
            warnings.append(
                f"{path}: extra column {col!r} ({readers.column_label(pos)}) is not in the"
                f" contract of {spec.name} and is ignored"
            )
            log.warning(warnings[-1])
    suggested = {headers[near] for near in renames.values()}
    frame = raw.iloc[:, [positions[0] for positions in places.values()]]
    frame = frame.set_axis(list(places), axis=1)
    repeated = _repeated_header(frame, spec)
    if repeated.any():  # two exports joined: report the header lines, check the rows around them
        rows, values = _bad(repeated, frame[spec.key[0]], first_row)
        problems.append(
            DataError(
                f"{int(repeated.sum())} row(s) of {path.name} repeat the header: two exports were"
                " joined into one file, or a header was pasted among the rows.",
                file=path,
                rows=rows,
                values=values,
                expected="one header, at the top",
                fix="delete the repeated header row(s); if two exports were joined, check that no"
                " record appears in both",
            )
        )
        frame = frame[~repeated]
    for col in spec.columns:
        if col.name not in frame.columns:
            if col.required and col.name not in suggested:  # a rename was already suggested for it
                problems.append(
                    DataError(
                        f"Required column {col.name} ({col.zh}) is missing from {spec.name}.",
                        file=path,
                        column=f"{col.zh} / {col.name}",
                        expected=col.expected,
                        fix=f"add a column headed {col.zh!r}: {col.description}, or, if your export has it under another header, map that header to it in mapping.yaml (see data/README.md)",
                    )
                )
            elif not col.required:
                frame[col.name] = pd.NA
            continue
        frame[col.name], problem = _parse(frame[col.name], col, path, first_row)
        if problem:
            problems.append(problem)
    if frame.empty:
        problems.append(
            DataError(
                f"Table {spec.name} ({spec.zh}) has no rows.",
                file=path,
                fix="export it again: the file holds only a header",
            )
        )
    if not problems:
        problems += _check_key(frame, spec, path, first_row)
    return frame[[c.name for c in spec.columns]] if not problems else frame, problems


def _repeated_header(frame: pd.DataFrame, spec: Table) -> pd.Series:
    """Rows that are the header again (text files only): the key column holds its own header,
    and so does at least one other column."""
    key = spec.column(spec.key[0])
    if key.name not in frame.columns or not _is_text(frame[key.name]):
        return pd.Series(False, index=frame.index)
    hits = frame[key.name].isin([key.name, key.zh]).to_numpy().astype(int)
    if not hits.any():
        return pd.Series(False, index=frame.index)
    for col in spec.columns:
        if col.name != key.name and col.name in frame.columns:
            hits = hits + frame[col.name].isin([col.name, col.zh]).to_numpy()
    return pd.Series(hits >= 2, index=frame.index)


def _is_text(values: pd.Series) -> bool:
    dtype = values.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return False
    return pd.api.types.is_object_dtype(dtype) or pd.api.types.is_string_dtype(dtype)


def _twice(col: Column, positions: list[int], names: list[str], path: Path) -> DataError:
    """One column under two headers (the same, or its canonical and Chinese names)."""
    shown = " and ".join(f"{names[p]!r} in {readers.column_label(p)}" for p in positions)
    return DataError(
        f"The column {col.zh} / {col.name} appears {len(positions)} times in the header: {shown}.",
        file=path,
        column=f"{col.zh} / {col.name}",
        expected="each column once",
        fix=f"keep the one that holds {col.description}; delete the other, or give it its own"
        " header if it holds something else",
    )


def _no_known_header(
    raw: pd.DataFrame, names: list[str], spec: Table, path: Path, renames: dict[str, str]
) -> DataError:
    where = raw.attrs.get("header", "its first row")
    spelled = "; ".join(f"{old!r} → {new!r}" for old, new in renames.items())
    wide = any("，" in name for name in names)
    return DataError(
        f"No column of {spec.name} ({spec.zh}) was found in {path.name}: its header ({where})"
        f" reads {', '.join(names[:6]) or 'nothing'}.",
        file=path,
        expected=f"a header naming the columns: {'、'.join(c.zh for c in spec.columns)}"
        " (see data/README.md)",
        fix=f"check that this is the {spec.zh} table; if its header row is missing, add it; if it is"
        f" more than {readers.HEADER_SEARCH} rows down, delete the rows above it"
        + (f"; if only the spelling differs, rename {spelled}" if spelled else "")
        + ("; separate the columns with commas (,), not full-width ones (，)" if wide else "")
        + f"; if it is your system's own export, map its headers in {path.parent / 'mapping.yaml'}",
    )


def _bad(mask: pd.Series, raw: pd.Series, first_row: int) -> tuple[list[int], list[object]]:
    idx = mask[mask].index[:SHOW_ROWS]
    return [int(i) + first_row for i in idx], [raw[i] for i in idx]


def _parse(
    raw: pd.Series, col: Column, path: Path, first_row: int
) -> tuple[pd.Series, DataError | None]:
    if isinstance(raw.dtype, pd.CategoricalDtype):  # Parquet dictionary column: keep it compact
        text, missing = raw, raw.isna()
    elif raw.dtype == object or pd.api.types.is_string_dtype(raw):
        text = raw.astype("string").str.strip()
        missing = text.isna() | (text == "").fillna(False)
    else:  # typed columns from Parquet: no text to clean
        text, missing = raw, raw.isna()
    if col.type in ("str", "category") and isinstance(raw.dtype, pd.CategoricalDtype):
        out = raw  # Parquet dictionary column: check its few categories, keep the compact codes
    elif col.type == "category":  # a few distinct values: small integer codes, fast filters
        out = text.astype("string").where(~missing).astype("category")
    elif col.type == "str":
        out = text.astype("string").where(~missing)
    elif (
        col.type in ("int", "float")
        and pd.api.types.is_numeric_dtype(raw.dtype)
        and not pd.api.types.is_bool_dtype(raw.dtype)
    ):
        out = raw  # Parquet numbers: nothing to parse (to_numeric would copy millions of values)
    elif col.type in ("int", "float"):
        out = pd.to_numeric(text, errors="coerce")
    elif col.type in ("date", "datetime"):
        out, zoned = _to_datetime(text)
        if zoned is not None and (zoned & ~missing).any():
            return out, _zoned_error(zoned & ~missing, raw, col, path, first_row)
    else:  # bool
        s = text.astype("string")
        out = pd.Series(pd.NA, index=raw.index, dtype="boolean")
        out[s.isin(TRUE_WORDS).fillna(False)] = True
        out[s.isin(FALSE_WORDS).fillna(False)] = False
    unparsed = ~missing & out.isna()
    if col.type == "int" and not pd.api.types.is_integer_dtype(out):
        unparsed |= ~missing & out.notna() & (out % 1 != 0)
    if unparsed.any():
        rows, values = _bad(unparsed, raw, first_row)
        zoned = _zoned(text[unparsed]) if col.type in ("date", "datetime") else None
        if zoned is not None and zoned.any():  # 2021-05-01T08:00Z among plain times
            return out, _zoned_error(
                zoned.reindex(raw.index, fill_value=False), raw, col, path, first_row
            )
        return out, DataError(
            f"{int(unparsed.sum())} value(s) of {col.name} ({col.zh}) cannot be read as {TYPES_WORD[col.type]}.",
            file=path,
            column=f"{col.zh} / {col.name}",
            rows=rows,
            values=values,
            expected=col.expected,
            fix=_hint(col, values),
        )
    if col.type in ("int", "float"):
        huge = _beyond_64_bits(out) if col.type == "int" else _infinite(out)
        if huge.any():
            rows, values = _bad(huge, raw, first_row)
            return out, DataError(
                f"{int(huge.sum())} value(s) of {col.name} ({col.zh}) are too large to be counted"
                + (f" (beyond ±{INT64_MAX:,})." if col.type == "int" else " (infinite)."),
                file=path,
                column=f"{col.zh} / {col.name}",
                rows=rows,
                values=values,
                expected=col.expected,
                fix="correct these cells: a number this long is usually an ID, phone or card number"
                " in the wrong column, or digits run together; then export again",
            )
    if col.required and missing.any():
        rows, values = _bad(missing, raw, first_row)
        return out, DataError(
            f"{int(missing.sum())} empty cell(s) in required column {col.name} ({col.zh}).",
            file=path,
            column=f"{col.zh} / {col.name}",
            rows=rows,
            values=values,
            expected=col.expected,
            fix=f"fill in {col.description}",
        )
    bad = pd.Series(False, index=raw.index)
    if col.allowed and isinstance(out.dtype, pd.CategoricalDtype):
        unknown = [c for c in out.cat.categories if c not in col.allowed]
        bad = out.isin(unknown) if unknown else bad
    elif col.allowed:
        bad = ~missing & ~out.isin(col.allowed).fillna(False)
    if col.min is not None:
        bad |= (out < col.min).fillna(False)
    if col.max is not None:
        bad |= (out > col.max).fillna(False)
    if bad.any():
        rows, values = _bad(bad, raw, first_row)
        return out, DataError(
            f"{int(bad.sum())} value(s) of {col.name} ({col.zh}) are outside what is allowed.",
            file=path,
            column=f"{col.zh} / {col.name}",
            rows=rows,
            values=values,
            expected=col.expected,
            fix="correct them in the source system and export again",
        )
    return out, None


TYPES_WORD = {
    "int": "whole numbers",
    "float": "numbers",
    "date": "dates",
    "datetime": "dates and times",
    "bool": "是/否",
}


def _hint(col: Column, values: list[object]) -> str:
    """How to write the values of a column that could not be read."""
    if col.type in ("date", "datetime"):
        serial = readers.excel_serial(str(values[0]).strip()) if values else None
        if serial is not None:
            return (
                f"{str(values[0]).strip()} looks like a date as Excel stores it ({serial:%Y-%m-%d}):"
                " format the column as a date in Excel or WPS (设置单元格格式 → 日期) and save again,"
                " or write dates as YYYY-MM-DD"
            )
    return {
        "int": "write plain digits: no thousands separators (1,234 → 1234), no 暂无 or —; leave the cell empty if unknown",
        "float": "write plain digits with a decimal point; leave the cell empty if unknown",
        "date": "write dates as YYYY-MM-DD (2021-03-19)",
        "datetime": "write times as YYYY-MM-DD HH:MM:SS",
        "bool": "write 是 or 否 (Y/N, 1/0 and true/false are read too)",
    }.get(col.type, "")


def _beyond_64_bits(out: pd.Series) -> pd.Series:
    """Whole numbers that do not fit 64 bits (they would wrap around into other figures)."""
    if pd.api.types.is_unsigned_integer_dtype(out):
        return (out > INT64_MAX).fillna(False)
    if pd.api.types.is_float_dtype(out):
        return ((out >= 2.0**63) | (out < -(2.0**63))).fillna(False)
    return pd.Series(False, index=out.index)


def _infinite(out: pd.Series) -> pd.Series:
    if pd.api.types.is_float_dtype(out):
        return out.isin([float("inf"), float("-inf")]).fillna(False)
    return pd.Series(False, index=out.index)


def _to_datetime(text: pd.Series) -> tuple[pd.Series, pd.Series | None]:
    """Dates and times, and (when any value carries a time zone) which ones do."""
    if pd.api.types.is_datetime64_any_dtype(text):  # typed in Parquet
        zone = getattr(text.dtype, "tz", None)
        return text, text.notna() if zone is not None else None
    if pd.api.types.is_numeric_dtype(text):  # numbers in Parquet: read as the digits they show
        text = text.astype("string")
    try:
        out = pd.to_datetime(text, errors="coerce", format="ISO8601")
    except (ValueError, TypeError, OverflowError):  # times in several zones
        return pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]"), _zoned(text)
    if getattr(out.dtype, "tz", None) is not None:  # every time in one zone
        return out, _zoned(text)
    for fmt in ("%Y/%m/%d", "%Y/%m/%d %H:%M:%S", "%Y年%m月%d日"):
        todo = out.isna() & text.notna()
        if not todo.any():
            break
        out[todo] = pd.to_datetime(text[todo], errors="coerce", format=fmt)
    return out, None


def _zoned(text: pd.Series) -> pd.Series:
    return text.astype("string").str.contains(ZONED, regex=True).fillna(False).astype(bool)


def _zoned_error(
    zoned: pd.Series, raw: pd.Series, col: Column, path: Path, first_row: int
) -> DataError:
    rows, values = _bad(zoned, raw, first_row)
    return DataError(
        f"{int(zoned.sum())} value(s) of {col.name} ({col.zh}) carry a time zone, which the"
        " report's local dates cannot hold.",
        file=path,
        column=f"{col.zh} / {col.name}",
        rows=rows,
        values=values,
        expected=f"{col.expected}, local (Beijing) time, no zone after it",
        fix="write local times without a zone: 2021-05-01 08:00:00, not 2021-05-01T08:00:00+08:00"
        " or …Z; export again with local times",
    )


def _check_key(frame: pd.DataFrame, spec: Table, path: Path, first_row: int) -> list[DataError]:
    if len(spec.key) == 1:
        key = frame[spec.key[0]]
        if key.is_monotonic_increasing and not (key.to_numpy()[1:] == key.to_numpy()[:-1]).any():
            return []  # sorted and strictly increasing: unique without hashing millions of keys
    dup = frame.duplicated(list(spec.key), keep=False)
    if not dup.any():
        return []
    keycol = frame[spec.key[0]]
    rows, values = _bad(dup, keycol, first_row)
    return [
        DataError(
            f"{int(dup.sum())} rows share a primary key ({', '.join(spec.key)}) in {spec.name}.",
            file=path,
            column=", ".join(spec.key),
            rows=rows,
            values=values,
            expected="each key once",
            fix="remove the repeated rows or give each record its own number",
        )
    ]
