"""What a reader sees in headless Chromium (issue 23 items 9 and 12): an Arabic phone number
read digit by digit stays left to right in a right-to-left sentence (the QA keypad, the
console's diagram and "what a caller hears"), and at phone width the keypad stays in view
while the keys are pressed. Screenshots go to tests/output/pages-*.png.
"""

import itertools
from dataclasses import replace

import pytest

from ivr.app import create_app
from tests.browser import PHONE
from tests.browser import chromium
from tests.browser import live_server
from tests.browser import shot
from tests.test_console_browser import OPERATOR
from tests.test_console_browser import PASSWORD

pytestmark = pytest.mark.browser
NUMBER = "0 2 9, 5 4 6, 3 1 7 7"
"""The info line as an Arabic caller hears it (services.*.contact.phone, digit by digit)."""

# The x of the middle of each character of the first `needle` under `root` as laid out on
# the screen, wherever <bdi> cuts the text into several nodes; bidi controls are skipped, an
# NBSP counts as a space, and spaces get no x: "0 2 9" gives three.
POSITIONS = """(root, needle) => {
  const chars = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.data.length; i++) {
      const c = node.data[i];
      if (c < "\\u2066" || c > "\\u2069") { chars.push([node, i, c === "\\u00a0" ? " " : c]); }
    }
  }
  const at = chars.map((c) => c[2]).join("").indexOf(needle);
  if (at < 0) { return null; }
  const xs = [];
  for (const [node, i, c] of chars.slice(at, at + needle.length)) {
    if (c === " ") { continue; }
    const range = document.createRange();
    range.setStart(node, i);
    range.setEnd(node, i + 1);
    const box = range.getBoundingClientRect();
    xs.push(box.x + box.width / 2);
  }
  return xs;
}"""


def left_to_right(xs):
    return xs is not None and all(a < b for a, b in itertools.pairwise(xs))


@pytest.fixture
def app(settings):
    return create_app(replace(settings, playground=True, console_password=PASSWORD,
                              public_base_url=None, auth_token=None, allow_unsigned=True))


@pytest.fixture
def server(app):
    with live_server(app) as url:
        yield url


def press(page, key, *, tap=False):
    """Press a key and wait for the answer (a new line in the transcript, keys back on)."""
    before = page.locator("#transcript li").count()
    (page.tap if tap else page.click)(f".key[data-key='{key}']")
    page.wait_for_function("(n) => document.querySelectorAll('#transcript li').length > n"
                           " && !document.querySelector('.key').disabled", arg=before)


def in_view(page, selector, height):
    box = page.locator(selector).bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def test_at_phone_width_the_keypad_stays_in_view_while_keys_are_pressed(server):
    with chromium(viewport=PHONE, is_mobile=True, has_touch=True) as page:
        page.goto(f"{server}/playground")
        page.tap("#start")
        page.wait_for_selector("text=Waiting for a key in language")
        # Finnish, safety, safe housing, then the read-out's next service three times:
        # long answers, the transcript growing well past the screen.
        for key in ("1", "1", "1", "1", "1", "1"):
            press(page, key, tap=True)
            assert in_view(page, ".keypad", PHONE["height"]), f"after {key}"
            # ... and so is the answer, from its first line, in the transcript's box above.
            line = page.locator("#transcript li.pressed >> nth=-1").bounding_box()
            box = page.locator("#transcript").bounding_box()
            assert box["y"] <= line["y"] and line["y"] + line["height"] <= box["y"] + box["height"]
            assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]
        assert page.evaluate("() => window.scrollY") == 0
        transcript = page.locator("#transcript").bounding_box()
        keypad = page.locator(".keypad").bounding_box()
        assert transcript["y"] + transcript["height"] <= keypad["y"]
        shot(page, "pages-playground-390px")


def test_an_arabic_phone_number_reads_left_to_right_in_the_playground(server):
    with chromium(viewport={"width": 1280, "height": 900}) as page:
        page.goto(f"{server}/playground")
        page.click("#start")
        page.wait_for_selector("text=Waiting for a key in language")
        for key in ("4", "1", "1"):           # Arabic, safety, safe housing: the read-out
            press(page, key)
        line = page.locator("#transcript li .text", has_text="الهاتف").first
        assert line.evaluate("e => getComputedStyle(e).direction") == "rtl"
        assert line.get_attribute("lang") == "ar"
        xs = line.evaluate(POSITIONS, NUMBER)
        assert left_to_right(xs), xs
        # The sentence itself runs right to left: "الهاتف" (phone) is right of the number.
        label = line.evaluate(POSITIONS, "الهاتف")
        assert min(label) > max(xs)
        shot(page, "pages-playground-ar")


def test_an_arabic_phone_number_reads_left_to_right_in_the_diagram(server):
    with chromium(viewport={"width": 1280, "height": 900}, **OPERATOR) as page:
        page.goto(f"{server}/console/diagram?lang=ar")
        page.wait_for_selector("#diagram svg")
        texts = page.locator("#diagram svg text")
        found = [texts.nth(i) for i in range(texts.count())
                 if NUMBER in " ".join(texts.nth(i).text_content().replace("\xa0", " ")
                                       .split())]
        assert len(found) == 3          # dial_retry after busy, no answer and failed
        for text in found:
            assert left_to_right(text.evaluate(POSITIONS, NUMBER))
        shot(page, "pages-diagram-ar")
        page.goto(f"{server}/console/texts?lang=ar")
        cell = page.locator("#texts td[lang=ar]", has_text="اتصل بالرقم").first
        assert cell.evaluate("e => getComputedStyle(e).direction") == "rtl"


def test_an_arabic_phone_number_reads_left_to_right_on_what_a_caller_hears(server):
    with chromium(viewport={"width": 1280, "height": 900}, **OPERATOR) as page:
        page.goto(f"{server}/console/caller?lang=ar&keys=1,1")
        line = page.locator("#heard .text", has_text="الهاتف").first
        assert line.evaluate("e => getComputedStyle(e).direction") == "rtl"
        xs = line.evaluate(POSITIONS, NUMBER)
        shot(page, "pages-caller-ar")
        assert left_to_right(xs), xs
