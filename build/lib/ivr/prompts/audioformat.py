"""MP3 and WAV files read just far enough to know they are real audio, and how long they play.

Pure: bytes in, seconds out. Every rendered or recorded prompt passes `check_audio` before it
is used, since gTTS can return empty or broken audio without raising (reference §6.5).
"""

from __future__ import annotations

MIN_BYTES = 600
MIN_SECONDS = 0.3

_MP3_KBPS = {
    1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_MP3_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


class BadAudio(ValueError):
    """The bytes are not a playable MP3 or WAV of a plausible size."""


def _mp3_frame(data: bytes, pos: int) -> tuple[int, float] | None:
    """(length, seconds) of the MPEG Layer III frame at pos, or None if there is none."""
    if len(data) - pos < 4 or data[pos] != 0xFF or data[pos + 1] & 0xE0 != 0xE0:
        return None
    version, layer = (data[pos + 1] >> 3) & 3, (data[pos + 1] >> 1) & 3
    bitrate, rate = data[pos + 2] >> 4, (data[pos + 2] >> 2) & 3
    if version == 1 or layer != 1 or bitrate in (0, 15) or rate == 3:
        return None
    kbps = _MP3_KBPS[1 if version == 3 else 2][bitrate]
    hz = _MP3_RATES[version][rate]
    per_frame = 1152 if version == 3 else 576
    length = per_frame // 8 * 1000 * kbps // hz + ((data[pos + 2] >> 1) & 1)
    return length, per_frame / hz


def _id3_length(data: bytes, pos: int) -> int:
    size = data[pos + 6 : pos + 10]
    if len(size) < 4:
        return len(data) - pos
    syncsafe = (size[0] << 21) | (size[1] << 14) | (size[2] << 7) | size[3]
    return 10 + syncsafe + (10 if data[pos + 5] & 0x10 else 0)


def mp3_seconds(data: bytes) -> float | None:
    """Playing time of an MP3 (frames counted; ID3 tags skipped), or None if it is not one."""
    pos, seconds, frames = 0, 0.0, 0
    while pos < len(data):
        if data[pos : pos + 3] == b"ID3":
            pos += _id3_length(data, pos)
            continue
        frame = _mp3_frame(data, pos)
        if frame is None or pos + frame[0] > len(data):
            # Tolerate a trailing tag or a cut last frame, not junk in the middle (gTTS
            # concatenates one stream per request, each made of whole frames).
            break
        pos += frame[0]
        seconds += frame[1]
        frames += 1
    if frames < 2 or pos < 0.9 * len(data):
        return None
    return seconds


def wav_seconds(data: bytes) -> float | None:
    """Playing time of a RIFF/WAVE file, or None if it is not one."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        return None
    pos, byte_rate = 12, 0
    while pos + 8 <= len(data):
        chunk, size = data[pos : pos + 4], int.from_bytes(data[pos + 4 : pos + 8], "little")
        if chunk == b"fmt " and size >= 16:
            byte_rate = int.from_bytes(data[pos + 16 : pos + 20], "little")
        elif chunk == b"data" and byte_rate:
            return min(size, len(data) - pos - 8) / byte_rate
        pos += 8 + size + (size & 1)
    return None


def check_audio(data: bytes, suffix: str = ".mp3") -> float:
    """Seconds of playing time; BadAudio if the bytes are empty, tiny or not audio."""
    if not data:
        raise BadAudio("empty audio (0 bytes)")
    if len(data) < MIN_BYTES:
        raise BadAudio(f"too small to be speech ({len(data)} bytes)")
    seconds = wav_seconds(data) if suffix == ".wav" else mp3_seconds(data)
    if seconds is None:
        kind = "WAV" if suffix == ".wav" else "MP3"
        raise BadAudio(f"not {kind} audio (starts {data[:8]!r})")
    if seconds < MIN_SECONDS:
        raise BadAudio(f"too short to be speech ({seconds:.2f} s)")
    return seconds
