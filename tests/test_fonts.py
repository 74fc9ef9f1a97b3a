"""The official GB/T 9704 fonts are found where offices keep them, and the PDF, the Word styles and
the build's record use them; without them, the pip-installed Noto faces serve every role.

The "official" files here are the fallback package's Noto faces cut to the common characters
(GB2312 level 1) and the test's text, saved under the official file names; some are also renamed inside (family and PostScript names), so the
PDF's embedded fonts and the Word styles show which file served which role."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from helpers.errors import LayoutError
from helpers.render import assemble, fonts, pdf, word
from helpers.render.document import Chapter

TEXT = "东莞市公安局2021年法治政府建设年度报告一、主要举措（一）加强领导。全年开展学习附件数据表口径来源编号指标正文写法上年变化行数征求意见稿—0123456789F"
# GB2312's 3755 level-1 characters (0xB0A1–0xD7F9; 0xD7FA–0xD7FE are undefined), which every
# face named in fonts.yaml must cover; the test fonts are cut to them and TEXT
LEVEL1 = "".join(
    c
    for hi in range(0xB0, 0xD8)
    for lo in range(0xA1, 0xFF)
    if "\ufffd" not in (c := bytes((hi, lo)).decode("gb2312", "replace"))
)
PARAMS = {"year": 2021, "organ": "东莞市公安局", "report_date": "2022-03-01", "notes": {}}

# role → (official file name, English family, Chinese family, PostScript name, Noto face)
OFFICIAL = {
    "title": ("FZXBSJW.TTF", "FZXiaoBiaoSong-B05S", "方正小标宋简体", "FZXBSJW--GB1-0", "sans"),
    "body": ("仿宋_GB2312.ttf", "FangSong_GB2312", "仿宋_GB2312", "FangSong_GB2312", "serif"),
    "heading": ("simhei.ttf", "SimHei", "黑体", "SimHei", "sans"),
    "lead": ("楷体_GB2312.ttf", "KaiTi_GB2312", "楷体_GB2312", "KaiTi_GB2312", "serif"),
}


def make_font(target: Path, face: str, names: tuple[str, str, str] | None = None) -> Path:
    """The Noto ``face`` cut to TEXT and LEVEL1, saved as ``target``; ``names`` (English family,
    Chinese family, PostScript name) replace the family names inside."""
    import io

    data = fonts._subset(str(fonts._bundled()[face].path), fonts._charset(TEXT + LEVEL1), None)
    font = TTFont(io.BytesIO(data))
    if names:
        english, chinese, postscript = names
        table = font["name"]
        table.names = [n for n in table.names if n.nameID not in (1, 2, 3, 4, 6, 16, 17)]
        for name_id, value in ((1, english), (2, "Regular"), (4, english), (6, postscript)):
            table.setName(value, name_id, 3, 1, 0x409)
        table.setName(chinese, 1, 3, 1, 0x804)
        font["CFF "].cff.fontNames = [postscript] if "CFF " in font else None
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(target))
    return target


@pytest.fixture(scope="module")
def windows(tmp_path_factory) -> Path:
    """A Windows folder whose Fonts hold the four official faces, renamed inside."""
    root = tmp_path_factory.mktemp("Windows")
    for file, english, chinese, postscript, face in OFFICIAL.values():
        make_font(root / "Fonts" / file, face, (english, chinese, postscript))
    return root


@pytest.fixture(scope="module")
def official(windows) -> dict[str, fonts.Font]:
    return fonts.resolve(
        fonts.FontSearch(None, fonts.font_folders({"WINDIR": str(windows)}), False)
    )


def nothing_installed() -> dict[str, fonts.Font]:
    return fonts.resolve(fonts.FontSearch(None, (), False))


def chapters() -> list[Chapter]:
    figure = {
        "id": "F001",
        "label": "数据",
        "display": "2021",
        "prior": 12,
        "change": 0.1,
        "unit": "",
        "source": "表",
        "definition": "口径",
        "rows": 3,
    }
    blocks = [
        {"kind": "heading", "level": 1, "text": "一、主要举措"},
        {
            "kind": "paragraph",
            "lead": "（一）加强领导。",
            "text": "全年开展学习。",
            "html": "全年开展学习。",
        },
    ]
    return [Chapter("safety", blocks=blocks, figures=[figure])]


def pdf_fonts(path: Path) -> set[str]:
    """The /BaseFont of every font on the PDF's pages, without the subset tag (ABCDEF+)."""
    names = set()
    for page in PdfReader(path).pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            names.add(re.sub(r"^/?[A-Z]{6}\+", "", str(ref.get_object()["/BaseFont"])))
    return names


def east_asian(style) -> str:
    return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_windows_fonts_folder_is_searched_by_file_name(tmp_path):
    # plain copies: the family inside is Noto's, the file name says which official face it is
    folder = tmp_path / "Windows" / "Fonts"
    make_font(folder / "fzxbsjw.ttf", "serif")  # Windows' file names differ in case
    make_font(folder / "SIMFANG.TTF", "serif")
    user = tmp_path / "AppData" / "Local" / "Microsoft" / "Windows" / "Fonts"
    make_font(user / "simhei.ttf", "sans")
    env = {"WINDIR": str(tmp_path / "Windows"), "LOCALAPPDATA": str(tmp_path / "AppData" / "Local")}
    found = fonts.resolve(fonts.FontSearch(None, fonts.font_folders(env), False))
    assert found["title"].path == folder / "fzxbsjw.ttf" and found["title"].source == "folder"
    assert found["body"].path == folder / "SIMFANG.TTF"
    assert (
        found["heading"].path == user / "simhei.ttf" and found["heading"].family == "Noto Sans SC"
    )
    assert found["lead"].fallback and found["lead"].describe()["fallback"] is True


def test_config_names_files_by_role(tmp_path, windows):
    shutil.copy(windows / "Fonts" / "仿宋_GB2312.ttf", tmp_path / "my-fangsong.ttf")
    config = tmp_path / "fonts.yaml"
    config.write_text(
        f"仿宋: my-fangsong.ttf\ntitle: {windows / 'Fonts' / 'FZXBSJW.TTF'}\n", encoding="utf-8"
    )
    found = fonts.resolve(fonts.FontSearch(config, (), False))
    assert found["body"].path == tmp_path / "my-fangsong.ttf"
    assert found["body"].source == "fonts.yaml" and found["body"].local == "仿宋_GB2312"
    assert found["title"].family == "FZXiaoBiaoSong-B05S"
    assert found["heading"].fallback


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("body: nowhere.ttf\n", "不存在"),
        ("正文字体: a.ttf\n", "不认识的角色"),
        ("body: random.ttf\n", "不是可用的字体文件"),
    ],
)
def test_config_errors_say_what_to_fix(tmp_path, text, fragment):
    (tmp_path / "fonts.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "random.ttf").write_bytes(bytes(range(256)) * 20)  # 5 kB named like a font
    with pytest.raises(LayoutError, match=fragment):
        fonts.read_config(tmp_path / "fonts.yaml")


def cut(target: Path, chars: str) -> Path:
    """The Noto serif face cut to exactly ``chars``, saved as ``target``."""
    target.write_bytes(fonts._subset(str(fonts._bundled()["serif"].path), chars, None))
    return target


def test_a_font_without_chinese_characters_is_refused_for_its_role(tmp_path):
    """Found by the tester: DejaVuSerif.ttf as body was recorded as used in manifest and Word,
    while the PDF set the text in Noto."""
    latin = cut(tmp_path / "Latin.ttf", "ABCabc0123")
    assert TTFont(str(latin)).getBestCmap()  # a real font, with glyphs, just no Chinese ones
    (tmp_path / "fonts.yaml").write_text("heading: Latin.ttf\n", encoding="utf-8")
    with pytest.raises(LayoutError) as err:
        fonts.resolve(fonts.FontSearch(tmp_path / "fonts.yaml", (), False))
    assert str(err.value).startswith(
        f"{tmp_path / 'fonts.yaml'} 第 1 行：heading（黑体）的字体文件 {latin} 没有中文字（汉字）"
    )
    assert err.value.fix.startswith("写 黑体 字体文件的路径")


def test_a_font_lacking_common_characters_is_refused_with_them_named(tmp_path):
    """More than 1% of GB2312's level-1 characters missing (38 of 3755) is refused."""
    lacking = LEVEL1[100:140]  # 40 characters
    partial = cut(tmp_path / "partial.ttf", LEVEL1.replace(lacking, "") + "ABC")
    (tmp_path / "fonts.yaml").write_text("title: ok.ttf\n仿宋: partial.ttf\n", encoding="utf-8")
    cut(tmp_path / "ok.ttf", LEVEL1.replace(LEVEL1[100:130], ""))  # 30 missing: within 1%
    with pytest.raises(LayoutError) as err:
        fonts.read_config(tmp_path / "fonts.yaml")
    assert (
        f"第 2 行：仿宋（仿宋_GB2312）的字体文件 {partial} 缺少 3755 个常用汉字（GB2312 一级汉字）"
        f"中的 40 个，如 {'、'.join(lacking[:8])}（" in str(err.value)
    )
    (tmp_path / "fonts.yaml").write_text("title: ok.ttf\n", encoding="utf-8")
    assert fonts.read_config(tmp_path / "fonts.yaml") == {"title": tmp_path / "ok.ttf"}


def test_a_font_cut_to_a_few_common_characters_is_refused(tmp_path):
    """Found by the tester (round 21): a face cut to 法治政府建设年度报告 (pyftsubset --text=…)
    had every character of the old sample and was used, the PDF mixing faces."""
    tiny = cut(tmp_path / "tiny.otf", "法治政府建设年度报告")
    assert len(LEVEL1) == 3755 and fonts.CHINESE_SAMPLE == LEVEL1
    (tmp_path / "fonts.yaml").write_text("heading: tiny.otf\n", encoding="utf-8")
    with pytest.raises(LayoutError) as err:
        fonts.resolve(fonts.FontSearch(tmp_path / "fonts.yaml", (), False))
    assert str(err.value).startswith(
        f"{tmp_path / 'fonts.yaml'} 第 1 行：heading（黑体）的字体文件 {tiny} 缺少 3755 个常用汉字"
        "（GB2312 一级汉字）中的 3745 个，如 啊、阿、埃、挨、哎、唉、哀、皑（"
    )


def test_the_pip_installed_noto_faces_pass_the_check_and_it_is_read_once(tmp_path):
    serif, sans = (fonts._bundled()[face].path for face in ("serif", "sans"))
    (tmp_path / "fonts.yaml").write_text(f"body: {serif}\nheading: {sans}\n", encoding="utf-8")
    assert fonts.read_config(tmp_path / "fonts.yaml") == {"body": serif, "heading": sans}
    assert fonts.missing_chinese(serif) == fonts.missing_chinese(sans) == ""
    copy = Path(shutil.copy(sans, tmp_path / "sans.otf"))
    fonts.missing_chinese(copy)
    hits = fonts._missing_chinese.cache_info().hits
    fonts.missing_chinese(copy)  # the same file, unchanged: its cmap is not read again
    assert fonts._missing_chinese.cache_info().hits == hits + 1
    cut(copy, "法治")  # the same path, another file: read again
    assert len(fonts.missing_chinese(copy)) == 3755 - 2


@pytest.mark.parametrize(
    ("value", "said", "example"),
    [
        ("['fonts/黑体.otf']", "一个列表 ['fonts/黑体.otf']", "body: fonts/黑体.otf"),
        ("\n  - fonts/黑体.otf", "一个列表 ['fonts/黑体.otf']", "body: fonts/黑体.otf"),
        ("{file: a.ttf}", "一组键值 {'file': 'a.ttf'}", "body: fonts/仿宋_GB2312.ttf"),
        ("", "空的", "body: fonts/仿宋_GB2312.ttf"),
    ],
)
def test_a_role_given_anything_but_one_path_is_told_to_write_one(tmp_path, value, said, example):
    """Found by the tester: a list was read as the path "['fonts/黑体.otf']", which 'did not
    exist'."""
    (tmp_path / "fonts.yaml").write_text(f"body: {value}\n", encoding="utf-8")
    with pytest.raises(LayoutError) as err:
        fonts.read_config(tmp_path / "fonts.yaml")
    assert str(err.value).startswith(
        f"{tmp_path / 'fonts.yaml'} 第 1 行：body（仿宋_GB2312）的值必须是一个字体文件的路径"
        f"（一段文字），这里是{said}。"
    )
    assert "不存在" not in str(err.value)
    assert err.value.fix.startswith(f"写成一行  {example}  （每个角色只用一个文件")


def test_fc_list_output_is_read_by_every_family_name():
    listed = "FangSong_GB2312,仿宋_GB2312\t/f/fs.ttf\nNoto Sans CJK SC,Noto Sans CJK SC Regular\t/f/n.ttc\n"
    found = fonts.parse_fc_list(listed)
    assert found["仿宋_GB2312"] == found["FangSong_GB2312"] == Path("/f/fs.ttf")
    assert found["Noto Sans CJK SC"] == Path("/f/n.ttc")


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="no fontconfig here")
def test_fontconfig_finds_official_faces_by_family_name(tmp_path, monkeypatch):
    # file names say nothing: only the family names inside identify the faces
    make_font(
        tmp_path / "fonts" / "a.otf", "serif", ("FangSong_GB2312", "仿宋_GB2312", "FangSong_GB2312")
    )
    make_font(tmp_path / "fonts" / "b.otf", "sans", ("SimHei", "黑体", "SimHei"))
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        f'<?xml version="1.0"?><fontconfig><dir>{tmp_path / "fonts"}</dir>'
        f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>",
        encoding="utf-8",
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    subprocess.run(["fc-cache", str(tmp_path / "fonts")], capture_output=True, check=False)
    found = fonts.resolve(fonts.FontSearch(None, (), True))
    assert (
        found["body"].source == "fontconfig" and found["body"].path == tmp_path / "fonts" / "a.otf"
    )
    assert found["body"].family == "仿宋_GB2312"
    assert found["heading"].path == tmp_path / "fonts" / "b.otf"
    assert found["title"].fallback and found["lead"].fallback


def fonts_of_text(path: Path) -> dict[str, str]:
    """Each piece of text on the first page with the /BaseFont it is set in (subset tag dropped)."""
    out = {}

    def visit(text, cm, tm, font, size):
        if text.strip() and font:
            out[text.strip()] = re.sub(r"^/?[A-Z]{6}\+", "", str(font["/BaseFont"]))

    PdfReader(path).pages[0].extract_text(visitor_text=visit)
    return out


def font_of(placed: dict[str, str], fragment: str) -> str:
    return next(font for text, font in placed.items() if fragment in text)


def test_pdf_sets_every_role_in_its_official_face(tmp_path, official):
    # WeasyPrint names an embedded font by the family it was asked for: the file's own family
    page = assemble.report_html(chapters(), PARAMS, screen=False, missing=[{"x": 1}])
    out = pdf.write_pdf(page, tmp_path / "report.pdf", draft="征求意见稿", faces=official)
    placed = fonts_of_text(out)
    assert font_of(placed, "法治政府建设年度报告").startswith("FZXiaoBiaoSong-B05S")
    assert font_of(placed, "一、主要举措") == "SimHei"
    assert font_of(placed, "（一）加强领导") == "KaiTi_GB2312"
    assert font_of(placed, "全年开展学习") == "FangSong_GB2312"
    assert font_of(placed, "征求意见稿") == "SimHei"


def test_pdf_without_official_fonts_embeds_noto(tmp_path):
    page = assemble.report_html(chapters(), PARAMS, screen=False)
    out = pdf.write_pdf(page, tmp_path / "r.pdf", faces=nothing_installed())
    assert pdf_fonts(out) <= {
        "Noto-Serif-SC",
        "Noto-Serif-SC-Bold",
        "Noto-Sans-SC",
        "Noto-Sans-SC-Bold",
    }
    placed = fonts_of_text(out)
    assert font_of(placed, "一、主要举措") == "Noto-Sans-SC"
    assert font_of(placed, "全年开展学习") == font_of(placed, "（一）加强领导") == "Noto-Serif-SC"


def test_word_styles_name_the_official_faces(tmp_path, official):
    out = word.write_docx(chapters(), PARAMS, tmp_path / "report.docx", faces=official)
    styles = Document(out).styles
    assert east_asian(styles["Title"]) == "方正小标宋简体"
    assert east_asian(styles["Normal"]) == "仿宋_GB2312"
    assert styles["Normal"].font.name == "FangSong_GB2312"
    assert east_asian(styles["Heading 1"]) == "黑体"
    assert east_asian(styles[word.LEAD_STYLE]) == "楷体_GB2312"


def test_word_styles_without_official_fonts_name_windows_faces(tmp_path):
    out = word.write_docx(chapters(), PARAMS, tmp_path / "report.docx", faces=nothing_installed())
    styles = Document(out).styles
    assert [east_asian(styles[s]) for s in ("Title", "Normal", "Heading 1", word.LEAD_STYLE)] == [
        "宋体",
        "仿宋",
        "黑体",
        "楷体",
    ]


def test_charts_use_the_official_heiti(official):
    import matplotlib

    families = fonts.register_with_matplotlib(official)
    assert families[0] == "SimHei" and "Noto Sans SC" in families
    matplotlib.rcParams["font.family"] = families  # what charts.use_style sets
