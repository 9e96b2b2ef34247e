"""A small mutation tester: which changes to a module does no test notice?

    .venv/bin/python tests/mutation.py ivr/core/flow.py tests/test_flow.py tests/flows

Each mutant changes one thing (a comparison, and/or, a `not`, an if's condition, a
number, a string, True/False, a keyword argument, a returned value, an assignment), is
written into a copy of the worktree and run against the given tests; a mutant the tests
pass is printed as a survivor with its line, for a person to kill or judge equivalent.
Not collected by pytest (no test_ prefix); it takes minutes, not seconds.
"""

from __future__ import annotations

import ast
import copy
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SWAPS: dict[type, type] = {
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE,
    ast.GtE: ast.Gt, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
    ast.And: ast.Or, ast.Or: ast.And, ast.Add: ast.Sub, ast.Sub: ast.Add,
}
SKIPPED_FIELDS = {"annotation", "returns", "decorator_list"}
FROM_LINE = int(os.environ.get("MUTATE_FROM_LINE", "0"))
TO_LINE = int(os.environ.get("MUTATE_TO_LINE", "1000000"))
"""Only mutants on lines FROM_LINE to TO_LINE - 1 run (to resume or split a long run)."""


def _sites(tree: ast.AST) -> Iterator[tuple[ast.AST, str]]:
    """Every node that can be mutated, and how; docstrings and annotations are left alone."""
    for node in _walk(tree):
        if isinstance(node, ast.Compare):
            for index, op in enumerate(node.ops):
                if type(op) in SWAPS:
                    yield node, f"op{index}"
        elif isinstance(node, (ast.BoolOp, ast.BinOp)) and type(node.op) in SWAPS:
            yield node, "op"
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            yield node, "drop-not"
        elif isinstance(node, (ast.If, ast.IfExp, ast.While)):
            yield node, "negate"
        elif isinstance(node, ast.Constant) and not isinstance(node.value, bytes):
            yield node, "constant"
        elif isinstance(node, ast.Call):
            for index in range(len(node.keywords)):
                yield node, f"drop-keyword{index}"
        elif isinstance(node, ast.Return) and node.value is not None:
            yield node, "return-none"
        elif isinstance(node, ast.Assign):
            yield node, "assign-none"


def _walk(node: ast.AST) -> Iterator[ast.AST]:
    yield node
    for name, value in ast.iter_fields(node):
        if name in SKIPPED_FIELDS:
            continue
        children = value if isinstance(value, list) else [value]
        for index, child in enumerate(children):
            if not isinstance(child, ast.AST):
                continue
            docstring = (name == "body" and index == 0 and isinstance(child, ast.Expr)
                         and isinstance(child.value, ast.Constant))
            attribute_doc = isinstance(child, ast.Expr) and isinstance(child.value, ast.Constant)
            if not (docstring or attribute_doc):
                yield from _walk(child)


def _mutate(node: ast.AST, how: str) -> None:
    if how.startswith("op") and isinstance(node, ast.Compare):
        index = int(how[2:])
        node.ops[index] = SWAPS[type(node.ops[index])]()
    elif how == "op" and isinstance(node, (ast.BoolOp, ast.BinOp)):
        node.op = SWAPS[type(node.op)]()
    elif how == "negate" and isinstance(node, (ast.If, ast.IfExp, ast.While)):
        node.test = ast.UnaryOp(ast.Not(), node.test)
    elif how == "constant" and isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, bool):
            node.value = not value
        elif isinstance(value, int):
            node.value = value + 1
        elif isinstance(value, str):
            node.value = "XX" + value + "XX"
        else:
            node.value = ""
    elif how.startswith("drop-keyword") and isinstance(node, ast.Call):
        del node.keywords[int(how[len("drop-keyword"):])]
    elif how == "return-none" and isinstance(node, ast.Return):
        node.value = ast.Constant(None)
    elif how == "assign-none" and isinstance(node, ast.Assign):
        node.value = ast.Constant(None)


def mutants(source: str) -> Iterator[tuple[int, str, str]]:
    """(line, description, mutated source) for every mutant of `source`."""
    tree = ast.parse(source)
    for index, (node, how) in enumerate(list(_sites(tree))):
        mutated = copy.deepcopy(tree)
        target, _ = list(_sites(mutated))[index]
        _mutate(target, how)
        text = ast.unparse(mutated)
        if text != ast.unparse(tree):
            line = getattr(node, "lineno", 0)
            yield line, f"{how}: {ast.unparse(node).splitlines()[0][:70]}", text


def _killed(work: str, tests: list[str]) -> bool:
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:randomly",
               "-p", "no:cacheprovider", *tests]
    try:
        run = subprocess.run(command, cwd=work, capture_output=True, timeout=120)
    except subprocess.TimeoutExpired:
        return True
    return run.returncode != 0


def main(module: str, tests: list[str]) -> int:
    source = (ROOT / module).read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="mutants-") as work:
        shutil.copytree(ROOT, work, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns(".venv", ".git", "__pycache__", "mutants-*"))
        target = Path(work) / module
        survivors, total = [], 0
        for line, what, text in mutants(source):
            if not FROM_LINE <= line < TO_LINE:
                continue
            total += 1
            target.write_text(text, encoding="utf-8")
            # The first tests alone first: most mutants die there, before the slower rest.
            if not _killed(work, tests[:1]) and not _killed(work, tests):
                survivors.append(f"{module}:{line}: {what}")
                print("SURVIVED", survivors[-1], flush=True)
        print(f"{module}: {total} mutants, {total - len(survivors)} killed, "
              f"{len(survivors)} survived")
    return 1 if survivors else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2:]))
