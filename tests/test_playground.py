"""The QA playground: off by default, password-protected when asked, drives the simulator."""

import base64
import io
import math
import struct
import wave

import pytest

from ivr.app import create_app
from ivr.core import script
from ivr.menus.loader import load_menus
from ivr.prompts.catalogue import Entry
from ivr.prompts.catalogue import Manifest
from ivr.prompts.catalogue import recording_name
from ivr.prompts.catalogue import render_manifest
from tests.conftest import PUBLIC_URL
from tests.conftest import ROOT


def tone_wav(seconds=0.4, rate=8000):
    """A short real WAV (a 440 Hz tone), the kind of file an operator records."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        count = int(seconds * rate)
        frames = (int(8000 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(count))
        out.writeframes(b"".join(struct.pack("<h", f) for f in frames))
    return buffer.getvalue()


def recorded_language_menu(prompts_dir, menus_path):
    """Human recordings of the language menu's sentences; returns {file name: text}."""
    prompts_dir.mkdir(exist_ok=True)
    menus = load_menus(menus_path)
    files = {}
    for line in script.language_menu(menus):
        data = tone_wav() + line.text.encode()  # distinct bytes, distinct names
        name = recording_name(line.lang, data, ".wav")
        (prompts_dir / name).write_bytes(data)
        files[name] = Entry(line.lang, line.text, "human", {}, 0.4)
    (prompts_dir / "manifest.json").write_text(render_manifest(Manifest(files)))
    return {name: entry.text for name, entry in files.items()}


@pytest.fixture
def playground(settings):
    from dataclasses import replace
    recorded_language_menu(settings.prompts_dir, settings.menus_path)
    app = create_app(replace(settings, playground=True))
    return app.test_client()


def test_the_playground_is_off_by_default(client):
    assert client.get("/playground").status_code == 404
    assert client.post("/playground/api/call").status_code == 404


def test_a_password_puts_the_playground_behind_basic_auth(settings):
    from dataclasses import replace
    app = create_app(replace(settings, playground=True, playground_password="s3cret"))
    client = app.test_client()
    response = client.get("/playground")
    assert (response.status_code, response.headers["WWW-Authenticate"]) == (
        401, 'Basic realm="IVR playground"')
    wrong = base64.b64encode(b"qa:nope").decode()
    assert client.get("/playground", headers={"Authorization": f"Basic {wrong}"}).status_code == 401
    right = base64.b64encode(b"qa:s3cret").decode()
    assert client.get("/playground", headers={"Authorization": f"Basic {right}"}).status_code == 200
    assert client.post("/playground/api/call").status_code == 401


def test_the_page_has_a_keypad_the_outcomes_and_the_api_url(playground):
    page = playground.get("/playground").get_data(as_text=True)
    keys = [f'data-key="{k}"' for k in "123456789*0#"]
    assert all(k in page for k in keys)
    assert '<option value="no-answer">no-answer</option>' in page
    assert 'const api = "/playground/api/call";' in page


def test_a_call_through_the_api_with_recorded_audio_and_a_transfer(playground):
    answer = playground.post("/playground/api/call").get_json()
    assert (answer["waiting"], answer["where"], answer["ending"]) == (True, "language", None)
    heard = answer["events"]
    menus = load_menus(ROOT / "menus.yaml")
    assert [e["kind"] for e in heard] == ["heard"] * len(script.language_menu(menus))
    assert heard[0]["text"] == "Hätätilanteessa soita 1 1 2."
    assert heard[0]["audio"].startswith("/audio/fi-human-") and heard[0]["audio"].endswith(".wav")
    audio = playground.get(heard[0]["audio"])
    assert (audio.status_code, audio.mimetype, audio.data[:4]) == (200, "audio/wav", b"RIFF")
    assert not any(PUBLIC_URL in str(e) for e in heard)
    call = f"/playground/api/call/{answer['id']}"
    answer = playground.post(call, json={"keys": "2", "outcome": "busy"}).get_json()
    assert answer["where"] == "main" and answer["events"][0] == {
        "kind": "pressed", "keys": "2", "menu": "language"}
    answer = playground.post(call, json={"keys": "0", "outcome": "busy"}).get_json()
    kinds = [e["kind"] for e in answer["events"]]
    assert kinds[:3] == ["pressed", "heard", "heard"] and kinds.count("transfer") == 1
    # One line per sentence: the two sentences of one <Say> come as two events.
    assert [e["text"] for e in answer["events"][1:3]] == [
        "Jag kopplar dig till hjälpsystemets infotelefon, som är öppen dygnet runt.",
        "Du kan ringa anonymt, och alla samtal behandlas konfidentiellt."]
    transfer = answer["events"][kinds.index("transfer")]
    assert transfer["outcome"] == "busy" and answer["waiting"]
    answer = playground.post(call, json={"keys": "9"}).get_json()
    assert answer["ending"] == {
        "kind": "emergency", "text": "told to dial the emergency number, then hung up (in main)"}
    assert playground.post(call, json={"keys": "1"}).status_code == 400


def test_silence_junk_and_unknown_calls(playground):
    answer = playground.post("/playground/api/call").get_json()
    call = f"/playground/api/call/{answer['id']}"
    answer = playground.post(call, json={"keys": ""}).get_json()
    assert answer["events"][0] == {"kind": "silence", "seconds": 6, "menu": "language"}
    assert playground.post(call, json={"keys": "1x"}).status_code == 400
    assert playground.post(call, json={"keys": "1", "outcome": "maybe"}).status_code == 400
    lost = playground.post("/playground/api/call/nope", json={"keys": "1"})
    assert lost.status_code == 404 and lost.get_json()["error"] == "lost"
    assert "restarted" in lost.get_json()["message"]


def test_an_open_playground_on_a_signed_server_is_logged_loudly(tmp_path, caplog):
    import dataclasses

    from ivr.app import create_app
    from ivr.settings import Settings

    settings = dataclasses.replace(Settings(), prompts_dir=tmp_path, auth_token="token",
                                   public_base_url="https://ivr.example.org",
                                   playground=True)
    with caplog.at_level("WARNING", logger="ivr.qa.playground"):
        create_app(settings)
    assert [r.getMessage() for r in caplog.records if r.name == "ivr.qa.playground"] == [
        "IVR_PLAYGROUND is on with no IVR_PLAYGROUND_PASSWORD on a server with "
        "TWILIO_AUTH_TOKEN: anyone who can reach /playground can walk the menus"]


def test_a_played_call_copies_as_a_scenario_that_parses_and_passes(settings):
    from dataclasses import replace

    from ivr.menus.loader import load_menus
    from ivr.qa.scenariofile import parse_scenarios
    from ivr.qa.scenarios import run_scenario

    app = create_app(replace(settings, playground=True))
    client = app.test_client()
    call = "/playground/api/call/" + client.post("/playground/api/call").get_json()["id"]
    for keys, outcome in (("3", "completed"), ("", "completed"), ("1", "completed"),
                          ("0", "no-answer"), ("0", "completed")):
        client.post(call, json={"keys": keys, "outcome": outcome})
    text = client.get(call + "/scenario").get_data(as_text=True)
    assert ("- press: '3'\n    hears:\n      contains: For the 24-hour info line, press 0.\n"
            "    menu: main\n") in text
    assert "outcome: no-answer" in text and "ends:\n    transferred: '+358295463177'" in text
    menus = load_menus(settings.menus_path)
    [scenario] = parse_scenarios(text, "copied.yaml", menus)
    assert len(scenario.steps) == 6   # the check of the language menu, then five steps
    result = run_scenario(app, menus, scenario)
    assert result.passed, result.failure


def test_a_call_still_waiting_copies_as_in_menu_and_a_lost_call_as_lost(playground):
    call = "/playground/api/call/" + playground.post("/playground/api/call").get_json()["id"]
    playground.post(call, json={"keys": "1"})
    text = playground.get(call + "/scenario").get_data(as_text=True)
    assert text.endswith("  ends:\n    in_menu: main\n")
    assert playground.get("/playground/api/call/nope/scenario").get_json()["error"] == "lost"


def test_the_page_hints_at_offline_audio_when_none_is_rendered(settings):
    from dataclasses import replace

    page = create_app(replace(settings, playground=True)).test_client().get("/playground")
    assert "No prompt audio is rendered" in page.get_data(as_text=True)
    assert "IVR_ALLOW_OFFLINE_PROMPTS=1" in page.get_data(as_text=True)


def test_no_hint_when_audio_exists(playground):
    assert "No prompt audio is rendered" not in playground.get("/playground").get_data(as_text=True)
