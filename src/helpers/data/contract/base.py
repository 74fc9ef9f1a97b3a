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
    TABLES[table.name] = table
    return table
