"""Characters no text may hold are refused at their line and column (issue 22 item 2).

The golden cases text_control_character, text_bidi_override and text_line_separator in
tests/data/menus_bad show validate's whole output (and the live store's) for escapes.
"""

import json
import xml.etree.ElementTree as ET

import polib
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from twilio.twiml.voice_response import VoiceResponse

from ivr.cli import cli
from ivr.menus.characters import find_refused
from ivr.menus.characters import scrub
from ivr.menus.loader import check_menus_text
from ivr.menus.yamlsource import parse_yaml
from tests.conftest import ROOT
from tests.test_validate import OK

OK_TEXT = (OK / "menus.yaml").read_text(encoding="utf-8")
NO_INPUT = "  no_input: {fi: En kuullut valintaa., en: I did not hear a choice.}\n"
# What XML 1.0 cannot carry at all (its Char production): these must all be refused.
NOT_XML = [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF]


def errors(text):
    _, _, problems = parse_yaml(text, "m.yaml")
    return [p.format() for p in problems]


def as_xml_reads(text):
    """XML reads a line end (CR LF, or CR alone) as LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def twiml_round_trip(text):
    """The text as Twilio's XML parser reads it back from a <Say> of the twilio library."""
    response = VoiceResponse()
    response.say(text)
    return ET.fromstring(response.to_xml()).find("Say").text or ""


@pytest.mark.parametrize("code", NOT_XML)
def test_every_character_xml_cannot_carry_is_refused(code):
    with pytest.raises(ET.ParseError):  # the premise: a TwiML answer holding it is unreadable
        ET.fromstring(f"<Say>a{chr(code)}b</Say>")
    assert find_refused(f"a{chr(code)}b") == (1, chr(code))
    assert len(errors(f'a: "x\\u{code:04X}"\n')) == 1


def test_every_other_character_reaches_twiml_unchanged():
    """All of the Basic Multilingual Plane that validate accepts, and the planes above."""
    accepted = "".join(c for c in map(chr, range(0x10000)) if find_refused(c) is None)
    accepted += "\U0001F600\U00010000\U0010FFFD"
    assert twiml_round_trip(accepted) == as_xml_reads(accepted)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=30))
def test_a_scrubbed_text_can_always_be_said_in_twiml(text):
    scrubbed = scrub(text)
    assert find_refused(scrubbed) is None
    assert twiml_round_trip(scrubbed) == as_xml_reads(scrubbed)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=20))
def test_any_text_is_refused_or_can_be_said_in_twiml(text):
    for written in (json.dumps(text), json.dumps(text, ensure_ascii=False)):
        data, _, problems = parse_yaml(f"a: {written}\n", "m.yaml")
        if not problems:
            assert twiml_round_trip(data["a"]) == as_xml_reads(data["a"])


def test_a_control_character_is_said_where_it_is_after_other_text_on_the_line():
    assert errors('a: {b: "ää😀 x\\ay"}\n') == [
        "m.yaml:1:14: error: a.b: a control character U+0007 BEL (\\a) (delete it: Twilio "
        "cannot read an answer that holds it, and the caller would hear an error)"]


@pytest.mark.parametrize(("escape", "column", "what"), [
    ("\\x1B", 6, "a control character U+001B ESC (\\e)"),
    ("\\0", 6, "a control character U+0000 NUL"),
    ("\\u0085", 6, "a line-break character U+0085 NEL (\\N)"),
    ("\\x9B", 6, "a control character U+009B"),
    ("\\uFDD0", 6, "a code point that is not a character U+FDD0"),
    ("\\u2066", 6, "a bidirectional control character U+2066 LEFT-TO-RIGHT ISOLATE"),
])
def test_every_class_of_refused_character_is_named_at_its_escape(escape, column, what):
    [problem] = errors(f'a: "x{escape}y"\n')
    assert problem.startswith(f"m.yaml:1:{column}: error: a: {what} (delete it: ")


def test_a_control_character_written_raw_is_refused_at_its_line_and_column():
    # libyaml refuses it while reading, with an offset in bytes: said here in characters.
    assert errors("a: x\nb: 'ääää\x01'\n") == [
        "m.yaml:2:9: error: a control character U+0001 (delete it: Twilio cannot read an "
        "answer that holds it, and the caller would hear an error)"]


def test_a_raw_bidi_override_in_a_block_text_and_one_in_a_key_are_refused():
    assert [e.split(" (")[0] for e in errors("a: |\n  one\n  x\u202ey\n\"k\\e\": 1\n")] == [
        "m.yaml:3:4: error: a: a bidirectional control character U+202E RIGHT-TO-LEFT "
        "OVERRIDE",
        "m.yaml:4:3: error: a control character U+001B ESC",
    ]


def test_a_lone_surrogate_is_a_problem_not_an_exception():
    assert errors('a: "x\ud800"\n')[0].startswith(
        "m.yaml:1:6: error: a code point that is not a character U+D800 (delete it: ")


def test_the_marks_arabic_persian_and_kurdish_texts_need_are_accepted():
    allowed = "\u200e\u200f\u061c\u200c\u200d\t"
    text = OK_TEXT.replace(NO_INPUT, NO_INPUT.replace(
        "I did not hear a choice.", '"I did not\\u200E\\u200F\\u061C\\u200C\\u200D\\t hear."'))
    menus, problems = check_menus_text(text, "m.yaml")
    assert problems == [] and menus is not None
    assert menus.texts["no_input"]["en"] == f"I did not{allowed} hear."


def test_a_backslash_before_a_letter_in_single_quotes_is_just_text():
    assert errors("a: 'C:\\a\\e'\nb: \"\\\\a\"\n") == []


def test_a_po_import_with_a_control_character_is_refused_naming_the_entry(tmp_path):
    menus = tmp_path / "menus.yaml"
    shipped = (ROOT / "menus.yaml").read_text(encoding="utf-8")
    menus.write_text(shipped, encoding="utf-8")
    po_path = tmp_path / "en.po"
    runner = CliRunner(mix_stderr=False)
    runner.invoke(cli, ["translations", "export", "--lang", "en", "-o", str(po_path),
                        "--menus", str(menus)])
    po = polib.pofile(str(po_path))
    po.find("En kuullut valintaa.", msgctxt="texts.no_input").msgstr = "I did not\x07 hear."
    po.save(str(po_path))
    entry = po.find("En kuullut valintaa.", msgctxt="texts.no_input")
    line = polib.pofile(str(po_path)).find(entry.msgid, msgctxt=entry.msgctxt).linenum
    result = runner.invoke(cli, ["translations", "import", str(po_path), "--menus", str(menus)])
    assert (result.exit_code, result.stderr) == (1, (
        f"Error: {po_path}:{line}: the translation of 'texts.no_input' holds a control "
        "character U+0007 BEL (\\a) at character 10 (delete it: Twilio cannot read an "
        "answer that holds it, and the caller would hear an error)\n"))
    assert menus.read_text(encoding="utf-8") == shipped
