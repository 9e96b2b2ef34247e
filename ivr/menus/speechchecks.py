"""Speech input per language (issue 14): the recognition code is one Twilio knows, and an
operator who switches it on is told what it costs and risks.

Kept as data like voices.py: the core may not import twilio, and twilio-python has no list.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ivr.menus.problems import Finding
from ivr.menus.problems import suggest

Data = dict[str, Any]

# Twilio's speech recognition languages: type GatherLanguage in twilio/twilio-node
# src/twiml/VoiceResponse.ts (commit 000c5255f5846e36eefbad064c4f5b7b19f8c4c8, read
# 2026-12-01). What a language really gets depends on Twilio's speech model (reference
# languages.md §3: warning 13331); try one call in the language before relying on it.
GATHER_LANGUAGES = (
    "af-ZA am-ET ar-AE ar-BH ar-DZ ar-EG ar-IL ar-IQ ar-JO ar-KW ar-LB ar-MA ar-OM ar-PS "
    "ar-QA ar-SA ar-TN az-AZ bg-BG bn-BD bn-IN ca-ES cs-CZ da-DK de-DE el-GR en-AU en-CA "
    "en-GB en-GH en-IE en-IN en-KE en-NG en-NZ en-PH en-SG en-TZ en-US en-ZA es-AR es-BO "
    "es-CL es-CO es-CR es-DO es-EC es-ES es-GT es-HN es-MX es-NI es-PA es-PE es-PR es-PY "
    "es-SV es-US es-UY es-VE et-EE eu-ES fa-IR fi-FI fil-PH fr-CA fr-FR gl-ES gu-IN he-IL "
    "hi-IN hr-HR hu-HU hy-AM id-ID is-IS it-IT ja-JP jv-ID ka-GE km-KH kn-IN ko-KR lo-LA "
    "lt-LT lv-LV mk-MK ml-IN mn-MN mr-IN ms-MY my-MM nar-IQ nb-NO ne-NP nl-BE nl-NL "
    "pa-guru-IN pl-PL pt-BR pt-PT ro-RO ru-RU si-LK sk-SK sl-SI sq-AL sr-RS su-ID sv-SE "
    "sw-KE sw-TZ ta-IN ta-LK ta-MY ta-SG te-IN th-TH tr-TR uk-UA ur-IN ur-PK uz-UZ vi-VN "
    "yue-Hant-HK zh cmn-Hans-CN zh-TW cmn-Hant-TW zu-ZA"
).split()
KEY_COUNT = 10


def recognition_hint(code: str) -> str:
    """'did you mean' for a recognition code: fi-fi -> fi-FI, else the same language's codes."""
    by_case = {known.casefold(): known for known in GATHER_LANGUAGES}
    meant = by_case.get(code.replace("_", "-").casefold())
    if meant:
        return f"did you mean '{meant}'?"
    same = [known for known in GATHER_LANGUAGES if known.split("-")[0] == code.split("-")[0]]
    if same:
        return "Twilio's codes for it: " + ", ".join(same)
    return suggest(code, GATHER_LANGUAGES) or "e.g. fi-FI, sv-SE or en-GB; Twilio has none " \
        "for Somali or Kurdish: leave speech out for them"


def check_speech(m: Data) -> Iterator[Finding]:
    """Each language's speech recognition code is Twilio's; a warning where speech is on."""
    section = m.get("languages")
    for code, language in (section if isinstance(section, dict) else {}).items():
        speech = (language or {}).get("speech")
        if not isinstance(speech, dict):
            continue
        path = ("languages", code, "speech")
        recognition = speech.get("language")
        if recognition is not None and recognition not in GATHER_LANGUAGES:
            yield Finding(path + ("language",), f"'{recognition}' is not a language Twilio "
                          "recognises speech in", recognition_hint(recognition))
        numbers = speech.get("numbers")
        if isinstance(numbers, list) and len(numbers) != KEY_COUNT:
            yield Finding(path + ("numbers",), f"{len(numbers)} words, not {KEY_COUNT}",
                          "write the words for 0 to 9, in order")
        yield Finding(path, "callers in this language are listened to for speech",
                      "Twilio charges for each recognition, and what callers say goes to "
                      "its speech provider; see docs/menus.md", severity="warning", at_key=True)
