"""Flows coverage: which parts of the menus the scenarios' calls reached, and which not.

Items, each counted once:
- menus and options (menu.key) in each language; the language menu and its keys once;
- needs x regions (script.told_pairs: a need in a region wherever the region changes its
  services) and services, heard in a read-out, in each language;
- each global key (repeat, back, info line, emergency) in every menu, in any language;
- silence and wrong keys up to their limit in every menu (the caller is put through);
- every transfer outcome (completed, busy, no-answer, failed).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field

from ivr.core import script
from ivr.core.callstate import LANGUAGE_MENU
from ivr.core.callstate import LANGUAGE_PAGE
from ivr.core.callstate import is_language_menu
from ivr.core.callstate import page_key
from ivr.core.model import GLOBAL_KEYS
from ivr.core.model import Menus
from ivr.core.model import Option
from ivr.core.phone import TRANSFER_OUTCOMES as OUTCOMES
from ivr.qa.flowgen import free_language_key
from ivr.qa.transcript import Event
from ivr.qa.transcript import Transcript

KINDS = ("menus", "options", "needs x regions", "services", "global keys", "silence limit",
         "wrong key limit", "transfer outcomes")


@dataclass
class Coverage:
    """Every item per kind, and the ones reached."""

    items: dict[str, list[str]]
    reached: dict[str, set[str]] = field(default_factory=dict)

    def missing(self, kind: str) -> list[str]:
        return [item for item in self.items[kind] if item not in self.reached.get(kind, set())]

    @property
    def total(self) -> int:
        return sum(len(items) for items in self.items.values())

    @property
    def covered(self) -> int:
        return self.total - sum(len(self.missing(kind)) for kind in self.items)

    @property
    def percent(self) -> float:
        return 100.0 * self.covered / self.total if self.total else 100.0


def all_items(menus: Menus) -> dict[str, list[str]]:
    """Every coverage item of these menus, by kind."""
    langs = [language.code for language in menus.offered()]
    pages = [LANGUAGE_MENU] + [LANGUAGE_PAGE + key for key in script.language_pages(menus)]
    menu_ids = [*pages, *menus.menus]
    pairs = script.told_pairs(menus)
    offered = {s.id for n, r in pairs for s in menus.services_for(n, r)}
    return {
        "menus": pages + [f"{lang}:{m}" for lang in langs for m in menus.menus],
        "options": [f"{LANGUAGE_MENU}.{language.key}" for language in menus.offered()]
        + [f"{lang}:{m.id}.{o.key}" for lang in langs for m in menus.menus.values()
           for o in m.options],
        "needs x regions": [f"{lang}:{n} x {r}" for lang in langs for n, r in pairs],
        "services": [f"{lang}:{s.id}" for lang in langs for s in menus.services if s.id in offered],
        "global keys": [f"{m}:{name}" for m in menu_ids for name in GLOBAL_KEYS],
        "silence limit": list(menu_ids),
        # Every key of a full language menu chooses something: no wrong key to press there.
        "wrong key limit": [m for m in menu_ids if not is_language_menu(m)
                            or free_language_key(menus, page_key(m)) is not None],
        "transfer outcomes": list(OUTCOMES),
    }


def measure(menus: Menus, transcripts: Iterable[Transcript]) -> Coverage:
    """What these calls reached of the menus."""
    coverage = Coverage(all_items(menus), {kind: set() for kind in KINDS})
    readouts = _readout_texts(menus)
    for transcript in transcripts:
        _Walk(menus, coverage.reached, readouts).run(transcript.events)
    return coverage


def _readout_texts(menus: Menus) -> dict[str, list[tuple[str, str]]]:
    """Per language: (item, text that proves it was heard) for services (the needs and
    regions of a read-out are known from the options pressed on the way)."""
    texts: dict[str, list[tuple[str, str]]] = {}
    for lang in [language.code for language in menus.offered()]:
        found = []
        for service in menus.services:
            name = script.service_lines(menus, service, lang)[0]
            found.append((f"services|{lang}:{service.id}", name.text))
        texts[lang] = found
    return texts


class _Walk:
    """One call's events, in order, counting what they reached."""

    def __init__(self, menus: Menus, reached: dict[str, set[str]],
                 readouts: dict[str, list[tuple[str, str]]]) -> None:
        self.menus = menus
        self.reached = reached
        self.readouts = readouts
        self.lang: str | None = None
        self.heard: list[Event] = []
        self.menu = ""
        self.silences = 0
        self.wrong_keys = 0
        self.need: str | None = None
        self.region: str | None = None
        """The need and region the options pressed so far chose (as the engine keeps them)."""

    def run(self, events: list[Event]) -> None:
        for event in events:
            if event.kind == "heard":
                self.heard.append(event)
                continue
            self._segment()
            if event.kind in ("pressed", "silence"):
                self._input(event)
            elif event.kind == "transfer" and event.outcome:
                self.reached["transfer outcomes"].add(event.outcome)
        self._segment()

    def _segment(self) -> None:
        """What was heard since the last input: menus, and read-outs in their language."""
        for event in self.heard:
            if is_language_menu(event.menu):
                self.reached["menus"].add(event.menu)
                self.lang = None
            elif event.lang in self.menus.languages and event.menu in self.menus.menus:
                self.lang = event.lang
                self.reached["menus"].add(f"{event.lang}:{event.menu}")
                menu = self.menus.menus[event.menu]
                if menu.readout and self.need and self.region:
                    self.reached["needs x regions"].add(
                        f"{event.lang}:{self.need} x {self.region}")
        if self.lang is not None:
            text = " ".join(e.text or "" for e in self.heard if e.lang == self.lang)
            for item, proof in self.readouts[self.lang]:
                if proof in text:
                    kind, name = item.split("|")
                    self.reached[kind].add(name)
        self.heard = []

    def _input(self, event: Event) -> None:
        if event.menu != self.menu:
            self.menu, self.silences, self.wrong_keys = event.menu, 0, 0
        if event.kind == "silence":
            self.silences += 1
            if self.silences >= self._silence_limit():
                self.reached["silence limit"].add(self.menu)
            return
        self._key((event.keys or " ")[0])

    def _key(self, key: str) -> None:
        menu = self.menus.menus.get(self.menu)
        globals_ = {k: name for name, k in self.menus.call.keys.as_dict().items()}
        first = page_key(self.menu)
        path = key if first is None else f"{first} {key}"
        if is_language_menu(self.menu) and self.menus.language_by_key(path) is not None:
            self.reached["options"].add(f"{LANGUAGE_MENU}.{path}")
        elif self.menu == LANGUAGE_MENU and key in script.language_pages(self.menus):
            pass  # opens the second language menu, counted when it is heard
        elif menu is not None and menu.option(key) is not None and self.lang is not None:
            self.reached["options"].add(f"{self.lang}:{self.menu}.{key}")
            self._chose(menu.option(key))
        elif key in globals_:
            self.reached["global keys"].add(f"{self.menu}:{globals_[key]}")
        else:
            self._wrong_key()
            return
        # Only failures in a row count towards a limit.
        self.silences = self.wrong_keys = 0

    def _chose(self, option: Option | None) -> None:
        if option is None:
            return
        if option.need:
            self.need, self.region = option.need, None
        if option.region:
            self.region = option.region
        elif option.need and option.goto and self.menus.menus[option.goto].readout:
            self.region = None

    def _silence_limit(self) -> int:
        # The language menu puts a silent caller through at once (flow.next_turn).
        if is_language_menu(self.menu) and "language_other" in self.menus.texts:
            return 1
        return self.menus.call.max_silences

    def _wrong_key(self) -> None:
        self.wrong_keys += 1
        if self.wrong_keys >= self.menus.call.max_wrong_keys:
            self.reached["wrong key limit"].add(self.menu)


def render_coverage(coverage: Coverage, show: int = 20) -> str:
    """Per kind: reached/total and what no scenario reached (the first `show` of them)."""
    lines = [f"flows coverage: {coverage.covered}/{coverage.total} ({coverage.percent:.1f} %)"]
    for kind, items in coverage.items.items():
        missing = coverage.missing(kind)
        lines.append(f"  {kind:<18} {len(items) - len(missing)}/{len(items)}")
        if missing:
            more = f" (and {len(missing) - show} more)" if len(missing) > show else ""
            lines.append(f"    not reached: {', '.join(missing[:show])}{more}")
    return "\n".join(lines)


def coverage_json(coverage: Coverage) -> dict[str, object]:
    """Coverage as JSON-ready data: percent, and per kind total, reached and missing."""
    return {
        "percent": round(coverage.percent, 2),
        "covered": coverage.covered,
        "total": coverage.total,
        "kinds": {
            kind: {"total": len(items), "missing": coverage.missing(kind)}
            for kind, items in coverage.items.items()
        },
    }
