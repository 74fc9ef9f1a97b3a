"""The text of a report as a reader sees it, from .docx, .pdf, .html or .txt, normalised for matching.

Only the official text is read: an annex (a line “附件” on its own, as our builds write it) and
what follows are left out, and so is an HTML page's navigation when it has an ``<article>``.
Paragraphs end with a newline. A PDF is read in reading order, from where its text is painted
rather than the order it is painted in, with the /ActualText of what a font cannot show; its lines
are joined without spaces (Chinese has none), its page numbers “— 1 —” dropped. A text file
whose lines are wrapped (``pdftotext``'s) is joined back into paragraphs.
"""

from __future__ import annotations

import html.parser
import logging
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from helpers.errors import DocumentError

FORMATS = (".docx", ".pdf", ".html", ".htm", ".txt")
ANNEX = re.compile(r"^附\s*件\s*\d*\s*[:：]?\s*$")
PAGE_NUMBER = re.compile(r"^\s*[—–\-－]+\s*\d+\s*[—–\-－]+\s*$")


def read_text(path: Path | str) -> str:
    """The normalised official text of the report in ``path`` (see ``normalise``).

    Raises DocumentError when the file is missing, unreadable, of another format or holds no text.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise DocumentError(
            f"{path}：无法读取{f' {suffix} ' if suffix else '没有扩展名的'}文件",
            file=path,
            fix="把报告另存为 .docx、.pdf、.html 或 .txt，再检查那个文件",
        )
    if not path.is_file():
        raise DocumentError(f"{path}：没有这个文件", file=path, fix="检查路径（以及当前文件夹）")
    readers = {".docx": _docx, ".pdf": _pdf, ".html": _html, ".htm": _html, ".txt": _txt}
    try:
        paragraphs = readers[suffix](path)
    except PermissionError as exc:
        raise DocumentError(
            f"{path}：没有读取它的权限", file=path, fix="把它复制到您能读取的地方"
        ) from exc
    except _damaged() as exc:
        raise DocumentError(
            f"{path}：不是可读取的 {suffix[1:]} 文件（{type(exc).__name__}: {exc}）",
            file=path,
            fix=f"用 Word 或 WPS 打开，重新另存为 {suffix}",
        ) from exc
    text = normalise("\n".join(_official(paragraphs)))
    if not text.strip():
        raise DocumentError(
            f"{path}：没有找到文字",
            file=path,
            fix="扫描的 PDF 只有图像：改为检查 .docx，或从 Word 导出的 PDF",
        )
    return text


def _damaged() -> tuple[type[Exception], ...]:
    """What the readers raise on a damaged or mislabelled file."""
    import zipfile

    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import LxmlError
    from pypdf.errors import PyPdfError

    return (zipfile.BadZipFile, PackageNotFoundError, LxmlError, PyPdfError, KeyError, ValueError)


def _official(paragraphs: list[str]) -> list[str]:
    """The paragraphs before the annex."""
    out = []
    for p in paragraphs:
        if ANNEX.match(p.strip()) and out:
            break
        out.append(p)
    return out


# ------------------------------------------------------------------ normalising
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")
_ASCII_WORD = re.compile(r"[A-Za-z0-9]")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_DASHES = re.compile(r"(?<=\d)\s*[-–－~～]\s*(?=\d+\s*[月年日])")


def _space(m: re.Match) -> str:
    """A space only separates two ASCII words or numbers; around Chinese it is a stray."""
    line, a, b = m.string, m.start(), m.end()
    if 0 < a and b < len(line) and _ASCII_WORD.match(line[a - 1]) and _ASCII_WORD.match(line[b]):
        return " "
    return ""


def normalise(text: str) -> str:
    """Half-width letters, digits and punctuation (，→, （→( ％→%), no stray spaces, no
    thousands separators, 一字线 in ranges of time.

    Chinese enumeration marks and quotes (、“”《》) stay as they are.

    >>> normalise("核查 235 万人，同比上升１２．３５％（全省第１）")
    '核查235万人,同比上升12.35%(全省第1)'
    >>> normalise("10,234人、1-12月")
    '10234人、1—12月'
    """
    text = unicodedata.normalize("NFKC", text)  # also maps PDF's Kangxi radicals (⼀) to 一
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(_space, line) for line in text.split("\n")]
    text = "\n".join(lines)
    text = _THOUSANDS.sub("", text)
    return _DASHES.sub("—", text)


# ------------------------------------------------------------------ line breaks in text
HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十\d]+[)）]|\d+[、.．](?!\d))"
)
# the end of a sentence, at a line's end; a full stop anywhere
_TERMINAL = re.compile(r"[。！？；：!?;:…][”’」』》）)]*$")
_FULL_STOP = re.compile(r"[。！？!?]")
_NUMBER_END = re.compile(r"\d[.．]?$")
_CJK_SPACES = re.compile(r"(?<=[^\x00-\x7f]) +| +(?=[^\x00-\x7f])")
_NUMBER_GOES_ON = re.compile(r"^[\d.．%％‰月日年号时万亿多余个人名位次起宗件项]")


def _columns(line: str) -> int:
    """How wide a line shows in a fixed-width font (CJK and full-width characters count 2), less
    the spaces a PDF-to-text export puts between Chinese and numbers (3 月 19 日)."""
    line = _CJK_SPACES.sub("", line.strip())
    return sum(
        2 if unicodedata.east_asian_width(c) in "WFA" and ord(c) > 0x2000 else 1 for c in line
    )


def unwrap(lines: list[str]) -> list[str]:
    """The paragraphs of a text whose lines may break inside a sentence, as text exported from a
    PDF does (``pdftotext``, or copied from a PDF viewer), one line of the page a line.

    Chinese text has no line break inside a sentence that means anything, so when most lines are
    about as wide as the page's (the text is wrapped), a line goes on with the next unless it is a
    short one ending a sentence or a heading, or the next is indented, blank or starts a heading
    (一、, (一), 1.). Page numbers (— 1 —) and the form feeds and blank lines around them are
    dropped, so a paragraph goes on across a page break. In any text, a line break inside a number
    or a date (“4” at the end of a line, “月26日” at the start of the next) is joined.

    >>> unwrap(["重点。4", "月26日,学习。", "", "二、问题"])
    ['重点。4月26日,学习。', '二、问题']
    """
    text = [line.rstrip() for line in lines]
    furniture = set()
    for i, line in enumerate(text):
        if PAGE_NUMBER.match(line) or line.startswith("\f"):
            j = i - 1
            while j >= 0 and not text[j].strip(" \f"):
                furniture.add(j)
                j -= 1
            if PAGE_NUMBER.match(line):
                furniture.add(i)
                j = i + 1
                while j < len(text) and not text[j].strip(" \f"):
                    furniture.add(j)
                    j += 1
    kept = [line.replace("\f", "") for i, line in enumerate(text) if i not in furniture]
    widths = sorted(_columns(x) for x in kept if x.strip())
    full = widths[int(0.9 * (len(widths) - 1))] if widths else 0
    wrapped = len(widths) >= 4 and sum(w >= 0.75 * full for w in widths) >= 0.6 * len(widths)
    wrap = (
        _Wrap(full, min(len(x) - len(x.lstrip()) for x in kept if x.strip())) if wrapped else None
    )

    out: list[str] = []
    prev = ""  # the line before, "" after a blank line
    for line in kept:
        if not line.strip():
            prev = ""
            continue
        if prev and _goes_on(out[-1], prev, line, wrap):
            out[-1] = _join(out[-1], line.strip())
        else:
            out.append(line.strip())
        prev = line
    return out


class _Wrap(NamedTuple):
    """How a wrapped text is laid out: the width of its full lines, the indent of most lines."""

    full: int
    indent: int


def _goes_on(paragraph: str, prev: str, line: str, wrap: _Wrap | None) -> bool:
    """Whether ``line`` goes on with ``paragraph``, whose last line is ``prev``."""
    if HEADING.match(line):
        return False
    if _NUMBER_END.search(prev) and _NUMBER_GOES_ON.match(line.lstrip()):
        return True  # a number or date broken over two lines
    if wrap is None or len(line) - len(line.lstrip()) > wrap.indent:
        return False
    width = _columns(prev)
    if width >= wrap.full - max(6, 0.12 * wrap.full):  # as wide as a full line, or about (fonts
        return True  # differ; the first line of a paragraph is indented)
    if _TERMINAL.search(prev):
        return False  # a short line ending a sentence ends its paragraph
    # a heading (一、… with no full stop yet) ends at a short line; other short lines go on
    # (justified text stretches a line of few characters)
    return not (
        HEADING.match(paragraph) and not _FULL_STOP.search(paragraph) and width < 0.8 * wrap.full
    )


def _join(text: str, more: str) -> str:
    """Two pieces of a paragraph broken over lines: a space only between two English words
    (a number broken over lines is one number)."""
    a, b = text[-1:], more[:1]
    if _ASCII_WORD.match(a) and _ASCII_WORD.match(b) and not (a.isdigit() and b.isdigit()):
        return f"{text} {more}"
    return text + more


# ------------------------------------------------------------------ formats
def _txt(path: Path) -> list[str]:
    """Paragraphs of a text file; lines wrapped inside a paragraph are joined (``unwrap``)."""
    data = path.read_bytes()
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Notepad's “Unicode”
        text = data.decode("utf-16")
    else:
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise DocumentError(
                f"{path}：文字既不是 UTF-8 也不是 GB18030 编码",
                file=path,
                fix="另存为 UTF-8 文本（记事本：另存为，编码选 UTF-8）",
            )
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return unwrap(_official(lines))


def _docx(path: Path) -> list[str]:
    """Paragraphs and table rows in document order (cells joined by commas)."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc = Document(str(path))
    out = []
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            out.append(Paragraph(child, doc).text)
        elif child.tag == qn("w:tbl"):
            for row in Table(child, doc).rows:
                cells = [c.text.strip() for c in row.cells]
                cells = [c for i, c in enumerate(cells) if c and (i == 0 or c != cells[i - 1])]
                out.append("，".join(cells))  # a merged cell comes back once per grid column
    return out


# ------------------------------------------------------------------ PDF
_MARK = "/LawreportActualText"  # marked-content points we put around a show inside /ActualText
_SHOWS = (b"Tj", b"TJ")  # the text-showing operators, once ' and " are made T* and Tj


class _Piece(NamedTuple):
    """Text painted at one place: its start (PDF points, y upwards), its size (points), its text,
    and the direction it is written in (degrees counterclockwise, 0 for upright text)."""

    x: float
    y: float
    em: float
    text: str
    angle: int = 0


@dataclass
class _Line:
    """A line of a page: its text in reading order, where it starts and (about) ends, its size."""

    text: str
    x0: float
    x1: float
    y: float
    em: float


@dataclass
class _Layout:
    """A page's text block: left edge, right edge (as estimated) and line pitch (0: unknown)."""

    left: float
    right: float
    pitch: float


def _pdf(path: Path) -> list[str]:
    """Paragraphs of the text, read in reading order; reading stops at the annex.

    Lines are put in reading order from where their pieces are painted, not from the order they
    are painted in, and joined without spaces (Chinese has none); a paragraph starts at a line
    indented from the text block, after a short line ending a sentence or a short indented line
    (a title, a heading), or after a wide gap. Page numbers are dropped; a paragraph goes on
    across a page break.
    """
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a damaged file is reported as our error
    out: list[str] = []
    prev: _Line | None = None
    layout: _Layout | None = None
    for page in PdfReader(str(path)).pages:
        lines = [line for line in _page_lines(page) if not PAGE_NUMBER.match(line.text)]
        layout = _layout(lines, layout)
        for k, line in enumerate(lines):
            if ANNEX.match(line.text.strip()) and out:
                return out
            if prev is None or _starts_paragraph(prev, line, layout, same_page=k > 0):
                out.append(line.text)
            else:
                out[-1] = _join(out[-1], line.text)
            prev = line
    return out


def _starts_paragraph(prev: _Line, line: _Line, layout: _Layout, same_page: bool) -> bool:
    """Whether ``line`` starts a paragraph rather than goes on with ``prev``'s."""
    em = max(prev.em, line.em)
    if line.x0 > layout.left + 0.8 * em:  # indented (Chinese paragraphs start 2 characters in)
        return True
    if prev.x1 < layout.right - 3 * em and (
        _TERMINAL.search(prev.text) or prev.x0 > layout.left + 0.8 * em
    ):
        return True  # the short last line of a paragraph, or a title or heading of one line
    gap = 1.8 * layout.pitch if layout.pitch else 2.5 * em  # line spacing, when the page shows it
    return same_page and prev.y - line.y > gap


def _layout(lines: list[_Line], before: _Layout | None) -> _Layout | None:
    """The text block of a page (that of the page before when this one has too few lines)."""
    if len(lines) < 3:
        return before or (
            _Layout(min(x.x0 for x in lines), max(x.x1 for x in lines), 0.0) if lines else None
        )
    starts = sorted(x.x0 for x in lines)
    shared = [a for a, b in zip(starts, starts[1:], strict=False) if b - a <= 1.0]
    steps = sorted(a.y - b.y for a, b in zip(lines, lines[1:], strict=False) if a.y > b.y)
    pitch = steps[len(steps) // 2] if steps else 0.0
    return _Layout(shared[0] if shared else starts[0], max(x.x1 for x in lines), pitch)


def _page_lines(page) -> list[_Line]:
    """A page's lines, top to bottom, each with its pieces from left to right.

    Pieces are put in lines by their baseline, whatever the order they are painted in (a
    browser's positioned spans, a word processor that paints a font's glyphs after the line's
    others); a piece painted twice at the same place (fake bold) is read once.
    """
    pieces = _upright(_pieces(page))
    pieces.sort(key=lambda p: -p.y)  # stable: painting order among equals
    rows: list[list[_Piece]] = []
    for p in pieces:
        if rows and rows[-1][0].y - p.y <= 0.4 * max(rows[-1][0].em, p.em):
            rows[-1].append(p)
        else:
            rows.append([p])
    lines = []
    for row in rows:
        row.sort(key=lambda p: p.x)
        kept: list[_Piece] = []
        for p in row:
            if not any(q.text == p.text and abs(q.x - p.x) < 0.3 * p.em for q in kept[-3:]):
                kept.append(p)
        text, end = "", -math.inf
        for p in kept:
            gap = p.x - end
            text = (
                text + " " + p.text if gap > 0.5 * p.em and _words(text, p.text) else text + p.text
            )
            end = max(end, p.x + _ems(p.text) * p.em)
        lines.append(_Line(text, kept[0].x, end, kept[0].y, max(p.em for p in kept)))
    return lines


def _upright(pieces: list[_Piece]) -> list[_Piece]:
    """The pieces written in the page's direction (most of its text's: 0°, or 90° on a page
    turned by its content), placed as if that direction were upright; others (a watermark
    across the page) are left out."""
    weight: dict[int, int] = {}
    for p in pieces:
        weight[p.angle] = weight.get(p.angle, 0) + len(p.text)
    if not weight:
        return []
    angle = max(weight, key=lambda a: (weight[a], a == 0))
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    return [
        p._replace(x=p.x * cos + p.y * sin, y=p.y * cos - p.x * sin)
        for p in pieces
        if p.angle == angle
    ]


def _ems(text: str) -> float:
    """About how wide ``text`` is, in ems: CJK and full-width characters 1, others about half."""
    return sum(
        1.0 if unicodedata.east_asian_width(c) in "WF" else 0.3 if c.isspace() else 0.55
        for c in text
    )


def _words(a: str, b: str) -> bool:
    """Whether ``a`` ends and ``b`` starts with an ASCII word, to be kept apart by a space."""
    return bool(a and b and _ASCII_WORD.match(a[-1]) and _ASCII_WORD.match(b[0]))


def _pieces(page) -> list[_Piece]:
    """The pieces of text a page paints, in the order painted, with where and how large.

    pypdf decodes the glyphs; a marked-content span with /ActualText gives that text instead of
    its glyphs (LibreOffice writes each character so when its font lacks the glyph, as it does
    for Chinese on a machine without Chinese fonts). The content is given to pypdf with a font
    reset after each text-showing operator, so that pypdf hands over the text of each at once
    (placed where the operator starts), and with marks around those inside a span, so that their
    glyphs can be told apart.
    """
    from pypdf import PageObject
    from pypdf.generic import ContentStream, NameObject, StreamObject

    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    if not isinstance(contents, (list, StreamObject)):
        return []  # a blank page
    # strings as bytes, as pypdf's own extraction reads them, for it to decode with the font
    content = ContentStream(contents, page.pdf, "bytes")
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else {}
    properties = resources.get("/Properties")
    properties = properties.get_object() if properties is not None else {}
    content.operations, spans = _marked(content.operations, properties)
    view = PageObject(page.pdf)
    view.update(page)
    view[NameObject("/Contents")] = content

    pieces: list[_Piece] = []
    hidden = False  # inside a span with /ActualText
    at: tuple[list, list] | None = None  # the matrices where the last text shown starts

    def add(text: str, cm, tm, size) -> None:
        text = text.replace("\n", "").strip()
        if text:
            a, b = tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3]
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            angle = round(math.degrees(math.atan2(b, a))) % 360 if a or b else 0
            angle = round(angle / 90) % 4 * 90 if min(angle % 90, -angle % 90) <= 3 else angle
            pieces.append(_Piece(x, y, float(size) * math.hypot(a, b), text, angle))

    def before(operator, operands, cm, tm) -> None:
        nonlocal hidden, at
        if operator in _SHOWS:
            at = (list(cm), list(tm))
        elif operator == b"MP" and operands and str(operands[0]).startswith(_MARK):
            tag = str(operands[0])[len(_MARK) :]
            hidden = tag != "End"
            if hidden:
                actual, size = spans[int(tag)]
                add(actual, cm, tm, size)

    def visit(text, cm, tm, font, size) -> None:
        if not hidden:
            add(text, *(at or (cm, tm)), size)

    view.extract_text(visitor_operand_before=before, visitor_text=visit)
    return pieces


def _marked(operations: list, properties) -> tuple[list, list[tuple[str, float]]]:
    """The operations with a font reset (Tf, to the font in use) after each text-showing one
    (' and " made T* and Tj), those inside a span with /ActualText between marks; and each
    mark's (text, font size): the span's text at its first show, "" at the others."""
    from pypdf.generic import NameObject

    out: list = []
    spans: list[tuple[str, float]] = []
    font: list | None = None  # the operands of the Tf in force
    saved: list = []  # … at each q
    depth = 0  # of marked-content sequences open
    span: list | None = None  # [text, depth, said] of the outermost open span with /ActualText
    for operands, operator in operations:
        if operator in (b"BMC", b"BDC"):
            depth += 1
            actual = _actual_text(operands, properties) if operator == b"BDC" else None
            if actual is not None and span is None:
                span = [actual, depth, False]
        elif operator == b"EMC":
            depth = max(0, depth - 1)
            if span is not None and depth < span[1]:
                span = None
        elif operator == b"q":
            saved.append(font)
        elif operator == b"Q":
            font = saved.pop() if saved else font
        elif operator == b"Tf" and len(operands) >= 2:
            font = list(operands[:2])
        elif operator == b"'" and operands:
            out.append(([], b"T*"))
            operands, operator = operands[-1:], b"Tj"
        elif operator == b'"' and len(operands) >= 3:
            out += [(operands[:1], b"Tw"), (operands[1:2], b"Tc"), ([], b"T*")]
            operands, operator = operands[2:3], b"Tj"
        if operator not in (b"Tj", b"TJ"):
            out.append((operands, operator))
            continue
        reset = [(list(font), b"Tf")] if font else []
        if span is None:
            out += [(operands, operator), *reset]
            continue
        size = float(font[1]) if font else 0.0
        out += [([NameObject(f"{_MARK}{len(spans)}")], b"MP"), (operands, operator), *reset]
        out.append(([NameObject(f"{_MARK}End")], b"MP"))
        spans.append(("" if span[2] else span[0], size))
        span[2] = True
    return out, spans


def _actual_text(operands: list, properties) -> str | None:
    """The /ActualText of a BDC (its properties inline or named in the page's /Properties)."""
    if len(operands) < 2:
        return None
    props = operands[1]
    if not hasattr(props, "get"):
        props = properties.get(props) if hasattr(properties, "get") else None
        props = props.get_object() if props is not None else None
    actual = props.get("/ActualText") if hasattr(props, "get") else None
    if actual is None:
        return None
    if isinstance(actual, bytes):
        if actual[:2] in (b"\xfe\xff", b"\xff\xfe"):
            return actual.decode("utf-16")
        return actual.decode("latin-1")
    return str(actual)


# ------------------------------------------------------------------ HTML
class _ArticleText(html.parser.HTMLParser):
    """Text of the first <article> (or of <body> when there is none), one paragraph per block."""

    BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "br", "section"}
    SKIP = {"script", "style", "nav", "template", "head"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.article: list[str] = []
        self.body: list[str] = []
        self.in_article = self.article_done = False
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        elif tag == "article" and not self.article_done:
            self.in_article = True
        if tag in self.BLOCKS:
            self._add("\n")
        elif tag in ("td", "th"):
            self._add("，")

    def handle_endtag(self, tag):
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag == "article" and self.in_article:
            self.in_article, self.article_done = False, True
        if tag in self.BLOCKS:
            self._add("\n")

    def handle_data(self, data):
        if not self.skipping:
            self._add(re.sub(r"\s+", " ", data))  # line breaks in the source are spaces

    def _add(self, text):
        self.body.append(text)
        if self.in_article:
            self.article.append(text)

    def paragraphs(self) -> list[str]:
        text = "".join(self.article if self.article_done else self.body)
        return [p.strip() for p in text.split("\n") if p.strip()]


def _html(path: Path) -> list[str]:
    raw = path.read_bytes()
    match = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", raw[:4096], re.I)
    encoding = match.group(1).decode("ascii") if match else "utf-8"
    try:
        text = raw.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        text = raw.decode("gb18030")
    parser = _ArticleText()
    parser.feed(text)
    parser.close()
    return parser.paragraphs()
