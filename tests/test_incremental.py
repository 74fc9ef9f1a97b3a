"""Rebuilds redo only what changed: tables are parsed once, unchanged chapters are reused."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from helpers import paths
from helpers.data import cache, loader, validate
from helpers.errors import ValidationError
from helpers.run.build import build_report

QUIET = {"progress": lambda _: None}


@pytest.fixture
def built_small(small_dir, small_report, tmp_path):
    """Private copies of the small tables and of their report (built once per session): where
    the data lie is no part of a chapter's key, so the copy is up to date for its copied data."""
    data = shutil.copytree(small_dir, tmp_path / "raw")
    reports = tmp_path / "reports"
    shutil.copytree(small_report, reports / "2021")
    return data, reports, None


def test_first_build_runs_every_chapter(small_report):
    manifest = json.loads((small_report / "manifest.json").read_text(encoding="utf-8"))
    ran = [k for k in manifest["seconds"] if k.startswith("chapter ")]
    assert len(ran) == 9 and len(manifest["chapters"]) == 9  # built from nothing: all ran


def test_a_copy_of_the_data_elsewhere_reuses_every_chapter(built_small):
    data, reports, _ = built_small  # the copied report was built from the tables in another folder
    again = build_report(2021, data_dir=data, reports_dir=reports, pdf_output=False, **QUIET)
    assert again.unchanged and len(again.reused) == 9


def test_nothing_changed_rebuilds_nothing(built_small):
    data, reports, _ = built_small
    before = {p: p.stat().st_mtime_ns for p in (reports / "2021").rglob("*") if p.is_file()}
    again = build_report(2021, data_dir=data, reports_dir=reports, pdf_output=False, **QUIET)
    assert again.unchanged and again.executed == []
    assert {p: p.stat().st_mtime_ns for p in (reports / "2021").rglob("*") if p.is_file()} == before


# what a build that finds nothing changed must not import: most of the time it would take
HEAVY = ("pandas", "numpy", "pyarrow", "jupyter_client", "papermill", "nbconvert", "docx")
_REPORT_IMPORTED = (
    "import sys\n"
    "from helpers.cli import main\n"
    "status = main(sys.argv[1:])\n"
    f"print('imported:', [m for m in {HEAVY!r} if m in sys.modules])\n"
    "sys.exit(status)\n"
)


def test_nothing_changed_imports_no_heavy_module(built_small):
    """`lawreport build` with nothing changed answers from the keys alone: no pandas (0.4 s of
    imports), no kernel client, no writer is imported."""
    data, reports, _ = built_small
    env = dict(os.environ)  # the same helpers as this test, and the same cache
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(paths.HELPERS.parent), env.get("PYTHONPATH")])
    )
    cli = ["build", "--year", "2021", "--no-pdf", "--data-dir", data, "--reports-dir", reports]
    done = subprocess.run(
        [sys.executable, "-c", _REPORT_IMPORTED, *cli], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    assert "没有任何改变" in done.stdout
    assert "imported: []" in done.stdout


def test_one_changed_table_reruns_only_its_chapter(built_small):
    data, reports, _ = built_small
    path = data / "outreach_events" / "2021.csv"
    text = path.read_text(encoding="utf-8-sig")
    path.write_text(
        text.replace(",已开展", ",已取消"), encoding="utf-8-sig"
    )  # every session cancelled
    before = (reports / "2021" / "metrics.csv").read_text(encoding="utf-8")
    again = build_report(2021, data_dir=data, reports_dir=reports, pdf_output=False, **QUIET)
    assert again.executed == ["15_services"] and len(again.reused) == 8
    assert (reports / "2021" / "metrics.csv").read_text(encoding="utf-8") != before


def test_a_year_before_that_only_the_checks_compare_with_reassembles(built_small):
    """gangs/2020.csv is read by no chapter of 2021, but the checks compare 2021's rows with
    its rows: when it grows to over five times 2021's, a full build warns (a draft); so does
    the rebuild, which used to find nothing changed (the hostile tester)."""
    data, reports, _ = built_small
    path = data / "gangs" / "2020.csv"
    lines = path.read_text(encoding="gb18030").splitlines()
    rows_2021 = len((data / "gangs" / "2021.csv").read_text(encoding="gb18030").splitlines()) - 1
    copies = [
        line.replace("TH2020-", f"TH2020-{n}", 1)  # other ids: the key stays unique
        for n in range(1, 7)
        for line in lines[1:]
    ]
    assert len(lines) - 1 + len(copies) > 5 * rows_2021
    path.write_text("\n".join([*lines, *copies]) + "\n", encoding="gb18030")
    again = build_report(2021, data_dir=data, reports_dir=reports, pdf_output=False, **QUIET)
    assert not again.unchanged and again.executed == []  # no chapter reads it: reassembled
    assert any("gangs" in w and "五分之一" in w for w in again.warnings)
    manifest = json.loads((reports / "2021" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["draft"] is True


def test_parameters_are_part_of_the_key(built_small, tmp_path):
    data, reports, _ = built_small
    params = tmp_path / "params"
    params.mkdir()
    text = (cache.paths.PARAMS / "2021.yaml").read_text(encoding="utf-8")
    (params / "2021.yaml").write_text(text.replace("city: 东莞", "city: 广州"), encoding="utf-8")
    again = build_report(
        2021, data_dir=data, reports_dir=reports, params_dir=params, pdf_output=False, **QUIET
    )
    assert again.executed == ["13_safety"]  # the only chapter that declares `city`


def test_force_runs_everything(built_small):
    data, reports, _ = built_small
    again = build_report(
        2021, data_dir=data, reports_dir=reports, pdf_output=False, force=True, **QUIET
    )
    assert len(again.executed) == 9 and again.reused == []


def test_a_table_is_parsed_once(small_dir, tmp_path, monkeypatch):
    data = shutil.copytree(small_dir, tmp_path / "raw")
    first = loader.load("hotline_tickets", 2021, data)
    monkeypatch.setattr(loader, "_read_file", lambda *a: pytest.fail("parsed again"))
    again = loader.load("hotline_tickets", 2021, data, columns=["ticket_id", "category"])
    assert list(again.columns) == ["ticket_id", "category"] and len(again) == len(first)


def test_changed_file_content_is_parsed_again(small_dir, tmp_path):
    data = shutil.copytree(small_dir, tmp_path / "raw")
    n = len(loader.load("home_services", 2021, data))
    path = data / "home_services" / "2021.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(lines[:-1]), encoding="utf-8")
    assert len(loader.load("home_services", 2021, data)) == n - 1


def test_parquet_in_contract_form_is_its_own_cache(small_dir, tmp_path):
    data = shutil.copytree(small_dir, tmp_path / "raw")
    source = data / "rental_inspections" / "2021.parquet"  # ids, dates, dictionary-encoded text
    frame = loader.load("rental_inspections", 2021, data)
    assert loader.checked_before("rental_inspections", 2021, data)["rows"] == "source"  # no copy
    pd.testing.assert_frame_equal(frame, loader.read_parquet(source))
    # the source changes: it is checked again, and what it now holds is served
    table = pq.read_table(source)
    pq.write_table(table.slice(0, table.num_rows - 5), source)
    assert len(loader.load("rental_inspections", 2021, data)) == len(frame) - 5


def test_parquet_with_plain_text_is_read_in_place_as_the_full_way_types_it(small_dir, tmp_path):
    data = shutil.copytree(small_dir, tmp_path / "raw")
    raw = pq.read_table(data / "alarms" / "2021.parquet").to_pydict()
    frame = loader.load("alarms", 2021, data)
    assert loader.checked_before("alarms", 2021, data)["rows"] == "source"
    assert frame["category"].tolist() == raw["category"]
    # a category: its distinct values, sorted by code point, as astype("category") orders them
    assert list(frame["category"].cat.categories) == sorted(set(raw["category"]))
    # … of pandas' default text dtype, as the table cache gives them back (chapters always got)
    assert str(frame["category"].cat.categories.dtype) == "str"
    persons = loader.load("verification_persons", 2021, data)
    assert loader.checked_before("verification_persons", 2021, data)["rows"] == "source"
    assert str(persons["task_id"].dtype) == "string" and str(persons["verified"].dtype) == "boolean"
    assert (
        persons["verified"].tolist()
        == pq.read_table(data / "verification_persons" / "2021.parquet", columns=["verified"])
        .column(0)
        .to_pylist()
    )


@pytest.mark.parametrize(
    ("table", "column", "value", "read_as"),
    [
        ("alarms", "category", " 求助", "求助"),  # spaces around: stripped, as from a CSV
        ("alarms", "subcategory", "", None),  # empty text: missing
        ("verification_persons", "task_id", "T1\u3000", "T1"),  # an ideographic space
        ("verification_persons", "task_id", "T1\u200b", "T1"),  # a zero-width space after it
        ("alarms", "category", "\ufeff求助", "求助"),  # a byte order mark from joined exports
    ],
)
def test_parquet_with_padded_or_empty_text_is_cleaned_and_copied(
    small_dir, tmp_path, table, column, value, read_as
):
    data = shutil.copytree(small_dir, tmp_path / "raw")
    source = data / table / "2021.parquet"
    cells = pq.read_table(source).to_pydict()
    cells[column][3] = value
    pq.write_table(pa.table(cells, schema=pq.read_schema(source)), source)
    frame = loader.load(table, 2021, data)
    copy = loader.checked_before(table, 2021, data)["rows"]
    assert copy != "source" and list(paths.cache_dir().rglob(copy))
    got = frame[column][3]
    assert pd.isna(got) if read_as is None else got == read_as


@pytest.mark.parametrize(
    "table", ["alarms", "cases", "measures", "persons", "verification_persons", "volunteer_roster"]
)
def test_a_table_read_in_place_equals_the_full_way(small_dir, table):
    from helpers.data import checks, readers
    from helpers.data.contract import TABLES

    source, spec = small_dir / table / "2021.parquet", TABLES[table]
    assert checks.clean_in_place(source, spec, 2021) is not None
    raw, first_row = readers.read_raw(source, spec)
    full, problems = checks.check(raw, spec, source, first_row)
    assert not problems
    pd.testing.assert_frame_equal(loader.read_in_place(source, spec), full)


def test_tables_checked_before_are_not_read_again(small_dir, tmp_path, monkeypatch):
    data = shutil.copytree(small_dir, tmp_path / "raw")
    first = validate.check_year(2021, data)
    monkeypatch.setattr(loader, "read_checked", lambda *a, **k: pytest.fail("read again"))
    again = validate.check_year(2021, data)
    assert [(r.table, r.year, r.rows, r.file) for r in again] == [
        (r.table, r.year, r.rows, r.file) for r in first
    ]


def test_a_few_changed_tables_are_checked_without_the_pool(small_dir, tmp_path):
    """While the pool's workers start their kernels, a small change is checked right away."""

    class NoPool:
        def submit(self, *args):
            pytest.fail("sent to the pool")

    data = shutil.copytree(small_dir, tmp_path / "raw")
    validate.check_year(2021, data)
    path = data / "outreach_events" / "2021.csv"
    text = path.read_text(encoding="utf-8-sig")
    path.write_text(text.replace(",已开展", ",已取消", 1), "utf-8")
    assert loader.checked_before("outreach_events", 2021, data) is None  # new content
    checks = validate.check_year(2021, data, pool=NoPool())
    assert all(not c.problems for c in checks)
    assert loader.checked_before("outreach_events", 2021, data) is not None


def test_the_manifest_says_where_the_time_went(built_small):
    import json

    _, reports, _ = built_small
    manifest = json.loads((reports / "2021" / "manifest.json").read_text(encoding="utf-8"))
    assert {"keys", "validate", "html+docx", "chapter 15_services"} <= set(manifest["seconds"])


@pytest.mark.parametrize(
    ("edited", "reruns"),
    [
        ("render/word.py", False),
        ("render/pdf.py", False),
        ("render/assemble.py", False),
        ("run/build.py", False),
        ("cli.py", False),
        ("chapter.py", True),
        ("figures/safety.py", True),
        ("render/compose.py", True),
        ("data/readers.py", True),
    ],
)
def test_only_code_that_runs_in_kernels_is_part_of_a_chapters_key(
    tmp_path, monkeypatch, edited, reruns
):
    """Editing the Word or PDF writer re-assembles the report but runs no chapter again; editing
    code the notebooks run does."""
    helpers = shutil.copytree(paths.HELPERS, tmp_path / "helpers")
    monkeypatch.setattr(paths, "HELPERS", helpers)
    before, whole = cache.code_digest(cache.KERNEL_CODE), cache.code_digest()
    with (helpers / edited).open("a", encoding="utf-8") as f:
        f.write("\n# an edit\n")
    assert (cache.code_digest(cache.KERNEL_CODE) != before) is reruns
    assert cache.code_digest() != whole  # the whole package's digest sees every edit


def test_a_workspaces_own_module_contract_and_mapping_are_part_of_a_chapters_key(tmp_path):
    from helpers.inputs import declaration
    from helpers.run import incremental
    from helpers.workspace import Workspace

    ws = Workspace.at(tmp_path / "ws")
    ws.create_from_project()
    data = tmp_path / "raw"
    (data / "hotline_tickets").mkdir(parents=True)
    entry = declaration.load(ws).entry(2021, "services")
    assert "hotline_tickets" in entry.chapter.tables

    def key() -> str:
        return incremental.chapter_key(
            entry,
            paths.NOTEBOOKS / "15_services.ipynb",
            {"year": 2021},
            2021,
            data,
            "code",
            ws.narrative,
            ws,
        )

    seen = [key()]
    changes = [
        (ws.figures / "services.py", "FIGURES = {}\n"),  # the workspace's own figures module
        (ws.figures / "services.py", "FIGURES = {'F001': ()}\n"),  # … edited
        (ws.contract / "hotline_tickets.yaml", "title: 热线\n"),
        (data / "hotline_tickets" / "mapping.yaml", "columns: {工单号: 工单编号}\n"),
        (data / "hotline_tickets" / "mapping.yaml", "columns: {单号: 工单编号}\n"),
    ]
    for path, text in changes:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        seen.append(key())
    assert len(set(seen)) == len(seen)  # every change gave a new key
    (ws.figures / "elsewhere.py").write_text("x = 1\n", encoding="utf-8")  # another chapter's
    assert key() == seen[-1]


def test_a_misnamed_file_put_where_a_table_was_is_a_change_the_rebuild_reports(small_dir, tmp_path):
    """Found by the hostile tester: after a build, 2021.xlsx replaced by ``2021 (1).xlsx`` (a
    browser's second download) was no change to the rebuild, which kept the last report; the
    check names the file and says how to rename it."""
    from helpers.errors import ValidationError
    from helpers.run.build import build_report

    data = Path(shutil.copytree(small_dir, tmp_path / "raw"))
    build_report(2021, data_dir=data, reports_dir=tmp_path / "r", pdf_output=False, jobs=1,
                 progress=lambda _: None)  # fmt: skip
    (data / "activities" / "2021.xlsx").rename(data / "activities" / "2021 (1).xlsx")
    with pytest.raises(ValidationError) as refused:
        build_report(2021, data_dir=data, reports_dir=tmp_path / "r", pdf_output=False, jobs=1,
                     progress=lambda _: None)  # fmt: skip
    assert "2021 (1).xlsx" in str(refused.value) and "重命名为 2021.csv" in str(refused.value)


def test_reading_tables_does_not_import_pyarrow_dataset(small_dir, tmp_path):
    """pq.read_table imports pyarrow.dataset, 0.25 s in every kernel and worker that reads."""
    reads = "".join(
        f"loader.load({table!r}, 2021, {str(small_dir)!r})\n"  # checked, then served again
        for table in ("alarms", "alarms", "hotline_tickets", "hotline_tickets")
    )
    code = f"import sys\nfrom helpers.data import loader\n{reads}print(sorted(sys.modules))"
    env = {**os.environ, "LAWREPORT_CACHE": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    modules = done.stdout.strip()
    assert "'pyarrow.parquet'" in modules and "'pyarrow.dataset'" not in modules


def _write(path: Path, table: pa.Table) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)


def test_stale_pandas_metadata_in_a_parquet_file_is_ignored(tmp_path):
    """A file typed in Arrow after pandas wrote it keeps pandas' metadata: a zone taken off
    (local times), integers once Int32, an index of its own. The file's own types count."""
    frame = pd.DataFrame(
        {
            "measure_id": pd.array([1, 2], dtype="Int32"),
            "person_id": pd.array([7, 8], dtype="Int32"),
            "measure": ["行政拘留", "逮捕"],
            "decided_date": pd.to_datetime(["2021-03-01 09:00", "2021-12-31 20:00"]).tz_localize(
                "Asia/Shanghai"
            ),
            "status": ["有效", "有效"],
        },
        index=pd.RangeIndex(100, 102, name="行号"),
    )
    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.set_column(1, "person_id", pa.array([7, 20210000483], pa.int64()))
    local = pa.array([pd.Timestamp("2021-03-01 09:00"), pd.Timestamp("2021-12-31 20:00")])
    table = table.set_column(3, "decided_date", local)  # what pc.local_timestamp gives
    _write(tmp_path / "raw" / "measures" / "2021.parquet", table)
    for _ in range(2):  # checked, then from the cache entry
        got = loader.load("measures", 2021, tmp_path / "raw")
        assert got.index.equals(pd.RangeIndex(2))
        assert got["person_id"].tolist() == [7, 20210000483]
        assert got["decided_date"].dt.tz is None
        assert got["decided_date"].tolist() == local.to_pylist()


def test_nan_in_a_required_number_column_of_parquet_is_an_empty_cell(tmp_path):
    table = pa.table(
        {
            "seizure_id": ["JD1", "JD2", "JD3"],
            "seized_date": pa.array(pd.to_datetime(["2021-01-01", "2021-02-01", "2021-03-01"])),
            "drug": ["冰毒", "大麻", "冰毒"],
            "grams": [1000.0, float("nan"), 500.0],
        }
    )
    _write(tmp_path / "raw" / "drug_seizures" / "2021.parquet", table)
    with pytest.raises(ValidationError) as caught:
        loader.load("drug_seizures", 2021, tmp_path / "raw")
    assert "grams" in str(caught.value) and "1 个空单元格" in str(caught.value)
    assert "第 2 行：（空）" in str(caught.value)  # Parquet has no header line: its 2nd record


@pytest.mark.parametrize("encoded", [False, True])
def test_empty_or_padded_text_is_cleaned_however_the_parquet_stores_it(tmp_path, encoded):
    task = pa.array(["HC1", " HC2\u3000", "HC3"])
    table = pa.table(
        {
            "record_id": [1, 2, 3],
            "task_id": task.dictionary_encode() if encoded else task,
            "person_id": [7, 8, 9],
            "assigned_date": pa.array(pd.to_datetime(["2021-01-01"] * 3)),
            "verified": [True, False, True],
        }
    )
    _write(tmp_path / "raw" / "verification_persons" / "2021.parquet", table)
    assert loader.load("verification_persons", 2021, tmp_path / "raw")["task_id"].tolist() == [
        "HC1",
        "HC2",
        "HC3",
    ]
    blank = pa.array(["HC1", "", "HC3"])
    empty = table.set_column(1, "task_id", blank.dictionary_encode() if encoded else blank)
    _write(tmp_path / "raw2" / "verification_persons" / "2021.parquet", empty)
    with pytest.raises(ValidationError, match="1 个空单元格"):
        loader.load("verification_persons", 2021, tmp_path / "raw2")


def _task_table(tasks: list[str]) -> pa.Table:
    n = len(tasks)
    return pa.table(
        {
            "record_id": list(range(1, n + 1)),
            "task_id": pa.array(tasks, pa.large_string()),
            "person_id": list(range(100, 100 + n)),
            "assigned_date": pa.array(pd.to_datetime(["2021-01-01"] * n)),
            "verified": [i % 2 == 0 for i in range(n)],
        }
    )


@pytest.mark.parametrize("padded", [None, " HC2\u3000", "HC2 ", ""])
def test_text_kept_as_a_dictionary_is_checked_in_place_or_cleaned(tmp_path, padded):
    # 20,000 rows of a few task numbers: a dictionary and small indices in the file
    tasks = [f"HC{i % 5}" for i in range(20_000)]
    if padded is not None:
        tasks[7] = padded
    _write(tmp_path / "raw" / "verification_persons" / "2021.parquet", _task_table(tasks))
    if padded == "":
        with pytest.raises(ValidationError, match="1 个空单元格"):
            loader.load("verification_persons", 2021, tmp_path / "raw")
        return
    frame = loader.load("verification_persons", 2021, tmp_path / "raw")
    rows = loader.checked_before("verification_persons", 2021, tmp_path / "raw")["rows"]
    assert (rows == "source") is (padded is None)  # in place only when nothing is to be cleaned
    expected = [t.strip() for t in tasks]
    assert frame["task_id"].tolist() == expected
    assert str(frame["task_id"].dtype) == "string"


def test_only_text_the_file_keeps_as_indices_is_read_as_a_dictionary(tmp_path):
    from helpers.data import checks

    few = pa.table({"t": pa.array([f"HC{i % 5}" for i in range(20_000)], pa.large_string())})
    many = pa.table({"t": pa.array([f"HC{i:08d}" for i in range(200_000)], pa.large_string())})
    pq.write_table(few, tmp_path / "few.parquet")
    pq.write_table(few, tmp_path / "plain.parquet", use_dictionary=False)
    # a dictionary that fills up (1 MB by default): the rest of the values written plainly
    pq.write_table(many, tmp_path / "many.parquet")
    verdicts = {
        name: checks._dictionary_encoded(pq.ParquetFile(tmp_path / f"{name}.parquet"), "t")
        for name in ("few", "plain", "many")
    }
    assert verdicts == {"few": True, "plain": False, "many": False}


def test_invisible_characters_around_csv_values_are_taken_off_as_spaces_are(small_dir, tmp_path):
    data = shutil.copytree(small_dir, tmp_path / "raw")
    source = data / "verification_tasks" / "2021.csv"
    lines = source.read_text(encoding="gb18030").splitlines()
    first, second, third = (line.split(",") for line in lines[1:4])
    original = [first[0], second[4], third[0]]
    first[0] += "\u200b"  # the task number with a zero-width space after it
    second[4] = "\ufeff" + second[4]  # its status after a byte order mark
    third[0] = third[0][:6] + "\u2060" + third[0][6:]  # a word joiner inside a value stays
    lines[1:4] = [",".join(v) for v in (first, second, third)]
    source.write_text("\n".join(lines) + "\n", encoding="gb18030")
    frame = loader.load("verification_tasks", 2021, data)
    assert frame["task_id"][0] == original[0]
    assert frame["status"][1] == original[1]
    assert frame["task_id"][2] == original[2][:6] + "\u2060" + original[2][6:]


def test_a_misspelt_column_is_refused_not_left_out(small_dir):
    with pytest.raises(ValueError, match="person_idd"):
        loader.load("measures", 2021, small_dir, columns=["person_idd", "status"])


def test_a_boolean_column_where_numbers_belong_is_reported(tmp_path):
    table = pa.table(
        {
            "measure_id": [1, 2],
            "person_id": [True, False],  # an export that typed the ids as 是/否
            "measure": ["行政拘留", "逮捕"],
            "decided_date": pa.array(pd.to_datetime(["2021-03-01", "2021-04-01"])),
            "status": ["有效", "有效"],
        }
    )
    _write(tmp_path / "raw" / "measures" / "2021.parquet", table)
    with pytest.raises(ValidationError) as caught:
        loader.load("measures", 2021, tmp_path / "raw")
    assert "person_id" in str(caught.value) and "2 个值无法读作整数" in str(caught.value)
