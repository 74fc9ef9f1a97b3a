"""Chinese fonts for charts and PDF: the system's own when present, else pip-installed Noto.

Roles follow GB/T 9704: 宋 (title, 小标宋 substitute), 仿宋 (body), 黑 (level-1 headings),
楷 (level-2 headings). The fallback is ``pylopdf-fonts-zh-cn`` (Noto Serif SC and Noto Sans SC,
SIL OFL, 17 MB), so a machine with only Python and pip still renders every character.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

# family names looked for, best first (Windows, macOS, Linux)
CANDIDATES: dict[str, tuple[str, ...]] = {
    "song": (
        "SimSun",
        "Songti SC",
        "STSong",
        "Noto Serif CJK SC",
        "Source Han Serif SC",
        "Noto Serif SC",
    ),
    "fangsong": (
        "FangSong",
        "FangSong_GB2312",
        "STFangsong",
        "Noto Serif CJK SC",
        "Source Han Serif SC",
        "Noto Serif SC",
    ),
    "hei": (
        "SimHei",
        "Heiti SC",
        "PingFang SC",
        "STHeiti",
        "Noto Sans CJK SC",
        "Source Han Sans SC",
        "Noto Sans SC",
    ),
    "kai": (
        "KaiTi",
        "KaiTi_GB2312",
        "STKaiti",
        "LXGW WenKai",
        "Noto Serif CJK SC",
        "Noto Serif SC",
    ),
}


@dataclass(frozen=True)
class Font:
    """A font file and the family name to ask for it by."""

    family: str
    path: Path
    bundled: bool


@functools.cache
def _bundled() -> dict[str, Font]:
    import pylopdf_fonts_zh_cn as noto

    return {
        "serif": Font("Noto Serif SC", Path(noto.serif_path()), True),
        "sans": Font("Noto Sans SC", Path(noto.sans_path()), True),
    }


@functools.cache
def _system() -> dict[str, Path]:
    from matplotlib import font_manager

    return {f.name: Path(f.fname) for f in font_manager.fontManager.ttflist}


def font(role: str) -> Font:
    """The font for a role: the first installed candidate, else the bundled Noto face."""
    system = _system()
    for family in CANDIDATES[role]:
        if family in system:
            return Font(family, system[family], False)
    return _bundled()["sans" if role == "hei" else "serif"]


def register_with_matplotlib() -> list[str]:
    """Make the bundled fonts known to matplotlib; returns the family list for charts (黑体 first)."""
    from matplotlib import font_manager

    for f in _bundled().values():
        if f.family not in {x.name for x in font_manager.fontManager.ttflist}:
            font_manager.fontManager.addfont(str(f.path))
    return [font("hei").family, font("song").family]


def preload() -> None:
    """Import the subsetter and find the bundled faces (a build does this while chapters run)."""
    import uharfbuzz  # noqa: F401
    from fontTools.ttLib import TTFont  # noqa: F401

    _bundled()


def _charset(text: str) -> str:
    return "".join(sorted(set(text) | set("0123456789—年月日、，。：；（）“”《》%")))


def subset_css(text: str) -> str:
    """@font-face rules with the bundled Noto faces cut down to the characters of ``text``,
    as WOFF data URIs: the HTML shows every character even where no Chinese font is installed,
    and stays self-contained. System fonts named earlier in the CSS still win where present."""
    import base64

    chars = _charset(text)
    rules = []
    for face in _bundled().values():
        data = subset_file(face, chars, "woff").read_bytes()
        rules.append(
            f'@font-face {{ font-family: "{face.family}"; '
            f'src: url(data:font/woff;base64,{base64.b64encode(data).decode("ascii")}) format("woff"); }}'
        )
    return "\n".join(rules)


def subset_file(face: Font, text: str, flavor: str | None = None) -> Path:
    """A subset of ``face`` covering ``text``, cached in .cache/fonts by face and character set.

    A build whose text has not changed reuses the file, and WeasyPrint then subsets a small
    font instead of the 8–12 MB Noto file.
    """
    from helpers import paths
    from helpers.data import cache

    chars = _charset(text)
    key = cache.text_digest(face.family, str(face.path.stat().st_size), chars, flavor or "otf")
    target = paths.cache_dir() / "fonts" / f"{face.family.replace(' ', '')}-{key}.{flavor or 'otf'}"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        tmp.write_bytes(_subset(str(face.path), chars, flavor))
        tmp.replace(target)
    return target


def pdf_faces(text: str) -> dict[str, Font]:
    """Each role's font for the PDF; bundled faces are replaced by cached subsets for ``text``."""
    out = {}
    for role in CANDIDATES:
        f = font(role)
        out[role] = Font(f.family, subset_file(f, text), True) if f.bundled else f
    return out


def _subset(path: str, chars: str, flavor: str | None) -> bytes:
    """HarfBuzz's subsetter (milliseconds, where fontTools takes most of a second on these CFF
    faces); fontTools only wraps the result as WOFF."""
    import io

    import uharfbuzz as hb
    from fontTools.ttLib import TTFont

    request = hb.SubsetInput()
    request.unicode_set.update(ord(c) for c in chars)
    data = hb.subset(hb.Face(hb.Blob.from_file_path(path)), request).blob.data
    if flavor is None:
        return bytes(data)
    font = TTFont(io.BytesIO(bytes(data)))
    font.flavor = flavor
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()
