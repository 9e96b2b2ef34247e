"""How much of each recorded-only language is recorded, and which are ready for callers.

A language with no speech engine (no gtts, no twilio: Somali, Dari, Sorani, issue 10) is
heard only through human recordings (`prompts record`), so it is offered in the language
menu only when every sentence it needs has one; a caller must never meet a silent gap.
"""

from __future__ import annotations

from collections.abc import Callable

from ivr.core import script
from ivr.core.model import Menus

HasRecording = Callable[[str, str], bool]
"""(text, lang) -> whether a human recording of that exact sentence exists."""


def recording_progress(menus: Menus, has_recording: HasRecording) -> dict[str, tuple[int, int]]:
    """Per recorded-only language: (sentences recorded, sentences it needs).

    Before all its texts are written a language needs as many sentences as the language it
    is translated from (or the default language) has, and none of them can be recorded yet.
    """
    lines = script.every_line(menus)
    progress = {}
    for code, language in menus.languages.items():
        if language.spoken:
            continue
        if menus.complete(code):
            own = [line for line in lines if line.lang == code]
            progress[code] = (sum(has_recording(line.text, code) for line in own), len(own))
        else:
            source = language.translated_from or menus.call.default_language
            progress[code] = (0, sum(1 for line in lines if line.lang == source))
    return progress


def fully_recorded(menus: Menus, has_recording: HasRecording) -> frozenset[str]:
    """The recorded-only languages callers may be offered: every sentence recorded."""
    # Only a language whose texts are all written can be: the others (shipped Somali, Dari,
    # Sorani) need no walk of every sentence, which is most of a reload's cost.
    if not any(not language.spoken and menus.complete(code)
               for code, language in menus.languages.items()):
        return frozenset()
    progress = recording_progress(menus, has_recording)
    return frozenset(code for code, (done, needed) in progress.items() if needed and done == needed)
