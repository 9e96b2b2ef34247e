"""What happened on a simulated call: what the caller heard and did, and how the call ended."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict
from dataclasses import dataclass
from dataclasses import field
from typing import Any


@dataclass
class Event:
    """One thing on the call: heard, pressed, said, silence, pause, transfer or note."""

    kind: str
    menu: str = ""
    text: str | None = None
    lang: str | None = None
    audio: str | None = None
    keys: str | None = None
    seconds: int | None = None
    number: str | None = None
    outcome: str | None = None
    agent_heard: list[dict[str, str | None]] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass
class Ending:
    """How the call ended: `kind` is transferred, emergency, hangup, dead_end, loop or error."""

    kind: str
    number: str | None = None
    outcome: str | None = None
    detail: str = ""
    menu: str = ""

    def describe(self) -> str:
        """One line for people: 'transferred to +358295463177 (completed)'."""
        if self.kind == "transferred":
            return f"transferred to {self.number} ({self.outcome})"
        if self.kind == "emergency":
            return f"told to dial the emergency number, then hung up (in {self.menu})"
        if self.kind == "hangup":
            return f"the line hung up (in {self.menu})"
        return f"{self.kind.replace('_', ' ')} in {self.menu}: {self.detail}"


def hangup_ending(events: list[Event], emergency: Collection[str], verb: str | None) -> Ending:
    """How a call ended by <Hangup>, <Reject> (verb) or running out of verbs (None)."""
    if _heard_emergency(events, emergency):
        return Ending("emergency", detail="told to hang up and dial the emergency number")
    if verb is None:
        return Ending("dead_end", detail="the TwiML ran out of verbs, so the call ended")
    return Ending("hangup", detail=f"<{verb}>")


def _heard_emergency(events: list[Event], emergency: Collection[str]) -> bool:
    for event in reversed(events):
        if event.kind in ("pressed", "silence", "said"):
            return False
        # A <Say> may hold several sentences; the emergency sentence is one of them.
        if event.kind == "heard" and any(text in (event.text or "") for text in emergency):
            return True
    return False


@dataclass
class Transcript:
    events: list[Event] = field(default_factory=list)
    ending: Ending | None = None

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: {'events': [...], 'ending': {...} or None}."""
        ending = asdict(self.ending) if self.ending else None
        return {"events": [e.as_dict() for e in self.events], "ending": ending}


def render_event(event: Event) -> list[str]:
    """An event as lines of text for a terminal."""
    if event.kind == "heard":
        return [f"  [{event.menu}] ({event.lang or '?'}) {event.text}"]
    if event.kind == "pressed":
        return [f"> press {event.keys}"]
    if event.kind == "silence":
        return [f"> silence ({event.seconds} s)"]
    if event.kind == "said":
        return [f'> say "{event.text}"']
    if event.kind == "pause":
        return [f"  [{event.menu}] (pause {event.seconds} s)"]
    if event.kind == "transfer":
        lines = [f"== transfer to {event.number}: {event.outcome}"]
        for line in event.agent_heard or []:
            lines.append(f"   agent hears ({line['lang'] or '?'}) {line['text']}")
        return lines
    return [f"  note: {event.text}"]


def render_transcript(transcript: Transcript, waiting_in: str | None = None) -> str:
    """The whole call as text, ending with how it ended (or where it waits: `waiting_in`)."""
    lines = [line for event in transcript.events for line in render_event(event)]
    return "\n".join([*lines, closing_line(transcript, waiting_in)]) + "\n"


def closing_line(transcript: Transcript, waiting_in: str | None = None,
                 hung_up: bool = False) -> str:
    """How the call ended; if it has not, where it waits for a key (or where the caller
    hung up, `hung_up`, in an interactive call)."""
    if transcript.ending is not None:
        return f"== call ended: {transcript.ending.describe()}"
    where = f" in {waiting_in}" if waiting_in else ""
    if hung_up:
        return f"== you hung up{where}"
    return f"== still on the line, waiting for a key{where}"
