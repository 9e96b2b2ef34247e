"""Checks of the pronunciation lists (issue 21): a list for each language the file has, and
each entry's written form found in something a caller of that language hears.

An entry that matches nothing is a warning, not an error: the list still works, but a name
spelt differently from the text ('Rikosuhripaivystys'), or a web address written with its
www., is never said the way the operator meant.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import phonenumbers

from ivr.core.speech import mentions
from ivr.core.speech import read_web
from ivr.core.speech import spoken_email
from ivr.core.speech import spoken_phone
from ivr.core.speech import spoken_web
from ivr.menus.kinds import Texts
from ivr.menus.problems import Finding
from ivr.menus.problems import suggest
from ivr.menus.schema import MENUS
from ivr.menus.schema import walk

Data = dict[str, Any]
_TOKEN = re.compile(r"\w[\w.@-]*\w|\w")


def check_pronunciations(m: Data) -> Iterator[Finding]:
    """Every list is for a known language; every entry's written form is heard in it."""
    section = m.get("languages")
    languages: Data = section if isinstance(section, dict) else {}
    for code, entries in (m.get("pronunciations") or {}).items():
        if code not in languages:
            hint = suggest(str(code), languages) or "languages are: " + ", ".join(languages)
            yield Finding(("pronunciations", code), f"unknown language '{code}'", hint,
                          at_key=True)
            continue
        heard = heard_texts(m, str(code))
        for written in entries or {}:
            if not str(written).strip():
                yield Finding(("pronunciations", code, written), "an empty written form",
                              "write the name or address as the texts write it", at_key=True)
            elif not any(mentions(text, str(written)) for text in heard):
                yield Finding(("pronunciations", code, written), f"'{written}' is in nothing "
                              f"a caller hears in '{code}'", _hint(str(written), heard),
                              severity="warning", at_key=True)


def _hint(written: str, heard: list[str]) -> str:
    if re.match(r"(?i)(https?://|www\.)", written) or "/" in written:
        return (f"write a web address as it is read out, without http://, www. and the "
                f"path: {read_web(written)}")
    return suggest(written, _phrases(heard)) or ("a written form is matched whole and with its "
                                        "capitals, as the texts and addresses write it")


def _phrases(heard: list[str]) -> set[str]:
    """Every word, and every run of two or three words ('Global Clinic'), heard in the texts."""
    phrases: set[str] = set()
    for text in heard:
        words = _TOKEN.findall(text)
        for size in (1, 2, 3):
            phrases |= {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}
    return phrases


def heard_texts(m: Data, code: str) -> list[str]:
    """What callers of `code` hear, before pronunciations: its texts, and each address and
    phone number both as written and as spelt out with its words."""
    heard = [str(texts[code]) for _, kind, texts in walk(MENUS, m)
             if isinstance(kind, Texts) and isinstance(texts, dict) and code in texts]
    language = (m.get("languages") or {}).get(code) or {}
    words = {name: str(word) for name, word in (language.get("words") or {}).items()}
    for service in m.get("services") or []:
        contact = (service or {}).get("contact") or {}
        heard += _said_contact(contact, code, words)
    return heard


def _said_contact(contact: Data, code: str, words: dict[str, str]) -> list[str]:
    said: list[str] = []
    web = (contact.get("web_by_language") or {}).get(code, contact.get("web"))
    email, phone = contact.get("email"), contact.get("phone")
    spelt = all(name in words for name in ("dot", "at", "dash"))
    if email:
        said += [str(email)] + ([spoken_email(str(email), words)] if spelt else [])
    if web:
        said += [read_web(str(web))] + ([spoken_web(str(web), words)] if spelt else [])
    if phone:
        try:
            said.append(spoken_phone(str(phone)))
        except phonenumbers.NumberParseException:
            pass  # check_numbers says what is wrong with it
    return said
