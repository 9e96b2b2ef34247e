"""The package as a user installs it: the `ivr` command in any folder with a menus.yaml, the
wheel's contents, and one way to spell the commands in every document and hint."""

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT

IVR = Path(sys.executable).parent / "ivr"


def ivr(*args, cwd):
    return subprocess.run([str(IVR), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture
def operator_folder(tmp_path):
    """A folder holding only what an operator keeps: menus.yaml and seeds/."""
    shutil.copyfile(ROOT / "menus.yaml", tmp_path / "menus.yaml")
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    return tmp_path


def test_ivr_validate_and_call_work_in_a_folder_with_only_the_menus(operator_folder):
    validate = ivr("validate", cwd=operator_folder)
    assert validate.returncode == 0, validate.stdout + validate.stderr
    assert validate.stdout.splitlines()[-1].startswith("menus.yaml: ok (")
    call = ivr("call", "--keys", "3", cwd=operator_folder)
    assert call.returncode == 0, call.stderr
    assert "To repeat, press" in call.stdout  # pressing 3 chose English: the main menu in English


def test_ivr_in_a_folder_without_menus_says_where_to_run_it(tmp_path):
    result = ivr("call", "--keys", "3", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (
        1, "Error: menus.yaml: no such file (run ivr in the folder that holds menus.yaml, or "
           "give its path with --menus or IVR_MENUS)\n")


def test_a_settings_typo_is_one_line_and_help_still_works(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "IVR_RELOAD_INTERVAL": "2s", "IVR_PROXY_HOPS": "two"}
    help_ = subprocess.run([str(IVR), "prompts", "status", "--help"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=60)
    assert help_.returncode == 0 and "--menus" in help_.stdout
    result = subprocess.run([str(IVR), "serve"], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=60)
    assert (result.returncode, result.stderr) == (
        1, "Error: IVR_PROXY_HOPS='two' is not a whole number such as 1 (fix or unset "
           "IVR_PROXY_HOPS)\n")


def test_the_wheel_holds_the_package_its_templates_and_the_ivr_command(tmp_path):
    # Built from a copy: setuptools leaves build/ and *.egg-info in the tree it builds.
    source = tmp_path / "source"
    shutil.copytree(ROOT / "ivr", source / "ivr", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copyfile(ROOT / name, source / name)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(source)], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    wheel = next(tmp_path.glob("helpline_ivr-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "ivr/qa/templates/playground.html" in names
    assert "ivr/core/flow.py" in names and not any(n.startswith("tests/") for n in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "ivr = ivr.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


SPELLINGS = re.compile(r"python3? -m ivr [a-z]")


def test_documents_and_hints_spell_the_command_ivr():
    files = [ROOT / "README.md", ROOT / "menus.yaml", *ROOT.glob("docs/*.md"),
             *ROOT.glob("ivr/**/*.py")]
    found = [f"{path.relative_to(ROOT)}: {line.strip()}" for path in files
             for line in path.read_text(encoding="utf-8").splitlines() if SPELLINGS.search(line)]
    assert found == []
