"""parse_yaml: plain data, 1-based marks for every node, syntax errors and bad keys as Problems."""

import datetime
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

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
        Problem("m.yaml", 2, 2, "error", "", "the [ on line 1 is never closed "
                "(expected ',' or ']')", "end it with ] on line 1")
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


def test_a_slip_no_rule_knows_keeps_pyyamls_words_and_mark():
    _, _, problems = parse_yaml("a: b\n- c\n", "m.yaml")
    assert [p.format() for p in problems] == [
        "m.yaml:2:1: error: did not find expected key (while parsing a block mapping on line 1)"
    ]


def test_numbers_with_a_leading_zero_stay_text_as_written():
    data, _, problems = parse_yaml("phone: 0401234567\ntimeout: 010\nzero: 0\nten: 10\n", "m")
    assert problems == []
    assert data == {"phone": "0401234567", "timeout": "010", "zero": 0, "ten": 10}


def test_a_text_cut_short_by_a_comment_is_a_warning_only_when_asked():
    text = "en: Press # to go back.\nnote: apart   # a comment\nkey: \"#\"\n"
    assert parse_yaml(text, "m.yaml")[2] == []  # scenario files: comments are comments
    data, _, problems = parse_yaml(text, "m.yaml", warn_comments=True)
    assert data == {"en": "Press", "note": "apart", "key": "#"}
    assert [p.format() for p in problems] == [
        "m.yaml:1:11: warning: en: the text ends at ' #': YAML reads '# to go back.' as a "
        "comment (if the # belongs to the text, put the whole text in quotes: "
        'en: "Press # to go back.")'
    ]


OK_TEXT = (Path(__file__).parent / "data" / "menus_ok" / "menus.yaml").read_text(encoding="utf-8")
SLIP_CHARACTERS = st.sampled_from([" ", "  ", ":", ": ", "-", "- ", '"', "'", "#", " #", "{",
                                   "}", "[", "]", "*", "&", "@", "`", "\t", "\n", ",", "0"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(OK_TEXT)), st.integers(0, 3), SLIP_CHARACTERS),
                min_size=1, max_size=3))
def test_any_slip_gives_problems_inside_the_file_never_an_exception(edits):
    text = OK_TEXT
    for at, cut, insert in edits:
        text = text[:at] + insert + text[at + cut:]
    _, _, problems = parse_yaml(text, "m.yaml", warn_comments=True)
    lines = text.count("\n") + 2
    for problem in problems:
        assert 1 <= problem.line <= lines and problem.column >= 1
        assert problem.message
