from pathlib import Path

import pytest

from helpers import paths
from helpers.errors import ParamsError
from helpers.inputs.params import SCHEMA, load_params
from helpers.workspace import Workspace

# what the fix of a missing file says to change after copying last year's (year and the date)
AFTER_2030 = "（year: 2030；report_date 是成文日期，在 2030 年以后，如 2031-03-01）"
GOOD = "year: 2021\norgan: 东莞市公安局\ncity: 东莞\nprovince: 广东\nreport_date: 2022-03-01\nnotes: {}\n"


def write(tmp_path, text, year=2021):
    (tmp_path / f"{year}.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_project_params_are_valid():
    for year in (2019, 2020, 2021, 2022, 2023):
        assert load_params(year)["year"] == year


def test_a_sample_workspaces_params_are_valid(tmp_path):
    ws = Workspace(tmp_path / "ws")
    ws.create_from_project(organ="示例县公安局")
    for year in (2019, 2020, 2021, 2022, 2023):
        params = load_params(year, ws.params)
        assert params["organ"] == "示例县公安局"
        assert params["report_date"] == f"{year + 1}-03-01"


@pytest.mark.parametrize(
    ("date", "line"),
    [
        ("2021-03-01", "第 5 行"),  # last year's date, the file copied and not changed
        ("2022-12-31", "第 5 行"),  # the last day of the year: still within it
        ("2022-06-30", "第 5 行"),
    ],
)
def test_a_report_date_within_the_year_is_refused(tmp_path, date, line):
    text = f"year: 2022\norgan: 东莞市公安局\ncity: 东莞\nprovince: 广东\nreport_date: {date}\nnotes: {{}}\n"
    path = write(tmp_path, text, 2022) / "2022.yaml"
    with pytest.raises(ParamsError) as err:
        load_params(2022, tmp_path)
    assert str(err.value).startswith(
        f"{path} {line}：report_date（成文日期）是 {date}，不晚于 2022 年年底"
    )
    assert "从上一年的参数文件复制" in str(err.value)
    assert err.value.fix == "改为 2022 年以后的成文日期，例如 report_date: 2023-03-01"


@pytest.mark.parametrize("date", ["2023-01-01", "2023-03-01", "2024-01-15"])
def test_a_report_date_after_the_year_is_accepted(tmp_path, date):
    text = f"year: 2022\norgan: 东莞市公安局\ncity: 东莞\nprovince: 广东\nreport_date: {date}\nnotes: {{}}\n"
    assert load_params(2022, write(tmp_path, text, 2022))["report_date"] == date


def test_last_years_params_copied_with_only_the_year_changed_are_refused(tmp_path):
    """The yearly routine (README: 每年要做的事) copies last year's params: a date left as it
    was is said, with the date to write."""
    text = (paths.PARAMS / "2023.yaml").read_text(encoding="utf-8")
    (tmp_path / "2024.yaml").write_text(text.replace("year: 2023", "year: 2024"), "utf-8")
    with pytest.raises(ParamsError, match="report_date（成文日期）是 2024-03-01，不晚于 2024 年"):
        load_params(2024, tmp_path)
    (tmp_path / "2024.yaml").write_text(
        text.replace("year: 2023", "year: 2024").replace("2024-03-01", "2025-03-01"), "utf-8"
    )
    assert load_params(2024, tmp_path)["report_date"] == "2025-03-01"


def test_dates_stay_strings(tmp_path):
    params = load_params(2021, write(tmp_path, GOOD))
    assert params["report_date"] == "2022-03-01"
    assert set(params) == set(SCHEMA)


def test_missing_file_names_the_file_to_copy_and_the_new_file_in_full(tmp_path):
    for year in (2019, 2021):
        (tmp_path / f"{year}.yaml").write_text("year: 1\n", encoding="utf-8")
    with pytest.raises(ParamsError, match="2030.yaml 不存在") as err:
        load_params(2030, tmp_path)
    # the nearest earlier year that exists, both paths in full (not 2029, which does not exist)
    assert err.value.fix == (
        f"把 {tmp_path / '2021.yaml'} 复制为 {tmp_path / '2030.yaml'}，再按 2030 年修改{AFTER_2030}"
    )


@pytest.mark.parametrize(
    ("existing", "year", "expected"),
    [
        ([2019, 2021], 2030, 2021),  # the latest year before
        ([2015, 2021], 2020, 2015),  # earlier wins over a nearer later year
        ([2019, 2021], 2020, 2019),
        ([2021, 2025], 2018, 2021),  # nothing earlier: the nearest later year
        ([2019, 2021, 2022], 2020, 2019),
    ],
)
def test_the_year_to_copy_is_the_nearest_earlier_else_the_nearest(
    tmp_path, existing, year, expected
):
    for y in existing:
        (tmp_path / f"{y}.yaml").write_text("year: 1\n", encoding="utf-8")
    (tmp_path / "notes.yaml").write_text("x: 1\n", encoding="utf-8")  # not a year: ignored
    assert paths.nearest_year_file(year, tmp_path) == tmp_path / f"{expected}.yaml"


def test_an_empty_params_folder_is_started_from_the_projects_files(tmp_path, monkeypatch):
    project = tmp_path / "project"
    project.mkdir()
    (project / "2023.yaml").write_text("year: 1\n", encoding="utf-8")
    monkeypatch.setattr(paths, "PARAMS", project)
    own = tmp_path / "ws" / "params"
    own.mkdir(parents=True)
    with pytest.raises(ParamsError) as err:
        load_params(2030, own)
    assert (
        err.value.fix
        == f"把 {project / '2023.yaml'} 复制为 {own / '2030.yaml'}，再按 2030 年修改{AFTER_2030}"
    )
    monkeypatch.setattr(paths, "PARAMS", tmp_path / "nowhere")
    with pytest.raises(ParamsError) as err:
        load_params(2030, own)
    assert err.value.fix == (
        f"创建 {own / '2030.yaml'}，包含这些键：year, organ, city, province, report_date, notes"
    )


def test_a_relative_params_folder_is_named_in_full(tmp_path, monkeypatch):
    (tmp_path / "params").mkdir()
    (tmp_path / "params" / "2022.yaml").write_text("year: 1\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ParamsError) as err:
        load_params(2030, Path("params"))
    full = tmp_path / "params"
    assert err.value.fix == (
        f"把 {full / '2022.yaml'} 复制为 {full / '2030.yaml'}，再按 2030 年修改{AFTER_2030}"
    )


@pytest.mark.parametrize(
    "text, message",
    [
        (GOOD + "colour: red\n", "未知的参数"),
        (GOOD.replace("city: 东莞\n", ""), "缺少参数"),
        (GOOD.replace("year: 2021", "year: '2021'"), "应为 int"),
        (GOOD.replace("2022-03-01", "2022-13-01"), "不是日期"),
        (GOOD.replace("year: 2021", "year: 2020"), "但这是 2021 年的文件"),
        ("- a list\n", "映射"),
        (GOOD.replace("notes: {}", "notes: [a]"), "应为 dict"),
        (GOOD.replace("notes: {}", "notes: {F023: [1]}"), "notes 必须把数字编号对应到一段文字"),
        ("year: [2021\n", "不是有效的 YAML"),
    ],
)
def test_bad_params_are_refused(tmp_path, text, message):
    with pytest.raises(ParamsError, match=message):
        load_params(2021, write(tmp_path, text))


def test_2021_explains_the_unreachable_published_figure():
    note = load_params(2021)["notes"]["F023"]
    assert "公开稿" in note and "0.01个百分点" in note


@pytest.mark.parametrize(
    ("date", "said", "fix"),
    [
        (
            "２０２２－０３－０１",
            "：其中有全角字符 '２'、'０'、'－'、'３'、'１'（中文输入法全角状态下输入的），"
            "改为半角是 '2022-03-01'",
            "report_date: 2022-03-01",
        ),
        (
            "2022年3月1日",
            "（写成了 2022年3月1日，而参数文件只读 YYYY-MM-DD 形式的日期）",
            "report_date: 2022-03-01",
        ),
        (
            "2022/3/15",
            "（写成了 2022/3/15，而参数文件只读 YYYY-MM-DD 形式的日期）",
            "report_date: 2022-03-15",
        ),
        ("2022-02-30", "：日历上没有 2022 年 2 月 30 日", "例如 report_date: 2022-03-01"),
        ("next march", "", "例如 report_date: 2022-03-01"),
    ],
)
def test_a_report_date_that_is_no_date_is_told_the_form_to_write(tmp_path, date, said, fix):
    """Found by the tester (round 21): 2022年3月1日 and ２０２２－０３－０１ were only told
    "不是日期"."""
    path = write(tmp_path, GOOD.replace("2022-03-01", date)) / "2021.yaml"
    with pytest.raises(ParamsError) as err:
        load_params(2021, tmp_path)
    assert err.value.message == f"{path} 第 5 行：report_date = {date!r} 不是日期{said}。"
    assert "YYYY-MM-DD" in err.value.fix and err.value.fix.endswith(fix)
