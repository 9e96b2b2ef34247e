"""The QA playground: off by default, password-protected when asked, drives the simulator."""

import base64
import io
import math
import struct
import wave

import pytest

from ivr.core import script
from ivr.menus.loader import load_menus
from ivr.prompts.catalogue import Entry
from ivr.prompts.catalogue import Manifest
from ivr.prompts.catalogue import recording_name
from ivr.prompts.catalogue import render_manifest
from ivr.web import create_app
from tests.conftest import PUBLIC_URL


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
    assert [e["kind"] for e in heard] == ["heard"] * 6
    assert heard[0]["text"] == "Hätätilanteessa soita 112."
    assert heard[0]["audio"].startswith("/audio/fi-human-") and heard[0]["audio"].endswith(".wav")
    audio = playground.get(heard[0]["audio"])
    assert (audio.status_code, audio.mimetype, audio.data[:4]) == (200, "audio/wav", b"RIFF")
    assert not any(PUBLIC_URL in str(e) for e in heard)
    call = f"/playground/api/call/{answer['id']}"
    answer = playground.post(call, json={"keys": "2", "outcome": "busy"}).get_json()
    assert answer["where"] == "main" and answer["events"][0] == {
        "kind": "pressed", "keys": "2", "menu": "language"}
    answer = playground.post(call, json={"keys": "0", "outcome": "busy"}).get_json()
    # The main menu that comes back says the recorded "I nödfall, ring 112." between two
    # <Say>s: three things heard.
    kinds = [e["kind"] for e in answer["events"]]
    assert kinds == ["pressed", "heard", "transfer", "heard", "heard", "heard"], answer["events"]
    assert answer["events"][4]["text"] == "I nödfall, ring 112."
    assert answer["events"][2]["outcome"] == "busy" and answer["waiting"]
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
    assert playground.post("/playground/api/call/nope", json={"keys": "1"}).status_code == 404


def test_an_open_playground_on_a_signed_server_is_logged_loudly(tmp_path, caplog):
    import dataclasses

    from ivr.settings import Settings
    from ivr.web import create_app

    settings = dataclasses.replace(Settings(), prompts_dir=tmp_path, auth_token="token",
                                   playground=True)
    with caplog.at_level("WARNING", logger="ivr.qa.playground"):
        create_app(settings)
    assert [r.getMessage() for r in caplog.records if r.name == "ivr.qa.playground"] == [
        "IVR_PLAYGROUND is on with no IVR_PLAYGROUND_PASSWORD on a server with "
        "TWILIO_AUTH_TOKEN: anyone who can reach /playground can walk the menus"]
