"""Where a caller is in the menus, and the only way it travels: the query string of the next URL.

The whole state of a call rides in the URLs Twilio calls next, so any worker can answer any
step. Nothing about the caller (number, name, place) is ever part of it: the URLs end up in
access logs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import replace

from ivr.core.model import Menus

LANGUAGE_MENU = "language"
"""The language choice: a menu of its own that is not in menus.yaml (a reserved menu id)."""

LANGUAGE_PAGE = LANGUAGE_MENU + "-"
"""The second language menu after a first key ("language-8"); '-' is in no menu id."""

MAX_COUNT = 99
"""Retry counters above this are tampering, not a caller (the limits are far smaller)."""


@dataclass(frozen=True, slots=True)
class CallState:
    """Menu, language, chosen need and region, the way back, retries in this menu, and
    the rounds of silence since the caller last pressed a key (see flow._silent_round)."""

    menu: str = LANGUAGE_MENU
    lang: str | None = None
    need: str | None = None
    region: str | None = None
    back: tuple[str, ...] = ()
    silences: int = 0
    wrong_keys: int = 0
    silent_rounds: int = 0
    """Times max_silences was reached since the last key press: entering a menu keeps it."""
    changed: bool = False
    """The URL's state no longer fits the menus (edited during the call); never encoded."""
    texting: bool = False
    """The caller asked for the read-out by text message and is asked to confirm (issue 14)."""
    texts: int = 0
    """Text messages tried in this call, sent or failed (model.MAX_TEXTS_PER_CALL at most);
    every state of the call carries it, the language menu included."""
    item: int = 0
    """In a read-out: which service its page tells (0 the first; issue 19)."""

    @classmethod
    def start(cls) -> CallState:
        """The start of every call: the language menu."""
        return cls()

    def fresh(self, menu: str = LANGUAGE_MENU, lang: str | None = None) -> CallState:
        """A new start at `menu` in the same call: of this state only what counts for the
        whole call is kept (the texts sent)."""
        return CallState(menu=menu, lang=lang, texts=self.texts)

    def entering(self, menu: str) -> CallState:
        """This state moved to a menu (maybe the same one): the retry counters start again;
        a read-out stays on its page only when it is the same menu."""
        item = self.item if menu == self.menu else 0
        return replace(self, menu=menu, silences=0, wrong_keys=0, texting=False, item=item)


def encode(state: CallState) -> dict[str, str]:
    """The state as query parameters; defaults are left out to keep URLs short."""
    params = {"m": state.menu}
    optional = {"l": state.lang, "n": state.need, "r": state.region}
    params.update({key: value for key, value in optional.items() if value is not None})
    if state.back:
        params["b"] = ".".join(state.back)
    if state.silences:
        params["s"] = str(state.silences)
    if state.wrong_keys:
        params["w"] = str(state.wrong_keys)
    if state.silent_rounds:
        params["q"] = str(state.silent_rounds)
    if state.texting:
        params["t"] = "1"
    if state.texts:
        params["x"] = str(state.texts)
    if state.item:
        params["i"] = str(state.item)
    return params


def decode(params: Mapping[str, str], menus: Menus) -> CallState:
    """The state in these query parameters; anything junk or tampered is the start.

    A state that parses but names a menu, need or region the menus no longer have (an edit
    went live during the call) keeps its language: it becomes the main menu in that
    language, marked `changed` so the caller is told, rather than the language menu, where
    the caller's next key would be read as a language.
    """
    try:
        state = CallState(
            menu=params.get("m") or LANGUAGE_MENU,
            lang=params.get("l") or None,
            need=params.get("n") or None,
            region=params.get("r") or None,
            back=tuple(params.get("b", "").split(".")) if params.get("b") else (),
            silences=_count(params.get("s")),
            wrong_keys=_count(params.get("w")),
            silent_rounds=_count(params.get("q")),
            texting=_flag(params.get("t")),
            texts=_count(params.get("x")),
            item=_count(params.get("i")),
        )
    except ValueError:
        return CallState.start()
    if _valid(state, menus):
        return state
    if state.menu == LANGUAGE_MENU or not _spoken_to_callers(state.lang, menus):
        return state.fresh()
    return replace(state.fresh(menus.call.main_menu, state.lang),
                   silent_rounds=state.silent_rounds, changed=True)


def decode_lang(value: str | None, menus: Menus) -> str | None:
    """A language code from a URL, or None when callers are not offered it (a recorded-only
    language declared before its texts are written has nothing to say)."""
    return value if _spoken_to_callers(value, menus) else None


def _spoken_to_callers(lang: str | None, menus: Menus) -> bool:
    return lang in menus.languages and any(lang == language.code for language in menus.offered())


def _flag(value: str | None) -> bool:
    if value not in (None, "", "1"):
        raise ValueError(value)
    return value == "1"


def _count(value: str | None) -> int:
    if value is None or value == "":
        return 0
    if not value.isascii() or not value.isdigit() or int(value) > MAX_COUNT:
        raise ValueError(value)
    return int(value)


def page_key(menu: str) -> str | None:
    """The first key of the second language menu `menu` is ("language-8" -> "8"), or None."""
    return menu.removeprefix(LANGUAGE_PAGE) if menu.startswith(LANGUAGE_PAGE) else None


def is_language_menu(menu: str) -> bool:
    """The language menu or one of its second pages: no language chosen yet."""
    return menu == LANGUAGE_MENU or page_key(menu) is not None


def _valid(state: CallState, menus: Menus) -> bool:
    if is_language_menu(state.menu):
        first = page_key(state.menu)
        if first is not None and not any(
            len(language.keys) == 2 and language.keys[0] == first for language in menus.offered()
        ):
            return False
        return (state.lang is None and not state.back and state.need is None
                and state.region is None and state.item == 0)
    return (
        state.menu in menus.menus
        and _spoken_to_callers(state.lang, menus)
        and (state.need is None or state.need in menus.needs)
        and (state.region is None or state.region in menus.regions)
        and len(set(state.back)) == len(state.back)
        and all(menu in menus.menus for menu in state.back)
        and (not state.texting or _can_text(state, menus))
        and state.item < _pages(state, menus)
    )


def _pages(state: CallState, menus: Menus) -> int:
    """How many pages the state's menu has: a read-out one per service, any other one."""
    if not menus.menus[state.menu].readout or state.need is None or state.region is None:
        return 1
    return max(1, len(menus.services_for(state.need, state.region)))


def _can_text(state: CallState, menus: Menus) -> bool:
    """Only a read-out with an sms option, its need and region chosen, asks to confirm."""
    menu = menus.menus[state.menu]
    return (menu.readout and state.need is not None and state.region is not None
            and any(option.action == "sms" for option in menu.options))
