"""Which sentence has a recording the webhook may play (read from prompts/manifest.json).

Callers never hear the robotic offline voice by accident: espeak renders count only when
the operator allows them (IVR_ALLOW_OFFLINE_PROMPTS, for a demo or the QA page).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ivr.prompts import MANIFEST
from ivr.prompts import ManifestError
from ivr.prompts import best_file
from ivr.prompts import is_prompt_name
from ivr.prompts import parse_manifest


class PromptIndex:
    """Maps (language, exact sentence text) to an audio file name in the prompts folder."""

    def __init__(self, files: dict[tuple[str, str], str] | None = None, version: str = "") -> None:
        self._files = dict(files or {})
        self.version = version
        """Short hash of the manifest read ('' if there was none)."""

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
        if check_files:
            present = {p.name for p in Path(prompts_dir).iterdir() if is_prompt_name(p.name)}
        else:
            present = set(manifest.files)
        lines = {(e.lang, e.text) for e in manifest.files.values()}
        files = {}
        for lang, text in lines:
            name = best_file(manifest, present, lang, text, allow_offline)
            if name is not None:
                files[(lang, text)] = name
        return cls(files, hashlib.sha256(raw).hexdigest()[:12])

    def lookup(self, text: str, lang: str) -> str | None:
        """The audio file for this exact sentence, or None to fall back to <Say>."""
        return self._files.get((lang, text))

    def __len__(self) -> int:
        return len(self._files)
