"""`ivr twilio configure|check`: the helpline numbers' voice settings as code, not console clicks.

Settings from the environment (docs/deploy.md): TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN,
IVR_TWILIO_NUMBERS, IVR_PUBLIC_URL and IVR_FALLBACK_URL. Tests hand a fake twilio HTTP client
in as the context object's "twilio_http_client".
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sized
from contextlib import contextmanager
from typing import NoReturn
from urllib.parse import urlsplit

import click
from twilio.http import HttpClient

from ivr.cli import shell
from ivr.ops.fallbackdocument import fallback_problem
from ivr.ops.numbersettings import NumberSettings
from ivr.ops.numbersettings import SettingsProblems
from ivr.ops.numbersettings import Value
from ivr.ops.numbersettings import same_host
from ivr.ops.twilionumber import NumberState
from ivr.ops.twilionumber import TwilioNumbers
from ivr.ops.twilionumber import TwilioProblem


@click.group(cls=shell.HelpGroup)
def twilio() -> None:
    """The helpline's Twilio numbers: set their voice settings, or check them."""


@twilio.command()
@click.option("--dry-run", is_flag=True,
              help="Print what would change; change nothing (the numbers are only read).")
@click.pass_context
def configure(ctx: click.Context, dry_run: bool) -> None:
    """Set each number's voice URL, fallback URL, their methods and status callback.

    \b
    Only settings that differ are sent. A number on a SIP trunk is left alone (its calls go
    to the trunk): remove it from the trunk first.
    """
    settings, api = _open(ctx)
    results = [_configure(api, number, settings.wanted(), dry_run) for number in settings.numbers]
    if not all(results):
        raise SystemExit(1)


def _configure(api: TwilioNumbers, number: str, wanted: Mapping[str, Value],
               dry_run: bool) -> bool:
    """Set one number (or say what would change); False when it could not be."""
    with _refused():
        state = api.read(number)
    trunk = state.trunk_problem()
    if trunk is not None:
        click.echo(f"Error: {trunk}", err=True)
        return False
    changes = state.differences(wanted)
    if not changes:
        click.echo(f"{number}: already as set here; nothing sent")
        return True
    if dry_run:
        click.echo(f"{number}: would set {_count(changes)} (--dry-run: nothing sent)")
    else:
        with _refused():
            left = api.update(state, changes).differences(wanted)
        if left:
            click.echo(f"Error: {number}: Twilio did not take {_count(left)}: "
                       + "; ".join(d.describe() for d in left), err=True)
            return False
        click.echo(f"{number}: set {_count(changes)}")
    for change in changes:
        click.echo("  " + change.describe())
    return True


@twilio.command()
@click.pass_context
def check(ctx: click.Context) -> None:
    """Read each number's voice settings back and say what differs from the settings here,
    and whether the fallback document answers, hosted elsewhere than the webhook.

    Exit 0 when everything is as set here, 1 when anything differs.
    """
    settings, api = _open(ctx)
    wanted = settings.wanted()
    differs = False
    for number in settings.numbers:
        with _refused():
            state = api.read(number)
        lines = _findings(state, settings)
        differs = differs or bool(lines)
        if not lines:
            click.echo(f"{number}: as set here (calls: POST {settings.voice_url}; "
                       f"fallback: POST {settings.fallback_url})")
            continue
        click.echo(f"{number}: differs from the settings here (`ivr twilio configure` sets it):")
        for line in lines:
            click.echo("  " + line)
    problem = fallback_problem(settings.fallback_url)
    if problem is not None:
        differs = True
        click.echo(f"fallback document {settings.fallback_url}: {problem}")
    else:
        click.echo(f"fallback document {settings.fallback_url}: TwiML, answered to POST, on "
                   f"{_host(settings.fallback_url)}, not on the webhook's host "
                   f"{_host(wanted['voice_url'])}")
    if differs:
        raise SystemExit(1)


def _findings(state: NumberState, settings: NumberSettings) -> list[str]:
    lines = [difference.describe(", should be ")
             for difference in state.differences(settings.wanted())]
    fallback, voice = state.values["voice_fallback_url"], state.values["voice_url"]
    if isinstance(fallback, str) and fallback and any(
            isinstance(url, str) and url and same_host(fallback, url)
            for url in (voice, settings.public_url)):
        lines.append(f"its fallback URL is on the webhook's own host {_host(fallback)}: an "
                     "outage of the webhook would take the fallback down with it")
    trunk = state.trunk_problem()
    return lines + ([trunk] if trunk else [])


def _open(ctx: click.Context) -> tuple[NumberSettings, TwilioNumbers]:
    try:
        settings = NumberSettings.from_env()
    except SettingsProblems as problems:
        _fail(problems.lines)
    http: HttpClient | None = (ctx.obj or {}).get("twilio_http_client")
    return settings, TwilioNumbers(settings, http)


@contextmanager
def _refused() -> Iterator[None]:
    """A TwilioProblem as the command's one-line error."""
    try:
        yield
    except TwilioProblem as problem:
        raise click.ClickException(str(problem)) from None


def _fail(lines: list[str]) -> NoReturn:
    for line in lines:
        click.echo(f"Error: {line}", err=True)
    raise SystemExit(1)


def _count(changes: Sized) -> str:
    return f"{len(changes)} setting" + ("s" if len(changes) != 1 else "")


def _host(url: object) -> str:
    return urlsplit(str(url)).hostname or ""
