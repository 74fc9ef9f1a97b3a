"""Content-addressed caches: file digests, validated tables as Parquet, and chapter keys.

A raw file is hashed once per (size, mtime, ctime, inode): an edit that keeps its size and
mtime (``touch -d``, ``cp -p``, a sync tool) still changes its ctime, which no program can set
back. Files under 256 KiB are hashed every time as well (about 1.5 ms per MB), for file
systems whose ctime does not follow writes (FAT/exFAT sticks, some network shares); README.md
has the measured costs. The digest is XXH3-128 (xxhash): it guards against accidents, not
attacks, and reads a gigabyte in 0.15 s where BLAKE2 took 1.5 s. A table-year that passed the
contract is stored as Parquet under a key made of the file's digest, the contract and the
reading code, so no chapter parses a CSV or XLSX that has not changed. Cache files are written atomically; deleting ``.cache/`` is safe.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import socket
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from helpers import paths

_lock = threading.Lock()
_memo: dict[str, list] | None = None
# files smaller than this are hashed on every call, never memoised. Elsewhere a larger file is
# remembered by its ctime too, which every write renews; on Windows st_ctime is the creation time,
# which an edit keeps, so there every file is hashed (about 0.2 s for the sample's 127 MB)
ALWAYS_HASH = float("inf") if sys.platform == "win32" else 1 << 18


def _tmp(path: Path) -> Path:
    """A temporary name beside ``path`` for an atomic write, private to this machine, process and
    thread (a batch of reports builds several at once in threads of one process, and a cluster's
    workers on several machines may share the cache's folder)."""
    host = socket.gethostname()
    return path.with_name(f"{path.name}.{host}-{os.getpid()}-{threading.get_ident()}.tmp")


def _digest_file() -> Path:
    return paths.cache_dir() / "digests-xxh3.json"  # BLAKE2 digests were kept in digests.json


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
    tmp = _tmp(target)
    tmp.write_text(json.dumps(_memo), encoding="utf-8")
    tmp.replace(target)


def file_digest(path: Path) -> str:
    """XXH3-128 digest of a file's bytes. Small files are hashed each time; a large one is
    remembered per (size, mtime, ctime, inode), which every change of its bytes renews. A file
    that cannot be read gets ``unreadable:<errno>``, so keys can still be made; reading it is
    what reports why."""
    st = path.stat()
    if st.st_size < ALWAYS_HASH:
        return _hash_or_errno(path)
    key = str(path.resolve())
    stamp = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
    with _lock:
        hit = _load_memo().get(key)
        if hit and hit[:-1] == stamp:
            return hit[-1]
    digest = _hash_or_errno(path)
    if digest.startswith("unreadable:"):
        return digest
    with _lock:
        _load_memo()[key] = [*stamp, digest]
        _save_memo()
    return digest


def prefetch_digests(paths) -> None:
    """Hash, two at a time, the large files among ``paths`` whose digest is not remembered for
    their current stamp, and remember them all at once (``file_digest`` then answers from memory):
    xxhash lets go of the interpreter while it hashes, so the two threads share the reading."""
    from concurrent.futures import ThreadPoolExecutor

    todo = {}
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            continue
        if st.st_size < ALWAYS_HASH:
            continue
        stamp = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
        key = str(path.resolve())
        with _lock:
            hit = _load_memo().get(key)
        if not (hit and hit[:-1] == stamp):
            todo[key] = (path, stamp)
    if not todo:
        return
    with ThreadPoolExecutor(min(2, len(todo))) as pool:
        hashed = pool.map(_hash_or_errno, [p for p, _ in todo.values()])
        digests = dict(zip(todo, hashed, strict=True))
    with _lock:
        memo = _load_memo()
        for key, digest in digests.items():
            if not digest.startswith("unreadable:"):
                memo[key] = [*todo[key][1], digest]
        _save_memo()


def _hash_or_errno(path: Path) -> str:
    import xxhash

    h = xxhash.xxh3_128()
    try:
        with path.open("rb") as f:
            for chunk in iter(lambda: f.read(1 << 22), b""):
                h.update(chunk)
    except OSError as exc:
        return f"unreadable:{exc.errno}"
    return h.hexdigest()


def per_stamp(
    name: str, files: list[Path], compute: Callable[[Path], int | None]
) -> dict[Path, int]:
    """Rough numbers about files (``compute(path)``, e.g. their rows for a warning), kept in
    ``.cache/<name>.json`` per (size, mtime, ctime, inode) of each file: while a file does not
    change it is neither hashed nor read again. A file with no number is left out."""
    store = paths.cache_dir() / f"{name}.json"
    with _lock:
        try:
            known = json.loads(store.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
    out, new = {}, False
    for path in files:
        try:
            st = path.stat()
        except OSError:
            continue
        key = f"{path.resolve()}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"
        if key not in known:
            value = compute(path)
            if value is None:
                continue
            known[key], new = value, True
        out[path] = known[key]
    if new:
        with _lock:
            store.parent.mkdir(parents=True, exist_ok=True)
            tmp = _tmp(store)
            tmp.write_text(json.dumps(known), encoding="utf-8")
            tmp.replace(store)
    return out


def text_digest(*parts: str | bytes) -> str:
    """Digest of several strings or byte strings."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part if isinstance(part, bytes) else part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


# What a chapter's result depends on: the code its kernel runs (figures, the text's inputs and
# composition, notebook outputs, reading tables, the basics) and the template of its HTML page.
# The CLI, the build's steps, assembly, Word, PDF and the check are not: editing them re-assembles
# the report but runs no chapter again.
KERNEL_CODE = (
    "figures",
    "inputs",
    "data",
    "render/compose.py",
    "render/report.py",
    "render/charts.py",
    "render/fonts.py",
    "render/templates/chapter",
    "chapter.py",
    "fmt.py",
    "stats.py",
    "errors.py",
    "paths.py",
    "workspace.py",
    "__init__.py",
)


def code_digest(only: tuple[str, ...] | None = None) -> str:
    """Digest of the helpers package's sources and templates (``only``: these files and folders
    of it, e.g. KERNEL_CODE); the sample generator is never part of it."""
    return code_digests(only)[0]


def code_digests(*selections: tuple[str, ...] | None) -> list[str]:
    """``code_digest`` of each selection (None: the whole package), each file read once."""
    files = sorted(
        p
        for p in paths.HELPERS.rglob("*")
        if p.is_file()
        and p.suffix in {".py", ".j2", ".css", ".json"}
        and "sample" not in p.relative_to(paths.HELPERS).parts
    )
    named = [(p.relative_to(paths.HELPERS), file_digest(p)) for p in files]
    return [
        text_digest(
            *(
                f"{rel}:{digest}"
                for rel, digest in named
                if only is None or _under(rel.as_posix(), only)
            )
        )
        for only in selections
    ]


def _under(relative: str, parts: tuple[str, ...]) -> bool:
    return any(relative == p or relative.startswith(p.rstrip("/") + "/") for p in parts)


def table_entry(table: str, year: int, source: Path, contract: str) -> Path:
    """Where the metadata of one validated table-year from ``source`` is cached (JSON); the rows
    are in the Parquet file beside it, or, when the source is Parquet already in the contract's
    form, in the source itself (no copy of the largest tables)."""
    key = text_digest(file_digest(source), contract, _reading_code())
    return paths.cache_dir() / "tables" / table / f"{year}-{key}.json"


@functools.cache
def _reading_code() -> str:
    """The digest of the code that reads and checks tables (the whole ``helpers/data`` package,
    the contract included), as this process runs it: a change in how tables are read checks
    them again."""
    return code_digest(("data", "errors.py"))


def write_atomic(frame, entry: Path, meta: dict, rows_per_group: int = 2_000_000) -> None:
    """Store a validated frame as Parquet beside its metadata (``entry``), both atomically:
    the metadata is written last, so an entry whose JSON exists is complete.

    Written in row groups, so only one slice at a time is converted to Arrow (a 61 million row
    table would otherwise need a second full copy in memory)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    target = entry.with_suffix(".parquet")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = _tmp(target)
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
    tmp = _tmp(entry)
    tmp.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    tmp.replace(entry)
