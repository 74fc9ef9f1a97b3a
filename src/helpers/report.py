"""What a chapter notebook shows: official text blocks, charts, tables and its recorded figures.

Each output carries a machine-readable part (a ``application/vnd.lawreport.*+json`` MIME type)
that the assembly reads from the executed notebook, and an HTML part that JupyterLab and the
chapter HTML show. This replaces scrapbook, which no longer installs cleanly.
"""

from __future__ import annotations

import base64
import html
import io
import string
from collections.abc import Iterable, Mapping

import pandas as pd
from IPython.display import display

from .figures import Figure
from .fmt import ordinal

MIME_BLOCK = "application/vnd.lawreport.block+json"
MIME_FIGURES = "application/vnd.lawreport.figures+json"


def _show(block: dict, html_part: str, text_part: str, extra: dict | None = None) -> None:
    bundle = {MIME_BLOCK: block, "text/html": html_part, "text/plain": text_part}
    bundle.update(extra or {})
    display(bundle, raw=True)


class _Slots(Mapping):
    """Figures by id for ``str.format_map``; in HTML each figure carries its provenance."""

    def __init__(self, figures: Mapping[str, object], as_html: bool):
        self.figures, self.as_html = figures, as_html

    def __getitem__(self, key):
        value = self.figures[key]
        if not self.as_html:
            return value
        if isinstance(value, Figure):
            tip = f"{value.label}：{value.definition}。来源：{value.source}，{value.rows}行"
            tip = html.escape(tip)
            return _Raw(
                f'<span class="fig" tabindex="0" data-fig="{html.escape(value.id)}" title="{tip}" data-tip="{tip}">'
                f"{html.escape(value.display)}</span>"
            )
        return _Raw(html.escape(str(value)))

    def __iter__(self):
        return iter(self.figures)

    def __len__(self):
        return len(self.figures)


class _Raw(str):
    def __format__(self, spec):
        return str(self)


def render(template: str, values: Mapping[str, object] | None = None, as_html: bool = False) -> str:
    """Fill ``{name}`` slots of a sentence with figures or words; HTML-escapes everything else."""
    values = values or {}
    missing = [f for _, f, _, _ in string.Formatter().parse(template) if f and f not in values]
    if missing:
        raise KeyError(
            f"the text names {missing}, which were not computed; computed: {sorted(values)}"
        )
    if as_html:
        template = html.escape(template, quote=False)
    return template.format_map(_Slots(values, as_html))


def heading(text: str, level: int = 1) -> None:
    """A heading of the official text: level 1 is 一、…, level 2 is （一）…."""
    _show(
        {"kind": "heading", "level": level, "text": text},
        f"<h{level + 1}>{html.escape(text)}</h{level + 1}>",
        text,
    )


def paragraph(
    template: str, values: Mapping[str, object] | None = None, lead: str | None = None
) -> None:
    """A paragraph of the official text; ``lead`` is an inline level-2 heading such as （五）…。"""
    text, body = render(template, values), render(template, values, as_html=True)
    lead_html = f'<span class="lead">{html.escape(lead)}</span>' if lead else ""
    ids = [
        f
        for _, f, _, _ in string.Formatter().parse(template)
        if f and isinstance((values or {}).get(f), Figure)
    ]
    _show(
        {"kind": "paragraph", "lead": lead or "", "text": text, "html": body, "figures": ids},
        f'<p class="body">{lead_html}{body}</p>',
        (lead or "") + text,
    )


def slots(template: str) -> list[str]:
    """Names of the ``{slots}`` a template uses."""
    return [f for _, f, _, _ in string.Formatter().parse(template) if f]


def narrate(section: Mapping, values: Mapping[str, object]) -> list[str]:
    """Render a chapter's narrative: heading, then one paragraph of lead + intro + 一是…二是… + closing
    (or several ``paragraphs``). A part whose slots were not computed (its tables are missing) is left
    out with a visible note; returns the slots that were missing."""
    fmt_values = dict(values)
    missing: list[str] = []

    def usable(template: str) -> bool:
        lacking = [s for s in slots(template) if s not in fmt_values]
        missing.extend(lacking)
        return not lacking

    if section.get("heading") and usable(section["heading"]):
        heading(render(section["heading"], fmt_values), 1)
    lead = (
        render(section["lead"], fmt_values)
        if section.get("lead") and usable(section["lead"])
        else None
    )
    if "paragraphs" in section:
        for i, template in enumerate(section["paragraphs"]):
            if usable(template):
                paragraph(template, fmt_values, lead=lead if i == 0 else None)
    else:
        parts = [section["intro"]] if section.get("intro") and usable(section["intro"]) else []
        items = [t for t in section.get("items", []) if usable(t)]
        parts += [f"{ordinal(i)}是{t}" for i, t in enumerate(items, 1)]
        if section.get("closing") and usable(section["closing"]):
            parts.append(section["closing"])
        if parts or lead:
            paragraph("".join(parts), fmt_values, lead=lead)
    if missing:
        note(
            "本节部分内容所需的数据表缺失，相关文字已略去（缺少："
            + "、".join(dict.fromkeys(missing))
            + "）。"
        )
    return missing


def note(text: str) -> None:
    """A visible note to the reader (e.g. a section left out for missing tables)."""
    _show({"kind": "note", "text": text}, f'<p class="note">{html.escape(text)}</p>', text)


def chart(fig, caption: str) -> None:
    """A matplotlib chart with its caption, embedded as PNG."""
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=150, bbox_inches="tight")
    plt.close(fig)
    png = base64.b64encode(buf.getvalue()).decode("ascii")
    _show(
        {"kind": "chart", "caption": caption},
        f'<figure><img src="data:image/png;base64,{png}" alt="{html.escape(caption)}"/>'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>",
        caption,
        {"image/png": png},
    )


def table(frame: pd.DataFrame, caption: str) -> None:
    """A small table (catalog extracts, rankings) with its caption."""
    cells = frame.astype(str).values.tolist()
    _show(
        {
            "kind": "table",
            "caption": caption,
            "columns": [str(c) for c in frame.columns],
            "rows": cells,
        },
        f"<figure><figcaption>{html.escape(caption)}</figcaption>{frame.to_html(index=False, escape=True)}</figure>",
        caption,
    )


def record(figures: Mapping[str, Figure] | Iterable[Figure]) -> None:
    """Record the chapter's figures for ``metrics.csv``; shows them as a table."""
    figs = list(figures.values()) if isinstance(figures, Mapping) else list(figures)
    rows = [f.to_dict() for f in figs]
    frame = pd.DataFrame(rows, columns=["id", "label", "display", "prior", "source", "rows"])
    display(
        {
            MIME_FIGURES: rows,
            "text/html": f'<details class="figures"><summary>本章数据（{len(rows)}项）</summary>'
            f"{frame.to_html(index=False, escape=True)}</details>",
            "text/plain": f"{len(rows)} figures recorded",
        },
        raw=True,
    )
