"""What one webhook step counts: derived from the engine's state, event and Turn alone.

Pure (no web, no store). A Count names what happened in the menus' own words (menu ids,
keys, need and region ids, language codes) and nothing about who or which call: no number,
no call id, no time finer than the day the recorder adds. Two steps of one call share
nothing, so "where callers leave" is arrivals minus departures per menu (issue 11), never
a followed call.
"""

from __future__ import annotations

from typing import NamedTuple

from ivr.core.callstate import CallState
from ivr.core.callstate import is_language_menu
from ivr.core.model import Menus
from ivr.core.phone import DIAL_ANSWERED
from ivr.core.phone import TRANSFER_OUTCOMES
from ivr.core.turns import Arrive
from ivr.core.turns import DialEnded
from ivr.core.turns import Event
from ivr.core.turns import Hangup
from ivr.core.turns import Listen
from ivr.core.turns import Silence
from ivr.core.turns import Spoke
from ivr.core.turns import TextSent
from ivr.core.turns import Transfer
from ivr.core.turns import Turn

KINDS = ("call", "language", "arrive", "depart", "option", "readout", "silence", "wrong_key",
         "transfer", "outcome", "emergency")
"""Every kind of count, as stored (docs/statistics.md explains each)."""
TRANSFER_REASONS = ("caller_asked", "retries_ran_out", "error")
INFO_LINE = "info_line"
EMERGENCY = "emergency"


class Count(NamedTuple):
    """One thing that happened once, in the store's columns ('' where it does not apply)."""

    kind: str
    menu: str = ""
    item: str = ""
    need: str = ""
    region: str = ""
    lang: str = ""


def derive(menus: Menus, before: CallState, event: Event, turn: Turn
           ) -> tuple[Count, ...]:
    """What the step from `before` through `event` to `turn` counts."""
    if isinstance(event, Arrive):
        return (Count("call"),) + _arrival(menus, before, turn, arrived_before=False)
    if isinstance(event, DialEnded):
        return _dial_ended(menus, before, event.status, turn)
    lang = before.lang or ""
    if isinstance(event, Silence):
        return (Count("silence", before.menu, lang=lang),) + _ran_out(before, turn)
    if isinstance(event, Spoke):
        # Counted as spoken, never what was said (issue 14): where it led counts as a key.
        return (Count("spoken", before.menu, lang=lang),) + _taken(menus, before, turn)
    if isinstance(event, TextSent):
        return (Count("text_message", item="sent" if event.ok else "failed", lang=lang),)
    if turn.wrong_key and event.digits not in menus.call.keys.as_dict().values():
        # The global keys always work; the engine marks a key it heard as none of the menu's.
        return (Count("wrong_key", before.menu, lang=lang),) + _ran_out(before, turn)
    return (Count("option", before.menu, event.digits, lang=lang),) + _taken(menus, before, turn)


def apology() -> tuple[Count, ...]:
    """An internal error answered with an apology and the info line."""
    return (Count("transfer", item="error"),)


def outcome_name(status: str) -> str:
    """Twilio's DialCallStatus as one of TRANSFER_OUTCOMES (as the engine treats it)."""
    if status in DIAL_ANSWERED:
        return "completed"
    return status if status in TRANSFER_OUTCOMES else "failed"


def _ran_out(before: CallState, turn: Turn) -> tuple[Count, ...]:
    if not isinstance(turn.then, Transfer):
        return ()
    lang = before.lang or ""
    return (Count("transfer", before.menu, "retries_ran_out", lang=lang),
            Count("depart", before.menu, INFO_LINE, lang=lang))


def _taken(menus: Menus, before: CallState, turn: Turn) -> tuple[Count, ...]:
    """A valid key: a transfer, the emergency instructions, or a menu (maybe the same)."""
    lang = before.lang or ""
    then = turn.then
    if isinstance(then, Hangup) or (
        isinstance(then, Transfer) and then.number != menus.numbers.info_line
    ):
        return (Count(EMERGENCY, before.menu, lang=lang),
                Count("depart", before.menu, EMERGENCY, lang=lang))
    if isinstance(then, Transfer):
        return (Count("transfer", before.menu, "caller_asked", lang=lang),
                Count("depart", before.menu, INFO_LINE, lang=lang))
    return _arrival(menus, before, turn, arrived_before=True)


def _arrival(menus: Menus, before: CallState, turn: Turn, arrived_before: bool
             ) -> tuple[Count, ...]:
    """Arriving in the turn's menu: counted only when it is another menu than before."""
    if not isinstance(turn.then, Listen):
        return ()
    after = turn.then.state
    if arrived_before and after.menu == before.menu:
        return ()  # repeat, back in the language menu: still there
    lang = after.lang or ""
    counts: tuple[Count, ...] = (Count("arrive", after.menu, lang=lang),)
    if arrived_before:
        counts = (Count("depart", before.menu, after.menu, lang=before.lang or ""),) + counts
    if is_language_menu(before.menu) and after.lang:
        counts += (Count("language", lang=after.lang),)
    menu = menus.menus.get(after.menu)
    if menu is not None and menu.readout and after.need and after.region:
        counts += (Count("readout", after.menu, need=after.need, region=after.region,
                         lang=lang),)
    return counts


def _dial_ended(menus: Menus, before: CallState, status: str, turn: Turn
                ) -> tuple[Count, ...]:
    # The caller was in the transfer, not in a menu: a failed one brings them back to it.
    lang = before.lang or ""
    counts: tuple[Count, ...] = (Count("outcome", before.menu, outcome_name(status), lang=lang),)
    if isinstance(turn.then, Listen):
        after = turn.then.state
        counts += (Count("arrive", after.menu, lang=after.lang or ""),)
    return counts
