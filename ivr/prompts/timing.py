"""How long callers listen: seconds of audio to each language's option in the language menu.

Read from the rendered files (audioformat.check_audio), the best file of each sentence as a
caller would hear it. Issue 10 item 7: every offered language's option within 30 s, the
112 notice and the fi/sv/en options within 12 s.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ivr.core import script
from ivr.core.model import Menus
from ivr.core.script import Line
from ivr.prompts.audioformat import BadAudio
from ivr.prompts.audioformat import check_audio
from ivr.prompts.catalogue import Manifest
from ivr.prompts.catalogue import best_file

Seconds = Callable[[Line], "tuple[float, str] | None"]


def file_seconds(manifest: Manifest, present: set[str], prompts_dir: Path) -> Seconds:
    """(seconds, engine) of the best audio of a line, read from its file; None if none.
    Each file is read once: the first-contact table asks for the same sentences on every
    path of every language."""
    known: dict[tuple[str, str], tuple[float, str] | None] = {}

    def seconds(line: Line) -> tuple[float, str] | None:
        key = (line.lang, line.text)
        if key not in known:
            known[key] = _read(line)
        return known[key]

    def _read(line: Line) -> tuple[float, str] | None:
        name = best_file(manifest, present, line.lang, line.text, allow_offline=True)
        if name is None:
            return None
        try:
            return check_audio((prompts_dir / name).read_bytes(), Path(name).suffix), \
                manifest.files[name].engine
        except (OSError, BadAudio):
            return None  # a broken file counts as none; the next build replaces it

    return seconds


def language_choice(menus: Menus, seconds: Seconds) -> dict[str, float | None]:
    """Per offered language: seconds from the start of the call until its option has been
    said (None when a sentence up to it has no audio, so no honest figure exists)."""
    options = {
        language.code: script.language_option(menus, language.code, language.keys[0])[-1]
        for language in menus.offered()
    }
    result: dict[str, float | None] = {}
    total: float | None = 0.0
    for line in script.language_menu(menus):
        heard = seconds(line)
        total = None if heard is None or total is None else total + heard[0]
        for code, option in options.items():
            if option == line and code not in result:
                result[code] = None if total is None else round(total, 2)
    return result
