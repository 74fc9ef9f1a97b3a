"""Write sample tables the way real exports look, byte-for-byte reproducibly."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pandas as pd

from helpers.data.contract import TABLES

FIXED_ZIP_TIME = (2022, 1, 1, 0, 0, 0)


def _headers(frame: pd.DataFrame, table: str, chinese: bool) -> pd.DataFrame:
    if not chinese:
        return frame
    spec = TABLES[table]
    return frame.rename(columns={c.name: c.zh for c in spec.columns})


def write_csv(
    frame: pd.DataFrame, path: Path, table: str, *, encoding: str = "utf-8", chinese: bool = False
) -> Path:
    """CSV as Excel or a database client writes it: ``utf-8``, ``utf-8-sig`` (BOM) or ``gb18030``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = _headers(frame, table, chinese).to_csv(
        index=False, lineterminator="\r\n" if encoding == "gb18030" else "\n"
    )
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(frame: pd.DataFrame, path: Path, table: str, *, title: str | None = None) -> Path:
    """XLSX with Chinese headers, optionally under a merged title row, as office exports have."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    out = _headers(frame, table, chinese=True)
    with pd.ExcelWriter(buf, engine="openpyxl") as xw:
        out.to_excel(xw, index=False, startrow=2 if title else 0, sheet_name="Sheet1")
        if title:
            ws = xw.sheets["Sheet1"]
            ws.cell(row=1, column=1, value=title)
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(out.columns))
    path.write_bytes(_normalise_zip(buf.getvalue()))
    return path


def _normalise_zip(data: bytes) -> bytes:
    """Fixed timestamps inside the XLSX zip and its core properties, so the bytes repeat."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2022-01-01T00:00:00Z", body)
            zi = zipfile.ZipInfo(info.filename, FIXED_ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, body)
    return out.getvalue()


def write_parquet(frame: pd.DataFrame, path: Path) -> Path:
    """Parquet, for the largest tables."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(path, index=False, compression="zstd")
    return path


FORMATS = {
    "csv": lambda f, p, t, **kw: write_csv(f, p, t, **kw),
    "xlsx": lambda f, p, t, **kw: write_xlsx(f, p, t, **kw),
    "parquet": lambda f, p, t, **kw: write_parquet(f, p),
}


def write(
    frame: pd.DataFrame, root: Path, table: str, year: int, fmt: str = "csv", **options
) -> Path:
    """Write one table-year to ``root/<table>/<year>.<fmt>`` in the columns' contract order."""
    order = [c.name for c in TABLES[table].columns if c.name in frame.columns]
    return FORMATS[fmt](frame[order], root / table / f"{year}.{fmt}", table, **options)
