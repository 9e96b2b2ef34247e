"""The code stays clean under ruff and mypy --strict (settings in pyproject.toml)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(*args):
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def test_ruff_finds_nothing():
    result = run("ruff", "check", "--no-cache", "ivr", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_finds_nothing():
    # Incremental, its cache in the venv: 12 s from cold (a fresh clone), 2 s on everyday
    # reruns of make check. mypy checks every cached module's source hash, so an edit is seen.
    result = run("mypy", "--cache-dir", str(ROOT / ".venv" / "mypy-cache"))
    assert result.returncode == 0, result.stdout + result.stderr
