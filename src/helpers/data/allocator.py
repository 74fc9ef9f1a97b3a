"""Which allocator Arrow uses for the tables it reads, chosen before the first table is read.

pyarrow's wheels allocate with mimalloc by default. On Linux (4 KiB pages) its own jemalloc
is chosen instead: reading the 490 MB house-id column of ten times the sample took 11 s with
mimalloc on a virtual machine that hands fresh memory back to its host (9 s of it in the
kernel) and 1.6 s with jemalloc, the same 1.1 s of user time; README.md has the measurements.
Elsewhere (Windows, macOS, 64 KiB pages, where pyarrow's jemalloc cannot start) the default
stays. A value the user set in ``ARROW_DEFAULT_MEMORY_POOL`` is kept.
"""

from __future__ import annotations

import os
import sys

CHOSEN = "jemalloc"


def choose() -> None:
    """Set Arrow's allocator for this process and the processes it starts (kernels, workers
    inherit the environment); if pyarrow is loaded already, switch its default pool too."""
    if sys.platform != "linux" or os.sysconf("SC_PAGE_SIZE") != 4096:
        return
    if os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", CHOSEN) != CHOSEN:
        return  # the user's choice
    arrow = sys.modules.get("pyarrow")
    if arrow is None:
        return  # read from the environment when pyarrow first allocates
    try:
        if arrow.default_memory_pool().backend_name != CHOSEN:
            arrow.set_memory_pool(arrow.jemalloc_memory_pool())
    except (NotImplementedError, AttributeError):  # a pyarrow built without jemalloc
        pass
