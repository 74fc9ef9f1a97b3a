"""`lawreport check`: our own 2021 report in every format, as built and with numbers edited by hand.

Expected values are written here, not computed by the code under test.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document

from helpers.check.compare import Difference, check_document, check_text
from helpers.check.doctext import read_text
from helpers.cli import main
from helpers.figures import Figure, compute_all
from helpers.inputs.params import load_params
from helpers.render.pdf import write_pdf

FORMATS = ("html", "docx", "pdf", "txt", "wrapped")
OPPOSITE_WORDS = {"下降": "上升", "上升": "下降", "降幅": "增幅"}

# three figures edited by hand: a direction word, a figure in 万, a plain count
EDITS = [("上升31.5%", "下降31.5%"), ("741.81万人", "741.18万人"), ("9540个", "9450个")]
EXPECTED = [
    Difference("F026", "741.18万人", "741.81万人", "value"),
    Difference("F047", "9450个", "9540个", "value"),
    Difference("F074", "下降31.5%", "上升31.5%", "direction"),
]


@pytest.fixture(scope="module")
def figures(sample_dir):
    """The 2021 figures of the sample data, computed once for the module."""
    return compute_all(2021, sample_dir, city=load_params(2021)["city"])


def official_text(page: str) -> str:
    """The official text of report.html, one paragraph a line (as someone would copy it out)."""
    article = re.search(r"<article[^>]*>(.*?)</article>", page, re.S).group(1)
    article = re.sub(r"</(p|h\d|div)>", "\n", article)
    return html.unescape(re.sub(r"<[^>]+>", "", article))


def edit_article(page: str) -> str:
    """report.html with EDITS made in the official text (the annex is left as built)."""
    head, sep, tail = page.partition("</article>")
    for old, new in EDITS:
        assert head.count(old) == 1, old
        head = head.replace(old, new)
    return head + sep + tail


@pytest.fixture(scope="module")
def documents(built, tmp_path_factory) -> dict[tuple[str, bool], Path]:
    """(format, edited) → file: the report as built, and with EDITS made by hand."""
    folder = tmp_path_factory.mktemp("check")
    page = (built / "report.html").read_text(encoding="utf-8")
    edited_page = edit_article(page)
    docs = {(fmt, False): built / f"report.{fmt}" for fmt in ("html", "docx", "pdf")}

    docs["html", True] = folder / "edited.html"
    docs["html", True].write_text(edited_page, encoding="utf-8")

    doc = Document(str(built / "report.docx"))
    for old, new in EDITS:
        runs = [r for p in doc.paragraphs for r in p.runs if old in r.text]
        assert len(runs) == 1, old
        runs[0].text = runs[0].text.replace(old, new)
    docs["docx", True] = folder / "edited.docx"
    doc.save(str(docs["docx", True]))

    # printed as a browser prints the page: its hover tooltips make the figures positioned
    # elements, which are painted after their line (see test_text_painted_out_of_order)
    docs["pdf", True] = write_pdf(edited_page, folder / "edited.pdf")

    docs["txt", False] = folder / "report.txt"
    docs["txt", False].write_text(official_text(page), encoding="utf-8")
    docs["txt", True] = folder / "edited.txt"  # saved by Notepad in the Chinese locale
    docs["txt", True].write_text(official_text(edited_page), encoding="gb18030")
    for edited, source in ((False, page), (True, edited_page)):  # as pdftotext exports a PDF
        docs["wrapped", edited] = folder / f"wrapped-{edited}.txt"
        docs["wrapped", edited].write_text(wrapped(official_text(source)), encoding="utf-8")
    return docs


def wrapped(text: str, width: int = 56, lines_a_page: int = 30) -> str:
    """``text`` as exported from a PDF: each paragraph cut into lines of ``width`` columns (a
    Chinese character is 2) wherever they fall, inside numbers and dates too, and a page number
    between pages, with a blank line and a form feed."""
    lines = []
    for paragraph in filter(None, text.split("\n")):
        line = ""
        for c in paragraph:
            if sum(2 if unicodedata.east_asian_width(x) in "WF" else 1 for x in line + c) > width:
                lines.append(line)
                line = ""
            line += c
        lines.append(line)
    pages = [lines[k : k + lines_a_page] for k in range(0, len(lines), lines_a_page)]
    return "\f".join("\n".join([*p, f"— {n} —", "", ""]) for n, p in enumerate(pages, 1))


@pytest.mark.parametrize("fmt", FORMATS)
def test_report_as_built_agrees(documents, figures, fmt):
    result = check_document(documents[fmt, False], 2021, figures=figures)
    assert result.differences == []
    assert result.ok
    assert result.not_found == []  # our own report states every figure, and each is found
    assert result.found["F026"].says == "741.81万人"
    assert result.found["F053"].says == "下降15.78%"


@pytest.mark.parametrize("fmt", FORMATS)
def test_numbers_edited_by_hand_are_listed(documents, figures, fmt):
    result = check_document(documents[fmt, True], 2021, figures=figures)
    assert result.differences == EXPECTED
    assert "9450个" in result.found["F047"].excerpt
    assert len(result.found) == len(figures)


def program(*names: str, package: str):
    """A session fixture: the path of the first of ``names`` on PATH, or the test skipped (before
    anything is built for it)."""

    @pytest.fixture(scope="session")
    def find() -> str:
        found = next(filter(None, map(shutil.which, names)), None)
        if found is None:
            pytest.skip(f"{names[0]} is not on PATH (Debian: apt-get install {package})")
        return found

    return find


soffice = program("soffice", "libreoffice", package="libreoffice-writer-nogui")  # LibreOffice
pdftotext = program("pdftotext", package="poppler-utils")


@pytest.fixture(scope="module")
def libreoffice_pdfs(soffice, documents, tmp_path_factory) -> dict[bool, Path]:
    """edited → the report.docx as built and as edited by hand, saved as PDF by LibreOffice (as
    Word does; on a machine without Chinese fonts it writes each Chinese character as /ActualText)."""
    folder = tmp_path_factory.mktemp("libreoffice")
    docx = [shutil.copy(documents["docx", e], folder / f"{e}.docx") for e in (False, True)]
    profile = f"-env:UserInstallation={(folder / 'profile').as_uri()}"  # not the user's own
    subprocess.run(
        [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", str(folder), *docx],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return {e: folder / f"{e}.pdf" for e in (False, True)}


@pytest.mark.parametrize("edited", [False, True])
def test_pdf_saved_by_libreoffice(soffice, libreoffice_pdfs, figures, edited):
    result = check_document(libreoffice_pdfs[edited], 2021, figures=figures)
    assert result.differences == (EXPECTED if edited else [])
    assert result.not_found == []
    if edited:
        assert "队伍和9450个义警小组" in result.found["F047"].excerpt  # in its sentence


def test_text_exported_by_pdftotext(pdftotext, documents, figures, tmp_path):
    """pdftotext's text of our PDF: lines of the page, dates broken over two lines (4 / 月26日)."""
    for edited, expected in ((False, []), (True, EXPECTED)):
        txt = tmp_path / f"{edited}.txt"
        subprocess.run([pdftotext, str(documents["pdf", edited]), str(txt)], check=True)
        result = check_document(txt, 2021, figures=figures)
        assert result.differences == expected
        assert result.not_found == []


def test_a_list_of_dates_is_read_in_one_paragraph(documents, figures):
    """A date of the list missing from its paragraph is not made up from another paragraph's."""
    text = read_text(documents["txt", False]).replace("4月26日,", "")
    assert "12月26日" in text  # a date in another paragraph, after the list's
    (difference,) = check_text(text, figures, 2021).differences
    assert difference.id == "F001"
    assert difference.says == "3月19日/3月26日/6月2日/9月29日/10月14日"


def test_other_wording(figures):
    """A text in other words than the narrative's, numbers before or after their nouns."""
    text = (
        "一、疫情防控。全年完成落地核查7498批次，核查人员约105万人。\n"
        "二、平安建设。全年打掉黑社会性质组织2个，恶势力犯罪集团25个；网络裸聊敲诈勒索团伙136个。"
        "反诈APP注册率达70.87%。收缴刀具27.9万把，义警队伍26.7万人，义警小组9540个。"
        "110违法犯罪警情下降15.78%，行政案件受理数下降10.45%，刑事案件立案数下降1.75%。\n"
        "三、12345投诉工单下降69.4%，表扬工单上升31.5%。"
    )
    result = check_text(text, figures, 2021)
    stated = {"F002", "F003", "F015", "F016", "F017", "F024", "F045", "F046", "F047"}
    stated |= {"F053", "F054", "F055", "F073", "F074"}
    assert stated <= set(result.found)
    assert result.differences == []
    assert result.found["F003"].says == "约105万人"

    for old, new in (
        ("下降10.45%", "下降10.54%"),
        ("9540个", "9450个"),
        ("上升31.5%", "下降31.5%"),
    ):
        text = text.replace(old, new)
    assert check_text(text, figures, 2021).differences == [
        Difference("F047", "9450个", "9540个", "value"),
        Difference("F054", "下降10.54%", "下降10.45%", "value"),
        Difference("F074", "下降31.5%", "上升31.5%", "direction"),
    ]


def test_a_removed_sentence_is_not_found_not_matched_elsewhere(documents, figures):
    text = read_text(documents["txt", False])
    sentence = re.search(r"[^。\n]*9540个[^。\n]*。", text).group()
    result = check_text(text.replace(sentence, ""), figures, 2021)
    assert {"F046", "F047", "F048", "F049"} <= set(result.not_found)
    assert result.differences == []


def test_a_figure_the_narrative_does_not_state_is_not_missing(documents, figures, tmp_path):
    """Round 23: check listed F052 as not found in a 2022 report whose narrative never states
    it. A figure is looked for only when the year's narrative has its slot."""
    from helpers import paths

    text = read_text(documents["txt", False])
    shutil.copy(paths.NARRATIVE / "2021.yaml", tmp_path / "2021.yaml")
    page = (tmp_path / "2021.yaml").read_text(encoding="utf-8")
    (tmp_path / "2021.yaml").write_text(page.replace("{F052}", "有所下降"), encoding="utf-8")
    sentence = re.search(r"[^。\n]*近5年以来最大[^。\n]*。", text).group()
    result = check_text(text.replace(sentence, ""), figures, 2021, narrative_dir=tmp_path)
    assert "F052" not in result.not_found and "F052" not in result.found
    assert "F052" in check_text(text.replace(sentence, ""), figures, 2021).not_found


def test_lists_of_dates_and_names(documents, figures):
    text = read_text(documents["txt", False])
    text = text.replace("4月26日", "4月27日").replace("樟木头分局", "凤岗分局")
    assert check_text(text, figures, 2021).differences == [
        Difference(
            "F001",
            "3月19日/3月26日/4月27日/6月2日/9月29日/10月14日",
            "3月19日/3月26日/4月26日/6月2日/9月29日/10月14日",
            "value",
        ),
        Difference("F063", "塘厦分局、凤岗分局", "塘厦分局、樟木头分局", "value"),
    ]


@pytest.mark.parametrize(
    "figure, text, agrees, differs",
    [
        # a figure displayed in words is checked by its direction word
        (
            Figure("F900", "交通事故宗数", 3, "年", "较上年下降", "", "", 1),
            "道路交通事故宗数和亡人数较上年{}，道路交通环境明显改善。",
            "下降",
            Difference("F900", "较上年上升", "较上年下降", "direction"),
        ),
        # a direction word in the display itself
        (
            Figure("F901", "事故宗数和亡人数降幅", 5, "年", "降幅为近5年以来最大", "", "", 1),
            "道路交通事故宗数和亡人数{}为近5年以来最大。",
            "降幅",
            Difference("F901", "增幅为近5年", "降幅为近5年", "direction"),
        ),
        # a count with a direction word: the change on last year says which
        (
            Figure(
                "F902", "破案数", 120, "起", "120起", "cases", "", 1, prior=100, change=Decimal(20)
            ),
            "全年电诈案件破案数{}至120起。",
            "上升",
            Difference("F902", "下降至120起", "上升至120起", "direction"),
        ),
    ],
)
def test_direction_words(figure, text, agrees, differs):
    figures = {figure.id: figure}
    assert check_text(text.format(agrees), figures, 1999).ok
    wrong = OPPOSITE_WORDS[agrees]
    assert check_text(text.format(wrong), figures, 1999).differences == [differs]


def test_cli(documents, sample_dir, tmp_path, capsys):
    ok = ["--year", "2021", "--data-dir", str(sample_dir)]
    assert main(["check", str(documents["html", False]), *ok]) == 0
    out = capsys.readouterr().out
    assert "均与数据一致" in out and "report.html" in out

    assert main(["check", str(documents["docx", True]), *ok]) == 1
    out = capsys.readouterr().out
    assert "3 项与数据不符" in out
    assert "F026 APP覆盖人数：文中写作“741.18万人”，数据为“741.81万人”（数值不符）" in out
    assert "F074" in out and "（方向不符）" in out

    doc = shutil.copy(documents["txt", False], tmp_path / "report.doc")
    assert main(["check", str(doc), *ok]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert str(doc) in err and "把报告另存为 .docx、.pdf、.html 或 .txt" in err

    assert main(["check", str(tmp_path / "none.pdf"), *ok]) == 2
    assert "none.pdf：没有这个文件" in capsys.readouterr().err
