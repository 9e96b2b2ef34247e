"""A caller's path written as text, and walked on a simulated call: one grammar for `ivr call
--keys`, the console's "what a caller hears" and the QA keypad page.

Items are comma-separated, one per prompt the caller answers: keys (`1`, or `12` typed into
one prompt, of which the menu keeps what its <Gather> collects), silence (`-`, `.` or an
empty item), or spoken words (`say:turvakoti`, heard only where the language has speech
input on).
"""

from __future__ import annotations

from dataclasses import dataclass

from ivr.core.model import Menus
from ivr.core.phone import KEYPAD
from ivr.qa.simulator import Call
from ivr.qa.transcript import Event

SILENCE = ("", "-", ".")
SAY = "say:"
MAX_STEPS = 60
"""A path longer than this is not a path a caller takes; it would only keep a worker busy."""
MAX_KEYS = 20
"""Keys typed into one prompt; a menu collects one, so more only shows what is ignored."""


class BadPath(ValueError):
    """A path that is not one; the message says what to type."""


@dataclass(frozen=True)
class Answer:
    """What the caller does at one prompt: press `keys`, say `words`, or neither (silence)."""

    keys: str = ""
    words: str = ""

    @property
    def silent(self) -> bool:
        return not self.keys and not self.words

    def written(self) -> str:
        """The item as the path grammar writes it."""
        return f"{SAY}{self.words}" if self.words else self.keys or "-"


def parse_answer(item: str) -> Answer:
    """One item of a path (BadPath if it is none)."""
    item = item.strip()
    if item in SILENCE:
        return Answer()
    if item.startswith(SAY):
        words = item[len(SAY):].strip()
        if not words:
            raise BadPath(f"{item!r} says nothing; write the words after say:")
        return Answer(words=words)
    if not set(item) <= set(KEYPAD):
        raise BadPath(f"{item!r} is not phone keys (0-9, * and #; - for silence; "
                      "say:<words> to speak)")
    if len(item) > MAX_KEYS:
        raise BadPath(f"{item!r} is {len(item)} keys in one prompt; at most {MAX_KEYS}")
    return Answer(keys=item)


def parse_path(text: str) -> list[Answer]:
    """'2,1,-,say:turvakoti' -> press 2, press 1, silence, say "turvakoti" (BadPath if not)."""
    if not text.strip():
        return []
    answers = [parse_answer(item) for item in text.split(",")]
    if len(answers) > MAX_STEPS:
        raise BadPath(f"{len(answers)} steps; at most {MAX_STEPS}")
    return answers


def answer(call: Call, given: Answer) -> list[Event]:
    """Give one answer to the prompt the call is waiting on; what happened after it."""
    if given.words:
        return call.say(given.words)
    if given.keys:
        return call.press(given.keys)
    return call.silence()


def choose_language(call: Call, menus: Menus, lang: str | None) -> None:
    """Press the language's key path ("8 1": 8, then 1) while the call listens."""
    for key in menus.languages[lang].keys if lang is not None else ():
        if call.waiting:
            call.press(key)


def walk(call: Call, answers: list[Answer]) -> list[Answer]:
    """Give each answer while the call waits for one; the answers the call ended before."""
    for index, given in enumerate(answers):
        if not call.waiting:
            return answers[index:]
        answer(call, given)
    return []
