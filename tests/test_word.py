"""report.docx: started from an office's template, leads run into their paragraphs, and the data
annex is a landscape table whose columns keep numbers and ids on one line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from helpers.render import fonts, word
from helpers.render.document import Chapter

PARAMS = {"year": 2021, "organ": "东莞市公安局", "report_date": "2022-03-01", "notes": {}}
NO_FONTS = fonts.FontSearch(None, (), False)


def figure(n: int) -> dict:
    return {
        "id": f"F{n:03d}",
        "label": "全市公安机关受理行政复议案件数",
        "display": "1,234,567人次",
        "prior": 1234000 + n,
        "change": -15.78,
        "unit": "",
        "source": "reconsideration_applications",
        "definition": "按申请日期统计本年受理的行政复议申请，同一申请人多次申请按次计入" * 2,
        "rows": 123456,
    }


def chapters() -> list[Chapter]:
    blocks = [
        {"kind": "heading", "level": 1, "text": "一、主要举措"},
        {"kind": "paragraph", "lead": "（一）加强领导。", "text": "全年开展学习12次。", "html": ""},
        {"kind": "paragraph", "text": "其他工作。", "html": ""},
    ]
    return [Chapter("safety", blocks=blocks, figures=[figure(n) for n in range(1, 30)])]


def write(tmp_path: Path, **kwargs) -> Document:
    faces = fonts.resolve(NO_FONTS)
    return Document(
        word.write_docx(chapters(), PARAMS, tmp_path / "report.docx", faces=faces, **kwargs)
    )


def test_lead_runs_into_its_paragraph(tmp_path):
    doc = write(tmp_path)
    led = next(p for p in doc.paragraphs if p.text.startswith("（一）"))
    assert led.text == "（一）加强领导。全年开展学习12次。"
    assert led.style.name == "Normal"
    assert [r.text for r in led.runs] == ["（一）加强领导。", "全年开展学习12次。"]
    assert led.runs[0].style.name == word.LEAD_STYLE and led.runs[1].style.name != word.LEAD_STYLE
    lead_style = doc.styles[word.LEAD_STYLE]
    assert lead_style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "楷体"
    assert not any(p.style.name == "Heading 2" for p in doc.paragraphs)


def test_data_annex_is_a_landscape_table_that_fits(tmp_path):
    doc = write(tmp_path)
    section = doc.sections[-1]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height
    assert doc.sections[0].orientation == WD_ORIENT.PORTRAIT
    table = doc.tables[-1]
    assert table.rows[0].cells[0].text == "编号"
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    widths = [c.width for c in table.columns]
    available = section.page_width - section.left_margin - section.right_margin
    assert all(widths) and abs(sum(widths) - available) < Pt(1)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            assert cell.width == width
    # ids and numbers stay on one line: each fits its column with the cell margins
    for i in (0, 3):
        for row in table.rows[1:]:
            text = row.cells[i].text
            margins = Pt(10.8)  # Word's default cell margins, left and right
            assert Pt(9 * word.cell_width(text)) + margins <= widths[i], text
            assert row.cells[i]._tc.tcPr.find(qn("w:noWrap")) is not None
    assert widths[0] < widths[1] and widths[0] < widths[5]  # the id column is narrow


@pytest.mark.parametrize(
    "rows, available",
    [
        ([["F001", "短"]], 40),  # everything fits: widths fill the line
        ([["F001", "很长的说明文字" * 30]], 40),  # the wordy column gives way
        ([["123456789012", "很长的说明文字" * 30]], 20),  # the number keeps its width
    ],
)
def test_column_widths_fill_the_line_and_keep_numbers_whole(rows, available):
    widths = word.column_widths(["编号", "口径"], rows, available)
    assert sum(widths) == pytest.approx(available)
    assert widths[0] >= word.cell_width(rows[0][0]) + word.CELL_PAD_EM - 1e-9


def make_template(path: Path) -> Path:
    """An office's template: its own margins, a header, a Normal font, a body text of its own,
    and no Heading 2 or Table Grid style."""
    doc = Document()
    section = doc.sections[0]
    section.top_margin = section.bottom_margin = Mm(30)
    section.left_margin = section.right_margin = Mm(20)
    section.header.paragraphs[0].text = "某某市公安局文件"
    normal = doc.styles["Normal"]
    normal.font.size = Pt(15)
    fonts_ = normal.element.get_or_add_rPr().get_or_add_rFonts()
    fonts_.set(qn("w:eastAsia"), "方正仿宋_GBK")
    for name in ("Heading 2", "Table Grid"):
        doc.styles[name].element.getparent().remove(doc.styles[name].element)
    doc.add_paragraph("模板里的示例正文，应被清除")
    doc.add_table(rows=1, cols=1)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


def test_template_styles_page_and_header_survive(tmp_path):
    template = make_template(tmp_path / "reference.docx")
    doc = write(tmp_path, template=template, draft="征求意见稿")
    section = doc.sections[0]
    assert round(section.left_margin.mm) == 20 and round(section.top_margin.mm) == 30
    header = [p.text for p in section.header.paragraphs]
    assert header[0] == "某某市公安局文件" and "征求意见稿" in header
    normal = doc.styles["Normal"]
    assert normal.font.size.pt == 15
    assert normal.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "方正仿宋_GBK"
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "模板里的示例正文" not in text and "（一）加强领导。全年开展学习12次。" in text
    assert doc.paragraphs[0].style.name == "Title"
    assert "Heading 2" in doc.styles and word.LEAD_STYLE in doc.styles  # created from ours
    assert len(doc.tables) == 1  # the template's table went with its body
    assert doc.tables[0]._tbl.tblPr.find(qn("w:tblBorders")) is not None  # no Table Grid: drawn


def as_word_template(docx: Path, target: Path) -> Path:
    """What Word writes for 另存为 → Word 模板 (.dotx): the same package, typed as a template."""
    import zipfile

    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(docx) as src, zipfile.ZipFile(target, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"template.main+xml")
            dst.writestr(item, data)
    return target


@pytest.mark.parametrize("name", ["t.dotx", "saved-as-template-but-named.docx"])
def test_dotx_template_is_read(tmp_path, name):
    dotx = as_word_template(make_template(tmp_path / "t.docx"), tmp_path / "x" / name)
    doc = write(tmp_path, template=dotx)
    assert doc.sections[0].header.paragraphs[0].text == "某某市公安局文件"


@pytest.mark.parametrize(
    "content", [b"", b"not a zip file at all", b"PK\x03\x04truncated"], ids=["empty", "text", "cut"]
)
def test_a_broken_template_is_refused_before_any_chapter_runs(tmp_path, content):
    from helpers.errors import LayoutError
    from helpers.run import build
    from helpers.workspace import Workspace

    broken = tmp_path / "templates" / "reference.docx"
    broken.parent.mkdir()
    broken.write_bytes(content)
    for given in (None, broken):  # the workspace's own, and one given on the command line
        with pytest.raises(LayoutError, match="无法打开：它不是完整的 Word 文档"):
            build._docx_template(given, Workspace.at(tmp_path))


def test_a_templates_paragraph_style_named_lead_does_not_stop_the_leads(tmp_path):
    from docx.enum.style import WD_STYLE_TYPE

    template = make_template(tmp_path / "t.docx")
    doc = Document(template)
    doc.styles.add_style("Lead", WD_STYLE_TYPE.PARAGRAPH)
    doc.save(template)
    out = write(tmp_path, template=template)
    led = next(p for p in out.paragraphs if p.text.startswith("（一）"))
    assert led.runs[0].style.name == "Lead Char"
    assert out.styles["Lead Char"].type == WD_STYLE_TYPE.CHARACTER


def test_template_is_part_of_the_assembly_key(tmp_path):
    from helpers.run import build
    from helpers.workspace import Workspace

    template = make_template(tmp_path / "reference.docx")
    faces = fonts.resolve(NO_FONTS)

    def key(docx_template):
        plan = build.Plan(
            2021,
            Workspace.at(tmp_path),
            PARAMS,
            tmp_path,
            tmp_path,
            [],
            {},
            {},
            True,
            faces,
            docx_template,
        )
        return build._keys(plan)[1]

    before = key(template)
    assert key(None) != before
    doc = Document(str(template))
    doc.add_paragraph("改过的模板")
    doc.save(str(template))
    assert key(template) != before


def test_manifest_fonts_entry_says_fallback():
    entry = {role: f.describe() for role, f in fonts.resolve(NO_FONTS).items()}
    assert set(entry) == {"title", "body", "heading", "lead"}
    assert all(e["fallback"] and e["source"] == "fallback" for e in entry.values())
    assert entry["heading"]["family"] == "Noto Sans SC"
    json.dumps(entry)


def test_workspace_template_is_the_default_and_a_wrong_one_is_refused(tmp_path):
    from helpers.errors import LayoutError
    from helpers.run import build
    from helpers.workspace import Workspace

    ws = Workspace.at(tmp_path)
    assert build._docx_template(None, ws) is None
    dotx = as_word_template(
        make_template(tmp_path / "t.docx"), tmp_path / "templates" / "reference.dotx"
    )
    assert build._docx_template(None, ws) == dotx  # a Word template saved as such is found too
    default = make_template(tmp_path / "templates" / "reference.docx")
    assert build._docx_template(None, ws) == default  # the .docx first
    other = make_template(tmp_path / "other.docx")
    assert build._docx_template(str(other), ws) == other.resolve()
    with pytest.raises(LayoutError, match="不是 .docx / .dotx 文件"):
        build._docx_template(tmp_path / "missing.docx", ws)


def test_a_tables_copied_rows_are_the_rows_made_cell_by_cell(tmp_path):
    """After its first row a table's rows are copies of it with other texts: each must be the
    XML python-docx makes when the row is filled cell by cell (tabs and line breaks in a cell,
    empty cells, a text of only digits after one in Chinese and the other way round)."""
    from lxml import etree

    columns = ["编号", "指标", "上年"]
    rows = [
        ["F001", "受理案件", "1,234"],
        ["F002", "", "下降5%"],
        ["12345678", "第一行\n第二行", "a\tb"],
        ["F004", "2021", "一二三"],
    ]
    names = {"body": ("仿宋_GB2312", "Times New Roman")}
    copied, by_hand = Document(), Document()
    word._table(copied, columns, rows, names)
    table = by_hand.add_table(rows=1, cols=len(columns))
    widths = word.column_widths(columns, rows, 100)
    word._fill_row(table.rows[0], columns, widths, names)
    for row in rows:
        added = table.add_row()
        added._tr.get_or_add_trPr().append(word.OxmlElement("w:cantSplit"))
        word._fill_row(added, row, widths, names)
    ours = [etree.tostring(tr) for tr in copied.tables[0]._tbl.iterchildren(qn("w:tr"))][2:]
    theirs = [etree.tostring(tr) for tr in table._tbl.iterchildren(qn("w:tr"))][2:]

    def without_widths(xml: bytes) -> bytes:  # the pages differ: so do the widths
        return re.sub(rb"<w:tcW [^>]*/>", b"", xml)

    assert len(ours) == len(theirs) == 3
    assert [without_widths(x) for x in ours] == [without_widths(x) for x in theirs]
    cells = [[c.text for c in r.cells] for r in copied.tables[0].rows]
    assert cells[1:] == [[str(t) for t in r] for r in rows]


def test_text_word_cannot_hold_is_made_safe_and_long_properties_cut(tmp_path):
    """Found by the hostile tester: a \\v (Word's own line break, in a cell exported from Word)
    in a table's text crashed the writer, and so did an organ name over 255 characters."""
    blocks = [
        {"kind": "paragraph", "text": "学习\x0b习近平法治思想\x00，\ud800完", "html": ""},
        {"kind": "heading", "level": 1, "text": "一、\x0c标题"},
    ]
    table = {"caption": "活动\x0b列表", "columns": ["内容"], "rows": [["第一行\x0b第二行"]]}
    chapter = Chapter("study", blocks=blocks, tables=[table], figures=[figure(1)])
    params = {**PARAMS, "organ": "东莞市公安局" * 120}
    out = word.write_docx([chapter], params, tmp_path / "r.docx", faces=fonts.resolve(NO_FONTS))
    doc = Document(out)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "学习\n习近平法治思想，\ufffd完" in text and "一、\n标题" in text
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert "第一行\n第二行" in cells
    assert doc.core_properties.author == ("东莞市公安局" * 120)[:255]
