"""The header of a PO file: what the export writes, and which language an import is for.

Split from ivr/menus/translations.py, which reads and writes the entries. The export's
header passes `msgfmt -c` (GNU gettext's check) with the language's own plural forms, as
Babel (`pybabel init`) writes them, although no text has plural forms: Poedit and Weblate
check the header against the language (issue 23 item 5).

An import is for the language the file's Language header names, and that must be the one
the operator means: `--lang`, or the language the file's name gives (`uk.po`,
`menus-uk.po`, `uk_UA.po`). A file whose header names another language is refused: one
such file put Russian into 75 Ukrainian texts without a word.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection
from pathlib import Path

from babel.core import UnknownLocaleError
from babel.core import get_global
from babel.messages.plurals import get_plural


def export_header(lang: str, source: str, name: str, now: datetime.datetime) -> dict[str, str]:
    """The header of a language's export (`name`: the language's name in itself)."""
    return {
        "Project-Id-Version": "helpline menus",
        "Language": lang,
        # Filled by the translator's tool when they save; msgfmt -c wants them there.
        "PO-Revision-Date": now.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M+0000"),
        "Last-Translator": "",
        "Language-Team": name,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms(lang),
        "X-Source-Language": source,
    }


def plural_forms(lang: str) -> str:
    """`nplurals=3; plural=(...);` for a language code such as ru, uk, ar or pt-BR."""
    code = lang.replace("-", "_")
    code = get_global("language_aliases").get(code, code)  # CLDR's: prs is fa_AF (Dari)
    try:
        plural = get_plural(code)
    except (UnknownLocaleError, ValueError):
        plural = get_plural("en")  # gettext's own default for a language it does not know
    return str(plural.plural_forms)


def known_language(said: str, languages: Collection[str]) -> str | None:
    """The menus' language a header or a name part means: `uk`, `uk_UA` and `UK` are uk."""
    for candidate in (said, said.replace("_", "-"), re.split(r"[-_]", said)[0].lower()):
        if candidate in languages:
            return candidate
    return None


def named_language(po_path: str, languages: Collection[str]) -> str | None:
    """The one language the file's name gives (`uk.po`, `menus-uk.po`), if it gives one."""
    stem = re.sub(r"\.pot?$", "", Path(po_path).name, flags=re.IGNORECASE)
    found = {known_language(part, languages) for part in [stem, *re.split(r"[-_.\s]", stem)]}
    found.discard(None)
    return found.pop() if len(found) == 1 else None


def header_line(po_text: str) -> int:
    """The line of the Language header, for messages (1: the header's first line)."""
    for number, line in enumerate(po_text.split("\n"), start=1):
        if line.startswith('"Language:'):
            return number
    return 1
