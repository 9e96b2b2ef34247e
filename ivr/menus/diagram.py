"""The whole menu at a glance: a plain-text outline or a Mermaid flowchart (for operators)."""

from __future__ import annotations

from ivr.core import script
from ivr.core.callstate import LANGUAGE_MENU
from ivr.core.model import Menus
from ivr.core.model import Option

INFO_LINE = "info_line"
EMERGENCY = "emergency"


def _target(menus: Menus, menu_id: str, option: Option) -> str:
    if option.action == "repeat":
        return menu_id
    if option.action == "info_line":
        return INFO_LINE
    if option.action == "emergency":
        return EMERGENCY
    return option.goto or menu_id


def _edges(menus: Menus, lang: str) -> list[tuple[str, str, str]]:
    """(from, key and label, to) for every choice a caller can make, the language menu first."""
    edges = [
        (LANGUAGE_MENU, f"{language.key} {language.name}", menus.call.main_menu)
        for language in menus.languages.values()
    ]
    for menu in menus.menus.values():
        for option in menu.options:
            label = f"{option.key} {script.option_label(menus, option, lang)}"
            edges.append((menu.id, label, _target(menus, menu.id, option)))
    return edges


def _node_names(menus: Menus, lang: str) -> dict[str, str]:
    names = {LANGUAGE_MENU: "language choice"}
    for menu in menus.menus.values():
        intro = script.intro(menu, lang)[:1]
        readout = " + read-out of the services for the need and region" if menu.readout else ""
        names[menu.id] = menu.id + (f": {intro[0].text}" if intro else "") + readout
    names[INFO_LINE] = f"transfer to the 24/7 info line {menus.numbers.info_line}"
    names[EMERGENCY] = f"tell the caller to hang up and dial {menus.numbers.emergency}"
    return names


def _global_keys(menus: Menus) -> str:
    keys = menus.call.keys
    return (
        f"in every menu: {keys.repeat} repeat, {keys.back} back, "
        f"{keys.info_line} info line, {keys.emergency} emergency"
    )


def render_outline(menus: Menus, lang: str) -> str:
    """Each menu with its options and where each leads, in one language."""
    names = _node_names(menus, lang)
    out: list[str] = []
    for node in [LANGUAGE_MENU, *menus.menus]:
        out.append(names[node])
        out += [f"  {label} -> {to}" for frm, label, to in _edges(menus, lang) if frm == node]
    out += [f"{INFO_LINE}: {names[INFO_LINE]}", f"{EMERGENCY}: {names[EMERGENCY]}"]
    return "\n".join([*out, _global_keys(menus)]) + "\n"


def _quote(text: str) -> str:
    return '"' + text.replace('"', "#quot;") + '"'


def render_mermaid(menus: Menus, lang: str) -> str:
    """A Mermaid flowchart (paste into any Markdown viewer that draws Mermaid)."""
    names = _node_names(menus, lang)
    out = ["flowchart TD"]
    for node, name in names.items():
        shape = ("[[", "]]") if node in (INFO_LINE, EMERGENCY) else ("[", "]")
        out.append(f"    {node}{shape[0]}{_quote(name)}{shape[1]}")
    out += [f"    {frm} -->|{_quote(label)}| {to}" for frm, label, to in _edges(menus, lang)]
    out.append(f"    %% {_global_keys(menus)}")
    return "\n".join(out) + "\n"
