"""Content-addressed caches: file digests, validated tables as Parquet, and chapter keys.

A raw file is hashed once per (size, mtime); a table-year that passed the contract is stored
as Parquet under a key made of the file's digest and the contract, so no chapter parses a CSV
or XLSX that has not changed. Cache files are written atomically; deleting ``.cache/`` is safe.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path

from . import paths

_lock = threading.Lock()
_memo: dict[str, list] | None = None


def _digest_file() -> Path:
    return paths.cache_dir() / "digests.json"


def _load_memo() -> dict[str, list]:
    global _memo
    if _memo is None:
        try:
            _memo = json.loads(_digest_file().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            _memo = {}
    return _memo


def _save_memo() -> None:
    target = _digest_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(_memo), encoding="utf-8")
    tmp.replace(target)


def file_digest(path: Path) -> str:
    """BLAKE2 digest of a file's bytes, remembered per (size, mtime) so unchanged files are not re-read."""
    st = path.stat()
    key = str(path.resolve())
    with _lock:
        memo = _load_memo()
        hit = memo.get(key)
        if hit and hit[0] == st.st_size and hit[1] == st.st_mtime_ns:
            return hit[2]
    h = hashlib.blake2b(digest_size=16)
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 22), b""):
            h.update(chunk)
    digest = h.hexdigest()
    with _lock:
        _load_memo()[key] = [st.st_size, st.st_mtime_ns, digest]
        _save_memo()
    return digest


def text_digest(*parts: str | bytes) -> str:
    """Digest of several strings or byte strings."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part if isinstance(part, bytes) else part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def code_digest() -> str:
    """Digest of the helpers package (its Python sources and templates): a code change rebuilds all."""
    files = sorted(
        p
        for p in paths.HELPERS.rglob("*")
        if p.is_file()
        and p.suffix in {".py", ".j2", ".css", ".json"}
        and "sample" not in p.relative_to(paths.HELPERS).parts
    )
    return text_digest(*(f"{p.relative_to(paths.HELPERS)}:{file_digest(p)}" for p in files))


def table_entry(table: str, year: int, source: Path, contract: str) -> Path:
    """Where the metadata of one validated table-year from ``source`` is cached (JSON); the rows
    are in the Parquet file beside it, or, when the source is Parquet already in the contract's
    form, in the source itself (no copy of the largest tables)."""
    # the loader's own code is part of the key: a change in how tables are read checks them again
    key = text_digest(file_digest(source), contract, file_digest(paths.HELPERS / "loader.py"))
    return paths.cache_dir() / "tables" / table / f"{year}-{key}.json"


def write_atomic(frame, entry: Path, meta: dict, rows_per_group: int = 2_000_000) -> None:
    """Store a validated frame as Parquet beside its metadata (``entry``), both atomically:
    the metadata is written last, so an entry whose JSON exists is complete.

    Written in row groups, so only one slice at a time is converted to Arrow (a 61 million row
    table would otherwise need a second full copy in memory)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    target = entry.with_suffix(".parquet")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    schema = pa.Schema.from_pandas(frame.iloc[:0], preserve_index=False)
    with pq.ParquetWriter(tmp, schema) as writer:
        for start in range(0, max(len(frame), 1), rows_per_group):
            piece = pa.Table.from_pandas(
                frame.iloc[start : start + rows_per_group], schema=schema, preserve_index=False
            )
            writer.write_table(piece)
    tmp.replace(target)
    write_meta(entry, {**meta, "rows": target.name})


def write_meta(entry: Path, meta: dict) -> None:
    """The metadata of a validated table-year; ``meta["rows"]`` names the file holding its rows."""
    entry.parent.mkdir(parents=True, exist_ok=True)
    tmp = entry.with_name(f"{entry.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    tmp.replace(entry)
