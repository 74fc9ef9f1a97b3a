"""Exports come in any row order: every figure, list and sentence is the same after the rows of
every table are shuffled (issue 11)."""

import csv
import io
import random
import shutil

import openpyxl
import pyarrow.parquet as pq
import pytest

from helpers import figures
from helpers.inputs import declaration, narrative
from helpers.render.compose import compose


def sections(year: int) -> list[str]:
    """The chapters with figures in the report of ``year``."""
    return [e.name for e in declaration.load().for_year(year) if e.chapter.figures]


def _shuffle_csv(path, rng):
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    newline = "\r\n" if "\r\n" in text else "\n"
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    rng.shuffle(body)
    out = io.StringIO()
    csv.writer(out, lineterminator=newline).writerows([header, *body])
    bom = raw.startswith(b"\xef\xbb\xbf")
    path.write_bytes(
        (b"\xef\xbb\xbf" if bom else b"")
        + out.getvalue().encode("utf-8" if encoding == "utf-8-sig" else encoding)
    )


def _shuffle_xlsx(path, rng):
    book = openpyxl.load_workbook(path)
    sheet = book.active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(rows) if sum(v is not None for v in r) > 1)
    body = rows[header + 1 :]
    rng.shuffle(body)
    fresh = openpyxl.Workbook()
    for row in rows[: header + 1] + body:
        fresh.active.append(row)
    fresh.save(path)


def _shuffle_parquet(path, rng):
    table = pq.read_table(path)
    order = list(range(table.num_rows))
    rng.shuffle(order)
    pq.write_table(table.take(order), path)


def _everything(data_dir, year):
    out = {}
    for section in sections(year):
        res = figures.chapter(section, year, data_dir, city="东莞")
        out[section] = {
            "figures": {
                k: (f.display, f.value, f.prior, f.rows, f.direction)
                for k, f in res.figures.items()
            },
            "words": res.words,
            "absent": res.absent,
            "text": [
                b["text"] for b in compose(narrative.load(year, section), res.values(), res.absent)
            ],
        }
    return out


@pytest.fixture(scope="module")
def shuffled(small_dir, tmp_path_factory):
    folder = tmp_path_factory.mktemp("shuffled") / "raw"
    shutil.copytree(small_dir, folder)
    rng = random.Random(20211231)
    files = sorted(p for p in folder.rglob("*.*") if p.suffix in (".csv", ".xlsx", ".parquet"))
    for path in files:
        {".csv": _shuffle_csv, ".xlsx": _shuffle_xlsx, ".parquet": _shuffle_parquet}[path.suffix](
            path, rng
        )
    return folder


@pytest.mark.parametrize("year", [2021, 2022, 2023])
def test_every_figure_list_and_sentence_ignores_row_order(small_dir, shuffled, year):
    tables = {
        p.parent.name for p in shuffled.rglob("*.*") if p.suffix in (".csv", ".xlsx", ".parquet")
    }
    declared = {table for c in declaration.load().chapters for table in c.tables}
    assert tables == declared  # every table the report reads was shuffled
    assert _everything(shuffled, year) == _everything(small_dir, year)


def test_the_shuffle_really_moved_rows(small_dir, shuffled):
    before = (small_dir / "drug_seizures" / "2021.csv").read_bytes()
    after = (shuffled / "drug_seizures" / "2021.csv").read_bytes()
    assert sorted(before.splitlines()) == sorted(after.splitlines()) and before != after
