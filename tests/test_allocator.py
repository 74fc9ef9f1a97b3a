"""Arrow's allocator: jemalloc on Linux with 4 KiB pages, chosen however pyarrow was loaded, and
a choice the user made in the environment kept (helpers.data.allocator)."""

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
