"""report.html → report.pdf with WeasyPrint, using the Chinese fonts found by ``fonts``."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

from . import fonts

log = logging.getLogger(__name__)


def font_css() -> str:
    """@font-face rules that give every role's family a real file, so no glyph is missing."""
    rules, seen = [], set()
    for role in ("song", "fangsong", "hei", "kai"):
        f = fonts.font(role)
        if f.family in seen:
            continue
        seen.add(f.family)
        rules.append(f'@font-face {{ font-family: "{f.family}"; src: url("{f.path.as_uri()}"); }}')
    body = fonts.font("fangsong").family
    rules.append(f'body {{ font-family: "{body}", serif; }}')
    rules.append(f'h1.title {{ font-family: "{fonts.font("song").family}", serif; }}')
    rules.append(f'h2.h1 {{ font-family: "{fonts.font("hei").family}", sans-serif; }}')
    rules.append(f'span.lead {{ font-family: "{fonts.font("kai").family}", serif; }}')
    rules.append(f'.annex {{ font-family: "{fonts.font("hei").family}", sans-serif; }}')
    return "\n".join(rules)


def _no_harfbuzz_advice(record: logging.LogRecord) -> bool:
    """Drop WeasyPrint's advice to apt-install HarfBuzz-Subset: users cannot, and fontTools works."""
    return "HarfBuzz-Subset" not in record.getMessage()


def write_pdf(html_text: str, output: Path) -> Path:
    """Render the report HTML to an A4 PDF."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    logging.getLogger("fontTools").setLevel(logging.ERROR)
    logging.getLogger("weasyprint").addFilter(_no_harfbuzz_advice)
    warnings.filterwarnings("ignore", message="HarfBuzz-Subset", category=DeprecationWarning)
    font_config = FontConfiguration()  # @font-face only takes effect through a FontConfiguration
    css = weasyprint.CSS(string=font_css(), font_config=font_config)
    doc = weasyprint.HTML(string=html_text, base_url=str(output.parent))
    doc.write_pdf(str(output), stylesheets=[css], font_config=font_config)
    return output
