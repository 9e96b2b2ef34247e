"""Checks of every text a caller hears: each language, the right {placeholders}, short sentences,
the emergency number where it must be said, and e-mail and web addresses that can be read out.

ivr/checks.py runs `check_texts` with the other meaning checks, on the clean data from
schema.check_shape.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from typing import Any

import phonenumbers

from ivr.core.model import PARTIAL_TEXTS
from ivr.core.speech import sentences
from ivr.menus.kinds import Texts
from ivr.menus.problems import Finding
from ivr.menus.problems import YamlPath
from ivr.menus.problems import suggest
from ivr.menus.schema import MENUS
from ivr.menus.schema import walk

Data = dict[str, Any]

# The fields script.py fills in for each text; any other {name} would crash the call.
PLACEHOLDERS: dict[str, tuple[str, ...]] = {
    "language_option": ("key",),
    "option": ("label", "key"),
    "global_keys": ("repeat", "back", "info_line", "emergency"),
    "dial_retry": ("info_line",),
    "goodbye": ("info_line",),
    "info_line_first": ("info_line",),
    "sms_confirm": ("confirm",),
    "services_intro": ("need", "region"),
    "readout_keys": ("repeat", "info_line"),
    "readout_last": ("next",),
    "contact_phone": ("phone",),
    "contact_email": ("email",),
    "contact_web": ("web",),
    "whisper": ("language",),
    "language_other": (),
    "whisper_no_language": (),
}
# Without these the caller never hears which key to press or which number to call.
REQUIRED_PLACEHOLDERS = {"language_option", "option", "global_keys", "dial_retry", "goodbye",
                         "info_line_first", "sms_confirm", "readout_keys", "readout_last"}
# gTTS sends text over 100 characters as several requests, with audible seams (reference §6.4).
MAX_SENTENCE = 100
# Texts that tell a caller in danger what to dial: each must say numbers.emergency.
EMERGENCY_TEXTS = ("emergency_notice", "emergency")
# Shapes only (local@domain.tld; a host name with a dot): enough to catch a non-address.
_EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(\.[\w-]+)*\.[^\W\d_]{2,}$")
_WEB = re.compile(r"^(https?://)?[\w-]+(\.[\w-]+)*\.[^\W\d_]{2,}(:\d+)?(/\S*)?$")


def check_texts(m: Data) -> Iterator[Finding]:
    """Every Texts has every language, only known languages, and the right {placeholders}."""
    section = m.get("languages")
    languages: Data = section if isinstance(section, dict) else {}
    for path, kind, texts in walk(MENUS, m):
        if not isinstance(kind, Texts):
            continue
        for code in languages:
            # A recorded-only language may be declared before it is translated; texts in
            # only some languages are said in those (model.PARTIAL_TEXTS).
            if code not in texts and _needs_every_text(path, languages[code]):
                yield Finding(path, f"no text in '{code}'", f"add {code}: ...")
        for code, text in texts.items():
            if code not in languages:
                hint = suggest(code, languages) or "languages are: " + ", ".join(languages)
                yield Finding(path + (code,), f"unknown language '{code}'", hint, at_key=True)
            if path[0] == "texts":
                yield from _check_placeholders(str(path[1]), text, path + (code,))
            yield from _check_sentences(text, str(code), path + (code,))


def _needs_every_text(path: YamlPath, language: Any) -> bool:
    partial = path[:1] == ("texts",) and path[1] in PARTIAL_TEXTS
    spoken = isinstance(language, dict) and ("gtts" in language or "twilio" in language)
    return spoken and not partial


def _check_placeholders(text_id: str, text: str, path: YamlPath) -> Iterator[Finding]:
    allowed = PLACEHOLDERS.get(text_id, ())
    listed = ", ".join("{" + name + "}" for name in allowed) or "none"
    try:
        used = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
    except ValueError as error:
        yield Finding(path, f"broken placeholder: {error}", "write {{ and }} for a literal brace")
        return
    for name in dict.fromkeys(used):
        if name not in allowed:
            yield Finding(path, f"unknown placeholder {{{name}}}", f"this text can use: {listed}")
    if text_id in REQUIRED_PLACEHOLDERS:
        for name in allowed:
            if name not in used:
                yield Finding(path, f"never says {{{name}}}", f"this text must use: {listed}")


def _check_sentences(text: str, lang: str, path: YamlPath) -> Iterator[Finding]:
    for sentence in sentences(text, lang):
        if len(sentence) > MAX_SENTENCE:
            yield Finding(path, f"a sentence of {len(sentence)} characters: "
                          f"'{sentence[:30]}...'", f"gTTS splits sentences over {MAX_SENTENCE} "
                          "characters into separate requests; split it", severity="warning")


def check_emergency_number(m: Data) -> Iterator[Finding]:
    """The emergency texts say numbers.emergency in every language they are written in."""
    number = (m.get("numbers") or {}).get("emergency")
    texts = m.get("texts") or {}
    if not number or not phonenumbers.is_emergency_number(number, "FI"):
        return  # check_numbers says so; telling texts to say a wrong number would mislead
    said = re.compile(rf"(?<!\d){re.escape(number)}(?!\d)")
    for text_id in EMERGENCY_TEXTS:
        for code, text in (texts.get(text_id) or {}).items():
            if not said.search(text):
                yield Finding(("texts", text_id, code), f"never says the emergency number "
                              f"{number}", f"a caller in danger must hear it: write {number} "
                              "in this text")


def check_contacts(m: Data) -> Iterator[Finding]:
    """Service e-mail and web addresses look like addresses: callers hear them read out."""
    for index, service in enumerate(m.get("services") or []):
        contact = (service or {}).get("contact") or {}
        path: YamlPath = ("services", index, "contact")
        email, web = contact.get("email"), contact.get("web")
        if email is not None and not _EMAIL.match(email):
            yield Finding(path + ("email",), f"'{email}' is not an e-mail address",
                          "write the whole address: name@domain.fi")
        if web is not None and not _WEB.match(web):
            yield _not_web(web, path + ("web",))
        yield from _check_web_by_language(m, contact, path)


def _not_web(web: str, path: YamlPath) -> Finding:
    return Finding(path, f"'{web}' is not a web address", "write a host name with a dot, "
                   "e.g. www.domain.fi, optionally with https:// and a path")


def _check_web_by_language(m: Data, contact: Data, path: YamlPath) -> Iterator[Finding]:
    """A language's own web address (sv: the Swedish seed's) is an address, in a language
    the file has, beside the `web` every other language hears."""
    by_language = contact.get("web_by_language") or {}
    section = m.get("languages")
    languages: Data = section if isinstance(section, dict) else {}
    if by_language and contact.get("web") is None:
        yield Finding(path + ("web_by_language",), "a web address in some languages only",
                      "add web: the address every other language hears")
    for code, web in by_language.items():
        where = path + ("web_by_language", code)
        if languages and code not in languages:
            hint = suggest(str(code), languages) or "languages are: " + ", ".join(languages)
            yield Finding(where, f"unknown language '{code}'", hint, at_key=True)
        if web is not None and not _WEB.match(str(web)):
            yield _not_web(str(web), where)
