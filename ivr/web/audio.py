"""GET /audio/<name>: the rendered prompts, for Twilio's <Play> and the QA page.

Names are content hashes, so a file never changes under its URL: it may be cached for a
year (Twilio obeys HTTP caching, reference §1.3). Twilio does not sign <Play> fetches, so
there is no signature check; only files the manifest lists are served.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint
from flask import Flask
from flask import Response
from flask import abort
from flask import send_from_directory

from ivr.prompts.catalogue import MANIFEST
from ivr.prompts.catalogue import ManifestError
from ivr.prompts.catalogue import is_prompt_name
from ivr.prompts.catalogue import parse_manifest
from ivr.prompts.index import playable
from ivr.settings import Settings

ONE_YEAR = 365 * 24 * 3600
MIMETYPES = {".mp3": "audio/mpeg", ".wav": "audio/wav"}


class _Listed:
    """The file names the manifest lists, re-read when the manifest changes."""

    def __init__(self, prompts_dir: Path) -> None:
        self.prompts_dir = prompts_dir
        # One attribute, swapped whole, so concurrent requests never see a half update.
        self._seen: tuple[tuple[int, int] | None, frozenset[str]] = (None, frozenset())

    def __contains__(self, name: str) -> bool:
        try:
            stat = (self.prompts_dir / MANIFEST).stat()
        except OSError:
            return False
        stamp = (stat.st_mtime_ns, stat.st_size)
        if stamp != self._seen[0]:
            try:
                text = (self.prompts_dir / MANIFEST).read_text(encoding="utf-8")
                names = frozenset(parse_manifest(text).files)
            except (OSError, UnicodeDecodeError, ManifestError):
                names = frozenset()
            self._seen = (stamp, names)
        return name in self._seen[1]


def init_app(app: Flask, settings: Settings) -> None:
    """Register GET /audio/<name> serving settings.prompts_dir."""
    listed = _Listed(Path(settings.prompts_dir))
    audio = Blueprint("audio", __name__)

    @audio.get("/audio/<name>")
    def play(name: str) -> Response:
        # is_prompt_name allows no '/', '..' or leading dot: nothing outside the folder.
        if not is_prompt_name(name) or name not in listed:
            abort(404)
        if not playable(listed.prompts_dir / name):
            abort(404)  # emptied by a full disk, say: a 200 of 0 bytes plays silence (item 10)
        response = send_from_directory(
            listed.prompts_dir.resolve(),
            name,
            mimetype=MIMETYPES[Path(name).suffix],
            max_age=ONE_YEAR,
            conditional=True,
        )
        response.cache_control.public = True
        response.cache_control.immutable = True
        return response

    app.register_blueprint(audio)
