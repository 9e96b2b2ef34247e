"""`python -m ivr fallback`: static TwiML for Twilio's "Primary handler fails" URL."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ivr.atomicfile import write_atomic
from ivr.menus.loader import InvalidMenus
from ivr.menus.loader import load_menus
from ivr.web.menustore import describe_problems
from ivr.web.twiml import render_fallback


@click.command()
@click.option(
    "--menus",
    "menus_path",
    default=lambda: os.environ.get("IVR_MENUS", "menus.yaml"),
    type=click.Path(dir_okay=False, path_type=Path),
    help="The menus file (default: $IVR_MENUS or menus.yaml).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here instead of stdout (host it as a static file, see docs/deploy.md).",
)
@click.option(
    "--caller-id",
    default=lambda: os.environ.get("IVR_CALLER_ID"),
    help="Your Twilio number, shown to the info line instead of the caller's own number "
    "(default: $IVR_CALLER_ID). Without it the info line sees who is calling.",
)
def fallback(menus_path: Path, output: Path | None, caller_id: str | None) -> None:
    """Write the apology, the 112 notice and a transfer to the info line, in every language."""
    try:
        menus = load_menus(menus_path)
    except (OSError, InvalidMenus) as error:
        raise click.ClickException(f"{menus_path}: {describe_problems(error)}") from error
    xml = render_fallback(menus, caller_id or None).to_xml() + "\n"
    if output is None:
        click.echo(xml, nl=False)
        return
    # Write to a temp file and rename: a web server must never serve half a document.
    try:
        write_atomic(output, xml.encode("utf-8"))
    except OSError as error:
        raise click.ClickException(
            f"{output}: cannot write it ({error.strerror}; check the folder exists and is "
            "writable)"
        ) from None
    click.echo(f"wrote {output} (menus version {menus.version})", err=True)
