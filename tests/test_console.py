"""The operator console: absent without its password, behind basic auth, and what each page
says (the browser drives the same pages in test_console_browser.py)."""

import base64
from dataclasses import replace

import pytest

from ivr.app import create_app
from ivr.settings import Settings
from ivr.settings import SettingsError
from tests.conftest import saved

PASSWORD = "a long console passphrase"


def basic(user, password):
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


OPERATOR = basic("operator", PASSWORD)


@pytest.fixture
def console(settings):
    return create_app(replace(settings, console_password=PASSWORD)).test_client()


def test_the_console_is_absent_without_its_password(client):
    for path in ("/console/", "/console/diagram", "/console/texts", "/console/caller"):
        assert client.get(path, headers=OPERATOR).status_code == 404


@pytest.mark.parametrize("headers", [{}, basic("operator", "wrong"), basic("admin", PASSWORD),
                                     basic("operator", PASSWORD + "x"),
                                     {"Authorization": "Bearer " + PASSWORD}])
def test_the_console_refuses_without_the_operator_and_password(console, headers):
    for path in ("/console/", "/console/diagram.svg", "/console/caller?keys=1",
                 "/console/static/console.css"):
        response = console.get(path, headers=headers)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == (
            'Basic realm="IVR operator console", charset="UTF-8"')
        assert b"menu" not in response.data.lower()


def test_the_user_name_comes_from_ivr_console_user():
    settings = Settings.from_env({"IVR_CONSOLE_PASSWORD": PASSWORD, "IVR_CONSOLE_USER": "staff"})
    assert (settings.console_user, settings.console_password) == ("staff", PASSWORD)
    assert Settings.from_env({}).console_user == "operator"
    assert Settings.from_env({}).console_password is None
    with pytest.raises(SettingsError) as error:
        Settings.from_env({"IVR_CONSOLE_USER": "a:b"})
    assert str(error.value) == ("IVR_CONSOLE_USER='a:b' is not a user name without ':' or "
                                "spaces (fix or unset IVR_CONSOLE_USER)")


def test_another_user_name_is_the_only_one_let_in(settings):
    client = create_app(replace(settings, console_password=PASSWORD,
                                console_user="staff")).test_client()
    assert client.get("/console/", headers=OPERATOR).status_code == 401
    assert client.get("/console/", headers=basic("staff", PASSWORD)).status_code == 200


def test_console_pages_are_not_cached_or_framed(console):
    response = console.get("/console/", headers=OPERATOR)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Frame-Options"] == "DENY"


def page(console, path):
    response = console.get(path, headers=OPERATOR)
    assert response.status_code == 200, response.data[:500]
    return response.get_data(as_text=True)


def test_status_shows_version_numbers_and_prompts(console, settings):
    from ivr.menus.loader import load_menus

    menus = load_menus(settings.menus_path)
    html = page(console, "/console/")
    assert f'<strong id="version">{menus.version}</strong>' in html
    assert "No rejected edit" in html
    assert "<code>+358295463177</code></td><td>029 5463177</td>" in html
    assert "Emergency: never dialled, the caller is told to call it" in html
    assert "<td>suomi (fi)</td>" in html and "0 of " in html   # no audio rendered yet


def test_status_shows_a_rejected_edit_with_its_lines(console, settings):
    page(console, "/console/")
    text = settings.menus_path.read_text()
    saved(settings.menus_path, text.replace("  timeout: 6 ", "  timeout: soon "))
    html = page(console, "/console/")
    assert "The last edit of menus.yaml was rejected" in html
    line = next(n for n, t in enumerate(text.splitlines(), 1) if t.startswith("  timeout: 6"))
    assert f'<span class="badge">line {line}</span> {settings.menus_path}:{line}:' in html


def test_the_diagram_page_inlines_the_svg_in_the_chosen_language(console):
    html = page(console, "/console/diagram?lang=sv")
    assert '<div class="diagram" id="diagram"><svg' in html
    assert "tystnad 6 s: Jag hörde inget val." in html
    assert '<option value="sv" selected>' in html
    svg = console.get("/console/diagram.svg?lang=en", headers=OPERATOR)
    assert svg.mimetype == "image/svg+xml" and b"silence 6 s" in svg.data
    png = console.get("/console/diagram.png", headers=OPERATOR)
    assert png.mimetype == "image/png" and png.data[:4] == b"\x89PNG"
    assert console.get("/console/diagram.pdf", headers=OPERATOR).status_code == 404


def test_the_texts_page_puts_every_language_side_by_side_and_filters(console):
    html = page(console, "/console/texts")
    assert '<td class="path">texts.no_input</td>' in html
    assert ('<td class="source" lang="fi">En kuullut valintaa.<span class="badge source">'
            'source</span></td>') in html
    assert ('<td class="source" lang="sv">Jag hörde inget val.<span class="badge source">'
            'source</span></td>') in html
    assert ('<td class="unreviewed" lang="en">I did not hear a choice.<span class="badge '
            'unreviewed">unreviewed</span></td>') in html
    only_sv = page(console, "/console/texts?lang=sv")
    assert 'lang="sv">Jag hörde inget val.' in only_sv
    assert '<td class="unreviewed" lang="en">' not in only_sv
    reviewed = page(console, "/console/texts?only=reviewed")
    assert "No text has that status." in reviewed  # nothing is reviewed yet, honestly


def test_review_status_of_a_reviewed_a_changed_a_plain_and_a_missing_text():
    from ivr.console.texts import review_status
    from ivr.menus.langkinds import ReviewedText
    from ivr.menus.langkinds import source_hash

    def reviewed(text, source):
        value = ReviewedText(text)
        value.reviewed = source_hash(source)
        return value

    assert review_status(reviewed("Hej.", "Hei."), "Hei.", True).status == "reviewed"
    assert review_status(reviewed("Hej.", "Hei."), "Hei!", True).status == "source changed"
    assert review_status("Hej.", "Hei.", True).status == "unreviewed"
    assert review_status("Hei.", None, False).status == "source"
    assert review_status(None, "Hei.", True).status == "missing"


def test_the_caller_page_runs_the_path_and_shows_it_as_ivr_call_does(console):
    html = page(console, "/console/caller?lang=en&keys=0&outcome=busy")
    assert ('<li class="transfer"><span class="where">main</span>'
            'transfer to +358295463177: busy') in html
    assert "The info line is busy right now." in html
    assert '<li class="pressed"><span class="where">language</span>pressed 3</li>' in html
    assert "$ ivr call --lang en --keys 0 --outcome busy\n" in html
    assert "== still on the line, waiting for a key in main" in html
    bad = page(console, "/console/caller?keys=1,x")
    assert ("&#39;x&#39; is not phone keys (0-9, * and #; - for silence; "
            "say:&lt;words&gt; to speak)") in bad


def test_statistics_are_not_offered_while_counting_is_off(console):
    assert ">Statistics<" not in page(console, "/console/")
    assert console.get("/console/stats", headers=OPERATOR).status_code == 404


def test_the_statistics_page_shows_the_counts_and_the_consoles_own_calls_are_not_counted(
        settings, tmp_path, signed_post):
    import datetime

    from ivr.qa.simulator import place_call

    url = f"sqlite:///{tmp_path / 'stats.sqlite3'}"
    app = create_app(replace(settings, console_password=PASSWORD, stats_url=url))
    client = app.test_client()
    assert "<svg" in page(client, "/console/stats")  # an empty store: charts of nothing
    caller = place_call(app)  # one real (signed) call to the live webhook: counted
    caller.start()
    caller.press("3")
    for _ in range(3):
        page(client, "/console/caller?lang=en&keys=9")  # an operator's walk: not a caller
    app.extensions["ivr"].stats.flush()
    today = datetime.date.today().isoformat()
    html = page(client, f"/console/stats?start={today}&end={today}&min_count=1")
    assert ">Statistics<" in html and "<svg" in html
    data = recorder_report(url, today)
    assert (data["calls"], data["emergency"]) == (1, 0)


def recorder_report(url, day):
    import datetime

    from ivr.stats.report import report_data

    date = datetime.date.fromisoformat(day)
    return report_data(url, date, date, 1)


def test_the_navigation_links_the_qa_keypad_only_when_it_is_on(settings):
    on = create_app(replace(settings, console_password=PASSWORD, playground=True))
    assert '<a href="/playground">QA keypad</a>' in page(on.test_client(), "/console/")
    off = create_app(replace(settings, console_password=PASSWORD))
    assert "QA keypad" not in page(off.test_client(), "/console/")


def test_every_console_page_refuses_any_script_but_its_own(console):
    for path in ("/console/", "/console/diagram", "/console/diagram.svg", "/console/texts",
                 "/console/caller?keys=1", "/console/static/console.js"):
        response = console.get(path, headers=OPERATOR)
        assert response.status_code == 200, path
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self';" in policy and "default-src 'none'" in policy, path
        assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
    html = page(console, "/console/diagram")
    assert "onchange" not in html and "<select name=\"lang\" id=\"lang\" data-submit>" in html


def test_status_says_when_a_seed_the_live_menus_name_is_gone(console, settings):
    import shutil

    from tests.conftest import ROOT

    seeds = settings.menus_path.parent / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    console.get("/console/", headers=OPERATOR)
    assert 'id="seeds"' not in page(console, "/console/")
    next(seeds.glob("*.txt")).unlink()
    assert 'id="seeds"' in page(console, "/console/")


def test_what_a_caller_hears_never_sends_a_text_message(settings, monkeypatch):
    # Issue 22 item 6: with text messages configured, the console's walk once sent one.
    from twilio.http.http_client import TwilioHttpClient

    from tests.speechmenus import sms_menus_text

    sent = []
    monkeypatch.setattr(TwilioHttpClient, "request",
                        lambda self, *args, **kwargs: sent.append(args) or 1 / 0)
    for name, value in (("TWILIO_ACCOUNT_SID", "AC" + "0" * 32), ("IVR_SMS_FROM", "+15005550006")):
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "x" * 32)
    settings.menus_path.write_text(sms_menus_text(), encoding="utf-8")
    console = create_app(replace(settings, console_password=PASSWORD)).test_client()
    menus = console.application.extensions["ivr"].store.current()
    readout = menus.menus["services"]
    sms_key = next(o.key for o in readout.options if o.action == "sms")
    html = page(console, f"/console/caller?lang=en&keys=1,1,{sms_key},1")
    assert menus.texts["sms_sent"]["en"].split(".")[0] in html  # as a caller would hear
    assert sent == [], "the console's twin pretends to send; it never calls Twilio"
