import pytest

from helpers.errors import ParamsError
from helpers.inputs.params import SCHEMA, load_params

GOOD = "year: 2021\norgan: 东莞市公安局\ncity: 东莞\nprovince: 广东\nreport_date: 2022-03-01\nnotes: {}\n"


def write(tmp_path, text, year=2021):
    (tmp_path / f"{year}.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def test_project_params_are_valid():
    for year in (2019, 2020, 2021, 2022):
        assert load_params(year)["year"] == year


def test_dates_stay_strings(tmp_path):
    params = load_params(2021, write(tmp_path, GOOD))
    assert params["report_date"] == "2022-03-01"
    assert set(params) == set(SCHEMA)


def test_missing_file_says_how_to_start(tmp_path):
    with pytest.raises(ParamsError, match="2030.yaml 不存在") as err:
        load_params(2030, tmp_path)
    assert "创建" in err.value.fix and "report_date" in err.value.fix  # no year to copy from
    for year in (2019, 2021):
        (tmp_path / f"{year}.yaml").write_text("year: 1\n", encoding="utf-8")
    with pytest.raises(ParamsError) as err:
        load_params(2030, tmp_path)
    # the nearest year that exists, with both paths in full (not 2029, which does not exist)
    assert (
        err.value.fix
        == f"复制另一年的文件再修改：`cp {tmp_path / '2021.yaml'} {tmp_path / '2030.yaml'}`"
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
