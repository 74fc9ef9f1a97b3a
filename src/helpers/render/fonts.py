"""Chinese fonts for charts, PDF and Word: the official GB/T 9704 faces when the machine has them,
else pip-installed Noto.

GB/T 9704 names four faces, one per role: 方正小标宋简体 (``title``), 仿宋_GB2312 (``body``), 黑体
(``heading``: 一、 headings, charts, the annex) and 楷体_GB2312 (``lead``: the （一） lead
sentences). Each role's font is looked for, in this order:

1. ``fonts.yaml`` in the workspace folder (role → font file; relative paths from that folder),
   taken as given: a file named there is used whatever its family name;
2. the Windows font folders (``%WINDIR%\\Fonts``, ``%LOCALAPPDATA%\\Microsoft\\Windows\\Fonts``)
   and the usual font folders of Linux and macOS, by the official faces' **file names**
   (``FZXBSJW.TTF``, ``仿宋_GB2312.ttf``, ``simhei.ttf`` … see ``FILES``);
3. fontconfig (``fc-list``, where it exists; else matplotlib's list of system fonts) by
   **family name** (``FangSong_GB2312``, ``仿宋_GB2312``, ``SimHei`` … see ``FAMILIES``);
4. the fallback ``pylopdf-fonts-zh-cn`` (Noto Serif SC and Noto Sans SC, SIL OFL, 17 MB), so a
   machine with only Python and pip still renders every character.

``resolve`` returns the font of every role with where it came from; the build logs it and
writes it into ``manifest.json`` (``fonts``).
"""

from __future__ import annotations

import functools
import logging
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

ROLES = ("title", "body", "heading", "lead")
OFFICIAL = {
    "title": "方正小标宋简体",
    "body": "仿宋_GB2312",
    "heading": "黑体",
    "lead": "楷体_GB2312",
}
CONFIG_FILE = "fonts.yaml"
# fonts.yaml may name a role in Chinese too
ROLE_ALIASES = {
    "小标宋": "title",
    "标题": "title",
    "仿宋": "body",
    "正文": "body",
    "黑体": "heading",
    "一级标题": "heading",
    "楷体": "lead",
    "二级标题": "lead",
}

# file names of the official faces, best first, compared without case. simfang/simkai are
# Windows' 仿宋/楷体 (the GB2312 editions of Windows XP had the same file names); simsun and
# STZHONGS stand in for 小标宋 where 方正 is not installed, as offices commonly do.
FILES: dict[str, tuple[str, ...]] = {
    "title": (
        "FZXBSJW.TTF",
        "方正小标宋简体.ttf",
        "方正小标宋_GBK.ttf",
        "FZXBSK.TTF",
        "STZHONGS.TTF",
        "simsun.ttc",
    ),
    "body": (
        "仿宋_GB2312.ttf",
        "FangSong_GB2312.ttf",
        "FS_GB2312.ttf",
        "simfang.ttf",
        "仿宋.ttf",
    ),
    "heading": ("simhei.ttf", "黑体.ttf"),
    "lead": (
        "楷体_GB2312.ttf",
        "KaiTi_GB2312.ttf",
        "KT_GB2312.ttf",
        "simkai.ttf",
        "楷体.ttf",
    ),
}

# family names looked for in fontconfig's (or matplotlib's) list, best first
FAMILIES: dict[str, tuple[str, ...]] = {
    "title": (
        "方正小标宋简体",
        "FZXiaoBiaoSong-B05S",
        "方正小标宋_GBK",
        "FZXiaoBiaoSong-B05",
        "SimSun",
        "Songti SC",
        "STSong",
        "Noto Serif CJK SC",
        "Source Han Serif SC",
    ),
    "body": (
        "仿宋_GB2312",
        "FangSong_GB2312",
        "FangSong",
        "STFangsong",
        "Noto Serif CJK SC",
        "Source Han Serif SC",
    ),
    "heading": (
        "SimHei",
        "Heiti SC",
        "PingFang SC",
        "STHeiti",
        "Noto Sans CJK SC",
        "Source Han Sans SC",
    ),
    "lead": (
        "楷体_GB2312",
        "KaiTi_GB2312",
        "KaiTi",
        "STKaiti",
        "LXGW WenKai",
        "Noto Serif CJK SC",
    ),
}


@dataclass(frozen=True)
class Font:
    """A font file, the family name to ask for it by, and where it was found.

    ``source``: ``fonts.yaml``, ``folder`` (by file name), ``fontconfig`` (by family name) or
    ``fallback`` (the pip-installed Noto face). ``local`` is the family's Chinese name where the
    file has one (what Word shows and matches on in w:eastAsia), else ``family``."""

    family: str
    path: Path
    bundled: bool
    source: str = "fallback"
    local: str = ""

    @property
    def fallback(self) -> bool:
        return self.source == "fallback"

    def describe(self) -> dict:
        """The role's entry in manifest.json."""
        return {
            "family": self.family,
            "file": str(self.path),
            "source": self.source,
            "fallback": self.fallback,
        }

    def identity(self) -> str:
        """What a result drawn with this font depends on: the file and its version."""
        try:
            st = self.path.stat()
            return f"{self.family}|{self.path}|{st.st_size}|{st.st_mtime_ns}"
        except OSError:
            return f"{self.family}|{self.path}"


@dataclass(frozen=True)
class FontSearch:
    """Where to look: the workspace's ``fonts.yaml``, folders searched by file name, fontconfig."""

    config: Path | None = None
    folders: tuple[Path, ...] = ()
    fontconfig: bool = True

    @classmethod
    def default(cls, workspace_root: Path | str | None = None) -> FontSearch:
        """The workspace's fonts.yaml (if any), the Windows and usual font folders, fontconfig."""
        from helpers.workspace import Workspace

        config = Workspace.at(workspace_root).fonts
        return cls(config if config.exists() else None, font_folders(), True)


def font_folders(env: dict | None = None) -> tuple[Path, ...]:
    """The folders searched by file name: Windows' (system and per-user), then Linux and macOS'."""
    env = os.environ if env is None else env
    home = Path.home()
    found = []
    windir = (
        env.get("WINDIR") or env.get("SystemRoot") or (r"C:\Windows" if os.name == "nt" else "")
    )
    if windir:
        found.append(Path(windir) / "Fonts")
    if env.get("LOCALAPPDATA"):
        found.append(Path(env["LOCALAPPDATA"]) / "Microsoft" / "Windows" / "Fonts")
    found += [
        home / ".fonts",
        home / ".local" / "share" / "fonts",
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / "Library" / "Fonts",
        Path("/Library/Fonts"),
        Path("/System/Library/Fonts"),
    ]
    return tuple(found)


@functools.cache
def _bundled() -> dict[str, Font]:
    import pylopdf_fonts_zh_cn as noto

    return {
        "serif": Font("Noto Serif SC", Path(noto.serif_path()), True),
        "sans": Font("Noto Sans SC", Path(noto.sans_path()), True),
    }


def fallback(role: str) -> Font:
    """The pip-installed face of a role: Noto Sans SC for 黑体, Noto Serif SC for the others."""
    return _bundled()["sans" if role == "heading" else "serif"]


def family_names(path: Path) -> tuple[str, str]:
    """(English family name, Chinese family name or the English one) from the font's name table;
    for a collection (.ttc), of its first font."""
    from fontTools.ttLib import TTFont

    with TTFont(str(path), fontNumber=0, lazy=True) as font:
        names = font["name"]
        english = names.getName(1, 3, 1, 0x409) or names.getName(1, 1, 0, 0)
        chinese = names.getName(1, 3, 1, 0x804)
        english = str(english) if english else (str(chinese) if chinese else path.stem)
        return english, str(chinese) if chinese else english


def _gb2312_level1() -> str:
    """The 3755 characters of GB2312's level 1 (一级汉字, the common ones): the byte pairs
    0xB0A1–0xD7F9 decoded as GB2312, without the undefined ones (0xD7FA–0xD7FE)."""
    out = []
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            try:
                out.append(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return "".join(out)


# the common characters every Chinese face of the report must draw: a file without them (DejaVu,
# a Latin or Japanese face, a face cut to a few characters) would be recorded as the role's font
# while the PDF set the characters it lacks in Noto
CHINESE_SAMPLE = _gb2312_level1()
# the share of them a face may lack (a face of the 6763 GB2312 characters lacks none)
MISSING_ALLOWED = 0.01


def missing_chinese(path: Path) -> str:
    """The characters of ``CHINESE_SAMPLE`` (GB2312 level 1) the font's cmap lacks ('' when it
    has them all); for a collection (.ttc), of its first font, as ``family_names``."""
    st = path.stat()
    return _missing_chinese(str(path), st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=64)
def _missing_chinese(path: str, mtime_ns: int, size: int) -> str:
    """``missing_chinese`` once per file version (reading a Noto face's cmap takes ~0.1 s)."""
    from fontTools.ttLib import TTFont

    with TTFont(path, fontNumber=0, lazy=True) as font:
        cmap = font.getBestCmap() or {}
    return "".join(c for c in CHINESE_SAMPLE if ord(c) not in cmap)


def _from_file(path: Path, source: str) -> Font:
    family, local = family_names(path)
    return Font(family, path, False, source, local)


def read_config(path: Path) -> dict[str, Path]:
    """``fonts.yaml``: role → font file (title/body/heading/lead, or 小标宋/仿宋/黑体/楷体). A file
    named there that does not exist, or an unknown role, stops the build with the fix."""
    from helpers.errors import LayoutError
    from helpers.inputs.yamlfile import parse_yaml, read_text

    data = parse_yaml(read_text(path, "字体设置", LayoutError), path, LayoutError) or {}
    if not isinstance(data, dict):
        raise LayoutError(
            f"{path} 应当每行写一个角色和它的字体文件，例如 `body: C:/Windows/Fonts/仿宋_GB2312.ttf`。",
            fix="每行写一个角色：title（小标宋）、body（仿宋）、heading（黑体）、lead（楷体）",
        )
    out = {}
    for key, value in data.items():
        role = ROLE_ALIASES.get(str(key), str(key))
        line = getattr(key, "line", 0)
        where = f"{path} 第 {line} 行" if line else str(path)
        if role not in ROLES:
            raise LayoutError(
                f"{where}：不认识的角色 {key!r}。",
                fix="角色写 title（小标宋）、body（仿宋）、heading（黑体）或 lead（楷体）",
            )
        if not isinstance(value, str) or not value.strip():
            raise LayoutError(
                f"{where}：{key}（{OFFICIAL[role]}）的值必须是一个字体文件的路径（一段文字），"
                f"这里是{_what(value)}。",
                fix=f"写成一行  {key}: {_example(value, role)}  （每个角色只用一个文件，"
                "不要写成列表或再分层）；或删去这一行，改用本机找到的字体",
            )
        file = Path(value.strip()).expanduser()
        file = file if file.is_absolute() else path.parent / file
        if not file.is_file():
            raise LayoutError(
                f"{where}：{key}（{OFFICIAL[role]}）的字体文件 {file} 不存在。",
                fix="改正路径，或删去这一行，改用本机找到的字体",
            )
        try:
            family_names(file)
            missing = missing_chinese(file)
        except Exception as exc:  # fontTools: not a TrueType/OpenType font, or a damaged one
            raise LayoutError(
                f"{where}：{key}（{OFFICIAL[role]}）的文件 {file} 不是可用的字体文件（{exc}）。",
                fix="写 .ttf、.otf 或 .ttc 字体文件的路径（可从 C:/Windows/Fonts 复制），或删去这一行",
            ) from None
        if len(missing) > len(CHINESE_SAMPLE) * MISSING_ALLOWED:
            said = (
                "没有中文字（汉字），PDF 中的汉字"
                if missing == CHINESE_SAMPLE
                else f"缺少 {len(CHINESE_SAMPLE)} 个常用汉字（GB2312 一级汉字）中的 {len(missing)} 个，"
                f"如 {'、'.join(missing[:8])}（是只含部分汉字的子集字体，或繁体、日文字体？），"
                "PDF 中这些字"
            )
            raise LayoutError(
                f"{where}：{key}（{OFFICIAL[role]}）的字体文件 {file} {said}会改用别的字体，"
                "而 manifest.json 和 Word 中记下的却是这个文件。",
                fix=f"写 {OFFICIAL[role]} 字体文件的路径（可从 C:/Windows/Fonts 复制），"
                "或删去这一行，改用本机找到的字体",
            )
        out[role] = file
    return out


def _what(value: object) -> str:
    """What a value of fonts.yaml that is not one path is, in words."""
    if isinstance(value, list):
        return f"一个列表 {value!r}"
    if isinstance(value, dict):
        return f"一组键值 {value!r}"
    if value is None or (isinstance(value, str) and not value.strip()):
        return "空的"
    return f"{value!r}（不是文字）"


def _example(value: object, role: str) -> str:
    """The path to suggest: the list's first text item where there is one."""
    first = (
        next((v for v in value if isinstance(v, str)), None) if isinstance(value, list) else None
    )
    return first or f"fonts/{OFFICIAL[role]}.ttf"


def _folder_index(folders: tuple[Path, ...]) -> dict[str, Path]:
    """Font files in the folders by lower-case file name; the first folder holding a name wins."""
    index: dict[str, Path] = {}
    for folder in folders:
        try:
            if not folder.is_dir():
                continue
            for dirpath, _, files in os.walk(folder):
                for name in files:
                    if name.lower().endswith((".ttf", ".otf", ".ttc")):
                        index.setdefault(name.lower(), Path(dirpath) / name)
        except OSError:
            continue
    return index


def fc_list() -> dict[str, Path]:
    """Family name → file of every font fontconfig knows ({} where there is no ``fc-list``).
    A font listed under several names (``FangSong_GB2312,仿宋_GB2312``) is found by each."""
    exe = shutil.which("fc-list")
    if not exe:
        return {}
    try:
        out = subprocess.run(
            [exe, "--format", "%{family}\t%{file}\n"],
            capture_output=True,
            timeout=20,
            check=False,
        ).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.SubprocessError):
        return {}
    return parse_fc_list(out)


def parse_fc_list(text: str) -> dict[str, Path]:
    """``fc-list --format '%{family}\\t%{file}\\n'`` output as family → file."""
    found: dict[str, Path] = {}
    for line in text.splitlines():
        families, _, file = line.partition("\t")
        if not file:
            continue
        for family in families.split(","):
            found.setdefault(family.strip().replace("\\-", "-"), Path(file.strip()))
    return found


def _matplotlib_families() -> dict[str, Path]:
    from matplotlib import font_manager

    return {f.name: Path(f.fname) for f in font_manager.fontManager.ttflist}


@functools.cache
def resolve(search: FontSearch | None = None) -> dict[str, Font]:
    """The font of every role (see the module's docstring for the order of the search)."""
    search = search or FontSearch.default()
    config = read_config(search.config) if search.config else {}
    index = _folder_index(search.folders)
    families: dict[str, Path] | None = None
    out = {}
    for role in ROLES:
        if role in config:
            out[role] = _from_file(config[role], CONFIG_FILE)
            continue
        hit = next((index[n.lower()] for n in FILES[role] if n.lower() in index), None)
        if hit is not None:
            out[role] = _from_file(hit, "folder")
            continue
        if search.fontconfig:
            if families is None:
                families = fc_list() if shutil.which("fc-list") else _matplotlib_families()
            name = next((n for n in FAMILIES[role] if n in families), None)
            if name is not None:
                _, local = family_names(families[name])
                out[role] = Font(name, families[name], False, "fontconfig", local)
                continue
        out[role] = fallback(role)
    for role, f in out.items():
        log.info("%s（%s）所用字体：%s，%s（%s）", role, OFFICIAL[role], f.family, f.path, f.source)
    return out


_workspace_root: Path | None = None


def use_workspace(root: Path | str | None) -> None:
    """Look for fonts.yaml in this workspace from now on (a chapter's kernel, for its charts)."""
    global _workspace_root
    _workspace_root = Path(root) if root else None


def current() -> dict[str, Font]:
    """The fonts of the workspace this process works for."""
    return resolve(FontSearch.default(_workspace_root))


def register_with_matplotlib(faces: dict[str, Font] | None = None) -> list[str]:
    """Make the chart fonts known to matplotlib; returns the family list for charts: 黑体 first,
    then 小标宋, then the pip-installed faces for any character those lack."""
    from matplotlib import font_manager

    faces = faces or current()
    known = {x.fname for x in font_manager.fontManager.ttflist}
    wanted = [faces["heading"], faces["title"], *_bundled().values()]
    names = []
    for f in wanted:
        if str(f.path) not in known:
            font_manager.fontManager.addfont(str(f.path))
            known.add(str(f.path))
        name = font_manager.FontProperties(fname=str(f.path)).get_name()
        if name not in names:
            names.append(name)
    return names


def chart_identity(faces: dict[str, Font]) -> str:
    """What a chart's pixels depend on among the fonts (part of a chapter's rebuild key)."""
    return "\n".join(faces[r].identity() for r in ("heading", "title"))


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
    st = face.path.stat()
    key = cache.text_digest(
        face.family, str(face.path), str(st.st_size), str(st.st_mtime_ns), chars, flavor or "otf"
    )
    target = paths.cache_dir() / "fonts" / f"{face.family.replace(' ', '')}-{key}.{flavor or 'otf'}"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
        tmp.write_bytes(_subset(str(face.path), chars, flavor))
        tmp.replace(target)
    return target


def pdf_faces(text: str, faces: dict[str, Font] | None = None) -> dict[str, Font]:
    """Each role's font for the PDF, cut by HarfBuzz to the characters of ``text`` and cached, so
    WeasyPrint subsets a small font instead of a 3–12 MB one."""
    faces = faces or current()
    return {
        role: Font(f.family, subset_file(f, text), f.bundled, f.source, f.local)
        for role, f in faces.items()
    }


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
