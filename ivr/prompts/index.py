"""Which sentence has a recording the webhook may play (read from prompts/manifest.json).

Callers never hear the robotic offline voice by accident: espeak renders count only when
the operator allows them (IVR_ALLOW_OFFLINE_PROMPTS, for a demo or the QA page). Nor do
they hear silence: a file cut short by a full disk or a failed copy is said with <Say>.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ivr.prompts.audioformat import MIN_BYTES
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
        stamps: Stamps | None = None,
    ) -> None:
        self._files = dict(files or {})
        self.version = version
        """Short hash of the manifest read and of which of its files were found ('' if none)."""
        self.listed = listed
        """Every file name the manifest lists."""
        self.on_disk = on_disk
        """The listed files found on disk and playable, or None when files were not looked
        for (a CDN)."""
        self.stamps = stamps
        """What the listed files on disk were like when loaded: a change is a new index."""

    @classmethod
    def load(
        cls, prompts_dir: Path, allow_offline: bool = False, check_files: bool = True
    ) -> PromptIndex:
        """Read the manifest; offline (espeak) renders count only when allowed.

        No manifest is an empty index; a broken one raises ManifestError.

        With check_files, a file listed but not on disk, or not `playable`, is left out (a
        <Play> of it would fail the call or play silence); pass False when the audio lives
        only on a CDN.
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
        stamps = disk_stamps(prompts_dir, listed) if check_files else None
        on_disk = None if stamps is None else frozenset(
            name for name, (_, size, _) in stamps.items()
            if size >= MIN_BYTES and playable(Path(prompts_dir) / name))
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
        return cls(files, version, listed, on_disk, stamps)

    def files_changed(self, prompts_dir: Path) -> bool:
        """Whether a file the manifest lists has gone from disk, come back or been rewritten
        (cut to 0 bytes, say) since loading."""
        if self.stamps is None:
            return False
        return disk_stamps(prompts_dir, self.listed) != self.stamps

    def lookup(self, text: str, lang: str) -> str | None:
        """The audio file for this exact sentence, or None to fall back to <Say>."""
        return self._files.get((lang, text))

    def recorded(self, text: str, lang: str) -> bool:
        """Whether this exact sentence has a human recording (recorded-only languages)."""
        name = self._files.get((lang, text))
        return name is not None and f"-{HUMAN}-" in name

    def __len__(self) -> int:
        return len(self._files)


Stamps = dict[str, tuple[int, int, int]]
"""File name -> (inode, size, mtime in ns)."""


def disk_stamps(prompts_dir: Path, listed: frozenset[str]) -> Stamps:
    """The stamps of the listed files in the folder (none if there is no folder)."""
    # One stat a file (about 4 ms for 800 files), once per reload check: a file cut to
    # 0 bytes keeps its name, so listing the folder alone would not notice (issue 22 item 10).
    stamps: Stamps = {}
    try:
        with os.scandir(prompts_dir) as entries:
            for entry in entries:
                if entry.name in listed:
                    try:
                        info = entry.stat()
                    except OSError:
                        continue  # gone since the listing
                    stamps[entry.name] = (info.st_ino, info.st_size, info.st_mtime_ns)
    except (FileNotFoundError, NotADirectoryError):
        pass
    return stamps


def playable(path: Path) -> bool:
    """Whether a prompt file can be played: as large as speech, and MP3 or WAV as it starts.

    The whole file was checked when it was written (build.write_atomic); this notices one
    emptied or overwritten since, reading 12 bytes.
    """
    try:
        with open(path, "rb") as file:
            head = file.read(12)
            size = os.fstat(file.fileno()).st_size
    except OSError:
        return False
    if size < MIN_BYTES:
        return False
    if path.suffix == ".wav":
        return head[:4] == b"RIFF" and head[8:12] == b"WAVE"
    return head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)
