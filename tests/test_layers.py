"""The core stays pure: no web, CLI, network or process imports (STYLE.md b.2)."""

import ast
from pathlib import Path

import pytest

IVR = Path(__file__).resolve().parent.parent / "ivr"
CORE = ["model", "menus", "speech", "script", "callstate", "flow", "yamlsource", "problems",
        "kinds", "schema", "checks", "textchecks", "prompts", "audioformat", "scenarios_model",
        "transcript", "listener", "twimlverbs", "coverage", "diagram", "promptindex", "voices"]
FORBIDDEN = {"flask", "click", "gtts", "requests", "subprocess", "twilio", "werkzeug"}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("module", [m for m in CORE if (IVR / f"{m}.py").exists()])
def test_core_module_imports_nothing_from_the_shells(module):
    assert imported_roots(IVR / f"{module}.py") & FORBIDDEN == set()


def test_the_layer_check_sees_a_forbidden_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from flask import Flask\nimport subprocess\n")
    assert imported_roots(bad) & FORBIDDEN == {"flask", "subprocess"}
