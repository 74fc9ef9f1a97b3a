"""The contract is consistent, and the data dictionary in data/README.md is generated from it."""

import pytest

from helpers import paths
from helpers.data import dictionary
from helpers.data.contract import TABLES, Column, Table, register


def test_dictionary_is_up_to_date():
    committed = (paths.ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert committed == dictionary.render(), "run `lawreport dictionary` and commit data/README.md"


def test_dictionary_lists_every_table_and_column():
    text = dictionary.render()
    for t in TABLES.values():
        assert f"## {t.name}" in text
        for c in t.columns:
            assert f"| `{c.name}` | {c.zh} |" in text


@pytest.mark.parametrize("table", TABLES.values(), ids=lambda t: t.name)
def test_table_is_well_formed(table):
    names = [c.name for c in table.columns]
    zh = [c.zh for c in table.columns]
    assert len(set(names)) == len(names) and len(set(zh)) == len(zh)
    assert all(n.isascii() and n == n.lower() for n in names)
    assert set(table.key) <= set(names)
    assert all(table.column(k).required for k in table.key)
    if table.year_column:
        assert table.column(table.year_column).type in ("date", "datetime", "int")
        assert table.column(table.year_column).required


def test_contract_refuses_mistakes():
    with pytest.raises(ValueError, match="未知的类型"):
        Column("x", "甲", "text", "")
    with pytest.raises(ValueError, match="允许的取值"):
        Column("x", "甲", "category", "")
    with pytest.raises(ValueError, match="定义了两次"):
        register(TABLES["gangs"])
    with pytest.raises(ValueError, match="不在它的列中"):
        register(Table("t", "表", "row", (Column("a", "甲", "str", ""),), ("b",), None, "", ""))


def test_every_table_is_read_by_a_chapter_and_every_read_table_is_in_the_contract():
    from helpers.inputs import declaration

    read = {table for c in declaration.load().chapters for table in c.tables}
    assert read == set(TABLES)
