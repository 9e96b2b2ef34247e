"""`ivr diagram`: the whole menu as an outline or a Mermaid flowchart."""

from __future__ import annotations

from pathlib import Path

import click

from ivr.cli.shell import load_menus_file
from ivr.cli.shell import menus_path
from ivr.menus.diagram import render_mermaid
from ivr.menus.diagram import render_outline


@click.command()
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "mermaid"]), default="text",
              show_default=True, help="An indented outline, or a Mermaid flowchart.")
@click.option("--lang", help="Language of the labels (default: call.default_language).")
def diagram(path: Path | None, fmt: str, lang: str | None) -> None:
    """Show every menu, its options and where each leads."""
    menus = load_menus_file(menus_path(path))
    lang = lang or menus.call.default_language
    if lang not in menus.languages:
        raise click.BadParameter(f"{lang!r} (choose from {', '.join(menus.languages)})",
                                 param_hint="--lang")
    click.echo((render_mermaid if fmt == "mermaid" else render_outline)(menus, lang), nl=False)
