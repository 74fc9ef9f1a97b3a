"""End to end: sample tables → every chapter notebook → report.html, report.pdf, metrics.csv."""

import csv
import html
import json
import re
import shutil

import pandas as pd
import pytest
from pypdf import PdfReader

from helpers import fmt, paths, stats
from helpers.errors import ChapterError, ParamsError, ValidationError
from helpers.run.build import build_report

QUIET = {"progress": lambda _: None}
CHAPTERS = [
    "10_opening",
    "11_study",
    "12_epidemic",
    "13_safety",
    "14_enforcement",
    "15_services",
    "20_leaders",
    "30_problems",
    "40_plans",
]


def official_text(folder) -> str:
    page = (folder / "report.html").read_text(encoding="utf-8")
    body = page[page.index("<article") : page.index("</article>")]
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def body_text(folder) -> str:
    """The paragraphs of the official text, without headings and notes."""
    page = (folder / "report.html").read_text(encoding="utf-8")
    return "".join(
        html.unescape(re.sub(r"<[^>]+>", "", p))
        for p in re.findall(r'<p class="body"[^>]*>(.*?)</p>', page, flags=re.S)
    )


def metrics(folder) -> dict[str, dict]:
    with (folder / "metrics.csv").open(encoding="utf-8") as f:
        return {r["id"]: r for r in csv.DictReader(f)}


# Where our text deliberately differs from the published one: F023 (76.62% cannot come from whole
# counts), and sums of daily or per-record counts, which count person-times, not persons
# (the published text says 人/名/宗/起; the annex notes say why).
DEVIATIONS = {
    "F023": "上升76.63%",
    "F010": "10695人次",
    "F011": "7023人次",
    "F012": "4576人次",
    "F050": "698人次",
    "F061": "2829宗次",
    "F062": "2699起次",
}


def expected_pieces(row: dict) -> list[str]:
    """What of a published figure must appear in the text: the display form, or for lists each date/name."""
    if row["id"] in DEVIATIONS:
        return [DEVIATIONS[row["id"]]]
    if row["kind"] == "events":
        return re.findall(r"\d+月\d+日|[\u4e00-\u9fff]*分局[\u4e00-\u9fff]*", row["published"])
    return [row["published"]]


def test_every_published_figure_is_in_the_official_text(built, published):
    text = official_text(built)
    missing = [
        (fid, piece)
        for fid, row in published.items()
        for piece in expected_pieces(row)
        if piece not in text
    ]
    assert missing == []


def test_chapters_in_report_order(built):
    text = official_text(built)
    marks = [
        "东莞市公安局2021年法治政府建设年度报告",
        "一、2021年推进法治政府建设的主要举措和成效",
        "（一）",
        "（二）",
        "（三）",
        "（四）",
        "（五）",
        "二、2021年主要负责人",
        "三、存在的问题",
        "四、2022年推进法治政府建设的主要安排",
        "2022年3月1日",
    ]
    positions = [text.index(m) for m in marks]
    assert positions == sorted(positions)


def test_outputs_are_there(built):
    names = {p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file()}
    assert {"report.html", "report.pdf", "metrics.csv"} <= names
    assert {f"notebooks/{c}.ipynb" for c in CHAPTERS} <= names
    assert {f"chapters/{c}.html" for c in CHAPTERS} <= names


def test_executed_notebook_keeps_outputs_and_parameters(built):
    nb = json.loads((built / "notebooks" / "13_safety.ipynb").read_text(encoding="utf-8"))
    assert any(c.get("outputs") for c in nb["cells"] if c["cell_type"] == "code")
    injected = [
        c for c in nb["cells"] if "injected-parameters" in c.get("metadata", {}).get("tags", [])
    ]
    source = "".join(injected[0]["source"])
    assert "year = 2021" in source and "city = " in source


def test_metrics_csv_traces_every_figure(built, published):
    rows = metrics(built)
    assert set(rows) == set(published)
    for fid, row in rows.items():
        assert row["display"] and row["unit"] and row["source"] and row["definition"], fid
        assert int(row["rows"]) > 0, fid
    assert int(rows["F073"]["prior"]) > int(rows["F073"]["current"])
    assert rows["F020"]["prior"] == "4145" and rows["F022"]["prior"] == "5412"


def test_annex_notes_the_published_f023(built):
    page = (built / "report.html").read_text(encoding="utf-8")
    row = page[page.index('id="fig-F023"') :]
    row = row[: row.index("</tr>")]
    assert "上升76.63%" in row and "公开稿" in row


def test_figures_in_text_carry_provenance(built, published):
    page = (built / "report.html").read_text(encoding="utf-8")
    spans = dict(re.findall(r'data-fig="(F\d+)" data-tip="([^"]+)"', page))
    assert len(spans) >= 65
    assert "来源：cases" in html.unescape(spans["F020"])


@pytest.mark.parametrize("page", ["report.html", "chapters/13_safety.html"])
def test_html_opens_offline(built, page):
    text = (built / page).read_text(encoding="utf-8")
    external = re.findall(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//[^"'\s>]+""", text)
    assert external == []
    assert "data:image/png;base64," in text  # charts travel inside the file
    assert "import " not in re.sub(r"<[^>]+>", "", text)  # code hidden


def test_report_has_the_charts(built):
    page = (built / "report.html").read_text(encoding="utf-8")
    captions = re.findall(r"<figcaption>([^<]+)</figcaption>", page)
    for word in ("逐月对比", "APP注册率", "道路交通事故", "违法犯罪警情", "12345热线"):
        assert any(word in c for c in captions), word


def test_pdf_is_a4_with_cjk_fonts_embedded(built):
    reader = PdfReader(built / "report.pdf")
    fonts = set()
    for page in reader.pages:
        assert (
            abs(float(page.mediabox.width) - 595.28) < 1
            and abs(float(page.mediabox.height) - 841.89) < 1
        )
        for f in page["/Resources"].get("/Font", {}).values():
            font = f.get_object()
            desc = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            if any(k in desc["/FontDescriptor"] for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                fonts.add(str(font["/BaseFont"]))
    assert any(re.search(r"SC|CJK|Song|Hei|Kai|Fang", f) for f in fonts), fonts
    text = "".join(p.extract_text() for p in reader.pages)
    assert "法治政府建设年度报告" in text and "跨省通办" in text


def test_changed_raw_tables_change_exactly_the_expected_figures(built, data_copy, tmp_path):
    """Remove ten solved telecom-fraud cases, add one gang, retire one cross-province item, drop a table."""
    cases_file = data_copy / "cases" / "2021.parquet"
    cases = pd.read_parquet(cases_file)
    solved = cases[
        (cases["kind"] == "刑事")
        & (cases["case_type"] == "电信网络诈骗")
        & (cases["status"] != "已撤销")
        & (cases["solved_date"].dt.year == 2021)
    ]
    cases.drop(index=solved.index[:10]).to_parquet(cases_file, index=False)

    gangs_file = data_copy / "gangs" / "2021.csv"
    gangs = pd.read_csv(gangs_file, encoding="gb18030", dtype=str)
    extra = pd.DataFrame(
        [
            {
                "团伙编号": "TH2021-X001",
                "打掉日期": "2021-06-30",
                "团伙类别": "恶势力犯罪集团",
                "成员人数": "6",
                "认定状态": "已认定",
            }
        ]
    )
    pd.concat([gangs, extra]).to_csv(gangs_file, index=False, encoding="gb18030")

    xlsx = data_copy / "service_items" / "2021.xlsx"
    items = pd.read_excel(xlsx, header=2, dtype=str, engine="calamine")
    victim = items[(items["跨省通办"] == "是") & (items["状态"] == "在用")].index[-1]
    items.loc[victim, "状态"] = "停用"
    xlsx.unlink()
    items.to_csv(data_copy / "service_items" / "2021.csv", index=False)

    (data_copy / "school_enrollments" / "2021.csv").unlink()

    out = tmp_path / "out"
    build_report(2021, data_dir=data_copy, reports_dir=out, **QUIET)
    before, after = metrics(built), metrics(out / "2021")
    changed = {
        fid for fid in before if fid in after and before[fid]["display"] != after[fid]["display"]
    }
    # the ten cases were filed in 2021 too: criminal and fraud cases filed fall by ten as well
    assert changed == {"F016", "F020", "F021", "F029", "F055", "F069"}
    for fid, ndigits in (("F029", 1), ("F055", 2)):
        now, prior = int(before[fid]["current"]) - 10, int(before[fid]["prior"])
        assert after[fid]["display"] == fmt.change(stats.yoy_change(now, prior), ndigits)
    assert set(before) - set(after) == {"F040", "F041", "F042", "F043"}
    assert after["F020"]["display"] == "6570起"
    assert after["F021"]["display"] == "上升58.50%"  # (6570 − 4145) ÷ 4145 = 58.504…%
    assert after["F016"]["display"] == "26个" and after["F069"]["display"] == "114项"
    text = official_text(out / "2021")
    assert "破案6570起，同比上升58.50%" in text and "恶势力犯罪集团26个" in text
    # the sentences on the school are left out, the rest of the item stays; the note names the
    # table and where its file was expected, not figure ids
    body = body_text(out / "2021")
    assert "启航学校" not in body and "二是加强特殊群体合法权益保护" in body
    expected_at = str(data_copy / "school_enrollments" / "2021.csv")
    assert "缺少数据表：矫治学校入学记录（2021年，应在 " + expected_at in text
    assert "F040" not in text
    assert_draft(out / "2021", ["矫治学校入学记录", expected_at])


def assert_draft(folder, listed: list[str]) -> None:
    """A report with anything left out says so on every page of the PDF, in the Word header, in the
    HTML (with the list of what is missing) and in reports/index.html."""
    import docx

    page = (folder / "report.html").read_text(encoding="utf-8")
    aside = page[page.index('<aside class="draft-list') : page.index("</aside>")]
    assert "征求意见稿" in aside and all(piece in html.unescape(aside) for piece in listed)
    pages = PdfReader(folder / "report.pdf").pages
    assert all("征求意见稿" in p.extract_text() for p in pages)
    doc = docx.Document(folder / "report.docx")
    headers = [doc.sections[0].header, doc.sections[0].even_page_header]
    assert all("征求意见稿" in h.paragraphs[0].text for h in headers)
    index = html.unescape((folder.parent / "index.html").read_text(encoding="utf-8"))
    assert "征求意见稿" in index and all(piece in index for piece in listed)
    assert json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["draft"] is True


def test_a_complete_report_is_not_a_draft(built):
    import docx

    page = (built / "report.html").read_text(encoding="utf-8")
    assert "征求意见稿" not in page and '<aside class="draft-list' not in page
    assert not any("征求意见稿" in p.extract_text() for p in PdfReader(built / "report.pdf").pages)
    doc = docx.Document(built / "report.docx")
    assert all("征求意见稿" not in p.text for p in doc.paragraphs)
    assert not doc.sections[0].header.paragraphs[0].text
    assert "征求意见稿" not in (built.parent / "index.html").read_text(encoding="utf-8")
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["draft"] is False and manifest["left_out"] == []


@pytest.mark.parametrize("year", [2020, 2022])
def test_other_years_build(small_dir, tmp_path, year):
    build_report(year, data_dir=small_dir, reports_dir=tmp_path, pdf_output=False, **QUIET)
    text = official_text(tmp_path / str(year))
    assert f"一、{year}年推进法治政府建设的主要举措和成效" in text and f"四、{year + 1}年" in text
    assert len(metrics(tmp_path / str(year))) >= 60


def one_chapter(tmp_path, extra_source: str = "", params_extra: str = ""):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nb = json.loads((paths.NOTEBOOKS / "15_services.ipynb").read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", []))
    cell["source"] = "".join(cell["source"]) + params_extra
    if extra_source:
        nb["cells"].append(
            {
                "cell_type": "code",
                "metadata": {},
                "outputs": [],
                "execution_count": None,
                "source": extra_source,
            }
        )
    (folder / "15_services.ipynb").write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    return folder


def test_failed_chapter_keeps_evidence_and_the_last_good_report(small_dir, built, tmp_path):
    reports = tmp_path / "reports"
    shutil.copytree(built, reports / "2021")
    before = {p: p.read_bytes() for p in (reports / "2021").rglob("*") if p.is_file()}
    with pytest.raises(
        ChapterError, match=r"章 15_services 在第 \d+ 个单元格出错：RuntimeError: boom"
    ):
        build_report(
            2021,
            data_dir=small_dir,
            reports_dir=reports,
            notebooks_dir=one_chapter(
                tmp_path,
                "import os\nos.write(2, '内核自己写的一行\\n'.encode())\nraise RuntimeError('boom')",
            ),
            **QUIET,
        )
    assert (reports / "failures" / "2021" / "15_services.ipynb").exists()
    # what the kernel printed itself is kept beside it (the build's logs/ went with its folder)
    [log] = (reports / "failures" / "2021" / "logs").glob("*.log")
    assert "内核自己写的一行" in log.read_text(encoding="utf-8")
    assert {p: p.read_bytes() for p in (reports / "2021").rglob("*") if p.is_file()} == before
    assert not list(reports.glob(".2021.tmp-*"))


def test_parameter_the_year_does_not_provide_is_an_error(small_dir, tmp_path):
    with pytest.raises(ParamsError, match="chief"):
        build_report(
            2021,
            data_dir=small_dir,
            reports_dir=tmp_path / "r",
            notebooks_dir=one_chapter(tmp_path, params_extra="\nchief = '某某'\n"),
            **QUIET,
        )


def test_bad_table_stops_before_any_notebook_runs(small_dir, tmp_path):
    data = shutil.copytree(small_dir, tmp_path / "raw")
    path = data / "outreach_events" / "2021.csv"
    path.write_text(
        path.read_text(encoding="utf-8-sig").replace(",已开展", ",进行中", 1), encoding="utf-8"
    )
    with pytest.raises(ValidationError, match="状态"):
        build_report(2021, data_dir=data, reports_dir=tmp_path / "r", **QUIET)
    assert not (tmp_path / "r" / "2021").exists() and not (tmp_path / "r" / "failures").exists()


def test_a_relative_data_dir_reaches_the_kernels_absolute(small_dir, tmp_path, monkeypatch):
    """Kernels run in notebooks/, so a folder given relative to where the user stands is resolved
    before it is injected."""
    from helpers.run import notebooks

    seen = {}

    def capture(notebook, available):
        seen.update(available)
        raise KeyboardInterrupt  # stop before any work: only the parameters matter here

    monkeypatch.setattr(notebooks, "chapter_parameters", capture)
    monkeypatch.chdir(small_dir.parent)
    with pytest.raises(KeyboardInterrupt):
        build_report(2021, data_dir=small_dir.name, reports_dir=tmp_path / "r", **QUIET)
    assert seen["data_dir"] == str(small_dir.resolve())


@pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_failed_chapter_stops_the_others_quietly(small_dir, tmp_path, capfd, recwarn):
    """One chapter fails while others run or wait: the error, and no tracebacks from the pool."""
    folder = one_chapter(tmp_path, "raise RuntimeError('boom')")  # the largest inputs: run first
    for name in ("10_opening", "11_study", "12_epidemic"):
        shutil.copy(paths.NOTEBOOKS / f"{name}.ipynb", folder)
    with pytest.raises(ChapterError, match="章 15_services 在第"):
        build_report(
            2021,
            data_dir=small_dir,
            reports_dir=tmp_path / "reports",
            notebooks_dir=folder,
            pdf_output=False,
            jobs=2,
            **QUIET,
        )
    err = capfd.readouterr().err
    assert (
        "Traceback" not in err and "InvalidStateError" not in err and "resource_tracker" not in err
    )
    # pytest turns exceptions in threads into warnings; the resource tracker warns when killed
    noise = [
        w
        for w in recwarn
        if "resource_tracker" in str(w.message) or "ThreadException" in w.category.__name__
    ]
    assert noise == []


def test_without_last_years_accidents_the_traffic_comparison_is_left_out(small_dir, tmp_path):
    from helpers import figures
    from helpers.figures import safety

    data = shutil.copytree(small_dir, tmp_path / "raw")
    for f in (data / "traffic_accidents").glob("2020.*"):
        f.unlink()
    res = figures.chapter("safety", 2021, data, city="东莞")
    assert "F052" not in res.figures and "F015" in res.figures
    assert "交通事故表（2020年" in res.absent["F052"]
    assert (
        figures.compute(safety, figures.frames("safety", 2021, data), city="东莞").keys()
        == res.figures.keys()
    )


def test_the_kernel_template_starts_ahead_only_when_every_chapter_will_run_and_is_let_go():
    """``_template_ahead``: a build whose every chapter runs (``--force``, no report yet) starts
    the pool's kernel template before making its keys; closing lets it go, and with no other
    user it stops (a shared template: ``forked.TEMPLATE.users``)."""
    import os
    import sys
    import time

    from helpers.run import build, forked, processes

    if not sys.platform.startswith("linux"):
        pytest.skip("kernel templates are used on Linux only")
    before = set(processes.descendants(os.getpid()))
    with build._template_ahead(False):
        assert forked.TEMPLATE.proc is None
    ahead = build._template_ahead(True)
    started = forked.TEMPLATE.proc
    assert started is not None and processes.alive(started.pid)
    assert forked.TEMPLATE.users == 1 and forked.TEMPLATE.address is not None
    ahead.close()
    assert forked.TEMPLATE.users == 0 and forked.TEMPLATE.proc is None
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and processes.alive(started.pid):
        time.sleep(0.05)
    assert not processes.alive(started.pid)
    assert set(processes.descendants(os.getpid())) <= before


def _move_one_ticket(data) -> None:
    """The first hotline ticket of 2021 that 莞城分局 handled goes to 南城分局: only the
    services chapter reads the table."""
    path = data / "hotline_tickets" / "2021.csv"
    text = path.read_text(encoding="gb18030")
    path.write_text(text.replace(",莞城分局", ",南城分局", 1), encoding="gb18030")


def test_one_chapter_to_run_starts_at_once_and_the_tables_are_checked_after(small_dir, tmp_path):
    """A rebuild with one chapter to run starts it before the tables are checked (its kernel
    checks the table it reads); the report is the one a build that checks first makes."""
    data = shutil.copytree(small_dir, tmp_path / "raw")
    build_report(2021, data_dir=data, reports_dir=tmp_path / "r", pdf_output=False, **QUIET)
    _move_one_ticket(data)
    said: list[str] = []
    result = build_report(
        2021, data_dir=data, reports_dir=tmp_path / "r", pdf_output=False, progress=said.append
    )
    assert sorted(result.reused) == sorted(set(CHAPTERS) - {"15_services"})
    started = said.index("  开始：便民服务")
    [checked] = [
        i for i, line in enumerate(said) if re.fullmatch(r"2021年：已检查 \d+ 张原始数据表", line)
    ]
    assert started < checked
    # every chapter run again, the tables checked first on a pool: the same figures
    build_report(
        2021, data_dir=data, reports_dir=tmp_path / "all", pdf_output=False, force=True, **QUIET
    )
    again = (tmp_path / "r" / "2021" / "metrics.csv").read_bytes()
    assert again == (tmp_path / "all" / "2021" / "metrics.csv").read_bytes()


def test_one_chapter_on_a_broken_table_says_what_is_wrong_with_the_table(small_dir, tmp_path):
    """The chapter runs before the build checks its table: the table's problem is what the
    build says (not the chapter failing on it), and the last report stays."""
    data = shutil.copytree(small_dir, tmp_path / "raw")
    build_report(2021, data_dir=data, reports_dir=tmp_path / "r", pdf_output=False, **QUIET)
    before = {p: p.read_bytes() for p in (tmp_path / "r" / "2021").rglob("*") if p.is_file()}
    path = data / "hotline_tickets" / "2021.csv"
    lines = path.read_text(encoding="gb18030").split("\n")
    lines[5] = lines[5].replace(",2021-", ",2021年13月", 1)
    path.write_text("\n".join(lines), encoding="gb18030")
    with pytest.raises(ValidationError) as refused:
        build_report(2021, data_dir=data, reports_dir=tmp_path / "r", pdf_output=False, **QUIET)
    [problem] = refused.value.problems
    assert problem.file == path and problem.rows == [6]
    assert "受理时间" in problem.column and "2021年13月" in str(problem.values[0])
    assert not (tmp_path / "r" / "failures").exists()  # no chapter failed: a table is wrong
    assert {
        p: p.read_bytes() for p in (tmp_path / "r" / "2021").rglob("*") if p.is_file()
    } == before
