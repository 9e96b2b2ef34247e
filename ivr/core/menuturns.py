"""The turns every part of the engine builds: a menu said and listened to, a text said in
the caller's language (or the greeting languages before one is chosen).

Shared by the engine's modules (flow, texting) so that none reaches into another's helpers.
"""

from __future__ import annotations

from dataclasses import replace

from ivr.core import script
from ivr.core import speechmatch
from ivr.core.callstate import LANGUAGE_MENU
from ivr.core.callstate import CallState
from ivr.core.callstate import page_key
from ivr.core.model import Menus
from ivr.core.script import Line
from ivr.core.turns import Listen
from ivr.core.turns import Turn


def caller_lang(menus: Menus, state: CallState) -> str:
    """The caller's language, or the default one before a language is chosen."""
    return state.lang or menus.call.default_language


def caller_langs(menus: Menus, state: CallState) -> list[str]:
    """The caller's language, or the greeting languages before one is chosen."""
    return [state.lang] if state.lang else list(menus.greeting())


def in_languages(menus: Menus, state: CallState, text_id: str) -> tuple[Line, ...]:
    """A text in the caller's language, or in the greeting languages before one is chosen."""
    return tuple(line for lang in caller_langs(menus, state)
                 for line in script.text(menus, text_id, lang))


def menu_turn(
    menus: Menus, state: CallState, before: tuple[Line, ...] = (), readout: bool = True,
    wrong_key: bool = False,
) -> Turn:
    """The menu of `state` (its intro, read-out and options), listening for a key.

    With readout=False a read-out page says only its keys: after a silence, a wrong key
    or a failed transfer the caller needs the keys, not the service again.
    """
    first = page_key(state.menu)
    if state.menu == LANGUAGE_MENU:
        lines = script.language_menu(menus)
    elif first is not None:
        lines = script.language_page(menus, first)
    else:
        state = _arrived(menus, state)
        lines = script.menu_prompt(menus, state.menu, caller_lang(menus, state), state.need,
                                   state.region, state.item, whole=readout)
    listen = Listen(state, menus.call.timeout, speechmatch.listening(menus, state))
    return Turn(tuple(before) + tuple(lines), listen, wrong_key)


def _arrived(menus: Menus, state: CallState) -> CallState:
    """The state as it is in its menu: choices that menu is about to ask again are dropped."""
    menu = menus.menus[state.menu]
    if menu.readout and state.need is not None and state.region is None:
        # Back from the choice of a region: the read-out of the whole country again.
        nationwide = next((r.id for r in menus.regions.values() if r.nationwide), None)
        if nationwide is not None:
            state = replace(state, region=nationwide)
    if menu.readout and (state.need is None or state.region is None):
        # A read-out needs both choices; without them the main menu is the way on.
        return state.fresh(menus.call.main_menu, state.lang)
    if state.menu == menus.call.main_menu:
        return _without(state, need=True, region=True)
    # Dropping what is about to be chosen again keeps one state per place in the menus,
    # and URLs short.
    return _without(state, need=any(option.need for option in menu.options),
                    region=any(option.region for option in menu.options))


def _without(state: CallState, need: bool, region: bool) -> CallState:
    """The state with its need and/or region dropped (itself when it has neither: a step
    is answered thousands of times, and a copy per step is most of its cost)."""
    need = need and state.need is not None
    region = region and state.region is not None
    if not (need or region):
        return state
    return replace(state, need=None if need else state.need,
                   region=None if region else state.region)
