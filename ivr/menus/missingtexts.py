"""Texts missing in a language, said once for the language instead of once per text.

check_texts (ivr/menus/textchecks.py) says each text a spoken language lacks, which is
right for a slip in one text and wrong in two cases (issue 23):

- A language still being translated (it has `translated_from` and is neither
  `call.default_language` nor `call.agent_language`): one warning with the count, and
  callers are not offered it until every text is written (Menus.offered), as a
  recorded-only language waits for its last recording. So a new language or a new service
  can go to translators as a PO file (`ivr translations export` needs valid menus) rather
  than with English pasted in to make the file valid (item 4).
- A language id that is no code (`DE`): its own line says to write it in lower case; the
  texts written `de:` are then neither missing nor unknown, one line and not 165 (item 10).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ivr.core.model import PARTIAL_TEXTS
from ivr.menus.kinds import Texts
from ivr.menus.problems import Finding
from ivr.menus.problems import plural
from ivr.menus.schema import MENUS
from ivr.menus.schema import walk

Data = dict[str, Any]
NOT_A_CODE = "is not a language code"
"""check_ids' message for a language id that is not a code."""


def summarise_missing(m: Data, findings: list[Finding]) -> list[Finding]:
    """The findings with each language's missing texts said once, as above."""
    mistyped = {str(f.path[1]) for f in findings if _names_a_bad_code(f)}
    translating = _translating(m) - mistyped
    kept, missing = [], Counter[str]()
    for finding in findings:
        missing_in = _quoted_code(finding.message, "no text in '")
        unknown = _quoted_code(finding.message, "unknown language '")
        if missing_in in mistyped or unknown in {_lower(code) for code in mistyped}:
            continue
        if missing_in in translating:
            missing[missing_in] += 1
        elif _names_a_bad_code(finding):
            kept.append(_lower_case_hint(finding))
        else:
            kept.append(finding)
    needed = _needed(m)
    for code, count in missing.items():
        kept.append(Finding(
            ("languages", code), f"{count} of {plural(needed, 'text')} not written yet; "
            f"callers are not offered {code} until every text is",
            f"ivr translations export --lang {code} -o {code}.po, have it translated, then "
            f"ivr translations import {code}.po", severity="warning", at_key=True))
    return kept


def _names_a_bad_code(finding: Finding) -> bool:
    return (finding.path[:1] == ("languages",) and len(finding.path) == 2
            and finding.message == NOT_A_CODE)


def _translating(m: Data) -> set[str]:
    section = m.get("languages")
    languages: Data = section if isinstance(section, dict) else {}
    call: Data = m["call"] if isinstance(m.get("call"), dict) else {}
    heard_first = {call.get("default_language"), call.get("agent_language")}
    return {code for code, language in languages.items() if isinstance(language, dict)
            and language.get("translated_from") and code not in heard_first}


def _needed(m: Data) -> int:
    """How many texts a language needs before callers can choose it."""
    return sum(1 for path, kind, _ in walk(MENUS, m) if isinstance(kind, Texts)
               and not (path[:1] == ("texts",) and path[1] in PARTIAL_TEXTS))


def _quoted_code(message: str, start: str) -> str | None:
    if not message.startswith(start) or not message.endswith("'"):
        return None
    return message[len(start):-1]


def _lower(code: str) -> str:
    first, dash, rest = code.partition("-")
    return first.lower() + dash + rest


def _lower_case_hint(finding: Finding) -> Finding:
    code = str(finding.path[1])
    if _lower(code) == code or not _lower(code).isascii():
        return finding
    lower = _lower(code)
    return Finding(finding.path, finding.message, f"write it in lower case, {lower}, here and "
                   "in every text", finding.severity, finding.at_key)
