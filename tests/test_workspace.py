"""The report declared in one place (report.yaml), workspaces for other organs, new chapters from a
scaffold, and no chapter reused stale (issue 13)."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest

from helpers import paths
from helpers.cli import main
from helpers.errors import ChapterError, DeclarationError
from helpers.inputs import declaration
from helpers.run.build import build_report
from helpers.workspace import Workspace

QUIET = {"progress": lambda _: None}


def metrics(folder: Path) -> dict[str, dict]:
    with (folder / "metrics.csv").open(encoding="utf-8") as f:
        return {r["id"]: r for r in csv.DictReader(f)}


def body(folder: Path) -> str:
    page = (folder / "report.html").read_text(encoding="utf-8")
    return re.sub(r"<[^>]+>", "", page[page.index("<article") : page.index("</article>")])


@pytest.fixture(scope="module")
def other_organ(tmp_path_factory) -> Path:
    """A second sample organ: its own workspace, tables (another seed and scale), parameters and
    narrative."""
    root = tmp_path_factory.mktemp("organ") / "ws"
    assert (
        main(
            [
                "sample",
                "--workspace",
                str(root),
                "--organ",
                "示例县公安局",
                "--scale",
                "0.02",
                "--seed",
                "7",
            ]
        )
        == 0
    )
    return root


# ------------------------------------------------------------------ the declaration
def _declare(tmp_path, text: str) -> declaration.Report:
    ws = tmp_path / "ws"
    ws.mkdir(exist_ok=True)
    (ws / "report.yaml").write_text(text, encoding="utf-8")
    return declaration.load(Workspace(ws))


def test_numbers_follow_the_order_and_the_years(tmp_path):
    report = _declare(
        tmp_path,
        "chapters:\n"
        "  - {name: opening}\n"
        "  - {name: part, level: 1}\n"
        "  - {name: a, level: 2}\n"
        "  - {name: b, level: 2, years: 2020-2022}\n"
        "  - {name: c, level: 2, years: 2023-}\n"
        "  - {name: d, level: 2}\n"
        "  - {name: closing, level: 1}\n"
        "  - {name: e, level: 2}\n",
    )
    numbers = lambda y: [(e.name, e.number) for e in report.for_year(y)]  # noqa: E731
    assert numbers(2021) == [
        ("opening", ""),
        ("part", "一、"),
        ("a", "（一）"),
        ("b", "（二）"),
        ("d", "（三）"),
        ("closing", "二、"),
        ("e", "（一）"),
    ]
    assert numbers(2023) == [
        ("opening", ""),
        ("part", "一、"),
        ("a", "（一）"),
        ("c", "（二）"),
        ("d", "（三）"),
        ("closing", "二、"),
        ("e", "（一）"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("chapters:\n  - {name: a, levle: 2}\n", "有未知的键 ['levle']"),
        ("chapters:\n  - {name: a, level: 3}\n", "a.level 是 3"),
        ("chapters:\n  - {name: A-b}\n", "只能由小写字母、数字和 _ 组成"),
        ("chapters:\n  - {name: a, years: 2023-2020x}\n", "a.years 是 '2023-2020x'"),
        ("chapters:\n  - {name: a, tables: {alarms: [1]}}\n", "a.tables.alarms 中有 [1]"),
        ("chapters:\n  - {name: a}\n  - {name: a}\n", "声明了两次"),
        ("chapter:\n  - {name: a}\n", "必须有 `chapters:`"),
    ],
)
def test_a_malformed_declaration_is_one_clear_error(tmp_path, text, expected):
    with pytest.raises(DeclarationError) as err:
        _declare(tmp_path, text)
    assert expected in str(err.value) and err.value.fix


def _project_copy(tmp_path) -> Path:
    """A workspace holding the project's inputs (report.yaml, narrative, params) to edit."""
    ws = Workspace(tmp_path / "proj")
    ws.create_from_project()
    return ws.root


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "notebook: 14_enforcement",
            "notebook: 14_enforcment",
            "14_enforcment.ipynb 不存在",
        ),
        ("figures: enforcement", "figures: enforcment", "的数字模块是 'enforcment'"),
        (
            "      gangs: [0]\n",
            "      gangs: [0]\n      gangz: [0]\n",
            "['gangz'] 不在数据契约中",
        ),
        (
            "      fugitives: [0]\n",
            "",
            "它的数字依据 ['fugitives']，但它没有在 `tables:` 下声明",
        ),
    ],
)
def test_the_build_checks_the_declaration_before_anything_runs(
    tmp_path, small_dir, old, new, expected
):
    root = _project_copy(tmp_path)
    text = (root / "report.yaml").read_text(encoding="utf-8")
    assert old in text
    (root / "report.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DeclarationError, match=re.escape(expected)):
        build_report(2021, workspace=root, data_dir=small_dir, reports_dir=tmp_path / "r", **QUIET)
    assert not (tmp_path / "r").exists()


# ------------------------------------------------------------------ never stale
def _services_notebook(root: Path, edit) -> Path:
    folder = root / "notebooks"
    folder.mkdir(exist_ok=True)
    nb = json.loads((paths.NOTEBOOKS / "15_services.ipynb").read_text(encoding="utf-8"))
    edit(nb)
    path = folder / "15_services.ipynb"
    path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_renamed_import_cannot_make_a_chapter_stale(tmp_path, small_dir):
    root = _project_copy(tmp_path)
    data = shutil.copytree(small_dir, tmp_path / "raw")

    def renamed(nb):  # the chapter opened through an alias, as an analyst may write it
        for cell in nb["cells"]:
            src = "".join(cell["source"])
            cell["source"] = src.replace(
                "from helpers.chapter import open_chapter\n\nch = open_chapter(",
                "import helpers.chapter as c\n\nch = c.open_chapter(",
            )

    _services_notebook(root, renamed)
    only = root / "notebooks"
    build_report(
        2021,
        workspace=root,
        data_dir=data,
        reports_dir=tmp_path / "r",
        notebooks_dir=only,
        pdf_output=False,
        **QUIET,
    )
    before = metrics(tmp_path / "r" / "2021")["F072"]["value"]
    events = data / "outreach_events" / "2021.csv"  # the chapter's table changes
    rows = list(csv.reader(events.read_text(encoding="utf-8-sig").splitlines()))
    header = rows[0]
    col = next(i for i, h in enumerate(header) if h in ("persons_served", "服务人次"))
    state = next(i for i, h in enumerate(header) if h in ("status", "状态"))
    when = next(i for i, h in enumerate(header) if h in ("event_date", "活动日期"))
    held = next(r for r in rows[1:] if r[state] == "已开展" and r[when].startswith("2021"))
    held[col] = str(int(held[col]) + 1000)
    with events.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    again = build_report(
        2021,
        workspace=root,
        data_dir=data,
        reports_dir=tmp_path / "r",
        notebooks_dir=only,
        pdf_output=False,
        **QUIET,
    )
    assert again.executed == ["15_services"]
    assert (
        int(float(metrics(tmp_path / "r" / "2021")["F072"]["value"])) == int(float(before)) + 1000
    )


def test_a_chapter_reading_an_undeclared_table_fails_the_build(tmp_path, small_dir):
    root = _project_copy(tmp_path)

    def reads_more(nb):
        nb["cells"].append(
            {
                "cell_type": "code",
                "metadata": {},
                "outputs": [],
                "execution_count": None,
                "source": "from helpers.data import loader\nloader.load('gangs', year, data_dir)",
            }
        )

    _services_notebook(root, reads_more)
    with pytest.raises(
        ChapterError, match="UndeclaredTableError: 章 services 读取了 2021 年的 gangs"
    ):
        build_report(
            2021,
            workspace=root,
            data_dir=small_dir,
            reports_dir=tmp_path / "r",
            notebooks_dir=root / "notebooks",
            pdf_output=False,
            **QUIET,
        )


def test_a_figures_module_reading_an_undeclared_table_fails_too(tmp_path, small_dir):
    from helpers import figures
    from helpers.errors import UndeclaredTableError

    root = _project_copy(tmp_path)
    text = (root / "report.yaml").read_text(encoding="utf-8")
    (root / "report.yaml").write_text(
        text.replace("      hotline_tickets: [0, -1]\n", "      hotline_tickets: [0]\n"),
        encoding="utf-8",
    )
    with pytest.raises(UndeclaredTableError, match="读取了数据表 hotline_tickets（2020）"):
        figures.chapter("services", 2021, small_dir, root)


# ------------------------------------------------------------------ workspaces and new chapters
def test_two_workspaces_build_side_by_side(small_report, other_organ):
    theirs = build_report(2021, workspace=other_organ, pdf_output=False, **QUIET)
    assert theirs.folder == other_organ / "reports" / "2021"
    assert "东莞市公安局2021年法治政府建设年度报告" in body(small_report)  # the project's
    assert "示例县公安局2021年法治政府建设年度报告" in body(theirs.folder)
    a, b = metrics(small_report), metrics(theirs.folder)
    assert set(a) == set(b) and any(a[k]["value"] != b[k]["value"] for k in a)  # other data
    manifest = json.loads((theirs.folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["workspace"] == str(other_organ)


def test_a_workspaces_report_is_checked_against_its_own_declaration_and_text(
    tmp_path, other_organ, capsys, monkeypatch
):
    """`lawreport check --workspace`: a report is checked by its workspace's report.yaml,
    parameters, narrative and data; before, `check` read the project's, and a workspace that
    dropped or reordered chapters got false mismatches (tester, round 20)."""
    from helpers.check import compare

    ws = tmp_path / "ws"
    shutil.copytree(other_organ, ws, ignore=shutil.ignore_patterns("reports"))
    declared = (ws / "report.yaml").read_text(encoding="utf-8")
    start = declared.index("  - name: study")
    end = declared.index("  - name:", start + 1)
    (ws / "report.yaml").write_text(declared[:start] + declared[end:], encoding="utf-8")
    result = build_report(2021, workspace=ws, pdf_output=False, **QUIET)
    assert "深入学习贯彻习近平法治思想" not in body(result.folder)  # its study chapter is gone
    seen = {}
    real = compare.check_text

    def spy(text, figures, year, file="", narrative_dir=None):
        seen.update(figures=set(figures), narrative=narrative_dir)
        return real(text, figures, year, file, narrative_dir)

    monkeypatch.setattr(compare, "check_text", spy)
    docx = str(result.folder / "report.docx")
    assert main(["check", docx, "--year", "2021", "--workspace", str(ws)]) == 0
    assert "均与数据一致" in capsys.readouterr().out
    assert seen["narrative"] == ws / "data" / "narrative"
    assert "F001" not in seen["figures"] and "F020" in seen["figures"]  # study's F001 is not
    assert main(["check", docx, "--year", "2021", "--workspace", str(tmp_path / "nowhere")]) == 2
    assert "工作区" in capsys.readouterr().err


def test_a_new_chapter_builds_at_once(tmp_path, other_organ, capsys):
    ws = tmp_path / "ws"
    shutil.copytree(other_organ, ws, ignore=shutil.ignore_patterns("reports"))
    assert (
        main(
            [
                "new-chapter",
                "publicity",
                "--title",
                "普法宣传",
                "--workspace",
                str(ws),
                "--year",
                "2021",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert re.search(rf"已写入 {re.escape(str(ws))}/notebooks/\d\d_publicity.ipynb", out)
    for rel in (
        "report.yaml",
        "figures/publicity.py",
        "contract/publicity_records.yaml",
        "data/narrative/2021.yaml",
        "data/raw/publicity_records/2021.csv",
    ):
        assert f"已写入 {ws / rel}" in out
    # only the new chapter's notebook runs; its number is its place in the whole report
    result = build_report(
        2021, workspace=ws, notebooks_dir=ws / "notebooks", pdf_output=False, **QUIET
    )
    text = body(result.folder)
    assert "（六）普法宣传。本年共有普法宣传记录3条。" in text  # one item: not numbered 一是
    assert metrics(result.folder)["PUBL01"]["value"] == "3"
    from helpers.inputs.scaffold import new_chapter

    with pytest.raises(DeclarationError, match="已在 .*report.yaml 中"):
        new_chapter("publicity", workspace=ws)


def _forget_the_workspace() -> None:
    """A pool worker as the build's are: forked before report.yaml registered the workspace's
    own tables."""
    from helpers.data.contract import TABLES

    TABLES.pop("publicity_records", None)


def test_a_new_chapters_table_is_checked_by_workers_that_never_read_report_yaml(
    tmp_path, other_organ, monkeypatch
):
    """A pool's workers are forked before the build reads report.yaml, so they did not know
    a table of the workspace's own contract: a cold build of a new chapter crashed with
    KeyError: 'publicity_records' (tester, round 20). A check task now carries the workspace's
    contract folder."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from helpers.data import validate
    from helpers.inputs.scaffold import new_chapter

    ws = tmp_path / "ws"
    shutil.copytree(other_organ, ws, ignore=shutil.ignore_patterns("reports"))
    new_chapter("publicity", title="普法宣传", workspace=ws, year=2021)
    monkeypatch.setattr(validate, "HERE_BYTES", -1)  # every table to the pool
    monkeypatch.setenv("LAWREPORT_CACHE", str(tmp_path / "cache"))
    fork = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(2, mp_context=fork, initializer=_forget_the_workspace) as pool:
        results = validate.start_year(2021, ws / "data" / "raw", pool, ws).result()
    [checked] = [r for r in results if r.table == "publicity_records"]
    assert checked.problems == [] and checked.rows == 3
    assert all(not r.problems for r in results)
