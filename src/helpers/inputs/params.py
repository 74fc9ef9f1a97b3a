"""A report year's parameters: ``params/<year>.yaml``, checked before anything runs.

Every key is required and typed; unknown keys are refused (papermill only warns). YAML is
read so that dates stay strings (``2022-03-01`` is not turned into a ``date``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from helpers import paths
from helpers.errors import ParamsError
from helpers.inputs.yamlfile import parse_yaml, read_text

# name -> (type, what it means); each is injected into every chapter notebook's parameters cell
SCHEMA: dict[str, tuple[type, str]] = {
    "year": (int, "the report year, e.g. 2021"),
    "organ": (str, "issuing organ, e.g. 东莞市公安局"),
    "city": (str, "city name used in the text, e.g. 东莞"),
    "province": (str, "province whose cities the rankings compare, e.g. 广东"),
    "report_date": (str, "date printed under the report, ISO form YYYY-MM-DD"),
    "notes": (
        dict,
        "notes for the data annex by figure id, e.g. F023: 与公开稿的差异说明 (may be {})",
    ),
}


def load_params(year: int, params_dir: Path | None = None) -> dict:
    """Read and check ``params/<year>.yaml``; returns the parameters to inject."""
    path = paths.params_file(year, params_dir)
    if not path.exists():
        path = path.absolute()
        nearest = paths.nearest_year_file(year, path.parent, paths.PARAMS)
        raise ParamsError(
            f"No parameters file for {year}: {path} does not exist.",
            fix=(
                f"copy {nearest} to {path} and change it for {year}"
                if nearest
                else f"create {path} with the keys: {', '.join(SCHEMA)}"
            ),
        )
    data = parse_yaml(read_text(path, "the parameters", ParamsError), path, ParamsError)
    return check_params(_plain(data), path, year)


def _plain(data):
    """Strings that remember their line back to plain strings (the parameters go into notebooks)."""
    if isinstance(data, dict):
        return {_plain(k): _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    return str(data) if isinstance(data, str) else data


def check_params(data: object, path: Path | str, year: int | None = None) -> dict:
    """Refuse unknown keys, missing keys and values of the wrong type."""
    if not isinstance(data, dict):
        raise ParamsError(
            f"{path} must hold a mapping of name: value, found {type(data).__name__}."
        )
    unknown = sorted(set(data) - set(SCHEMA))
    if unknown:
        raise ParamsError(
            f"{path}: unknown parameter(s) {', '.join(unknown)}.",
            fix=f"remove them or correct the spelling; known parameters: {', '.join(SCHEMA)}",
        )
    missing = [k for k in SCHEMA if k not in data]
    if missing:
        raise ParamsError(
            f"{path}: missing parameter(s) {', '.join(missing)}.",
            fix="add " + "; ".join(f"{k} ({SCHEMA[k][1]})" for k in missing),
        )
    for key, (typ, meaning) in SCHEMA.items():
        value = data[key]
        if not isinstance(value, typ) or (typ is int and isinstance(value, bool)):
            raise ParamsError(
                f"{path}: parameter {key} = {value!r} is a {type(value).__name__}, expected {typ.__name__}.",
                fix=f"write {key} as {meaning}",
            )
    bad_notes = [
        k for k, v in data["notes"].items() if not (isinstance(k, str) and isinstance(v, str))
    ]
    if bad_notes:
        raise ParamsError(
            f"{path}: notes must map a figure id to a text; check {bad_notes}.",
            fix="write each note as  F023: 说明文字",
        )
    try:
        dt.date.fromisoformat(data["report_date"])
    except ValueError as exc:
        raise ParamsError(
            f"{path}: report_date = {data['report_date']!r} is not a date.",
            fix="write it as YYYY-MM-DD, e.g. 2022-03-01",
        ) from exc
    if year is not None and data["year"] != year:
        raise ParamsError(
            f"{path}: year is {data['year']}, but the file is for {year}.",
            fix=f"set year: {year}",
        )
    return dict(data)
