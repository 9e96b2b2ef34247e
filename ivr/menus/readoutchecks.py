"""The read-out's checks (issue 19): every read-out turns its pages with an `action: next`
option, which only a read-out has, and no service a caller could never reach because its
read-out offers no choice of region."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ivr.menus.problems import Finding

Data = dict[str, Any]


def _section(m: Data, name: str) -> Data:
    value = m.get(name)
    return value if isinstance(value, dict) else {}


def _options(menu: Any) -> list[tuple[int, Data]]:
    items = menu.get("options") if isinstance(menu, dict) else None
    return [(i, o) for i, o in enumerate(items or []) if isinstance(o, dict)]


def _chooses_regions(menu: Any) -> bool:
    """A menu of regions: its options choose regions, and none a need."""
    options = [option for _, option in _options(menu)]
    return any(o.get("region") for o in options) and not any(o.get("need") for o in options)


def check_readouts(m: Data) -> Iterator[Finding]:
    menus, regions = _section(m, "menus"), _section(m, "regions")
    readouts = {mid for mid, menu in menus.items()
                if isinstance(menu, dict) and menu.get("readout")}
    nationwide = {rid for rid, region in regions.items()
                  if isinstance(region, dict) and region.get("nationwide")}
    services = [s for s in m.get("services") or [] if isinstance(s, dict)]
    for menu_id in sorted(readouts):
        options = _options(menus[menu_id])  # none at all is reported as such (checks.py)
        if options and not any(o.get("action") == "next" for _, o in options):
            yield Finding(("menus", menu_id), "a read-out with no option that has action: "
                          "next: a caller would hear only the first service of each list",
                          "add an option such as {key: \"1\", label: ..., action: next}",
                          at_key=True)
    for menu_id, menu in menus.items():
        for index, option in _options(menu):
            path = ("menus", menu_id, "options", index)
            if option.get("action") == "next" and menu_id not in readouts:
                yield Finding(path + ("action",), "next works only in a read-out menu",
                              "move the option to the menu with readout: true")
            target, need = option.get("goto"), option.get("need")
            if target not in readouts or not need or option.get("region") not in nationwide:
                continue
            local = [s for s in services if need in (s.get("needs") or [])
                     and not nationwide.intersection(s.get("regions") or [])]
            ways = [o.get("goto") for _, o in _options(menus[target])]
            if local and not any(_chooses_regions(menus.get(str(goto))) for goto in ways):
                yield Finding(path, f"leads to the whole country's read-out of {need}, which "
                              f"offers no choice of region, so {local[0].get('id')} (for "
                              "some regions only) is never read out",
                              f"add to {target} an option with goto: a menu of regions, or "
                              "let this option go to the region menu")
