"""Written forms made speakable: phone numbers, addresses, keys, short numbers, the
operator's pronunciations, and sentence splitting."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

import phonenumbers

from ivr.core.abbreviations import abbreviations

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_SCHEME = re.compile(r"^[a-z]+://", re.IGNORECASE)

CARDINAL_SHORT_NUMBERS = frozenset({"ru", "uk", "fr"})
"""Languages whose callers say an emergency or other short number as a cardinal number: "сто
двенадцать", "сто дванадцять", "le cent douze" (issue 21 item 4; docs/languages.md). Every
other language hears it digit by digit, as Finnish, Swedish, English, Arabic, Thai and
Vietnamese callers say 112 ("yksi yksi kaksi", "หนึ่ง หนึ่ง สอง"); a voice given "112" says
the cardinal ("sata kaksitoista"), so the digits are spaced out for it."""


def sentences(text: str, lang: str | None = None) -> list[str]:
    """Split text into sentences; each becomes one prompt (and one gTTS request).

    A full stop ends a sentence unless a lower-case letter follows it or it closes one of
    the language's abbreviations (`esim.`, `e.g.`): those would otherwise cut a sentence
    in two and capitalise the second half (issue 8 item 14).
    """
    return list(_sentences(text, lang))


@functools.lru_cache(maxsize=8192)
def _sentences(text: str, lang: str | None) -> tuple[str, ...]:
    # Kept: the same few hundred texts are split for every answer the webhook works out.
    known = abbreviations(lang)
    result: list[str] = []
    for part in _SENTENCE_END.split(" ".join(text.split())):
        if result and _continues(result[-1], part, known):
            result[-1] += " " + part
        elif part:
            result.append(part)
    return tuple(result)


def clear_kept() -> None:
    """Forget the sentences and numbers worked out so far (benchmarks measure a cold start)."""
    _sentences.cache_clear()
    spoken_phone.cache_clear()


def _continues(before: str, after: str, known: frozenset[str]) -> bool:
    if not before.endswith("."):
        return False
    return after[:1].islower() or before.rsplit(" ", 1)[-1].lower() in known


def capitalise(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def spoken_key(key: str, words: Mapping[str, str]) -> str:
    """A phone key as said: digits as they are, * and # as words."""
    return {"*": words["star"], "#": words["hash"]}.get(key, key)


@functools.lru_cache(maxsize=256)
def spoken_phone(number: str) -> str:
    """Digits one by one, grouped as Finns write them: '0 2 9, 5 4 6, 3 1 7 7'.

    A number outside Finland is read in international form, plus and country code first
    ('+4 6, 8, 1 2 3, 4 5 6, 7 8'): dialled from Finland its national form would not connect
    (issue 8 item 19).
    """
    parsed = phonenumbers.parse(number, "FI")
    finnish = parsed.country_code == phonenumbers.country_code_for_region("FI")
    form = phonenumbers.PhoneNumberFormat.NATIONAL if finnish else \
        phonenumbers.PhoneNumberFormat.INTERNATIONAL
    written = phonenumbers.format_number(parsed, form)
    groups: list[str] = []
    for group in re.sub(r"[^\d ]", "", written).split():
        # '5463177' is written '546 3177' in the seeds; read long groups the same way.
        while len(group) > 4:
            groups.append(group[:3])
            group = group[3:]
        groups.append(group)
    spoken = ", ".join(" ".join(group) for group in groups)
    return spoken if finnish else "+" + spoken


def _spoken_host(host: str, words: Mapping[str, str]) -> str:
    host = host.replace(".", f" {words['dot']} ").replace("-", f" {words['dash']} ")
    return " ".join(host.split())


def read_web(url: str) -> str:
    """The part of a web address that is read out: 'pro-tukipiste.fi' (no scheme, www, port,
    path); a pronunciation of the address is written in this form."""
    host = _SCHEME.sub("", url).split("/")[0].split(":")[0]
    return host[4:] if host.lower().startswith("www.") else host


def spoken_web(url: str, words: Mapping[str, str]) -> str:
    """A web address as said: 'pro viiva tukipiste piste fi' (scheme, www, port, path dropped)."""
    return _spoken_host(read_web(url), words)


def spoken_email(address: str, words: Mapping[str, str]) -> str:
    """An e-mail address as said: 'ihmiskauppa ät poliisi piste fi'."""
    local, _, domain = address.partition("@")
    return f"{_spoken_host(local, words)} {words['at']} {_spoken_host(domain, words)}"


def says_short_numbers_digit_by_digit(lang: str) -> bool:
    """Whether callers of `lang` say 112 digit by digit ('pt-BR' counts as 'pt')."""
    return lang not in CARDINAL_SHORT_NUMBERS and lang.split("-")[0] not in CARDINAL_SHORT_NUMBERS


@functools.lru_cache(maxsize=256)
def is_short_number(digits: str) -> bool:
    """A number phonenumbers knows as a Finnish short number (112, 116 117), not a count."""
    try:
        parsed = phonenumbers.parse(digits, "FI")
    except phonenumbers.NumberParseException:
        return False  # one digit ('paina 1') or too short to be any number
    return bool(phonenumbers.is_valid_short_number_for_region(parsed, "FI"))


@functools.lru_cache(maxsize=1024)
def _bounded(written: str) -> str:
    # A name is matched whole: 'Mona' not inside 'Monaco'; an edge that is not a letter or
    # digit ('@migri.fi') needs no boundary. The start is checked by `_starts_word`: a
    # pattern that begins with a lookbehind is tried at every character, five times slower.
    after = r"(?!\w)" if re.search(r"\w$", written) else ""
    return re.escape(written) + after


def _starts_word(text: str, start: int, written: str) -> bool:
    return start == 0 or not (written[:1].isalnum() or written[:1] == "_") or not (
        text[start - 1].isalnum() or text[start - 1] == "_")


@functools.lru_cache(maxsize=64)
def lexicon_pattern(written: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for every written form (longest first, so 'Monika-Naiset' wins over
    'Monika') and then any number (a run of digits is matched from its first digit)."""
    forms = [_bounded(w) for w in sorted(written, key=len, reverse=True)]
    return re.compile("|".join([*forms, r"\d+"]))


@functools.lru_cache(maxsize=16384)  # validate asks for every text and form at each reload
def mentions(text: str, written: str) -> bool:
    """Whether a pronunciation's written form occurs in the text as the voice would get it."""
    return any(_starts_word(text, m.start(), written)
               for m in re.finditer(_bounded(written), text))


def spoken(sentence: str, lang: str, lexicon: Mapping[str, str]) -> str:
    """What the voice is given for a written sentence (issue 21): each written form of the
    language's pronunciation list replaced by its spoken form, and short numbers digit by
    digit where the language's callers say them so. One pass: a spoken form is never
    replaced again, so '112: сто двенадцать' keeps its words.
    """
    digits = says_short_numbers_digit_by_digit(lang)

    def replace(match: re.Match[str]) -> str:
        found = match.group()
        if found in lexicon and _starts_word(sentence, match.start(), found):
            return lexicon[found]
        if digits and is_short_number(found):
            return " ".join(found)
        return found

    return lexicon_pattern(tuple(lexicon)).sub(replace, sentence)
