"""Reading the official text of a report from .docx, .pdf, .html and .txt."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from helpers.check.doctext import read_text
from helpers.errors import DocumentError
from helpers.render.pdf import write_pdf


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_text_files(tmp_path, encoding):
    path = tmp_path / "report.txt"
    path.write_text(
        "（一）核查 105 万人，同比上升12.3％。\n附件\n数据附表 F003 106万人\n", encoding=encoding
    )
    assert read_text(path) == "(一)核查105万人,同比上升12.3%。"  # the annex is not read


def test_html_reads_the_article(tmp_path):
    path = tmp_path / "report.html"
    path.write_text(
        "<html><head><title>t</title><style>p{}</style></head><body><nav>目录 第1章</nav>"
        "<article><h1>标题</h1><p>破案<span title='x&gt;y'>120起</span>，"
        "同比上升&nbsp;12.3%</p></article><section>附件 130起</section></body></html>",
        encoding="utf-8",
    )
    assert read_text(path) == "标题\n破案120起,同比上升12.3%"


def test_docx_paragraphs_and_tables_in_order(tmp_path):
    doc = Document()
    doc.add_paragraph("一、主要成效")
    table = doc.add_table(rows=2, cols=2)
    for row, cells in zip(table.rows, [("指标", "数值"), ("核查人数", "105万人")], strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    doc.add_paragraph("二、存在的问题")
    doc.add_paragraph("附件")
    doc.add_paragraph("数据附表")
    doc.save(str(tmp_path / "report.docx"))
    assert read_text(tmp_path / "report.docx").splitlines() == [
        "一、主要成效",
        "指标,数值",
        "核查人数,105万人",
        "二、存在的问题",
    ]


def test_text_painted_out_of_order(tmp_path):
    """A PDF that paints text in another order than it is read (positioned spans painted after
    their line, blocks placed bottom first) is read where the text stands on the page."""
    page = (
        "<html><body>"
        "<p style='position: absolute; top: 60mm'>二是服务群众<span style='position: relative'>"
        "7023人</span>，受到一致好评。</p>"
        "<p style='position: absolute; top: 30mm'>一是志愿服务队累计走访群众"
        "<span style='position: relative'>10695人</span>、劝导群众4576人。</p>"
        "<p style='position: absolute; top: 45mm; transform: rotate(-30deg)'>水印 999人</p>"
        "</body></html>"
    )
    path = write_pdf(page, tmp_path / "positioned.pdf")
    painted = PdfReader(str(path)).pages[0].extract_text()
    assert painted.index("二是") < painted.index("一是") < painted.index("10695人")  # as painted
    assert read_text(path).splitlines() == [
        "一是志愿服务队累计走访群众10695人、劝导群众4576人。",
        "二是服务群众7023人,受到一致好评。",
    ]


def minimal_pdf(path: Path, content: bytes, properties: bytes = b"") -> Path:
    """A one-page PDF painting ``content`` with Helvetica (/F1), as a word processor would."""
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 200] /Contents 5 0 R "
    page += b"/Resources << /Font << /F1 4 0 R >> /Properties << %s >> >> >>" % properties
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        page,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))
    return path


def actual(text: str) -> bytes:
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def test_pdf_actual_text_and_pieces_out_of_order(tmp_path):
    """As LibreOffice writes Chinese when the machine has no Chinese font: each character a glyph
    of a font without it, the text in a marked-content span's /ActualText; a line's pieces are
    painted in any order, the title last and a number twice (fake bold)."""
    span = b"/Span << /ActualText %s >> BDC 1 0 0 1 %d 100 Tm (x) Tj EMC\n"
    content = b"BT /F1 12 Tf\n1 0 0 1 120 100 Tm (120) Tj 1 0 0 1 120.3 100 Tm (120) Tj\n"
    content += span % (actual("破"), 96) + span % (actual("案"), 108)
    content += span % (actual("起。"), 140)
    content += b"/Span << /ActualText %s >> BDC 1 0 0 1 164 100 Tm (xx) Tj " % actual("全市")
    content += b"/Span /P0 BDC (x) Tj EMC EMC\n"  # nested: the outer span's text stands for all
    content += b"14 TL 1 0 0 1 72 84 Tm /Span << /ActualText %s >> BDC " % actual("共计3起")
    content += b'0 0 (xxxx) " EMC\n'  # the next line, shown by "
    content += b"1 0 0 1 150 130 Tm /Span /P1 BDC (xxxx) Tj EMC ET"  # the title, painted last
    properties = b"/P0 << /ActualText (wrong) >> /P1 << /ActualText %s >>" % actual("一、成效")
    path = minimal_pdf(tmp_path / "libreoffice.pdf", content, properties)
    assert read_text(path).splitlines() == ["一、成效", "破案120起。全市共计3起"]


def test_pdf_page_turned_by_its_content(tmp_path):
    """A landscape page drawn turned a quarter (its text written upwards) is read in its lines."""
    lines = b"BT /F1 12 Tf 1 0 0 1 72 150 Tm (Line one 120) Tj 1 0 0 1 72 130 Tm (Line two) Tj ET"
    path = minimal_pdf(tmp_path / "turned.pdf", b"q 0 1 -1 0 400 0 cm " + lines + b" Q")
    assert read_text(path).splitlines() == ["Line one 120 Line two"]


def test_pdf_paragraphs_across_pages(tmp_path):
    """Paragraphs start at an indented line; one goes on across a page break and its page number."""
    style = (
        "<style>@page { size: A5; @bottom-center { content: '— ' counter(page) ' —' } }"
        "p { text-indent: 2em; text-align: justify; margin: 0 }</style>"
    )
    paragraphs = [f"第{i}段" + "很长的文字" * 50 + f"共{i}起。" for i in (1, 2, 3)]
    page = f"<html><head>{style}</head><body>"
    page += "".join(f"<p>{p}</p>" for p in paragraphs) + "<p>附件</p><p>附表 3起</p></body></html>"
    path = write_pdf(page, tmp_path / "pages.pdf")
    assert len(PdfReader(str(path)).pages) >= 2
    assert read_text(path).splitlines() == paragraphs


def test_wrapped_text(tmp_path):
    """Text exported from a PDF (pdftotext): one line of the page a line, a date broken over two
    lines, page numbers between pages; paragraphs are joined back, headings kept apart."""
    wrapped = [
        "东莞市公安局年度报告",
        "一、主要举措和成效",
        "（一）深入学习贯彻习近平法治思想和习近平总书记关于全面",
        "依法治国的重要讲话精神。3月19日，结合教育整顿政治教育和党史学",
        "习教育，邀请东莞理工学院教授为全体民警专题讲授习近平法治思想。4",
        "月26日，市局党委集体学习习近平法治思想。全年破案329起，同比上升12",
        ".3%，抓获违法犯罪人员478人。",
        "（二）从严从细抓好新冠肺炎疫情常态化防控。一是不折不扣落实上级",
        "—1—",
        "",
        "\f常态化疫情防控决策部署，主动担当、牵头负责社区三人小组排查管控工",
        "作，完成落地核查任务7498批次。",
        "二是坚持监管场所防疫标准高于社会面，派驻警力13965人次。",
        "",
        "附件",
        "数据附表 7500批次",
    ]
    (tmp_path / "wrapped.txt").write_text("\n".join(wrapped), encoding="utf-8")
    assert read_text(tmp_path / "wrapped.txt").splitlines() == [
        "东莞市公安局年度报告",
        "一、主要举措和成效",
        "(一)深入学习贯彻习近平法治思想和习近平总书记关于全面依法治国的重要讲话精神。3月19日,"
        "结合教育整顿政治教育和党史学习教育,邀请东莞理工学院教授为全体民警专题讲授习近平法治思想。"
        "4月26日,市局党委集体学习习近平法治思想。全年破案329起,同比上升12.3%,"
        "抓获违法犯罪人员478人。",
        "(二)从严从细抓好新冠肺炎疫情常态化防控。一是不折不扣落实上级常态化疫情防控决策部署,"
        "主动担当、牵头负责社区三人小组排查管控工作,完成落地核查任务7498批次。",
        "二是坚持监管场所防疫标准高于社会面,派驻警力13965人次。",
    ]


def test_numbers_broken_over_lines(tmp_path):
    """In text of one paragraph a line, only a line break inside a number or date is joined."""
    (tmp_path / "report.txt").write_text(
        "一、成效\n4\n月26日，破案12\n.3万起，抓获105\n人。\n二、问题\n", encoding="utf-8"
    )
    assert read_text(tmp_path / "report.txt").splitlines() == [
        "一、成效",
        "4月26日,破案12.3万起,抓获105人。",
        "二、问题",
    ]


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("report.doc", b"x", "无法读取 .doc 文件"),
        ("missing.txt", None, "没有这个文件"),
        ("damaged.docx", b"not a zip", "不是可读取的 docx 文件"),
        ("damaged.pdf", b"not a pdf", "不是可读取的 pdf 文件"),
        ("empty.txt", b"  \n", "没有找到文字"),
        ("binary.txt", b"\x81\x30\xff\xfe\x00", "文字既不是 UTF-8 也不是 GB18030 编码"),
    ],
)
def test_unreadable_files(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(DocumentError) as caught:
        read_text(path)
    assert message in caught.value.message and str(path) in caught.value.message
    assert caught.value.file == path and caught.value.fix
