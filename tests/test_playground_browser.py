"""The QA playground in headless Chromium: keypad, live transcript, prompt audio that loads.

Runs in CI (the Makefile installs Debian's chromium); with no chromium it fails, never skips.
"""

import shutil
import threading
from dataclasses import replace
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from ivr.web import create_app
from tests.test_playground import recorded_language_menu

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.browser


@pytest.fixture
def server(settings):
    recorded_language_menu(settings.prompts_dir, settings.menus_path)
    # The browser reaches the app at 127.0.0.1, a URL known only once it listens: unsigned,
    # as `ivr serve` runs on loopback.
    local = replace(settings, playground=True, public_base_url=None, auth_token=None,
                    allow_unsigned=True)
    server = make_server("127.0.0.1", 0, create_app(local))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture
def page():
    if not Path(CHROMIUM).exists():
        found = shutil.which("chromium")
        pytest.fail(f"no Chromium at {CHROMIUM} (found: {found}); install Debian's chromium: "
                    "apt-get install chromium (make test does it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.set_default_timeout(15000)
        yield page
        browser.close()


def transcript(page):
    return page.locator("#transcript li").all_inner_texts()


def test_a_call_in_the_browser_plays_the_prompts_and_shows_the_transcript(server, page):
    page.goto(f"{server}/playground")
    assert page.locator(".key:disabled").count() == 12
    page.click("#start")
    page.wait_for_selector("text=Waiting for a key in language")
    assert transcript(page)[:2] == [
        "[language](fi) Hätätilanteessa soita 112.",
        "[language](fi) Suomeksi, paina 1.",
    ]
    # Every recorded prompt is an <audio> element the browser loaded and could decode.
    page.wait_for_function(
        "() => { const a = [...document.querySelectorAll('audio')];"
        " return a.length === 6 && a.every(x => x.readyState >= 1 && x.duration > 0.3); }")
    sources = page.eval_on_selector_all("audio", "els => els.map(e => e.getAttribute('src'))")
    assert all(s.startswith("/audio/") and s.endswith(".wav") for s in sources)

    page.click(".key[data-key='2']")
    page.wait_for_selector("text=Waiting for a key in main")
    assert "> pressed 2" in transcript(page)
    assert any(line.startswith("[main](sv) Huvudmenyn.") for line in transcript(page))

    page.select_option("#outcome", "busy")
    page.click(".key[data-key='0']")
    page.wait_for_selector("text=transfer to +358295463177: busy")
    assert any("Infotelefonen är upptagen just nu." in line for line in transcript(page))

    page.click(".key[data-key='9']")
    page.wait_for_selector("#status:has-text('Call ended')")
    assert page.inner_text("#status") == (
        "Call ended: told to dial the emergency number, then hung up (in main)")
    assert page.locator(".key:disabled").count() == 12
    assert transcript(page)[-1] == (
        "call ended: told to dial the emergency number, then hung up (in main)")
