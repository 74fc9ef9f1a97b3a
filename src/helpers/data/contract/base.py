"""Columns and tables of the data contract, and the registry the loader reads."""

from __future__ import annotations

from dataclasses import dataclass, field

TYPES = {
    "str": "文字",
    "int": "整数",
    "float": "数字",
    "date": "日期（YYYY-MM-DD）",
    "datetime": "日期时间（YYYY-MM-DD HH:MM:SS）",
    "bool": "是/否",
    "category": "允许的取值之一",
}

YES_NO = ("是", "否")
DISTINCT_TYPES = ("int", "str")  # columns of ids, whose different values a figure may count


@dataclass(frozen=True)
class Column:
    """One column: canonical name, the Chinese header source systems use, type and limits."""

    name: str
    zh: str
    type: str
    description: str
    required: bool = True
    allowed: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    # a figure counts its distinct values (dwellings inspected): the table check counts them as
    # it reads the column and keeps the count (helpers.data.distinct), so a chapter that needs
    # only the count does not read the column again
    distinct: bool = False

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"列 {self.name}：未知的类型 {self.type}")
        if self.type == "category" and not self.allowed:
            raise ValueError(f"列 {self.name}：category 类型需要列出允许的取值（allowed）")
        if self.distinct and self.type not in DISTINCT_TYPES:
            raise ValueError(
                f"列 {self.name}：只有编号列（{' 或 '.join(DISTINCT_TYPES)}）能标 distinct"
            )

    @property
    def expected(self) -> str:
        """What a valid value looks like, in words for error messages."""
        if self.type == "category":
            return "以下之一：" + "、".join(self.allowed)
        text = TYPES[self.type]
        if self.min is not None and self.max is not None:
            text += f"，{self.min:g} 到 {self.max:g}"
        elif self.min is not None:
            text += f"，≥ {self.min:g}"
        return text


@dataclass(frozen=True)
class Table:
    """One raw table: what a row means, its columns, key, and which rows count for a year."""

    name: str
    zh: str
    row: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    year_column: (
        str | None
    )  # the date (or year number) that decides a row's year; None: a year-end snapshot
    counts: str
    source: str
    formats: tuple[str, ...] = field(default=("csv", "xlsx", "parquet"))
    # a register with records on every day (a city's 110 calls, cases, tickets): where its
    # dates stop is where the export stops, so the months its figures cover are known
    # (helpers.figures.periods); other tables may just have had nothing later in the year
    daily: bool = False
    # categories whose rows the table check counts per day of the year column and per value
    # (helpers.data.tally), so a figure that only counts rows (the valid crime alarms of a
    # kind) need not read the table again
    tally: tuple[str, ...] = ()

    def column(self, name: str) -> Column:
        """The column of this canonical name."""
        return next(c for c in self.columns if c.name == name)

    @property
    def headers(self) -> dict[str, str]:
        """Every accepted header (canonical or Chinese) mapped to its canonical name."""
        out = {c.name: c.name for c in self.columns}
        out.update({c.zh: c.name for c in self.columns})
        return out


TABLES: dict[str, Table] = {}


def register(table: Table) -> Table:
    """Add a table to the contract."""
    if table.name in TABLES:
        raise ValueError(f"数据表 {table.name} 定义了两次")
    names = [c.name for c in table.columns]
    missing = [k for k in (*table.key, table.year_column) if k and k not in names]
    if missing:
        raise ValueError(f"数据表 {table.name}：主键或年份列 {missing} 不在它的列中")
    _check_tally(table)
    TABLES[table.name] = table
    return table


TALLY_COLUMNS = 4  # at most: the counts of each day and combination of values stay small
TALLY_KINDS = 1000  # combinations of the tally columns' values (an empty cell one of each)
TALLY_ROWS = "rows"  # the column of the counts in ``Frames.tally``'s frame


def _check_tally(table: Table) -> None:
    """A tally counts rows per day of the year column (a date or time) and per value of a few
    category columns (of their allowed values, so the counts stay few)."""
    if not table.tally:
        return
    kinds = {c.name: c for c in table.columns}
    dated = table.year_column and kinds[table.year_column].type in ("date", "datetime")
    if not dated:
        raise ValueError(f"数据表 {table.name}：tally 按日计数，需要日期或日期时间类型的年份列")
    unknown = [n for n in table.tally if n not in kinds]
    if unknown:
        by_zh = {c.zh: c.name for c in table.columns}
        said = "；".join(
            f"{n} 是列 {by_zh[n]} 的中文表头，tally 写列名 {by_zh[n]}" if n in by_zh else str(n)
            for n in unknown
        )
        raise ValueError(
            f"数据表 {table.name}：tally 中的 {said} 不是它的列（它的列是：{'、'.join(kinds)}）"
        )
    wrong = [n for n in table.tally if kinds[n].type != "category"]
    if wrong:
        raise ValueError(
            f"数据表 {table.name}：tally 只能列出 category 类型（有 allowed 取值）的列，"
            f"{'、'.join(wrong)} 不是"
        )
    twice = sorted({n for n in table.tally if table.tally.count(n) > 1})
    if twice:
        raise ValueError(f"数据表 {table.name}：tally 中 {'、'.join(twice)} 写了不止一次")
    if len(table.tally) > TALLY_COLUMNS:
        raise ValueError(
            f"数据表 {table.name}：tally 列出了 {len(table.tally)} 列，最多 {TALLY_COLUMNS} 列"
        )
    if TALLY_ROWS in (table.year_column, *table.tally):
        raise ValueError(
            f"数据表 {table.name}：计数表中行数一列名为 {TALLY_ROWS}，年份列和 tally 的列不能也叫"
            f" {TALLY_ROWS}"
        )
    combinations = 1
    for name in table.tally:
        combinations *= len(set(kinds[name].allowed)) + 1  # and empty
    if combinations > TALLY_KINDS:
        raise ValueError(
            f"数据表 {table.name}：tally 各列的取值（含空值）有 {combinations} 种组合，最多"
            f" {TALLY_KINDS} 种：按日计数会比表本身还大"
        )
