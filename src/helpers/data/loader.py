"""Read a table of a year, checked against the contract, from the table cache when its file did
not change: ``files`` finds the file, ``readers`` turns it into cells, ``mapping`` applies the
organ's own header mapping, ``checks`` checks the cells, ``cache`` keeps the result. Files are
opened read-only and never written. In a chapter's kernel only the table-years its declaration
lists can be read (``declare``).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from helpers import paths
from helpers.data import cache, mapping
from helpers.data.contract import TABLES, Table
from helpers.data.files import _names_in, arrow_table, table_file, years_on_file
from helpers.errors import (
    DataError,
    MissingTableError,
    StatisticsError,
    UndeclaredTableError,
    ValidationError,
)

if TYPE_CHECKING:  # pandas and the checks are imported where a table is read: a build asks
    import pandas as pd  # which tables were checked before without them (0.6 s)

log = logging.getLogger(__name__)
__all__ = ["load", "load_checked", "read_checked", "table_file", "years_on_file", "ValidationError"]


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
    # of each column the contract marks ``distinct``: how many different values it holds
    distinct: dict[str, int] = field(default_factory=dict)
    # of a table whose contract names ``tally`` columns: its rows counted by day and kind, as
    # ``helpers.data.tally.Tally.stored`` keeps them
    tally: dict | None = None


# a table-year's cache entry when its Parquet footer's statistics were found wrong: it is
# checked the full way from then on, until the file changes
WRONG_FOOTER = "footer contradicted"

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
    return load_checked(table, year, data_dir, columns).frame


def load_checked(
    table: str, year: int, data_dir: Path | str | None = None, columns: list[str] | None = None
) -> Loaded:
    """Like ``load``, with what the check found besides the rows: the span of a dated table
    (its last date, on how many days it has records), which tells the months its figures cover."""
    if _declared and (table, year) not in _declared["pairs"]:
        raise UndeclaredTableError(
            f"章 {_declared['chapter']} 读取了 {year} 年的 {table}，但 report.yaml 没有为该章"
            "声明它：该章的重建键不会涵盖这个文件。",
            fix=f"在 report.yaml 中该章的 `tables:` 下加上 {table}（以及它读取的年份）",
        )
    loaded, problems = read_checked(table, year, data_dir, columns)
    if problems:
        raise ValidationError(problems)
    return loaded


def column_values(table: str, year: int, data_dir: Path | str | None, column: str) -> list:
    """One column of a table-year that was checked (its cached rows), as Python values, read
    with Arrow alone: the build asks this of a few small tables and need not import pandas
    (0.6 s). A table-year not in the cache is loaded as usual."""
    spec = TABLES[table]
    path = table_file(table, year, data_dir)
    meta = None
    if path is not None:
        _, entry = _entry(table, year, path, spec)
        meta = _checked(_cached(entry))
    if meta is None:
        return load(table, year, data_dir, columns=[column])[column].tolist()
    return arrow_table(_rows_file(path, entry, meta), [column]).column(column).to_pylist()


def _entry(table: str, year: int, path: Path, spec: Table):
    """The header mapping of the table's folder (None: none) and the cache entry of the file."""
    mapped = mapping.for_table(path.parent, spec)
    return mapped, cache.table_entry(table, year, path, _contract_key(spec, mapped))


def _rows_file(path: Path, entry: Path, meta: dict) -> Path:
    """Where a checked table-year's rows are: the source itself, or the cache's Parquet."""
    return path if meta["rows"] == "source" else entry.with_name(meta["rows"])


def load_years(
    table: str, years: list[int] | range, data_dir: Path | str | None = None
) -> pd.DataFrame:
    """Rows of several years stacked, with a ``year`` column."""
    frames = [load(table, y, data_dir).assign(year=y) for y in years]
    import pandas as pd

    return pd.concat(frames, ignore_index=True)


def read_checked(
    table: str, year: int, data_dir: Path | str | None = None, columns: list[str] | None = None
) -> tuple[Loaded, list[DataError]]:
    """Read one table-year and return it with every problem found (empty list: clean)."""
    spec = TABLES[table]
    unknown = [c for c in columns or () if c not in {col.name for col in spec.columns}]
    if unknown:  # a misspelt name would otherwise be left out without a word
        raise ValueError(
            f"数据表 {table} 没有列 {'、'.join(map(repr, unknown))}；它的列是："
            f"{'、'.join(col.name for col in spec.columns)}"
        )
    path = table_file(table, year, data_dir)
    if path is None:
        folder = paths.data_dir(data_dir) / table
        misnamed = [n for n in _names_in(folder) if str(year) in n]
        if misnamed:  # meant as this year's table, but not found under its name
            raise DataError(
                f"数据表 {table}（{spec.zh}）没有 {year} 年名为 {year}.<扩展名> 的文件，但它的"
                f"文件夹中有 {'、'.join(misnamed)}。",
                file=folder / misnamed[0],
                expected=f"{folder} 中名为 {year}.<{'|'.join(spec.formats)}> 的文件",
                fix=f"把 {misnamed[0]} 重命名为 {year}.{spec.formats[0]}（或按其格式用"
                f" .{' 或 .'.join(spec.formats[1:])}）：只写年份和扩展名，不要别的",
            )
        raise MissingTableError(
            f"数据表 {table}（{spec.zh}）没有 {year} 年的文件。",
            table=table,
            year=year,
            file=folder / f"{year}.{spec.formats[0]}",
            expected=f"{folder} 中名为 {year}.<{'|'.join(spec.formats)}> 的文件",
            fix=f"从{spec.source}导出 {year} 年的{spec.zh}并存放在那里"
            "（或运行 `lawreport sample` 生成示例数据）",
        )
    mapped, entry = _entry(table, year, path, spec)
    meta = _cached(entry)
    from helpers.data import checks

    footer = meta is None or _checked(meta) is not None  # the footer may be trusted
    meta = _checked(meta)  # a wrong footer: the full way, which names the rows
    in_place = meta is None and mapped is None and footer
    clean = checks.clean_in_place(path, spec, year) if in_place else None
    if clean is not None:  # the source is its own cache
        meta = {"count": clean.count, "dropped": 0, "source": str(path), "warnings": []}
        meta |= {"rows": "source", "span": clean.span, "distinct": clean.distinct}
        meta |= {"tally": clean.tally, "judged": list(clean.judged)}
        cache.write_meta(entry, meta)
    if meta is not None:
        warnings = meta.get("warnings", [])

        def read(names: list[str] | None) -> pd.DataFrame:
            if meta["rows"] == "source":
                return read_in_place(path, spec, names, meta.get("judged", ()))
            return read_parquet(_rows_file(path, entry, meta), names)

        try:
            frame = read(columns)
            counted = _counted(meta, spec, frame, read)
            tallied = _tallied(meta, spec, year, frame, read)
        except StatisticsError as exc:
            log.warning("%s", exc)
            cache.write_meta(entry, {"rows": WRONG_FOOTER})
            return read_checked(table, year, data_dir, columns)  # now the full way
        if counted != meta.get("distinct") or tallied != meta.get("tally"):
            cache.write_meta(entry, {**meta, "distinct": counted, "tally": tallied})
        loaded = Loaded(frame, path, meta["dropped"], warnings, distinct=counted, tally=tallied)
        loaded.span, loaded.mapped = meta.get("span"), meta.get("mapped", "")
        return loaded, []
    raw, first_row = _read_file(path, spec, mapped)
    extra_lines = raw.attrs.pop("extra_lines", None)  # values over several lines (CSV)
    note = ""
    if mapped is not None:
        raw, note = mapping.apply(raw, mapped, spec)
    warnings: list[str] = []
    frame, problems = checks.check(raw, spec, path, first_row, warnings)
    dropped = 0
    if not problems and spec.year_column:
        in_year = _in_year(frame[spec.year_column], spec, year)
        dropped = int((~in_year).sum())
        if dropped == len(frame):  # last year's export under this year's name, most likely
            problems.append(_all_out_of_year(frame, spec, year, path, first_row))
        elif dropped:  # no copy of a large table when every row is in the year
            log.info("%s：去掉了 %d 行日期不在 %d 年的记录", path, dropped, year)
            if dropped > len(frame) - dropped:
                warnings.append(_mostly_out_of_year(frame, spec, year, path, dropped))
                log.warning(warnings[-1])
            frame = frame[in_year]
    if not problems:
        import pandas as pd

        if not frame.index.equals(pd.RangeIndex(len(frame))):
            frame = frame.reset_index(drop=True)  # rows were left out: numbered afresh
        span = _span(frame, spec)
        counted = _counted({}, spec, frame)
        tallied = _tallied({}, spec, year, frame)
        meta = {"count": len(frame), "dropped": dropped, "source": str(path), "warnings": warnings}
        meta |= {"span": span, "mapped": note, "distinct": counted, "tally": tallied}
        cache.write_atomic(frame, entry, meta)
        if columns is not None:
            frame = frame[columns]
        return Loaded(frame, path, dropped, warnings, span, note, counted, tallied), problems
    if extra_lines is not None:
        for problem in problems:
            problem.in_text_lines(first_row, extra_lines)
    return Loaded(frame, path, dropped, warnings), problems


def _counted(meta: dict, spec: Table, frame: pd.DataFrame, read=None) -> dict[str, int]:
    """How many different values each column the contract marks ``distinct`` holds: as the
    check kept it (``meta``), else counted now, from ``frame`` if it holds the column, else
    from the column alone as ``read([name])`` reads it."""
    from helpers import stats

    out = dict(meta.get("distinct") or {})
    for col in spec.columns:
        if col.distinct and col.name not in out:
            values = frame[col.name] if col.name in frame.columns else read([col.name])[col.name]
            out[col.name] = stats.count_distinct(values)
    return out


def _tallied(meta: dict, spec: Table, year: int, frame: pd.DataFrame, read=None) -> dict | None:
    """The rows counted by day and kind, for a table whose contract names ``tally`` columns: as
    the check kept them (``meta``), else counted now, from ``frame`` if it holds the columns,
    else from the columns alone as ``read`` reads them."""
    if not spec.tally or meta.get("tally") is not None:
        return meta.get("tally") if spec.tally else None
    from helpers.data import tally

    names = [spec.year_column, *spec.tally]
    if not set(names) <= set(frame.columns):
        frame = read(names)
    return tally.from_frame(frame, spec, year)


def _span(frame: pd.DataFrame, spec: Table) -> list | None:
    """[last date, days with records, longest run of days without] of a table dated by a date
    column (None otherwise): ``helpers.figures.periods.span``."""
    column = spec.year_column
    if not column or spec.column(column).type not in ("date", "datetime") or frame.empty:
        return None
    from helpers.figures import periods

    days = frame[column].dt.normalize().dropna().unique()  # a few hundred, not a row each
    return periods.span((d.date() for d in days), len(frame))


def _in_year(stamp: pd.Series, spec: Table, year: int) -> pd.Series:
    """Rows whose year column (a date, or the year itself) is ``year``."""
    return _years(stamp, spec) == year


def _years(stamp: pd.Series, spec: Table) -> pd.Series:
    dated = spec.column(spec.year_column).type in ("date", "datetime")
    return stamp.dt.year if dated else stamp


def _year_counts(frame: pd.DataFrame, spec: Table) -> pd.Series:
    return _years(frame[spec.year_column], spec).value_counts().sort_index()


def _in_words(counts: pd.Series) -> str:
    return "，".join(f"{int(y)} 年 {n} 行" for y, n in counts.items())


def _all_out_of_year(
    frame: pd.DataFrame, spec: Table, year: int, path: Path, first_row: int
) -> DataError:
    """No row of the file is of its year: another year's export saved under this year's name."""
    col = spec.column(spec.year_column)
    counts = _year_counts(frame, spec)
    main = int(counts.idxmax())
    from helpers.data import checks

    stamp = frame[col.name].head(checks.SHOW_ROWS)
    shown = stamp.dt.strftime("%Y-%m-%d") if col.type in ("date", "datetime") else stamp
    return DataError(
        f"{path.name} 中 {spec.name}（{spec.zh}）的 {len(frame)} 行没有一行的日期在 {year} 年："
        f"按{col.zh}，文件中有 {_in_words(counts)}。",
        file=path,
        column=f"{col.zh} / {col.name}",
        rows=[int(i) + first_row for i in stamp.index],
        values=shown.tolist(),
        expected=f"{year} 年的行（其他年份的行会被去掉，但不能全是其他年份）",
        fix=f"这看来是用 {year} 年的名字保存的 {main} 年的表：从{spec.source}导出 {year} 年的"
        f"{spec.zh}，存为 {path.name}"
        + (f"（并把 {main} 年的文件命名为 {main}{path.suffix}）" if main != year else ""),
    )


def _mostly_out_of_year(
    frame: pd.DataFrame, spec: Table, year: int, path: Path, dropped: int
) -> str:
    counts = _year_counts(frame, spec)
    return (
        f"{path}：{len(frame)} 行中有 {dropped} 行的日期在其他年份（{_in_words(counts)}）；"
        f"只用 {year} 年的 {len(frame) - dropped} 行。这是 {year} 年的文件吗？"
    )


# what a cache entry's metadata holds changed (3: the span has the longest run of days without
# records and the rows; 4: the counts of the contract's distinct columns; 5: the tally of rows
# by day and kind; 6: the text columns judged by their dictionary pages)
META_FORMAT = 6


def _contract_key(spec: Table, mapped: mapping.Mapping | None) -> str:
    """What the cached check of a file depends on besides its bytes: the contract, the form of
    what is kept of it, and the table's header mapping when there is one."""
    key = f"{repr(spec)} meta {META_FORMAT}"
    return key if mapped is None else key + cache.file_digest(mapped.path)


def checked_before(table: str, year: int, data_dir: Path | str | None = None) -> dict | None:
    """The metadata of a table-year whose file passed the contract before (rows ``count``,
    ``dropped`` out of the year, the ``source`` file), without reading rows; None if not cached."""
    path = table_file(table, year, data_dir)
    if path is None:
        return None
    try:
        meta = _cached(_entry(table, year, path, TABLES[table])[1])
    except (OSError, DataError):
        return None  # read_checked says why the file cannot be read
    if _checked(meta) is None:
        return None
    return {**meta, "source": str(path)}  # the same bytes may lie elsewhere now


def _checked(meta: dict | None) -> dict | None:
    """A cache entry's metadata if it is of a table that passed (not one marked WRONG_FOOTER)."""
    return None if meta is None or meta.get("rows") == WRONG_FOOTER else meta


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
    return parquet_frame(path, columns)


# rows copied at a time into a column's final array by parquet_frame: 2 MB of int64, which Arrow's
# allocator reuses from slice to slice (at 8 MB each slice came in fresh pages)
DIRECT_ROWS = 1 << 18


def parquet_frame(
    path: Path,
    columns: list[str] | None = None,
    dictionary: list[str] = (),
    each=None,
    **options,
) -> pd.DataFrame:
    """A Parquet file's columns as a pandas frame (``options``: those of Arrow's ``to_pandas``).

    A column of whole numbers, fractions or times (without a time zone) that has no empty cell
    is copied into its final numpy array a slice at a time: Arrow reading the whole column and
    then joining its row groups in ``to_pandas`` held it twice (61 million house ids: 1.16 GB
    at the peak and 1.1 s of CPU, against 0.67 GB and 0.9 s). The other columns, and a file
    whose pandas metadata gives an index, names or types of its own, go through Arrow's
    ``to_pandas`` as before. ``each(name, values)`` is shown every column's values as Arrow
    reads them (a slice at a time, or whole), so a caller can check them on the way."""
    import numpy as np
    import pandas as pd
    import pyarrow.parquet as pq

    def through_arrow(table):
        for name in table.column_names if each is not None else ():
            each(name, table.column(name))
        return table.to_pandas(**options)

    with pq.ParquetFile(path, read_dictionary=list(dictionary) or None) as source:
        schema = source.schema_arrow
        # as Arrow's read: names not in the file are left out
        names = [n for n in (schema.names if columns is None else columns) if n in schema.names]
        asked = None if columns is None else names  # all: in the file's order, names repeated
        meta = source.metadata
        groups = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
        rows = sum(groups)  # what Arrow reads, whatever the file's own count says
        # a name given twice, or held by two of the file's columns, is Arrow's to resolve
        unique = len(set(names)) == len(names) and len(set(schema.names)) == len(schema.names)
        plain = rows and min(groups) >= 0 and unique
        direct = _copied_directly(source, names, options) if plain else []
        try:
            arrays = {n: np.empty(rows, schema.field(n).type.to_pandas_dtype()) for n in direct}
        except (ValueError, MemoryError):  # counts no file of this size can hold: Arrow says so
            arrays, direct = {}, []
        at = 0
        for batch in (
            source.iter_batches(batch_size=DIRECT_ROWS, columns=direct, use_threads=False)
            if direct
            else ()
        ):
            size = batch.num_rows
            # more rows than the footer says, or an empty cell the statistics did not show
            if at + size > rows or any(values.null_count for values in batch.columns):
                break
            for name, values in zip(direct, batch.columns, strict=True):
                if each is not None:
                    each(name, values)
                arrays[name][at : at + size] = values.to_numpy()
            at += size
        if not direct or at != rows:
            arrays.clear()  # not held while Arrow reads it all again
            return through_arrow(source.read(columns=asked))
        rest = [n for n in names if n not in arrays]
        others = through_arrow(source.read(columns=rest)) if rest else None
        if others is not None and not others.index.equals(pd.RangeIndex(rows)):
            arrays.clear()
            return through_arrow(source.read(columns=asked))
    # put together without a copy (``insert`` would copy each array)
    return pd.DataFrame(
        {n: arrays[n] if n in arrays else others[n] for n in names},
        index=pd.RangeIndex(rows),
        copy=False,
    )


# options of Arrow's ``to_pandas`` that leave a column of numbers or times without empty cells
# as ``parquet_frame`` copies it (``types_mapper`` and ``ignore_metadata`` are looked at column
# by column); any other option set, such as ``timestamp_as_object``, ``categories`` or
# ``coerce_temporal_nanoseconds``, sends every column through Arrow
_NEUTRAL = frozenset(
    (
        "types_mapper",
        "ignore_metadata",
        "self_destruct",
        "split_blocks",
        "use_threads",
        "memory_pool",
        "deduplicate_objects",
        "date_as_object",
        "strings_to_categorical",
        "integer_object_nulls",
        "maps_as_pydicts",
        "safe",
    )
)


def _copied_directly(source, names: list[str], options: dict) -> list[str]:
    """The columns of ``names`` that ``parquet_frame`` copies into numpy itself: of a type
    numpy holds as Arrow does (``_direct``), without an empty cell in the footer's statistics,
    not given another type by ``types_mapper``, and, unless pandas' metadata is ignored, in a
    file whose metadata adds nothing to them (no index, names as written, pandas' type the
    same: "Int64" or "Float64", which can hold empty cells, come back as such through Arrow)."""
    import numpy as np

    if any(value for option, value in options.items() if option not in _NEUTRAL):
        return []  # Arrow's own conversion: times as objects, categories, zero copies only …
    schema = source.schema_arrow
    mapper = options.get("types_mapper")
    written = None if options.get("ignore_metadata") else _pandas_columns(schema)
    if written is False:
        return []
    out = []
    for name in names:
        kind = schema.field(name).type
        if not _direct(kind) or (mapper is not None and mapper(kind) is not None):
            continue
        said = (written or {}).get(name)
        numpy = str(np.dtype(kind.to_pandas_dtype()))
        if said is not None and (said.get("numpy_type") != numpy or said.get("metadata")):
            continue
        if not _nulls_in_footer(source, name):
            out.append(name)
    return out


def _pandas_columns(schema) -> dict[str, dict] | None | bool:
    """What pandas wrote about each column (None: the file holds no pandas metadata); False if
    its metadata gives more than plain columns: an index, names that are not the columns' own,
    several levels of names, or anything Arrow's ``to_pandas`` would read otherwise."""
    try:
        written = schema.pandas_metadata
    except ValueError:  # metadata that is not JSON: Arrow's to_pandas refuses it, and says why
        return False
    if written is None:
        return None
    if not isinstance(written, dict) or not isinstance(written.get("columns"), list):
        return False  # not what pandas writes: Arrow's to_pandas reads it or refuses it
    levels = written.get("column_indexes") or []
    plain = not written.get("index_columns") and (
        len(levels) <= 1
        # names of text (the labels of an int64 level, say, are made numbers by Arrow)
        and all(
            isinstance(level, dict)
            and level.get("name") is None
            and level.get("pandas_type", "unicode") == "unicode"
            for level in levels
        )
    )
    columns = written.get("columns") or []
    if not plain or any(c.get("name") != c.get("field_name") for c in columns):
        return False
    return {c["name"]: c for c in columns}


def _nulls_in_footer(source, name: str) -> bool:
    """Whether the footer's statistics show an empty cell in a column (unknown: no)."""
    from helpers.data import pages

    meta = source.metadata
    where = source.schema_arrow.get_field_index(name)
    for i in range(meta.num_row_groups):
        stats = pages.statistics(meta, i, where)
        if stats is not None and stats.has_null_count and stats.null_count:
            return True
    return False


def _direct(kind) -> bool:
    """Whether ``parquet_frame`` copies a column of this Arrow type straight into numpy."""
    import pyarrow as pa

    return (
        pa.types.is_integer(kind)
        or (pa.types.is_floating(kind) and not pa.types.is_float16(kind))
        or (pa.types.is_timestamp(kind) and kind.tz is None)
    )


def read_in_place(
    path: Path, spec: Table, columns: list[str] | None = None, judged=()
) -> pd.DataFrame:
    """A Parquet file that passed ``checks.clean_in_place``, read into the frame the full way
    (``checks.check``) would give: text as pandas' "string", booleans as "boolean", and a
    text column the contract calls a category as a categorical with its values sorted, as
    ``astype("category")`` orders them (a column dictionary-encoded in the file keeps its
    own order, as the full way keeps it). The columns the check judged by the footer, and the
    text it judged by its dictionary pages (``judged``), are checked again as they are read."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pq.read_schema(path)
    wanted = columns if columns is not None else schema.names
    plain = [
        c.name
        for c in spec.columns
        if c.type == "category"
        and c.name in wanted
        and not pa.types.is_dictionary(schema.field(c.name).type)
    ]
    text = pd.StringDtype("pyarrow")
    types = {pa.string(): text, pa.large_string(): text, pa.bool_(): pd.BooleanDtype()}
    from helpers.data import checks

    contract = {c.name: c for c in spec.columns}
    wrong: set[str] = set()  # columns the footer judged whose rows break a rule after all

    def footer_held(name: str, values) -> None:
        if name in wrong:
            return
        if checks.footer_broken(values, contract[name]) or (
            name in judged and checks.text_broken(values, contract[name])
        ):
            wrong.add(name)

    try:
        # the file's pandas metadata (whoever wrote it) is ignored, as the full way ignores it
        frame = parquet_frame(
            path,
            columns,
            plain,
            footer_held,
            types_mapper=types.get,
            self_destruct=True,
            split_blocks=True,
            ignore_metadata=True,
        )
    except (OSError, pa.ArrowException) as exc:  # a page the check judged by the footer
        raise DataError(
            f"{path.name} 中 {spec.name}（{spec.zh}）的数据无法读取：{exc}",
            file=path,
            expected="完整的 Parquet 文件",
            fix=f"从{spec.source}重新导出 {path.name}（文件已损坏或不完整）",
        ) from exc
    col = next((c for c in spec.columns if c.name in wrong), None)  # in the contract's order
    if col is not None:  # judged by the footer or the dictionary pages (checks._clean_by_*)
        raise StatisticsError(
            f"{path.name} 的列 {col.name}（{col.zh}）中有不符合数据约定的值，而文件自带的"
            f"{'字典页和统计信息' if col.name in judged else '统计信息'}说没有：按完整的方式重新检查。",
            file=path,
            column=f"{col.zh} / {col.name}",
            expected="统计信息与数据一致的 Parquet 文件",
            fix=f"从{spec.source}重新导出 {path.name}",
        )
    for name in plain:  # Arrow orders a dictionary as values come; astype sorts them
        values = frame[name].cat
        order = sorted(values.categories)
        where = {v: i for i, v in enumerate(order)}
        codes = values.codes.to_numpy()  # of the least width that holds them (int8: < 128)
        # in the codes' own width: 0.015 s for 6 million alarms, not 0.11 s in int64
        recode = np.array([where[v] for v in values.categories] + [-1], dtype=codes.dtype)
        frame[name] = pd.Categorical.from_codes(
            recode[codes], dtype=pd.CategoricalDtype(pd.Index(order))
        )
    return frame


def _read_file(
    path: Path, spec: Table, mapped: mapping.Mapping | None = None
) -> tuple[pd.DataFrame, int]:
    """Raw cells as text (Parquet keeps its types) under the file's own headers, and the number
    that turns a row's index into its row in Excel or its line in a text editor."""
    from helpers.data import readers

    return readers.read_raw(path, spec, mapped.columns if mapped is not None else ())


# ------------------------------------------------------------------ checking
