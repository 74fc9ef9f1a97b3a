"""report.docx for editing in Word or WPS: the official text in GB/T 9704 layout, then the annex.

python-docx (pure Python, well kept) writes real Word styles: 一、 headings are 标题 1 (Heading
1) so the navigation pane works, the body is the Normal style (仿宋 16 pt, fixed 28.95 pt lines,
first-line indent of two characters), a （一） lead runs into its paragraph in the character style
Lead (楷体), as in the PDF, and page numbers are PAGE fields in odd/even footers. Fonts are named,
not embedded: the official faces found on this machine (``fonts.resolve``), else 宋体, 仿宋, 黑体,
楷体, which Word and WPS on Windows have.

With an office's own template (``template=``, like pandoc's reference-doc) the document starts
from it: its styles, page size, margins, headers and footers are kept, its body is emptied, and
our content is written in its style names; a style it lacks is created from ours. The data annex
is a landscape section whose table columns are as wide as their longest cell allows.
"""

from __future__ import annotations

import base64
import copy
import dataclasses
import io
import re
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from helpers import fmt
from helpers.render import fonts as font_search
from helpers.render.document import Chapter, annex_rows, title, title_lines

# the names Word and WPS on Windows know, used where no official face was found
WINDOWS_NAMES = {"title": "宋体", "body": "仿宋", "heading": "黑体", "lead": "楷体"}
LINE = Pt(28.95)
LEAD_STYLE = "Lead"
CELL_PT = 9  # the annex tables' characters
CELL_PAD_EM = 1.8  # Word's default cell margins (2 × 0.19 cm) and a little air, in characters
LATIN_EM = 0.62  # a digit or latin letter, in characters: wider than half where Word substitutes


def font_names(faces: dict[str, font_search.Font] | None) -> dict[str, tuple[str, str]]:
    """Each role's (East Asian name, Latin name) for the document: an official face found on
    this machine by its own names, else the Windows face of the role."""
    faces = faces or font_search.current()
    out = {}
    for role, f in faces.items():
        out[role] = (
            (WINDOWS_NAMES[role], WINDOWS_NAMES[role])
            if f.fallback
            else (f.local or f.family, f.family)
        )
    out["annex"] = out["heading"]
    return out


def _east_asian(style_or_run, name, size: float | None = None, bold: bool | None = None) -> None:
    """Name the font of a style or run for every script; ``name``: one name or (East Asian, Latin)."""
    east, latin = (name, name) if isinstance(name, str) else name
    font = style_or_run.font
    font.name = latin
    rpr = style_or_run.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.append(rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        rfonts.set(qn(attr), latin)
    rfonts.set(qn("w:eastAsia"), east)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(theme), None)  # a theme font would win over the names
    if size is not None:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold


def _normal(style, names) -> None:
    _east_asian(style, names["body"], 16)
    pf = style.paragraph_format
    pf.line_spacing_rule, pf.line_spacing = WD_LINE_SPACING.EXACTLY, LINE
    pf.first_line_indent = Pt(32)
    pf.space_before = pf.space_after = Pt(0)
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY


def _heading(style, name, level: int) -> None:
    _east_asian(style, name, 16, bold=False)
    style.font.color.rgb = None
    style.font.italic = False
    pf = style.paragraph_format
    pf.line_spacing_rule, pf.line_spacing = WD_LINE_SPACING.EXACTLY, LINE
    pf.first_line_indent = Pt(32)
    pf.space_before = pf.space_after = Pt(0)
    pf.keep_with_next = True
    ppr = style.element.get_or_add_pPr()
    if ppr.find(qn("w:outlineLvl")) is None:  # the navigation pane lists it
        outline = OxmlElement("w:outlineLvl")
        outline.set(qn("w:val"), str(level - 1))
        ppr.append(outline)


def _title(style, name) -> None:
    _east_asian(style, name, 22, bold=True)
    style.font.color.rgb = None
    tpf = style.paragraph_format
    tpf.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tpf.first_line_indent = Pt(0)
    tpf.space_after = LINE
    tpf.line_spacing_rule, tpf.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(36)
    # python-docx's default Title has a bottom border; official titles have none
    ppr = style.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)


def lead_style(doc) -> str:
    """The character style of （一） leads: Lead, or Lead Char when a template already has a
    paragraph style called Lead (a run can carry only a character style)."""
    styles = {s.name: s.type for s in doc.styles}
    if styles.get(LEAD_STYLE, WD_STYLE_TYPE.CHARACTER) == WD_STYLE_TYPE.CHARACTER:
        return LEAD_STYLE
    return f"{LEAD_STYLE} Char"


def _lead(style, name) -> None:
    _east_asian(style, name, bold=False)


def _styles(doc, names, only_missing: bool) -> None:
    """Our styles: all of them on Word's blank document; with a template only those it lacks."""
    wanted = [
        ("Normal", WD_STYLE_TYPE.PARAGRAPH, lambda s: _normal(s, names)),
        ("Title", WD_STYLE_TYPE.PARAGRAPH, lambda s: _title(s, names["title"])),
        ("Heading 1", WD_STYLE_TYPE.PARAGRAPH, lambda s: _heading(s, names["heading"], 1)),
        ("Heading 2", WD_STYLE_TYPE.PARAGRAPH, lambda s: _heading(s, names["lead"], 2)),
        (LEAD_STYLE, WD_STYLE_TYPE.CHARACTER, lambda s: _lead(s, names["lead"])),
    ]
    for name, kind, apply in wanted:
        if name == LEAD_STYLE:
            name = lead_style(doc)
        if name in doc.styles:
            if not only_missing:
                apply(doc.styles[name])
            continue
        style = doc.styles.add_style(name, kind)
        if kind == WD_STYLE_TYPE.PARAGRAPH and name != "Normal":
            style.base_style = doc.styles["Normal"]
            style.next_paragraph_style = doc.styles["Normal"]
        style.hidden = style.unhide_when_used = False
        style.quick_style = True
        apply(style)


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


def open_template(template: Path):
    """The office's template with its body emptied (styles, sections' page setup, headers and
    footers kept). A Word template (.dotx, or one saved under a .docx name) is read as the
    document it is. A file Word could not open either is a LayoutError that says so."""
    from helpers.errors import LayoutError

    try:
        data = Path(template).read_bytes()
        src, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for item in src.infolist():
                content = src.read(item.filename)
                if item.filename == "[Content_Types].xml":  # python-docx opens only documents
                    content = content.replace(b"template.main+xml", b"document.main+xml")
                dst.writestr(item, content)
        doc = Document(io.BytesIO(out.getvalue()))
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise LayoutError(
            f"Word 模板 {template} 无法打开：它不是完整的 Word 文档（{type(exc).__name__}）。",
            fix="在 Word 或 WPS 中打开模板并另存为 .docx 或 .dotx，或去掉 --docx-template"
            "（工作区的 templates/reference.docx 也可删去）使用默认样式",
        ) from None
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):  # the last section's setup stays
            body.remove(child)
    return doc


def _paragraph(doc, block: dict) -> None:
    """A paragraph of the body; its lead (（一）……。) runs in, in the Lead style, as in the PDF."""
    p = doc.add_paragraph()
    if block.get("lead"):
        p.add_run(block["lead"], style=lead_style(doc))
    p.add_run(block["text"])


def _draft_header(doc, mark: str, names) -> None:
    """征求意见稿 at the top right of every page (odd and even headers), below a template's own
    header text if it has one."""
    section = doc.sections[0]
    for header in (section.header, section.even_page_header):
        last = header.paragraphs[-1] if header.paragraphs else None
        p = last if last is not None and not last.text.strip() else header.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        p.paragraph_format.first_line_indent = Pt(0)
        run = p.add_run(mark)
        _east_asian(run, names["heading"], 16)
        run.font.color.rgb = RGBColor(0xAA, 0, 0)


def write_docx(
    chapters: list[Chapter],
    params: dict,
    output: Path,
    draft: str = "",
    faces: dict[str, font_search.Font] | None = None,
    template: Path | None = None,
) -> Path:
    """Write report.docx: title, body, organ and date, then the annex (charts, tables, data);
    ``draft`` (征求意见稿) is marked in the header of every page and under the title; ``faces``:
    each role's font (default: those found on this machine); ``template``: the office's own
    .docx/.dotx to start from (its styles, page setup, headers and footers win)."""
    names = font_names(faces)
    chapters, params = _xml_safe(chapters), _xml_safe(params)
    if template:
        doc = open_template(template)
        _styles(doc, names, only_missing=True)
    else:
        doc = Document()
        _styles(doc, names, only_missing=False)
        _page_setup(doc)
    if draft:
        _draft_header(doc, draft, names)
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
    _annex(doc, chapters, names)
    # Word's document properties hold at most 255 characters each
    doc.core_properties.title = title(params)[:255]
    doc.core_properties.author = params["organ"][:255]
    doc.save(str(output))
    return output


# what XML 1.0 cannot hold: Word's own line and page breaks (\v, \f) become line breaks, other
# control characters go, and a lone surrogate (from a "\ud800" escape) becomes U+FFFD
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def _xml_safe(value):
    """``value`` (chapters, parameters: dataclasses, dicts, lists, text) with every text made
    something a .docx can hold; a table cell exported from Word may hold a \v."""
    if isinstance(value, str):
        if not _NOT_XML.search(value):
            return value
        return _NOT_XML.sub(
            lambda m: "\n" if m.group() in "\v\f" else "\ufffd" if m.group() > "\x1f" else "", value
        )
    if isinstance(value, dict):
        return {k: _xml_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_xml_safe(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(
            value, **{f.name: _xml_safe(getattr(value, f.name)) for f in dataclasses.fields(value)}
        )
    return value


ANNEX_COLUMNS = ["编号", "指标", "正文写法", "上年", "变化", "口径", "来源表（行数）"]


def _annex(doc, chapters: list[Chapter], names) -> None:
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
            _caption(doc, chart["caption"], names)
        for table in ch.tables:
            _caption(doc, table["caption"], names)
            _table(doc, table["columns"], table["rows"], names)
    _landscape(doc)
    _caption(doc, "数据附表：正文各项数据的口径与来源", names)
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
    _table(doc, ANNEX_COLUMNS, rows, names)


def _landscape(doc) -> None:
    """A new page in landscape for the wide data annex (same margins, headers and footers)."""
    portrait = doc.sections[-1]
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    if portrait.page_width < portrait.page_height:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = portrait.page_height, portrait.page_width


def _caption(doc, text: str, names) -> None:
    p = doc.add_paragraph(text)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    for run in p.runs:
        _east_asian(run, names["annex"], 10.5)


def cell_width(text: str) -> float:
    """Width of a cell's text in characters (CJK 1, a digit or latin letter ``LATIN_EM``)."""
    return sum(LATIN_EM if ord(ch) < 128 else 1.0 for ch in text)


# what Word must not break: a number, an id or a latin word with the unit that follows it
# (123.45万人, 下降1.23% → 1.23%, F001, school_enrollments); Chinese breaks between any two
# characters, and a column keeps at least a short word of it
_UNBREAKABLE = re.compile(r"[0-9A-Za-z.,:%+\-_/]+[\u4e00-\u9fff%]{0,2}")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
CJK_WORD = 4  # characters


def _unbreakable(text: str) -> float:
    """Width in characters of the widest piece of ``text`` that must stay on one line."""
    pieces = [cell_width(m) for m in _UNBREAKABLE.findall(text)]
    pieces += [min(len(m), CJK_WORD) for m in _CJK_RUN.findall(text)]
    return max(pieces, default=0.0)


def column_widths(columns: list[str], rows: list[list], available_em: float) -> list[float]:
    """Column widths in characters that fill ``available_em``. Each column wants its longest
    cell on one line; when they do not all fit, the widest columns give way first, down to a
    common width (short columns stay whole), and no column goes below its header and its longest
    unbreakable piece (numbers, ids, a short word), so numbers and ids never wrap."""
    cells = [[str(c), *(str(r[i]) for r in rows)] for i, c in enumerate(columns)]
    need = [max(cell_width(t) for t in col) + CELL_PAD_EM for col in cells]
    floor = [
        min(n, max(cell_width(col[0]), *(_unbreakable(t) for t in col)) + CELL_PAD_EM)
        for n, col in zip(need, cells, strict=True)
    ]
    if sum(need) <= available_em:  # all fit: share the rest of the line in proportion
        spare = available_em - sum(need)
        return [n + spare * n / sum(need) for n in need]
    if sum(floor) >= available_em:  # cannot be helped: shrink all alike
        return [f * available_em / sum(floor) for f in floor]

    def width_at(cap: float) -> list[float]:
        return [max(f, min(n, cap)) for n, f in zip(need, floor, strict=True)]

    low, high = 0.0, max(need)  # the common width the widest columns are cut to
    for _ in range(60):
        cap = (low + high) / 2
        low, high = (cap, high) if sum(width_at(cap)) < available_em else (low, cap)
    widths = width_at(low)
    return [w * available_em / sum(widths) for w in widths]  # the last rounding


def _table(doc, columns: list[str], rows: list[list], names) -> None:
    section = doc.sections[-1]
    available = (section.page_width - section.left_margin - section.right_margin) / Pt(CELL_PT)
    widths = column_widths(columns, rows, available)
    table = doc.add_table(rows=1, cols=len(columns))
    if _has_style(doc, "Table Grid"):
        table.style = "Table Grid"
    else:  # a template without Word's table styles: draw the grid on the table
        _grid(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False  # fixed layout: Word keeps the widths below
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Pt(CELL_PT * width)
    _fill_row(table.rows[0], columns, widths, names)
    repeat = OxmlElement("w:tblHeader")  # the header row again on every page
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    model = None
    for row in rows:
        if model is None:  # the first row is made cell by cell; the others are copies of it
            added = table.add_row()
            added._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # stays on one page
            _fill_row(added, row, widths, names)
            model = added._tr
        else:
            table._tbl.append(_copied_row(model, row))


def _has_style(doc, name: str) -> bool:
    """Whether the document (its template) defines a style of that name: one XPath query
    (``name in doc.styles`` builds an object for every style, a tenth of a second each time)."""
    from docx.styles import BabelFish

    internal = BabelFish.ui2internal(name)  # as python-docx names them: "heading 1"
    return bool(doc.styles.element.xpath(f'w:style[w:name/@w:val="{internal}"]'))


_CJK = re.compile(r"[\u3400-\u9fff]")


def _fill_row(row, texts: list, widths: list[float], names) -> None:
    """Each cell's text, width and look: numbers and ids on one line, single spacing, no
    indent, the body font."""
    for cell, text, width in zip(row.cells, texts, widths, strict=True):
        cell.text = str(text)
        cell.width = Pt(CELL_PT * width)
        if not _CJK.search(cell.text):  # numbers, ids: one line
            cell._tc.get_or_add_tcPr().append(OxmlElement("w:noWrap"))
        for p in cell.paragraphs:
            p.paragraph_format.first_line_indent = Pt(0)
            p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT
            for run in p.runs:
                _east_asian(run, names["body"], CELL_PT)


def _copied_row(model, texts: list):
    """A copy of the table row ``model`` (made by ``_fill_row``) holding ``texts``: the same
    XML as a row made cell by cell, a tenth of the time (python-docx sets each property of each
    cell through several layers; a data annex has hundreds of cells)."""
    tr = copy.deepcopy(model)
    for tc, text in zip(tr.iterchildren(qn("w:tc")), texts, strict=True):
        text = str(text)
        tc.xpath("./w:p/w:r")[0].text = text  # as python-docx writes a run's text (tabs, breaks)
        wrap = tc.tcPr.find(qn("w:noWrap"))
        if _CJK.search(text) and wrap is not None:
            tc.tcPr.remove(wrap)
        elif not _CJK.search(text) and wrap is None:
            tc.tcPr.append(OxmlElement("w:noWrap"))
    return tr


def _grid(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        for key, value in (("val", "single"), ("sz", "4"), ("space", "0"), ("color", "auto")):
            line.set(qn(f"w:{key}"), value)
        borders.append(line)
    tbl_pr = table._tbl.tblPr
    later = [tbl_pr.find(qn(f"w:{t}")) for t in ("shd", "tblLayout", "tblCellMar", "tblLook")]
    later = [e for e in later if e is not None]
    if later:  # the schema's order of table properties
        later[0].addprevious(borders)
    else:
        tbl_pr.append(borders)
