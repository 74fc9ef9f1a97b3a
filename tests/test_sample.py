"""The generator is deterministic and calibrated: computing figures from its tables gives the published values."""

import hashlib

import pytest

from helpers import sample
from helpers.errors import ReportError
from helpers.figures import services


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


@pytest.mark.parametrize("fid", ["F068", "F069", "F070", "F071", "F072", "F073", "F074"])
def test_services_figures_reproduce_published(sample_dir, published, fid):
    figs = services.compute(*services.load(2021, sample_dir))
    expected = published[fid]
    assert figs[fid].display == expected["published"]
    assert float(figs[fid].value) == float(expected["value"])


def test_refuses_to_overwrite_real_exports(tmp_path):
    own = tmp_path / "hotline_tickets" / "2021.csv"
    own.parent.mkdir(parents=True)
    own.write_text("mine", encoding="utf-8")
    with pytest.raises(ReportError, match="will not overwrite"):
        sample.generate(tmp_path, scale=0.01)
    assert own.read_text(encoding="utf-8") == "mine"


def test_regenerates_its_own_folder(tmp_path):
    sample.generate(tmp_path, scale=0.01)
    sample.generate(tmp_path, scale=0.01)
    assert (tmp_path / ".sample").exists()
