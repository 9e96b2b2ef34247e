"""`ivr fallback`: static TwiML for Twilio's "Primary handler fails" URL."""

from __future__ import annotations

from pathlib import Path

import click

from ivr.cli import shell
from ivr.web.twiml import render_fallback


@click.command()
@shell.menus_option
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write here instead of stdout (host it as a static file, see docs/deploy.md).",
)
@click.option(
    "--caller-id",
    help="Your Twilio number, shown to the info line instead of the caller's own number "
    "(default: $IVR_CALLER_ID). Without it the info line sees who is calling.",
)
def fallback(menus_path: Path | None, output: Path | None, caller_id: str | None) -> None:
    """Write the apology, the 112 notice and a transfer to the info line, in every language."""
    menus = shell.load_menus_file(shell.menus_path(menus_path))
    caller_id = caller_id or shell.settings().caller_id
    xml = render_fallback(menus, caller_id or None).to_xml() + "\n"
    if output is None:
        click.echo(xml, nl=False)
        _warn_unless_anonymous(caller_id)
        return
    # Write to a temp file and rename: a web server must never serve half a document.
    shell.write_output(output, xml.encode("utf-8"))
    click.echo(f"wrote {output} (menus version {menus.version})", err=True)
    _warn_unless_anonymous(caller_id)


def _warn_unless_anonymous(caller_id: str | None) -> None:
    if not caller_id:
        # Without callerId Twilio shows the info line the caller's own number (issue 8).
        click.secho("warning: no --caller-id (or IVR_CALLER_ID): the info line will see the "
                    "caller's number on these transfers, and calls are promised anonymity",
                    fg="red", err=True)
