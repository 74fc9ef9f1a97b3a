"""A reversed range of years in report.yaml is refused, not left to drop the chapter from every
year's report (found by the tester in round 20)."""

from __future__ import annotations

import pytest

from helpers.cli import main
from helpers.errors import DeclarationError
from helpers.inputs import declaration
from helpers.workspace import Workspace

REPORT = (
    "chapters:\n"
    "  - {name: opening}\n"
    "  - {name: part, level: 1}\n"
    "  - name: epidemic\n"
    "    level: 2\n"
    "    years: {years}\n"
    "  - {name: safety, level: 2}\n"
)


def _declare(tmp_path, years: str) -> declaration.Report:
    ws = tmp_path / "ws"
    ws.mkdir(exist_ok=True)
    (ws / "report.yaml").write_text(REPORT.replace("{years}", years), encoding="utf-8")
    return declaration.load(Workspace(ws))


@pytest.mark.parametrize(
    ("years", "fix"), [("2022-2020", "2020-2022"), ("2023 - 2021", "2021-2023")]
)
def test_a_reversed_range_of_years_is_refused_with_the_range_to_write(tmp_path, years, fix):
    with pytest.raises(DeclarationError) as err:
        _declare(tmp_path, years)
    path = tmp_path / "ws" / "report.yaml"
    assert str(err.value).startswith(
        f"{path} 第 6 行（第 3 章）：epidemic.years 是 {years!r}：起止年份写反了，"
        "这一章将不出现在任何一年的报告中。"
    )
    assert err.value.fix == f"先写起始年份，再写截止年份：years: {fix}"


@pytest.mark.parametrize(
    ("years", "in_2021", "in_2023"),
    [
        ("2020-2022", True, False),
        ("2021-2021", True, False),
        ("2023-", False, True),
        ("2021", True, False),
    ],
)
def test_ranges_in_order_still_place_the_chapter(tmp_path, years, in_2021, in_2023):
    report = _declare(tmp_path, years)
    assert ("epidemic" in [e.name for e in report.for_year(2021)]) is in_2021
    assert ("epidemic" in [e.name for e in report.for_year(2023)]) is in_2023


def test_validate_reports_a_reversed_range(tmp_path, capsys):
    """The tester's case: `validate` found 0 problems while the chapter was in no year."""
    ws = Workspace(tmp_path / "ws")
    ws.create_from_project()
    text = (ws.root / "report.yaml").read_text(encoding="utf-8")
    assert "years: 2020-2022" in text
    (ws.root / "report.yaml").write_text(
        text.replace("years: 2020-2022", "years: 2022-2020"), encoding="utf-8"
    )
    code = main(["validate", "--year", "2021", "--workspace", str(ws.root)])
    out = capsys.readouterr()
    assert code != 0
    assert "epidemic.years 是 '2022-2020'：起止年份写反了" in out.out + out.err
    assert "years: 2020-2022" in out.out + out.err


@pytest.mark.parametrize(
    ("years", "dash", "called", "fix"),
    [
        ("2020—2022", "—", "破折号 U+2014", "2020-2022"),
        ("2020－2022", "－", "全角连字符 U+FF0D", "2020-2022"),
        ("2020 – 2022", "–", "短破折号 U+2013", "2020-2022"),
        ("2023—", "—", "破折号 U+2014", "2023-"),
    ],
)
def test_a_range_joined_by_another_dash_names_it_and_asks_for_the_hyphen(
    tmp_path, years, dash, called, fix
):
    """Found by the tester (round 21): 2020—2022 was told to be written 2020-2022, which looks
    the same."""
    with pytest.raises(DeclarationError) as err:
        _declare(tmp_path, years)
    assert str(err.value).startswith(
        f"{tmp_path / 'ws' / 'report.yaml'} 第 6 行（第 3 章）：epidemic.years 是 {years!r}："
        f"连接年份的是 {dash!r}（{called}），不是半角连字符 -。"
    )
    assert err.value.fix == (
        f"把 {dash} 换成半角连字符 -（键盘上的减号键，半角状态下输入）：years: {fix}"
    )


def test_a_reversed_range_with_a_full_width_dash_is_given_both_fixes(tmp_path):
    with pytest.raises(DeclarationError) as err:
        _declare(tmp_path, "2022－2020")
    assert str(err.value).startswith(
        f"{tmp_path / 'ws' / 'report.yaml'} 第 6 行（第 3 章）：epidemic.years 是 '2022－2020'："
        "连接年份的是 '－'（全角连字符 U+FF0D），不是半角连字符 -，而且起止年份写反了。"
    )
    assert err.value.fix == (
        "把 － 换成半角连字符 -（键盘上的减号键，半角状态下输入），"
        "并先写起始年份、再写截止年份：years: 2020-2022"
    )


@pytest.mark.parametrize("years", ["2020,2022", "twenty", "20202022"])
def test_other_values_are_still_given_the_forms_to_write(tmp_path, years):
    with pytest.raises(DeclarationError) as err:
        _declare(tmp_path, years)
    assert "连接年份" not in str(err.value)
    assert err.value.fix == "写 2020-2022、2023-（从2023年起）、-2022（到2022年为止）或 2023"
