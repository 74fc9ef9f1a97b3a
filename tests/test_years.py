"""Structure by year (issue 13): each year's report has the chapters report.yaml gives that year,
numbered in order. 2023 drops the epidemic section and adds 行政复议和行政应诉 as 一(四), and the
section after it becomes （五） — in the HTML text and contents, the Word headings and the PDF."""

import html
import json
import re

import pytest

from helpers.cli import main
from helpers.run.build import build_report

# the level-2 sections of part 一 in 2023, in order, as their leads read (data/narrative/2023.yaml)
SECTIONS_2023 = [
    "（一）深入学习贯彻习近平法治思想和党的二十大精神",
    "（二）全力维护社会大局安全稳定",
    "（三）持续深化执法规范化建设",
    "（四）依法做好行政复议和行政应诉工作",
    "（五）持续优化公安政务服务",
]
NEW_SECTION = SECTIONS_2023[3]


def official_text(folder) -> str:
    page = (folder / "report.html").read_text(encoding="utf-8")
    body = page[page.index("<article") : page.index("</article>")]
    return html.unescape(re.sub(r"<[^>]+>", "", body))


def contents(folder) -> list[str]:
    """The entries of report.html's table of contents, in order."""
    page = (folder / "report.html").read_text(encoding="utf-8")
    nav = page[page.index("<nav") : page.index("</nav>")]
    return [
        html.unescape(re.sub(r"<[^>]+>", "", a)).strip()
        for a in re.findall(r"<a[^>]*>(.*?)</a>", nav, flags=re.S)
    ]


def part_one(entries: list[str]) -> list[str]:
    """The level-2 entries under 一、 (before 二、)."""
    start = next(i for i, e in enumerate(entries) if e.startswith("一、"))
    end = next(i for i, e in enumerate(entries) if e.startswith("二、"))
    return entries[start + 1 : end]


def manifest(folder) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def report_2023(small_dir, tmp_path_factory):
    """The 2023 report on small sample data, PDF included (the one PDF these tests read)."""
    reports = tmp_path_factory.mktemp("reports")
    build_report(2023, data_dir=small_dir, reports_dir=reports, progress=lambda _: None)
    return reports / "2023"


def test_2023_has_no_epidemic_section_and_the_new_one_is_fourth(report_2023):
    text = official_text(report_2023)
    assert "疫情" not in text
    head = text[text.index("一、2023年推进法治政府建设") : text.index("二、2023年主要负责人")]
    positions = [head.index(s) for s in SECTIONS_2023]
    assert positions == sorted(positions)
    assert "（六）" not in head
    assert "收到行政复议申请" in head and "负责人出庭应诉" in head
    chapters = manifest(report_2023)["chapters"]
    assert "16_reconsideration" in chapters and "12_epidemic" not in chapters


def test_2023_contents_number_the_sections_in_order(report_2023):
    entries = contents(report_2023)
    assert part_one(entries) == SECTIONS_2023
    annex = entries[entries.index("附件：图表与数据") + 1 :]  # the annex follows the same order
    assert annex[:5] == SECTIONS_2023


def test_2023_word_headings(report_2023):
    import docx

    doc = docx.Document(report_2023 / "report.docx")
    level2 = [  # a （一） lead runs into its paragraph, in the character style Lead
        p.runs[0].text for p in doc.paragraphs if p.runs and p.runs[0].style.name == "Lead"
    ]
    assert [h.rstrip("。") for h in level2[:5]] == SECTIONS_2023
    level1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert [h[:2] for h in level1[:4]] == ["一、", "二、", "三、", "四、"]


def test_2023_pdf_states_the_numbers(report_2023):
    from pypdf import PdfReader

    pages = PdfReader(report_2023 / "report.pdf").pages
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in pages))
    positions = [text.index(s) for s in SECTIONS_2023]  # the official text, before the annex
    assert positions == sorted(positions)
    assert "疫情" not in text


def test_2023_is_complete_and_records_the_new_figures(report_2023):
    assert manifest(report_2023)["draft"] is False
    with (report_2023 / "metrics.csv").open(encoding="utf-8") as f:
        ids = {line.split(",", 1)[0] for line in f}
    assert {f"F{i:03d}" for i in range(76, 93)} <= ids
    assert not {f"F{i:03d}" for i in range(2, 15)} & ids  # the epidemic section's figures


@pytest.fixture(scope="module")
def five_years(small_dir, tmp_path_factory):
    """`lawreport build --years 2019-2023 --no-pdf --force` on small sample data: every chapter
    of every year runs, on kernels of the one template the command starts first."""
    reports = tmp_path_factory.mktemp("years")
    argv = ["build", "--years", "2019-2023", "--no-pdf", "--force"]
    argv += ["--data-dir", str(small_dir), "--reports-dir", str(reports)]
    assert main(argv) == 0
    return reports


# the notebooks that mark the sections that come and go, and the number of 一's sections
STRUCTURE = {
    2019: (set(), {"12_epidemic", "16_reconsideration"}, 4),
    2020: ({"12_epidemic"}, {"16_reconsideration"}, 5),
    2021: ({"12_epidemic"}, {"16_reconsideration"}, 5),
    2022: ({"12_epidemic"}, {"16_reconsideration"}, 5),
    2023: ({"16_reconsideration"}, {"12_epidemic"}, 5),
}


def test_build_years_2019_to_2023(five_years):
    index = (five_years / "index.html").read_text(encoding="utf-8")
    for year, (has, lacks, sections) in STRUCTURE.items():
        folder = five_years / str(year)
        chapters = set(manifest(folder)["chapters"])
        assert has <= chapters and not lacks & chapters, year
        numbers = [e[:3] for e in part_one(contents(folder))]
        assert numbers == ["（一）", "（二）", "（三）", "（四）", "（五）"][:sections], year
        assert f"{year}/report.html" in index
    assert part_one(contents(five_years / "2023"))[3] == NEW_SECTION
    assert "（二）全力以赴抓好疫情防控" in part_one(contents(five_years / "2020"))


def test_2019_builds_as_a_draft_naming_the_tables_it_lacks(five_years):
    """What 2019 leaves out is only what the sample data lacks for it: tables that begin in 2020,
    and the 2018 files a 同比 needs."""
    m = manifest(five_years / "2019")
    assert m["draft"] is True
    why = " ".join(x["why"] for x in m["left_out"])
    for table in ("涉案人员表（2018年", "110警情表（2018年", "出租屋排查表（2019年"):
        assert table in why
    assert all(x["why"].startswith("缺少数据表") for x in m["left_out"])
