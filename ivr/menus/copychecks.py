"""Texts of a translated language that are not in that language: a copy of another
language's text, or written in another script.

An operator who cannot get a translation in time pastes the English into the Arabic, the
file validates, and a caller who chose Arabic hears English (issue 23 item 4). Neither
check can tell a good translation from a bad one; each catches the paste. Both are
warnings: a name or a short phrase can rightly be the same in two languages.

- A copy: a text of three words or more, word for word the text of a language declared
  before it in `languages` (a paste goes from the older languages into the one being
  added). Service and region names are left out: names stay as the seeds give them.
- Another script: most letters of the text in a script the language's own `name` does not
  use (`name: العربية` is Arabic letters; an Arabic text in Latin letters is English, or
  Finnish, pasted in). Unicode names each letter's script ("ARABIC LETTER ALEF").
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from typing import Any

from ivr.menus.kinds import Texts
from ivr.menus.problems import Finding
from ivr.menus.problems import YamlPath
from ivr.menus.schema import MENUS
from ivr.menus.schema import walk

Data = dict[str, Any]
MIN_WORDS = 3
"""Shorter texts may rightly be the same in two languages ("Телефон: {phone}." in ru and uk)."""
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_WORD = re.compile(r"[^\W\d_]+")


def check_copies(m: Data) -> Iterator[Finding]:
    """A warning per text of a translated language that is another's, or in another script."""
    section = m.get("languages")
    languages: Data = section if isinstance(section, dict) else {}
    scripts = {code: _scripts(str(d.get("name", ""))) for code, d in languages.items()
               if isinstance(d, dict) and d.get("translated_from")}
    order = list(languages)
    for path, kind, texts in walk(MENUS, m):
        if not isinstance(kind, Texts) or _is_name(path):
            continue
        for code, text in texts.items():
            if code not in scripts:
                continue
            before = {o: texts[o] for o in order[:order.index(code)] if o in texts}
            finding = (_copy(before, code, str(text), path)
                       or _script(scripts[code], code, str(text), path, languages[code]))
            if finding is not None:
                yield finding


def _is_name(path: YamlPath) -> bool:
    return path[-1:] == ("name",) and path[:1] in (("services",), ("regions",))


def _copy(before: Data, code: str, text: str, path: YamlPath) -> Finding | None:
    same = [other for other, written in before.items() if str(written) == text]
    if not same or word_count(text) < MIN_WORDS:
        return None
    return Finding(path + (code,), f"the same as the {same[0]} text",
                   f"translate it into {code}, or leave it out until it is: callers who "
                   f"choose {code} would hear {same[0]}", severity="warning")


def word_count(text: str) -> int:
    """The words of a text, its {placeholders} left out."""
    return len(_WORD.findall(_PLACEHOLDER.sub("", text)))


def _script(expected: set[str], code: str, text: str, path: YamlPath, language: Data
            ) -> Finding | None:
    letters = _letter_scripts(text)
    if not expected or not letters:
        return None
    inside = sum(n for script, n in letters.items() if script in expected)
    if 2 * inside >= sum(letters.values()):
        return None
    found = letters.most_common(1)[0][0].title()
    want = " or ".join(sorted(script.title() for script in expected))
    return Finding(path + (code,), f"written in {found} letters, not {want} as {code}'s name "
                   f"'{language.get('name')}' is", f"is it another language's text? translate "
                   f"it into {code}, or fix languages.{code}.name", severity="warning")


@functools.lru_cache(maxsize=4096)
def _letter_scripts(text: str) -> Counter[str]:
    # Kept per text: validate runs at every reload and a text is the same from one to the
    # next; a Unicode name per letter of every text was a third of a validate. Read only.
    return Counter(_letter_script(c) for c in _PLACEHOLDER.sub("", text) if c.isalpha())


def _scripts(name: str) -> set[str]:
    return {_letter_script(c) for c in name if c.isalpha()}


@functools.lru_cache(maxsize=4096)
def _letter_script(letter: str) -> str:
    """LATIN, CYRILLIC, ARABIC, THAI...: the first word of the letter's Unicode name."""
    return unicodedata.name(letter, "UNKNOWN").split(" ")[0].split("-")[0]
