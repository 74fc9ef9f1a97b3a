"""report.html → report.pdf with WeasyPrint, using the Chinese fonts found by ``fonts``."""

from __future__ import annotations

import html
import logging
import re
import warnings
from pathlib import Path

from helpers.render import fonts

log = logging.getLogger(__name__)


def font_css(text: str = "") -> str:
    """@font-face rules that give every role's family a real file, so no glyph is missing.

    Bundled fonts are given as cached subsets covering ``text`` (see fonts.subset_file)."""
    faces = fonts.pdf_faces(text)
    rules, seen = [], set()
    for f in faces.values():
        if f.family in seen:
            continue
        seen.add(f.family)
        rules.append(f'@font-face {{ font-family: "{f.family}"; src: url("{f.path.as_uri()}"); }}')
    rules.append(f'body {{ font-family: "{faces["fangsong"].family}", serif; }}')
    rules.append(f'h1.title {{ font-family: "{faces["song"].family}", serif; }}')
    rules.append(f'h2.h1, .annex h2 {{ font-family: "{faces["hei"].family}", sans-serif; }}')
    rules.append(f'span.lead {{ font-family: "{faces["kai"].family}", serif; }}')
    rules.append(f'.annex {{ font-family: "{faces["hei"].family}", sans-serif; }}')
    return "\n".join(rules)


def _no_harfbuzz_advice(record: logging.LogRecord) -> bool:
    """Drop WeasyPrint's advice to apt-install HarfBuzz-Subset: users cannot, and fontTools works."""
    return "HarfBuzz-Subset" not in record.getMessage()


def draft_css(mark: str, family: str) -> str:
    """A draft's mark at the top right of every page, in the page margin above the text block."""
    return (
        f'@page {{ @top-right {{ content: "{mark}"; font-family: "{family}", sans-serif; '
        "font-size: 16pt; color: #a00; vertical-align: bottom; padding-bottom: 6mm; } }"
    )


def write_pdf(html_text: str, output: Path, draft: str = "") -> Path:
    """Render the report HTML to an A4 PDF; ``draft`` (e.g. 征求意见稿) is marked on every page."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    logging.getLogger("fontTools").setLevel(logging.ERROR)
    logging.getLogger("weasyprint").addFilter(_no_harfbuzz_advice)
    warnings.filterwarnings("ignore", message="HarfBuzz-Subset", category=DeprecationWarning)
    font_config = FontConfiguration()  # @font-face only takes effect through a FontConfiguration
    visible = html.unescape(
        re.sub(r"<[^>]+>", "", re.sub(r"<style[^>]*>.*?</style>", "", html_text, flags=re.S))
    )
    rules = font_css(visible + "— 0123456789" + draft)
    if draft:
        rules += "\n" + draft_css(draft, fonts.pdf_faces(visible + draft)["hei"].family)
    css = weasyprint.CSS(string=rules, font_config=font_config)
    doc = weasyprint.HTML(string=html_text, base_url=str(output.parent))
    doc.write_pdf(str(output), stylesheets=[css], font_config=font_config)
    return output
