"""The operator console in headless Chromium, page by page, as an operator uses it: the
password prompt, the status, the diagram in another language, the texts filtered, and what a
caller hears on a chosen path, played. Screenshots go to tests/output/console-*.png.
"""

from dataclasses import replace

import pytest

from ivr.app import create_app
from ivr.core import script
from ivr.menus.loader import load_menus
from tests.browser import PHONE
from tests.browser import chromium
from tests.browser import fits
from tests.browser import live_server
from tests.browser import shot
from tests.conftest import ROOT
from tests.conftest import saved
from tests.test_playground import recorded_language_menu

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery staple"
OPERATOR = {"http_credentials": {"username": "operator", "password": PASSWORD}}


@pytest.fixture
def server(settings):
    recorded_language_menu(settings.prompts_dir, settings.menus_path)
    app = create_app(replace(settings, console_password=PASSWORD, public_base_url=None,
                             auth_token=None, allow_unsigned=True))
    with live_server(app) as url:
        yield url


@pytest.fixture
def page():
    with chromium(viewport={"width": 1280, "height": 900}, **OPERATOR) as page:
        yield page


def test_without_the_password_the_browser_gets_401(server):
    with chromium() as page:
        response = page.request.get(f"{server}/console/")
        assert response.status == 401
        assert response.headers["www-authenticate"].startswith('Basic realm="IVR operator')
        assert "needs its user name and password" in response.text()
    wrong = {"http_credentials": {"username": "operator", "password": "guess"}}
    with chromium(**wrong) as page:
        # Chromium offers the wrong password, gets 401 again, and either shows that answer
        # or gives up on the page (ERR_INVALID_AUTH_CREDENTIALS); never the console.
        try:
            response = page.goto(f"{server}/console/")
        except Exception as error:  # noqa: BLE001 - playwright's Error
            assert "ERR_INVALID_AUTH_CREDENTIALS" in str(error)
        else:
            assert response.status == 401 and "Live menus" not in page.content()


def test_the_status_page_shows_the_live_menus_the_prompts_and_the_numbers(server, page):
    page.goto(f"{server}/console/")
    assert page.locator("nav a").all_inner_texts() == [
        "Status", "Diagram", "Texts", "What a caller hears", "History"]   # no Statistics: off
    assert len(page.inner_text("#version")) == 12
    assert page.is_visible("#accepted")
    rows = page.locator("#prompts tbody tr").all_inner_texts()
    menus = load_menus(ROOT / "menus.yaml")
    assert [r.split("\t")[0] for r in rows] == [
        f"{language.name} ({code})" for code, language in menus.languages.items()]
    # The recorded sentences are the language menu's, of which so many are in Finnish.
    recorded = [line for line in script.language_menu(menus) if line.lang == "fi"]
    assert rows[0].split("\t")[2] == str(len(recorded))
    assert "+358295463177" in page.inner_text("#numbers")
    shot(page, "console-status")


def test_a_rejected_edit_shows_on_the_status_page_with_its_line(server, page, settings):
    text = settings.menus_path.read_text()
    saved(settings.menus_path, text.replace("  max_silences: 3 ", "  max_silences: many "))
    page.goto(f"{server}/console/")
    assert page.is_visible("#rejected")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "max_silences: 3" in t)
    problem = page.inner_text(".problems li")
    assert problem.startswith(f"line {line} {settings.menus_path}:{line}:")
    assert "call.max_silences" in problem
    shot(page, "console-status-rejected")


def test_the_diagram_page_draws_the_flow_and_switches_language(server, page):
    page.goto(f"{server}/console/")
    page.click("nav >> text=Diagram")
    page.wait_for_selector("#diagram svg")
    assert "hiljaisuus 6 s" in page.inner_text("#diagram")
    page.select_option("#lang", "en")           # submits the form: labels in English
    page.wait_for_url("**/console/diagram?lang=en")
    svg_text = page.inner_text("#diagram")
    for seen in ("silence 6 s: I did not hear a choice.", "wrong key: That is not one of",
                 "In any menu:", "The call ends"):
        assert seen in " ".join(svg_text.split())
    assert page.locator("#diagram svg g.node").count() >= 10
    shot(page, "console-diagram-en")


def test_the_texts_page_lists_every_language_and_filters_one(server, page):
    page.goto(f"{server}/console/texts")
    headers = page.locator("#texts thead th").all_inner_texts()
    menus = load_menus(ROOT / "menus.yaml")
    assert headers == ["Where in menus.yaml"] + [
        f"{language.name} ({code})" for code, language in menus.languages.items()]
    shot(page, "console-texts")
    page.select_option("#lang", "sv")
    page.click("text=Filter")
    page.wait_for_url("**/console/texts?lang=sv*")
    assert page.locator("#texts thead th").all_inner_texts() == [
        "Where in menus.yaml", "suomi (fi)", "svenska (sv)"]
    row = page.locator("#texts tr", has_text="texts.wrong_key").inner_text()
    assert row.split("\t") == ["texts.wrong_key", "Tätä valintaa ei ole.source",
                               "Det valet finns inte.source"]


def test_what_a_caller_hears_on_a_chosen_path_is_shown_and_played(server, page):
    page.goto(f"{server}/console/caller")
    page.select_option("#lang", "sv")
    page.fill("#keys", "1,-,9")
    page.click("#listen")
    page.wait_for_selector("#heard")
    lines = [" ".join(t.split()) for t in page.locator("#heard li").all_inner_texts()]
    assert lines[0] == "language · fi Hätätilanteessa soita 1 1 2. ▶"
    assert "language pressed 2" in lines and "main pressed 1" in lines
    assert "needs_safety silence (6 s)" in lines
    assert "needs_safety · sv Jag hörde inget val." in lines
    assert lines[-1] == (
        "call ended: told to dial the emergency number, then hung up (in needs_safety)")
    page.click("#heard button.play >> nth=0")     # the recorded sentence, played on demand
    page.wait_for_function("() => { const p = document.getElementById('player');"
                           " return p.readyState >= 1 && p.duration > 0.3; }")
    page.click("summary")
    assert page.inner_text("#terminal").startswith("$ ivr call --lang sv --keys 1,-,9\n")
    shot(page, "console-caller")
    page.fill("#keys", "1,x")
    page.click("#listen")
    assert "'x' is not phone keys" in page.inner_text("#error")


def test_the_console_fits_a_phone_screen(server):
    with chromium(viewport=PHONE, is_mobile=True, **OPERATOR) as page:
        for path, name in (("/console/", "status"), ("/console/caller?lang=en&keys=0", "caller")):
            page.goto(f"{server}{path}")
            shot(page, f"console-390px-{name}")
            assert fits(page, PHONE["width"]), path


def test_a_text_shaped_like_markup_is_shown_as_text_and_runs_nothing(server, page, settings):
    # Graphviz HTML with a javascript: link, and a script: both pass validate as texts.
    sly = ('<<TABLE><TR><TD HREF="javascript:document.title=1">Turvakoti</TD></TR></TABLE>> '
           "<script>document.title=2</script>")
    text = settings.menus_path.read_text()
    assert text.count("    fi: turvallinen asuminen\n") == 1
    saved(settings.menus_path, text.replace("    fi: turvallinen asuminen\n",
                                            f"    fi: '{sly}'\n"))
    for path in ("/console/diagram?lang=fi", "/console/texts"):
        page.goto(f"{server}{path}")
        assert page.locator("a[href^='javascript:'], svg a").count() == 0, path
        assert "Turvakoti" in page.content()
        assert page.title() not in ("1", "2"), path
    page.goto(f"{server}/console/texts")
    assert sly in page.inner_text("main")
