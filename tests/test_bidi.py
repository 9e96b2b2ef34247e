"""Right-to-left languages on the pages and in the diagram (issue 23 item 9): each text in
its language's direction, each number, key, placeholder and address in it left to right.
The browser checks what a reader sees in tests/test_pages_browser.py."""

import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest

from ivr.app import create_app
from ivr.console.graph import render_graph
from ivr.core.bidi import LRI
from ivr.core.bidi import LRM
from ivr.core.bidi import NBSP
from ivr.core.bidi import PDI
from ivr.core.bidi import RLI
from ivr.core.bidi import direction
from ivr.core.bidi import ltr_parts
from ivr.core.bidi import wrap_label
from ivr.menus.diagram import build_graph
from ivr.menus.loader import load_menus
from tests.conftest import ROOT

SVG = "{http://www.w3.org/2000/svg}"
PHONE = "0 2 9, 5 4 6, 3 1 7 7"
"""The info line as a caller hears it, digit by digit."""


@pytest.mark.parametrize(("code", "name", "want"), [
    ("ar", "العربية", "rtl"), ("prs", "دری", "rtl"), ("ckb", "کوردیی ناوەندی", "rtl"),
    ("fa", "فارسی", "rtl"), ("he", "עברית", "rtl"), ("fi", "suomi", "ltr"),
    ("th", "ภาษาไทย", "ltr"), ("so", "Soomaali", "ltr"), ("ti", "ትግርኛ", "ltr"),
    # A code CLDR does not know: the script of the language's own name decides.
    ("xx-arab", "عربي", "rtl"), ("xx", "Kieli", "ltr"), ("DE!", "", "ltr"),
])
def test_the_direction_of_a_language(code, name, want):
    assert direction(code, name) == want


def test_numbers_keys_placeholders_and_addresses_are_left_to_right_parts():
    assert ltr_parts(f"الهاتف: {PHONE}.") == [("الهاتف: ", False), (PHONE, True), (".", False)]
    assert ltr_parts("{label}: اضغط {key}.") == [
        ("{label}", True), (": اضغط ", False), ("{key}", True), (".", False)]
    assert ltr_parts("اتصل بالرقم +358 29 546 3177 أو 116 006 واضغط * ثم #.") == [
        ("اتصل بالرقم ", False), ("+358 29 546 3177", True), (" أو ", False),
        ("116 006", True), (" واضغط ", False), ("*", True), (" ثم ", False), ("#", True),
        (".", False)]
    assert ltr_parts("راسلنا على info@pro-tukipiste.fi أو www.ihmiskauppa.fi/ar.") == [
        ("راسلنا على ", False), ("info@pro-tukipiste.fi", True), (" أو ", False),
        ("www.ihmiskauppa.fi/ar", True), (".", False)]
    assert ltr_parts("Pro-tukipiste") == [("Pro-tukipiste", False)]
    assert ltr_parts("") == [("", False)]
    assert "".join(piece for piece, _ in ltr_parts(f"a {PHONE} b {{x}}")) == f"a {PHONE} b {{x}}"


def test_a_diagram_label_isolates_its_right_to_left_text_and_its_numbers():
    line = f"خط المعلومات مشغول الآن. يمكنك المحاولة مرة أخرى، أو الاتصال مباشرةً بالرقم {PHONE}."
    lines = wrap_label(line, 44)
    phone = LRI + PHONE.replace(" ", NBSP) + PDI
    # The number is never cut in two by the wrapping, and runs left to right.
    assert lines[-1].endswith(phone + "." + PDI)
    assert all(ln.startswith(RLI) and ln.endswith(PDI) for ln in lines)
    # A line that starts left to right says so: pango (the PNG) would take its direction
    # from its first letter, Arabic.
    assert wrap_label("silence 6 s: لم أسمع أي اختيار.", 44) == [
        f"{LRM}silence {LRI}6{PDI} s: {RLI}لم أسمع أي اختيار.{PDI}"]
    assert wrap_label("4 العربية", 44) == [f"{LRM}{LRI}4{PDI} {RLI}العربية{PDI}"]
    # Every other language is only wrapped, as before.
    assert wrap_label(f"Voit soittaa numeroon {PHONE}.", 20) == [
        "Voit soittaa", "numeroon 0 2 9, 5 4", "6, 3 1 7 7."]


def svg_lines(menus, lang):
    root = ET.fromstring(render_graph(build_graph(menus, lang), "svg"))
    return [text.text or "" for text in root.iter(f"{SVG}text")]


def test_the_arabic_diagram_keeps_the_info_line_number_in_one_left_to_right_piece():
    menus = load_menus(ROOT / "menus.yaml")
    glued = LRI + PHONE.replace(" ", NBSP) + PDI
    # dial_retry, said after a busy, unanswered or failed transfer: three edges.
    retries = [line for line in svg_lines(menus, "ar") if glued in line]
    assert len(retries) == 3
    assert all(line == RLI + glued + "." + PDI for line in retries)
    assert all(PHONE.replace(" ", NBSP) not in line for line in svg_lines(menus, "fi"))


@pytest.fixture
def playground(settings):
    return create_app(replace(settings, playground=True)).test_client()


def test_the_playground_sends_each_sentence_with_its_direction_and_parts(playground):
    answer = playground.post("/playground/api/call").get_json()
    call = f"/playground/api/call/{answer['id']}"
    for key in ("4", "1", "1"):       # Arabic, then safety, then safe housing: the read-out
        answer = playground.post(call, json={"keys": key}).get_json()
    heard = [e for e in answer["events"] if e["kind"] == "heard"]
    assert {e["dir"] for e in heard} == {"rtl"}
    [phone] = [e for e in heard if PHONE in e["text"]]
    assert [PHONE, True] in phone["parts"]
    assert "".join(piece for piece, _ in phone["parts"]) == phone["text"]
    pressed = next(e for e in answer["events"] if e["kind"] == "pressed")
    assert "dir" not in pressed and "parts" not in pressed
    # The language menu: each language offers itself in its own direction.
    answer = playground.post("/playground/api/call").get_json()
    directions = {e["lang"]: e["dir"] for e in answer["events"] if e["kind"] == "heard"}
    offered = load_menus(ROOT / "menus.yaml").offered()  # and any language a helpline adds
    assert directions == {lang.code: direction(lang.code, lang.name) for lang in offered}
    assert (directions["ar"], directions["fi"]) == ("rtl", "ltr")
