"""What the status page shows: the live menus, a rejected edit, the prompts, the numbers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import phonenumbers

from ivr.core.model import Menus
from ivr.menus.problems import Problem
from ivr.prompts.build import load_manifest
from ivr.prompts.build import present_files
from ivr.prompts.catalogue import HUMAN
from ivr.prompts.catalogue import OFFLINE_ENGINES
from ivr.prompts.catalogue import ManifestError
from ivr.prompts.catalogue import best_file
from ivr.prompts.catalogue import catalogue
from ivr.web.menustore import MenuStore

KINDS = (HUMAN, "gtts", "espeak", "none")


@dataclass(frozen=True)
class PromptRow:
    lang: str
    sentences: int
    counts: dict[str, int]
    """Sentences whose best audio is a recording, a gTTS render, an espeak render, or none."""
    heard_as_audio: int
    """Sentences a caller hears as audio (espeak only when offline prompts are allowed)."""


def rejected_edit(store: MenuStore) -> tuple[Problem, ...]:
    """The problems of the last edit of menus.yaml that did not go live: what stopped it
    first, then the warnings it also had (unreviewed texts...)."""
    return store.rejected


def prompt_rows(menus: Menus, prompts_dir: Path, allow_offline: bool) -> list[PromptRow]:
    """Per language, how many sentences have which kind of audio (ManifestError if broken)."""
    manifest = load_manifest(prompts_dir)
    present = present_files(prompts_dir)
    rows = {lang: dict.fromkeys(KINDS, 0) for lang in menus.languages}
    for line in catalogue(menus):
        name = best_file(manifest, present, line.lang, line.text, allow_offline=True)
        rows[line.lang][manifest.files[name].engine if name else "none"] += 1
    playable = {HUMAN, "gtts"} | (set(OFFLINE_ENGINES) if allow_offline else set())
    return [PromptRow(lang, sum(c.values()), c, sum(c[k] for k in playable if k in c))
            for lang, c in rows.items()]


def prompts_or_error(menus: Menus, prompts_dir: Path, allow_offline: bool
                     ) -> tuple[list[PromptRow], str | None]:
    try:
        return prompt_rows(menus, prompts_dir, allow_offline), None
    except ManifestError as error:
        return [], f"{prompts_dir}/{error}"


def national(number: str) -> str:
    """'+358295463177' -> '029 5463177' (phonenumbers' national format)."""
    try:
        parsed = phonenumbers.parse(number, "FI")
    except phonenumbers.NumberParseException:
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
