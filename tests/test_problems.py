"""Problem formatting, the report with its summary, JSON, and 'did you mean'."""

from ivr.menus.problems import Problem
from ivr.menus.problems import format_path
from ivr.menus.problems import format_report
from ivr.menus.problems import suggest
from ivr.menus.problems import to_json

GOTO = Problem("menus.yaml", 42, 15, "error", "menus.main.options[2].goto",
               "no menu named 'mian'", "did you mean 'main'?")
STALE = Problem("menus.yaml", 12, 3, "warning", "services[4].checked", "last checked 2024-01-01")
SYNTAX = Problem("menus.yaml", 42, 3, "error", "", "did not find expected ',' or ']'")


def test_format_is_gcc_style_with_path_and_hint():
    assert GOTO.format() == (
        "menus.yaml:42:15: error: menus.main.options[2].goto: no menu named 'mian' "
        "(did you mean 'main'?)"
    )


def test_format_leaves_out_an_empty_path_and_a_missing_hint():
    assert SYNTAX.format() == "menus.yaml:42:3: error: did not find expected ',' or ']'"


def test_report_sorts_by_line_then_column_and_ends_with_a_summary():
    assert format_report([GOTO, STALE, SYNTAX], "menus.yaml") == "\n".join([
        "menus.yaml:12:3: warning: services[4].checked: last checked 2024-01-01",
        "menus.yaml:42:3: error: did not find expected ',' or ']'",
        "menus.yaml:42:15: error: menus.main.options[2].goto: no menu named 'mian' "
        "(did you mean 'main'?)",
        "2 errors, 1 warning in menus.yaml",
    ])


def test_summary_counts_in_the_singular():
    assert format_report([GOTO], "m.yaml").splitlines()[-1] == "1 error in m.yaml"
    assert format_report([STALE], "m.yaml").splitlines()[-1] == "1 warning in m.yaml"
    assert format_report([], "m.yaml") == "no problems in m.yaml"


def test_json_has_every_field_sorted_by_line():
    assert to_json([GOTO, STALE]) == [
        {"file": "menus.yaml", "line": 12, "column": 3, "severity": "warning",
         "path": "services[4].checked", "message": "last checked 2024-01-01", "hint": None},
        {"file": "menus.yaml", "line": 42, "column": 15, "severity": "error",
         "path": "menus.main.options[2].goto", "message": "no menu named 'mian'",
         "hint": "did you mean 'main'?"},
    ]


def test_suggest_names_the_closest_choice_or_nothing():
    assert suggest("mian", ["main", "region", "services"]) == "did you mean 'main'?"
    assert suggest("timout", ["timeout", "dial_timeout"]) == "did you mean 'timeout'?"
    assert suggest("zzz", ["main", "region"]) is None


def test_format_path_writes_indexes_in_brackets_and_quotes_odd_keys():
    assert format_path(("menus", "main", "options", 2, "goto")) == "menus.main.options[2].goto"
    assert format_path(("texts", "no_input", "sorry.")) == "texts.no_input.'sorry.'"
    assert format_path(()) == ""
