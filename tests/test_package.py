"""The package as a user installs it: `pip install .` into a fresh venv, the `ivr` command in
any folder with a menus.yaml, the wheel's contents, one dependency list, and one way to spell
the commands in every document and hint."""

import hashlib
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

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


def _source_copy(folder):
    # Built from a copy: setuptools leaves build/ and *.egg-info in the tree it builds.
    shutil.copytree(ROOT / "ivr", folder / "ivr", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copyfile(ROOT / name, folder / name)
    return folder


def declared():
    """pyproject.toml's [project] dependencies: the names and ranges the package declares."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(line) for line in project["dependencies"]]


def pinned():
    """requirements.txt: the exact versions deployments and the tests install."""
    return _lines(ROOT / "requirements.txt")


def _lines(path):
    lines = [line.split("#")[0].strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return [Requirement(line) for line in lines if line and not line.startswith("-")]


def test_requirements_pin_exactly_the_declared_dependencies_within_their_ranges():
    ranges = {canonicalize_name(r.name): r for r in declared()}
    pins = {canonicalize_name(r.name): r for r in pinned()}
    assert sorted(pins) == sorted(ranges)
    for name, pin in pins.items():
        (exact,) = pin.specifier
        assert exact.operator == "==", pin
        assert ranges[name].specifier.contains(exact.version), (pin, ranges[name])
        assert pin.extras == ranges[name].extras, pin


def wheelhouse():
    """Wheels of every pinned package and the build backend, fetched once per pin set.

    Only a place pip may take wheels from: what gets installed is still resolved from the
    package's own metadata, so a dependency it does not declare is not installed.
    """
    pins = (ROOT / "requirements.txt").read_bytes() + (ROOT / "requirements-dev.txt").read_bytes()
    folder = Path(sys.prefix) / "wheelhouse" / hashlib.sha256(pins).hexdigest()[:12]
    if not (folder / ".complete").exists():
        backend = next(str(r) for r in _lines(ROOT / "requirements-dev.txt")
                       if canonicalize_name(r.name) == "setuptools")
        fetched = subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
             "-d", str(folder), "-r", str(ROOT / "requirements.txt"), backend],
            capture_output=True, text=True, timeout=900)
        assert fetched.returncode == 0, fetched.stderr
        (folder / ".complete").touch()
    return folder


@pytest.mark.slow
def test_pip_install_gives_a_working_ivr_in_a_fresh_venv_outside_the_checkout(tmp_path):
    # As a user installs it: a venv of its own, dependencies from the package's metadata
    # (issue 23 item 1: `pip install .` gave an ivr without graphviz and polib).
    source = _source_copy(tmp_path / "source")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
         "--quiet", "--no-compile", "--disable-pip-version-check", "--no-index",
         "--find-links", str(wheelhouse()), str(source)],
        capture_output=True, text=True, timeout=900)
    assert installed.returncode == 0, installed.stderr
    operator = tmp_path / "operator"
    operator.mkdir()
    shutil.copyfile(ROOT / "menus.yaml", operator / "menus.yaml")
    shutil.copytree(ROOT / "seeds", operator / "seeds")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}

    def ivr_there(*args):
        return subprocess.run([str(venv / "bin" / "ivr"), *args], cwd=operator, env=env,
                              capture_output=True, text=True, timeout=120)

    version = ivr_there("--version")
    assert (version.returncode, version.stderr) == (0, "")
    assert re.fullmatch(r"ivr \d+\.\d+\.\d+\n", version.stdout)
    validate = ivr_there("validate")
    assert validate.returncode == 0, validate.stderr
    assert validate.stdout.splitlines()[-1].startswith("menus.yaml: ok (")
    export = ivr_there("translations", "export", "--lang", "ru")
    assert export.returncode == 0, export.stderr
    assert 'msgctxt "texts.emergency_notice"' in export.stdout


def test_the_wheel_holds_the_package_its_templates_and_the_ivr_command(tmp_path):
    source = _source_copy(tmp_path / "source")
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
