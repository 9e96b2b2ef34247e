"""The numbers a call dials or reads out: valid, in international form, and, for the 24/7
info line, the one the seed documents and the assistance system's own entry give.

A mistyped info line is still a valid Finnish number (Finnish numbers vary in length), so
only the seeds can tell a dropped, added, changed or swapped digit (issue 8 item 9).

A service may give a short number callers dial in Finland, such as the EU's harmonised
116 006 (victims of crime), 116 111 and 116 123 (issue 23 item 8): written as dialled,
116006, since it has no international form. The info line stays a full number: the
webhook puts callers through to it from Twilio, which dials in E.164.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection
from collections.abc import Iterator
from typing import Any

import phonenumbers
from phonenumbers import shortnumberinfo

from ivr.menus.problems import Finding
from ivr.menus.problems import YamlPath
from ivr.menus.problems import format_path
from ivr.menus.seeds import published_numbers

Data = dict[str, Any]

ASSISTANCE_SYSTEM = "assistance_system"
"""The id of the directory entry whose phone is the info line itself."""
INFO_LINE: YamlPath = ("numbers", "info_line")


def _e164(number: object) -> str | None:
    """The number if it is a valid one written in E.164 form (check_numbers says the rest)."""
    try:
        parsed = phonenumbers.parse(str(number), "FI")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return e164 if e164 == number else None


def _e164_problem(number: str, short_ok: bool = False) -> tuple[str, str | None] | None:
    try:
        parsed = phonenumbers.parse(number, "FI")
    except phonenumbers.NumberParseException:
        return f"'{number}' is not a phone number", "write it in international form, e.g. +358..."
    if short_ok and _short_in_finland(parsed):
        dialled = phonenumbers.national_significant_number(parsed)
        if number != dialled:
            return (f"'{number}' is a short number in Finland",
                    f"write it as dialled, with no country code or spaces: {dialled}")
        return None
    if not phonenumbers.is_valid_number(parsed):
        return f"'{number}' is not a valid phone number", "check the digits"
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    if number != e164:
        return f"'{number}' is not in international form", f"write {e164}"
    return None


def _short_in_finland(parsed: phonenumbers.PhoneNumber) -> bool:
    """116 006 and the like: a short number dialled in Finland, not an emergency number."""
    dialled = phonenumbers.national_significant_number(parsed)
    return (parsed.country_code == phonenumbers.country_code_for_region("FI")
            and shortnumberinfo.is_valid_short_number_for_region(parsed, "FI")
            and not shortnumberinfo.is_emergency_number(dialled, "FI"))


def check_numbers(m: Data, seeds: Collection[str] | None = None) -> Iterator[Finding]:
    """The info line and every service phone are valid; the emergency number is one in FI."""
    section = m.get("numbers")
    numbers: Data = section if isinstance(section, dict) else {}
    phones: list[tuple[YamlPath, str | None]] = [(INFO_LINE, numbers.get("info_line"))]
    for index, service in enumerate(m.get("services") or []):
        contact = (service or {}).get("contact") or {}
        phones.append((("services", index, "contact", "phone"), contact.get("phone")))
    for path, number in phones:
        problem = _e164_problem(number, short_ok=path != INFO_LINE) if number else None
        if problem:
            yield Finding(path, *problem)
    emergency = numbers.get("emergency")
    if emergency and not phonenumbers.is_emergency_number(emergency, "FI"):
        yield Finding(("numbers", "emergency"), f"'{emergency}' is not an emergency number "
                      "in Finland", "the emergency number in Finland is 112")
    yield from check_info_line(m, seeds)


def _assistance_phone(m: Data) -> tuple[YamlPath, str] | None:
    for index, service in enumerate(m.get("services") or []):
        if (service or {}).get("id") == ASSISTANCE_SYSTEM:
            phone = _e164(((service or {}).get("contact") or {}).get("phone"))
            return (("services", index, "contact", "phone"), phone) if phone else None
    return None


def check_info_line(m: Data, seeds: Collection[str] | None) -> Iterator[Finding]:
    """The info line is a number the seeds give and the assistance system's own number."""
    info = _e164((m.get("numbers") or {}).get("info_line"))
    if info is None:
        return  # check_numbers has said what is wrong with it
    directory = _assistance_phone(m)
    published = published_numbers(seeds)
    ours = [(INFO_LINE, info)] + ([directory] if directory else [])
    unpublished = [(path, number) for path, number in ours
                   if published and number not in published]
    for path, number in unpublished:
        e164, (file, written) = _closest(number, published)
        slip = _slip(number, e164)
        what = "info line" if path == INFO_LINE else "assistance system's phone"
        yield Finding(path, f"'{number}' is not the {what} the seed documents give"
                      + (f": {slip}" if slip else ""),
                      f"write {e164}, which {file} writes '{written}'")
    if directory and not unpublished and directory[1] != info:
        slip = _slip(info, directory[1])
        yield Finding(INFO_LINE, f"'{info}' is not the assistance system's own number "
                      f"{directory[1]}" + (f": {slip}" if slip else ""), "the info line is the "
                      f"assistance system's: make it and {format_path(directory[0])} the same, "
                      "as the seed documents give it")


def _closest(number: str, published: dict[str, tuple[str, str]]) -> tuple[str, tuple[str, str]]:
    def likeness(e164: str) -> float:
        return difflib.SequenceMatcher(None, number, e164).ratio()

    best = max(published, key=likeness)
    return best, published[best]


def _slip(typed: str, right: str) -> str | None:
    """How a typed number differs from the right one, when it is one typing slip."""
    if len(typed) == len(right) - 1:
        return "a digit is missing" if _one_deleted(right, typed) else None
    if len(typed) == len(right) + 1:
        return "one digit too many" if _one_deleted(typed, right) else None
    if len(typed) != len(right):
        return None
    diff = [i for i, (a, b) in enumerate(zip(typed, right, strict=True)) if a != b]
    if len(diff) == 1:
        return "one digit differs"
    if not diff:
        return None
    i = diff[0]
    if len(diff) == 2 and diff[1] == i + 1 and typed[i:i + 2] == right[i + 1] + right[i]:
        return "two digits swapped"
    return None


def _one_deleted(longer: str, shorter: str) -> bool:
    return any(longer[:i] + longer[i + 1:] == shorter for i in range(len(longer)))
