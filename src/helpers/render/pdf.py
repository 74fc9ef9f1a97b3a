"""report.html → report.pdf with WeasyPrint, using the Chinese fonts found by ``fonts``."""

from __future__ import annotations

import html
import logging
import re
import warnings
from pathlib import Path

from helpers.render import fonts

log = logging.getLogger(__name__)


ROLE_RULES = {  # the elements of each GB/T 9704 role (the classes of report.html.j2)
    "title": "h1.title",
    "body": "body",
    "heading": "h2.h1, .annex, .annex h2",
    "lead": "span.lead",
}


def css_families(faces: dict[str, fonts.Font]) -> dict[str, str]:
    """The CSS family of each role: the font's own family name (WeasyPrint writes it into the
    PDF as the font's name), with the role added where two files share a family name."""
    out = {}
    for role, f in faces.items():
        clash = any(g.family == f.family and g.path != f.path for g in faces.values())
        out[role] = f"{f.family} {role}" if clash else f.family
    return out


def font_css(text: str = "", faces: dict[str, fonts.Font] | None = None) -> str:
    """@font-face rules that give every role a real file, so no glyph is missing.

    The pip-installed faces follow each role's font for any character an official face lacks
    (仿宋_GB2312 has no 〇 or rarer characters). Bundled fonts are given as cached subsets
    covering ``text`` (see fonts.subset_file)."""
    faces = fonts.pdf_faces(text, faces)
    families = css_families(faces)
    sources = {
        b.family: fonts.pdf_faces(text, {"x": b})["x"].path for b in fonts._bundled().values()
    }
    sources.update({families[role]: f.path for role, f in faces.items()})
    rules = [
        f'@font-face {{ font-family: "{family}"; src: url("{path.as_uri()}"); }}'
        for family, path in sources.items()
    ]
    for role, selector in ROLE_RULES.items():
        generic = "sans-serif" if role == "heading" else "serif"
        spare = fonts.fallback(role).family
        # WeasyPrint's stylesheets are user style sheets: only !important wins over report.css
        rules.append(
            f'{selector} {{ font-family: "{families[role]}", "{spare}", {generic} !important; }}'
        )
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


def write_pdf(
    html_text: str, output: Path, draft: str = "", faces: dict[str, fonts.Font] | None = None
) -> Path:
    """Render the report HTML to an A4 PDF; ``draft`` (e.g. 征求意见稿) is marked on every page;
    ``faces``: each role's font (``fonts.resolve``; default: those of this machine)."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    logging.getLogger("fontTools").setLevel(logging.ERROR)
    logging.getLogger("weasyprint").addFilter(_no_harfbuzz_advice)
    warnings.filterwarnings("ignore", message="HarfBuzz-Subset", category=DeprecationWarning)
    font_config = FontConfiguration()  # @font-face only takes effect through a FontConfiguration
    visible = html.unescape(
        re.sub(r"<[^>]+>", "", re.sub(r"<style[^>]*>.*?</style>", "", html_text, flags=re.S))
    )
    text = visible + "— 0123456789" + draft
    rules = font_css(text, faces)
    if draft:
        rules += "\n" + draft_css(draft, css_families(fonts.pdf_faces(text, faces))["heading"])
    css = weasyprint.CSS(string=rules, font_config=font_config)
    doc = weasyprint.HTML(string=html_text, base_url=str(output.parent))
    doc.write_pdf(str(output), stylesheets=[css], font_config=font_config)
    return output
