"""How long a caller waits for help (issue 19): seconds of audio from choosing a language to
the first service's contact, on every need x region path, and the longest stretch of audio
before a caller is told which keys they have.

The caller presses each key the moment its option has been said: in each menu they hear its
sentences up to that option's, then the next menu's; in the read-out, up to the end of the
first sentence that gives a service's phone number, e-mail or web address. The menus are
walked with the engine itself, so what is timed is what a caller hears.
"""

from __future__ import annotations

import collections
import statistics
from dataclasses import dataclass

from ivr.core import flow
from ivr.core import script
from ivr.core.callstate import CallState
from ivr.core.model import Menus
from ivr.core.script import Line
from ivr.core.turns import Listen
from ivr.core.turns import Press
from ivr.core.turns import Turn
from ivr.prompts.timing import Seconds


@dataclass(frozen=True)
class Path:
    """The keys that lead from the main menu to the read-out of a need in a region."""

    need: str
    region: str
    keys: tuple[str, ...]


@dataclass(frozen=True)
class Timed:
    path: Path
    seconds: float | None
    """From the language option to the end of the first contact (None: a sentence on the way
    has no audio, so no honest figure exists)."""


@dataclass(frozen=True)
class Summary:
    median: float | None
    worst: float | None
    worst_path: Path | None


def _after_choosing(menus: Menus, lang: str) -> Turn:
    """What a caller hears right after pressing the last key of the language's path."""
    keys = menus.languages[lang].keys
    state = CallState.start()
    for key in keys[:-1]:
        then = flow.next_turn(menus, state, Press(key)).then
        assert isinstance(then, Listen)
        state = then.state
    return flow.next_turn(menus, state, Press(keys[-1]))


def paths(menus: Menus, lang: str) -> list[Path]:
    """The shortest key path to the read-out of every need and region the menus tell a
    caller about (script.told_pairs: a region only where it changes the services)."""
    start = _after_choosing(menus, lang).then
    assert isinstance(start, Listen)
    found: dict[tuple[str, str], Path] = {}
    queue: collections.deque[tuple[CallState, tuple[str, ...]]] = collections.deque(
        [(start.state, ())])
    seen = {start.state}
    while queue:
        state, keys = queue.popleft()
        menu = menus.menus.get(state.menu)
        if menu is None:
            continue
        if menu.readout and state.need and state.region and (
                (state.need, state.region) not in found):
            found[(state.need, state.region)] = Path(state.need, state.region, keys)
        for option in menu.options:
            if option.goto is None:
                continue
            then = flow.next_turn(menus, state, Press(option.key)).then
            if isinstance(then, Listen) and then.state not in seen:
                seen.add(then.state)
                queue.append((then.state, (*keys, option.key)))
    told = set(script.told_pairs(menus))
    return sorted((p for pair, p in found.items() if pair in told),
                  key=lambda p: (p.need, p.region))


def first_contact(menus: Menus, lang: str, path: Path, seconds: Seconds) -> float | None:
    """Seconds from the language option to the end of the first contact a caller on `path`
    hears (on the way, or in the read-out at its end)."""
    contacts = {line for service in menus.services
                for line in script.contact_lines(menus, service, lang)}
    turn = _after_choosing(menus, lang)
    total = 0.0
    for key in (*path.keys, None):
        first = next((line for line in turn.lines if line in contacts), None)
        if first is not None:
            heard = _until(turn.lines, first, seconds)
            return None if heard is None else round(total + heard, 1)
        if key is None:
            return None  # the read-out named no way to reach anyone
        assert isinstance(turn.then, Listen)
        menu = menus.menus[turn.then.state.menu]
        option = menu.option(key)
        assert option is not None
        heard = _until(turn.lines, script.option_lines(menus, option, lang)[-1], seconds)
        if heard is None:
            return None
        total += heard
        turn = flow.next_turn(menus, turn.then.state, Press(key))
    return None


def _until(lines: tuple[Line, ...], last: Line, seconds: Seconds) -> float | None:
    """Seconds of `lines` up to and including the first that is `last` (all of them if none)."""
    total = 0.0
    for line in lines:
        heard = seconds(line)
        if heard is None:
            return None
        total += heard[0]
        if line == last:
            break
    return total


def timed_paths(menus: Menus, lang: str, seconds: Seconds) -> list[Timed]:
    return [Timed(path, first_contact(menus, lang, path, seconds)) for path in paths(menus, lang)]


def summary(timed: list[Timed]) -> Summary:
    """Median and worst over the paths (None when a path has no honest figure)."""
    if not timed or any(t.seconds is None for t in timed):
        return Summary(None, None, None)
    values = [t.seconds for t in timed if t.seconds is not None]
    worst = max(timed, key=lambda t: t.seconds or 0.0)
    return Summary(round(statistics.median(values), 1), worst.seconds, worst.path)


def longest_stretch(menus: Menus, lang: str, path: Path, seconds: Seconds) -> float | None:
    """The most seconds of read-out a caller on `path` hears before being told their keys:
    on every page of it, from the page's start to the first sentence that says a key."""
    turn = _after_choosing(menus, lang)
    for key in path.keys:
        assert isinstance(turn.then, Listen)
        turn = flow.next_turn(menus, turn.then.state, Press(key))
    longest = 0.0
    pages = 0
    while isinstance(turn.then, Listen) and pages < MAX_PAGES:
        pages += 1
        state = turn.then.state
        menu = menus.menus[state.menu]
        if menu.readout and state.need and state.region:
            keys = script.page_keys(menus, menu, lang, state.need, state.region, state.item)
        else:
            keys = [line for option in menu.options
                    for line in script.option_lines(menus, option, lang)]
        first = next((line for line in turn.lines if line in keys), turn.lines[-1])
        heard = _until(turn.lines, first, seconds)
        if heard is None:
            return None
        longest = max(longest, heard)
        following = [o for o in menu.options if o.action == "next"]
        state = turn.then.state
        if not following or state.need is None or state.region is None or (
                state.item + 1 >= len(menus.services_for(state.need, state.region))):
            break
        turn = flow.next_turn(menus, turn.then.state, Press(following[0].key))
    return round(longest, 1)


MAX_PAGES = 50
"""No read-out has more pages; a bound so a broken menu cannot loop the measurement."""


def table(menus: Menus, seconds: Seconds) -> dict[str, dict[str, object]]:
    """Per offered language: when its option is heard, the first contact after choosing it
    (median and worst over the paths, and the worst path), and the longest stretch."""
    from ivr.prompts.timing import language_choice

    options = language_choice(menus, seconds)
    rows: dict[str, dict[str, object]] = {}
    for language in menus.offered():
        lang = language.code
        timed = timed_paths(menus, lang, seconds)
        summed = summary(timed)
        stretches = [longest_stretch(menus, lang, t.path, seconds) for t in timed]
        worst = summed.worst_path
        rows[lang] = {
            "option": options.get(lang),
            "median": summed.median,
            "worst": summed.worst,
            "worst_path": None if worst is None else f"{worst.need} in {worst.region}",
            "longest_stretch": None if None in stretches else max(
                s for s in stretches if s is not None),
        }
    return rows
