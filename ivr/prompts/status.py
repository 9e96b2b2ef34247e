"""What `prompts status` says beyond the counts: audio time to the menus and to each
language's option, and how much of each recorded-only language is recorded (issue 10)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from ivr.atomicfile import leftovers
from ivr.core import script
from ivr.core.model import Menus
from ivr.core.recorded import fully_recorded
from ivr.core.recorded import recording_progress
from ivr.core.script import Line
from ivr.menus.problems import plural
from ivr.prompts.catalogue import HUMAN
from ivr.prompts.catalogue import Manifest
from ivr.prompts.firstcontact import table
from ivr.prompts.timing import file_seconds
from ivr.prompts.timing import language_choice


class StatusReport:
    """Timings and recordings of one menus file against one prompts folder."""

    def __init__(self, menus: Menus, manifest: Manifest, present: set[str], folder: Path):
        self.seconds = file_seconds(manifest, present, folder)
        self.leftovers = [path.name for path in leftovers(folder)]
        """Temp files of a build or recording that was killed (a running one's are not)."""
        recorded = {(e.lang, e.text) for n, e in manifest.files.items()
                    if e.engine == HUMAN and n in present}

        def has(text: str, lang: str) -> bool:
            return (lang, text) in recorded

        # As the webhook would offer them: recorded-only languages once fully recorded.
        self.menus = dataclasses.replace(menus, recorded=fully_recorded(menus, has))
        self.recordings = recording_progress(menus, has)

    def timed(self, lines: list[Line]) -> str:
        """Total playing time of the best audio of each line, read from the files."""
        total, engines, missing = 0.0, [], 0
        for line in lines:
            heard = self.seconds(line)
            if heard is None:
                missing += 1
                continue
            total += heard[0]
            engines.append(heard[1])
        kinds = ", ".join(f"{engines.count(e)} {e}" for e in sorted(set(engines)))
        gap = f", {missing} without audio not counted" if missing else ""
        count = plural(len(lines), "sentence")
        return f"{total:.1f} s of audio ({count}: {kinds or 'none rendered'}{gap})"

    def _main_menu(self, lang: str) -> list[Line]:
        return script.language_menu(self.menus) + script.menu_prompt(
            self.menus, self.menus.call.main_menu, lang)

    def text_lines(self) -> list[str]:
        menus = self.menus
        lines = [f"time to the language choice: {self.timed(script.language_menu(menus))}"]
        contacts = self.first_contact()
        for lang, seconds in language_choice(menus, self.seconds).items():
            said = "not all rendered" if seconds is None else f"{seconds:.1f} s"
            row = contacts.get(lang, {})
            if row.get("median") is None:
                after = "first contact: not all rendered"
            else:
                after = (f"first contact {row['median']:.1f} s after it (median), "
                         f"{row['worst']:.1f} s at worst ({row['worst_path']})")
            lines.append(f"time to the {lang} option: {said}; {after}")
        for language in menus.offered():
            lines.append(f"time to the end of the main menu in {language.code}: "
                         f"{self.timed(self._main_menu(language.code))}")
        menu_seconds = self._total(script.language_menu(menus))
        for lang, seconds in self.info_line_key().items():
            said = "not all rendered" if seconds is None or menu_seconds is None else (
                f"{seconds:.1f} s ({seconds - menu_seconds:.1f} s after the language menu)")
            lines.append(f"time to the info line's key in {lang}: {said}")
        for lang, (done, needed) in self.recordings.items():
            offered = "offered" if lang in {x.code for x in menus.offered()} else "not offered"
            lines.append(f"{lang}: spoken only by recordings, {done} of {needed} sentences "
                         f"recorded; {offered} to callers")
        if self.leftovers:
            lines.append(f"{plural(len(self.leftovers), 'temporary file')} left by a build or "
                         f"recording that was killed ({', '.join(self.leftovers[:3])}"
                         f"{', ...' if len(self.leftovers) > 3 else ''}): the next prompts "
                         "build or record removes them")
        return lines

    def _total(self, lines: list[Line]) -> float | None:
        """Seconds of audio of these lines; None when one has none (no honest figure)."""
        total = 0.0
        for line in lines:
            heard = self.seconds(line)
            if heard is None:
                return None
            total += heard[0]
        return round(total, 1)

    def first_contact(self) -> dict[str, dict[str, object]]:
        """Per offered language: seconds from its option to the first service's contact,
        median and worst over every need and region, and the longest stretch of read-out
        before its keys (issue 19)."""
        return table(self.menus, self.seconds)

    def info_line_key(self) -> dict[str, float | None]:
        """Per offered language: seconds from the start of the call until the info line's
        key is first said (issue 14)."""
        return {language.code: self._total(script.until_info_line_key(self.menus, language.code))
                for language in self.menus.offered()}

    def as_json(self, engine: str, counts: dict[str, dict[str, int]]) -> dict[str, object]:
        offered = {language.code for language in self.menus.offered()}
        return {
            "engine": engine,
            "languages": counts,
            "language_choice": language_choice(self.menus, self.seconds),
            "first_contact": self.first_contact(),
            "info_line_key": self.info_line_key(),
            "recorded_only": {
                lang: {"recorded": done, "sentences": needed, "offered": lang in offered}
                for lang, (done, needed) in self.recordings.items()
            },
            "leftovers": self.leftovers,
        }
