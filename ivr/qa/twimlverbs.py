"""What TwiML verbs mean on Twilio: attributes with Twilio's defaults, and how keys are taken.

Pure: the simulator reads TwiML documents through these (reference §1.1-1.5).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import urljoin

LISTENING_VERBS = ("Say", "Play", "Pause")
"""The verbs a caller only listens to; the only ones a <Gather> may hold."""


@dataclass(frozen=True)
class Gather:
    """A <Gather> waiting for keys, and what follows it in its document."""

    url: str
    method: str
    num_digits: int | None
    finish_on_key: str
    timeout: int
    on_empty: bool
    rest: tuple[ET.Element, ...]
    doc_url: str
    speech: bool = False
    """input holds 'speech': Twilio sends what the caller says as SpeechResult."""

    @classmethod
    def read(cls, verb: ET.Element, rest: list[ET.Element], doc_url: str) -> Gather:
        """Twilio's defaults: action = this document, POST, 5 s, finishOnKey '#'."""
        num = verb.get("numDigits")
        return cls(
            url=urljoin(doc_url, verb.get("action") or doc_url),
            method=verb.get("method", "POST").upper(),
            num_digits=int(num) if num else None,
            finish_on_key=verb.get("finishOnKey", "#"),
            timeout=int(verb.get("timeout", "5")),
            on_empty=verb.get("actionOnEmptyResult", "false") == "true",
            rest=tuple(rest),
            doc_url=doc_url,
            speech="speech" in verb.get("input", "dtmf").split(),
        )

    def collect(self, keys: str) -> tuple[str, str]:
        """The Digits submitted for these key presses, and the keys it never took."""
        digits = ""
        for index, key in enumerate(keys):
            if self.finish_on_key and key == self.finish_on_key:
                return digits, keys[index + 1 :]
            digits += key
            if self.num_digits is not None and len(digits) >= self.num_digits:
                return digits, keys[index + 1 :]
        return digits, ""


def parse_document(body: str) -> list[ET.Element]:
    """The verbs of a TwiML document; ValueError saying why if it is not one."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as error:
        raise ValueError(str(error)) from None
    if root.tag != "Response":
        raise ValueError(f"root <{root.tag}>")
    return list(root)


def dialled(verb: ET.Element) -> tuple[str, list[ET.Element]]:
    """The number(s) a <Dial> calls, and its <Number> nouns (which may carry a whisper url)."""
    numbers = [n for n in verb if n.tag == "Number"]
    text = ", ".join((n.text or "").strip() for n in numbers) or (verb.text or "").strip()
    return text, numbers


def next_url(verbs: list[ET.Element], doc_url: str) -> str:
    """The URL carrying the state the caller is in while hearing this document.

    The state in a step's own URL is where the key was pressed; the Gather, Redirect or Dial
    action in the answer carries the menu the caller is now in.
    """
    for verb in verbs:
        url = (verb.text or "").strip() if verb.tag == "Redirect" else verb.get("action")
        if verb.tag in ("Gather", "Redirect", "Dial") and url:
            return urljoin(doc_url, url)
    return doc_url
