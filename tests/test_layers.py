"""The layers of ivr/ hold: import-linter's contracts (pyproject.toml), and the imports a
process really performs.

import-linter follows imports transitively, through packages' __init__ modules too, so an
import that drags Flask into the core by a detour breaks a contract as a direct one does.
"""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
CONTRACTS = ["layers", "pure-core", "bare-package", "production-without-qa"]


def lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_every_import_linter_contract_is_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in result.stdout


def copy_of_the_package(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "ivr", tmp_path / "ivr", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copyfile(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_a_flask_import_in_the_core_breaks_the_pure_core_contract(tmp_path):
    tree = copy_of_the_package(tmp_path)
    flow = tree / "ivr" / "core" / "flow.py"
    flow.write_text(flow.read_text() + "\nfrom ivr.web import twiml  # noqa\n")
    result = lint_imports(tree)
    assert result.returncode == 1
    assert "Contracts: 2 kept, 2 broken." in result.stdout
    assert "ivr.core.flow -> ivr.web.twiml" in result.stdout


def test_flask_reached_through_a_package_init_breaks_the_contract(tmp_path):
    tree = copy_of_the_package(tmp_path)
    init = tree / "ivr" / "core" / "__init__.py"
    init.write_text(init.read_text() + "\nimport flask  # noqa\n")
    result = lint_imports(tree)
    assert result.returncode == 1
    assert "ivr.core -> flask" in result.stdout


BLOCKER = """
import importlib.abc, pkgutil, sys
BLOCKED = {"flask", "werkzeug", "jinja2", "click", "twilio", "gtts", "requests", "subprocess"}
class Blocker(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"{name} is blocked")
sys.meta_path.insert(0, Blocker())
for name in BLOCKED:
    sys.modules.pop(name, None)
import ivr.core, ivr.menus
names = [m.name for pkg in (ivr.core, ivr.menus)
         for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + ".")]
for name in names:
    __import__(name)
print(len(names), "modules")
"""


def test_the_core_imports_with_flask_click_and_twilio_unimportable():
    result = subprocess.run([sys.executable, "-c", BLOCKER], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.split()[0]) >= 10


def in_a_fresh_python(tmp_path, *steps: str) -> str:
    """What `steps` print in a new interpreter; `make_app(**settings)` builds a production
    app on the shipped menus there."""
    code = (
        "import sys\n"
        "from ivr.settings import Settings\n"
        "from ivr.app import create_app\n"
        "def make_app(**settings):\n"
        f"    create_app(Settings(menus_path={str(ROOT / 'menus.yaml')!r},\n"
        f"                        prompts_dir={str(tmp_path)!r}, allow_unsigned=True,\n"
        "                        **settings))\n"
        + "".join(f"{step}\n" for step in steps)
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_a_production_app_loads_no_qa_module(tmp_path):
    printed = in_a_fresh_python(
        tmp_path, "make_app()",
        "print(sorted(m for m in sys.modules if m.startswith(('ivr.qa', 'ivr.cli'))))")
    assert printed == "[]"


def test_a_production_app_without_the_console_password_loads_no_console_module(tmp_path):
    printed = in_a_fresh_python(
        tmp_path, "make_app()",
        "before = sorted(m for m in sys.modules if m.startswith('ivr.console'))",
        "make_app(console_password='pw')",
        "print(before, 'ivr.console.pages' in sys.modules)")
    assert printed == "[] True"
