"""A Turn as TwiML: <Play> of a rendered prompt where one exists, else <Say> in the voice.

Twilio traps handled here (see shared/reference/twilio-and-gtts.md §1, §8):
- a <Gather> with nothing after it ends the call on silence, so a <Redirect> always follows;
- finishOnKey defaults to '#', which would swallow the back key, so it is set to '';
- prompts are nested inside <Gather> so callers can press a key while they play.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from twilio.twiml.voice_response import Dial
from twilio.twiml.voice_response import Gather
from twilio.twiml.voice_response import VoiceResponse

from ivr.core import script
from ivr.core.callstate import CallState
from ivr.core.model import Menus
from ivr.core.script import Line
from ivr.core.turns import Hangup
from ivr.core.turns import Listen
from ivr.core.turns import SendText
from ivr.core.turns import Transfer
from ivr.core.turns import Turn
from ivr.menus.characters import scrub
from ivr.prompts.index import PromptIndex


class Links(Protocol):
    """The absolute URLs a response points Twilio to (built by the web layer)."""

    def step(self, state: CallState) -> str: ...

    def dial_done(self, state: CallState) -> str: ...

    def whisper(self, lang: str) -> str: ...

    def audio(self, filename: str) -> str: ...

    @property
    def caller_id(self) -> str | None:
        """The number the info line sees: the helpline's own, never the caller's."""


def render_turn(turn: Turn, menus: Menus, links: Links, prompts: PromptIndex) -> VoiceResponse:
    """The TwiML for one turn of the call."""
    response = VoiceResponse()
    then = turn.then
    if isinstance(then, Listen):
        url = links.step(then.state)
        # Lines a key must not cut short (the text-message warning) go before the <Gather>.
        _speak(response, turn.lines[: then.hear_first], menus, links, prompts)
        gather = response.gather(
            num_digits=1, timeout=then.timeout, finish_on_key="", action=url, method="POST",
            **_speech_attributes(then),
        )
        _speak(gather, turn.lines[then.hear_first :], menus, links, prompts)
        response.redirect(url, method="POST")
        return response
    _speak(response, turn.lines, menus, links, prompts)
    if isinstance(then, Transfer):
        _dial(response, then, links)
    elif isinstance(then, Hangup):
        response.hangup()
    elif isinstance(then, SendText):
        raise ValueError("a SendText turn is the web layer's to send, not to render")
    return response


def _speech_attributes(listen: Listen) -> dict[str, str]:
    """<Gather> attributes for speech as well as keys, where the language has it on.

    Strings, not lists: twilio-python str()s any value (reference §1.0). speechTimeout auto
    ends the answer at the caller's pause; Twilio allows auto only without speechModel
    (error 13327), so no model is set and Twilio picks its default for the language.
    """
    if listen.speech is None:
        return {}
    return {"input": "dtmf speech", "language": listen.speech.language,
            "hints": listen.speech.hints, "speech_timeout": "auto"}


def render_whisper(
    menus: Menus, caller_lang: str | None, prompts: PromptIndex, links: Links
) -> VoiceResponse:
    """What the answering agent hears before the call is bridged."""
    response = VoiceResponse()
    _speak(response, script.whisper(menus, caller_lang), menus, links, prompts)
    return response


def render_apology(menus: Menus, lang: str, caller_id: str | None = None) -> VoiceResponse:
    """After an internal error: sorry, then the info line; no webhook needed after this."""
    response = VoiceResponse()
    _speak(response, script.text(menus, "apology", lang), menus, None, None)
    response.dial(menus.numbers.info_line, timeout=menus.call.dial_timeout, caller_id=caller_id)
    # Without a Dial action the verbs after it run when the transfer fails.
    _speak(response, script.dial_retry(menus, lang), menus, None, None)
    response.hangup()
    return response


def render_fallback(menus: Menus, caller_id: str | None = None) -> VoiceResponse:
    """The static document for Twilio's 'primary handler fails' URL: every language, no webhook."""
    response = VoiceResponse()
    first: list[Line] = []
    for lang in menus.greeting():
        first += script.text(menus, "apology", lang) + script.text(menus, "emergency_notice", lang)
    _speak(response, first, menus, None, None)
    response.dial(menus.numbers.info_line, timeout=menus.call.dial_timeout, caller_id=caller_id)
    after = [line for lang in menus.greeting() for line in script.dial_retry(menus, lang)]
    _speak(response, after, menus, None, None)
    response.hangup()
    return response


def _dial(response: VoiceResponse, transfer: Transfer, links: Links) -> None:
    # Without callerId Twilio shows the info line the caller's own number, and callers are
    # promised anonymity (PRODUCT.md); the helpline's number stands in for it.
    dial: Dial = response.dial(
        action=links.dial_done(transfer.state),
        method="POST",
        timeout=transfer.timeout,
        caller_id=links.caller_id,
    )
    if transfer.whisper_lang is None:
        dial.number(transfer.number)
    else:
        dial.number(transfer.number, url=links.whisper(transfer.whisper_lang), method="POST")


def _speak(
    verb: VoiceResponse | Gather,
    lines: Iterable[Line],
    menus: Menus,
    links: Links | None,
    prompts: PromptIndex | None,
) -> None:
    # Consecutive sentences without a recording are joined into one <Say>: fewer TTS calls
    # for Twilio and a smaller document; but never more than its voice takes in one.
    pending: list[str] = []
    pending_lang = ""
    for line in lines:
        audio = prompts.lookup(line.text, line.lang) if prompts and links else None
        if pending and (audio or line.lang != pending_lang):
            _say_all(verb, pending, pending_lang, menus)
            pending = []
        if audio and links:
            verb.play(links.audio(audio))
        else:
            pending.append(line.text)
            pending_lang = line.lang
    if pending:
        _say_all(verb, pending, pending_lang, menus)


SAY_BYTES = {"Polly.": 3000, "Google.": 5000}
"""The most UTF-8 bytes Twilio's <Say> takes in one, by voice vendor (issue 21); any other
voice gets the smaller."""


def say_limit(voice: str | None) -> int:
    return next((n for prefix, n in SAY_BYTES.items() if (voice or "").startswith(prefix)),
                min(SAY_BYTES.values()))


def chunks(sentences: list[str], limit: int) -> list[str]:
    """The sentences joined into as few texts as fit in `limit` bytes each; a sentence too
    long alone is cut at a space (or, with none, at a character) to fit."""
    out: list[str] = []
    for sentence in sentences:
        for part in _cut(sentence, limit):
            joined = f"{out[-1]} {part}" if out else part
            if out and len(joined.encode()) <= limit:
                out[-1] = joined
            else:
                out.append(part)
    return out


def _cut(sentence: str, limit: int) -> list[str]:
    parts = []
    while len(sentence.encode()) > limit:
        head = sentence.encode()[:limit].decode("utf-8", "ignore")
        cut = head.rfind(" ")
        head = head[:cut] if cut > 0 else head
        parts.append(head)
        sentence = sentence[len(head):].lstrip()
    return [*parts, sentence] if sentence else parts


def _say_all(verb: VoiceResponse | Gather, sentences: list[str], lang: str, menus: Menus
             ) -> None:
    limit = say_limit(menus.languages[lang].twilio_voice)
    for text in chunks([scrub(s) for s in sentences], limit):
        _say(verb, text, lang, menus)


def _say(verb: VoiceResponse | Gather, text: str, lang: str, menus: Menus) -> None:
    language = menus.languages[lang]
    # validate refuses these characters at their line; scrubbed here too, so no answer can
    # be a document Twilio cannot read, whatever reached the model (issue 22 item 2).
    verb.say(scrub(text), language=language.twilio_language, voice=language.twilio_voice)
