"""Serving the prompts: /audio/<name>, the prompt index, and <Play> or <Say> in the webhook."""

import dataclasses
import json
import logging
from pathlib import Path

import pytest
from flask import Flask

from ivr.app import create_app
from ivr.core import script
from ivr.menus.loader import load_menus
from ivr.prompts.catalogue import ManifestError
from ivr.prompts.index import PromptIndex
from ivr.settings import Settings
from ivr.web import audio
from ivr.web.menustore import MenuStore
from tests.promptfakes import MP3
from tests.promptfakes import render
from tests.promptfakes import wav

ROOT = Path(__file__).resolve().parent.parent
MENUS = load_menus(ROOT / "menus.yaml")
PUBLIC_URL = "https://ivr.example.org"
@pytest.fixture
def folder(tmp_path):
    return tmp_path / "prompts"


@pytest.fixture
def audio_client(folder):
    app = Flask(__name__)
    audio.init_app(app, Settings(prompts_dir=folder))
    return app.test_client()


def test_a_listed_file_is_served_as_mpeg_with_a_year_of_immutable_caching(folder, audio_client):
    names = render(folder, "gtts", ["en"])
    name = names[("en", "For English, press 3.")]
    response = audio_client.get(f"/audio/{name}")
    assert response.status_code == 200
    assert response.mimetype == "audio/mpeg"
    assert response.data == MP3
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    again = audio_client.get(f"/audio/{name}", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_a_recording_in_wav_is_served_as_wav(folder, audio_client):
    folder.mkdir()
    (folder / "en-human-0123456789abcdef0123.wav").write_bytes(wav(1.0))
    (folder / "manifest.json").write_text(json.dumps({"files": {
        "en-human-0123456789abcdef0123.wav": {"lang": "en", "text": "Hi.", "engine": "human",
                                              "voice": {}, "seconds": 1.0}}}))
    response = audio_client.get("/audio/en-human-0123456789abcdef0123.wav")
    assert (response.status_code, response.mimetype) == (200, "audio/wav")


@pytest.mark.parametrize("path", [
    "/audio/manifest.json",
    "/audio/en-gtts-0123456789abcdef0123.mp3",  # on disk but not in the manifest
    "/audio/..%2Fsecret.mp3",
    "/audio/../secret.mp3",
    "/audio/%2E%2E/secret.mp3",
    "/audio/",
])
def test_anything_not_in_the_manifest_is_404(folder, audio_client, path):
    render(folder, "gtts", ["en"])
    (folder / "en-gtts-0123456789abcdef0123.mp3").write_bytes(MP3)
    (folder.parent / "secret.mp3").write_bytes(MP3)
    assert audio_client.get(path).status_code == 404


def test_no_prompts_folder_is_404_not_an_error(audio_client):
    assert audio_client.get("/audio/en-gtts-0123456789abcdef0123.mp3").status_code == 404


def test_the_index_plays_offline_renders_only_when_allowed(folder):
    espeak = render(folder, "espeak", ["fi", "sv"])
    gtts = render(folder, "gtts", ["fi"])
    line = ("sv", "På svenska, tryck 2.")
    production = PromptIndex.load(folder)
    demo = PromptIndex.load(folder, allow_offline=True)
    assert production.lookup("På svenska, tryck 2.", "sv") is None
    assert demo.lookup("På svenska, tryck 2.", "sv") == espeak[line]
    assert production.lookup("Suomeksi, paina 1.", "fi") == gtts[("fi", "Suomeksi, paina 1.")]
    assert demo.lookup("Suomeksi, paina 1.", "fi") == gtts[("fi", "Suomeksi, paina 1.")]
    assert len(production) == len(gtts) and len(demo) == len(espeak)
    assert production.version == demo.version != ""


def test_a_file_gone_from_disk_is_not_offered(folder):
    gtts = render(folder, "gtts", ["en"])
    name = gtts[("en", "For English, press 3.")]
    (folder / name).unlink()
    assert PromptIndex.load(folder).lookup("For English, press 3.", "en") is None
    assert PromptIndex.load(folder, check_files=False).lookup("For English, press 3.", "en") == name


def test_no_manifest_is_an_empty_index_and_a_broken_one_an_error(folder):
    empty = PromptIndex.load(folder)
    assert (empty.lookup("Hei.", "fi"), empty.version, len(empty)) == (None, "", 0)
    folder.mkdir()
    (folder / "manifest.json").write_text("{broken")
    with pytest.raises(ManifestError):
        PromptIndex.load(folder)


# --- the webhook (ivr/web.py): <Play> where there is audio, <Say> where there is none -------

FI_SAY = 'language="fi-FI" voice="Polly.Suvi-Neural"'
SV = 'language="sv-SE" voice="Polly.Astrid"'
EN = 'language="en-GB" voice="Polly.Amy"'


class StartsWith(str):
    """Equal to any text that starts with it: the language menu goes on with the other
    languages menus.yaml offers, whichever they are (issue 10)."""

    def __eq__(self, other):
        return isinstance(other, str) and other.startswith(str(self))

    __hash__ = str.__hash__


def language_menu(*says):
    url = f"{PUBLIC_URL}/voice/step?m=language"
    return StartsWith(
        '<?xml version="1.0" encoding="UTF-8"?><Response><Gather action="' + url + '" '
        'finishOnKey="" method="POST" numDigits="1" timeout="6">' + "".join(says)
    )


def test_the_webhook_plays_rendered_prompts_and_says_the_rest(settings, signed_post, client):
    espeak = render(settings.prompts_dir, "espeak", ["sv"])
    gtts = render(settings.prompts_dir, "gtts", ["fi"])
    fi = [gtts[(line.lang, line.text)] for line in script.language_menu(MENUS) if line.lang == "fi"]
    assert espeak  # rendered, but a production call must not hear them
    response = signed_post("/voice")
    assert response.get_data(as_text=True) == language_menu(
        f"<Play>{PUBLIC_URL}/audio/{fi[0]}</Play><Play>{PUBLIC_URL}/audio/{fi[1]}</Play>",
        f"<Say {SV}>I nödfall, ring 1 1 2. På svenska, tryck 2.</Say>",
        f"<Say {EN}>In an emergency, call 1 1 2. For English, press 3.</Say>",
    )
    for name in fi:
        played = client.get(f"/audio/{name}")
        assert (played.status_code, played.mimetype, played.data) == (200, "audio/mpeg", MP3)


def test_a_demo_that_allows_offline_voices_plays_them(settings, folder):
    demo = dataclasses.replace(settings, allow_offline_prompts=True, auth_token=None,
                               allow_unsigned=True, prompts_base_url="https://cdn.example.org/prompts/")
    espeak = render(demo.prompts_dir, "espeak", ["sv"])
    sv = [espeak[(ln.lang, ln.text)] for ln in script.language_menu(MENUS) if ln.lang == "sv"]
    client = create_app(demo).test_client()
    assert client.post("/voice").get_data(as_text=True) == language_menu(
        f"<Say {FI_SAY}>Hätätilanteessa soita 1 1 2. Suomeksi, paina 1.</Say>",
        f"<Play>https://cdn.example.org/prompts/{sv[0]}</Play>"
        f"<Play>https://cdn.example.org/prompts/{sv[1]}</Play>",
        f"<Say {EN}>In an emergency, call 1 1 2. For English, press 3.</Say>",
    )


def test_a_file_deleted_while_the_server_runs_is_said_not_played(settings, signed_post):
    gtts = render(settings.prompts_dir, "gtts", ["en"])
    en = [gtts[(line.lang, line.text)] for line in script.language_menu(MENUS) if line.lang == "en"]
    fi = f"<Say {FI_SAY}>Hätätilanteessa soita 1 1 2. Suomeksi, paina 1.</Say>"
    sv = f"<Say {SV}>I nödfall, ring 1 1 2. På svenska, tryck 2.</Say>"
    both = f"<Play>{PUBLIC_URL}/audio/{en[0]}</Play><Play>{PUBLIC_URL}/audio/{en[1]}</Play>"
    assert signed_post("/voice").get_data(as_text=True) == language_menu(fi, sv, both)
    (settings.prompts_dir / en[1]).unlink()  # the manifest still lists it
    assert signed_post("/voice").get_data(as_text=True) == language_menu(
        fi, sv, f"<Play>{PUBLIC_URL}/audio/{en[0]}</Play><Say {EN}>For English, press 3.</Say>"
    )


def test_a_file_put_back_plays_again(settings, signed_post):
    gtts = render(settings.prompts_dir, "gtts", ["en"])
    name = gtts[("en", "For English, press 3.")]
    kept = (settings.prompts_dir / name).read_bytes()
    (settings.prompts_dir / name).unlink()
    assert f"<Say {EN}>For English, press 3.</Say>" in signed_post("/voice").get_data(as_text=True)
    (settings.prompts_dir / name).write_bytes(kept)
    assert f"/audio/{name}</Play>" in signed_post("/voice").get_data(as_text=True)


def test_an_index_notices_a_listed_file_gone_or_back(folder):
    name = render(folder, "gtts", ["en"])[("en", "For English, press 3.")]
    index = PromptIndex.load(folder)
    assert not index.files_changed(folder)
    (folder / "en-gtts-0123456789abcdef0123.mp3").write_bytes(MP3)  # not listed: no matter
    assert not index.files_changed(folder)
    kept = (folder / name).read_bytes()
    (folder / name).unlink()
    assert index.files_changed(folder)
    without = PromptIndex.load(folder)
    assert without.version != index.version
    (folder / name).write_bytes(kept)
    # Put back, it is a rewritten file (it could have come back empty): looked at again,
    # it gives the index it gave before.
    assert without.files_changed(folder) and index.files_changed(folder)
    assert PromptIndex.load(folder).version == index.version
    assert not PromptIndex.load(folder, check_files=False).files_changed(folder)


@pytest.mark.parametrize("cut", [b"", MP3[:500], b"\0" * len(MP3)],
                         ids=["empty", "too-short", "not-audio"])
def test_a_file_cut_or_overwritten_is_said_not_played_nor_served(settings, signed_post, client,
                                                                 cut):
    """A full disk once left a prompt of 0 bytes: /audio/ answered 200 with nothing, and
    callers heard silence where the sentence should be (issue 22 item 10)."""
    gtts = render(settings.prompts_dir, "gtts", ["en"])
    name = gtts[("en", "For English, press 3.")]
    assert f"/audio/{name}</Play>" in signed_post("/voice").get_data(as_text=True)
    (settings.prompts_dir / name).write_bytes(cut)  # the manifest still lists it
    assert f"<Say {EN}>For English, press 3.</Say>" in signed_post("/voice").get_data(
        as_text=True)
    assert client.get(f"/audio/{name}").status_code == 404
    (settings.prompts_dir / name).write_bytes(MP3)
    assert f"/audio/{name}</Play>" in signed_post("/voice").get_data(as_text=True)
    assert client.get(f"/audio/{name}").data == MP3


def test_a_recording_in_wav_must_start_as_wav_to_be_played(folder):
    names = render(folder, "gtts", ["en"])
    name = names[("en", "For English, press 3.")]
    assert PromptIndex.load(folder).lookup("For English, press 3.", "en") == name
    (folder / name).write_bytes(wav(1.0))  # WAV bytes under an .mp3 name
    assert PromptIndex.load(folder).lookup("For English, press 3.", "en") is None


def test_a_broken_manifest_is_logged_once_even_as_files_change(menus_file, folder, caplog):
    names = render(folder, "gtts", ["en"])
    store = MenuStore(menus_file, folder, interval=0.0)
    (folder / "manifest.json").write_text("{broken")
    with caplog.at_level(logging.ERROR, logger="ivr.web.menustore"):
        for name in list(names.values())[:3]:
            (folder / name).unlink()
            assert len(store.prompts()) == len(names)  # the last good index, until fixed
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == [
        "prompts manifest not loaded, keeping the previous one: manifest.json is not a prompts "
        "manifest: Expecting property name enclosed in double quotes: line 1 column 2 (char 1)"
    ]
