"""An organ's own export loads without being edited: data/raw/<table>/mapping.yaml maps its headers
and category values to the contract's (issue 13)."""

from pathlib import Path

import pytest

import rawtables
from helpers.cli import main
from helpers.data import loader, validate
from helpers.errors import DataError, ValidationError

ROWS = [
    {
        "摧毁时间": "2021-03-01",
        "团伙类型": "恶势力集团",
        "人数": "5",
        "状态": "已认定",
        "编号": "G1",
    },
    {
        "摧毁时间": "2021-04-01",
        "团伙类型": "黑社会性质组织",
        "人数": "9",
        "状态": "已认定",
        "编号": "G2",
    },
    {
        "摧毁时间": "2021-05-01",
        "团伙类型": "恶势力集团",
        "人数": "3",
        "状态": "已撤销",
        "编号": "G3",
    },
]
MAPPING = """# 本单位台账的导出表头、取值与契约的对照
columns:
  摧毁时间: 打掉日期
  团伙类型: 团伙类别
  人数: members
  状态: 认定状态
  编号: 团伙编号
values:
  团伙类别:
    恶势力集团: 恶势力犯罪集团
"""


def _export(folder, rows=ROWS):
    path = folder / "gangs" / "2021.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    header = list(rows[0])
    lines = [",".join(header)] + [",".join(r[h] for h in header) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_an_export_with_its_own_headers_and_values_loads_through_the_mapping(tmp_path):
    export = _export(tmp_path)
    (tmp_path / "gangs" / "mapping.yaml").write_text(MAPPING, encoding="utf-8")
    before = export.read_bytes()
    frame = loader.load("gangs", 2021, tmp_path)
    assert list(frame["gang_id"]) == ["G1", "G2", "G3"]
    assert list(frame["category"].astype(str)) == [
        "恶势力犯罪集团",
        "黑社会性质组织",
        "恶势力犯罪集团",
    ]
    assert list(frame["members"]) == [5, 9, 3]
    assert export.read_bytes() == before  # the export itself is never edited


def test_invisible_characters_around_headers_and_values_do_not_defeat_the_mapping(tmp_path):
    # a header and a value copied from a web page, a zero-width space and a word joiner after
    rows = [{**r} for r in ROWS]
    rows = [{(k + "\u200b" if k == "人数" else k): v for k, v in r.items()} for r in rows]
    rows[0]["团伙类型"] = "恶势力集团\u2060"
    _export(tmp_path, rows)
    (tmp_path / "gangs" / "mapping.yaml").write_text(MAPPING, encoding="utf-8")
    frame = loader.load("gangs", 2021, tmp_path)
    assert list(frame["members"]) == [5, 9, 3]
    assert list(frame["category"].astype(str))[0] == "恶势力犯罪集团"


def test_validate_says_which_mapping_was_applied(tmp_path, capsys):
    _export(tmp_path)
    (tmp_path / "gangs" / "mapping.yaml").write_text(MAPPING, encoding="utf-8")
    [check] = [r for r in validate.check_year(2021, tmp_path) if r.table == "gangs"]
    assert check.problems == [] and check.mapped == "应用了 mapping.yaml（5 个表头，2 个取值）"
    main(["validate", "--year", "2021", "--data-dir", str(tmp_path)])
    assert "✓ gangs 2021：3 行（2021.csv；应用了 mapping.yaml（5 个表头" in capsys.readouterr().out


def test_without_the_mapping_the_headers_are_errors_whose_fix_names_the_mapping(tmp_path):
    _export(tmp_path)
    with pytest.raises(ValidationError) as err:
        loader.load("gangs", 2021, tmp_path)
    text = str(err.value)
    assert "mapping.yaml" in text and "团伙类型" in text


def test_a_header_neither_in_the_contract_nor_mapped_is_still_an_error(tmp_path):
    _export(tmp_path)
    (tmp_path / "gangs" / "mapping.yaml").write_text(
        MAPPING.replace("  团伙类型: 团伙类别\n", ""), encoding="utf-8"
    )
    with pytest.raises(ValidationError, match="(?s)团伙类型.*把表头"):
        loader.load("gangs", 2021, tmp_path)


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            ("摧毁时间: 打掉日期", "摧毁时间: 毁灭日期"),
            "第 3 行：'摧毁时间' 对应到 '毁灭日期'，但它不是 gangs（",
        ),
        (
            ("恶势力集团: 恶势力犯罪集团", "恶势力集团: 恶势力"),
            "'恶势力集团' 对应到 '恶势力'，但它不是团伙类别",
        ),
        (("values:", "valuez:"), "表头对照只能有 `columns:` 和 `values:`"),
        (
            ("values:\n  团伙类别:\n    恶势力集团: 恶势力犯罪集团\n", "values: [团伙类别]\n"),
            "`values:` 必须是对照（每行  导出中的写法: 契约中的写法）",
        ),
    ],
)
def test_a_wrong_mapping_is_one_clear_error(tmp_path, edit, expected):
    _export(tmp_path)
    (tmp_path / "gangs" / "mapping.yaml").write_text(MAPPING.replace(*edit), encoding="utf-8")
    with pytest.raises(DataError, match=expected.replace("(", r"\(").replace(")", r"\)")) as err:
        loader.load("gangs", 2021, tmp_path)
    assert err.value.file == tmp_path / "gangs" / "mapping.yaml"


def test_a_changed_mapping_checks_the_table_again(tmp_path):
    _export(tmp_path)
    path = tmp_path / "gangs" / "mapping.yaml"
    path.write_text(MAPPING, encoding="utf-8")
    assert (loader.load("gangs", 2021, tmp_path)["category"] == "恶势力犯罪集团").sum() == 2
    path.write_text(
        MAPPING.replace("恶势力集团: 恶势力犯罪集团", "恶势力集团: 其它网黑团伙"), encoding="utf-8"
    )
    assert (loader.load("gangs", 2021, tmp_path)["category"] == "其它网黑团伙").sum() == 2


def test_the_contracts_own_headers_need_no_mapping(tmp_path):
    rawtables.write(
        tmp_path,
        "gangs",
        2021,
        [
            {
                "gang_id": "G1",
                "dismantled_date": "2021-03-01",
                "category": "恶势力犯罪集团",
                "members": 5,
                "status": "已认定",
            }
        ],
    )
    assert len(loader.load("gangs", 2021, tmp_path)) == 1


def test_a_column_twice_names_a_mapped_header_as_the_file_has_it(tmp_path):
    """Found by the tester: 摧毁时间, mapped to 打掉日期, beside a column headed 打掉日期, was
    named by its mapped name in the error, not as the file heads column A."""
    rows = [{**r, "打掉日期": r["摧毁时间"]} for r in ROWS]
    _export(tmp_path, rows)
    (tmp_path / "gangs" / "mapping.yaml").write_text(MAPPING, encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        loader.load("gangs", 2021, tmp_path)
    said = [p.message for p in err.value.problems if "在表头中出现了 2 次" in p.message]
    assert said and "第 1 列（A）的 '摧毁时间'和第 6 列（F）的 '打掉日期'" in said[0]


def _mapping_error(tmp_path, text: str) -> tuple[Path, DataError]:
    """The error loading the sample export with ``text`` as its mapping.yaml."""
    _export(tmp_path)
    path = tmp_path / "gangs" / "mapping.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as err:
        loader.load("gangs", 2021, tmp_path)
    return path, err.value


def test_two_headers_of_one_export_mapped_to_one_column_is_the_mappings_error(tmp_path):
    """Found by the tester: the CSV was blamed ("列 成员人数 在表头中出现了 2 次 … 删去另一列")
    for what the mapping said."""
    path, error = _mapping_error(tmp_path, MAPPING.replace("状态: 认定状态", "状态: 成员人数"))
    assert str(error).startswith(
        f"{path} 第 6 行：'人数' 和 '状态' 都对应到 成员人数，而导出的文件中这两列都有"
    )
    assert error.file == path and "在表头中出现了" not in str(error)
    assert "只保留内容是“抓获的成员数”的那一列的对照" in error.fix


def test_one_mapping_may_map_each_years_own_header_to_the_same_column(tmp_path):
    """The mapping serves every year's file of the table: 2021's export heads the count 人数,
    2022's 抓获人数; both mapped to members is right as long as no file has both."""
    _export(tmp_path)
    rows = [{**{k: v for k, v in r.items() if k != "人数"}, "抓获人数": r["人数"]} for r in ROWS]
    rows = [{**r, "摧毁时间": r["摧毁时间"].replace("2021", "2022")} for r in rows]
    path = tmp_path / "gangs" / "2022.csv"
    header = list(rows[0])
    lines = [",".join(header)] + [",".join(r[h] for h in header) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "gangs" / "mapping.yaml").write_text(
        MAPPING.replace("  人数: members\n", "  人数: members\n  抓获人数: 成员人数\n"),
        encoding="utf-8",
    )
    assert list(loader.load("gangs", 2021, tmp_path)["members"]) == [5, 9, 3]
    assert list(loader.load("gangs", 2022, tmp_path)["members"]) == [5, 9, 3]


@pytest.mark.parametrize(
    "text",
    ["", "# 对照以后再写\n", "columns: {}\n", "columns: {}\nvalues: {}\n", "columns:\nvalues:\n"],
)
def test_an_empty_mapping_is_an_error_not_ignored(tmp_path, text):
    """Found by the tester: an empty mapping.yaml was ignored, and the header error then said to
    put the mapping in that very file."""
    path, error = _mapping_error(tmp_path, text)
    assert str(error).startswith(f"{path}：表头对照是空的：没有一个表头或取值的对照。")
    assert error.file == path
    assert error.fix.endswith("不需要对照时，删去这个文件")


def test_values_keyed_by_the_exports_header_are_told_to_use_the_contracts(tmp_path):
    """Found by the tester: values: {团伙类型: …}, 团伙类型 being the export's header mapped to
    团伙类别, was said as "'团伙类型' 对应到 '团伙类型'，但它不是…的列"."""
    path, error = _mapping_error(tmp_path, MAPPING.replace("  团伙类别:\n", "  团伙类型:\n"))
    assert str(error).startswith(
        f"{path} 第 9 行：values 中的 '团伙类型' 是导出中的表头；values 按契约的表头写"
        "（columns: 中 '团伙类型' 对应到 团伙类别）。"
    )
    assert error.fix == "把 values 下的 团伙类型: 改为 团伙类别:"
    path.write_text(MAPPING.replace("  团伙类别:\n", "  category:\n"), encoding="utf-8")
    assert (loader.load("gangs", 2021, tmp_path)["category"] == "恶势力犯罪集团").sum() == 2


def test_values_keyed_by_no_column_at_all_say_so(tmp_path):
    _export(tmp_path)
    path = tmp_path / "gangs" / "mapping.yaml"
    path.write_text(MAPPING.replace("  团伙类别:\n", "  团伙种类:\n"), encoding="utf-8")
    with pytest.raises(DataError) as err:
        loader.load("gangs", 2021, tmp_path)
    assert str(err.value).startswith(
        f"{path} 第 9 行：values 中的 '团伙种类' 不是 gangs（打掉团伙表）的列。"
    )
    assert "对应到 '团伙种类'" not in str(err.value)
