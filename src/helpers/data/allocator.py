"""How this process and the ones it starts get memory, chosen before the first table is read.

Arrow: pyarrow's wheels allocate with mimalloc by default. On Linux (4 KiB pages) its own
jemalloc is chosen instead: reading the 490 MB house-id column of ten times the sample took 11 s
with mimalloc on a virtual machine that hands fresh memory back to its host (9 s of it in the
kernel) and 1.6 s with jemalloc, the same 1.1 s of user time; README.md has the measurements.
Elsewhere (Windows, macOS, 64 KiB pages, where pyarrow's jemalloc cannot start) the default
stays. A value the user set in ``ARROW_DEFAULT_MEMORY_POOL`` is kept.

numpy: on Linux numpy asks the kernel for huge pages (``madvise``) for every large array. On
that machine a fresh 490 MB array then took 3.3-4.9 s of system time to fill, against 0.3 s
in 4 KiB pages, and opening the safety chapter at ten times the sample 6.5-10 s against
6.0-6.6 s. Huge pages are turned off (``NUMPY_MADVISE_HUGEPAGE=0``, numpy's own switch)
unless the user set that variable.

BLAS: numpy's OpenBLAS starts a thread per core when imported, which waits for work by spinning
for a while; the build runs as many processes as cores (workers, kernels) and does no matrix
algebra, so those threads only took a core from another process (3% of checking the alarms).
One thread (``OPENBLAS_NUM_THREADS=1``, as joblib's workers set it) unless the user set it.
"""

from __future__ import annotations

import os
import sys

CHOSEN = "jemalloc"
HUGEPAGES = "NUMPY_MADVISE_HUGEPAGE"
BLAS_THREADS = "OPENBLAS_NUM_THREADS"


def choose() -> None:
    """Arrow's allocator, numpy's pages and BLAS threads, for this process and those it starts
    (numpy reads the BLAS variable when imported: if it is loaded already, the setting holds
    for the processes started from now on). With one thread a sum of products may differ from
    a multi-threaded one in its last digit (another order of adding); no figure uses BLAS."""
    _arrow()
    _numpy()
    os.environ.setdefault(BLAS_THREADS, "1")


def _numpy() -> None:
    """No huge pages for numpy's arrays, unless the user asked for them in the environment; if
    numpy is loaded already (it reads the variable when imported), switch it now."""
    if sys.platform != "linux":
        return
    if os.environ.setdefault(HUGEPAGES, "0") != "0":
        return  # the user's choice
    numpy = sys.modules.get("numpy")
    if numpy is None:
        return
    core = getattr(numpy, "_core", None) or getattr(numpy, "core", None)
    switch = getattr(getattr(core, "multiarray", None), "_set_madvise_hugepage", None)
    if switch is not None:  # what numpy itself calls with the variable's value
        switch(False)


def _arrow() -> None:
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
