"""Check every raw table a report year needs, collecting all problems instead of stopping at one.

Besides each file's own problems, a table-year is compared with the file of the year before:
far fewer rows than last year (an export of a few months, or of one unit) is a warning.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from helpers import paths
from helpers.data import cache, loader
from helpers.data.contract import TABLES
from helpers.data.files import check_folders
from helpers.errors import DataError, MissingTableError
from helpers.figures import needs
from helpers.figures.periods import ENDS_EARLY_DAYS

log = logging.getLogger(__name__)

# a table-year with fewer rows than a fifth of the year before's is warned about (when both
# files exist and the table's rows are dated); below MIN_ROWS_BEFORE rows the years vary too much
SHRINK = 5
MIN_ROWS_BEFORE = 20


@dataclass
class TableCheck:
    """Result of checking one table-year."""

    table: str
    year: int
    file: Path | None
    rows: int
    dropped_other_years: int
    problems: list[DataError]
    missing: bool = False
    warnings: list[str] = field(default_factory=list)  # loud, not fatal: the build lists them
    span: list | None = None  # a dated table's days: helpers.figures.periods.span
    mapped: str = ""  # the header mapping applied, if any


def check_one(table: str, year: int, data_dir=None, contract: str | None = None) -> TableCheck:
    """Check one table-year against the contract. Never raises: whatever is wrong with the
    file is a problem of this table, and the other tables are still checked. ``contract``: the
    workspace's own contract folder, whose tables a pool's worker (forked before the build
    read report.yaml) learns here."""
    if contract is not None and table not in TABLES:
        from helpers.data.contract.workspace import register_folder

        register_folder(Path(contract))
    try:
        loaded, problems = loader.read_checked(table, year, data_dir, columns=[])
    except MissingTableError as exc:
        return TableCheck(table, year, exc.file, 0, 0, [], missing=True)
    except DataError as exc:
        return TableCheck(table, year, exc.file, 0, 0, [exc])
    except Exception as exc:  # a fault no check foresaw: still this table's problem, not a crash
        log.debug("checking %s %d", table, year, exc_info=True)
        return TableCheck(table, year, None, 0, 0, [_unforeseen(table, year, data_dir, exc)])
    rows = len(loaded.frame.index)
    del loaded.frame
    if rows >= 1_000_000:  # a full collection costs 40 ms: worth it after large tables only
        _release_memory()
    return TableCheck(
        table,
        year,
        loaded.file,
        rows,
        loaded.dropped_other_years,
        problems,
        False,
        loaded.warnings,
        loaded.span,
        loaded.mapped,
    )


def _unforeseen(table: str, year: int, data_dir, exc: Exception) -> DataError:
    try:
        file = loader.table_file(table, year, data_dir)
    except DataError:
        file = None
    return DataError(
        f"{year} 年的 {table} 无法检查：{type(exc).__name__}: {exc}",
        file=file,
        fix="重新导出该表；如果仍然不行，运行 `lawreport -v validate`，把它的输出和该文件"
        "一起发给项目的维护人员",
    )


def _release_memory() -> None:
    """Give freed memory back to the system after checking a table (a pool worker lives on)."""
    import ctypes
    import gc

    gc.collect()
    try:
        import pyarrow

        pyarrow.default_memory_pool().release_unused()
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError, ImportError):
        pass


# A few changed files are checked in the calling process, while the pool's workers are still
# starting their kernels; more go to the pool.
HERE_BYTES = 10_000_000


def check_year(
    year: int, data_dir: Path | None = None, pool=None, workspace=None
) -> list[TableCheck]:
    """Check each (table, year) the report of ``year`` reads: files that passed before are
    answered from the cache here, the others are read and checked, on ``pool`` when given and
    they are more than a few."""
    return start_year(year, data_dir, pool, workspace).result()


@dataclass
class Checking:
    """The table checks of a year, under way on a pool: a chapter may start as soon as the
    tables it reads are checked and sound (``ready``); ``result`` waits for all of them."""

    pairs: list[tuple[str, int]]
    done: dict[tuple[str, int], TableCheck]
    futures: dict[tuple[str, int], object]  # pair → concurrent.futures.Future of a TableCheck
    data_dir: Path | None
    year: int
    # the rows of the files of the years before that are compared with but not checked
    # (``compared_files``), counted on the pool (a Future) or, without one, when needed
    rows_before: object = None
    # the cities of the province's table by year (``cross_checks``), read on the pool (a Future)
    cities: object = None
    # what gives the pool its checks, one per worker at a time (``run.feeder.Feeder``): a
    # chapter handed to it ``first`` goes ahead of the checks not yet given
    feed: object = None

    def open(self) -> list:
        """The checks still running."""
        return [f for f in self.futures.values() if not f.done()]

    def ready(self, pairs) -> bool:
        """Whether every one of ``pairs`` is checked and has no problem (a missing file is no
        problem: the chapter leaves out what needs it)."""
        for pair in pairs:
            if pair in self.futures:
                future = self.futures[pair]
                if not future.done() or future.exception() is not None:
                    return False
                check = future.result()
            else:
                check = self.done.get(pair)
            if check is None or check.problems:
                return False
        return True

    def result(self) -> list[TableCheck]:
        if self.feed is not None:  # nothing more to put ahead: what is held goes in order
            self.feed.close()
        done = self.done | {pair: f.result() for pair, f in self.futures.items()}
        results = [done[pair] for pair in self.pairs]
        counted = _answer(self.rows_before)
        _compare_with_year_before(results, self.data_dir, counted)
        _ends_early(results, self.year, self.data_dir)
        return results


def start_year(
    year: int, data_dir: Path | None = None, pool=None, workspace=None, first=(), depth=None
) -> Checking:
    """Start checking the tables of ``year`` (``check_year``): on the pool, the tables of the
    chapters ``first`` (lists of (table, year) pairs, the chapter to start first first) before
    the others, and within that the largest files first, so that no large table is left to one
    worker at the end; a few changed files, or no pool, here and now.

    The pool gets ``depth`` checks at a time (by default all at once): a chapter handed to
    ``Checking.feed`` meanwhile goes ahead of the checks not yet given (``run.feeder``)."""
    from helpers.run.feeder import Feeder

    check_folders(data_dir)
    pairs = needs(year, data_dir, workspace)
    done = {pair: _checked_before(*pair, data_dir) for pair in pairs}
    todo = [pair for pair, check in done.items() if check is None]
    if pool is None or sum(_size(*pair, data_dir) for pair in todo) <= HERE_BYTES:
        done |= {pair: check_one(*pair, data_dir) for pair in todo}
        return Checking(pairs, done, {}, data_dir, year)
    rank = {}
    for i, pairs_of_chapter in enumerate(first):
        for pair in pairs_of_chapter:
            rank.setdefault(tuple(pair), i)
    feed = Feeder(pool, depth or len(todo) + 2)
    from helpers.workspace import Workspace

    contract = str(Workspace.of(workspace).contract)
    futures = {
        pair: feed.submit(check_one, *pair, data_dir, contract)
        for pair in sorted(
            todo, key=lambda pair: (rank.get(pair, len(rank)), -_size(*pair, data_dir))
        )
    }
    # counted by a worker, which has pyarrow loaded: this process would import it (0.7 s) for
    # a Parquet file's metadata
    before = [path for _, _, path in compared_files(pairs, data_dir)]
    rows_before = feed.submit(_rows_of, before) if before else None
    city_years = [y for t, y in pairs if t == "province_cities"]
    cities = feed.submit(_cities, city_years, data_dir) if city_years else None
    feed.start()
    return Checking(pairs, done, futures, data_dir, year, rows_before, cities, feed)


def _answer(future):
    """What a side task on the pool found; None if there was none or it failed (the caller
    then works it out itself)."""
    if future is None:
        return None
    try:
        return future.result()
    except Exception:  # noqa: BLE001 — e.g. a broken pool: done here instead
        log.debug("side task", exc_info=True)
        return None


def compared_files(pairs, data_dir) -> list[tuple[str, int, Path]]:
    """The files of the year before that the checks of ``pairs`` compare a table's rows with
    (``_compare_with_year_before``) but that are not among ``pairs``: (table, year, file)."""
    wanted = set(pairs)
    out = []
    for table, year in sorted(wanted):
        if not TABLES[table].year_column or (table, year - 1) in wanted:
            continue
        try:
            path = loader.table_file(table, year - 1, data_dir)
        except DataError:
            continue
        if path is not None:
            out.append((table, year - 1, path))
    return out


def _cities(years: list[int], data_dir) -> dict[int, list]:
    """The cities of the province's table of each year, read where pyarrow is loaded; a year
    whose table cannot be read is left out (its check says why)."""
    out = {}
    for year in years:
        try:
            out[year] = loader.column_values("province_cities", year, data_dir, "city")
        except Exception:  # noqa: BLE001 — the table's own check reports it
            log.debug("province_cities %d", year, exc_info=True)
    return out


def _rows_of(files: list[Path]) -> dict[Path, int]:
    """The rows each of ``files`` holds, counted cheaply once per version of the file."""
    from helpers.data.files import rows_on_file

    return cache.per_stamp("rows", files, rows_on_file)


# a table this large, with records on ENDS_EARLY_DAYS days, is expected to have records in
# December too (the text's months follow the same days: helpers.figures.periods)
ENDS_EARLY_ROWS = 1000


def _ends_early(results: list[TableCheck], year: int, data_dir) -> None:
    """Warn of a table whose records of the report year stop months before the year ends (an
    export of part of the year), or, for a daily register of this year or the last, stop in
    the middle of a month or miss a stretch of days: the figures, their change against last
    year and the months the text states would cover less than they seem to."""
    import datetime as dt

    from helpers.figures import periods

    for r in results:
        if r.missing or r.problems or not r.span or r.year not in (year, year - 1):
            continue
        cover = periods.coverage(r.table, r.year, r.span)
        if cover and cover.daily:  # a daily register large enough to tell
            if cover.gap or cover.partial or cover.month < periods.months_over(r.year):
                if cover.gap or cover.partial:
                    said = cover.describe()
                else:
                    said = f"{r.year} 年的 {r.rows} 行截止于 {cover.last}"
                r.warnings.append(
                    f"{r.file}：{said}：是否只导出了一年中的一部分？数字、同比和正文所说的期间"
                    f"只涵盖这一部分（说不准的句子会略去并注明）。"
                )
            continue
        if r.year != year or year >= dt.date.today().year or r.rows < ENDS_EARLY_ROWS:
            continue  # the year is not over: partial data is expected
        last, days = dt.date.fromisoformat(r.span[0]), r.span[1]
        if days >= ENDS_EARLY_DAYS and last.month < 12:  # records of most days, not a few batches
            r.warnings.append(
                f"{r.file}：{r.year} 年的 {r.rows} 行截止于 {last}：是否只导出了一年中的一部分？"
                "用到它的数字只涵盖这一部分。"
            )


def _compare_with_year_before(
    results: list[TableCheck], data_dir, counted: dict[Path, int] | None = None
) -> None:
    """Warn of a table-year with under a fifth of the rows of the same table's file of the
    year before: an export of a few months or of one unit passes every check of its own.
    ``counted``: the rows of the year-before files not checked, if counted already."""
    by_pair = {(r.table, r.year): r for r in results}
    dated = [r for r in results if not (r.missing or r.problems) and TABLES[r.table].year_column]
    before = [_year_before(r, by_pair, data_dir) for r in dated]
    # a year before that this run did not check: the rows its file holds, counted cheaply (no
    # parsing) once per version of the file
    files = [b for b in before if isinstance(b, Path)]
    if counted is None:
        counted = _rows_of(files)
    for r, b in zip(dated, before, strict=True):
        if isinstance(b, Path):
            rows, source = counted.get(b), b
        elif b is not None:
            rows, source = b.rows, b.file
        else:
            continue
        if rows is not None and rows >= MIN_ROWS_BEFORE and r.rows * SHRINK < rows:
            r.warnings.append(
                f"{r.file}：{r.year} 年只有 {r.rows} 行，不到 {r.year - 1} 年 {rows} 行的五分之一"
                f"（{source}）。导出是否完整：每个月、每个单位都在吗？"
            )


def _year_before(r: TableCheck, by_pair: dict, data_dir) -> TableCheck | Path | None:
    """The same table's year before: its check in this run (if clean), else its file."""
    known = by_pair.get((r.table, r.year - 1))
    if known is not None:
        return None if known.missing or known.problems else known
    try:
        return loader.table_file(r.table, r.year - 1, data_dir)
    except DataError:
        return None


def _checked_before(table: str, year: int, data_dir) -> TableCheck | None:
    try:
        meta = loader.checked_before(table, year, data_dir)
    except DataError:
        return None  # check_one reports it
    if meta is None:
        return None
    return TableCheck(
        table,
        year,
        Path(meta["source"]),
        meta["count"],
        meta["dropped"],
        [],
        False,
        list(meta.get("warnings", [])),
        meta.get("span"),
        meta.get("mapped", ""),
    )


def _size(table: str, year: int, data_dir) -> int:
    try:
        path = loader.table_file(table, year, data_dir)
        return path.stat().st_size if path else 0
    except (DataError, OSError):
        return 0


def problems(results: list[TableCheck]) -> list[DataError]:
    """All problems of a check, in table order."""
    return [p for r in results for p in r.problems]


def missing(results: list[TableCheck]) -> list[TableCheck]:
    """Table-years with no file: the sections that need them are left out of the report."""
    return [r for r in results if r.missing]


def no_files_error(results: list[TableCheck], year: int, data_dir=None) -> DataError | None:
    """The error for a year of which not one table has a file (a wrong year or data folder)."""
    if any(not r.missing for r in results if r.year == year):
        return None
    folder = paths.data_dir(data_dir)
    on_file = sorted({y for table in TABLES for y in _years_on_file(table, folder)})
    if not folder.is_dir():
        where = f"{folder} 不存在"
    elif on_file:
        where = f"{folder} 中只有 {', '.join(map(str, on_file))} 年的数据表"
    else:
        where = f"{folder} 中没有数据表文件"
    return DataError(
        f"完全没有 {year} 年的原始数据表：{where}。",
        file=folder,
        expected=f"各表文件夹（{folder}/<表名>/）中名为 {year}.csv、{year}.xlsx 或"
        f" {year}.parquet 的文件",
        fix=f"把 {year} 年的数据表导出到 {folder}/<表名>/（见 data/README.md），或用 --data-dir"
        " 指定存放它们的文件夹，或检查年份",
    )


def _years_on_file(table: str, folder: Path) -> list[int]:
    try:
        return loader.years_on_file(table, folder)
    except OSError:
        return []


def cross_checks(
    results: list[TableCheck], params: dict, data_dir=None, checking: Checking | None = None
) -> list[DataError]:
    """What the year's parameters ask of the tables: the city must be a row of the province's
    table of each year it is read (its rankings compare it with the others). The cities are
    those ``checking`` read on its pool, if it did."""
    read = _answer(checking.cities) if checking is not None else None
    read = read or {}
    out = []
    for r in results:
        if r.table != "province_cities" or r.missing or r.problems:
            continue
        cities = read.get(r.year)
        if cities is None:
            cities = loader.column_values("province_cities", r.year, data_dir, "city")
        if params["city"] not in set(cities):
            out.append(
                DataError(
                    f"城市 {params['city']!r}（参数 city）不在 {r.year} 年的全省地市表中；"
                    f"表中的城市是 {'、'.join(sorted(cities))}。",
                    file=r.file,
                    column="地市 / city",
                    expected=f"有 {params['city']} 的一行",
                    fix="在表中加上该城市的一行，或把 params/<年>.yaml 中的 city 改为"
                    "表中使用的名称",
                )
            )
    return out
