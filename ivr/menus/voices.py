"""Which voices speak each language: Twilio <Say>, gTTS and espeak-ng, as data, and the checks.

`check_voices` runs with the other meaning checks (ivr/checks.py) on the clean data from
schema.check_shape. The lists are data, not imported from the libraries: the core may not
import twilio or gtts (tests/test_layers.py), and twilio-python has no such list at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ivr.menus.problems import Finding
from ivr.menus.problems import YamlPath
from ivr.menus.problems import suggest

Data = dict[str, Any]

# Twilio's <Say> languages: type SayLanguage in twilio/twilio-node src/twiml/VoiceResponse.ts
# (commit 000c5255f5846e36eefbad064c4f5b7b19f8c4c8, read 2026-11-25).
SAY_LANGUAGES = (
    "af-ZA am-ET ar-AE ar-XA arb bg-BG bn-IN ca-ES cmn-CN cmn-TW cs-CZ cy-GB da-DK de-AT "
    "de-DE el-GR en-AU en-CA en-GB en-GB-WLS en-IE en-IN en-NZ en-US en-ZA es-ES es-MX es-US "
    "fi-FI fil-PH fr-CA fr-FR fr-BE gu-IN he-IL hi-IN hu-HU id-ID is-IS it-IT ja-JP kn-IN "
    "ko-KR lv-LV ml-IN mr-IN ms-MY nb-NO nl-BE nl-NL pa-IN pl-PL pt-BR pt-PT ro-RO ru-RU sk-SK "
    "sr-RS sv-SE ta-IN te-IN th-TH tr-TR uk-UA vi-VN yue-HK zh-CN zh-HK zh-TW"
).split()

# The Polly voices of type SayVoice in the same file and commit (Google voices carry their
# locale in the name and are checked by it). Twilio's list has no languages; each name's
# language is from Amazon's table of Polly voices (docs.aws.amazon.com/polly/latest/dg/
# available-voices.html). The stored copies read on 2026-11-25 showed every standard voice
# and the first neural rows; the other neural voices are written from that table without a
# whole copy at hand, so check a doubtful one there.
_STANDARD = (
    "Aditi Amy Astrid Bianca Brian Camila Carla Carmen Celine Chantal Conchita Cristiano Dora "
    "Emma Enrique Ewa Filiz Geraint Giorgio Gwyneth Hans Ines Ivy Jacek Jan Joanna Joey Justin "
    "Karl Kendra Kevin Kimberly Lea Liv Lotte Lucia Lupe Mads Maja Marlene Mathieu Matthew "
    "Maxim Mia Miguel Mizuki Naja Nicole Penelope Raveena Ricardo Ruben Russell Salli Seoyeon "
    "Takumi Tatyana Vicki Vitoria Zeina Zhiyu"
)
_NEURAL = (
    "Adriano Amy Andres Aria Arlet Arthur Ayanda Bianca Brian Burcu Camila Daniel Danielle "
    "Elin Emma Gabrielle Gregory Hala Hannah Hiujin Ida Ines Isabelle Ivy Joanna Joey Justin "
    "Kajal Kazuha Kendra Kevin Kimberly Laura Lea Liam Lisa Lucia Lupe Matthew Mia Niamh Ola "
    "Olivia Pedro Remi Ruth Salli Seoyeon Sergio Sofie Stephen Suvi Takumi Thiago Tomoko Vicki "
    "Vitoria Zayd Zhiyu"
)
_GENERATIVE = (
    "Amy Andres Ayanda Bianca Daniel Danielle Joanna Kajal Lea Lucia Lupe Matthew Mía Olivia "
    "Pedro Rémi Ruth Sergio Stephen Vicki"
)
POLLY_VOICES = tuple(
    [f"Polly.{name}" for name in _STANDARD.split()]
    + [f"Polly.{name}-Neural" for name in _NEURAL.split()]
    + [f"Polly.{name}-Generative" for name in _GENERATIVE.split()]
)
_POLLY_LANGUAGES = {
    "arb": "Zeina", "ar-AE": "Hala Zayd", "ca-ES": "Arlet", "cmn-CN": "Zhiyu",
    "cy-GB": "Gwyneth", "da-DK": "Mads Naja Sofie", "de-AT": "Hannah",
    "de-DE": "Daniel Hans Marlene Vicki", "en-AU": "Nicole Olivia Russell",
    "en-GB": "Amy Arthur Brian Emma", "en-GB-WLS": "Geraint", "en-IE": "Niamh",
    "en-IN": "Aditi Kajal Raveena", "en-NZ": "Aria", "en-ZA": "Ayanda",
    "en-US": "Danielle Gregory Ivy Joanna Joey Justin Kendra Kevin Kimberly Matthew Ruth "
             "Salli Stephen",
    "es-ES": "Conchita Enrique Lucia Sergio", "es-MX": "Andres Mia Mía",
    "es-US": "Lupe Miguel Pedro Penelope", "fi-FI": "Suvi", "fr-BE": "Isabelle",
    "fr-CA": "Chantal Gabrielle Liam", "fr-FR": "Celine Lea Mathieu Remi Rémi",
    "hi-IN": "Aditi Kajal", "is-IS": "Dora Karl", "it-IT": "Adriano Bianca Carla Giorgio",
    "ja-JP": "Kazuha Mizuki Takumi Tomoko", "ko-KR": "Seoyeon", "nb-NO": "Ida Liv",
    "nl-BE": "Lisa", "nl-NL": "Laura Lotte Ruben", "pl-PL": "Ewa Jacek Jan Maja Ola",
    "pt-BR": "Camila Ricardo Thiago Vitoria", "pt-PT": "Cristiano Ines", "ro-RO": "Carmen",
    "ru-RU": "Maxim Tatyana", "sv-SE": "Astrid Elin", "tr-TR": "Burcu Filiz",
    "yue-CN": "Hiujin",
}
POLLY_LANGUAGES: dict[str, tuple[str, ...]] = {}
"""Polly voice name ('Suvi') -> the languages it speaks ('fi-FI',)."""
for _language, _names in _POLLY_LANGUAGES.items():
    for _name in _names.split():
        POLLY_LANGUAGES[_name] = POLLY_LANGUAGES.get(_name, ()) + (_language,)

# gTTS 2.5.4: the keys of gtts.lang.tts_langs() (a local dict); tests/test_validate.py keeps
# this list equal to the installed gTTS, so an upgrade that drops a language fails there.
GTTS_LANGUAGES = (
    "af am ar bg bn bs ca cs cy da de el en es et eu fi fr fr-CA gl gu ha hi hr hu id is it "
    "iw ja jw km kn ko la lt lv ml mr ms my ne nl no pa pl pt pt-PT ro ru si sk sq sr su sv "
    "sw ta te th tl tr uk ur vi yue zh zh-CN zh-TW"
).split()

# The Google voices of type SayVoice in the same file and commit, for the <Say> locales the
# helpline uses that have no Polly voice (Thai, Ukrainian and Vietnamese are spoken only by
# these; ar-XA is the Google way to Arabic besides Polly's arb). Other locales' Google voices
# are checked by their locale alone.
_CHIRP3 = [f"Chirp3-HD-{n}" for n in "Aoede Charon Fenrir Kore Leda Orus Puck Zephyr".split()]
_ABCD = [f"{kind}-{v}" for kind in ("Standard", "Wavenet") for v in "ABCD"]
_GOOGLE = {  # standard voices first: the hint offers the first ones
    "ar-XA": _ABCD + _CHIRP3,
    "th-TH": ["Standard-A", "Neural2-C"] + _CHIRP3,
    "uk-UA": ["Standard-A", "Wavenet-A"],
    "vi-VN": _ABCD + ["Neural2-A", "Neural2-D"] + _CHIRP3,
}
GOOGLE_VOICES: dict[str, tuple[str, ...]] = {
    locale: tuple(f"Google.{locale}-{name}" for name in names) for locale, names in _GOOGLE.items()
}
"""<Say> locale ('th-TH') -> every Google voice Twilio lists for it."""

BASIC_VOICES = ("alice", "man", "woman")
# espeak-ng voice names: a language code, variants after '-', a voice variant after '+'.
_ESPEAK = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{1,8})*(\+[a-z0-9]+)?$", re.IGNORECASE)


def polly_voices_for(language: str) -> list[str]:
    """Every Polly voice Twilio offers for a <Say> language, standard voices first."""
    return [v for v in POLLY_VOICES if language in POLLY_LANGUAGES[_polly_name(v)]]


def _polly_name(voice: str) -> str:
    return voice.removeprefix("Polly.").split("-")[0]


def _voices_hint(language: str) -> str:
    polly = polly_voices_for(language)
    google = f"a Google.{language}-... voice"
    if language in GOOGLE_VOICES:
        listed = GOOGLE_VOICES[language]
        google = ", ".join(listed[:3]) + (", ..." if len(listed) > 3 else "")
    elif language == "arb":  # Google's Arabic voices go with the language ar-XA, not arb
        google = "language ar-XA with a Google.ar-XA-... voice"
    if not polly:
        return f"Twilio has no Polly voice for {language}; use {google}"
    shown = ", ".join(polly[:4]) + (", ..." if len(polly) > 4 else "")
    return f"for {language} use {shown} or {google}"


def language_hint(language: str) -> str:
    """'did you mean' for a <Say> language: en-UK -> en-GB, fi-fi -> fi-FI, else the nearest."""
    parts = language.replace("_", "-").split("-")
    if len(parts) == 2 and parts[1].upper() == "UK":
        parts[1] = "GB"  # the United Kingdom's ISO 3166 code is GB
    by_case = {code.casefold(): code for code in SAY_LANGUAGES}
    meant = by_case.get("-".join(parts).casefold())
    if meant:
        return f"did you mean '{meant}'?"
    same = [code for code in SAY_LANGUAGES if code.split("-")[0] == parts[0].casefold()]
    if same:
        return "Twilio's codes for it: " + ", ".join(same)
    return suggest(language, SAY_LANGUAGES) or "e.g. fi-FI, sv-SE or en-GB"


def check_voices(m: Data) -> Iterator[Finding]:
    """Each language's Twilio language and voice, gTTS language and espeak voice are real."""
    section = m.get("languages")
    for code, language in (section if isinstance(section, dict) else {}).items():
        path: YamlPath = ("languages", code)
        twilio = (language or {}).get("twilio") or {}
        say = twilio.get("language")
        if say is not None and say not in SAY_LANGUAGES:
            yield Finding(path + ("twilio", "language"), f"'{say}' is not a Twilio <Say> "
                          "language", language_hint(say))
            say = None  # its voice cannot be matched to it: one error is enough
        if twilio.get("voice") is not None:
            yield from _check_voice(twilio["voice"], say, path + ("twilio", "voice"))
        lang = ((language or {}).get("gtts") or {}).get("lang")
        if lang is not None and lang not in GTTS_LANGUAGES:
            yield Finding(path + ("gtts", "lang"), f"'{lang}' is not a gTTS language",
                          suggest(lang, GTTS_LANGUAGES) or "gTTS codes are like fi, sv, en "
                          "or zh-TW; gtts-cli --all lists them")
        espeak = (language or {}).get("espeak")
        if espeak is not None and not _ESPEAK.match(espeak):
            yield Finding(path + ("espeak",), f"'{espeak}' does not look like an espeak-ng "
                          "voice", "e.g. fi, sv or en-gb; espeak-ng --voices lists them",
                          severity="warning")


def _check_voice(voice: str, language: str | None, path: YamlPath) -> Iterator[Finding]:
    hint = _voices_hint(language) if language else "use a Polly or Google voice"
    if voice in BASIC_VOICES:
        what = ("Twilio has removed the 'alice' voice" if voice == "alice" else
                f"'{voice}' is Twilio's basic voice, which speaks only a few languages")
        yield Finding(path, what, hint)
    elif voice.startswith("Google."):
        locale = "-".join(voice.removeprefix("Google.").split("-")[:2])
        if language and locale.casefold() != language.casefold():
            yield Finding(path, f"{voice} speaks {locale}, not {language}", hint)
        elif locale in GOOGLE_VOICES and voice not in GOOGLE_VOICES[locale]:
            yield Finding(path, f"unknown Google voice '{voice}'",
                          suggest(voice, GOOGLE_VOICES[locale]) or hint, severity="warning")
    elif voice.startswith("Polly."):
        if voice not in POLLY_VOICES:
            known = polly_voices_for(language) if language else POLLY_VOICES
            yield Finding(path, f"unknown Polly voice '{voice}'",
                          suggest(voice, known) or hint, severity="warning")
        elif language and language not in POLLY_LANGUAGES[_polly_name(voice)]:
            speaks = " and ".join(POLLY_LANGUAGES[_polly_name(voice)])
            yield Finding(path, f"{voice} speaks {speaks}, not {language}", hint)
    else:
        yield Finding(path, f"'{voice}' is not a Twilio <Say> voice",
                      "use Polly.<Name> or Google.<locale>-...; " + hint)
