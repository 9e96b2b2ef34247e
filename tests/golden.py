"""Golden answers a person can read: every TwiML answer of each shipped scenario, in a file.

Each scenario of flows/*.yaml is run through the webhook (tests/flowscenarios.py) and every
request it made is written with the answer it got, the TwiML indented one element a line,
under tests/golden/<flow file>/<scenario>.twiml. A restructuring must leave them unchanged;
a change callers will hear shows as a readable diff. Regenerate after a meant change:

    IVR_UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q flows

and say in the commit why the answers changed. The byte length and a short hash of each
raw answer are written too, so a change in bytes the indentation hides still shows.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import os
import re
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qsl

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
INPUTS = ("Digits", "SpeechResult", "DialCallStatus")
"""The form fields that change an answer (the rest are the call's own, the same each step)."""


def updating() -> bool:
    return bool(os.environ.get("IVR_UPDATE_GOLDEN"))


class Recorder:
    """WSGI middleware keeping each voice request and its answer while `exchanges` is a list."""

    def __init__(self, app):
        self.app = app
        self.exchanges: list[tuple[str, str, bytes]] | None = None

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if self.exchanges is None or not path.startswith("/voice"):
            return self.app(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length)
        environ["wsgi.input"] = io.BytesIO(body)
        given = [f"{k}={v}" for k, v in parse_qsl(body.decode()) if k in INPUTS]
        query = environ.get("QUERY_STRING", "")
        request = f"{environ['REQUEST_METHOD']} {path}{'?' + query if query else ''}"
        answer = b"".join(self.app(environ, start_response))
        self.exchanges.append((request, " ".join(given), answer))
        return [answer]


def render(name: str, exchanges: list[tuple[str, str, bytes]]) -> str:
    """The scenario's requests and answers as text."""
    lines = [f"# scenario: {name}",
             "# every request the call made and the TwiML it got (tests/golden.py)"]
    seen: dict[bytes, int] = {}
    for number, (request, given, answer) in enumerate(exchanges, start=1):
        lines += ["", f"== {number}. {request}" + (f"  [{given}]" if given else "")]
        digest = hashlib.sha256(answer).hexdigest()[:16]
        lines.append(f"-- {len(answer)} bytes, sha256 {digest}")
        if answer in seen:
            lines.append(f"(the same answer as {seen[answer]}.)")
            continue
        seen[answer] = number
        lines.append(_indented(answer))
    return "\n".join(lines) + "\n"


def _indented(answer: bytes) -> str:
    try:
        root = ET.fromstring(answer)
    except ET.ParseError:
        return answer.decode("utf-8", "replace")
    ET.indent(root)
    return ET.tostring(root, encoding="unicode")


def path_for(flow_file: Path, name: str) -> Path:
    """tests/golden/<flow file stem>/<name as ASCII>-<short hash of the name>.twiml."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:60]
    tag = hashlib.sha256(name.encode()).hexdigest()[:6]
    return GOLDEN / flow_file.stem / f"{slug}-{tag}.twiml"


class GoldenMismatch(AssertionError):
    pass


def check(path: Path, text: str) -> None:
    """Compare with the golden file (or write it when updating)."""
    if updating():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        return
    if not path.exists():
        raise GoldenMismatch(f"no golden answers in {path.relative_to(ROOT)}: run the scenario "
                             "with IVR_UPDATE_GOLDEN=1 and commit the file")
    expected = path.read_text(encoding="utf-8")
    if expected != text:
        diff = difflib.unified_diff(expected.splitlines(), text.splitlines(),
                                    str(path.relative_to(ROOT)), "the webhook now", lineterm="")
        shown = list(diff)
        more = f"\n... {len(shown) - 80} more lines" if len(shown) > 80 else ""
        raise GoldenMismatch("the answers differ from the golden ones (meant? rerun with "
                             "IVR_UPDATE_GOLDEN=1 and say why in the commit):\n"
                             + "\n".join(shown[:80]) + more)
