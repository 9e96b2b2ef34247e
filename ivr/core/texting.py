"""The read-out by text message, only when the caller asks (issue 14): the warning, the
confirming key, and what the caller hears after the sending.

Part of the call engine: flow hands over the texting state (after taking the info line and
emergency keys itself, which work here as everywhere) and the TextSent of a sending.
"""

from __future__ import annotations

from dataclasses import replace

from ivr.core import menuturns
from ivr.core import script
from ivr.core import speechmatch
from ivr.core import textmessage
from ivr.core.callstate import CallState
from ivr.core.model import MAX_TEXTS_PER_CALL
from ivr.core.model import SMS_CONFIRM_KEY
from ivr.core.model import Menus
from ivr.core.turns import Listen
from ivr.core.turns import SendText
from ivr.core.turns import Turn


def ask(menus: Menus, state: CallState) -> Turn:
    """The warning that the message stays on the phone, and the key that confirms it.

    The warning is heard whole (no key cuts it short); only the question listens. A call
    that has tried MAX_TEXTS_PER_CALL messages hears that the message could not be sent.
    """
    if state.texts >= MAX_TEXTS_PER_CALL:
        return _after_text(menus, state, "sms_failed")
    lang = menuturns.caller_lang(menus, state)
    warning = script.text(menus, "sms_warning", lang)
    key = script.key_name(menus, SMS_CONFIRM_KEY, lang)
    question = script.text(menus, "sms_confirm", lang, confirm=key)
    asking = replace(state, texting=True)
    listen = Listen(asking, menus.call.timeout, speechmatch.listening(menus, asking),
                    hear_first=len(warning))
    return Turn(tuple(warning + question), listen)


def answer(menus: Menus, asked: CallState, key: str | None) -> Turn:
    """The answer to the warning: send on the confirming key, else nothing is sent.

    `asked` is the state that asked, no longer texting; `key` the key pressed or said (None:
    a silence, or words that matched no key).
    """
    if (key == SMS_CONFIRM_KEY and asked.need is not None and asked.region is not None
            and asked.texts < MAX_TEXTS_PER_CALL):
        body = textmessage.message(menus, menuturns.caller_lang(menus, asked), asked.need,
                                   asked.region)
        return Turn((), SendText(body, asked))
    # A silence, a wrong key or any other key: nothing is sent (a double press of the sms
    # key lands here, so the warning cannot be skipped by accident).
    return _after_text(menus, asked, "sms_cancelled", wrong_key=key is not None)


def sent(menus: Menus, state: CallState, ok: bool) -> Turn:
    """What the caller hears after the web layer tried to send the message."""
    # A failed or timed-out try counts too (issue 22 item 7): each one was an API request,
    # and a caller who keeps confirming must not make one per press.
    tried = replace(state, texting=False, texts=state.texts + 1)
    return _after_text(menus, tried, "sms_sent" if ok else "sms_failed")


def _after_text(menus: Menus, state: CallState, text_id: str, wrong_key: bool = False) -> Turn:
    told = menuturns.in_languages(menus, state, text_id)
    return menuturns.menu_turn(menus, state.entering(state.menu), told, readout=False,
                               wrong_key=wrong_key)
