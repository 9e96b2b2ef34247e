"""Which sentence has a recording the webhook may play (read from prompts/manifest.json).

Callers never hear the robotic offline voice by accident: espeak renders count only when
the operator allows them (IVR_ALLOW_OFFLINE_PROMPTS, for a demo or the QA page).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ivr.prompts.catalogue import HUMAN
from ivr.prompts.catalogue import MANIFEST
from ivr.prompts.catalogue import ManifestError
from ivr.prompts.catalogue import best_file
from ivr.prompts.catalogue import parse_manifest


class PromptIndex:
    """Maps (language, exact sentence text) to an audio file name in the prompts folder."""

    def __init__(
        self,
        files: dict[tuple[str, str], str] | None = None,
        version: str = "",
        listed: frozenset[str] = frozenset(),
        on_disk: frozenset[str] | None = None,
    ) -> None:
        self._files = dict(files or {})
        self.version = version
        """Short hash of the manifest read and of which of its files were found ('' if none)."""
        self.listed = listed
        """Every file name the manifest lists."""
        self.on_disk = on_disk
        """The listed files found on disk, or None when files were not looked for (a CDN)."""

    @classmethod
    def load(
        cls, prompts_dir: Path, allow_offline: bool = False, check_files: bool = True
    ) -> PromptIndex:
        """Read the manifest; offline (espeak) renders count only when allowed.

        No manifest is an empty index; a broken one raises ManifestError.

        With check_files, a file listed but not on disk is left out (a <Play> of it would
        fail the call); pass False when the audio lives only on a CDN.
        """
        try:
            raw = (Path(prompts_dir) / MANIFEST).read_bytes()
            manifest = parse_manifest(raw.decode("utf-8"))
        except FileNotFoundError:
            return cls()
        except UnicodeDecodeError as error:
            # Raised, not swallowed: the menu store then keeps the last good index.
            raise ManifestError(f"{MANIFEST} is not UTF-8: {error}") from error
        listed = frozenset(manifest.files)
        on_disk = listed_on_disk(prompts_dir, listed) if check_files else None
        present = set(manifest.files) if on_disk is None else set(on_disk)
        lines = {(e.lang, e.text) for e in manifest.files.values()}
        files = {}
        for lang, text in lines:
            name = best_file(manifest, present, lang, text, allow_offline)
            if name is not None:
                files[(lang, text)] = name
        # The webhook caches whole answers per version, so a file gone (or back) is a new one.
        found = "\n".join(sorted(on_disk or ())).encode()
        version = hashlib.sha256(raw + b"\0" + found).hexdigest()[:12]
        return cls(files, version, listed, on_disk)

    def files_changed(self, prompts_dir: Path) -> bool:
        """Whether a file the manifest lists has gone from disk or come back since loading."""
        if self.on_disk is None:
            return False
        return listed_on_disk(prompts_dir, self.listed) != self.on_disk

    def lookup(self, text: str, lang: str) -> str | None:
        """The audio file for this exact sentence, or None to fall back to <Say>."""
        return self._files.get((lang, text))

    def recorded(self, text: str, lang: str) -> bool:
        """Whether this exact sentence has a human recording (recorded-only languages)."""
        name = self._files.get((lang, text))
        return name is not None and f"-{HUMAN}-" in name

    def __len__(self) -> int:
        return len(self._files)


def listed_on_disk(prompts_dir: Path, listed: frozenset[str]) -> frozenset[str]:
    """Which of the listed file names are in the folder (none if there is no folder)."""
    try:
        names = os.listdir(prompts_dir)
    except (FileNotFoundError, NotADirectoryError):
        return frozenset()
    return listed.intersection(names)
