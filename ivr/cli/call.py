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
from ivr.core.model import Menus
from ivr.core.phone import KEYPAD
from ivr.core.phone import TRANSFER_OUTCOMES as OUTCOMES
from ivr.qa.httpclient import HttpCallClient
from ivr.qa.listener import listener_for
from ivr.qa.scenarios import app_menus
from ivr.qa.simulator import DEFAULT_CALLED
from ivr.qa.simulator import DEFAULT_CALLER
from ivr.qa.simulator import Call
from ivr.qa.simulator import place_call
from ivr.qa.transcript import Event
from ivr.qa.transcript import render_event
from ivr.qa.transcript import render_transcript

SILENCE = ("", "-", ".")
SAY = "say:"
"""An item of --keys (or a line typed in a call) that is spoken words, not keys."""


def parse_keys(value: str | None) -> list[str] | None:
    """'2,1,-,3' -> ['2', '1', '', '3'] ('' is silence)."""
    if value is None:
        return None
    items = ["" if item.strip() in SILENCE else item.strip() for item in value.split(",")]
    bad = [item for item in items if not set(item) <= set(KEYPAD) and not _spoken(item)]
    if bad:
        raise click.BadParameter(
            f"{bad[0]!r} is not phone keys (0-9, * and #; - for silence; say:<words> to speak)",
            param_hint="--keys",
        )
    return items


def _spoken(item: str) -> bool:
    return item.startswith(SAY) and bool(item[len(SAY):].strip())


def _answer(phone: Call, item: str) -> None:
    """Press the keys, say the words of a say: item, or stay silent for an empty one."""
    if _spoken(item):
        phone.say(item[len(SAY):].strip())
    elif item:
        phone.press(item)
    else:
        phone.silence()


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
    for key in menus.languages[lang].keys if lang is not None else ():
        if phone.waiting:
            phone.press(key)
    if interactive:
        _converse(phone)
    else:
        _one_shot(phone, presses or [])
    _finish(phone, fmt, show)


def _remote(url: str, presses: list[str] | None, lang: str | None, outcome: str,
            menus_path: Path | None, fmt: str) -> None:
    """The same call against a real server; the local menus name what is heard."""
    import requests

    if not url.startswith(("http://", "https://")):
        raise click.BadParameter(f"{url!r} is not a URL such as https://ivr.example.org",
                                 param_hint="--url")
    path = shell.menus_path(menus_path)
    menus = shell.load_menus_file(path)
    token = shell.settings().auth_token
    client = HttpCallClient(token, DEFAULT_CALLER, DEFAULT_CALLED)
    listener = listener_for(menus, shell.prompts_dir(None, path))
    phone = Call(None, listener, client=client, base_url=url, outcome=outcome)
    try:
        phone.start(url.rstrip("/") + "/voice")
        _choose_language(phone, menus, lang)
        _one_shot(phone, presses or [])
    except requests.RequestException as error:
        raise click.ClickException(f"cannot reach {url}: {error}") from None
    ending = phone.transcript.ending
    if ending is not None and "HTTP 403" in ending.detail:
        click.echo("note: 403 means the server refused the signature: TWILIO_AUTH_TOKEN here and "
                   "there, or its IVR_PUBLIC_URL and --url, differ", err=True)
    _finish(phone, fmt, shown=False)


def _choose_language(phone: Call, menus: Menus, lang: str | None) -> None:
    if lang is None:
        return
    if lang not in menus.languages:
        raise click.BadParameter(f"{lang!r}; one of: {', '.join(menus.languages)}",
                                 param_hint="--lang")
    if phone.waiting:
        phone.press(menus.languages[lang].key)


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
        line = line.strip()
        if line == "q":
            break
        if not set(line) <= set(KEYPAD) and not _spoken(line):
            click.echo("  (phone keys only: 0-9, * and #; or say:<words>)")
            continue
        _answer(phone, line)


def _one_shot(phone: Call, presses: list[str]) -> None:
    for index, keys in enumerate(presses):
        if not phone.waiting:
            rest = ",".join(k or "-" for k in presses[index:])
            click.echo(f"note: the call ended before these keys: {rest}", err=True)
            return
        _answer(phone, keys)


def _finish(phone: Call, fmt: str, shown: bool) -> None:
    transcript = phone.transcript
    if fmt == "json":
        data = transcript.as_dict()
        data["waiting_in"] = phone.where if phone.waiting else None
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
    elif shown:
        click.echo(render_transcript(transcript).splitlines()[-1].replace(
            "still on the line, waiting for a key", f"you hung up in {phone.where}"))
    else:
        text = render_transcript(transcript)
        if phone.waiting:
            text = text.replace("waiting for a key", f"waiting for a key in {phone.where}")
        click.echo(text, nl=False)
    if transcript.ending is not None and transcript.ending.kind in ("error", "loop"):
        raise SystemExit(1)
