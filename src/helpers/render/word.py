"""report.docx for editing in Word or WPS: the official text in GB/T 9704 layout, then the annex.

python-docx (pure Python, well kept) writes real Word styles: headings map to 标题 1/标题 2
(Heading 1/2) so the navigation pane works, the body is the Normal style (仿宋 16 pt, fixed
28.95 pt lines, first-line indent of two characters), and page numbers are PAGE fields in
odd/even footers. Fonts are named, not embedded: Word and WPS on Windows have 仿宋, 黑体, 楷体,
宋体; elsewhere they substitute.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from helpers import fmt
from helpers.render.document import Chapter, annex_rows, title, title_lines

FONTS = {"title": "宋体", "body": "仿宋", "h1": "黑体", "h2": "楷体", "annex": "黑体"}
LINE = Pt(28.95)


def _east_asian(
    style_or_run, name: str, size: float | None = None, bold: bool | None = None
) -> None:
    font = style_or_run.font
    font.name = name
    rpr = style_or_run.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold


def _styles(doc) -> None:
    normal = doc.styles["Normal"]
    _east_asian(normal, FONTS["body"], 16)
    fmt_ = normal.paragraph_format
    fmt_.line_spacing_rule, fmt_.line_spacing = WD_LINE_SPACING.EXACTLY, LINE
    fmt_.first_line_indent = Pt(32)
    fmt_.space_before = fmt_.space_after = Pt(0)
    fmt_.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for name, font in (("Heading 1", FONTS["h1"]), ("Heading 2", FONTS["h2"])):
        style = doc.styles[name]
        _east_asian(style, font, 16, bold=False)
        style.font.color.rgb = None
        style.font.italic = False
        pf = style.paragraph_format
        pf.line_spacing_rule, pf.line_spacing = WD_LINE_SPACING.EXACTLY, LINE
        pf.first_line_indent = Pt(32)
        pf.space_before = pf.space_after = Pt(0)
        pf.keep_with_next = True
    title_style = doc.styles["Title"]
    _east_asian(title_style, FONTS["title"], 22, bold=True)
    title_style.font.color.rgb = None
    tpf = title_style.paragraph_format
    tpf.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tpf.first_line_indent = Pt(0)
    tpf.space_after = LINE
    tpf.line_spacing_rule, tpf.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(36)
    # python-docx's default Title has a bottom border; official titles have none
    ppr = title_style.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)


def _page_number(paragraph, align) -> None:
    paragraph.alignment = align
    paragraph.paragraph_format.first_line_indent = Pt(0)
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = Pt(14)
    else:
        paragraph.paragraph_format.left_indent = Pt(14)
    run = paragraph.add_run("— ")
    _east_asian(run, "宋体", 14)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    inner = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    inner.append(text)
    field.append(inner)
    paragraph._p.append(field)
    tail = paragraph.add_run(" —")
    _east_asian(tail, "宋体", 14)


def _page_setup(doc) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(21)  # the number's line sits about 7 mm below the text block
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _paragraph(doc, block: dict) -> None:
    if block.get("lead"):
        doc.add_paragraph(block["lead"], style="Heading 2")
    doc.add_paragraph(block["text"])


def _draft_header(doc, mark: str) -> None:
    """征求意见稿 at the top right of every page (odd and even headers)."""
    section = doc.sections[0]
    for header in (section.header, section.even_page_header):
        p = header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.first_line_indent = Pt(0)
        run = p.add_run(mark)
        _east_asian(run, FONTS["h1"], 16)
        run.font.color.rgb = RGBColor(0xAA, 0, 0)


def write_docx(chapters: list[Chapter], params: dict, output: Path, draft: str = "") -> Path:
    """Write report.docx: title, body, organ and date, then the annex (charts, tables, data);
    ``draft`` (征求意见稿) is marked in the header of every page and under the title."""
    doc = Document()
    _styles(doc)
    _page_setup(doc)
    if draft:
        _draft_header(doc, draft)
    # Word substitutes fonts with wider digits: break the title earlier than the PDF does (18 em)
    heading = doc.add_paragraph(style="Title")
    for i, line in enumerate(title_lines(params, per_line=18)):
        if i:
            heading.runs[-1].add_break(WD_BREAK.LINE)
        heading.add_run(line)
    if draft:
        mark = doc.add_paragraph(f"（{draft}）")
        mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
        mark.paragraph_format.first_line_indent = Pt(0)
    for ch in chapters:
        for block in ch.blocks:
            if block["kind"] == "heading":
                doc.add_paragraph(block["text"], style=f"Heading {block['level']}")
            elif block["kind"] == "paragraph":
                _paragraph(doc, block)
            elif block["kind"] == "note":
                note = doc.add_paragraph(block["text"])
                note.runs[0].font.size = Pt(12)
    doc.add_paragraph("")
    for text in (params["organ"], fmt.date_cn(params["report_date"])):
        p = doc.add_paragraph(text)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.right_indent = Pt(32)
        p.paragraph_format.first_line_indent = Pt(0)
    _annex(doc, chapters)
    doc.core_properties.title = title(params)
    doc.core_properties.author = params["organ"]
    doc.save(str(output))
    return output


def _annex(doc, chapters: list[Chapter]) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    label = doc.add_paragraph("附件", style="Heading 1")
    label.paragraph_format.first_line_indent = Pt(0)
    for ch in chapters:
        for chart in ch.charts:
            doc.add_picture(io.BytesIO(base64.b64decode(chart["png"])), width=Mm(150))
            holder = doc.paragraphs[
                -1
            ].paragraph_format  # an exact line pitch would crop the picture
            holder.line_spacing_rule, holder.first_line_indent = WD_LINE_SPACING.SINGLE, Pt(0)
            doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            _caption(doc, chart["caption"])
        for table in ch.tables:
            _caption(doc, table["caption"])
            _table(doc, table["columns"], table["rows"])
    _caption(doc, "数据附表：正文各项数据的口径与来源")
    rows = [
        [
            f["id"],
            f["label"],
            f["display"],
            f["prior_text"],
            f["change_text"],
            f["definition"] + (f"（注：{f['note']}）" if f.get("note") else ""),
            f"{f['source']}（{f['rows']}）",
        ]
        for f in annex_rows(chapters)
    ]
    _table(doc, ["编号", "指标", "正文写法", "上年", "变化", "口径", "来源表（行数）"], rows)


def _caption(doc, text: str) -> None:
    p = doc.add_paragraph(text)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    for run in p.runs:
        _east_asian(run, FONTS["annex"], 10.5)


def _table(doc, columns: list[str], rows: list[list]) -> None:
    table = doc.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, columns, strict=True):
        cell.text = str(text)
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = str(text)
    for row in table.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.first_line_indent = Pt(0)
                p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
                p.alignment = WD_ALIGN_PARAGRAPH.LEFT
                for run in p.runs:
                    _east_asian(run, FONTS["body"], 9)
