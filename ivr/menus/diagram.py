"""The whole menu at a glance: an outline, a Mermaid flowchart, or the call-flow graph that
Graphviz draws (ivr/console/graph.py), for operators."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ivr.core import script
from ivr.core.callstate import LANGUAGE_MENU
from ivr.core.model import Menus
from ivr.core.model import Option
from ivr.core.speech import sentences

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
        for language in menus.offered()
    ]
    for menu in menus.menus.values():
        for option in menu.options:
            label = f"{option.key} {script.option_label(menus, option, lang)}"
            edges.append((menu.id, label, _target(menus, menu.id, option)))
    return edges


def _node_names(menus: Menus, lang: str) -> dict[str, str]:
    names = {LANGUAGE_MENU: "language choice"}
    for menu in menus.menus.values():
        intro = script.intro(menus, menu, lang)[:1]
        readout = " + read-out, one service a page, for the need and region" if menu.readout else ""
        names[menu.id] = menu.id + (f": {intro[0].written}" if intro else "") + readout
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


# --- the call-flow graph (issue 12): every node and edge, labelled in one language ---------
# Every word comes from menus.yaml where it has a text (the global keys, the 112 notice and
# instruction, no_input, wrong_key, too_many_tries, dial_*), so a Finnish diagram is Finnish.
# DIAGRAM_WORDS holds the few words menus.yaml has no text for; a language without an entry
# here gets the English words (docs/console.md).

DIAGRAM_WORDS: dict[str, dict[str, str]] = {
    "fi": {"every_menu": "Missä tahansa valikossa", "silence": "hiljaisuus {seconds} s",
           "wrong_key": "väärä näppäin", "again": "sama valikko uudelleen",
           "limit": "{count}. kerta", "call_ends": "Puhelu päättyy", "answered": "vastattu",
           "connected": "Soittaja yhdistetty päivystäjälle", "repeat": "toista",
           "back": "edellinen valikko", "twice": "sanotaan kahdesti, sitten puhelu katkaistaan",
           "readout": "+ palvelut valitulle aiheelle ja alueelle"},
    "sv": {"every_menu": "I vilken meny som helst", "silence": "tystnad {seconds} s",
           "wrong_key": "fel knapp", "again": "samma meny igen", "limit": "{count}:e gången",
           "call_ends": "Samtalet avslutas", "answered": "besvarat",
           "connected": "Uppringaren kopplad till jouren", "repeat": "upprepa",
           "back": "föregående meny", "twice": "sägs två gånger, sedan läggs samtalet på",
           "readout": "+ tjänsterna för valt ämne och område"},
    "en": {"every_menu": "In any menu", "silence": "silence {seconds} s",
           "wrong_key": "wrong key", "again": "the same menu again", "limit": "time {count}",
           "call_ends": "The call ends", "answered": "answered",
           "connected": "Caller put through to the agent", "repeat": "repeat",
           "back": "previous menu", "twice": "said twice, then the line hangs up",
           "readout": "+ the services for the chosen topic and region"},
}
ANY_MENU = "any_menu"
AGAIN = "same_menu_again"
CALL_ENDS = "call_ends"
CONNECTED = "connected"


@dataclass(frozen=True)
class Node:
    id: str
    label: str
    kind: str
    """menu | language | global | transfer | emergency | end"""


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str
    kind: str
    """option | global_key | silence | wrong_key | limit | outcome | end"""


@dataclass(frozen=True)
class Graph:
    title: str
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]


def diagram_words(lang: str) -> dict[str, str]:
    """The diagram's own words in `lang` (English where the language has none)."""
    return DIAGRAM_WORDS.get(lang, DIAGRAM_WORDS["en"])


def _said(lines: list[script.Line]) -> str:
    # The written form: operators read the picture beside menus.yaml (issue 21).
    return " ".join(line.written or line.text for line in lines)


def _menu_nodes(menus: Menus, lang: str) -> list[Node]:
    words = diagram_words(lang)
    heard = script.language_menu(menus)
    # One line per language: its 112 notice and its key, as the caller hears them.
    codes = [language.code for language in menus.offered()]
    by_lang = [_said([line for line in heard if line.lang == code]) for code in codes]
    nodes = [Node(LANGUAGE_MENU, "\n".join(by_lang), "language")]
    for menu in menus.menus.values():
        said = " ".join(sentences(menu.say[lang])) if menu.say else ""
        readout = f" {words['readout']}" if menu.readout else ""
        nodes.append(Node(menu.id, f"{menu.id}: {said}{readout}".replace(":  ", ": "), "menu"))
    return nodes


def _built_in_nodes(menus: Menus, lang: str) -> list[Node]:
    words = diagram_words(lang)
    transferring = script.text(menus, "transferring", lang)[:1]
    return [
        Node(ANY_MENU, f"{words['every_menu']}: {_said(script.global_keys(menus, lang))}",
             "global"),
        Node(INFO_LINE, f"{_said(transferring)} {menus.numbers.info_line}", "transfer"),
        Node(EMERGENCY, _said(script.text(menus, "emergency", lang)), "emergency"),
        Node(AGAIN, words["again"], "global"),
        Node(CONNECTED, words["connected"], "end"),
        Node(CALL_ENDS, words["call_ends"], "end"),
    ]


def _option_edges(menus: Menus, lang: str) -> list[Edge]:
    edges = [Edge(LANGUAGE_MENU, menus.call.main_menu, f"{language.key} {language.name}",
                  "option") for language in menus.offered()]
    for menu in menus.menus.values():
        for option in menu.options:
            label = f"{option.key} {script.option_label(menus, option, lang)}"
            edges.append(Edge(menu.id, _target(menus, menu.id, option), label, "option"))
    return edges


def _global_edges(menus: Menus, lang: str) -> list[Edge]:
    keys, words, call = menus.call.keys, diagram_words(lang), menus.call
    silence = words["silence"].format(seconds=call.timeout)
    no_input, wrong = _said(script.text(menus, "no_input", lang)), words["wrong_key"]
    wrong_text = _said(script.text(menus, "wrong_key", lang))
    too_many = _said(script.text(menus, "too_many_tries", lang))
    return [
        Edge(ANY_MENU, ANY_MENU, f"{keys.repeat} {words['repeat']}, {keys.back} "
             f"{words['back']}", "global_key"),
        Edge(ANY_MENU, INFO_LINE, keys.info_line, "global_key"),
        Edge(ANY_MENU, EMERGENCY, keys.emergency, "global_key"),
        Edge(ANY_MENU, AGAIN, f"{silence}: {no_input}", "silence"),
        Edge(ANY_MENU, AGAIN, f"{wrong}: {wrong_text}", "wrong_key"),
        Edge(ANY_MENU, INFO_LINE, f"{silence}, {words['limit'].format(count=call.max_silences)}"
             f": {too_many}", "limit"),
        Edge(ANY_MENU, INFO_LINE, f"{wrong}, {words['limit'].format(count=call.max_wrong_keys)}"
             f": {too_many}", "limit"),
    ]


def _outcome_edges(menus: Menus, lang: str) -> list[Edge]:
    words = diagram_words(lang)
    retry = _said(script.dial_retry(menus, lang))
    edges = [Edge(INFO_LINE, CONNECTED, words["answered"], "outcome")]
    for text_id in ("dial_busy", "dial_no_answer", "dial_failed"):
        told = _said(script.text(menus, text_id, lang))
        edges.append(Edge(INFO_LINE, ANY_MENU, f"{told} {retry}", "outcome"))
    if menus.call.emergency_forwarding:
        edges.append(Edge(EMERGENCY, CONNECTED, f"{menus.numbers.emergency}", "end"))
    else:
        edges.append(Edge(EMERGENCY, CALL_ENDS, words["twice"], "end"))
    return edges


def build_graph(menus: Menus, lang: str) -> Graph:
    """The whole call flow as nodes and labelled edges, in one language (Graphviz draws it)."""
    return Graph(
        title=f"{menus.version} ({lang})",
        nodes=tuple(_menu_nodes(menus, lang) + _built_in_nodes(menus, lang)),
        edges=tuple(_option_edges(menus, lang) + _global_edges(menus, lang)
                    + _outcome_edges(menus, lang)),
    )


def _quote(text: str) -> str:
    # Mermaid draws a label as HTML and reads #name; as an entity: a text's own markup is
    # written as entities, so it is shown as text (issue 22 item 5).
    text = re.sub(r"#(?=\w+;)", "#35;", text)
    for char, entity in (('"', "#quot;"), ("&", "#amp;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(char, entity)
    return '"' + text.replace("\n", "<br>") + '"'


MERMAID_SHAPES = {"transfer": ("[[", "]]"), "emergency": ("[[", "]]"), "end": ("([", "])"),
                  "global": ("[/", "/]")}


def render_mermaid(menus: Menus, lang: str) -> str:
    """The call-flow graph as a Mermaid flowchart (for Markdown viewers that draw Mermaid)."""
    graph = build_graph(menus, lang)
    out = ["flowchart TD"]
    for node in graph.nodes:
        opening, closing = MERMAID_SHAPES.get(node.kind, ("[", "]"))
        out.append(f"    {node.id}{opening}{_quote(node.label)}{closing}")
    for edge in graph.edges:
        arrow = "-.->" if edge.kind in ("silence", "wrong_key") else "-->"
        out.append(f"    {edge.source} {arrow}|{_quote(edge.label)}| {edge.target}")
    return "\n".join(out) + "\n"
