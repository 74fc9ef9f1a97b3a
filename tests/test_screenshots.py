"""report.html and reports/index.html as readers see them: headless Chromium at a desktop's
1280 px and a phone's 390 px (device metrics emulated, as Chromium will not make a window under
500 px): the screenshot has the width asked for and is not blank, and nothing is wider than the
screen. Skipped, saying so, where no Chromium is installed."""

from __future__ import annotations

import json
import shutil

import pytest
from PIL import Image, ImageStat

from chromium import NAMES, Browser, find_chromium

WIDTHS = (1280, 390)
HEIGHT = 2400


@pytest.fixture(scope="module")
def browser():
    binary = find_chromium()
    if binary is None:
        pytest.skip(
            f"no Chromium found (tried {', '.join(NAMES)} on PATH): install it with "
            "`apt-get install chromium` (Debian/Ubuntu) or `brew install --cask chromium`"
        )
    b = Browser(binary)
    yield b
    b.close()


# what a draft names: a missing table's file by its full path, a word no line can break
MISSING = {
    "chapter": "（三）平安",
    "text": "排查整治出租屋□",
    "why": "缺少数据表：出租屋排查表（2019年，应在 /srv/lawreport/workspaces/dongguan-city-bureau"
    "/data/raw/rental_inspections/2019.parquet）",
    "claim": False,
}


@pytest.fixture(scope="module")
def pages(small_report, tmp_path_factory):
    """A copy of the small built report and its index (the session's build stays untouched),
    and a draft of it: its page and the index list what it leaves out."""
    from helpers.render.assemble import write_index

    reports = tmp_path_factory.mktemp("screenshots")
    shutil.copytree(small_report, reports / "2021")
    shutil.copy(small_report.parent / "index.html", reports / "index.html")
    drafts = tmp_path_factory.mktemp("drafts")
    shutil.copytree(small_report, drafts / "2021")
    manifest = json.loads((drafts / "2021" / "manifest.json").read_text(encoding="utf-8"))
    manifest.update(draft=True, left_out=[MISSING])
    (drafts / "2021" / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    page = (drafts / "2021" / "report.html").read_text(encoding="utf-8")
    listed = f"<ol><li>{MISSING['chapter']}：“{MISSING['text']}”——{MISSING['why']}</li></ol>"
    aside = f'<aside class="draft-list screen-only" id="draft" role="note"><strong>征求意见稿</strong>{listed}</aside>'
    note = f'<p class="note">{MISSING["why"]}</p>'
    page = page.replace("<article", aside + "<article", 1).replace(
        "</section>", note + "</section>", 1
    )
    (drafts / "2021" / "report.html").write_text(page, encoding="utf-8")
    return {
        "report.html": reports / "2021" / "report.html",
        "index.html": reports / "index.html",
        "draft report.html": drafts / "2021" / "report.html",
        "draft index.html": write_index(drafts),
    }


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "name", ["report.html", "index.html", "draft report.html", "draft index.html"]
)
def test_page_fits_the_screen_and_shows_something(browser, pages, name, width, tmp_path):
    png, measured = browser.open(pages[name].as_uri(), width, HEIGHT)
    shot = tmp_path / f"{name.replace(' ', '-')}-{width}.png"
    shot.write_bytes(png)
    assert shot.stat().st_size > 0
    image = Image.open(shot)
    assert image.size == (width, HEIGHT), shot
    assert measured["innerWidth"] == width  # the page was laid out at this width, not cropped
    assert measured["scrollWidth"] <= width, (
        f"{name} is {measured['scrollWidth']} px wide at {width}"
    )
    grey = image.convert("L")
    assert ImageStat.Stat(grey).stddev[0] > 20, f"{shot} looks blank"
    ink = sum(grey.histogram()[:160]) / (width * HEIGHT)  # dark pixels: text, rules, charts
    assert ink > 0.01, f"{shot}: only {ink:.2%} of the pixels are dark"


PROBE = """(() => {
  const nav = document.querySelector("nav.toc").getBoundingClientRect();
  const cell = document.querySelector("figure.figures td");
  return {navTop: nav.top, navRight: nav.right,
          markers: [...document.querySelectorAll("nav.toc li")].map(li => getComputedStyle(li).listStyleType),
          nested: document.querySelectorAll("nav.toc li > ul > li.toc-2").length,
          annexCells: getComputedStyle(cell).display,
          numAlign: getComputedStyle(document.querySelector("td.num")).textAlign};
})()"""


@pytest.mark.parametrize("width", WIDTHS)
def test_report_contents_and_tables_as_laid_out(browser, pages, width):
    """The contents open the page, fit it, carry no list numbers of their own and nest the
    （一） entries; numbers sit right in the tables; on a phone the data annex is cards."""
    _, measured = browser.open(pages["report.html"].as_uri(), width, 844, probe=PROBE)
    probe = measured["probe"]
    assert 0 <= probe["navTop"] < 100 and probe["navRight"] <= width
    assert set(probe["markers"]) == {"none"} and probe["nested"] >= 3
    assert probe["numAlign"] == "right"
    assert probe["annexCells"] == ("block" if width < 600 else "table-cell")


FOCUS_EVERY_FIGURE = """(() => {
  let widest = 0;
  for (const span of document.querySelectorAll("span.fig")) {
    span.focus();
    widest = Math.max(widest, document.documentElement.scrollWidth);
    span.blur();
  }
  return {figures: document.querySelectorAll("span.fig").length, widest: widest};
})()"""


@pytest.mark.parametrize("width", WIDTHS)
def test_a_figures_note_stays_on_the_screen(browser, pages, width):
    """Tapping or tabbing to any figure shows its note without widening the page."""
    _, measured = browser.open(pages["report.html"].as_uri(), width, 844, probe=FOCUS_EVERY_FIGURE)
    assert measured["probe"]["figures"] > 20
    assert measured["probe"]["widest"] <= width
