"""What a caller hears on one path through the menus: the simulator, in-process."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from flask import Flask

from ivr.core.phone import KEYPAD
from ivr.qa.callrecord import one_per_sentence
from ivr.qa.simulator import DEFAULT_BASE_URL
from ivr.qa.simulator import place_call
from ivr.qa.transcript import render_transcript

SILENCE = ("", "-", ".")
MAX_KEYS = 60
"""A path longer than this is not a path a caller takes; it would only keep a worker busy."""


class BadPath(ValueError):
    """Keys that are not phone keys; the message says what to type."""


@dataclass(frozen=True)
class Heard:
    events: list[dict[str, Any]]
    text: str
    """The transcript as `ivr call --keys` prints it."""
    waiting_in: str | None


def parse_path(value: str) -> list[str]:
    """'2,1,-,3' -> ['2', '1', '', '3'] ('' is silence), as `ivr call --keys` reads it."""
    if not value.strip():
        return []
    items = ["" if item.strip() in SILENCE else item.strip() for item in value.split(",")]
    bad = [item for item in items if not set(item) <= set(KEYPAD) or len(item) > 1]
    if bad:
        raise BadPath(f"{bad[0]!r} is not one phone key (0-9, * or #; - for silence)")
    if len(items) > MAX_KEYS:
        raise BadPath(f"{len(items)} steps; at most {MAX_KEYS}")
    return items


def twin_of(live: Flask) -> Flask:
    """The live app's twin for the console's calls: the same menus file, prompts and
    signatures, but statistics off, so an operator's walk is never counted as a caller."""
    twin: Flask | None = live.extensions.get("ivr_console_twin")
    if twin is None:
        from ivr.web.factory import create_app

        settings = live.config["IVR_SETTINGS"]
        twin = create_app(dataclasses.replace(settings, stats_url=None, console_password=None,
                                              playground=False))
        live.extensions["ivr_console_twin"] = twin
    return twin


def hear_path(live: Flask, lang_keys: tuple[str, ...], keys: list[str], outcome: str) -> Heard:
    """Call the webhook's twin: press the language's keys ("8 1": 8, then 1), then each key
    (or silence)."""
    app = twin_of(live)
    call = place_call(app, outcome=outcome)
    call.start()
    for step in [*lang_keys, *keys]:
        if not call.waiting:
            break
        call.press(step) if step else call.silence()
    text = render_transcript(call.transcript)
    if call.waiting:
        text = text.replace("waiting for a key", f"waiting for a key in {call.where}")
    base = (app.config["IVR_SETTINGS"].public_base_url or DEFAULT_BASE_URL).rstrip("/")
    events = [_local(e, base) for e in one_per_sentence(call.transcript.events)]
    return Heard(events, text, call.where if call.waiting else None)


def _local(event: dict[str, Any], base: str) -> dict[str, Any]:
    audio = event.get("audio")
    if audio and audio.startswith(base + "/"):
        # The browser fetches the app's own audio from wherever it reached the console.
        event["audio"] = audio[len(base):]
    return event
