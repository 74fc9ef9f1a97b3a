"""Read raw tables from ``data/raw/<table>/<year>.<csv|xlsx|parquet>`` and enforce the contract.

Files are opened read-only and never written. CSV may be UTF-8 (with or without BOM) or
GB18030/GBK; headers may be canonical or Chinese; XLSX headers may sit below title rows.
"""

from __future__ import annotations

import difflib
import io
import json
import logging
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import cache, paths
from .contract import TABLES, Column, Table
from .errors import DataError, MissingTableError, ReportError

log = logging.getLogger(__name__)

SHOW_ROWS = 5  # offending rows quoted in an error
TRUE_WORDS = {"是", "true", "True", "TRUE", "1", "Y", "y"}
FALSE_WORDS = {"否", "false", "False", "FALSE", "0", "N", "n"}


class ValidationError(ReportError):
    """One or more raw tables break the contract; ``problems`` holds each one."""

    def __init__(self, problems: list[DataError]):
        self.problems = problems
        head = f"{len(problems)} problem(s) in the raw tables:\n"
        super().__init__(head + "\n\n".join(str(p) for p in problems))


@dataclass
class Loaded:
    """A validated table of one year, with how many rows the year filter dropped."""

    frame: pd.DataFrame
    file: Path
    dropped_other_years: int


def table_file(table: str, year: int, data_dir: Path | str | None = None) -> Path | None:
    """The file holding ``table`` for ``year``, or None. More than one format is an error."""
    spec = TABLES[table]
    folder = paths.data_dir(data_dir) / table
    found = [
        folder / f"{year}.{ext}" for ext in spec.formats if (folder / f"{year}.{ext}").exists()
    ]
    if len(found) > 1:
        raise DataError(
            f"Table {table} has {len(found)} files for {year}; which one to use is ambiguous.",
            file=", ".join(str(f) for f in found),
            fix="keep one file per table and year",
        )
    return found[0] if found else None


def load(
    table: str, year: int, data_dir: Path | str | None = None, columns: list[str] | None = None
) -> pd.DataFrame:
    """The validated rows of ``table`` for ``year`` (rows dated in other years dropped).

    Served from the table cache when the file has not changed; ``columns`` reads only those.
    """
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
        raise MissingTableError(
            f"Table {table} ({spec.zh}) has no file for {year}.",
            table=table,
            year=year,
            file=folder / f"{year}.{spec.formats[0]}",
            expected=f"a file named {year}.<{'|'.join(spec.formats)}> in {folder}",
            fix=f"export {spec.zh} for {year} from {spec.source} and save it there"
            " (or run `lawreport sample` for sample data)",
        )
    entry = cache.table_entry(table, year, path, repr(spec))
    meta = _cached(entry)
    count = _clean_in_place(path, spec, year) if meta is None else None
    if count is not None:  # the source is its own cache
        meta = {"count": count, "dropped": 0, "source": str(path), "warnings": [], "rows": "source"}
        cache.write_meta(entry, meta)
    if meta is not None:
        rows = path if meta["rows"] == "source" else entry.with_name(meta["rows"])
        return Loaded(read_parquet(rows, columns), path, meta["dropped"]), []
    raw, first_row = _read_file(path, spec)
    warnings: list[str] = []
    frame, problems = check(raw, spec, path, first_row, warnings)
    dropped = 0
    if not problems and spec.year_column:
        in_year = _in_year(frame[spec.year_column], spec, year)
        dropped = int((~in_year).sum())
        if dropped:  # no copy of a large table when every row is in the year
            log.info("%s: dropped %d row(s) dated outside %d", path, dropped, year)
            frame = frame[in_year].reset_index(drop=True)
    if not problems:
        meta = {"count": len(frame), "dropped": dropped, "source": str(path), "warnings": warnings}
        cache.write_atomic(frame, entry, meta)
        if columns is not None:
            frame = frame[columns]
    return Loaded(frame, path, dropped), problems


def _in_year(stamp: pd.Series, spec: Table, year: int) -> pd.Series:
    """Rows whose year column (a date, or the year itself) is ``year``."""
    dated = spec.column(spec.year_column).type in ("date", "datetime")
    return (stamp.dt.year if dated else stamp) == year


def _clean_in_place(path: Path, spec: Table, year: int) -> int | None:
    """The row count of a Parquet file in the contract's form (its columns in order, each
    already of its type: integers or floats, timestamps, dictionary-encoded text) that passes
    every check with all rows in the year; else None. Decided in Arrow, one column and a
    million rows at a time, so a 61-million-row table never sits in memory whole. Anything
    else, a problem included, goes the full way, which reports it with rows and values."""
    if path.suffix.lower() != ".parquet":
        return None
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    try:
        source = pq.ParquetFile(path)
    except (OSError, pa.ArrowException):
        return None  # the full path reports what is wrong with the file
    numeric = lambda t: pa.types.is_integer(t) or pa.types.is_floating(t)  # noqa: E731
    kinds = {"int": numeric, "float": numeric, "date": pa.types.is_timestamp}
    kinds |= {"datetime": pa.types.is_timestamp, "str": pa.types.is_dictionary}
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
            if col.name == spec.key[0]:  # strictly increasing: unique
                if values.null_count or not len(values):
                    return None
                if len(values) > 1 and not pc.all(pc.greater(values[1:], values[:-1])).as_py():
                    return None
                if last is not None and not values[0].as_py() > last:
                    return None
                last = values[-1].as_py()
    return source.metadata.num_rows


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
    if col.type == "int" and pa.types.is_floating(values.type):
        if pc.any(pc.not_equal(pc.floor(values), values)).as_py():
            return False
    low, high = pc.min_max(values).values()
    return (col.min is None or low.as_py() is None or low.as_py() >= col.min) and (
        col.max is None or high.as_py() is None or high.as_py() <= col.max
    )


def checked_before(table: str, year: int, data_dir: Path | str | None = None) -> dict | None:
    """The metadata of a table-year whose file passed the contract before (rows ``count``,
    ``dropped`` out of the year, the ``source`` file), without reading rows; None if not cached."""
    path = table_file(table, year, data_dir)
    if path is None:
        return None
    meta = _cached(cache.table_entry(table, year, path, repr(TABLES[table])))
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
    """Raw cells as text (Parquet keeps its types) and the line number of the first data row."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        return read_parquet(path), 1
    if suffix == ".xlsx":
        return _read_xlsx(path, spec)
    return _read_csv(path), 2


def _decode(data: bytes, path: Path) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise DataError(
            "The file is neither UTF-8 nor GB18030/GBK text.",
            file=path,
            expected="a CSV saved as UTF-8 or GB18030 (Excel: 另存为 CSV UTF-8)",
            fix="open it in Excel or WPS and save it again as CSV UTF-8",
        ) from exc


def _read_csv(path: Path) -> pd.DataFrame:
    text = _decode(path.read_bytes(), path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # mixed line endings
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_values=[""])


def _read_xlsx(path: Path, spec: Table) -> tuple[pd.DataFrame, int]:
    """Find the header row (exports often put a title and merged cells above it)."""
    top = pd.read_excel(path, header=None, nrows=30, dtype=str)
    known = set(spec.headers)
    scores = [sum(str(v).strip() in known for v in row) for row in top.itertuples(index=False)]
    header_row = max(range(len(scores)), key=lambda i: scores[i]) if scores else 0
    frame = pd.read_excel(path, header=header_row, dtype=str)
    return frame, header_row + 2


# ------------------------------------------------------------------ checking
def check(
    raw: pd.DataFrame,
    spec: Table,
    path: Path,
    first_row: int = 2,
    warnings: list[str] | None = None,
) -> tuple[pd.DataFrame, list[DataError]]:
    """Map headers, parse types and check the contract; returns the typed frame and all problems."""
    problems: list[DataError] = []
    warnings = warnings if warnings is not None else []
    raw = raw.rename(columns=lambda c: str(c).strip())
    headers = spec.headers
    unknown = [c for c in raw.columns if c not in headers]
    suggested: set[str] = set()
    for col in unknown:
        near = difflib.get_close_matches(col, list(headers), n=1, cutoff=0.5)
        if near:
            suggested.add(headers[near[0]])
            problems.append(
                DataError(
                    f"Unknown column header {col!r} in {spec.name}.",
                    file=path,
                    column=col,
                    expected=f"the header {near[0]!r} ({headers[near[0]]})",
                    fix=f"rename the header {col!r} to {near[0]!r}",
                )
            )
        else:
            warning = (
                f"{path}: extra column {col!r} is not in the contract of {spec.name} and is ignored"
            )
            log.warning(warning)
            warnings.append(warning)
    frame = raw.rename(columns=headers)[[headers[c] for c in raw.columns if c in headers]]
    if frame.columns.duplicated().any():
        dup = frame.columns[frame.columns.duplicated()].tolist()
        problems.append(
            DataError(
                f"Column(s) {dup} appear twice (by canonical and Chinese name).",
                file=path,
                fix="keep one of each column",
            )
        )
        return frame, problems
    for col in spec.columns:
        if col.name not in frame.columns:
            if col.required and col.name not in suggested:  # a rename was already suggested for it
                problems.append(
                    DataError(
                        f"Required column {col.name} ({col.zh}) is missing from {spec.name}.",
                        file=path,
                        column=f"{col.zh} / {col.name}",
                        expected=col.expected,
                        fix=f"add a column headed {col.zh!r}: {col.description}",
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
        out = _to_datetime(text)
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
        hint = {
            "int": "write plain digits: no thousands separators (1,234 → 1234), no 暂无 or —; leave the cell empty if unknown",
            "float": "write plain digits with a decimal point; leave the cell empty if unknown",
            "date": "write dates as YYYY-MM-DD (2021-03-19)",
            "datetime": "write times as YYYY-MM-DD HH:MM:SS",
            "bool": "write 是 or 否",
        }.get(col.type, "")
        return out, DataError(
            f"{int(unparsed.sum())} value(s) of {col.name} ({col.zh}) cannot be read as {TYPES_WORD[col.type]}.",
            file=path,
            column=f"{col.zh} / {col.name}",
            rows=rows,
            values=values,
            expected=col.expected,
            fix=hint,
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


def _to_datetime(text: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(text):
        return text
    out = pd.to_datetime(text, errors="coerce", format="ISO8601")
    for fmt in ("%Y/%m/%d", "%Y/%m/%d %H:%M:%S", "%Y年%m月%d日"):
        todo = out.isna() & text.notna()
        if not todo.any():
            break
        out[todo] = pd.to_datetime(text[todo], errors="coerce", format=fmt)
    return out


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
