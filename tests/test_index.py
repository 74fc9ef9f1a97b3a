"""reports/index.html: every built year (build date, draft status, warnings, chapters by title)
and every figure across the built years side by side (render.years, assemble.write_index)."""

from __future__ import annotations

import csv
import html
import json
import re
import shutil

import pytest

from helpers.render.assemble import write_index
from helpers.render.years import built_years, figures_across_years, sparkline_svg
from helpers.run.build import build_report


@pytest.fixture(scope="module")
def two_years(small_report, small_dir, tmp_path_factory):
    """2021 (the session's small report, copied) and 2020 built beside it: a real index."""
    reports = tmp_path_factory.mktemp("two-years")
    shutil.copytree(small_report, reports / "2021")
    build_report(
        2020, data_dir=small_dir, reports_dir=reports, pdf_output=False, progress=lambda _: None
    )
    return reports


def metrics(folder) -> dict[str, dict]:
    with (folder / "metrics.csv").open(encoding="utf-8") as f:
        return {r["id"]: r for r in csv.DictReader(f)}


def across_rows(index: str) -> dict[str, dict[int, str]]:
    """The cross-year table: figure id → year → the cell's data-value ('' where none)."""
    table = index[index.index('<table class="across">') :]
    rows = {}
    for fid, cells in re.findall(r'<tr id="across-(F\d+)">(.*?)</tr>', table, re.S):
        rows[fid] = {
            int(y): v
            for y, v in re.findall(r'data-year="(\d{4})"(?: data-value="([^"]*)")?', cells)
        }
    return rows


def test_cross_year_table_has_each_years_metrics_values(two_years):
    index = (two_years / "index.html").read_text(encoding="utf-8")
    rows = across_rows(index)
    m2020, m2021 = metrics(two_years / "2020"), metrics(two_years / "2021")
    assert set(rows) == set(m2020) | set(m2021)
    compared = 0
    for year, m in ((2020, m2020), (2021, m2021)):
        for fid, r in m.items():
            if r["value"] not in ("", "nan"):
                assert float(rows[fid][year]) == float(r["value"]), (fid, year)
                compared += 1
    assert compared > 50
    head = re.search(r'<table class="across">\s*<thead>(.*?)</thead>', index, re.S).group(1)
    assert re.findall(r"<th[^>]*>([^<]*)</th>", head) == [
        "编号",
        "指标",
        "单位",
        "2020年",
        "2021年",
        "走势",
    ]
    row = re.search(r'<tr id="across-F020">(.*?)</tr>', index, re.S).group(1)
    assert f'<td class="label">{m2021["F020"]["label"]}</td>' in row
    assert f'<td class="nowrap">{m2021["F020"]["unit"]}</td>' in row and "<svg" in row


def test_each_year_shows_build_date_and_chapters_by_title(two_years):
    index = html.unescape((two_years / "index.html").read_text(encoding="utf-8"))
    assert index.index('id="y2021"') < index.index('id="y2020"')  # newest first
    for year in (2020, 2021):
        manifest = json.loads((two_years / str(year) / "manifest.json").read_text("utf-8"))
        assert re.search(r"生成于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}", index)
        assert manifest["built"][:16].replace("T", " ") in index
        title = manifest["titles"]["13_safety"]
        assert (
            title.startswith("（") and f'href="{year}/chapters/13_safety.html">{title}</a>' in index
        )
    assert ">13_safety.html<" not in index and ">报告开头<" in index
    assert "@font-face" in index  # Chinese shows without system fonts


def test_a_draft_year_lists_warnings_and_left_out_sentences(tmp_path):
    folder = tmp_path / "2019"
    (folder / "chapters").mkdir(parents=True)
    (folder / "chapters" / "13_safety.html").write_text("", encoding="utf-8")
    (folder / "metrics.csv").write_text(
        "id,label,value,unit\nF020,电诈破案数,207,起\nF001,学法活动,,项\n", encoding="utf-8"
    )
    (folder / "manifest.json").write_text(
        json.dumps(
            {
                "built": "2026-11-30T10:05:00+08:00",
                "titles": {"13_safety": "（三）平安<建设>"},
                "left_out": [
                    {"chapter": "（三）平安", "text": "“飓风”破案207起", "why": "缺少数据表：案件"},
                    {"chapter": "数据检查", "text": "", "why": "警情表行数不足上年一半"},
                ],
            }
        ),
        encoding="utf-8",
    )
    (year,) = built_years(tmp_path)
    assert year.draft and year.built == "2026-11-30 10:05"
    assert year.warnings == ["警情表行数不足上年一半"] and len(year.left_out) == 1
    page = write_index(tmp_path).read_text(encoding="utf-8")
    assert "征求意见稿" in page and "本稿有1处内容未能由数据写出" in page
    assert "数据检查提示（1条）" in page and "警情表行数不足上年一半" in page
    assert "“‘飓风’破案207起”——缺少数据表：案件" in page  # quotes within the quote: ‘’
    assert "（三）平安&lt;建设&gt;" in page and "<建设>" not in page  # escaped
    assert re.search(r'data-year="2019" data-value="207.0">207<', page)
    assert re.search(r'data-year="2019">\s*</td>', page)  # F001 has no value


def test_figures_across_years_fill_missing_years(tmp_path):
    for year, rows in ((2020, "F001,甲,5,项\n"), (2021, "F001,甲,7,项\nF002,乙,12000,人\n")):
        (tmp_path / str(year)).mkdir()
        (tmp_path / str(year) / "metrics.csv").write_text(
            "id,label,value,unit\n" + rows, encoding="utf-8"
        )
    figs = figures_across_years(tmp_path, [2020, 2021])
    assert [f.id for f in figs] == ["F001", "F002"]
    assert figs[0].values == {2020: 5.0, 2021: 7.0} and figs[1].values == {
        2020: None,
        2021: 12000.0,
    }
    assert figs[0].sparkline().startswith("<svg") and figs[1].sparkline() == ""


@pytest.mark.parametrize(
    ("values", "points"),
    [([1, 2, 3], 3), ([5, 5], 2), ([None, 1, None, 2], 2), ([0, -3, 4], 3)],
)
def test_sparkline_has_a_point_per_value(values, points):
    svg = sparkline_svg(values)
    coords = re.search(r'points="([^"]+)"', svg).group(1).split()
    assert len(coords) == points
    assert all(0 <= float(c.split(",")[1]) <= 18 for c in coords)
