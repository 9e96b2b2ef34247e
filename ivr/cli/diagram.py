"""`ivr diagram`: the whole menu as an outline, a Mermaid flowchart, or an SVG/PNG picture."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import graphviz

from ivr.cli.shell import load_menus_file
from ivr.cli.shell import menus_path
from ivr.cli.shell import write_output
from ivr.console.graph import render_graph
from ivr.menus.diagram import Graph
from ivr.menus.diagram import build_graph
from ivr.menus.diagram import render_mermaid
from ivr.menus.diagram import render_outline


@click.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "mermaid", "svg", "png"]),
              default="text", show_default=True,
              help="An indented outline, a Mermaid flowchart, or a picture drawn by Graphviz.")
@click.option("--lang", help="Language of the labels (default: call.default_language).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file instead of standard output (needed for png).")
def diagram(path: Path | None, fmt: str, lang: str | None, output: Path | None) -> None:
    """Show every menu, its options and where each leads."""
    menus = load_menus_file(menus_path(path))
    lang = lang or menus.call.default_language
    offered = [language.code for language in menus.offered()]
    if lang not in offered:
        raise click.BadParameter(f"{lang!r} (choose from {', '.join(offered)})",
                                 param_hint="--lang")
    if fmt in ("text", "mermaid"):
        data = (render_mermaid if fmt == "mermaid" else render_outline)(menus, lang).encode()
    else:
        data = _picture(build_graph(menus, lang), fmt, output)
    if output is not None:
        write_output(output, data)
    else:
        sys.stdout.buffer.write(data)


def _picture(graph: Graph, fmt: str, output: Path | None) -> bytes:
    if fmt == "png" and output is None and sys.stdout.isatty():
        raise click.UsageError("a PNG is not for the terminal: add --output diagram.png")
    try:
        return render_graph(graph, fmt)
    except graphviz.ExecutableNotFound:
        raise click.ClickException("Graphviz's `dot` is not installed: apt-get install "
                                   "graphviz (make test installs it)") from None
