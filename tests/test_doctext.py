"""Reading the official text of a report from .docx, .pdf, .html and .txt."""

from __future__ import annotations

import pytest
from docx import Document

from helpers.doctext import read_text
from helpers.errors import DocumentError
from helpers.pdf import write_pdf


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


def test_text_painted_out_of_order(tmp_path, caplog):
    """A PDF that paints part of a line later: the part is read apart, never glued to other words."""
    page = (
        "<html><body><p>志愿服务队累计走访群众<span style='position: relative'>10695人</span>、"
        "服务群众<span style='position: relative'>7023人</span>，受到一致好评。</p></body></html>"
    )
    text = read_text(write_pdf(page, tmp_path / "positioned.pdf"))
    assert text.splitlines() == [
        "志愿服务队累计走访群众、服务群众,受到一致好评。",
        "10695人",
        "7023人",
    ]
    assert "painted out of reading order" in caplog.text


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("report.doc", b"x", "cannot read .doc files"),
        ("missing.txt", None, "no such file"),
        ("damaged.docx", b"not a zip", "not a readable docx file"),
        ("damaged.pdf", b"not a pdf", "not a readable pdf file"),
        ("empty.txt", b"  \n", "no text found"),
        ("binary.txt", b"\x81\x30\xff\xfe\x00", "neither UTF-8 nor GB18030"),
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
