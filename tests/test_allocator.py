"""Arrow's allocator: jemalloc on Linux with 4 KiB pages, chosen however pyarrow was loaded, and
a choice the user made in the environment kept; numpy without huge pages on Linux, likewise
(helpers.data.allocator)."""

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.skipif(
    sys.platform != "linux" or os.sysconf("SC_PAGE_SIZE") != 4096,
    reason="jemalloc is chosen only on Linux with 4 KiB pages; elsewhere Arrow's default stays",
)


def backend(code: str, **env) -> str:
    clean = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    run = subprocess.run(
        [sys.executable, "-c", code + "\nprint(pyarrow.default_memory_pool().backend_name)"],
        capture_output=True,
        text=True,
        env=clean | env,
        check=True,
    )
    return run.stdout.split()[-1]


def test_jemalloc_when_helpers_come_first():
    assert backend("import helpers, pyarrow") == "jemalloc"


def test_jemalloc_when_pandas_loaded_pyarrow_first():
    assert backend("import pandas, pyarrow\nimport helpers.chapter") == "jemalloc"


def test_a_users_choice_is_kept():
    assert backend("import helpers, pyarrow", ARROW_DEFAULT_MEMORY_POOL="system") == "system"


def test_processes_the_build_starts_inherit_it():
    code = (
        "import helpers, subprocess, sys\n"
        "out = subprocess.run([sys.executable, '-c', 'import pyarrow; "
        "print(pyarrow.default_memory_pool().backend_name)'], capture_output=True, text=True)\n"
        "import pyarrow\nprint(out.stdout.strip())"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"},
        check=True,
    )
    assert run.stdout.split() == ["jemalloc"]


# numpy's huge pages: ``_set_madvise_hugepage`` returns the setting it replaces
HUGE = "import numpy\nprint(numpy._core.multiarray._set_madvise_hugepage(True))"


def hugepages(code: str, **env) -> str:
    clean = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"}
    run = subprocess.run(
        [sys.executable, "-c", code + "\n" + HUGE],
        capture_output=True,
        text=True,
        env=clean | env,
        check=True,
    )
    return run.stdout.split()[-1]


def test_numpy_huge_pages_are_on_by_default_without_helpers():
    assert hugepages("") == "True"  # numpy's own default on Linux: what helpers turns off


def test_no_huge_pages_when_helpers_come_first():
    assert hugepages("import helpers") == "False"


def test_no_huge_pages_when_numpy_was_loaded_first():
    assert hugepages("import pandas\nimport helpers.chapter") == "False"


def test_a_users_huge_pages_are_kept():
    assert hugepages("import helpers", NUMPY_MADVISE_HUGEPAGE="1") == "True"


def test_kernels_and_workers_inherit_no_huge_pages():
    code = (
        "import helpers, subprocess, sys\n"
        f"out = subprocess.run([sys.executable, '-c', {HUGE!r}], capture_output=True, text=True)\n"
        "print(out.stdout.strip())"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"},
        check=True,
    )
    assert run.stdout.split() == ["False"]  # the child's numpy, which helpers never touched
