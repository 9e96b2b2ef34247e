"""The call-flow graph drawn by Graphviz's `dot` (a process): SVG or PNG bytes."""

from __future__ import annotations

import graphviz

from ivr.core.bidi import wrap_label
from ivr.menus.diagram import Graph

FORMATS = ("svg", "png")
WRAP = 44
"""Characters a line of a label may hold; dot does not wrap labels itself."""
NODE_STYLE = {
    "language": {"shape": "box", "style": "rounded,filled", "fillcolor": "#e8f0fb"},
    "menu": {"shape": "box", "style": "rounded,filled", "fillcolor": "#ffffff"},
    "global": {"shape": "note", "style": "filled", "fillcolor": "#fff7d6"},
    "transfer": {"shape": "box", "style": "filled,bold", "fillcolor": "#dff3e3"},
    "emergency": {"shape": "box", "style": "filled,bold", "fillcolor": "#fbe0e0",
                  "color": "#b00020"},
    "end": {"shape": "oval", "style": "filled", "fillcolor": "#eeeeee"},
}
EDGE_STYLE = {
    "option": {},
    "global_key": {"color": "#0a4d8c", "fontcolor": "#0a4d8c"},
    "silence": {"style": "dashed", "color": "#7a5b00", "fontcolor": "#7a5b00"},
    "wrong_key": {"style": "dashed", "color": "#7a5b00", "fontcolor": "#7a5b00"},
    "limit": {"color": "#7a5b00", "fontcolor": "#7a5b00", "penwidth": "2"},
    "outcome": {"color": "#1b6e2b", "fontcolor": "#1b6e2b"},
    "end": {"color": "#b00020", "fontcolor": "#b00020"},
}


def _wrap(text: str) -> str:
    """A menu text as a plain DOT label, shown exactly as written (issue 22 item 5).

    nohtml: a label shaped like <...> would otherwise be a Graphviz HTML label, whose HREF
    becomes a link in the console's SVG (`javascript:` too) and whose broken markup stops dot.
    dot reads entities (&lt;) even in plain labels, so & is written &amp;.
    """
    # "\n" is DOT's centred line break; a backslash in a menu text would start an escape.
    # An Arabic line's own direction, and its numbers', is marked in it (ivr.core.bidi).
    lines = text.replace("\\", "/").splitlines()
    parts = (part.replace("&", "&amp;") for line in lines for part in wrap_label(line, WRAP))
    label: str = graphviz.nohtml("\\n".join(parts) or " ")
    return label


def to_dot(graph: Graph) -> graphviz.Digraph:
    """The graph in DOT, top to bottom, each kind of node and edge styled its own way."""
    dot = graphviz.Digraph("callflow", comment=graph.title)
    dot.attr(rankdir="TB", fontname="sans-serif", nodesep="0.4", ranksep="0.6")
    dot.attr("node", fontname="sans-serif", fontsize="11")
    dot.attr("edge", fontname="sans-serif", fontsize="9")
    for node in graph.nodes:
        dot.node(node.id, _wrap(node.label), **NODE_STYLE[node.kind])
    for edge in graph.edges:
        dot.edge(edge.source, edge.target, _wrap(edge.label), **EDGE_STYLE[edge.kind])
    return dot


def render_graph(graph: Graph, fmt: str) -> bytes:
    """SVG or PNG bytes; graphviz.ExecutableNotFound when Debian's graphviz is missing."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    return bytes(to_dot(graph).pipe(format=fmt))
