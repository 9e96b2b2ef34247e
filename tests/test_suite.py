"""The suite's own machinery: a module's tests run in one pytest-xdist worker.

`make test` builds costly fixtures once per worker that runs their module (the espeak-ng
catalogue, a walk of every menu, PostgreSQL). When the grouping silently stopped working
(pytest 9 with pytest-xdist 3.8 ignores xdist_group; our own hook ran after xdist's), every
module split across workers and the catalogue was rendered three times: +3 minutes of CPU.
"""

import subprocess
import sys
import textwrap

import pytest

from tests.conftest import ROOT

MODULE = textwrap.dedent("""\
    import os
    import pytest
    {mark}

    @pytest.mark.parametrize("n", range(8))
    def test_where(n, request):
        with open(os.environ["WHERE_LOG"], "a") as log:
            print(request.module.__name__, os.environ["PYTEST_XDIST_WORKER"], file=log)
    """)


@pytest.mark.slow  # starts a pytest with two workers: guards make test, not everyday work
def test_a_modules_tests_and_a_named_group_each_run_in_one_worker(tmp_path):
    (tmp_path / "conftest.py").write_text(
        "from tests.conftest import pytest_collection_modifyitems  # noqa: F401\n")
    (tmp_path / "test_plain_a.py").write_text(MODULE.format(mark=""))
    (tmp_path / "test_plain_b.py").write_text(MODULE.format(mark=""))
    shared = 'pytestmark = pytest.mark.xdist_group("shared")'
    (tmp_path / "test_shared_a.py").write_text(MODULE.format(mark=shared))
    (tmp_path / "test_shared_b.py").write_text(MODULE.format(mark=shared))
    log = tmp_path / "where.log"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-n", "2", "--dist", "loadgroup",
         "-p", "no:cacheprovider", "--rootdir", str(tmp_path), str(tmp_path)],
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "WHERE_LOG": str(log)},
        capture_output=True, text=True, timeout=120, cwd=tmp_path, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    workers: dict[str, set[str]] = {}
    for line in log.read_text().splitlines():
        module, worker = line.split()
        workers.setdefault(module, set()).add(worker)
    assert sorted(workers) == ["test_plain_a", "test_plain_b", "test_shared_a", "test_shared_b"]
    assert all(len(found) == 1 for found in workers.values()), workers
    assert workers["test_shared_a"] == workers["test_shared_b"]
