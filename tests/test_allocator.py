"""Arrow's allocator: jemalloc on Linux with 4 KiB pages, chosen however pyarrow was loaded, and
a choice the user made in the environment kept; numpy without huge pages on Linux, likewise
(helpers.data.allocator). Each case runs in a fresh interpreter, without the variable set."""

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(
    sys.platform != "linux" or os.sysconf("SC_PAGE_SIZE") != 4096,
    reason="jemalloc is chosen only on Linux with 4 KiB pages; elsewhere Arrow's default stays",
)

ARROW = "ARROW_DEFAULT_MEMORY_POOL"
POOL = "import pyarrow\nprint(pyarrow.default_memory_pool().backend_name)"
NUMPY = "NUMPY_MADVISE_HUGEPAGE"
# numpy's huge pages: ``_set_madvise_hugepage`` returns the setting it replaces
HUGE = "import numpy\nprint(numpy._core.multiarray._set_madvise_hugepage(True))"


def printed(code: str, unset: str, **env) -> list[str]:
    """What ``code`` prints, in a new Python without ``unset`` in its environment (plus ``env``)."""
    clean = {k: v for k, v in os.environ.items() if k != unset}
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=clean | env, check=True
    )
    return run.stdout.split()


def in_a_child(code: str) -> str:
    """``code`` run by a process this one starts after importing helpers."""
    return (
        "import helpers, subprocess, sys\n"
        f"out = subprocess.run([sys.executable, '-c', {code!r}], capture_output=True, text=True)\n"
        "print(out.stdout.strip())"
    )


def test_jemalloc_when_helpers_come_first():
    assert printed("import helpers\n" + POOL, ARROW) == ["jemalloc"]


def test_jemalloc_when_pandas_loaded_pyarrow_first():
    assert printed("import pandas, pyarrow\nimport helpers.chapter\n" + POOL, ARROW) == ["jemalloc"]


def test_a_users_choice_is_kept():
    assert printed("import helpers\n" + POOL, ARROW, **{ARROW: "system"}) == ["system"]


def test_processes_the_build_starts_inherit_it():
    assert printed(in_a_child(POOL), ARROW) == ["jemalloc"]


def test_numpy_huge_pages_are_on_by_default_without_helpers():
    assert printed(HUGE, NUMPY) == ["True"]  # numpy's own default on Linux: what helpers turns off


def test_no_huge_pages_when_helpers_come_first():
    assert printed("import helpers\n" + HUGE, NUMPY) == ["False"]


def test_no_huge_pages_when_numpy_was_loaded_first():
    assert printed("import pandas\nimport helpers.chapter\n" + HUGE, NUMPY) == ["False"]


def test_a_users_huge_pages_are_kept():
    assert printed("import helpers\n" + HUGE, NUMPY, **{NUMPY: "1"}) == ["True"]


def test_kernels_and_workers_inherit_no_huge_pages():
    assert printed(in_a_child(HUGE), NUMPY) == ["False"]  # the child's numpy, never touched


BLAS = "OPENBLAS_NUM_THREADS"
THREADS = "import helpers, numpy, os\nprint(len(os.listdir('/proc/self/task')), os.environ['{}'])"


def test_numpy_starts_no_blas_threads_of_its_own_after_helpers():
    """numpy's OpenBLAS would start a thread per core, which spins waiting for work another
    process could do: one BLAS thread (none besides the main one), for kernels too."""
    assert printed(THREADS.format(BLAS), BLAS) == ["1", "1"]
    assert printed(in_a_child(THREADS.format(BLAS)), BLAS) == ["1", "1"]


def test_the_users_blas_threads_are_kept():
    threads, said = printed(THREADS.format(BLAS), BLAS, **{BLAS: "2"})
    assert said == "2" and int(threads) == min(2, os.cpu_count())
