"""The published forms: GB/T 9704 PDF, navigable self-contained HTML, editable Word, the index."""

import re

import pytest
from docx import Document
from pypdf import PdfReader

MM = 72 / 25.4


def placed_text(page) -> list[tuple[str, float, float, str]]:
    """(text, x, y, font) of each text run on a PDF page."""
    runs = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            x, y = cm[4] + tm[4] * cm[0], cm[5] + tm[5] * cm[3]
            runs.append((text, x, y, str(font.get("/BaseFont", "")) if font else ""))

    page.extract_text(visitor_text=visit)
    return runs


@pytest.fixture(scope="module")
def pdf(built):
    return PdfReader(built / "report.pdf")


def test_text_block_sits_in_the_gbt_9704_margins(pdf):
    runs = placed_text(pdf.pages[1])  # a full page of body text
    body = [r for r in runs if "—" not in r[0] or len(r[0]) > 8]
    left = min(x for _, x, _, _ in body)
    top = max(y for _, _, y, _ in body)
    assert abs(left - 28 * MM) < 2, left / MM
    from_top = (
        297 * MM - top
    )  # the first baseline lies within the first 28.95 pt line under the 37 mm margin
    assert 37 * MM < from_top < 37 * MM + 28.95, from_top / MM


def test_page_numbers_are_outside_and_dashed(pdf):
    for number in (2, 3):
        runs = [
            r
            for r in placed_text(pdf.pages[number - 1])
            if re.fullmatch(rf"—\s*{number}\s*—", r[0].strip())
        ]
        assert runs, f"no — {number} — on page {number}"
        x, y = runs[0][1], runs[0][2]
        assert y < 35 * MM - 5 * MM  # below the text block, in the bottom margin
        if number % 2 == 0:
            assert x < 28 * MM + 30  # even pages: left, one character in
        else:
            assert x > 210 * MM - 26 * MM - 80  # odd pages: right


def test_every_role_uses_an_embedded_cjk_font(pdf):
    runs = placed_text(pdf.pages[0])
    title = next(f for t, _, _, f in runs if "法治政府建设年度报告" in t)
    heading = next(f for t, _, _, f in runs if t.startswith("一、"))
    body = next(f for t, _, _, f in runs if "市局党委" in t)
    for font in (title, heading, body):
        assert re.search(r"SC|CJK|Song|Hei|Kai|Fang", font), font
    assert heading != body  # 黑体 role differs from the 仿宋 role


def test_headings_closing_and_annex_present(pdf):
    text = "".join(p.extract_text() for p in pdf.pages)
    for piece in (
        "一、2021年推进法治政府建设的主要举措和成效",
        "二、2021年主要负责人",
        "三、存在的问题和不足",
        "四、2022年推进法治政府建设的主要安排",
        "东莞市公安局",
        "2022年3月1日",
        "附件",
        "数据附表",
    ):
        assert piece in text, piece


def test_html_table_of_contents_links_resolve(built):
    page = (built / "report.html").read_text(encoding="utf-8")
    links = re.findall(r'href="#([^"]+)"', page)
    ids = set(re.findall(r'id="([^"]+)"', page))
    assert len(links) >= 12 and set(links) <= ids


def test_html_every_stated_figure_has_provenance(built):
    page = (built / "report.html").read_text(encoding="utf-8")
    spans = re.findall(
        r'<span class="fig" tabindex="0" data-fig="(F\d+)" data-tip="([^"]*)">', page
    )
    assert len({fid for fid, _ in spans}) >= 65
    assert all("来源：" in tip and "行" in tip for _, tip in spans)
    assert ' title="' not in page[page.index("<article") : page.index("</article>")]  # one tooltip


def test_html_carries_its_own_fonts(built):
    page = (built / "report.html").read_text(encoding="utf-8")
    assert page.count("src: url(data:font/woff;base64,") == 2
    assert "@media (max-width: 600px)" in page and "@media print" in page


def test_docx_has_headings_page_numbers_and_annex(built):
    doc = Document(built / "report.docx")
    by_style = {}
    for p in doc.paragraphs:
        by_style.setdefault(p.style.name, []).append(p.text)
    assert any(t.startswith("一、2021年") for t in by_style["Heading 1"])
    led = next(p for p in doc.paragraphs if p.text.startswith("（三）"))  # the lead runs in
    assert led.style.name == "Normal" and led.runs[0].style.name == "Lead"
    assert led.runs[0].text.endswith("。") and len(led.text) > len(led.runs[0].text)
    assert by_style["Title"] == ["东莞市公安局2021年\n法治政府建设年度报告"]  # balanced lines
    section = doc.sections[0]
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    assert (
        'w:instr="PAGE"' in section.footer._element.xml
        and 'w:instr="PAGE"' in section.even_page_footer._element.xml
    )
    annex = doc.tables[-1]
    assert annex.rows[0].cells[0].text == "编号" and len(annex.rows) == 76
    body = doc.styles["Normal"]
    assert body.font.size.pt == 16 and round(body.paragraph_format.line_spacing.pt, 1) == 28.9


def test_manifest_says_which_font_served_each_role(built):
    import json

    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["fonts"]) == {"title", "body", "heading", "lead"}
    for entry in manifest["fonts"].values():
        assert entry["family"] and entry["file"] and isinstance(entry["fallback"], bool)


def test_index_lists_the_built_year(built):
    index = (built.parent / "index.html").read_text(encoding="utf-8")
    for name in ("report.html", "report.pdf", "report.docx", "metrics.csv"):
        assert f'href="2021/{name}"' in index
        assert (built / name).exists()
    assert 'href="2021/notebooks/13_safety.ipynb"' in index
