"""The table of figures a chapter notebook shows: each figure's definition and where it is
computed (计算位置, ``module:function``), a function that exists and produces that figure."""

import importlib
from functools import wraps

import pytest

from helpers import figures
from helpers.chapter import FIGURE_COLUMNS, figure_table, open_chapter
from helpers.figures import Figure
from helpers.figures.base import computed_by, derived

CHAPTERS = [("safety", 2021), ("services", 2021), ("epidemic", 2021), ("reconsideration", 2023)]


def _ids(result) -> set[str]:
    if isinstance(result, Figure):
        return {result.id}
    if isinstance(result, dict):
        return {f.id for f in result.values() if isinstance(f, Figure)}
    if isinstance(result, tuple):
        return {f.id for f in result if isinstance(f, Figure)}
    return set()


def produced(module, names, monkeypatch, run) -> dict[str, set[str]]:
    """Which figures each named function of ``module`` returns while ``run()`` runs: directly,
    or through the groups (callables) it returns."""
    out = {name: set() for name in names}

    def watch(name, fn):
        @wraps(fn)
        def watched(*args, **kwargs):
            result = fn(*args, **kwargs)
            out[name] |= _ids(result)
            if isinstance(result, list) and all(callable(g) for g in result):
                return [watch(name, g) for g in result]
            return result

        return watched

    for name in names:
        monkeypatch.setattr(module, name, watch(name, getattr(module, name)))
    run()
    return out


@pytest.mark.parametrize("name, year", CHAPTERS, ids=[c for c, _ in CHAPTERS])
def test_the_figure_table_names_a_function_that_produces_each_figure(
    name, year, small_dir, monkeypatch
):
    ch = open_chapter(name, year, data_dir=small_dir, city="东莞")
    table = figure_table(ch.figures)
    assert list(table.columns) == list(FIGURE_COLUMNS.values())
    assert "定义" in table.columns and "计算位置" in table.columns
    assert len(table) == len(ch.figures) > 0
    assert table["定义"].str.len().gt(0).all()
    places = dict(zip(table["编号"], table["计算位置"], strict=True))
    modules = {place.split(":")[0] for place in places.values()}
    assert modules == {f"helpers.figures.{name}"}
    module = importlib.import_module(modules.pop())
    names = {place.split(":")[1] for place in places.values()}
    assert all(callable(getattr(module, n, None)) for n in names)
    seen = produced(
        module, names, monkeypatch, lambda: figures.chapter(name, year, small_dir, city="东莞")
    )
    for fid, place in places.items():
        assert fid in seen[place.split(":")[1]], f"{fid}: {place} did not produce it"


def test_a_workspace_module_is_named_by_its_file():
    """A workspace's own figures module is loaded by file under a generated name."""
    namespace = {"__name__": "lawreport_workspace_123.publicity", "derived": derived}
    code = (
        "def records():\n"
        "    return derived('P01', 'x', 1, '个', '1个', source='t', definition='d', rows=1)\n"
        "groups = lambda: records()\n"
    )
    exec(compile(code, "publicity.py", "exec"), namespace)
    assert namespace["records"]().computed_by == "figures/publicity.py:records"
    assert namespace["groups"]().computed_by == "figures/publicity.py:records"
    assert computed_by(None) == ""


def test_a_year_in_both_a_level_and_the_history_is_read_once(small_dir, monkeypatch):
    """cases 2021 and 2020 are the chapter's this year and last year and part of its history:
    each file is loaded once, and the history holds every year's rows."""
    from helpers.data import loader
    from helpers.figures.base import HISTORY, history_years, load_frames

    loads: list[tuple[str, int]] = []
    load, load_checked = loader.load, loader.load_checked

    def counted(table, year, *args, **kwargs):
        loads.append((table, year))
        return load_checked(table, year, *args, **kwargs)

    monkeypatch.setattr(loader, "load_checked", counted)
    t = load_frames({"cases": (0, -1, HISTORY)}, 2021, small_dir)
    years = history_years("cases", 2021, small_dir)
    assert years[-2:] == [2020, 2021] and len(years) >= 3
    assert sorted(loads) == sorted(("cases", y) for y in years)
    rows = {y: len(load("cases", y, small_dir)) for y in years}
    assert len(t["cases"]) == rows[2021] and len(t.prior["cases"]) == rows[2020]
    assert len(t.history["cases"]) == sum(rows.values())
