"""A figure the report states, with everything needed to trace it back to raw rows."""

from __future__ import annotations

import dataclasses
import functools
import logging
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from types import FrameType
from typing import TYPE_CHECKING

from helpers import fmt, stats
from helpers.errors import MissingTableError, NotCountedError, UndeclaredTableError

# pandas only in annotations here and imported where used: a build that reads the chapters'
# FIGURES and WORDS (every build does, before it knows whether anything changed) needs no pandas
if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)

UP, DOWN, FLAT, MIXED = "up", "down", "flat", "mixed"  # Figure.direction


def direction_of(change: Decimal | float | int | None) -> str | None:
    """The direction of a change: up, down or flat (None when there is no change to tell)."""
    import pandas as pd

    if change is None or pd.isna(change):
        return None
    return UP if change > 0 else DOWN if change < 0 else FLAT


class NotStated(Exception):
    """Slots (figure ids or word names) the data of this year cannot state — no base for a change,
    no case of the kind the sentence names … — with the reason, in Chinese, for the reader's note.
    The text that needs them is left out, never printed with a guess."""

    def __init__(self, slots: str | Iterable[str], why: str):
        self.slots = (slots,) if isinstance(slots, str) else tuple(slots)
        self.why = why
        super().__init__(f"{', '.join(self.slots)}: {why}")


@dataclass
class Figure:
    """One stated figure: its value, how the text writes it, and where it comes from."""

    id: str
    label: str
    value: int | float | Decimal
    unit: str
    display: str
    source: str
    definition: str
    rows: int
    prior: int | float | Decimal | None = None
    change: Decimal | None = None
    current: int | float | None = None
    note: str = ""
    # up / down / flat / mixed: what a 上升/下降 in its sentence may say
    direction: str | None = None
    quoted: bool = False  # its display quotes raw-table text (names of units, posts …)
    # its change is against last year's same months (same_months), not last year's whole year
    same_period: bool = False
    # a number of things done or found (records counted, a column summed, persons, kilograms):
    # the text does not state 0 of it as a result (helpers.render.compose)
    counted: bool = False
    # module:function of the figures module that computed it (helpers.figures.safety:traffic),
    # found when it is made; shown in the notebook's table of figures
    computed_by: str = field(default="", compare=False)

    def __post_init__(self):
        if not self.computed_by:
            self.computed_by = computed_by(sys._getframe(2))  # 1 is the dataclass's __init__

    def __format__(self, spec: str) -> str:
        return self.display

    def __str__(self) -> str:
        return self.display

    def to_dict(self) -> dict:
        """Plain JSON-ready values (Decimals as numbers, rounded as displayed)."""
        out = asdict(self)
        for key in ("value", "prior", "change", "current"):
            v = out[key]
            if isinstance(v, Decimal):
                out[key] = float(fmt.round_half_up(v, 4))
            elif v is not None and hasattr(v, "item"):
                out[key] = v.item()
        return out


# group runners: figure_groups() and word_groups() list lambdas that only call the function
GROUP_LISTS = ("figure_groups", "word_groups")


def computed_by(frame: FrameType | None) -> str:
    """Where a figure being made is computed: ``module:function`` of the chapter's figures module.

    ``frame`` is the caller of ``Figure(...)``. The calls in this module (count, yoy …) are passed
    over; the calls in the figures module below them, up to the group runner (``_run``), are the
    candidates, each named by its module-level function (a lambda or function nested in
    ``changes`` is ``changes``). The outermost names the figure, passing over the lambdas of the
    group lists and module-level lambdas, which only call the function (``lambda: traffic(t,
    year)`` is ``traffic``). A workspace's own module is named by its file
    (``figures/publicity.py:records``); "" when a script made it.
    """
    while frame is not None and frame.f_globals.get("__name__") == __name__:
        frame = frame.f_back
    if frame is None or frame.f_globals.get("__name__", "__main__") == "__main__":
        return ""
    module = frame.f_globals["__name__"]
    chain = []  # inner → outer
    while frame is not None and frame.f_globals.get("__name__") == module:
        chain.append(frame.f_code.co_qualname.split(".")[0])
        frame = frame.f_back
    # a group list's lambdas, or a lambda at module level, only call the function
    named = [n for n in chain if n not in GROUP_LISTS and not n.startswith("<")] or chain
    if module.startswith("lawreport_workspace_"):  # helpers.inputs.declaration loads it by file
        module = f"figures/{module.rsplit('.', 1)[-1]}.py"
    return f"{module}:{named[-1]}"


def count(
    fid: str,
    label: str,
    rows: pd.DataFrame,
    unit: str,
    *,
    source: str,
    definition: str,
    prior_rows: pd.DataFrame | None = None,
    n: int | None = None,
) -> Figure:
    """A count of records (``n`` overrides the row count, e.g. for distinct persons)."""
    value = len(rows) if n is None else n
    prior = None if prior_rows is None else len(prior_rows)
    return _number(fid, label, value, unit, source, definition, len(rows), prior)


def total(
    fid: str,
    label: str,
    values: pd.Series,
    unit: str,
    *,
    source: str,
    definition: str,
    prior_values: pd.Series | None = None,
) -> Figure:
    """A sum of a column over records."""
    value = int(values.sum())
    prior = None if prior_values is None else int(prior_values.sum())
    return _number(fid, label, value, unit, source, definition, len(values), prior)


def _number(fid, label, value, unit, source, definition, rows, prior) -> Figure:
    """A whole number shown as 1,234名, with its change on the year before when known."""
    change = stats.yoy_change(value, prior)
    return Figure(
        fid,
        label,
        value,
        unit,
        f"{fmt.number(value)}{unit}",
        source,
        definition,
        rows,
        prior=prior,
        change=change,
        direction=direction_of(value - prior) if prior is not None else None,
        counted=True,
    )


def yoy(
    fid: str,
    label: str,
    current: int,
    prior: int,
    *,
    ndigits: int,
    source: str,
    definition: str,
    rows: int,
) -> Figure:
    """A year-over-year change stated as 上升/下降X%; the value is the rounded change in percent.

    With nothing to compare against (no records the year before) the change is not stated."""
    pct = stats.yoy_change(current, prior)
    if pct is None:
        raise NotStated(fid, f"{label.removesuffix('同比')}上年为0，无法计算同比")
    value = fmt.round_half_up(pct, ndigits)
    return Figure(
        fid,
        label,
        value,
        "%",
        fmt.change(pct, ndigits),
        source,
        definition,
        rows,
        prior=prior,
        change=pct,
        current=current,
        direction=direction_of(value),  # as displayed: a change that rounds to 0 reads 持平
    )


def same_months(
    prior: pd.DataFrame, column: str, current: pd.DataFrame, cover=None
) -> pd.DataFrame:
    """Last year's rows of the months this year's rows reach: a 同比 compares the same period,
    the one the text states (``months``: 1—8月 when the year's records end in August). When
    ``cover`` (``Frames.coverage``) says this year's rows are a daily register's that stop
    inside a month (on 2021-12-01), last year's are taken up to the same day."""
    import pandas as pd

    if current.empty:
        return prior
    dates = current[column]
    latest, earliest = dates.max(), dates.min()
    if pd.isna(latest):  # no date this year to cut by
        return prior
    before = prior[column]
    first, final = before.min(), before.max()
    one_year = pd.notna(first) and first.year == final.year
    if cover is not None and cover.daily and cover.partial and one_year:
        end = pd.Timestamp(year=first.year, month=cover.last.month, day=1)
        return prior[before < end + pd.Timedelta(days=cover.last.day)]
    # one year's rows (a frame a notebook made may hold several): the latest date's month
    last = latest.month if latest.year == earliest.year else int(dates.dt.month.max())
    if last == 12:
        return prior
    if one_year:  # a date compare, not each row's month
        return prior[before < pd.Timestamp(year=first.year, month=last + 1, day=1)]
    return prior[before.dt.month <= last]


def months_not_covered_empty(frame: pd.DataFrame, covers: Mapping) -> pd.DataFrame:
    """Counts per month (index 1–12, a column per year) with the months a year's records do
    not cover empty, not 0 (``covers``: year → ``Coverage``, as ``Frames.coverages`` gives):
    those after the last month they cover whole, and the whole year when they have a gap (a
    line falling to 0 there would show a drop the records do not show)."""
    for year, cover in covers.items():
        if cover is None or year not in frame:
            continue
        if cover.gap or cover.partial or cover.month < 12:
            frame = frame.astype("float64")
            after = frame.index > (0 if cover.gap else cover.month)
            frame.loc[after, year] = float("nan")
    return frame


def with_prior(figure: Figure, prior: Figure) -> Figure:
    """The figure with last year's value of the same definition and the change against it."""
    figure.prior = prior.value
    figure.change = stats.yoy_change(figure.value, prior.value)
    figure.direction = direction_of(figure.value - prior.value)
    return figure


def derived(
    fid: str,
    label: str,
    value,
    unit: str,
    display: str,
    *,
    source: str,
    definition: str,
    rows: int,
    note: str = "",
    quoted: bool = False,
    counted: bool = False,
) -> Figure:
    """A figure whose display is not plain number + unit (万, 多/余, ranks, lists); ``counted``:
    a number of things done or found (``Figure.counted``), not a rate, rank or change."""
    return Figure(
        fid,
        label,
        value,
        unit,
        display,
        source,
        definition,
        rows,
        note=note,
        quoted=quoted,
        counted=counted,
    )


class Frames(dict):
    """Tables of one report by name (``t.alarms``), with the year before under ``t.prior``.

    A table whose file is missing is not there: asking for it raises MissingTableError, which
    ``collect`` turns into figures left out (and the text that needs them left out with a note).
    ``history`` holds tables read over every year on file up to the report year (``t.history.cases``).
    """

    def __init__(
        self,
        *args,
        missing: dict | None = None,
        year: int | None = None,
        chapter: str = "",
        stacked: bool = False,
        **kw,
    ):
        super().__init__(*args, **kw)
        self.missing = missing if missing is not None else {}
        self.year, self.chapter = year, chapter
        self.stacked = stacked  # ``history``: each table the years of its files stacked
        # a dated table's span (the loader's: helpers.figures.periods.span), by name
        self.spans: dict[str, list | None] = {}
        # by table: its ``distinct`` columns' counts of different values (the loader's)
        self.counted: dict[str, dict[str, int]] = {}
        # by table: its rows counted by day and kind, as kept (``helpers.data.tally``)
        self.tallies: dict[str, dict | None] = {}

    def __getattr__(self, name):
        if name in self:
            return self[name]
        if name in self.missing:
            raise self.missing[name]
        from helpers.data.contract import TABLES

        if name in TABLES or name in ("prior", "history"):
            what = {
                "prior": f"上一年的数据（{self.year - 1 if self.year else '?'}）",
                "history": "往年的数据（t.history）",
            }.get(name, f"数据表 {name}（{self.year}）")
            fix = {
                "prior": "在 report.yaml 中该章的 `tables:` 下给所读的表加上 -1（例如 alarms: [0, -1]）",
                "history": "在 report.yaml 中该章的 `tables:` 下给所读的表加上 history"
                "（例如 cases: [0, -1, history]）",
            }.get(name, f"在 report.yaml 中该章的 `tables:` 下加上它（例如 {name}: [0, -1]）")
            raise UndeclaredTableError(
                f"章 {self.chapter or '?'} 读取了{what}，但 report.yaml 没有为该章"
                "声明它：该章的重建键不会涵盖那个文件。",
                fix=fix,
            )
        raise AttributeError(name)

    def distinct(self, table: str, column: str) -> int:
        """How many different values ``column`` of ``table`` holds this year, as the table check
        counted them (the contract marks the column ``distinct``): the chapter need not read
        the column itself (61 million dwelling ids at ten times the sample)."""
        from helpers.data.contract import TABLES

        if (table not in TABLES and table not in self) or self.stacked:
            raise NotCountedError(*_not_counted(table, column, None))
        getattr(self, table)  # a table not declared or not on file says so, as reading it would
        counted = self.counted.get(table)
        if counted is None or column not in counted:
            raise NotCountedError(*_not_counted(table, column, counted))
        return counted[column]

    def tally(self, table: str) -> pd.DataFrame:
        """This year's rows of ``table`` counted by day and by the contract's ``tally`` columns,
        as the table check counted them: the year column (each day), those columns and
        ``rows``. A figure that only counts rows sums ``rows`` over the cells it wants, and the
        chapter need not read the table (6 million alarms a year at ten times the sample)."""
        from helpers.data import tally
        from helpers.data.contract import TABLES

        spec = TABLES.get(table)
        if spec is None or not spec.tally:
            raise NotCountedError(*_not_tallied(table))
        if self.stacked:
            raise NotCountedError(*_not_tallied(table, stacked=True))
        getattr(self, table)  # a table not declared or not on file says so, as reading it would
        stored = self.tallies.get(table)
        if stored is None:
            raise NotCountedError(*_not_tallied(table))
        return tally.frame(stored, spec)

    def coverage(self, table: str):
        """How far this year's records of ``table`` reach (``helpers.figures.periods``)."""
        from helpers.figures import periods

        return periods.coverage(table, self.year, self.spans.get(table)) if self.year else None

    def coverages(self, table: str) -> dict:
        """This year's and last year's ``coverage`` of ``table``, by year."""
        prior = self.get("prior")
        before = prior.coverage(table) if isinstance(prior, Frames) else None
        return {self.year - 1: before, self.year: self.coverage(table)} if self.year else {}

    def all_missing(self) -> list[MissingTableError]:
        """Every table file missing at this level and the levels below (prior years, history)."""
        out = list(self.missing.values())
        for child in ("prior", "history"):
            if isinstance(self.get(child), Frames):
                out += self[child].all_missing()
        return out


def _no_such_table(asked: str, table: str) -> tuple[str, str]:
    """What ``t.distinct`` or ``t.tally`` (``asked``) says of a table not in the contract."""
    import difflib

    from helpers.data.contract import TABLES

    near = difflib.get_close_matches(table, list(TABLES), n=1)
    return f"{asked}：没有名为 {table} 的数据表。", (
        f"是不是 {near[0]}？"
        if near
        else "写数据约定中的表名（见 data/README.md，由 lawreport dictionary 生成）"
    )


def _not_tallied(table: str, stacked: bool = False) -> tuple[str, str]:
    """What ``Frames.tally`` says of counts it does not have, and the fix."""
    from helpers.data.contract import TABLES
    from helpers.data.contract.workspace import DEFINED_IN

    spec = TABLES.get(table)
    if spec is None:
        return _no_such_table("t.tally", table)
    if not spec.tally:
        where = DEFINED_IN.get(table)
        mark = (
            f"在 {where} 中写 tally: [列名, …]（category 类型的列）"
            if where is not None
            else f"在 src/helpers/data/contract/ 中定义 {table} 的文件里写 tally=(…)"
        )
        return (
            f"数据表 {table}（{spec.zh}）在数据约定中没有 tally 列，检查数据表时没有按日、按类别"
            "计数它的行。",
            f"{mark}；或者在计算模块的 COLUMNS 中读需要的列，直接对行计数",
        )
    if stacked:
        return (
            f't.tally 只给出某一年的 {table} 的计数（t.tally("{table}")、'
            f't.prior.tally("{table}")）；t.history 是几年合并的表，没有计数。',
            f'逐年取用：t.tally("{table}")、t.prior.tally("{table}")',
        )
    return (
        f"{table} 的按日计数没有算出（日期或类别超出了能计数的范围）。",
        "运行 `lawreport -v validate`，把输出发给项目的维护人员",
    )


def _not_counted(table: str, column: str, counted: dict | None) -> tuple[str, str]:
    """What ``Frames.distinct`` says of a count it does not have, and the fix."""
    import difflib

    from helpers.data.contract import TABLES
    from helpers.data.contract.workspace import DEFINED_IN

    spec = TABLES.get(table)
    if spec is None:
        return _no_such_table("t.distinct", table)
    names = [c.name for c in spec.columns]
    if column not in names:
        by_zh = {c.zh: c.name for c in spec.columns}  # 人员编号 for person_id
        near = [by_zh[column]] if column in by_zh else difflib.get_close_matches(column, names, n=1)
        return f"t.distinct：数据表 {table}（{spec.zh}）没有列 {column}。", (
            f"是不是 {near[0]}？" if near else f"它的列是：{'、'.join(names)}"
        )
    if counted is None:
        return (
            f"t.distinct 只给出某一年的 {table} 中不同值的个数（t.{table}、t.prior.{table} 那样按年"
            f"读取的表）；这里的 {table} 是几年合并的表（t.history），各年的个数不能相加。",
            f'对合并后的列计数：stats.count_distinct(t.history.{table}["{column}"])',
        )
    zh = spec.column(column).zh
    where = DEFINED_IN.get(table)
    mark = (
        f"在 {where} 中给列 {column} 加上 distinct: true"
        if where is not None
        else f"在 src/helpers/data/contract/ 中定义 {table} 的文件里给列 {column} 加上 distinct=True"
    )
    return (
        f"数据表 {table} 的列 {column}（{zh}）在数据约定中没有标为 distinct，检查数据表时没有数它的"
        "不同值。",
        f"{mark}；或者在计算模块的 COLUMNS 中读这一列，用 stats.count_distinct 计数",
    )


HISTORY = "history"  # in report.yaml's tables: the years before in an unbroken run


def years_read(needs: dict[str, tuple], year: int, data_dir=None) -> list[tuple[str, int]]:
    """Every (table, year) a chapter reading these tables (report.yaml's ``tables:``) reads for
    the report of ``year``."""
    out = set()
    for table, offsets in needs.items():
        for offset in offsets:
            if offset == HISTORY:
                out |= {(table, y) for y in history_years(table, year, data_dir)}
            else:
                out.add((table, year + offset))
    return sorted(out)


def history_years(table: str, year: int, data_dir=None) -> list[int]:
    """The years of a history table: the report year, the year before (always: without it the
    figure is left out, naming its file), and the unbroken run of years on file before that.
    Files older than a missing year are not read (the figures' definitions say from which year
    they count), and the log says so."""
    from helpers.data.files import years_on_file

    on_file = set(years_on_file(table, data_dir))
    first = year - 1  # last year's file is always needed: cases solved now were filed then
    while first - 1 in on_file and first in on_file:
        first -= 1
    older = sorted(y for y in on_file if y < first - 1)
    if older:
        log.warning(
            "%s：%s 年的文件不予读取，因为它们和 %d 年之间缺少 %d 年的文件",
            table,
            "、".join(map(str, older)),
            year,
            first - 1,
        )
    return list(range(first, year + 1))


def load_frames(
    needs: dict[str, tuple],
    year: int,
    data_dir=None,
    columns: dict[str, list[str]] | None = None,
    chapter: str = "",
) -> Frames:
    """Read every (table, offset) a chapter declares: offset 0 goes to the top, -1 to ``prior``,
    -2 to ``prior.prior``; HISTORY stacks the years before into ``history``. Asking for anything
    else is an UndeclaredTableError. A year both in a level and in a history (last year's
    cases) is read once."""
    import pandas as pd

    from helpers.data import loader

    read_before: dict[tuple[str, int], object] = {}  # a year both in a level and a history

    def read(table: str, y: int, into: Frames) -> None:
        if (table, y) not in read_before:
            try:
                read_before[table, y] = loader.load_checked(
                    table, y, data_dir, (columns or {}).get(table)
                )
            except MissingTableError as exc:
                read_before[table, y] = exc
        found = read_before[table, y]
        if isinstance(found, MissingTableError):
            into.missing[table] = found
        else:
            into[table], into.spans[table] = _part(found.frame, table, columns), found.span
            into.counted[table] = found.distinct
            into.tallies[table] = found.tally

    depth = max((-o for os_ in needs.values() for o in os_ if o != HISTORY), default=0)
    levels = [Frames(year=year - i, chapter=chapter) for i in range(depth + 1)]
    history = Frames(year=year, chapter=chapter, stacked=True)
    for table, offsets in needs.items():
        for offset in offsets:
            if offset != HISTORY:
                read(table, year + offset, levels[-offset])
                continue
            years = Frames()
            for y in history_years(table, year, data_dir):
                read(table, y, years)
                if years.missing:  # the first gap names the file to export
                    history.missing[table] = years.missing[table]
                    history.pop(table, None)
                    break
                history.setdefault(table, []).append(years.pop(table))
    for table, parts in list(history.items()):
        stacked = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
        history[table] = _part(stacked, table, columns)
    for upper, lower in zip(levels, levels[1:], strict=False):
        upper["prior"] = lower
    if history or history.missing:
        levels[0]["history"] = history
    return levels[0]


def _part(frame: pd.DataFrame, table: str, columns: dict | None) -> pd.DataFrame:
    """A table's frame as read for a chapter: when its figures module reads only some columns
    (``COLUMNS``), asking it for another column of the contract says so (``ColumnNotReadError``)
    instead of a bare KeyError."""
    read = (columns or {}).get(table)
    if read is None:
        return frame
    part = _part_frame()(frame)
    part.attrs = dict(frame.attrs)
    part.attrs["lawreport_read"] = (table, list(read))
    return part


@functools.cache
def _part_frame():
    """The frame class of ``_part`` (made on first use: pandas is imported where a table is
    read, not when this module is)."""
    import pandas as pd

    class PartFrame(pd.DataFrame):
        # what pandas makes from it (a filter, a copy) is one too, with its attrs: a column not
        # read is named there as well (f[f["status"] == "有效"]["received_at"])
        @property
        def _constructor(self):
            return PartFrame

        def __getitem__(self, key):
            try:
                return super().__getitem__(key)
            except KeyError:
                _not_read(self.attrs.get("lawreport_read"), key)
                raise

        def __getattr__(self, name):  # f.received_at
            try:
                return super().__getattr__(name)
            except AttributeError:
                if not name.startswith("_"):
                    _not_read(self.attrs.get("lawreport_read"), name, attribute=True)
                raise

        def __reduce__(self):  # pickled (to_pickle, joblib …) as the plain frame it holds
            return pd.DataFrame(self).__reduce__()

    return PartFrame


def _not_read(read: tuple[str, list] | None, key, attribute: bool = False) -> None:
    """Raise ColumnNotReadError if ``key`` names columns of the table's contract not read (an
    AttributeError as well, for ``attribute`` access)."""
    from helpers.data.contract import TABLES
    from helpers.errors import ColumnNotReadAttributeError, ColumnNotReadError

    if read is None or read[0] not in TABLES:
        return
    table, columns = read
    spec = TABLES[table]
    wanted = [key] if isinstance(key, str) else list(key) if isinstance(key, list | tuple) else []
    names = {c.name for c in spec.columns}
    missing = [k for k in wanted if isinstance(k, str) and k in names and k not in columns]
    if not missing:
        return
    import json

    said = f"只读了 {'、'.join(columns)}" if columns else "没有读它的任何一列（只用行数）"
    fix = (
        f"在该章计算模块的 COLUMNS 中为 {table} 加上 {'、'.join(missing)}；或在单元格中读它："
        f'loader.load("{table}", year, columns={json.dumps(missing, ensure_ascii=False)})'
    )
    if spec.tally:
        fix += f'；只数行数时用 t.tally("{table}")（按日、按 {"、".join(spec.tally)} 的计数）'
    error = ColumnNotReadAttributeError if attribute else ColumnNotReadError
    raise error(
        f"本章没有读 {table}（{spec.zh}）的列 {'、'.join(missing)}：它的计算模块{said}。",
        fix=fix,
    ) from None


class Words(str):
    """A word slot's text with ``caveats`` (parts of the raw text left out of it, and why: e.g. a
    register's remark that claims a record the data does not show) and ``verified`` (parts the
    code computed, claims included, such as 2019年以来…最多: not raw text to doubt)."""

    caveats: list[tuple[str, str]]
    verified: tuple[str, ...]

    def __new__(
        cls,
        text: str,
        caveats: list[tuple[str, str]] | None = None,
        verified: tuple[str, ...] = (),
    ):
        obj = super().__new__(cls, text)
        obj.caveats = list(caveats or [])
        obj.verified = tuple(v for v in verified if v)
        return obj


Group = Callable[[], "Figure | dict[str, Figure] | tuple[Figure, ...] | dict[str, str]"]


@dataclass
class Results:
    """What a chapter computed from its tables: figures and words by slot name, and why each
    declared slot that is not there was left out (the reader's note names the reason)."""

    figures: dict[str, Figure] = field(default_factory=dict)
    words: dict[str, str] = field(default_factory=dict)
    absent: dict[str, str] = field(default_factory=dict)
    missing: list[MissingTableError] = field(default_factory=list)
    # words stated with something of the raw text left out: slot → [(what, why)], for the note
    caveats: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    year: int | None = None
    frames: Frames | None = None  # the tables read, for a notebook's charts and tables
    # figure id → how far the records of its tables reach, where that is known (the text's
    # 1—8月 / 全年 is checked against it: helpers.figures.periods)
    periods: dict = field(default_factory=dict)
    reach: int | None = None  # the last month its daily registers cover whole
    months_over: int = 12  # the months of the year that are over (fewer: the current year)

    def values(self) -> dict[str, object]:
        """Every slot the chapter's text may use: common ones, figures, words."""
        return {**common(self.year), **self.figures, **self.words}


def _run(groups: Iterable[Group], not_stated: dict[str, str], raised: list | None = None) -> dict:
    out: dict = {}
    for group in groups:
        try:
            result = group()
        except MissingTableError as exc:
            log.warning("略去：缺少 %d 年的数据表 %s", exc.year, exc.table)
            if raised is not None:
                raised += [exc, *exc.also]
            continue
        except NotStated as exc:
            not_stated.update(dict.fromkeys(exc.slots, exc.why))
            continue
        if isinstance(result, Figure):
            result = {result.id: result}
        elif isinstance(result, tuple):
            result = {f.id: f for f in result}
        out.update(result)
    return out


def collect(*groups: Group) -> dict[str, Figure]:
    """Run each group of figure calculations; a group whose tables are missing, or that the data
    cannot state, is left out."""
    return dict(sorted(_run(groups, {}).items()))


def collect_words(*groups: Group) -> dict[str, str]:
    """Like ``collect`` for the words a chapter's text uses (names, dates, lists)."""
    return _run(groups, {})


def results(
    t: Frames,
    figure_groups: Iterable[Group],
    word_groups: Iterable[Group],
    declared: Mapping[str, tuple[str, ...]],
) -> Results:
    """Figures and words of a chapter, and for every declared slot (id or word → the tables it
    reads) that is not there, the reason: its table file is missing, or the data cannot state it."""
    from helpers.figures import periods

    not_stated: dict[str, str] = {}
    raised: list[MissingTableError] = []  # the table-years a calculation really needed
    figs = dict(sorted(_run(figure_groups, not_stated, raised).items()))
    before = t.get("prior")
    for fid in [f for f, fig in figs.items() if fig.prior is not None and t.year]:
        unlike = periods.unlike_last_year(
            declared.get(fid, ()),
            t.spans,
            before.spans if isinstance(before, Frames) else {},
            t.year,
            figs[fid].same_period,
        )
        if unlike and figs[fid].current is not None:  # the figure is the change: not stated
            del figs[fid]
            not_stated[fid] = unlike
        elif unlike:  # a count with last year's beside it: the count stays, the change goes
            figs[fid] = dataclasses.replace(figs[fid], prior=None, change=None, direction=None)
    words = _run(word_groups, not_stated, raised)
    for slot in [k for k, v in words.items() if not v]:  # an empty list says nothing
        del words[slot]
        not_stated.setdefault(slot, "本年数据中没有可列出的记录")
    caveats = {slot: w.caveats for slot, w in words.items() if getattr(w, "caveats", None)}
    missing = t.all_missing()
    absent = {}
    for slot, tables in declared.items():
        if slot in figs or slot in words:
            continue
        gaps = [m for m in raised if m.table in tables]
        # with this year's or last year's file of that table missing too, name both
        near = (
            [t.missing, t["prior"].missing] if isinstance(t.get("prior"), Frames) else [t.missing]
        )
        gaps += [
            m
            for level in near
            for m in level.values()
            if gaps and m.table in {g.table for g in gaps}
        ]
        gaps = list({(g.table, g.year): g for g in gaps}.values())
        if slot in not_stated:
            absent[slot] = not_stated[slot]
        elif gaps:
            absent[slot] = missing_note(gaps)
        else:
            absent[slot] = "数据不足以得出"
    return Results(
        figs,
        words,
        absent,
        missing,
        caveats,
        year=t.year,
        frames=t,
        periods=periods.figure_periods(t.spans, t.year, figs, declared) if t.year else {},
        reach=periods.reach(t.spans, t.year) if t.year else None,
        months_over=periods.months_over(t.year) if t.year else 12,
    )


def missing_note(gaps: list[MissingTableError]) -> str:
    """缺少数据表：110警情表（2021年），应在 …/alarms/2021.parquet — for the reader and the analyst."""
    from helpers.data.contract import TABLES

    ordered = sorted(gaps, key=lambda g: (g.table, g.year))
    seen = dict.fromkeys(f"{TABLES[g.table].zh}（{g.year}年，应在 {g.file}）" for g in ordered)
    return "缺少数据表：" + "；".join(seen)


def common(year: int | None, last_month: int = 12) -> dict[str, object]:
    """Slots every chapter's text may use: the year, next year, the months covered (1—12月)."""
    if year is None:
        return {}
    months = fmt.month_range(1, last_month)
    return {
        "year": year,
        "next_year": year + 1,
        "months": months,
        "period": "全年" if last_month == 12 else months,
    }


COMMON_SLOTS = ("year", "next_year", "months", "period")
