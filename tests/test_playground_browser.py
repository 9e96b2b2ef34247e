"""The QA playground in headless Chromium: keypad and keyboard, the transcript one line per
sentence, audio on demand, copy as scenario, a lost call, a phone-sized screen.

Runs in CI (the Makefile installs Debian's chromium); with no chromium it fails, never skips.
Screenshots go to tests/output/ (gitignored) for a reviewer to look at.
"""

from dataclasses import replace

import pytest

from ivr.app import create_app
from ivr.core import script
from ivr.menus.loader import load_menus
from ivr.qa.scenariofile import parse_scenarios
from ivr.qa.scenarios import run_scenario
from tests.browser import PHONE
from tests.browser import chromium
from tests.browser import fits
from tests.browser import live_server
from tests.browser import shot
from tests.conftest import ROOT
from tests.test_playground import recorded_language_menu

pytestmark = pytest.mark.browser


@pytest.fixture
def app(settings):
    recorded_language_menu(settings.prompts_dir, settings.menus_path)
    # The browser reaches the app at 127.0.0.1, so that is its public URL here.
    return create_app(replace(settings, playground=True, public_base_url=None, auth_token=None,
                              allow_unsigned=True))


@pytest.fixture
def server(app):
    with live_server(app) as url:
        yield url


@pytest.fixture
def page():
    with chromium() as page:
        yield page


def transcript(page):
    return [" ".join(t.split()) for t in page.locator("#transcript li").all_inner_texts()]


def wait_for_player(page):
    page.wait_for_function("() => { const p = document.getElementById('player');"
                           " return p.readyState >= 1 && p.duration > 0.3; }")


def test_a_call_with_the_keypad_and_the_keyboard_plays_prompts_on_demand(server, page):
    page.goto(f"{server}/playground")
    assert page.locator(".key:disabled").count() == 12
    assert page.locator("#no-audio").count() == 0
    page.click("#start")
    page.wait_for_selector("text=Waiting for a key in language")
    assert transcript(page)[:2] == [
        "language · fi Hätätilanteessa soita 1 1 2. ▶", "language · fi Suomeksi, paina 1. ▶"]
    # One player for the page, not one per sentence; it plays the first prompt at once.
    assert page.locator("audio").count() == 1
    # As many as the language menu has sentences, whatever the languages (issue 10).
    count = len(script.language_menu(load_menus(ROOT / "menus.yaml")))
    assert page.locator("button.play").count() == count
    wait_for_player(page)
    assert page.eval_on_selector("#player", "p => p.getAttribute('src')").startswith("/audio/")

    page.keyboard.type("2")          # the keyboard presses keys as the keypad does
    page.wait_for_selector("text=Waiting for a key in main")
    assert "main · sv Tryggt boende, krisstöd, kvinnor och barn: tryck 1." in transcript(page)
    assert "language pressed 2" in transcript(page)

    page.click("button.play >> nth=3")   # audio on demand: the sentence of that line
    wait_for_player(page)
    assert page.locator("button.play.playing").count() == 1

    page.select_option("#outcome", "busy")
    page.keyboard.type("0")
    page.wait_for_selector("text=transfer to +358295463177: busy")
    assert "main · sv Infotelefonen är upptagen just nu." in transcript(page)
    page.keyboard.type("*")
    page.wait_for_selector("li.pressed >> text=pressed *")
    shot(page, "playground-call")

    page.click(".key[data-key='9']")
    page.wait_for_selector("#status:has-text('Call ended')")
    assert page.inner_text("#status") == (
        "Call ended: told to dial the emergency number, then hung up (in main)")
    assert page.locator(".key:disabled").count() == 12


def test_copy_as_scenario_gives_a_file_that_replays_the_call(app, server, page):
    page.goto(f"{server}/playground")
    page.click("#start")
    page.wait_for_selector("text=Waiting for a key in language")
    # English, legal advice: the whole country's read-out, then the capital region's.
    for key, waits_in in (("3", "main"), ("2", "needs_legal"), ("1", "services"),
                          ("2", "region"), ("1", "services")):
        page.keyboard.type(key)
        page.wait_for_selector(f"#status:text-is('Waiting for a key in {waits_in}')")
    page.select_option("#outcome", "no-answer")
    page.click("#silence")
    page.wait_for_selector("li.silence")
    page.keyboard.type("0")
    page.wait_for_selector("text=transfer to +358295463177: no-answer")
    page.click("#copy")
    page.wait_for_selector("#scenario-box[open]")
    text = page.input_value("#scenario")
    shot(page, "playground-scenario")
    menus = load_menus(app.config["IVR_SETTINGS"].menus_path)
    [scenario] = parse_scenarios(text, "copied.yaml", menus)
    assert [s.action for s in scenario.steps] == [None] + ["press"] * 5 + ["silence", "press"]
    assert scenario.steps[-1].outcome == "no-answer"
    result = run_scenario(app, menus, scenario)
    assert result.passed, result.failure


def test_a_call_the_server_lost_says_so_and_starts_again(app, server, page):
    page.goto(f"{server}/playground")
    page.click("#start")
    page.wait_for_selector("text=Waiting for a key in language")
    app.extensions["ivr_playground_calls"].clear()   # what a restart of the server does
    page.keyboard.type("1")
    page.wait_for_selector("#lost:visible")
    assert page.inner_text("#lost-text").startswith(
        "The server no longer knows this call: it was restarted")
    assert "404" not in page.inner_text("body")
    assert page.locator(".key:disabled").count() == 12
    shot(page, "playground-lost")
    page.click("#restart")
    page.wait_for_selector("text=Waiting for a key in language")
    assert page.locator("#lost").is_hidden()
    page.keyboard.type("1")
    page.wait_for_selector("text=Waiting for a key in main")


def test_the_keypad_works_on_a_phone_screen(server):
    with chromium(viewport=PHONE, is_mobile=True, has_touch=True) as page:
        page.goto(f"{server}/playground")
        page.tap("#start")
        page.wait_for_selector("text=Waiting for a key in language")
        page.tap(".key[data-key='3']")
        page.wait_for_selector("text=Waiting for a key in main")
        assert fits(page, PHONE["width"])
        box = page.locator(".keypad").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert box["width"] > 300     # the keypad spans the screen, keys big enough to tap
        shot(page, "playground-390px")


def test_without_rendered_audio_the_page_says_how_to_get_some(settings):
    app = create_app(replace(settings, playground=True, public_base_url=None, auth_token=None,
                              allow_unsigned=True))
    with live_server(app) as url, chromium() as page:
        page.goto(f"{url}/playground")
        assert page.is_visible("#no-audio")
        assert "ivr prompts build --engine espeak" in page.inner_text("#no-audio")
        page.click("#start")
        page.wait_for_selector("text=Waiting for a key in language")
        assert page.locator("button.play").count() == 0
        shot(page, "playground-no-audio")
