"""What `validate` says about a valid menus file, beyond "ok"."""

from __future__ import annotations

from ivr.core.model import Menus


def transfers(menus: Menus) -> str:
    """The numbers calls are put through to, for the operator to read once more.

    A mistyped info line is a valid number that rings someone else (issue 8 item 9).
    """
    targets = [f"info line {menus.numbers.info_line}"]
    if menus.call.emergency_forwarding:
        targets.append(f"emergency {menus.numbers.emergency}")
    return "transfers to " + ", ".join(targets)
