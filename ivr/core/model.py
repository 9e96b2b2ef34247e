"""The validated menus as immutable values: what every other layer reads."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from functools import cached_property
from types import MappingProxyType

Texts = Mapping[str, str]
"""One text in every language: language code -> text."""

GLOBAL_KEYS = ("repeat", "back", "info_line", "emergency")
OPTION_ACTIONS = ("repeat", "info_line", "emergency", "sms", "next")
"""What an option can do instead of a goto: the schema's choices, each handled in flow.py."""
SMS_CONFIRM_KEY = "1"
"""The key that confirms a text message after its warning; any other key cancels it."""
MAX_TEXTS_PER_CALL = 3
"""Text messages one call can send: enough for the contacts of three needs, and a bound on
what a caller who keeps confirming costs the helpline (its Twilio account pays each)."""
SMS_TEXTS = ("sms_warning", "sms_confirm", "sms_sent", "sms_failed", "sms_cancelled")
"""The texts an `action: sms` option needs (issue 14); optional without one."""
PARTIAL_TEXTS = ("language_other", "whisper_no_language")
"""Texts written only in some languages: said in those (see docs/menus.md)."""
WORD_IDS = ("dot", "at", "dash", "star", "hash")
"""The words each spoken language gives for reading addresses and keys."""


def frozen(mapping: Mapping[str, object]) -> Mapping[str, object]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class SpeechInput:
    """Spoken answers in one language (issue 14): off unless menus.yaml sets them."""

    language: str
    """Twilio's recognition code for <Gather language>, e.g. fi-FI."""
    info_line: tuple[str, ...]
    """Words or phrases that work like the info line key ('help')."""
    emergency: tuple[str, ...]
    """Words or phrases that work like the emergency key."""
    numbers: tuple[str, ...] = ()
    """The words for the keys 0 to 9, in order ('yksi' is key 1); empty: digits only."""
    repeat: tuple[str, ...] = ()
    """Words or phrases that work like the repeat key ('again'); none: the key only."""


@dataclass(frozen=True)
class Language:
    code: str
    key: str
    """The key path that chooses it: one key ("4") or two ("8 1": 8, then 1)."""
    name: str
    gtts_lang: str | None
    gtts_tld: str | None
    twilio_language: str | None
    twilio_voice: str | None
    espeak_voice: str | None
    words: Mapping[str, str]
    agent_name: str = ""
    """The language's name in the agent's language (the whisper); falls back to `name`."""
    translated_from: str | None = None
    """The language its texts were translated from (None: written from the seeds)."""
    greets: bool = True
    """Says the 112 notice first, and what is said before a language is chosen."""

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(self.key.split())

    @property
    def spoken(self) -> bool:
        """Whether a speech engine speaks it; if not, only human recordings do (issue 10)."""
        return self.twilio_voice is not None
    speech: SpeechInput | None = None
    """Menus in this language also listen for speech; None: keys only (the default)."""


@dataclass(frozen=True)
class Numbers:
    info_line: str
    emergency: str


@dataclass(frozen=True)
class Keys:
    repeat: str
    back: str
    info_line: str
    emergency: str

    def as_dict(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in GLOBAL_KEYS}


@dataclass(frozen=True)
class CallSettings:
    main_menu: str
    default_language: str
    agent_language: str
    timeout: int
    max_silences: int
    max_wrong_keys: int
    dial_timeout: int
    emergency_forwarding: bool
    keys: Keys
    max_silent_rounds: int = 2
    """Rounds of max_silences with no key pressed before a silent call is ended."""


@dataclass(frozen=True)
class Region:
    id: str
    name: Texts
    nationwide: bool


@dataclass(frozen=True)
class Contact:
    phone: str | None = None
    email: str | None = None
    web: str | None = None
    web_by_language: Mapping[str, str] = field(default_factory=dict)
    """The web address in a language whose own seed gives another one (sv: the Swedish seed's
    www.manniskohandel.fi); the other languages hear `web`."""

    def web_in(self, lang: str) -> str | None:
        """The web address callers of `lang` hear."""
        return self.web_by_language.get(lang, self.web)


@dataclass(frozen=True)
class Service:
    id: str
    name: Texts
    offers: Texts
    needs: tuple[str, ...]
    regions: tuple[str, ...]
    contact: Contact
    source: str
    checked: datetime.date


@dataclass(frozen=True)
class Option:
    key: str
    label: Texts | None = None
    goto: str | None = None
    need: str | None = None
    region: str | None = None
    action: str | None = None


@dataclass(frozen=True)
class Menu:
    id: str
    say: Texts | None
    options: tuple[Option, ...]
    readout: bool = False

    def option(self, key: str) -> Option | None:
        for option in self.options:
            if option.key == key:
                return option
        return None


@dataclass(frozen=True)
class Menus:
    languages: Mapping[str, Language]
    numbers: Numbers
    call: CallSettings
    texts: Mapping[str, Texts]
    needs: Mapping[str, Texts]
    regions: Mapping[str, Region]
    services: tuple[Service, ...]
    menus: Mapping[str, Menu]
    version: str
    """Short content hash of the file the menus came from."""
    lines: Mapping[str, str] = field(default_factory=dict)
    """numbers.lines: a dialled number (Twilio's To) -> the language its callers hear first."""
    recorded: frozenset[str] = frozenset()
    """Recorded-only languages with every sentence recorded (set by the menu store)."""
    pronunciations: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Per language: a written form -> how that language's voice says it (issue 21). Only
    what is spoken changes; the text message and every display keep the written form."""
    memo: dict[tuple[object, ...], object] = field(
        default_factory=dict, init=False, repr=False, compare=False)
    """What ivr.core.script worked out from these menus (a menu's sentences), kept: the
    same menus answer thousands of steps. Not an init field, so dataclasses.replace (a
    version without the sms option, with more recordings) starts with an empty one."""

    def offered(self) -> tuple[Language, ...]:
        """The languages callers can choose, in key order: spoken ones whose texts are all
        written, and fully recorded ones."""
        return self._offered

    @cached_property
    def _offered(self) -> tuple[Language, ...]:
        # Once per Menus: every step asks, and complete() reads every text.
        languages = self.languages.values()
        chosen = [lang for lang in languages
                  if (lang.spoken and self.complete(lang.code)) or lang.code in self.recorded]
        return tuple(sorted(chosen, key=lambda language: language.keys))

    def greeting(self) -> tuple[str, ...]:
        """The languages said before a language is chosen (the 112 notice first)."""
        return tuple(lang.code for lang in self.offered() if lang.greets)

    def offers_sms(self) -> bool:
        """Some read-out has an `action: sms` option."""
        return any(o.action == "sms" for m in self.menus.values() for o in m.options)

    def without_sms(self) -> Menus:
        """These menus with no `action: sms` option: where no text message can be sent."""
        menus = {
            menu_id: replace(menu, options=tuple(o for o in menu.options if o.action != "sms"))
            for menu_id, menu in self.menus.items()
        }
        return replace(self, menus=frozen(menus))  # type: ignore[arg-type]

    def language_by_key(self, key: str) -> Language | None:
        """The offered language whose whole key path this is ("4", or "8 1")."""
        for language in self.offered():
            if language.key == key:
                return language
        return None

    def complete(self, lang: str) -> bool:
        """Whether every text a caller can hear is written in `lang` (a recorded-only
        language may be declared before its texts are)."""
        needed = [t for i, t in self.texts.items() if i not in PARTIAL_TEXTS]
        needed += [*self.needs.values(), *(r.name for r in self.regions.values())]
        needed += [t for s in self.services for t in (s.name, s.offers)]
        for menu in self.menus.values():
            needed += [menu.say] if menu.say else []
            needed += [o.label for o in menu.options if o.label]
        words = self.languages[lang].words
        return all(lang in t for t in needed) and all(w in words for w in WORD_IDS)

    def services_for(self, need: str, region: str) -> tuple[Service, ...]:
        """Services for a need in a region: the region's own first, then nationwide ones."""
        key = ("services_for", need, region)
        found = self.memo.get(key)
        if found is None:
            found = self.memo[key] = self._services_for(need, region)
        return found  # type: ignore[return-value]

    def _services_for(self, need: str, region: str) -> tuple[Service, ...]:
        nationwide = {r.id for r in self.regions.values() if r.nationwide}
        local = [s for s in self.services if need in s.needs and region in s.regions]
        wide = [
            s
            for s in self.services
            if need in s.needs and s not in local and nationwide.intersection(s.regions)
        ]
        return tuple(local + wide)
