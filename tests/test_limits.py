"""A menus file beyond a limit of ivr/menus/limits.py is refused in one line, cheaply (issue 22
item 3). Each file here is generated just over (and where cheap, just at) its limit; the
golden cases menu_too_many_options and text_too_long show validate's whole output.
"""

import re
import time
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivr.cli import cli
from ivr.menus import limits
from ivr.menus.loader import check_menus_text
from ivr.menus.yamlsource import parse_yaml
from ivr.web.health import details
from ivr.web.menustore import MenuStore
from tests.test_reload import saved
from tests.test_validate import OK

OK_TEXT = (OK / "menus.yaml").read_text(encoding="utf-8")
GUIDE = (Path(__file__).resolve().parent.parent / "docs" / "menus.md").read_text(encoding="utf-8")
FEWER = ("no menus or scenario file needs more: is this the right file? "
         "(docs/menus.md, Limits)")


def errors(text):
    _, problems = check_menus_text(text, "m.yaml")
    return [p.format() for p in problems if p.severity == "error"]


def validate(path):
    result = CliRunner().invoke(cli, ["validate", str(path)], catch_exceptions=False)
    return result.exit_code, result.output


def test_a_file_one_byte_over_the_size_limit_is_refused_and_one_at_it_is_read(tmp_path):
    path = tmp_path / "menus.yaml"
    room = limits.MAX_FILE_BYTES - len(OK_TEXT.encode()) - len("#\n")
    comment = "#" + "ä" * (room // 2) + "x" * (room % 2)  # two bytes a letter in UTF-8
    path.write_text(f"{OK_TEXT}{comment}\n", encoding="utf-8")
    assert path.stat().st_size == limits.MAX_FILE_BYTES
    assert validate(path)[0] == 0
    path.write_text(f"{OK_TEXT}{comment}x\n", encoding="utf-8")
    assert validate(path) == (1, (
        f"{path}:1:1: error: the file is over 2,000,000 bytes, the most a menus file may be "
        "(check it is the menus file: the shipped one, with 12 languages, is 95 kB)\n"
        f"1 error in {path}\n"))


def test_a_50_mb_file_is_refused_in_a_moment_with_little_memory(tmp_path):
    """It once took validate 115 s and 5.9 GB to fail with MemoryError."""
    path = tmp_path / "menus.yaml"
    with path.open("w", encoding="ascii") as file:
        file.write("services:\n")
        for _ in range(50):
            file.write("  - x\n" * 175_000)  # 25 million items in all would be 150 MB
    size = path.stat().st_size
    tracemalloc.start()
    start = time.perf_counter()
    try:
        exit_code, output = validate(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (exit_code, output.splitlines()[0].split(": error: ")[1][:28]) == (
        1, "the file is over 2,000,000 b")
    assert time.perf_counter() - start < 2.0
    # Reading the file (its bytes, then its text) is all the memory it costs.
    assert peak < 2.2 * size


def test_a_live_server_refuses_a_50_mb_file_without_reading_it_as_yaml(tmp_path):
    path = tmp_path / "menus.yaml"
    saved(path, OK_TEXT)
    store = MenuStore(path, tmp_path / "prompts", interval=0.0)
    version = store.menus().version
    saved(path, "services:\n" + "  - x\n" * 8_400_000)
    start = time.perf_counter()
    health = details(store)
    assert time.perf_counter() - start < 2.0
    assert (health["status"], health["menus_version"]) == ("stale", version)
    assert health["last_reload_error"] == (
        f"{path}:1:1: error: the file is over 2,000,000 bytes, the most a menus file may be "
        "(check it is the menus file: the shipped one, with 12 languages, is 95 kB)")


def test_more_values_than_the_limit_are_refused_while_composing_at_the_first_one_over():
    # The root, x and its mapping are 3 values; each row is 501: a key, a list, 499 items.
    text = "x:\n" + "".join(f"  k{i}: [{', '.join(['1'] * 499)}]\n" for i in range(101))
    # Value 50,001 is the 397th item of row k99 (3 + 99 * 501 + 2 + 397), on line 101.
    column = len("  k99: [") + len("1, ") * 396 + 1
    assert errors(text) == [f"m.yaml:101:{column}: error: more than 50,000 values ({FEWER})"]


def test_more_entries_in_one_list_or_mapping_than_the_limit_are_refused_at_the_first_over():
    text = "services:\n" + "  - x\n" * limits.MAX_ENTRIES + "  - y\n"
    assert errors(text) == [
        f"m.yaml:{limits.MAX_ENTRIES + 2}:5: error: more than 500 entries in one list or "
        f"mapping ({FEWER})"]


def test_more_aliases_than_the_limit_are_refused_at_the_first_over():
    row = "  - [" + ", ".join(["*a"] * 10) + "]\n"
    text = "a: &a x\nb:\n" + row * (limits.MAX_ALIASES // 10) + row
    assert errors(text) == [f"m.yaml:{3 + limits.MAX_ALIASES // 10}:6: error: more than "
                            "1,000 aliases (*name) (write the values out)"]


def test_values_expanded_from_aliases_just_over_the_limit_are_refused():
    # The anchor is 1,001 values (a list of 4 lists of 249); each *a walks them again.
    anchor = "a: &a [" + ", ".join(["[" + ", ".join(["x"] * 249) + "]"] * 4) + "]\n"
    at_limit = anchor + "b: [" + ", ".join(["*a"] * 98) + "]\n"  # 99,101 values in all
    assert parse_yaml(at_limit, "m.yaml")[2] == []
    over = anchor + "b: [" + ", ".join(["*a"] * 99) + "]\n"  # 100,102
    assert errors(over) == ["m.yaml:1:1: error: more than 100,000 values once its aliases (*) "
                            "are expanded (use fewer aliases)"]


def test_nesting_deeper_than_the_limit_is_refused_and_at_the_limit_it_is_read():
    at_limit = "a: " + "[" * (limits.MAX_DEPTH - 1) + "]" * (limits.MAX_DEPTH - 1) + "\n"
    assert parse_yaml(at_limit, "m.yaml")[2] == []
    deeper = "a: " + "[" * limits.MAX_DEPTH + "]" * limits.MAX_DEPTH + "\n"
    assert errors(deeper) == [f"m.yaml:1:{3 + limits.MAX_DEPTH}: error: nested more than 20 "
                              f"deep ({FEWER})"]


@pytest.mark.parametrize(("section", "most", "what", "why"), [
    ("languages", 50, "languages", "no helpline offers more"),
    ("menus", 100, "menus", "no caller finds their way through more"),
    ("needs", 100, "entries", "no list or mapping of a menus file needs more"),
])
def test_a_section_one_over_its_count_is_the_only_error(section, most, what, why):
    at_limit = f"{section}:\n" + "".join(f"  k{i}: {{}}\n" for i in range(most))
    assert not any(f"at most {most}" in e for e in errors(at_limit))
    over = at_limit + "  one_more: {}\n"
    assert errors(over) == [f"m.yaml:1:1: error: {section}: {most + 1} {what}; at most {most} "
                            f"({why}; docs/menus.md, Limits)"]


def test_a_text_one_character_over_the_limit_is_refused_at_its_line():
    text = OK_TEXT.replace("en: I did not hear a choice.}", "en: " + "a" * limits.MAX_TEXT + "}")
    assert errors(text) == []
    text = text.replace("a" * limits.MAX_TEXT, "a" * (limits.MAX_TEXT + 1))
    assert errors(text) == [
        "m.yaml:40:44: error: texts.no_input.en: a text of 2,001 characters; at most 2,000 "
        "(shorten it: a caller hears each text whole)"]


def test_a_key_over_the_text_limit_is_said_at_its_mapping_not_repeated_in_the_path():
    # An explicit key (?): YAML allows a plain key of 1,024 characters at most.
    text = "texts:\n  ? " + "k" * (limits.MAX_TEXT + 1) + "\n  : x\n"
    assert errors(text) == ["m.yaml:1:1: error: texts: a key of 2,001 characters; at most "
                            "2,000 (shorten it)"]


def test_docs_give_every_limit_with_its_number():
    table = GUIDE.split("## Limits")[1].split("\n## ")[0]
    for name in ("MAX_FILE_BYTES", "MAX_VALUES", "MAX_EXPANDED", "MAX_ALIASES", "MAX_DEPTH",
                 "MAX_ITEMS", "MAX_TEXT"):
        assert f"{getattr(limits, name):,}" in table, name
    for (_, most, what, _) in [(p, *v) for p, v in limits.COUNTS.items()]:
        assert re.search(rf"\| `?{what}`?[^|]*\| {most:,}", table), what
