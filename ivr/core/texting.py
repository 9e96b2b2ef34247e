"""The read-out by text message, only when the caller asks (issue 14): the warning, the
confirming key, and what the caller hears after the sending.

Part of the call engine (ivr/core/flow.py hands over the texting state and TextSent); it
reaches flow's turns and helpers through the module, which imports this one in turn.
"""

from __future__ import annotations

from dataclasses import replace

from ivr.core import flow
from ivr.core import script
from ivr.core import speechmatch
from ivr.core import textmessage
from ivr.core.callstate import CallState
from ivr.core.model import MAX_TEXTS_PER_CALL
from ivr.core.model import SMS_CONFIRM_KEY
from ivr.core.model import Menus


def ask(menus: Menus, state: CallState) -> flow.Turn:
    """The warning that the message stays on the phone, and the key that confirms it.

    The warning is heard whole (no key cuts it short); only the question listens. A call
    that has sent its MAX_TEXTS_PER_CALL hears that the message could not be sent.
    """
    if state.texts >= MAX_TEXTS_PER_CALL:
        return _after_text(menus, state, "sms_failed")
    lang = flow._lang(menus, state)
    warning = script.text(menus, "sms_warning", lang)
    key = script.key_name(menus, SMS_CONFIRM_KEY, lang)
    question = script.text(menus, "sms_confirm", lang, confirm=key)
    asking = replace(state, texting=True)
    listen = flow.Listen(asking, menus.call.timeout, speechmatch.listening(menus, asking),
                         hear_first=len(warning))
    return flow.Turn(tuple(warning + question), listen)


def answer(menus: Menus, state: CallState, event: flow.Event) -> flow.Turn:
    """The answer to the warning (or to the sending): send, cancel, or a global key."""
    asked = replace(state, texting=False)
    if isinstance(event, flow.TextSent):
        if not event.ok:
            return _after_text(menus, asked, "sms_failed")
        return _after_text(menus, replace(asked, texts=asked.texts + 1), "sms_sent")
    key = event.digits if isinstance(event, flow.Press) else None
    if isinstance(event, flow.Spoke):
        key = speechmatch.key_for(menus, asked, event.words)
    if (key == SMS_CONFIRM_KEY and asked.need is not None and asked.region is not None
            and asked.texts < MAX_TEXTS_PER_CALL):
        body = textmessage.message(menus, flow._lang(menus, asked), asked.need, asked.region)
        return flow.Turn((), flow.SendText(body, asked))
    if key is not None and key in (menus.call.keys.info_line, menus.call.keys.emergency):
        return flow._press(menus, asked, key)
    # A silence, a wrong key or any other key: nothing is sent (a double press of the sms
    # key lands here, so the warning cannot be skipped by accident).
    return _after_text(menus, asked, "sms_cancelled")


def _after_text(menus: Menus, state: CallState, text_id: str) -> flow.Turn:
    told = flow._in_languages(menus, state, text_id)
    return flow._menu_turn(menus, state.entering(state.menu), told, readout=False)
