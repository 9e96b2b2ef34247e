"""What the schema cannot say: references, keys, reachability, numbers, the directory.

Each check_* takes the clean data from schema.check_shape (bad values already left out, so
anything may be missing) and yields Findings; `check_menus_data` runs them all, with the
checks of the texts themselves from ivr/textchecks.py.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection
from collections.abc import Iterator
from typing import Any

from ivr.core.callstate import LANGUAGE_MENU
from ivr.menus.kinds import present
from ivr.menus.languagechecks import check_language_data
from ivr.menus.numberchecks import check_numbers
from ivr.menus.problems import Finding
from ivr.menus.problems import YamlPath
from ivr.menus.problems import suggest
from ivr.menus.pronunciationchecks import check_pronunciations
from ivr.menus.readoutchecks import check_readouts
from ivr.menus.smschecks import check_sms
from ivr.menus.speechchecks import check_speech
from ivr.menus.textchecks import check_contacts
from ivr.menus.textchecks import check_emergency_number
from ivr.menus.textchecks import check_texts
from ivr.menus.voices import check_voices

Data = dict[str, Any]

STALE_AFTER = datetime.timedelta(days=365)


def _section(m: Data, name: str) -> Data:
    value = m.get(name)
    return value if isinstance(value, dict) else {}


def _reference(value: str, known: Data, what: str, path: YamlPath) -> Iterator[Finding]:
    # An empty `known` means the whole section is missing or broken, already reported once.
    if known and value not in known:
        yield Finding(path, f"no {what} named '{value}'", suggest(value, known))


def check_call(m: Data) -> Iterator[Finding]:
    """Settings name real menus and languages; global keys are distinct; no 112 forwarding."""
    call, languages = _section(m, "call"), _section(m, "languages")
    if "main_menu" in call:
        yield from _reference(call["main_menu"], _section(m, "menus"), "menu",
                              ("call", "main_menu"))
    for name in ("default_language", "agent_language"):
        if name in call:
            yield from _reference(call[name], languages, "language", ("call", name))
    if call.get("emergency_forwarding"):
        yield Finding(("call", "emergency_forwarding"), "callers will be put through to the "
                      "emergency number", "Twilio does not route 112 in Finland; keep this "
                      "false unless your carrier does", severity="warning")
    seen: dict[str, str] = {}
    for name, key in (call.get("keys") or {}).items():
        if key in seen:
            yield Finding(("call", "keys", name), f"key '{key}' is already the {seen[key]} key",
                          "give each global key its own key")
        seen.setdefault(key, name)


def global_keys(m: Data) -> dict[str, str]:
    """Global key -> its name ('0' -> 'info_line')."""
    keys = _section(m, "call").get("keys") or {}
    return {key: name for name, key in reversed(list(keys.items()))}


def check_languages(m: Data) -> Iterator[Finding]:
    """Each language has its own key, and no language key is a global key."""
    taken = global_keys(m)
    seen: dict[str, str] = {}
    for code, language in _section(m, "languages").items():
        key = (language or {}).get("key")
        if key is None:
            continue
        path = ("languages", code, "key")
        if key in taken:
            yield Finding(path, f"key '{key}' is the global {taken[key]} key",
                          "choose a key that is not in call.keys")
        elif key in seen:
            yield Finding(path, f"key '{key}' is already the key for '{seen[key]}'",
                          "give each language its own key")
        seen.setdefault(key, code)


def _options(menu: Data | None) -> list[tuple[int, Data]]:
    return [(i, o) for i, o in enumerate((menu or {}).get("options") or []) if o is not None]


def check_options(m: Data) -> Iterator[Finding]:
    """Options have one key each, not a global one, one of goto/action, and real targets."""
    menus, taken = _section(m, "menus"), global_keys(m)
    for menu_id, menu in menus.items():
        seen: dict[str, int] = {}
        for index, option in _options(menu):
            path = ("menus", menu_id, "options", index)
            key = option.get("key")
            if key in taken:
                yield Finding(path + ("key",), f"key '{key}' is the global {taken[key]} key",
                              "it works in every menu; choose another key for this option")
            elif key in seen:
                yield Finding(path + ("key",), f"two options on key '{key}' (the other is "
                              f"options[{seen[key]}])", "give each option its own key")
            if key is not None:
                seen.setdefault(key, index)
            yield from _check_option(m, option, path)


def _check_option(m: Data, option: Data, path: YamlPath) -> Iterator[Finding]:
    if present(option, "goto") and present(option, "action"):
        yield Finding(path, "has both goto and action", "keep one: a key either leads to a "
                      "menu or does an action")
    elif not present(option, "goto") and not present(option, "action"):
        yield Finding(path, "has neither goto nor action", "add goto: <menu id> or action: "
                      "repeat, info_line or emergency")
    for name, section, what in (("goto", "menus", "menu"), ("need", "needs", "need"),
                                ("region", "regions", "region")):
        if name in option:
            yield from _reference(option[name], _section(m, section), what, path + (name,))
    if not any(present(option, name) for name in ("label", "need", "region")):
        yield Finding(path, "has no label", "add label: (in each language), or need: or region:")


def _targets(menu: Data | None) -> set[str]:
    return {o["goto"] for _, o in _options(menu) if "goto" in o}


def check_menus(m: Data) -> Iterator[Finding]:
    """Every menu can be reached from the main menu and has a way out."""
    menus = _section(m, "menus")
    start = _section(m, "call").get("main_menu")
    reached, todo = set(), [start] if start in menus else []
    while todo:
        menu_id = todo.pop()
        if menu_id not in reached:
            reached.add(menu_id)
            todo += [t for t in _targets(menus[menu_id]) if t in menus]
    for menu_id, menu in menus.items():
        if start in menus and menu_id not in reached:
            yield Finding(("menus", menu_id), "no caller can reach this menu",
                          f"add an option with goto: {menu_id}, or remove the menu", at_key=True)
        if menu is not None and not _options(menu):
            yield Finding(("menus", menu_id), "has no options", "add options: a caller here "
                          "would only have the global keys", at_key=True)
        elif menu is not None and not _way_out(menu_id, menu):
            yield Finding(("menus", menu_id), "no way out: every option leads back here",
                          "add an option that goes to another menu", at_key=True)


def _way_out(menu_id: str, menu: Data) -> bool:
    for _, option in _options(menu):
        if option.get("action") in ("info_line", "emergency"):
            return True
        if option.get("goto") not in (None, menu_id):
            return True
    return False


def check_services(m: Data, today: datetime.date,
                   seeds: Collection[str] | None = None) -> Iterator[Finding]:
    """Services have unique ids, real needs and regions, a real source, a recent check.

    `seeds` names the files of the seeds/ folder next to the menus file; None (no such
    folder, or a caller that does not know) leaves `source` unchecked.
    """
    needs, regions = _section(m, "needs"), _section(m, "regions")
    ids: dict[str, int] = {}
    for index, service in enumerate(m.get("services") or []):
        if service is None:
            continue
        path = ("services", index)
        if service.get("id") in ids:
            yield Finding(path + ("id",), f"id '{service['id']}' is already used by "
                          f"services[{ids[service['id']]}]", "give each service its own id")
        ids.setdefault(service.get("id"), index)
        for name, known, what in (("needs", needs, "need"), ("regions", regions, "region")):
            if name in service and not [v for v in service[name] if v is not None]:
                yield Finding(path + (name,), f"no {what}", f"list at least one {what}: "
                              + ", ".join(known))
            for i, value in enumerate(service.get(name) or []):
                if value is not None:
                    yield from _reference(value, known, what, path + (name, i))
        source = service.get("source")
        if seeds is not None and source is not None and source not in seeds:
            hint = suggest(source, seeds) or "the seed files are: " + (", ".join(seeds) or "none")
            yield Finding(path + ("source",), f"no seed file named '{source}'", hint)
        yield from _check_checked(service.get("checked"), today, path + ("checked",))


def _check_checked(checked: datetime.date | None, today: datetime.date,
                   path: YamlPath) -> Iterator[Finding]:
    if checked is None:
        return
    if checked > today:
        yield Finding(path, f"{checked.isoformat()} is in the future", "write the date the "
                      "entry was checked", severity="warning")
    elif today - checked > STALE_AFTER:
        yield Finding(path, f"last checked {checked.isoformat()}, more than a year ago",
                      "check the entry against its source and update the date",
                      severity="warning")


def check_coverage(m: Data) -> Iterator[Finding]:
    """Every need a menu offers has a service in every region a menu offers (issue 8 item 12).

    A caller who picks such a need hears "This is where you can get help." and then no
    service at all, so that is an error; a need no menu offers only warrants a warning.
    """
    services = [s for s in m.get("services") or [] if s is not None]
    regions = _section(m, "regions")
    nationwide = {r for r, d in regions.items() if (d or {}).get("nationwide")}
    options = [o for menu in _section(m, "menus").values() for _, o in _options(menu)]
    offered = [o["region"] for o in options if o.get("region") in regions]
    chosen = {o.get("need") for o in options}
    for need in _section(m, "needs"):
        severity = "error" if need in chosen else "warning"
        helpers = [s for s in services if need in s.get("needs", ())]
        if not helpers:
            heard = ", and callers who choose it hear none" if need in chosen else ""
            fix = ", or remove the option that offers it" if need in chosen else ""
            yield Finding(("needs", need), f"no service helps with this need{heard}",
                          f"add it to a service's needs{fix}", severity=severity, at_key=True)
            continue
        for region in dict.fromkeys(offered):
            if need in chosen and not any(({region} | nationwide) & set(s.get("regions", ()))
                                          for s in helpers):
                yield Finding(("needs", need), f"callers in '{region}' hear no service for "
                              "this need", "add a service for it there or nationwide",
                              at_key=True)


# Ids travel in the call's URLs (the back-stack joins menu ids with dots) and name files.
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")
RESERVED_MENU_IDS = (LANGUAGE_MENU,)
"""The language choice is a menu of its own, built from `languages`."""


def check_ids(m: Data) -> Iterator[Finding]:
    """Ids are plain lower-case names, and no menu takes the language menu's name."""
    for section in ("menus", "needs", "regions"):
        for name in _section(m, section):
            if not _ID.match(str(name)):
                yield Finding((section, name), "is not a valid id", "use lower-case letters, "
                              "digits and _ only, starting with a letter", at_key=True)
    for code in _section(m, "languages"):
        if not _LANGUAGE_CODE.match(str(code)):
            yield Finding(("languages", code), "is not a language code",
                          "use a code like fi, sv, en or pt-BR", at_key=True)
    for name in RESERVED_MENU_IDS:
        if name in _section(m, "menus"):
            yield Finding(("menus", name), f"the name '{name}' is reserved for the language "
                          "menu", "rename this menu", at_key=True)


def check_menus_data(m: Data, today: datetime.date,
                     seeds: Collection[str] | None = None) -> list[Finding]:
    """Every meaning problem in clean menus data.

    `seeds`: the seed files next to the menus file, names mapped to their texts (a bare
    collection of names checks sources only); None when there is no seeds/ folder.
    """
    return [
        *check_ids(m),
        *check_languages(m),
        *check_voices(m),
        *check_speech(m),
        *check_numbers(m, seeds),
        *check_call(m),
        *check_texts(m),
        *check_emergency_number(m),
        *check_options(m),
        *check_readouts(m),
        *check_sms(m),
        *check_menus(m),
        *check_services(m, today, seeds),
        *check_contacts(m),
        *check_pronunciations(m),
        *check_coverage(m),
        *check_language_data(m),
    ]
