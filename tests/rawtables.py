"""Small raw tables written as CSV with the contract's headers, for tests that need a few rows."""

from __future__ import annotations

import csv
from pathlib import Path

from helpers.data.contract import TABLES


def write(data_dir: Path, table: str, year: int, rows: list[dict]) -> Path:
    """``data_dir/<table>/<year>.csv`` with every contract column (missing optional cells empty)."""
    columns = [c.name for c in TABLES[table].columns]
    path = Path(data_dir) / table / f"{year}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: "" if row.get(c) is None else row.get(c) for c in columns})
    return path


def accidents(year: int, n: int, deaths: int) -> list[dict]:
    """``n`` accidents in ``year`` with ``deaths`` deaths in all (on the first accident)."""
    return [
        {
            "accident_id": f"A{year}{i:05d}",
            "occurred_at": f"{year}-03-01 08:00:00",
            "town": "莞城",
            "deaths": deaths if i == 0 else 0,
            "injuries": 1,
        }
        for i in range(n)
    ]
