"""The text of a report as a reader sees it, from .docx, .pdf, .html or .txt, normalised for matching.

Only the official text is read: an annex (a line “附件” on its own, as our builds write it) and
what follows are left out, and so is an HTML page's navigation when it has an ``<article>``.
Paragraphs end with a newline; a PDF's lines are joined without spaces (Chinese has none) and its
page numbers “— 1 —” dropped.
"""

from __future__ import annotations

import html.parser
import logging
import math
import re
import unicodedata
from pathlib import Path

from .errors import DocumentError

log = logging.getLogger(__name__)

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
            f"{path}: cannot read {suffix or 'a file without extension'} files",
            file=path,
            fix="save the report as .docx, .pdf, .html or .txt and check that file",
        )
    if not path.is_file():
        raise DocumentError(
            f"{path}: no such file", file=path, fix="check the path (and the current folder)"
        )
    readers = {".docx": _docx, ".pdf": _pdf, ".html": _html, ".htm": _html, ".txt": _txt}
    try:
        paragraphs = readers[suffix](path)
    except PermissionError as exc:
        raise DocumentError(
            f"{path}: not allowed to read it", file=path, fix="copy it somewhere you can read it"
        ) from exc
    except _damaged() as exc:
        raise DocumentError(
            f"{path}: not a readable {suffix[1:]} file ({type(exc).__name__}: {exc})",
            file=path,
            fix=f"open it in Word or WPS and save it again as {suffix}",
        ) from exc
    text = normalise("\n".join(_official(paragraphs)))
    if not text.strip():
        raise DocumentError(
            f"{path}: no text found",
            file=path,
            fix="a scanned PDF has only images: check the .docx or a PDF exported from Word instead",
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


# ------------------------------------------------------------------ formats
def _txt(path: Path) -> list[str]:
    data = path.read_bytes()
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):  # Notepad's “Unicode”
        return data.decode("utf-16").splitlines()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding).splitlines()
        except UnicodeDecodeError:
            continue
    raise DocumentError(
        f"{path}: the text is neither UTF-8 nor GB18030",
        file=path,
        fix="save it as UTF-8 text (in Notepad: 另存为, 编码 UTF-8)",
    )


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


def _pdf(path: Path) -> list[str]:
    """Lines joined without spaces, page numbers dropped; reading stops at the annex."""
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a damaged file is reported as our error
    out, current = [], ""
    for number, page in enumerate(PdfReader(str(path)).pages, 1):
        lines, apart = _page_lines(page)
        for line in lines:
            if ANNEX.match(line.strip()) and (out or current):
                return [*out, current]
            if line.strip() and not PAGE_NUMBER.match(line):
                current += line.strip()
        if apart:
            log.warning(
                "%s, page %d: %d piece(s) of text are painted out of reading order; they are "
                "read apart from their sentences, and figures in them may be reported not found",
                path,
                number,
                len(apart),
            )
            out += [current, *apart]
            current = ""
    return [*out, current]


def _page_lines(page, tolerance: float = 2.0) -> tuple[list[str], list[str]]:
    """A page's lines in reading order, and the pieces painted out of that order.

    Text is usually stored in the order it is read. Some PDFs paint parts of a line later (a
    browser's positioned spans): such a piece starts above the text read so far, or to the left
    of where its line has got to. It cannot be put back in its place reliably, so it is kept
    apart rather than glued to the wrong words.
    """
    chunks: list[tuple[float, float, float, str]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            a, b = tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3]
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            chunks.append((x, y, size * math.hypot(a, b), text))

    page.extract_text(visitor_text=visit)
    text, apart = "", []
    lowest, line_y, line_end = math.inf, math.inf, -math.inf
    for x, y, em, chunk in chunks:
        same_line = abs(y - line_y) <= tolerance
        if y > lowest + tolerance or (same_line and x < line_end - 2 * em):
            apart.append(chunk.strip())
            continue
        if not same_line and text and not text.endswith("\n"):
            text += "\n"  # a new line (the page number, below the text block)
        last = chunk.rstrip("\n")
        width = em * sum(1.0 if ord(c) > 0x2E7F else 0.5 for c in last.rsplit("\n", 1)[-1])
        line_end = (max(line_end, x) if same_line else x) + width if "\n" not in last else -math.inf
        lowest, line_y, text = min(lowest, y), y, text + chunk
    return text.splitlines(), apart


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
