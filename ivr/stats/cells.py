"""The read-out figures (need x region x language) with small cells hidden so that no sum
published beside them gives a hidden cell away.

Hiding a cell is not enough when a total is published too: a row total minus the shown
cells is the one hidden cell. So (1) in each need x region group of language cells, a lone
hidden cell gets the group's next-smallest cell hidden with it (the group's total is
published), and (2) every further total (per need, per need and language) is the sum of
published cells, hidden when any of them is hidden.

A hidden count from 1 to min_count - 1 is None ("<K"); a figure hidden though it may be
larger, a total with a hidden part or a cell hidden with a lone small one, is HIDDEN: a
total of 12 printed "<5" would be false (issue 23 item 3).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

Cube = dict[tuple[str, str, str], int]
"""(need, region, language) -> read-outs."""
Shown = Callable[[int], "int | None"]
Figure = int | str | None
"""A published figure: the count, None (a count under min_count) or HIDDEN."""

HIDDEN = "hidden"
"""A figure left out to protect a small count elsewhere; it may be any size."""


def readout_figures(cube: Cube, shown: Shown) -> dict[str, Any]:
    """readouts, needs_by_region, needs and needs_by_language of the report."""
    pairs: dict[tuple[str, str], int] = defaultdict(int)
    for (need, region, _lang), n in cube.items():
        pairs[need, region] += n
    cells = _hidden_in_groups(cube, pairs, shown)
    shown_pairs: dict[tuple[str, str], Figure] = {pair: shown(n) for pair, n in pairs.items()}
    needs = list(dict.fromkeys(need for need, _ in sorted(pairs, key=lambda p: -pairs[p])))
    per_need = {need: total_of(sum(v for (n, _), v in pairs.items() if n == need),
                               [v for (n, _), v in shown_pairs.items() if n == need], shown)
                for need in needs}
    by_lang: dict[tuple[str, str], list[Figure]] = defaultdict(list)
    true_by_lang: dict[tuple[str, str], int] = defaultdict(int)
    for (need, region, lang), value in cells.items():
        by_lang[need, lang].append(value)
        true_by_lang[need, lang] += cube[need, region, lang]
    return {
        "readouts": [{"need": need, "region": region, "language": lang, "count": value}
                     for (need, region, lang), value in _ordered(cells)],
        "needs_by_region": [{"need": need, "region": region, "count": value}
                            for (need, region), value in _ordered(shown_pairs)],
        "needs": dict(sorted(per_need.items(), key=lambda kv: -size(kv[1]))),
        "needs_by_language": [{"need": need, "language": lang, "count": value}
                              for (need, lang), value in _ordered(
                                  {key: total_of(true_by_lang[key], values, shown)
                                   for key, values in by_lang.items()})],
    }


def _hidden_in_groups(cube: Cube, pairs: dict[tuple[str, str], int], shown: Shown
                      ) -> dict[tuple[str, str, str], Figure]:
    cells: dict[tuple[str, str, str], Figure] = {key: shown(n) for key, n in cube.items()}
    groups: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for key in cube:
        groups[key[:2]].append(key)
    for pair, keys in groups.items():
        hidden = [key for key in keys if cells[key] is None]
        if len(hidden) == 1 and shown(pairs[pair]) is not None:
            others = sorted((key for key in keys if cells[key] is not None),
                            key=lambda key: (cube[key], key))
            if others:
                cells[others[0]] = HIDDEN
    return cells


def total_of(true: int, parts: list[Figure], shown: Shown) -> Figure:
    """A total published beside its parts: a small one is hidden as small (its parts are
    then small too), one with a hidden part is HIDDEN, else it is the sum."""
    return None if shown(true) is None else sum_of(parts)


def sum_of(values: Any) -> Figure:
    """The total of published figures: HIDDEN when any of them is not a count."""
    values = list(values)
    return sum(values) if all(isinstance(v, int) for v in values) else HIDDEN


def size(value: Figure) -> int:
    """A figure's count for ordering; hidden ones count as 0."""
    return value if isinstance(value, int) else 0


def _ordered(cells: dict[Any, Figure]) -> list[tuple[Any, Figure]]:
    # Largest first; hidden cells last in name order, so their order tells nothing.
    return sorted(cells.items(), key=lambda kv: (not isinstance(kv[1], int), -size(kv[1]),
                                                 kv[0]))
