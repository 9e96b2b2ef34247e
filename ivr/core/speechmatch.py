"""What a caller said, matched to the key it stands for (issue 14: speech for those who
cannot use the keys).

Pure: the webhook hands over Twilio's SpeechResult text and gets back a key, which the
call engine then treats exactly like a pressed one (same retries, same limits). Nothing
here keeps or logs what was said.

The order is chosen for a caller in danger: an emergency word wins over everything; then a
key said as a number ("one", "yksi"); then the words of one option's label; then a word
for the info line ("help"). A phrase matching two options equally is no match, so the
caller is asked again rather than sent somewhere they did not mean.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ivr.core import script
from ivr.core.callstate import LANGUAGE_MENU
from ivr.core.callstate import CallState
from ivr.core.model import Menus
from ivr.core.model import SpeechInput

MAX_SAID = 200
"""Characters of a SpeechResult looked at; a longer one is not an answer to a menu."""
STEM = 5
"""Words sharing this many first letters count as one ('turvakoti', 'turvallinen'):
Finnish and Swedish build words by adding to a stem, and recognisers spell them apart."""


@dataclass(frozen=True)
class SpeechListen:
    """How a menu listens for speech: Twilio's recognition code and the hints it gets."""

    language: str
    hints: str
    """Comma-separated words and phrases (twilio-python would str() a list: reference §1.0)."""


def words(text: str) -> list[str]:
    """Lower-case words with accents and punctuation gone: 'Hätä!' -> ['hata']."""
    folded = unicodedata.normalize("NFKD", text[:MAX_SAID].casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return "".join(c if c.isalnum() else " " for c in plain).split()


def same_word(said: str, known: str) -> bool:
    """Equal, or one is the other's stem: a shared start of STEM letters, or a whole word
    of three letters or more that starts the other ('työ', 'työssä')."""
    if said == known:
        return True
    short, long = sorted((said, known), key=len)
    if len(short) >= 3 and long.startswith(short):
        return True
    return len(short) >= STEM and long[:STEM] == short[:STEM]


def _says(said: list[str], phrase: str) -> bool:
    wanted = words(phrase)
    n = len(wanted)
    return n > 0 and any(
        all(same_word(s, w) for s, w in zip(said[i : i + n], wanted, strict=True))
        for i in range(len(said) - n + 1)
    )


def speech_of(menus: Menus, state: CallState) -> SpeechInput | None:
    """The speech settings of the caller's language, or None (keys only, or no language)."""
    if state.menu == LANGUAGE_MENU or state.lang is None or state.lang not in menus.languages:
        return None
    return menus.languages[state.lang].speech


def listening(menus: Menus, state: CallState) -> SpeechListen | None:
    """How the menu of `state` listens for speech, or None where only keys work."""
    speech = speech_of(menus, state)
    if speech is None or state.menu not in menus.menus:
        return None
    lang = state.lang or menus.call.default_language
    phrases = [
        part.strip()
        for option in menus.menus[state.menu].options
        for part in script.option_label(menus, option, lang).split(",")
    ]
    phrases += [*speech.info_line, *speech.emergency, *speech.repeat]
    return SpeechListen(speech.language, ", ".join(p for p in dict.fromkeys(phrases) if p))


def key_for(menus: Menus, state: CallState, said_text: str) -> str | None:
    """The key what the caller said stands for in this menu, or None (heard as a wrong key)."""
    speech = speech_of(menus, state)
    if speech is None or state.menu not in menus.menus or state.lang is None:
        return None
    said = words(said_text)
    keys = menus.call.keys
    if any(_says(said, phrase) for phrase in speech.emergency):
        return keys.emergency
    numbered = {_number_key(speech, word) for word in said} - {None}
    if len(numbered) == 1:
        return numbered.pop()
    chosen = _by_label(menus, state, state.lang, said, speech)
    if chosen is not None:
        return chosen
    if any(_says(said, phrase) for phrase in speech.info_line):
        return keys.info_line
    if any(_says(said, phrase) for phrase in speech.repeat):
        return keys.repeat  # a read-out page again: there is no option for it (issue 19)
    return None


def _number_key(speech: SpeechInput, word: str) -> str | None:
    if len(word) == 1 and word.isdigit():
        return word
    for digit, number in enumerate(speech.numbers):
        if [word] == words(number):
            return str(digit)
    return None


def _by_label(menus: Menus, state: CallState, lang: str, said: list[str],
              speech: SpeechInput) -> str | None:
    """The one option whose label shares the most words with what was said, if one does."""
    options = menus.menus[state.menu].options
    globals_ = [w for phrase in (*speech.info_line, *speech.emergency, *speech.repeat)
                for w in words(phrase)]
    labels = {
        option.key: {
            w for w in words(script.option_label(menus, option, lang))
            if not any(same_word(w, g) for g in globals_)
        }
        for option in options
    }
    # A word in several labels ('and', 'exploitation') tells the options apart no better.
    counts: dict[str, int] = {}
    for label in labels.values():
        for w in label:
            counts[w] = counts.get(w, 0) + 1
    scores = {
        key: sum(1 for w in label if counts[w] == 1 and any(same_word(s, w) for s in said))
        for key, label in labels.items()
    }
    best = max(scores.values(), default=0)
    winners = [key for key, score in scores.items() if score == best]
    return winners[0] if best > 0 and len(winners) == 1 else None
