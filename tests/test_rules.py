"""The contract's rules say the same in pandas and in Arrow (one table of rules, two engines)."""

import unicodedata

import pandas as pd
import pyarrow as pa
import pytest

from helpers.data import rules
from helpers.data.contract import Column

COUNT = Column("n", "数量", "int", "count", min=0)
RATE = Column("r", "比率", "float", "rate", max=100)
KIND = Column("k", "类别", "category", "kind", allowed=("甲", "乙"))
NOTE = Column("t", "说明", "str", "note", required=False)
ID = Column("p", "证件号码", "str", "id", distinct=True)

CASES = [
    (COUNT, [1, 2, 3], "int64"),
    (COUNT, [1, -2, 3], "int64"),  # below the minimum
    (COUNT, [1.0, 2.5], "float64"),  # not whole
    (COUNT, [1.0, 2.0**64], "float64"),  # too large for 64 bits
    (COUNT, [1, 2**63 + 5], "uint64"),  # too large, unsigned
    (COUNT, [1, None], "float64"),  # an empty required cell
    (RATE, [99.5, 100.0], "float64"),
    (RATE, [99.5, 100.5], "float64"),  # above the maximum
    (RATE, [1.0, float("inf")], "float64"),  # infinite
    (RATE, [1.0, float("nan")], "float64"),  # NaN, not null: empty to pandas all the same
    (KIND, ["甲", "乙", "甲"], "category"),
    (KIND, ["甲", "丙"], "category"),  # not allowed
    (KIND, ["甲", None], "category"),  # empty and required
    (NOTE, ["x", None], "string"),  # optional: empty is fine
    (KIND, ["甲", "乙"], "plain"),  # a category stored as plain text in Parquet
    (KIND, ["甲", "丙", None], "plain"),  # … with a value not allowed
    (KIND, ["乙", None], "plain"),  # … empty and required
    (ID, ["110101199001011234", "4.419E+11"], "string"),  # an id Excel rounded
    (ID, ["110101199001011234", "4.419E+11"], "category"),  # … in a dictionary
    (ID, ["1E3-07", "E+5", "4.419e+11"], "string"),  # codes, not Excel's form: fine
    (NOTE, ["4.419E+11"], "string"),  # a note is no id: not judged
]


def _pandas(values, dtype):
    series = pd.Series(values, dtype="category" if dtype == "plain" else dtype)
    return series, series.isna()


def _arrow(values, dtype):
    if dtype == "category":
        return pa.array(values).dictionary_encode()
    if dtype == "plain":
        return pa.array(values, type=pa.large_string())
    if dtype == "uint64":
        return pa.array(values, type=pa.uint64())
    return pa.array(values)


@pytest.mark.parametrize(("col", "values", "dtype"), CASES)
def test_both_engines_judge_the_same(col, values, dtype):
    out, missing = _pandas(values, dtype)
    arrow = _arrow(values, dtype)
    for rule in rules.RULES:
        if rule.applies(col):
            assert bool(rule.pandas(out, missing, col).any()) == rule.arrow(arrow, col), rule.name


@pytest.mark.parametrize(
    ("col", "values", "dtype", "clean"),
    [
        (COUNT, [1, 2, 3], "int64", True),
        (COUNT, [1, -2], "int64", False),
        (KIND, ["甲", "丙"], "category", False),
        (KIND, ["甲", "丙"], "plain", False),
        (KIND, ["乙", "甲"], "plain", True),
        (NOTE, ["x", None], "string", True),
        (COUNT, [1.0, 2.5], "float64", False),
        (RATE, [1.0, float("inf")], "float64", False),
        (ID, ["110101199001011234", "1.10101199001011E+17"], "string", False),
        (ID, ["110101199001011234", "1E3-07"], "string", True),
    ],
)
def test_a_slice_is_clean_exactly_when_no_rule_is_broken(col, values, dtype, clean):
    assert rules.clean_slice(_arrow(values, dtype), col) is clean


def test_a_dictionary_is_judged_by_the_values_its_rows_use():
    """A slice read dictionary-encoded: a value of the dictionary that no row uses is no
    problem (the dictionary of a Parquet row group may hold more than one slice uses); a used
    one that is not allowed is."""
    unused = pa.DictionaryArray.from_arrays(pa.array([0, 0, 1]), pa.array(["甲", "乙", "丙"]))
    used = pa.DictionaryArray.from_arrays(pa.array([0, 2, 1]), pa.array(["甲", "乙", "丙"]))
    assert rules.clean_slice(unused, KIND) is True
    assert rules.clean_slice(used, KIND) is False
    assert rules.clean_slice(pa.array(["甲", "乙"]).dictionary_encode(), KIND) is True


# text an export may hold: letters, Chinese, and the spaces that surround values by mistake
TEXTS = ["HC1", "中", "a b", " x", "y ", "\u3000z", "w\u3000", "\tq", "q\n", "\xa0n", ""]
# and the invisible characters joined exports and web pages leave around values
TEXTS += ["x\u200b", "\ufeffx", "\u200b \u200d", "a\u200bb", "\u2060 y\u180e", "\u200c"]
# a soft hyphen, marks of writing direction, invisible operators (the tester's U+00AD U+2062)
TEXTS += ["\u00ad\u2062", "x\u200e", "\u202ay\u202c", "\u2066z\u2069", "a\u00adb"]
# every "format" character Unicode has in the first planes but the Arabic, Syriac and Kaithi
# number signs and the interlinear annotation marks (shaped into the text around them)
INVISIBLE = (
    "".join(
        chr(c)
        for c in range(0x10000)
        if unicodedata.category(chr(c)) == "Cf"
        and not (0x600 <= c <= 0x605 or c in (0x6DD, 0x70F, 0x890, 0x891, 0x8E2) or 0xFFF9 <= c)
    )
    + "\u180e"
)


def _stripped(value: str) -> str:
    while True:  # spaces and invisible characters, in any order, off both ends
        shorter = value.strip().strip(INVISIBLE)
        if shorter == value:
            return value
        value = shorter


def test_what_is_taken_off_is_every_space_python_knows_and_the_invisible_characters():
    spaces = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())
    assert set(rules.PADDING) == set(spaces) | set(INVISIBLE)


@pytest.mark.parametrize("value", TEXTS)
def test_a_padded_or_empty_text_is_seen_in_arrow(value):
    from helpers.data.checks import _padded

    values = pa.array(["ok", value, "fine"], pa.large_string())
    # what the full way does with it: strips it, and reads "" as missing
    changed = value == "" or _stripped(value) != value
    assert _padded(values) == changed
    assert _padded(values.dictionary_encode()) == changed


@pytest.mark.parametrize("value", TEXTS)
def test_the_full_way_strips_text_as_the_arrow_check_sees_it(tmp_path, value):
    from helpers.data import checks
    from helpers.data.contract import Table

    spec = Table(
        name="t",
        zh="表",
        row="一行",
        columns=(
            Column("n", "编号", "int", "no"),
            Column("u", "单位", "str", "unit", required=False),
        ),
        key=("n",),
        year_column=None,
        counts="每一行",
        source="测试",
    )
    raw = pd.DataFrame({"编号": ["1", "2", "3"], "单位": ["ok", value, "fine"]}, dtype=object)
    frame, problems = checks.check(raw, spec, tmp_path / "t.csv", 2)
    assert not problems
    got = frame["u"][1]
    assert pd.isna(got) if _stripped(value) == "" else got == _stripped(value)


@pytest.mark.parametrize(
    ("keys", "unique_and_sorted"),
    [
        (["A1", "A2", "B1"], True),
        (["A2", "A1"], False),  # unique, but not in order: the full way hashes them
        (["A1", "A1"], False),
        (["A1", None, "A2"], False),
        (["乙1", "甲1", "甲2"], True),  # 乙 is U+4E59, before 甲 (U+7532)
        (["甲1", "乙1"], False),
        (["z", "é", "中"], True),  # UTF-8 bytes sort as code points do
        (["only"], True),
        ([], True),
    ],
)
def test_text_keys_in_order_are_told_in_arrow(keys, unique_and_sorted):
    from helpers.data.checks import _strictly_increasing

    for dtype in (pd.StringDtype("pyarrow"), pd.StringDtype("python"), object):
        assert bool(_strictly_increasing(pd.Series(keys, dtype=dtype))) is unique_and_sorted


def test_a_duplicate_text_key_is_still_reported(tmp_path):
    from helpers.data import checks
    from helpers.data.contract import TABLES

    spec = TABLES["hotline_tickets"]
    key = spec.key[0]
    frame = pd.DataFrame(
        {key: pd.Series(["T1", "T3", "T3", "T2"], dtype=pd.StringDtype("pyarrow"))}
    )
    problems = checks._check_key(frame, spec, tmp_path / "2021.csv", 2)
    assert len(problems) == 1 and problems[0].rows == [3, 4] and problems[0].values == ["T3", "T3"]


def test_a_long_list_of_allowed_values_is_judged_in_both_engines():
    # a contract of an organ's own may allow thousands of values (units, places)
    units = Column(
        "u", "单位", "category", "unit", allowed=tuple(f"单位{i}" for i in range(40_000))
    )
    fine = ["单位0", "单位39999", "单位123"] * 1000
    wrong = [*fine, "单位40000"]
    for values, clean in ((fine, True), (wrong, False)):
        assert rules.clean_slice(pa.array(values).dictionary_encode(), units) is clean
        assert rules.clean_slice(pa.array(values), units) is clean
        series = pd.Series(values, dtype="category")
        assert (not rules.ALLOWED.pandas(series, series.isna(), units).any()) is clean


@pytest.mark.parametrize(
    "values",
    [
        ["2021-01-01 08:00:06", "2021-12-31 23:59:59", None, ""],
        ["2021-01-01", "2021-01-01T08", "2021-01-01 08:00", "2021-01-01T08:00:06.5"],
        ["0001-01-01", "9999-12-31 23:59:59"],
        ["2021-01-01 08:00:06", "2021/01/02"],  # not ISO: pandas parses the column
        ["2021-12-31 23:59:60", "2021-02-30"],  # no such times: left empty, said as unparsed
        ["2021-01-01 08:00:06.123456789"],  # nanoseconds
    ],
)
def test_times_parsed_by_arrow_are_those_pandas_gives(values):
    """Text times that Arrow parses (every value ISO 8601 without a zone) come out as pandas'
    ISO 8601 parser gives them, values and type; others are parsed by pandas as before."""
    from helpers.data.checks import _to_datetime

    text = pd.Series(values, dtype=pd.StringDtype("pyarrow"))
    out, zoned = _to_datetime(text)
    expected = pd.to_datetime(text.replace("", None), errors="coerce", format="ISO8601")
    assert zoned is None
    assert out.dtype == expected.dtype
    assert out.isna().tolist() == expected.isna().tolist()
    assert out.dropna().tolist() == expected.dropna().tolist()
