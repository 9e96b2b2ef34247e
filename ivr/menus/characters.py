"""Characters no text may hold: what XML cannot carry, and what hides what a file says.

One `\\a` in a text once made every TwiML answer that said it malformed, and callers heard
Twilio's platform error (issue 22 item 2). docs/menus.md ("Characters a text may not hold")
lists the same classes for operators.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

_REFUSED = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f"  # C0 controls: XML 1.0 allows only tab, newline and CR
    "\x7f-\x9f"  # DEL and the C1 controls (U+0085 "next line" among them)
    "\u2028\u2029"  # line and paragraph separators: YAML and PO tools turn them into breaks
    "\u202a-\u202e\u2066-\u2069"  # bidi embeddings, overrides and isolates ("Trojan Source")
    "\ud800-\udfff"  # lone surrogates: no UTF-8 encoder writes them
    "\ufdd0-\ufdef\ufffe\uffff]"  # noncharacters (U+FFFE and U+FFFF: XML refuses them)
)
# Not refused: tab and line breaks, the bidi marks U+200E, U+200F and U+061C, and the zero
# width (non-)joiners U+200C and U+200D, which Arabic, Persian and Kurdish texts need.

_NAMES = {
    "\x00": "NUL", "\x07": "BEL (\\a)", "\x08": "BS (\\b)", "\x0b": "VT (\\v)",
    "\x0c": "FF (\\f)", "\x1b": "ESC (\\e)", "\x7f": "DEL", "\x85": "NEL (\\N)",
    "\u2028": "LINE SEPARATOR (\\L)", "\u2029": "PARAGRAPH SEPARATOR (\\P)",
}
_YAML_ESCAPE = re.compile(r'\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)', re.DOTALL)
_SIMPLE_ESCAPES = {"0": "\x00", "a": "\x07", "b": "\x08", "v": "\x0b", "f": "\x0c",
                   "e": "\x1b", "N": "\x85", "L": "\u2028", "P": "\u2029"}


class Refused(NamedTuple):
    """A refused character: where in the text it is, and what to call it."""

    at: int
    char: str

    def describe(self) -> tuple[str, str]:
        """(what it is, what to do), as an operator's message says them."""
        code = ord(self.char)
        if code in (0x85, 0x2028, 0x2029):
            kind, why = "a line-break character", (
                "YAML and translation tools read it as a line break, so the text would change")
        elif 0x202A <= code <= 0x2069:
            kind, why = "a bidirectional control character", (
                "it changes the order in which editors show the text around it")
        elif code < 0x20 or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
            kind = "a control character" if code < 0x20 else "a code point that is not a character"
            why = "Twilio cannot read an answer that holds it, and the caller would hear an error"
        else:  # DEL, C1 and the other noncharacters: XML 1.0 allows them but advises against
            kind = "a control character" if code < 0xA0 else "a code point that is not a character"
            why = "it is not text, no voice can say it, and XML advises against it"
        name = _NAMES.get(self.char) or unicodedata.name(self.char, "")
        return f"{kind} U+{code:04X}{' ' + name if name else ''}", f"delete it: {why}"


def find_refused(text: str) -> Refused | None:
    """The first character of `text` no text may hold, or None."""
    found = _REFUSED.search(text)
    return Refused(found.start(), found.group()) if found else None


def scrub(text: str) -> str:
    """The text without the characters no text may hold: for a renderer, which must never
    emit a document Twilio cannot read, whatever reached the model."""
    return _REFUSED.sub("", text)


def locate_in_source(source: str, start: int, end: int, char: str) -> int:
    """Where in `source[start:end]` (a scalar as written) the refused `char` comes from.

    Written as it is, or as a double-quoted escape such as \\a, \\x07 or \\u2028; `start`
    when neither is found (the scalar as written is then what the caller must look at).
    """
    raw = source.find(char, start, end)
    if raw != -1:
        return raw
    for escape in _YAML_ESCAPE.finditer(source, start, end):
        if _unescape(escape.group(1)) == char:
            return escape.start()
    return start


def _unescape(body: str) -> str | None:
    if body[0] in "xuU" and len(body) > 1:
        code = int(body[1:], 16)
        return chr(code) if code <= 0x10FFFF else None
    return _SIMPLE_ESCAPES.get(body)
