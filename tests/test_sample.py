"""The generator is deterministic and calibrated: computing figures from its tables gives the published values."""

import hashlib

import pytest

from helpers import figures, sample
from helpers.errors import ReportError


def digest(folder):
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_same_seed_same_bytes(tmp_path):
    sample.generate(tmp_path / "a", scale=0.01)
    sample.generate(tmp_path / "b", scale=0.01)
    assert digest(tmp_path / "a") == digest(tmp_path / "b")


def test_other_seed_other_data(tmp_path):
    sample.generate(tmp_path / "a", scale=0.01, seed=1)
    sample.generate(tmp_path / "b", scale=0.01, seed=2)
    a, b = digest(tmp_path / "a"), digest(tmp_path / "b")
    assert a["hotline_tickets/2021.csv"] != b["hotline_tickets/2021.csv"]


def test_scale_multiplies_record_counts(tmp_path, sample_dir):
    sample.generate(tmp_path, scale=0.01)
    small = (tmp_path / "hotline_tickets" / "2021.csv").stat().st_size
    full = (sample_dir / "hotline_tickets" / "2021.csv").stat().st_size
    assert 0.005 < small / full < 0.02


@pytest.fixture(scope="module")
def figures_2021(sample_dir):
    return figures.compute_all(2021, sample_dir)


# shown in 万, or as 30多/1100余: the published text is the check, not the rounded value in the table
SHOWN_ROUNDED = {"F003", "F026", "F036", "F039", "F044", "F045", "F046", "F059"}


def test_every_published_figure_is_computed(figures_2021, published):
    assert set(figures_2021) == set(published)


@pytest.mark.parametrize("fid", [f"F{i:03d}" for i in range(1, 76)])
def test_figure_reproduces_the_published_value(figures_2021, published, fid):
    fig, expected = figures_2021[fid], published[fid]
    if fid in SHOWN_ROUNDED:
        assert fig.display == expected["published"]
    else:
        assert float(fig.value) == float(expected["value"])
    if fid in UNITS:  # sums of daily or per-record counts are person-times (人次), not persons
        assert fig.display == expected["published"].removesuffix(UNITS[fid][0]) + UNITS[fid][1]
    elif fid == "F052":  # the figure says the whole claim
        assert fig.display == "降幅为" + expected["published"]
    elif fid not in {
        "F001",
        "F023",
        "F067",
    }:  # colon, the unreachable 76.62%, brackets: compared above
        assert fig.display == expected["published"]


UNITS = {
    "F010": ("人", "人次"),
    "F011": ("人", "人次"),
    "F012": ("人", "人次"),
    "F050": ("名", "人次"),
    "F061": ("宗", "宗次"),
    "F062": ("起", "起次"),
}


def test_solved_cases_include_cases_filed_two_years_earlier(sample_dir):
    """The published 6580 and 172 count cases solved in 2021 whatever year they were filed: the
    sample holds such cases, so a count over this year's and last year's files falls short."""
    import pandas as pd

    cases = pd.concat(
        pd.read_parquet(sample_dir / "cases" / f"{y}.parquet") for y in (2018, 2019, 2020, 2021)
    )
    solved = cases[
        (cases["solved_date"].dt.year == 2021)
        & (cases["status"] != "已撤销")
        & (cases["kind"] == "刑事")
    ]
    old = solved[solved["filed_date"].dt.year <= 2019]
    assert (old["case_type"] == "电信网络诈骗").sum() > 0 and (old["case_type"] == "毒品").sum() > 0
    assert (solved["case_type"] == "电信网络诈骗").sum() == 6580
    assert (solved["case_type"] == "毒品").sum() == 172


def test_detentions_are_persons_and_some_are_detained_twice(sample_dir):
    import pandas as pd

    m = pd.read_parquet(sample_dir / "measures" / "2021.parquet")
    m = m[(m["measure"] == "行政拘留") & (m["status"] != "已撤销")]
    assert m["person_id"].nunique() < len(m)  # counting decisions would give another figure


def test_f023_shows_the_computed_value(figures_2021):
    fig = figures_2021["F023"]
    assert fig.display == "上升76.63%" and fig.prior == 5412 and fig.current == 9559


def test_refuses_to_overwrite_real_exports(tmp_path):
    own = tmp_path / "hotline_tickets" / "2021.csv"
    own.parent.mkdir(parents=True)
    own.write_text("mine", encoding="utf-8")
    with pytest.raises(ReportError, match="不会覆盖它们"):
        sample.generate(tmp_path, scale=0.01)
    assert own.read_text(encoding="utf-8") == "mine"


def test_regenerates_its_own_folder(tmp_path):
    sample.generate(tmp_path, scale=0.01)
    sample.generate(tmp_path, scale=0.01)
    assert (tmp_path / ".sample").exists()
