"""The read-out figures (need x region x language) with small cells hidden so that no sum
published beside them gives a hidden cell away.

Hiding a cell is not enough when a total is published too: a row total minus the shown
cells is the one hidden cell. So (1) in each need x region group of language cells, a lone
hidden cell gets the group's next-smallest cell hidden with it (the group's total is
published), and (2) every further total (per need, per need and language) is the sum of
published cells, hidden when any of them is hidden.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

Cube = dict[tuple[str, str, str], int]
"""(need, region, language) -> read-outs."""
Shown = Callable[[int], "int | None"]


def readout_figures(cube: Cube, shown: Shown) -> dict[str, Any]:
    """readouts, needs_by_region, needs and needs_by_language of the report."""
    pairs: dict[tuple[str, str], int] = defaultdict(int)
    for (need, region, _lang), n in cube.items():
        pairs[need, region] += n
    cells = _hidden_in_groups(cube, pairs, shown)
    shown_pairs = {pair: shown(n) for pair, n in pairs.items()}
    needs = list(dict.fromkeys(need for need, _ in sorted(pairs, key=lambda p: -pairs[p])))
    per_need = {need: _sum(v for (n, _), v in shown_pairs.items() if n == need)
                for need in needs}
    by_lang: dict[tuple[str, str], list[int | None]] = defaultdict(list)
    for (need, _region, lang), value in cells.items():
        by_lang[need, lang].append(value)
    return {
        "readouts": [{"need": need, "region": region, "language": lang, "count": value}
                     for (need, region, lang), value in _ordered(cells)],
        "needs_by_region": [{"need": need, "region": region, "count": value}
                            for (need, region), value in _ordered(shown_pairs)],
        "needs": dict(sorted(per_need.items(), key=lambda kv: -(kv[1] or 0))),
        "needs_by_language": [{"need": need, "language": lang, "count": value}
                              for (need, lang), value in _ordered(
                                  {key: _sum(values) for key, values in by_lang.items()})],
    }


def _hidden_in_groups(cube: Cube, pairs: dict[tuple[str, str], int], shown: Shown
                      ) -> dict[tuple[str, str, str], int | None]:
    cells = {key: shown(n) for key, n in cube.items()}
    groups: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for key in cube:
        groups[key[:2]].append(key)
    for pair, keys in groups.items():
        hidden = [key for key in keys if cells[key] is None]
        if len(hidden) == 1 and shown(pairs[pair]) is not None:
            others = sorted((key for key in keys if cells[key] is not None),
                            key=lambda key: (cube[key], key))
            if others:
                cells[others[0]] = None
    return cells


def _sum(values: Any) -> int | None:
    values = list(values)
    return None if any(v is None for v in values) else sum(values)


def _ordered(cells: dict[Any, int | None]) -> list[tuple[Any, int | None]]:
    # Largest first; hidden cells last in name order, so their order tells nothing.
    return sorted(cells.items(), key=lambda kv: (kv[1] is None, -(kv[1] or 0), kv[0]))
