"""parse_yaml: plain data, 1-based marks for every node, syntax errors and bad keys as Problems."""

import datetime

import yaml

from ivr.menus.problems import Problem
from ivr.menus.yamlsource import parse_yaml

TEXT = """\
menus:
  main:
    options:
      - {key: "1", goto: region}
      - key: "2"
        goto: main
when: 2026-11-25
"""


def test_data_is_plain_python():
    data, _, problems = parse_yaml(TEXT, "m.yaml")
    assert problems == []
    assert data == {
        "menus": {
            "main": {"options": [{"key": "1", "goto": "region"}, {"key": "2", "goto": "main"}]}
        },
        "when": datetime.date(2026, 11, 25),
    }


def test_scalars_are_located_at_their_value_and_collections_at_their_key():
    _, marks, _ = parse_yaml(TEXT, "m.yaml")
    assert marks.locate(("menus", "main", "options", 0, "goto")) == (4, 26)
    assert marks.locate(("menus", "main", "options", 1, "goto")) == (6, 15)
    assert marks.locate(("menus", "main", "options", 1)) == (5, 9)
    assert marks.locate(("menus", "main")) == (2, 3)
    assert marks.locate_key(("menus", "main", "options", 1, "goto")) == (6, 9)


def test_a_path_that_is_not_there_is_located_at_its_nearest_ancestor():
    _, marks, _ = parse_yaml(TEXT, "m.yaml")
    assert marks.locate(("menus", "main", "options", 0, "label", "fi")) == (4, 9)
    assert marks.locate(("nothing",)) == (1, 1)


def test_syntax_error_keeps_pyyaml_mark_one_based():
    # STYLE.md b.4 [TEST]: 'a: [1\nb: 2' -> line 2 col 2, "expected ',' or ']'".
    data, _, problems = parse_yaml("a: [1\nb: 2", "m.yaml")
    assert data is None
    assert problems == [
        Problem("m.yaml", 2, 2, "error", "", "did not find expected ',' or ']'",
                "while parsing a flow sequence on line 1")
    ]


def test_duplicate_keys_are_errors_naming_both_lines():
    data, _, problems = parse_yaml("a:\n  b: 1\n  c: 2\n  b: 3\n", "m.yaml")
    assert [p.format() for p in problems] == [
        "m.yaml:4:3: error: a.b: duplicate key 'b' (first on line 2) "
        "(YAML would keep only the last one)"
    ]
    assert data == {"a": {"b": 1, "c": 2}}


def test_keys_that_are_not_text_are_errors():
    _, _, problems = parse_yaml("menu:\n  1: x\n", "m.yaml")
    assert [p.format() for p in problems] == [
        'm.yaml:2:3: error: menu: key 1 is not text (write it in quotes: "1")'
    ]


def test_more_than_one_document_is_an_error():
    _, _, problems = parse_yaml("a: 1\n---\nb: 2\n", "m.yaml")
    assert [p.format() for p in problems] == [
        "m.yaml:2:1: error: but found another document "
        "(expected a single document in the stream on line 1)"
    ]


def test_an_impossible_date_stays_text_for_the_schema_to_report():
    data, _, problems = parse_yaml("checked: 2026-13-01\n", "m.yaml")
    assert (data, problems) == ({"checked": "2026-13-01"}, [])


def test_empty_text_is_no_data_and_no_problem():
    data, _, problems = parse_yaml("# only a comment\n", "m.yaml")
    assert (data, problems) == (None, [])


def test_same_data_as_safe_load_on_the_shipped_menus():
    with open("menus.yaml", encoding="utf-8") as file:
        text = file.read()
    data, _, problems = parse_yaml(text, "menus.yaml")
    assert problems == []
    assert data == yaml.safe_load(text)
