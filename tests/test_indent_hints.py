"""The commonest indentation slips in menus.yaml (issue 23 item 7): each message names the
line and the fix, and doing what it says gives a valid file.

The golden cases are tests/data/menus_bad/*indent*.yaml (test_validate.py compares their
whole output); here each hint is followed as an operator would, by re-indenting the line it
names or writing what it says to write, and the result must validate with no error.
"""

import re
from pathlib import Path

import pytest

from ivr.menus.loader import check_menus_text

BAD = Path(__file__).parent / "data" / "menus_bad"
SLIPS = sorted(path.stem for path in BAD.glob("*indent*.yaml") if "tab" not in path.stem)
SPACES = re.compile(r"(\d+|no) spaces? before it")
WRITE = re.compile(r"write '(- .*)' with the '-' at (\d+) spaces")


def errors(text, name):
    return [p for p in check_menus_text(text, name)[1] if p.severity == "error"]


def follow(text, problems):
    """The text after doing what each message says to its line."""
    lines = text.splitlines()
    for problem in problems:
        hint = problem.hint or ""
        written, indent = WRITE.search(hint), SPACES.search(hint)
        line = lines[problem.line - 1]
        if written:
            comment = line[line.index("#"):] if "#" in line else ""
            lines[problem.line - 1] = " " * int(written.group(2)) + written.group(1) + "  " \
                + comment
        elif indent and not hint.startswith("line up "):  # (that one says: fix the other)
            count = 0 if indent.group(1) == "no" else int(indent.group(1))
            lines[problem.line - 1] = " " * count + line.lstrip(" ")
    return "\n".join(lines) + "\n"


def test_there_are_ten_slips_and_more():
    assert len(SLIPS) >= 10


@pytest.mark.parametrize("case", SLIPS)
def test_each_message_names_a_line_and_following_it_gives_a_valid_file(case):
    text = (BAD / f"{case}.yaml").read_text(encoding="utf-8")
    found = errors(text, f"{case}.yaml")
    assert found, case
    assert all(SPACES.search(p.hint or "") or WRITE.search(p.hint or "")
               or "on line" in (p.hint or "") for p in found), [p.format() for p in found]
    assert errors(follow(text, found), f"{case}.yaml") == []
