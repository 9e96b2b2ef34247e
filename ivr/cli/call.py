"""`ivr call`: a simulated call to the webhook, in the terminal; no network, no account.

Keys for --keys are comma-separated, one item per prompt the caller answers; `-`, `.` or an
empty item is silence: `--keys 1,-,3` presses 1, stays silent once, then presses 3. An item
`say:<words>` speaks instead (issue 14): `--keys 1,say:turvakoti` chooses Finnish, then says
"turvakoti", heard only where the language has speech input on.
With --url the call goes to a real server instead, signed with TWILIO_AUTH_TOKEN: the check
after a deploy that the token, the public URL and the proxy all agree.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from ivr.cli import shell
from ivr.cli.shell import format_option
from ivr.cli.shell import menus_option
from ivr.cli.shell import open_simulation
from ivr.core.phone import TEST_CALL_NUMBER
from ivr.core.phone import TRANSFER_OUTCOMES as OUTCOMES
from ivr.qa.httpclient import HttpCallClient
from ivr.qa.keypath import Answer
from ivr.qa.keypath import BadPath
from ivr.qa.keypath import answer
from ivr.qa.keypath import choose_language
from ivr.qa.keypath import parse_answer
from ivr.qa.keypath import parse_path
from ivr.qa.keypath import walk
from ivr.qa.listener import listener_for
from ivr.qa.scenarios import app_menus
from ivr.qa.simulator import DEFAULT_CALLER
from ivr.qa.simulator import Call
from ivr.qa.simulator import place_call
from ivr.qa.transcript import Event
from ivr.qa.transcript import closing_line
from ivr.qa.transcript import render_event
from ivr.qa.transcript import render_transcript


def parse_keys(value: str | None) -> list[Answer] | None:
    """'2,1,-,3' -> press 2, press 1, silence, press 3 (the grammar of ivr/qa/keypath.py)."""
    if value is None:
        return None
    try:
        return parse_path(value)
    except BadPath as bad:
        raise click.BadParameter(str(bad), param_hint="--keys") from None


@click.command()
@click.option("--keys", help="One-shot: the keys to press, e.g. 2,1,3,5 (- is silence, "
              "say:<words> speaks).")
@click.option("--lang", help="Choose this language first (presses its key).")
@click.option("--outcome", type=click.Choice(OUTCOMES), default=None,
              help="How transfers end (default: completed; asked when interactive).")
@click.option("--url", help="Call a real server at its public URL (https://ivr.example.org), "
              "signed with TWILIO_AUTH_TOKEN.")
@menus_option
@format_option
def call(keys: str | None, lang: str | None, outcome: str | None, url: str | None,
         menus_path: Path | None, fmt: str) -> None:
    """Place a simulated call through the webhook (no network, no Twilio account).

    \b
    Interactive by default: type keys and Enter; Enter alone is silence; say:<words>
    speaks; q hangs up. One-shot: --keys 2,1,-,3 presses 2 and 1, stays silent once,
    presses 3, and prints the transcript (-, . or an empty item is silence; an item
    say:<words> is spoken, e.g. --keys 1,say:turvakoti).
    """
    presses = parse_keys(keys)
    if url is not None:
        _remote(url, presses, lang, outcome or "completed", menus_path, fmt)
        return
    app = open_simulation(menus_path)
    menus = app_menus(app)
    offered = [language.code for language in menus.offered()]
    if lang is not None and lang not in offered:
        raise click.BadParameter(f"{lang!r}; one of: {', '.join(offered)}", param_hint="--lang")
    interactive = presses is None
    chooser = _ask_outcome if interactive and outcome is None else None
    show = interactive and fmt == "text"
    phone = place_call(app, outcome=outcome or "completed", choose_outcome=chooser,
                       on_event=_echo if show else None)
    phone.start()
    choose_language(phone, menus, lang)
    if interactive:
        _converse(phone)
    else:
        _one_shot(phone, presses or [])
    _finish(phone, fmt, show)


def _remote(url: str, presses: list[Answer] | None, lang: str | None, outcome: str,
            menus_path: Path | None, fmt: str) -> None:
    """The same call against a real server; the local menus name what is heard."""
    import requests

    if not url.startswith(("http://", "https://")):
        raise click.BadParameter(f"{url!r} is not a URL such as https://ivr.example.org",
                                 param_hint="--url")
    path = shell.menus_path(menus_path)
    menus = shell.load_menus_file(path)
    token = shell.settings().auth_token
    client = HttpCallClient(token, DEFAULT_CALLER, TEST_CALL_NUMBER)
    listener = listener_for(menus, shell.prompts_dir(None, path))
    phone = Call(None, listener, client=client, base_url=url, outcome=outcome)
    try:
        phone.start(url.rstrip("/") + "/voice")
        if lang is not None and lang not in menus.languages:
            raise click.BadParameter(f"{lang!r}; one of: {', '.join(menus.languages)}",
                                     param_hint="--lang")
        choose_language(phone, menus, lang)
        _one_shot(phone, presses or [])
    except requests.RequestException as error:
        raise click.ClickException(f"cannot reach {url}: {error}") from None
    ending = phone.transcript.ending
    if ending is not None and "HTTP 403" in ending.detail:
        click.echo("note: 403 means the server refused the signature: TWILIO_AUTH_TOKEN here and "
                   "there, or its IVR_PUBLIC_URL and --url, differ", err=True)
    _finish(phone, fmt, shown=False)


def _echo(event: Event) -> None:
    for line in render_event(event):
        click.echo(line)


def _ask_outcome(number: str) -> str:
    prompt = f"transfer to {number}: how does it end?"
    return str(click.prompt(prompt, type=click.Choice(OUTCOMES), default="completed"))


def _converse(phone: Call) -> None:
    while phone.waiting:
        try:
            line = click.prompt(f"[{phone.where}] keys (Enter = silence, q = hang up)",
                                default="", show_default=False)
        except click.Abort:
            break
        if line.strip() == "q":
            break
        try:
            given = parse_answer(line)
        except BadPath as bad:
            click.echo(f"  ({bad})")
            continue
        answer(phone, given)


def _one_shot(phone: Call, presses: list[Answer]) -> None:
    rest = walk(phone, presses)
    if rest:
        left = ",".join(given.written() for given in rest)
        click.echo(f"note: the call ended before these keys: {left}", err=True)


def _finish(phone: Call, fmt: str, shown: bool) -> None:
    transcript = phone.transcript
    if fmt == "json":
        data = transcript.as_dict()
        data["waiting_in"] = phone.where if phone.waiting else None
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
    elif shown:
        click.echo(closing_line(transcript, phone.where if phone.waiting else None,
                                hung_up=True))
    else:
        click.echo(render_transcript(transcript, phone.where if phone.waiting else None),
                   nl=False)
    if transcript.ending is not None and transcript.ending.kind in ("error", "loop"):
        raise SystemExit(1)
