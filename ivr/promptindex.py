"""Which sentence has a recording the webhook may play (read from prompts/manifest.json).

Stub until the prompts issue: the index is empty, so every sentence is spoken with <Say>.
"""

from __future__ import annotations

from pathlib import Path


class PromptIndex:
    """Maps (language, exact sentence text) to an audio file name in the prompts folder."""

    def __init__(self, files: dict[tuple[str, str], str] | None = None, version: str = "") -> None:
        self._files = dict(files or {})
        self.version = version

    @classmethod
    def load(cls, prompts_dir: Path, allow_offline: bool = False) -> PromptIndex:
        """Read the manifest; offline (espeak) renders count only when allowed."""
        return cls()

    def lookup(self, text: str, lang: str) -> str | None:
        """The audio file for this exact sentence, or None to fall back to <Say>."""
        return self._files.get((lang, text))
