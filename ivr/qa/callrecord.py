"""A call played by hand (the QA keypad) kept step by step, and copied as a scenario file.

The scenario replays the call: each key or silence, the outcome of each transfer, where the
call then waits, the first sentence heard in answer, and how the call ended (docs/qa.md).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from dataclasses import field
from typing import Any

import yaml

from ivr.core.speech import sentences
from ivr.qa.transcript import Ending
from ivr.qa.transcript import Event


class NotReplayable(ValueError):
    """The call ended in a way no scenario accepts (an error or a loop)."""


@dataclass(frozen=True)
class Played:
    keys: str
    """The key pressed; '' is silence."""
    events: list[Event]
    waiting_in: str | None


@dataclass
class CallRecord:
    start: list[Event] = field(default_factory=list)
    steps: list[Played] = field(default_factory=list)


def one_per_sentence(events: list[Event]) -> list[dict[str, Any]]:
    """Events as dicts; a <Say> of several sentences becomes one line per sentence."""
    out: list[dict[str, Any]] = []
    for event in events:
        data = event.as_dict()
        if event.kind == "heard" and not event.audio and event.text:
            out += [{**data, "text": sentence} for sentence in sentences(event.text)]
        else:
            out.append(data)
    return out


def _first_heard(events: list[Event]) -> dict[str, str] | None:
    for event in events:
        if event.kind == "heard" and event.text:
            return {"contains": sentences(event.text)[0]}
    return None


def _step(played: Played) -> dict[str, Any]:
    step: dict[str, Any] = {"press": played.keys} if played.keys else {"silence": True}
    transfers = [e.outcome for e in played.events if e.kind == "transfer" and e.outcome]
    if transfers:
        step["outcome"] = transfers[0]
    hears = _first_heard(played.events)
    if hears:
        step["hears"] = hears
    if played.waiting_in:
        step["menu"] = played.waiting_in
    return step


def _ends(ending: Ending | None, waiting_in: str | None) -> str | dict[str, str]:
    if ending is None:
        return {"in_menu": waiting_in or ""}
    if ending.kind == "transferred":
        return {"transferred": ending.number or ""}
    if ending.kind in ("emergency", "hangup", "dead_end"):
        return ending.kind
    raise NotReplayable(f"the call ended in {ending.kind.replace('_', ' ')} "
                        f"({ending.describe()}): report it rather than replay it")


def scenario_text(record: CallRecord, ending: Ending | None, waiting_in: str | None,
                  today: datetime.date | None = None) -> str:
    """A scenario file (flows/*.yaml) that replays the recorded call."""
    day = (today or datetime.date.today()).isoformat()
    steps = [{"hears": hears} for hears in [_first_heard(record.start)] if hears]
    steps += [_step(played) for played in record.steps]
    scenario = {"name": f"copied from the QA keypad on {day}", "steps": steps,
                "ends": _ends(ending, waiting_in)}
    body = yaml.safe_dump([scenario], allow_unicode=True, sort_keys=False, width=100)
    return ("# Replays a call played on the QA keypad; save it in flows/ and run "
            "`ivr flows run`.\n" + body)
