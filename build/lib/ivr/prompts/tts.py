"""Text-to-speech engines: gTTS (network) and espeak-ng + lame (offline).

The only code in the package that talks to the network or starts processes. Each engine
turns one sentence with its voice settings (from `prompts.voice_settings`) into MP3 bytes
and checks them: gTTS can return 0 bytes or empty audio without raising (reference §6.5).
"""

from __future__ import annotations

import io
import os
import subprocess
import time
from collections.abc import Callable
from collections.abc import Mapping
from typing import Protocol

from gtts import gTTS  # type: ignore[import-untyped]
from gtts import gTTSError

from ivr.prompts.audioformat import BadAudio
from ivr.prompts.audioformat import check_audio


class RenderError(Exception):
    """One sentence could not be rendered; the build goes on with the others."""


class NoNetwork(Exception):
    """gTTS cannot reach Google at all; the build stops (and says how to render offline)."""

    def __init__(self, host: str) -> None:
        super().__init__(f"no network for gTTS ({host} unreachable)")
        self.host = host


class Engine(Protocol):
    name: str
    jobs: int
    """How many sentences to render at once."""

    def render(self, text: str, settings: Mapping[str, str]) -> tuple[bytes, float]:
        """MP3 bytes of the sentence and their playing time in seconds."""
        ...


class GttsEngine:
    """Google Translate's voice through gTTS, with the tld pinned per language."""

    name = "gtts"

    def __init__(
        self,
        timeout: float = 10.0,
        retries: int = 3,
        backoff: float = 1.0,
        jobs: int = 4,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.timeout, self.retries, self.backoff, self.jobs = timeout, retries, backoff, jobs
        self._sleep = sleep or (lambda seconds: time.sleep(seconds))

    def _once(self, text: str, settings: Mapping[str, str]) -> bytes:
        # Without a timeout gTTS waits forever (reference §6.5); without a pinned tld the
        # accent follows the machine's location (§6.2).
        tts = gTTS(text, lang=settings["lang"], tld=settings["tld"], timeout=self.timeout)
        buffer = io.BytesIO()
        tts.write_to_fp(buffer)
        return buffer.getvalue()

    def render(self, text: str, settings: Mapping[str, str]) -> tuple[bytes, float]:
        """Render with retries and exponential backoff; NoNetwork if Google is unreachable."""
        problem = ""
        for attempt in range(self.retries + 1):
            if attempt:
                self._sleep(self.backoff * 2 ** (attempt - 1))
            try:
                data = self._once(text, settings)
                return data, check_audio(data)
            except gTTSError as error:
                problem = str(error)
                reachable = error.rsp is not None
                if reachable and error.rsp.status_code < 500 and error.rsp.status_code != 429:
                    break  # 403/404: a bad token or tld; asking again will not help
            except BadAudio as error:
                problem, reachable = f"gTTS returned {error}", True
            except (AssertionError, ValueError) as error:
                # gTTS refuses empty or punctuation-only text and unknown languages.
                problem = f"gTTS cannot say {text!r} in {settings['lang']!r}: {error}"
                raise RenderError(problem) from error
        if not reachable:
            raise NoNetwork(f"translate.google.{settings['tld']}")
        raise RenderError(f"{problem} (after {attempt + 1} tries)")


class EspeakEngine:
    """Debian's espeak-ng, trimmed with sox, encoded to a small mono MP3 with lame: offline."""

    name = "espeak"

    def __init__(self, jobs: int | None = None, timeout: float = 30.0) -> None:
        # Two processes per sentence, mostly short: twice the CPUs keeps them all busy.
        self.jobs, self.timeout = jobs or 2 * (os.cpu_count() or 1), timeout

    def _run(self, command: list[str], data: bytes) -> bytes:
        try:
            done = subprocess.run(command, input=data, capture_output=True, timeout=self.timeout)
        except FileNotFoundError as error:
            missing = f"{command[0]} is not installed (apt-get install espeak-ng sox lame)"
            raise RenderError(missing) from error
        except subprocess.TimeoutExpired as error:
            raise RenderError(f"{command[0]} took over {self.timeout:g} s") from error
        if done.returncode:
            problem = done.stderr.decode(errors="replace").strip()
            raise RenderError(f"{command[0]} failed: {problem}")
        return done.stdout

    def render(self, text: str, settings: Mapping[str, str]) -> tuple[bytes, float]:
        """Speak the text to WAV on stdout (text on stdin, so no option injection), then MP3."""
        rate = ["-s", settings["rate"]] if settings.get("rate") else []
        wav = self._run(["espeak-ng", "-v", settings["voice"], *rate, "--stdout"], text.encode())
        if settings.get("trim"):
            trim = settings["trim"].split()
            wav = self._run(["sox", "-t", "wav", "-", "-t", "wav", "-", *trim], wav)
        mp3 = self._run(["lame", "--quiet", *settings["mp3"].split()[1:], "-", "-"], wav)
        try:
            return mp3, check_audio(mp3)
        except BadAudio as error:
            raise RenderError(f"espeak-ng/lame gave {error}") from error


def make_engine(name: str, jobs: int | None = None) -> Engine:
    """The engine called `name` ('gtts' or 'espeak')."""
    engine: Engine = GttsEngine() if name == "gtts" else EspeakEngine()
    if jobs:
        engine.jobs = jobs
    return engine
