"""What a caller hears on one path through the menus: the simulator, on the webhook's twin."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask

from ivr.core import bidi
from ivr.qa.callrecord import one_per_sentence
from ivr.qa.keypath import Answer
from ivr.qa.keypath import choose_language
from ivr.qa.keypath import walk
from ivr.qa.scenarios import app_menus
from ivr.qa.simulator import DEFAULT_BASE_URL
from ivr.qa.simulator import place_call
from ivr.qa.transcript import render_transcript


@dataclass(frozen=True)
class Heard:
    events: list[dict[str, Any]]
    text: str
    """The transcript as `ivr call --keys` prints it."""
    waiting_in: str | None


def hear_path(twin: Flask, lang: str | None, answers: list[Answer], outcome: str) -> Heard:
    """Call the webhook's twin (statistics off, nothing sent): choose the language, then
    give each answer."""
    call = place_call(twin, outcome=outcome)
    call.start()
    menus = app_menus(twin)
    choose_language(call, menus, lang)
    walk(call, answers)
    waiting_in = call.where if call.waiting else None
    base = (twin.config["IVR_SETTINGS"].public_base_url or DEFAULT_BASE_URL).rstrip("/")
    # Each sentence with its direction, numbers and addresses kept left to right (issue 23.9).
    events = [bidi.annotated(_local(e, base), menus)
              for e in one_per_sentence(call.transcript.events)]
    return Heard(events, render_transcript(call.transcript, waiting_in), waiting_in)


def _local(event: dict[str, Any], base: str) -> dict[str, Any]:
    audio = event.get("audio")
    if audio and audio.startswith(base + "/"):
        # The browser fetches the app's own audio from wherever it reached the console.
        event["audio"] = audio[len(base):]
    return event
