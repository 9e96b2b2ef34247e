"""Test helpers for the prompts tests: real MP3 bytes, and a fake Google at gTTS's HTTP boundary."""

from __future__ import annotations

import base64
import json
import subprocess
import threading
import urllib.parse

import requests

from ivr.menus.loader import load_menus
from ivr.prompts.audioformat import check_audio
from ivr.prompts.build import build
from ivr.prompts.build import load_manifest
from tests.conftest import ROOT

MENUS = load_menus(ROOT / "menus.yaml")


def espeak_mp3(text: str, voice: str = "fi") -> bytes:
    """Real MP3 bytes, made the way the espeak engine makes them."""
    wav = subprocess.run(["espeak-ng", "-v", voice, "--stdout"], input=text.encode(),
                         capture_output=True, check=True).stdout
    return subprocess.run(["lame", "--quiet", "-m", "m", "-b", "32", "-", "-"], input=wav,
                          capture_output=True, check=True).stdout


def wav(seconds, rate=8000):
    data = bytes(int(seconds * rate))
    fmt = (1).to_bytes(2, "little") + (1).to_bytes(2, "little") + rate.to_bytes(4, "little")
    fmt += rate.to_bytes(4, "little") + (1).to_bytes(2, "little") + (8).to_bytes(2, "little")
    body = b"WAVE" + b"fmt " + len(fmt).to_bytes(4, "little") + fmt
    body += b"data" + len(data).to_bytes(4, "little") + data
    return b"RIFF" + len(body).to_bytes(4, "little") + body


MP3 = espeak_mp3("Tervetuloa.")
"""Real MP3 bytes of about 0.9 s."""


class Canned:
    """An engine that gives the same real MP3 for every sentence, without the wait."""

    jobs = 1

    def __init__(self, name: str = "espeak") -> None:
        self.name = name

    def render(self, text: str, settings: object) -> tuple[bytes, float]:
        return MP3, check_audio(MP3)


def render(folder, engine, langs, menus=MENUS):
    """Build some languages with a Canned engine; (lang, text) -> that engine's file names."""
    build(menus, folder, Canned(engine), langs=langs)
    files = load_manifest(folder).files
    return {(e.lang, e.text): n for n, e in files.items() if e.engine == engine}


class FakeGoogle:
    """Stands in for requests.Session.send as gTTS calls it (reference appendix A.3).

    `script` lists what each next request gets: ok, down (no connection), 500, 403, zero (an
    audio line with no bytes), no-audio-line (200 with no audio: gTTS raises nothing), html.
    When the script runs out, `then` is used. `requests` records (host, text, lang).
    """

    def __init__(self, mp3: bytes) -> None:
        self.mp3 = mp3
        self.script: list[str] = []
        self.then = "ok"
        self.requests: list[tuple[str, str, str]] = []
        self._lock = threading.Lock()

    def install(self, monkeypatch) -> None:
        def send(session, request, **kw):  # as requests.Session.send is called
            return self.send(request)

        monkeypatch.setattr(requests.Session, "send", send)

    def _answer(self, request: requests.PreparedRequest) -> str:
        body = urllib.parse.parse_qs(request.body)["f.req"][0]
        text, lang = json.loads(json.loads(body)[0][0][1])[:2]
        with self._lock:
            self.requests.append((urllib.parse.urlsplit(request.url).hostname, text, lang))
            return self.script.pop(0) if self.script else self.then

    def send(self, request: requests.PreparedRequest) -> requests.Response:
        answer = self._answer(request)
        if answer == "down":
            raise requests.exceptions.ConnectionError("Name or service not known")
        audio = {"ok": self.mp3, "zero": b"", "html": b"<!doctype html>" + b"<p>sorry</p>" * 100}
        response = requests.Response()
        response.request, response._content_consumed = request, True
        response.status_code = {"500": 500, "403": 403}.get(answer, 200)
        response.reason = {500: "Internal Server Error", 403: "Forbidden"}.get(
            response.status_code, "OK")
        if answer in audio:
            b64 = base64.b64encode(audio[answer]).decode()
            line = '[["wrb.fr","jQ1olc","[\\"' + b64 + '\\"]",null,null,null,"generic"]]'
            response._content = (")]}'\n\n" + line + "\n").encode()
        else:
            response._content = b')]}\'\n\n[["wrb.fr","other",null]]\n'
        return response
