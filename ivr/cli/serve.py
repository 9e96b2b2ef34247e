"""`ivr serve`: the webhook on Flask's own server (gunicorn for production)."""

from __future__ import annotations

import dataclasses
import ipaddress
import logging

import click

from ivr.cli import shell
from ivr.web.factory import UnsafeSettings
from ivr.web.menustore import MenusUnavailable

LOOPBACK = "127.0.0.1"
UNSIGNED_WARNING = """\
!!! TWILIO_AUTH_TOKEN is not set: webhook signatures are NOT checked.
!!! Anyone who can reach this server could drive calls, so it listens on {host} only.
!!! For a real number set TWILIO_AUTH_TOKEN and IVR_PUBLIC_URL (see docs/deploy.md)."""


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command()
@click.option("--host", default=LOOPBACK, show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option("--debug", is_flag=True, help="Flask debug mode (reloader, debug logging).")
def serve(host: str, port: int, debug: bool) -> None:
    """Run the webhook with the menus in IVR_MENUS (default: ./menus.yaml).

    For production run gunicorn behind a TLS proxy (docs/deploy.md, gunicorn.conf.py).
    """
    from ivr.app import create_app

    settings = shell.settings()
    shell.load_menus_file(settings.menus_path)
    if not settings.auth_token:
        if not _is_loopback(host):
            raise click.ClickException(
                f"refusing to listen on {host} without TWILIO_AUTH_TOKEN: "
                "unsigned requests would be accepted from anywhere"
            )
        click.secho(UNSIGNED_WARNING.format(host=host), fg="red", bold=True, err=True)
        # Loopback only, said loudly above: the development switch gunicorn never sets.
        settings = dataclasses.replace(settings, allow_unsigned=True)
    elif not settings.public_base_url and _is_loopback(host):
        # Only this machine reaches a loopback server: its own URL is the public one.
        settings = dataclasses.replace(settings, public_base_url=f"http://{host}:{port}")
    logging.basicConfig(level=logging.DEBUG if debug else logging.INFO)
    try:
        app = create_app(settings)
    except (MenusUnavailable, UnsafeSettings) as error:
        raise click.ClickException(str(error)) from error
    public = (settings.public_base_url or f"http://{host}:{port}").rstrip("/")
    click.echo(f"Twilio voice URL: {public}/voice (POST)", err=True)
    app.run(host=host, port=port, debug=debug, threaded=True)
