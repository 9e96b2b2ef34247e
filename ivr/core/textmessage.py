"""The text message a caller may ask for after a read-out (issue 14): the services just read
out, in the caller's language, in at most two SMS segments.

Two segments of a concatenated message hold 2 x 153 GSM-7 characters, or 2 x 67 UCS-2 code
units when any character is outside GSM-7 (3GPP TS 23.038; Twilio splits the same way). A
service that does not fit whole is left out rather than cut, so no number arrives broken.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import shortnumberinfo

from ivr.core.model import Menus
from ivr.core.model import Service

# GSM 03.38 default alphabet, and the extension table whose characters take two septets.
GSM7 = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = "^{}\\[~]|€\f"
_SCHEME = re.compile(r"^https?://", re.IGNORECASE)
"""Left out of web addresses: phones make links of them without it, and it costs room."""
SEGMENTS = 2
GSM7_PER_SEGMENT = 153
UCS2_PER_SEGMENT = 67


def gsm7_length(text: str) -> int | None:
    """Septets the text takes in GSM-7, or None if it needs UCS-2."""
    total = 0
    for char in text:
        if char in GSM7:
            total += 1
        elif char in GSM7_EXTENDED:
            total += 2
        else:
            return None
    return total


def fits(text: str, segments: int = SEGMENTS) -> bool:
    """The text goes in at most `segments` SMS segments of its alphabet."""
    septets = gsm7_length(text)
    if septets is not None:
        return septets <= (160 if segments == 1 else segments * GSM7_PER_SEGMENT)
    units = len(text.encode("utf-16-le")) // 2  # characters beyond the BMP take two
    return units <= (70 if segments == 1 else segments * UCS2_PER_SEGMENT)


def _written_phone(number: str) -> str:
    parsed = phonenumbers.parse(number, "FI")
    short = shortnumberinfo.is_valid_short_number_for_region(parsed, "FI")
    if short and not phonenumbers.is_valid_number(parsed):
        return number  # a short number (116 006) is written as it is dialled
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def service_entry(service: Service, lang: str) -> list[str]:
    """A service as written in the message, longest first: with all contacts, phone only."""
    contact = service.contact
    address = contact.web_in(lang)  # the Swedish seed gives its own address, for instance
    web = _SCHEME.sub("", address).rstrip("/") if address else None
    full = [c for c in (contact.phone and _written_phone(contact.phone), web, contact.email) if c]
    name = service.name[lang]
    entries = [f"{name}: {', '.join(full)}" if full else name]
    if contact.phone and len(full) > 1:
        entries.append(f"{name}: {_written_phone(contact.phone)}")
    return entries


def message(menus: Menus, lang: str, need: str, region: str) -> str:
    """The message for the read-out of `need` in `region`, within two segments.

    Only names and contacts: no topic and no word of the helpline, because whoever picks
    up the phone later reads it too (the caller was told so before confirming).
    """
    lines: list[str] = []
    for service in menus.services_for(need, region):
        for entry in service_entry(service, lang):
            if fits("\n".join([*lines, entry])):
                lines.append(entry)
                break
    return "\n".join(lines)
