"""The prompts catalogue: which audio file holds which sentence, and what is left to render.

Pure: no network, no processes. `tts.py` renders, `promptbuild.py` writes files, and this
module decides names (content hashes), reads the manifest and plans a build (issue 4).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from typing import Any

from ivr.core import script
from ivr.core.model import Language
from ivr.core.model import Menus
from ivr.core.script import Line

MANIFEST = "manifest.json"
HUMAN = "human"
ENGINES = ("gtts", "espeak")
PREFERENCE = (HUMAN, "gtts", "espeak")
"""Best first: an operator's recording, then gTTS, then the robotic offline voice."""
OFFLINE_ENGINES = frozenset({"espeak"})
ESPEAK_MP3 = "lame -m m -b 32"
"""How espeak's WAV becomes MP3; part of the hash, so changing it re-renders."""
ESPEAK_RATE = "185"
"""Words a minute; espeak's default 175 drags, and the first menu must be short."""
ESPEAK_TRIM = "silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse pad 0 0.1"
"""sox effects: espeak pads every sentence with silence, which adds up before the menus."""
_NAME = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?-(gtts|espeak|human)-[0-9a-f]{20}\.(mp3|wav)$")


def voice_settings(engine: str, language: Language) -> dict[str, str]:
    """The settings that shape the sound of a render; any change gives new file names."""
    if engine == "gtts":
        return {"lang": language.gtts_lang or "", "tld": language.gtts_tld or ""}
    if engine == "espeak":
        return {
            "voice": language.espeak_voice or "",
            "rate": ESPEAK_RATE,
            "trim": ESPEAK_TRIM,
            "mp3": ESPEAK_MP3,
        }
    raise ValueError(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})")


def render_name(engine: str, settings: Mapping[str, str], lang: str, text: str) -> str:
    """Content-addressed file name: a new text or voice is a new URL, so caches never go stale."""
    key = json.dumps([engine, dict(sorted(settings.items())), lang, text], ensure_ascii=False)
    return f"{lang}-{engine}-{hashlib.sha256(key.encode()).hexdigest()[:20]}.mp3"


def recording_name(lang: str, data: bytes, suffix: str) -> str:
    """Name of a human recording: hashed on its bytes, so a new take gets a new URL."""
    return f"{lang}-{HUMAN}-{hashlib.sha256(data).hexdigest()[:20]}{suffix}"


def is_prompt_name(name: str) -> bool:
    """Whether a file name is one this module gives out (and nothing else, e.g. no '/')."""
    return bool(_NAME.match(name))


def catalogue(menus: Menus, langs: Iterable[str] | None = None) -> list[Line]:
    """Every sentence a caller can hear, limited to some languages if given."""
    wanted = set(langs) if langs else set(menus.languages)
    return [line for line in script.every_line(menus) if line.lang in wanted]


# --- the manifest -------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """What one audio file holds."""

    lang: str
    text: str
    engine: str
    voice: Mapping[str, str]
    seconds: float


class _Files(dict[str, Entry]):
    """The manifest's files, counting their changes so that the index by sentence knows
    when it is out of date (a build adds and removes entries as it goes)."""

    changes = 0

    def __setitem__(self, name: str, entry: Entry) -> None:
        self.changes += 1
        super().__setitem__(name, entry)

    def __delitem__(self, name: str) -> None:
        self.changes += 1
        super().__delitem__(name)

    def pop(self, name: str, *default: Any) -> Any:
        self.changes += 1
        return super().pop(name, *default)

    def update(self, *args: Any, **kwargs: Any) -> None:
        self.changes += 1
        super().update(*args, **kwargs)

    def clear(self) -> None:
        self.changes += 1
        super().clear()

    def popitem(self) -> tuple[str, Entry]:
        self.changes += 1
        return super().popitem()

    def setdefault(self, name: str, entry: Entry) -> Entry:
        self.changes += 1
        return super().setdefault(name, entry)


@dataclass
class Manifest:
    """prompts/manifest.json: file name -> Entry."""

    files: dict[str, Entry] = field(default_factory=dict)
    _index: tuple[tuple[int, int], dict[tuple[str, str], dict[str, Entry]]] | None = field(
        default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.files = _Files(self.files)

    def for_line(self, lang: str, text: str) -> dict[str, Entry]:
        """The files of one sentence. Indexed once per state of `files`: a build, the prompt
        index and the status ask this for each of ~1,600 sentences."""
        changes = self.files.changes if isinstance(self.files, _Files) else -1
        state = (id(self.files), changes)
        if self._index is None or self._index[0] != state or changes < 0:
            index: dict[tuple[str, str], dict[str, Entry]] = {}
            for name, entry in self.files.items():
                index.setdefault((entry.lang, entry.text), {})[name] = entry
            self._index = (state, index)
        return dict(self._index[1].get((lang, text), {}))


class ManifestError(ValueError):
    """The manifest file is not what `render_manifest` writes."""


def parse_manifest(text: str) -> Manifest:
    """Read the manifest's JSON text; an empty text is an empty manifest."""
    if not text.strip():
        return Manifest()
    try:
        data = json.loads(text)
        files = {
            name: Entry(d["lang"], d["text"], d["engine"], dict(d["voice"]), float(d["seconds"]))
            for name, d in data["files"].items()
        }
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ManifestError(f"{MANIFEST} is not a prompts manifest: {error}") from error
    bad = [name for name in files if not is_prompt_name(name)]
    if bad:
        raise ManifestError(f"{MANIFEST}: not a prompt file name: {bad[0]!r}")
    return Manifest(files)


def render_manifest(manifest: Manifest) -> str:
    """The manifest as JSON with one line per file, sorted: diff-friendly and quick to write."""
    lines = [
        json.dumps(name)
        + ": "
        + json.dumps(
            {
                "lang": e.lang,
                "text": e.text,
                "engine": e.engine,
                "voice": dict(sorted(e.voice.items())),
                "seconds": round(e.seconds, 3),
            },
            ensure_ascii=False,
        )
        for name, e in sorted(manifest.files.items())
    ]
    # Written after every rendered file, so the C encoder (no indent=) keeps a build linear.
    return '{"version": 1, "files": {\n' + ",\n".join(lines) + "\n}}\n"


def best_file(
    manifest: Manifest, present: set[str], lang: str, text: str, allow_offline: bool
) -> str | None:
    """The file a caller should hear for a sentence: human > gtts > espeak (if allowed)."""
    found = {e.engine: n for n, e in manifest.for_line(lang, text).items() if n in present}
    for engine in PREFERENCE:
        if engine in found and (allow_offline or engine not in OFFLINE_ENGINES):
            return found[engine]
    return None


# --- planning a build ---------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """One sentence to render into one file."""

    name: str
    line: Line
    settings: Mapping[str, str]


@dataclass
class Plan:
    """What a build of one engine finds: to render, already there, and left over."""

    engine: str
    todo: list[Job] = field(default_factory=list)
    done: list[Line] = field(default_factory=list)
    recorded: list[Line] = field(default_factory=list)
    stale: list[Line] = field(default_factory=list)
    """Lines to render that have a render of this engine with older voice settings."""
    unused: list[str] = field(default_factory=list)
    """Rendered files no sentence uses any more (--prune removes them)."""
    unused_recordings: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    """Manifest entries whose file is gone."""
    unvoiced: list[Line] = field(default_factory=list)
    """Lines of a language this engine does not speak and no one has recorded yet."""


def speaks(engine: str, language: Language) -> bool:
    """Whether an engine can render a language (a recorded-only one has no engine)."""
    return (language.gtts_lang if engine == "gtts" else language.espeak_voice) is not None


def _is_current(name: str, entry: Entry, menus: Menus, heard: set[Line]) -> bool:
    if Line(entry.text, entry.lang) not in heard or entry.lang not in menus.languages:
        return False
    settings = voice_settings(entry.engine, menus.languages[entry.lang])
    return name == render_name(entry.engine, settings, entry.lang, entry.text)


def plan_build(
    menus: Menus, manifest: Manifest, present: set[str], engine: str, langs: Iterable[str] = ()
) -> Plan:
    """Compare the catalogue with the manifest and the files present on disk."""
    lines = catalogue(menus, langs)
    wanted = {line.lang for line in lines}
    plan = Plan(engine)
    for line in lines:
        have = {n: e for n, e in manifest.for_line(line.lang, line.text).items() if n in present}
        if any(e.engine == HUMAN for e in have.values()):
            plan.recorded.append(line)
            continue
        if not speaks(engine, menus.languages[line.lang]):
            plan.unvoiced.append(line)
            continue
        settings = voice_settings(engine, menus.languages[line.lang])
        name = render_name(engine, settings, line.lang, line.text)
        if name in have:
            plan.done.append(line)
        else:
            plan.todo.append(Job(name, line, settings))
            if any(e.engine == engine for e in have.values()):
                plan.stale.append(line)
    heard = set(lines)
    for name, entry in sorted(manifest.files.items()):
        if name not in present:
            plan.absent.append(name)
        elif entry.lang not in wanted and entry.lang in menus.languages:
            continue
        elif entry.engine == HUMAN:
            if Line(entry.text, entry.lang) not in heard:
                plan.unused_recordings.append(name)
        elif not _is_current(name, entry, menus, heard):
            plan.unused.append(name)
    return plan
