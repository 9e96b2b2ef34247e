"""Which way a language's text runs, and the parts of any text that run left to right
(issue 23 item 9).

An Arabic, Dari or Sorani text laid out left to right puts its full stop and its Latin
names on the wrong side. Worse, a phone number read digit by digit, "0 2 9, 5 4 6, 3 1 7 7",
comes out backwards ("7 7 1 3 ,6 4 5 ,9 2 0") even in a right-to-left paragraph: the
Unicode bidirectional algorithm orders the digit groups of an Arabic sentence right to
left. So the pages give each text its language's direction, and each number, key,
placeholder and address in it a left-to-right island of its own: a <bdi dir="ltr"> in
HTML, Unicode isolates in the diagram's labels (Graphviz draws plain text).
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from babel import Locale
from babel.core import UnknownLocaleError
from babel.core import get_global

from ivr.core.model import Menus

RTL, LTR = "rtl", "ltr"
_RTL_CLASSES = ("R", "AL")
_LTR_RUN = re.compile(
    r"\{[^{}\s]*\}"                                             # a placeholder: {info_line}
    r"|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"     # an e-mail address
    r"|(?:https?://)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?:/\S*[^\s.,;:!?])?"
    r"|\+?[\d*#]+(?:[ \u00a0,./-]{1,2}[\d*#]+)*"               # numbers and keys: 0 2 9, 5 4 6
)
# Graphviz labels are plain text: Unicode's isolates do there what <bdi> does in HTML.
LRI, RLI, PDI = "\u2066", "\u2067", "\u2069"
LRM = "\u200e"
"""Starts a line that begins left to right ("silence 6 s: " or a key, then Arabic): pango,
which draws the PNG, takes a line's direction from its first letter, a browser from CSS."""
NBSP = "\u00a0"


@lru_cache(maxsize=256)
def direction(code: str, name: str = "") -> str:
    """"rtl" or "ltr" for a language: CLDR's (through Babel, with its aliases: prs is
    Dari, fa_AF) where it knows the code, else the script of `name`, the language's name
    in itself (languages.<id>.name)."""
    code = code.replace("-", "_")
    code = get_global("language_aliases").get(code, code)
    try:
        return RTL if Locale.parse(code).character_order == "right-to-left" else LTR
    except (UnknownLocaleError, ValueError):
        strong = (unicodedata.bidirectional(ch) for ch in name)
        first = next((kind for kind in strong if kind in ("L", *_RTL_CLASSES)), "L")
        return RTL if first in _RTL_CLASSES else LTR


def language_direction(menus: Menus, code: str | None) -> str | None:
    """The direction of one of the menus' languages; None for no or an unknown language
    (a page then lets the browser decide: dir="auto")."""
    language = menus.languages.get(code or "")
    return direction(language.code, language.name) if language else None


def ltr_parts(text: str) -> list[tuple[str, bool]]:
    """The text in pieces, in order, each with whether it must stay left to right (a
    number or a row of keys, a placeholder, an address) whatever the text's direction."""
    parts: list[tuple[str, bool]] = []
    end = 0
    for run in _LTR_RUN.finditer(text):
        if run.start() > end:
            parts.append((text[end:run.start()], False))
        parts.append((run.group(), True))
        end = run.end()
    if end < len(text) or not parts:
        parts.append((text[end:], False))
    return parts


def annotated(event: Mapping[str, Any], menus: Menus) -> dict[str, Any]:
    """A transcript event (ivr.qa.callrecord) with "dir" and "parts" beside each text in
    a language, for a page to lay it out: the event's own text and the agent's lines."""
    copy = dict(event)
    if isinstance(copy.get("text"), str) and copy.get("lang"):
        copy["dir"] = language_direction(menus, copy["lang"])
        copy["parts"] = ltr_parts(copy["text"])
    if copy.get("agent_heard"):
        copy["agent_heard"] = [annotated(line, menus) for line in copy["agent_heard"]]
    return copy


def wrap_label(line: str, width: int) -> list[str]:
    """One line of a diagram label wrapped at `width` characters: its right-to-left part
    (a menu's text after an English "silence 6 s:") isolated as such on every line it
    spans, and each number in it unbroken and left to right. A line without right-to-left
    letters is only wrapped: every other language's drawing stays as it was."""
    if not any(_is_rtl(ch) for ch in line):
        return textwrap.wrap(line, width)
    glued = _LTR_RUN.sub(lambda run: run.group().replace(" ", NBSP), line)
    lines, begun = [], False
    for part in textwrap.wrap(glued, width):
        marked = "".join(LRI + piece + PDI if ltr else piece for piece, ltr in ltr_parts(part))
        start = 0 if begun else next((i for i, ch in enumerate(marked) if _is_rtl(ch)), None)
        if start is not None:
            begun = True
            marked = (LRM if start else "") + marked[:start] + RLI + marked[start:] + PDI
        lines.append(marked)
    return lines


def _is_rtl(char: str) -> bool:
    return unicodedata.bidirectional(char) in _RTL_CLASSES
