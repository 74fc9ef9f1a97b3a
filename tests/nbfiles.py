"""Small notebooks of code cells, written for tests that run them."""

from __future__ import annotations

import json
from pathlib import Path


def code_notebook(path: Path, cells: list[str]) -> Path:
    """Write a Python 3 notebook of these code cells to ``path`` (its folder made) and return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "id": f"c{i}",
                "metadata": {},
                "outputs": [],
                "execution_count": None,
                "source": source,
            }
            for i, source in enumerate(cells)
        ],
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path
