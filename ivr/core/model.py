"""The validated menus as immutable values: what every other layer reads."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

Texts = Mapping[str, str]
"""One text in every language: language code -> text."""

GLOBAL_KEYS = ("repeat", "back", "info_line", "emergency")
OPTION_ACTIONS = ("repeat", "info_line", "emergency")
"""What an option can do instead of a goto: the schema's choices, each handled in flow.py."""


def frozen(mapping: Mapping[str, object]) -> Mapping[str, object]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Language:
    code: str
    key: str
    name: str
    gtts_lang: str
    gtts_tld: str
    twilio_language: str
    twilio_voice: str
    espeak_voice: str
    words: Mapping[str, str]
    agent_name: str = ""
    """The language's name in the agent's language (the whisper); falls back to `name`."""


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

    def language_by_key(self, key: str) -> Language | None:
        for language in self.languages.values():
            if language.key == key:
                return language
        return None

    def services_for(self, need: str, region: str) -> tuple[Service, ...]:
        """Services for a need in a region: the region's own first, then nationwide ones."""
        nationwide = {r.id for r in self.regions.values() if r.nationwide}
        local = [s for s in self.services if need in s.needs and region in s.regions]
        wide = [
            s
            for s in self.services
            if need in s.needs and s not in local and nationwide.intersection(s.regions)
        ]
        return tuple(local + wide)
