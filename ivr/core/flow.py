"""The call engine: from the menus, where the caller is and what they did, what happens next.

Pure: no web, no TwiML. twiml.py renders a Turn; web.py turns requests into events.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import replace

from ivr.core import script
from ivr.core import speechmatch
from ivr.core import texting
from ivr.core.callstate import LANGUAGE_MENU
from ivr.core.callstate import LANGUAGE_PAGE
from ivr.core.callstate import CallState
from ivr.core.callstate import is_language_menu
from ivr.core.callstate import page_key
from ivr.core.model import Menus
from ivr.core.phone import DIAL_ANSWERED
from ivr.core.phone import KEYPAD
from ivr.core.script import Line
from ivr.core.speechmatch import SpeechListen

DIAL_TEXTS = {"busy": "dial_busy", "no-answer": "dial_no_answer"}
"""What the caller is told after a transfer ends with this status; any other: dial_failed."""


@dataclass(frozen=True)
class Arrive:
    """The caller arrives in the state's menu (start of a call).

    `lang`: the language of the number they dialled (numbers.lines), which skips the
    language menu; None starts with the language menu.
    """

    lang: str | None = None


@dataclass(frozen=True)
class Press:
    """The caller pressed something; anything but one phone key is a wrong key."""

    digits: str


@dataclass(frozen=True)
class Silence:
    """The menu's time for a key ran out."""


@dataclass(frozen=True)
class DialEnded:
    """A transfer ended with Twilio's DialCallStatus."""

    status: str


@dataclass(frozen=True)
class Spoke:
    """The caller said something (Twilio's SpeechResult); matched to a key in speechmatch."""

    words: str


@dataclass(frozen=True)
class TextSent:
    """The web layer tried to send the text message a SendText asked for (issue 14)."""

    ok: bool


Event = Arrive | Press | Silence | DialEnded | Spoke | TextSent


@dataclass(frozen=True)
class Listen:
    """Wait for one key; both a key and silence come back as a step from `state`."""

    state: CallState
    timeout: int
    speech: SpeechListen | None = None
    """How to listen for speech as well (None: keys only, the default)."""
    hear_first: int = 0
    """The turn's first lines are said before listening, so no key cuts them short."""


@dataclass(frozen=True)
class Transfer:
    """Put the caller through to `number`; if the transfer fails, continue from `state`."""

    number: str
    state: CallState
    timeout: int
    whisper_lang: str | None
    """The caller's language, told to the answering agent first ("": the caller chose no
    language, which the agent is told; None: no whisper)."""


@dataclass(frozen=True)
class SendText:
    """Send `body` by text message to the caller's phone, then answer TextSent in `state`.

    The web layer does the sending (the core does no I/O); nothing is said before it.
    """

    body: str
    state: CallState


@dataclass(frozen=True)
class Hangup:
    """End the call."""


@dataclass(frozen=True)
class Turn:
    """What the caller hears, then what happens (Listen lets them barge in on the lines)."""

    lines: tuple[Line, ...]
    then: Listen | Transfer | Hangup | SendText


def next_turn(menus: Menus, state: CallState, event: Event) -> Turn:
    """What the caller hears and what happens after `event` in `state`."""
    if isinstance(event, Press):
        # Whoever presses anything, even a wrong key, is on the line: never hung up on.
        state = replace(state, silent_rounds=0)
    if state.changed:
        return _changed(menus, state, event)
    if isinstance(event, Arrive):
        return _arrive(menus, state, event.lang)
    if state.texting or isinstance(event, TextSent):
        return texting.answer(menus, state, event)
    if isinstance(event, Silence):
        if is_language_menu(state.menu) and "language_other" in menus.texts:
            # The menu told a caller whose language is not offered to stay on the line:
            # their silence is the answer, and repeating a 30 s list would not help. It is
            # a silent round too, so a line nobody is on still ends (issue 8 item 2).
            return _silent_round(menus, state, "transferring")
        return _retry(menus, state, silence=True)
    if isinstance(event, DialEnded):
        return _dial_ended(menus, state, event.status)
    if isinstance(event, Spoke):
        return _spoke(menus, state, event.words)
    if len(event.digits) != 1 or event.digits not in KEYPAD:
        return _retry(menus, state, silence=False)
    return _press(menus, state, event.digits)


def _press(menus: Menus, state: CallState, key: str) -> Turn:
    keys = menus.call.keys
    if key == keys.emergency:
        return _emergency(menus, state)
    if key == keys.info_line:
        return _transfer(menus, state, "transferring")
    if key == keys.repeat:
        return _menu_turn(menus, state.entering(state.menu))
    if key == keys.back:
        return _back(menus, state)
    if is_language_menu(state.menu):
        return _choose_language(menus, state, key)
    option = menus.menus[state.menu].option(key)
    if option is None:
        return _retry(menus, state, silence=False)
    if option.action == "repeat":
        return _menu_turn(menus, state.entering(state.menu))
    if option.action == "info_line":
        return _transfer(menus, state, "transferring")
    if option.action == "emergency":
        return _emergency(menus, state)
    if option.action == "sms":
        return texting.ask(menus, state)
    assert option.goto is not None, f"option {key} of {state.menu} leads nowhere"
    chosen = replace(
        state, need=option.need or state.need, region=option.region or state.region
    )
    return _menu_turn(menus, _goto(chosen, option.goto))


def _arrive(menus: Menus, state: CallState, lang: str | None) -> Turn:
    if lang is None or lang not in [language.code for language in menus.offered()]:
        return _menu_turn(menus, state)  # (a recorded-only language not recorded yet)
    # A number of its own: its language's main menu, after the 112 notice in it. The
    # language menu stays one key away (back, from the main menu).
    notice = script.text(menus, "emergency_notice", lang)
    return _menu_turn(menus, state.fresh(menus.call.main_menu, lang), tuple(notice))


def _choose_language(menus: Menus, state: CallState, key: str) -> Turn:
    first = page_key(state.menu)
    path = key if first is None else f"{first} {key}"
    language = menus.language_by_key(path)
    if language is not None:
        return _menu_turn(menus, state.fresh(menus.call.main_menu, language.code))
    if first is None and key in script.language_pages(menus):
        return _menu_turn(menus, state.fresh(LANGUAGE_PAGE + key))
    return _retry(menus, state, silence=False)


def _spoke(menus: Menus, state: CallState, said: str) -> Turn:
    """Words stand for the key they match; words matching none count as a wrong key."""
    key = speechmatch.key_for(menus, state, said)
    if key is None:
        return _retry(menus, state, silence=False)
    return _press(menus, state, key)


def _goto(state: CallState, target: str) -> CallState:
    # Going to a menu already on the way back (the main menu from the read-out) cuts the
    # way back there, so the back-stack stays as short as the menus are deep.
    if target == state.menu:
        return state.entering(target)
    if target in state.back:
        back = state.back[: state.back.index(target)]
    else:
        back = state.back + (state.menu,)
    return replace(state, back=back).entering(target)


def _back(menus: Menus, state: CallState) -> Turn:
    if is_language_menu(state.menu):
        return _menu_turn(menus, state.fresh())
    if state.back:
        return _menu_turn(menus, replace(state, back=state.back[:-1]).entering(state.back[-1]))
    if state.menu == menus.call.main_menu:
        return _menu_turn(menus, state.fresh())
    return _menu_turn(menus, state.entering(menus.call.main_menu))


def _menu_turn(
    menus: Menus, state: CallState, before: tuple[Line, ...] = (), readout: bool = True
) -> Turn:
    """The menu of `state` (its intro, read-out and options), listening for a key.

    With readout=False a read-out menu says only its options: after a silence, a wrong key
    or a failed transfer the caller needs the keys, not two minutes of services again.
    """
    first = page_key(state.menu)
    if state.menu == LANGUAGE_MENU:
        lines = script.language_menu(menus)
    elif first is not None:
        lines = script.language_page(menus, first)
    else:
        state = _arrived(menus, state)
        need, region = (state.need, state.region) if readout else (None, None)
        lines = script.menu_prompt(menus, state.menu, _lang(menus, state), need, region)
    listen = Listen(state, menus.call.timeout, speechmatch.listening(menus, state))
    return Turn(tuple(before) + tuple(lines), listen)


def _arrived(menus: Menus, state: CallState) -> CallState:
    """The state as it is in its menu: choices that menu is about to ask again are dropped."""
    menu = menus.menus[state.menu]
    if menu.readout and (state.need is None or state.region is None):
        # A read-out needs both choices; without them the main menu is the way on.
        return state.fresh(menus.call.main_menu, state.lang)
    if state.menu == menus.call.main_menu:
        return replace(state, need=None, region=None)
    # Dropping what is about to be chosen again keeps one state per place in the menus,
    # and URLs short.
    if any(option.need for option in menu.options):
        state = replace(state, need=None)
    if any(option.region for option in menu.options):
        state = replace(state, region=None)
    return state


def _retry(menus: Menus, state: CallState, silence: bool) -> Turn:
    if silence:
        counted = replace(state, silences=state.silences + 1)
        reached = counted.silences >= menus.call.max_silences
    else:
        counted = replace(state, wrong_keys=state.wrong_keys + 1)
        reached = counted.wrong_keys >= menus.call.max_wrong_keys
    if reached and silence:
        return _silent_round(menus, state)
    if reached:
        return _transfer(menus, state, "too_many_tries")
    text_id = "no_input" if silence else "wrong_key"
    return _menu_turn(menus, counted, _in_languages(menus, state, text_id), readout=False)


def _silent_round(menus: Menus, state: CallState, text_id: str = "too_many_tries") -> Turn:
    """max_silences in a row: the info line, or after the last round the goodbye.

    A line nobody is on (a pocket dial, a phone off the hook) would otherwise ring the info
    line every few minutes until Twilio's 4-hour limit. The count survives the failed
    transfer and every menu; only a key press resets it.
    """
    rounds = state.silent_rounds + 1
    if rounds >= menus.call.max_silent_rounds:
        langs = _langs(menus, state)
        return Turn(tuple(line for lang in langs for line in script.goodbye(menus, lang)), Hangup())
    return _transfer(menus, replace(state, silent_rounds=rounds), text_id)


def _changed(menus: Menus, state: CallState, event: Event) -> Turn:
    """The menus changed under a live call: its key meant something else, so the caller is
    told and hears the main menu in their language (a finished transfer still ends)."""
    main = replace(state, changed=False)
    notice = tuple(script.menu_changed(menus, _lang(menus, state)))
    if isinstance(event, DialEnded):
        return _dial_ended(menus, main, event.status, notice)
    return _menu_turn(menus, main, notice)


def _transfer(menus: Menus, state: CallState, text_id: str) -> Turn:
    back_to = state.entering(state.menu)
    # Before a language is chosen the caller is told in the greeting languages, and the
    # agent that no language was chosen ("" below), or nothing if the file has no such text.
    unchosen = "" if "whisper_no_language" in menus.texts else None
    then = Transfer(
        menus.numbers.info_line, back_to, menus.call.dial_timeout, state.lang or unchosen
    )
    return Turn(_in_languages(menus, state, text_id), then)


def _emergency(menus: Menus, state: CallState) -> Turn:
    if menus.call.emergency_forwarding:
        # Only on an explicit operator setting (validate warns): see docs/deploy.md.
        lines = _in_languages(menus, state, "emergency")
        then = Transfer(
            menus.numbers.emergency, state.entering(state.menu), menus.call.dial_timeout, None
        )
        return Turn(lines, then)
    once = _in_languages(menus, state, "emergency")
    return Turn(once + once, Hangup())


def _dial_ended(
    menus: Menus, state: CallState, status: str, notice: tuple[Line, ...] = ()
) -> Turn:
    if status in DIAL_ANSWERED:
        return Turn((), Hangup())
    # Anything else (busy, no-answer, failed, canceled, or a status we do not know) means
    # the caller is still on the line and must not be left in silence.
    told = _in_languages(menus, state, DIAL_TEXTS.get(status, "dial_failed"))
    told += tuple(line for lang in _langs(menus, state) for line in script.dial_retry(menus, lang))
    told += notice
    if state.lang and state.menu != menus.call.main_menu:
        # "Try again" needs its key, and only the main menu says the global keys itself.
        told += tuple(script.global_keys(menus, state.lang))
    return _menu_turn(menus, state.entering(state.menu), told, readout=False)


def _lang(menus: Menus, state: CallState) -> str:
    return state.lang or menus.call.default_language


def _langs(menus: Menus, state: CallState) -> list[str]:
    """The caller's language, or the greeting languages before one is chosen."""
    return [state.lang] if state.lang else list(menus.greeting())


def _in_languages(menus: Menus, state: CallState, text_id: str) -> tuple[Line, ...]:
    """A text in the caller's language, or in the greeting languages before one is chosen."""
    langs = _langs(menus, state)
    return tuple(line for lang in langs for line in script.text(menus, text_id, lang))
