"""End to end: sample tables → notebooks → report.html, report.pdf, metrics.csv."""

import csv
import json
import re
import shutil

import pandas as pd
import pytest
from pypdf import PdfReader

from helpers import assemble, paths
from helpers.build import build_report
from helpers.errors import ChapterError, ParamsError
from helpers.loader import ValidationError

SERVICES = ["F068", "F069", "F070", "F071", "F072", "F073", "F074"]
QUIET = {"progress": lambda _: None}


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


@pytest.mark.parametrize("fid", SERVICES)
def test_report_states_published_figure(built, published, fid):
    assert published[fid]["published"] in text_of(
        (built / "report.html").read_text(encoding="utf-8")
    )


def test_outputs_are_there(built):
    names = {p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file()}
    assert {
        "report.html",
        "report.pdf",
        "metrics.csv",
        "notebooks/15_services.ipynb",
        "chapters/15_services.html",
    } <= names


def test_executed_notebook_keeps_outputs_and_parameters(built):
    nb = json.loads((built / "notebooks" / "15_services.ipynb").read_text(encoding="utf-8"))
    assert any(c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")
    injected = [
        c for c in nb["cells"] if "injected-parameters" in c.get("metadata", {}).get("tags", [])
    ]
    assert injected and "year = 2021" in "".join(injected[0]["source"])


def test_metrics_csv_traces_each_figure(built, published):
    with (built / "metrics.csv").open(encoding="utf-8") as f:
        rows = {r["id"]: r for r in csv.DictReader(f)}
    assert set(SERVICES) <= set(rows)
    for fid in SERVICES:
        assert rows[fid]["display"] == published[fid]["published"]
        assert float(rows[fid]["value"]) == float(published[fid]["value"])
        assert rows[fid]["source"] and rows[fid]["definition"] and int(rows[fid]["rows"]) > 0
    assert int(rows["F073"]["prior"]) > int(rows["F073"]["current"])


@pytest.mark.parametrize("page", ["report.html", "chapters/15_services.html"])
def test_html_opens_offline(built, page):
    html = (built / page).read_text(encoding="utf-8")
    external = re.findall(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//[^"'\s>]+""", html)
    assert external == []
    assert "data:image/png;base64," in html  # the chart travels inside the file
    assert "<pre" not in html or "import " not in html  # code hidden


def test_pdf_is_a4_with_cjk_fonts_embedded(built):
    reader = PdfReader(built / "report.pdf")
    for page in reader.pages:
        w, h = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(w - 595.28) < 1 and abs(h - 841.89) < 1
    fonts = set()
    for page in reader.pages:
        for f in page["/Resources"]["/Font"].values():
            font = f.get_object()
            desc = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            if (
                "/FontFile" in desc["/FontDescriptor"]
                or "/FontFile2" in desc["/FontDescriptor"]
                or "/FontFile3" in desc["/FontDescriptor"]
            ):
                fonts.add(str(font["/BaseFont"]))
    assert any(re.search(r"SC|CJK|Song|Hei|Kai|Fang", f) for f in fonts), fonts
    text = "".join(p.extract_text() for p in reader.pages)
    assert "法治政府建设年度报告" in text and "跨省通办" in text


def test_changing_a_raw_table_changes_the_report(data_copy, tmp_path):
    """Retire one cross-province item and withdraw ten complaint tickets: the text follows."""
    xlsx = data_copy / "service_items" / "2021.xlsx"
    items = pd.read_excel(xlsx, header=2, dtype=str)
    victim = items[(items["跨省通办"] == "是") & (items["状态"] == "在用")].index[-1]
    items.loc[victim, "状态"] = "停用"
    xlsx.unlink()
    items.to_csv(data_copy / "service_items" / "2021.csv", index=False)

    tickets_csv = data_copy / "hotline_tickets" / "2021.csv"
    tickets = pd.read_csv(tickets_csv, encoding="gb18030", dtype=str)
    counted = tickets[
        (tickets["工单类别"] == "投诉")
        & (tickets["办理状态"] != "已撤销")
        & (tickets["重复工单"] == "否")
        & tickets["受理时间"].str.startswith("2021")
    ]
    tickets.loc[counted.index[:10], "办理状态"] = "已撤销"
    tickets.to_csv(tickets_csv, index=False, encoding="gb18030")

    build_report(2021, data_dir=data_copy, reports_dir=tmp_path / "out", pdf_output=False, **QUIET)
    with (tmp_path / "out" / "2021" / "metrics.csv").open(encoding="utf-8") as f:
        rows = {r["id"]: r for r in csv.DictReader(f)}
    assert rows["F069"]["display"] == "114项"
    now, before = int(rows["F073"]["current"]), int(rows["F073"]["prior"])
    assert now == len(counted) - 10
    expected = f"下降{(before - now) / before * 100 + 1e-9:.1f}%"
    assert rows["F073"]["display"] == expected
    assert expected in text_of(
        (tmp_path / "out" / "2021" / "report.html").read_text(encoding="utf-8")
    )


def make_notebooks(tmp_path, extra_source: str, name="15_services.ipynb"):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nb = json.loads((paths.NOTEBOOKS / "15_services.ipynb").read_text(encoding="utf-8"))
    nb["cells"].append(
        {
            "cell_type": "code",
            "metadata": {},
            "outputs": [],
            "execution_count": None,
            "source": extra_source,
        }
    )
    (folder / name).write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    return folder


def test_failed_chapter_keeps_evidence_and_the_last_good_report(sample_dir, built, tmp_path):
    reports = tmp_path / "reports"
    shutil.copytree(built, reports / "2021")
    before = {p: p.read_bytes() for p in (reports / "2021").rglob("*") if p.is_file()}
    notebooks = make_notebooks(tmp_path, "raise RuntimeError('boom')")
    with pytest.raises(ChapterError, match=r"15_services failed in cell \d+: RuntimeError: boom"):
        build_report(
            2021, data_dir=sample_dir, reports_dir=reports, notebooks_dir=notebooks, **QUIET
        )
    assert (reports / "failures" / "2021" / "15_services.ipynb").exists()
    after = {p: p.read_bytes() for p in (reports / "2021").rglob("*") if p.is_file()}
    assert after == before
    assert not list(reports.glob(".2021.tmp-*"))


def test_parameter_the_year_does_not_provide_is_an_error(sample_dir, tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nb = json.loads((paths.NOTEBOOKS / "15_services.ipynb").read_text(encoding="utf-8"))
    params_cell = next(
        c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])
    )
    params_cell["source"] = "".join(params_cell["source"]) + "\nchief = '某某'\n"
    (folder / "15_services.ipynb").write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ParamsError, match="chief"):
        build_report(
            2021, data_dir=sample_dir, reports_dir=tmp_path / "r", notebooks_dir=folder, **QUIET
        )


def test_bad_table_stops_before_any_notebook_runs(data_copy, tmp_path):
    path = data_copy / "outreach_events" / "2021.csv"
    path.write_text(
        path.read_text(encoding="utf-8-sig").replace(",已开展", ",进行中", 1), encoding="utf-8"
    )
    with pytest.raises(ValidationError, match="状态"):
        build_report(2021, data_dir=data_copy, reports_dir=tmp_path / "r", **QUIET)
    assert not (tmp_path / "r" / "2021").exists() and not (tmp_path / "r" / "failures").exists()


def test_plain_text_reads_like_the_reference_style(built):
    chapters = [assemble.read_chapter(nb) for nb in sorted((built / "notebooks").glob("*.ipynb"))]
    text = assemble.plain_text(chapters)
    assert "一是" in text and "四是" in text and "1\u201412月" in text
    assert not re.search(
        r"[\u4e00-\u9fff] \d|\d [\u4e00-\u9fff]", text
    )  # no spaces between Chinese and digits
    assert "," not in text and ";" not in text  # full-width punctuation
