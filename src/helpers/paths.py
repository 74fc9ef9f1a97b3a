"""Every path the project uses, resolved from the project root (never from the working directory)."""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
PARAMS = ROOT / "params"
DATA = ROOT / "data" / "raw"
NARRATIVE = ROOT / "data" / "narrative"
REPORTS = ROOT / "reports"
HELPERS = Path(__file__).resolve().parent
TEMPLATES = Path(__file__).resolve().parent / "render" / "templates"


def params_file(year: int, params_dir: Path | None = None) -> Path:
    """The parameters file of one report year, e.g. ``params/2021.yaml``."""
    return (params_dir or PARAMS) / f"{year}.yaml"


def nearest_year_file(year: int, *folders: Path) -> Path | None:
    """The ``<year>.yaml`` to start a missing year from: in the first folder that has any, the
    nearest earlier year, else the nearest later one; None when no folder has one."""
    for folder in folders:
        years = sorted(int(p.stem) for p in Path(folder).glob("*.yaml") if p.stem.isdigit())
        if years:
            earlier = [y for y in years if y < year]
            chosen = earlier[-1] if earlier else min(years, key=lambda y: abs(y - year))
            return (Path(folder) / f"{chosen}.yaml").absolute()
    return None


def chapter_notebooks(notebooks_dir: Path | None = None) -> list[Path]:
    """Chapter notebooks in report order: the file name's numeric prefix is the order."""
    return sorted((notebooks_dir or NOTEBOOKS).glob("[0-9][0-9]_*.ipynb"))


def data_dir(folder: Path | str | None = None) -> Path:
    """The raw-data folder, absolute: the one given (a notebook parameter may be a string), else
    ``$LAWREPORT_DATA`` when set, else ``data/raw``. A relative folder is taken from the
    current directory, so resolve it before handing it to a kernel that runs elsewhere."""
    folder = folder or os.environ.get("LAWREPORT_DATA")
    return Path(folder).expanduser().resolve() if folder else DATA


def cache_dir() -> Path:
    """Where validated tables and file digests are cached: ``$LAWREPORT_CACHE`` or ``.cache/``."""
    return (
        Path(os.environ["LAWREPORT_CACHE"])
        if os.environ.get("LAWREPORT_CACHE")
        else ROOT / ".cache"
    )
