"""Written forms made speakable: phone numbers, addresses, keys, and sentence splitting."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

import phonenumbers

from ivr.core.abbreviations import abbreviations

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_SCHEME = re.compile(r"^[a-z]+://", re.IGNORECASE)


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


def spoken_web(url: str, words: Mapping[str, str]) -> str:
    """A web address as said: 'pro viiva tukipiste piste fi' (scheme, www, port, path dropped)."""
    host = _SCHEME.sub("", url).split("/")[0].split(":")[0]
    host = host[4:] if host.lower().startswith("www.") else host
    return _spoken_host(host, words)


def spoken_email(address: str, words: Mapping[str, str]) -> str:
    """An e-mail address as said: 'ihmiskauppa ät poliisi piste fi'."""
    local, _, domain = address.partition("@")
    return f"{_spoken_host(local, words)} {words['at']} {_spoken_host(domain, words)}"
