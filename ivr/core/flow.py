"""The call engine: from the menus, where the caller is and what they did, what happens next.

Pure: no web, no TwiML. The events and turns are in ivr.core.turns; ivr.web turns requests
into events and turns into TwiML.
"""

from __future__ import annotations

from dataclasses import replace

from ivr.core import script
from ivr.core import texting
from ivr.core.callstate import LANGUAGE_PAGE
from ivr.core.callstate import CallState
from ivr.core.callstate import is_language_menu
from ivr.core.callstate import page_key
from ivr.core.menuturns import caller_lang
from ivr.core.menuturns import caller_langs
from ivr.core.menuturns import in_languages
from ivr.core.menuturns import menu_turn
from ivr.core.model import Menus
from ivr.core.phone import DIAL_ANSWERED
from ivr.core.phone import KEYPAD
from ivr.core.script import Line
from ivr.core.turns import Arrive
from ivr.core.turns import DialEnded
from ivr.core.turns import Event
from ivr.core.turns import Hangup
from ivr.core.turns import Press
from ivr.core.turns import Silence
from ivr.core.turns import Spoke
from ivr.core.turns import TextSent
from ivr.core.turns import Transfer
from ivr.core.turns import Turn

DIAL_TEXTS = {"busy": "dial_busy", "no-answer": "dial_no_answer"}
"""What the caller is told after a transfer ends with this status; any other: dial_failed."""


def next_turn(menus: Menus, state: CallState, event: Event) -> Turn:
    """What the caller hears and what happens after `event` in `state`."""
    if isinstance(event, Press):
        # Whoever presses anything, even a wrong key, is on the line: never hung up on.
        if state.silent_rounds:
            state = replace(state, silent_rounds=0)
    if state.changed:
        return _changed(menus, state, event)
    if isinstance(event, Arrive):
        return _arrive(menus, state, event.lang)
    if isinstance(event, TextSent):
        return texting.sent(menus, state, event.ok)
    if state.texting:
        return _texting(menus, state, event)
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
        # Words stand for the key they matched; words matching none count as a wrong key.
        if event.key is None:
            return _retry(menus, state, silence=False)
        return _press(menus, state, event.key)
    if len(event.digits) != 1 or event.digits not in KEYPAD:
        return _retry(menus, state, silence=False)
    return _press(menus, state, event.digits)


def _texting(menus: Menus, state: CallState, event: Event) -> Turn:
    """The answer to the text-message warning: the info line and emergency keys work here
    as everywhere; anything else is the texting module's."""
    asked = replace(state, texting=False)
    key = event.digits if isinstance(event, Press) else None
    if isinstance(event, Spoke):
        key = event.key
    if key is not None and key in (menus.call.keys.info_line, menus.call.keys.emergency):
        return _press(menus, asked, key)
    return texting.answer(menus, asked, key)


def _press(menus: Menus, state: CallState, key: str) -> Turn:
    keys = menus.call.keys
    if key == keys.emergency:
        return _emergency(menus, state)
    if key == keys.info_line:
        return _transfer(menus, state, "transferring")
    if key == keys.repeat:
        return menu_turn(menus, state.entering(state.menu))
    if key == keys.back:
        return _back(menus, state)
    if is_language_menu(state.menu):
        return _choose_language(menus, state, key)
    option = menus.menus[state.menu].option(key)
    if option is None:
        return _retry(menus, state, silence=False)
    if option.action == "repeat":
        return menu_turn(menus, state.entering(state.menu))
    if option.action == "info_line":
        return _transfer(menus, state, "transferring")
    if option.action == "emergency":
        return _emergency(menus, state)
    if option.action == "sms":
        return texting.ask(menus, state)
    if option.action == "next":
        return _next_page(menus, state)
    assert option.goto is not None, f"option {key} of {state.menu} leads nowhere"
    chosen = replace(
        state, need=option.need or state.need, region=option.region or state.region
    )
    return menu_turn(menus, _goto(chosen, option.goto))


def _arrive(menus: Menus, state: CallState, lang: str | None) -> Turn:
    if lang is None or lang not in [language.code for language in menus.offered()]:
        return menu_turn(menus, state)  # (a recorded-only language not recorded yet)
    # A number of its own: its language's main menu, after the 112 notice in it. The
    # language menu stays one key away (back, from the main menu).
    notice = script.text(menus, "emergency_notice", lang)
    return menu_turn(menus, state.fresh(menus.call.main_menu, lang), tuple(notice))


def _choose_language(menus: Menus, state: CallState, key: str) -> Turn:
    first = page_key(state.menu)
    path = key if first is None else f"{first} {key}"
    language = menus.language_by_key(path)
    if language is not None:
        return menu_turn(menus, state.fresh(menus.call.main_menu, language.code))
    if first is None and key in script.language_pages(menus):
        return menu_turn(menus, state.fresh(LANGUAGE_PAGE + key))
    return _retry(menus, state, silence=False)


def _next_page(menus: Menus, state: CallState) -> Turn:
    """The read-out's next service; after the last, the first again."""
    pages = 1
    if state.need is not None and state.region is not None:
        pages = max(1, len(menus.services_for(state.need, state.region)))
    return menu_turn(menus, replace(state.entering(state.menu), item=(state.item + 1) % pages))


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
        return menu_turn(menus, state.fresh())
    if state.back:
        return menu_turn(menus, replace(state, back=state.back[:-1]).entering(state.back[-1]))
    if state.menu == menus.call.main_menu:
        return menu_turn(menus, state.fresh())
    return menu_turn(menus, state.entering(menus.call.main_menu))


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
        return replace(_transfer(menus, state, "too_many_tries"), wrong_key=True)
    text_id = "no_input" if silence else "wrong_key"
    return menu_turn(menus, counted, in_languages(menus, state, text_id), readout=False,
                     wrong_key=not silence)


def _silent_round(menus: Menus, state: CallState, text_id: str = "too_many_tries") -> Turn:
    """max_silences in a row: the info line, or after the last round the goodbye.

    A line nobody is on (a pocket dial, a phone off the hook) would otherwise ring the info
    line every few minutes until Twilio's 4-hour limit. The count survives the failed
    transfer and every menu; only a key press resets it.
    """
    rounds = state.silent_rounds + 1
    if rounds >= menus.call.max_silent_rounds:
        langs = caller_langs(menus, state)
        return Turn(tuple(line for lang in langs for line in script.goodbye(menus, lang)), Hangup())
    return _transfer(menus, replace(state, silent_rounds=rounds), text_id)


def _changed(menus: Menus, state: CallState, event: Event) -> Turn:
    """The menus changed under a live call: its key meant something else, so the caller is
    told and hears the main menu in their language (a finished transfer still ends)."""
    main = replace(state, changed=False)
    notice = tuple(script.menu_changed(menus, caller_lang(menus, state)))
    if isinstance(event, DialEnded):
        return _dial_ended(menus, main, event.status, notice)
    # A key whose menu changed under the call was none of this menu's.
    return menu_turn(menus, main, notice, wrong_key=isinstance(event, Press))


def _transfer(menus: Menus, state: CallState, text_id: str) -> Turn:
    back_to = state.entering(state.menu)
    # Before a language is chosen the caller is told in the greeting languages, and the
    # agent that no language was chosen ("" below), or nothing if the file has no such text.
    unchosen = "" if "whisper_no_language" in menus.texts else None
    then = Transfer(
        menus.numbers.info_line, back_to, menus.call.dial_timeout, state.lang or unchosen
    )
    return Turn(in_languages(menus, state, text_id), then)


def _emergency(menus: Menus, state: CallState) -> Turn:
    if menus.call.emergency_forwarding:
        # Only on an explicit operator setting (validate warns): see docs/deploy.md.
        lines = in_languages(menus, state, "emergency")
        then = Transfer(
            menus.numbers.emergency, state.entering(state.menu), menus.call.dial_timeout, None
        )
        return Turn(lines, then)
    once = in_languages(menus, state, "emergency")
    return Turn(once + once, Hangup())


def _dial_ended(
    menus: Menus, state: CallState, status: str, notice: tuple[Line, ...] = ()
) -> Turn:
    if status in DIAL_ANSWERED:
        return Turn((), Hangup())
    # Anything else (busy, no-answer, failed, canceled, or a status we do not know) means
    # the caller is still on the line and must not be left in silence.
    told = in_languages(menus, state, DIAL_TEXTS.get(status, "dial_failed"))
    told += tuple(line for lang in caller_langs(menus, state)
                  for line in script.dial_retry(menus, lang))
    told += notice
    if state.lang and state.menu != menus.call.main_menu:
        # "Try again" needs its key, and only the main menu says the global keys itself.
        told += tuple(script.global_keys(menus, state.lang))
    return menu_turn(menus, state.entering(state.menu), told, readout=False)
