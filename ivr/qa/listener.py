"""How the simulated phone hears TwiML: audio files as their text, locales as languages."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from urllib.parse import parse_qsl
from urllib.parse import urlsplit

from ivr.core import callstate
from ivr.core import script
from ivr.core.model import Menus
from ivr.prompts.catalogue import MANIFEST
from ivr.prompts.catalogue import ManifestError
from ivr.prompts.catalogue import parse_manifest


def _path_of(url: str) -> str:
    return urlsplit(url).path


@dataclass
class Listener:
    """What the caller hears from <Say> and <Play>, and where in the menus a URL is."""

    manifest: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Audio file name -> (text, lang), from prompts/manifest.json."""
    locales: dict[str, str] = field(default_factory=dict)
    """<Say language> locale (fi-FI) -> language code (fi)."""
    emergency_texts: frozenset[str] = frozenset()
    """Sentences that tell the caller to dial the emergency number."""
    locate: Callable[[str], str] = _path_of
    """URL of a TwiML document -> where the call is (a menu id, or the step's path)."""

    def heard(self, verb: ET.Element) -> tuple[str, str | None, str | None]:
        """(text, lang, audio url) for a <Say> or <Play>."""
        body = (verb.text or "").strip()
        if verb.tag == "Say":
            locale = verb.get("language")
            return body, self.locales.get(locale or "", locale), None
        name = urlsplit(body).path.rsplit("/", 1)[-1]
        if name in self.manifest:
            text, lang = self.manifest[name]
            return text, lang, body
        return f"[audio {body}]", None, body


    def agent_heard(self, verbs: list[ET.Element]) -> list[dict[str, str | None]]:
        """What the answering agent hears from a whisper document."""
        heard = (self.heard(verb) for verb in verbs if verb.tag in ("Say", "Play"))
        return [{"text": text, "lang": lang} for text, lang, _ in heard]


def load_manifest(prompts_dir: Path) -> dict[str, tuple[str, str]]:
    """File name -> (text, lang) from prompts/manifest.json; none if it is missing or broken."""
    try:
        manifest = parse_manifest((Path(prompts_dir) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ManifestError):
        return {}
    return {name: (entry.text, entry.lang) for name, entry in manifest.files.items()}


def listener_for(menus: Menus, prompts_dir: Path | None = None) -> Listener:
    """A listener for the IVR's own webhook: menu ids from the state in each URL."""

    def locate(url: str) -> str:
        parts = urlsplit(url)
        if parts.path.endswith("/whisper"):
            return "whisper"
        return callstate.decode(dict(parse_qsl(parts.query)), menus).menu

    emergency = {
        line.text for lang in menus.texts["emergency"]
        for line in script.text(menus, "emergency", lang)
    }
    return Listener(
        manifest=load_manifest(prompts_dir) if prompts_dir else {},
        locales={
            lang.twilio_language: code
            for code, lang in menus.languages.items()
            if lang.twilio_language is not None
        },
        emergency_texts=frozenset(emergency),
        locate=locate,
    )
