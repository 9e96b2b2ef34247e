"""`ivr call`: a simulated call to the webhook, in the terminal; no network, no account.

Keys for --keys are comma-separated, one item per prompt the caller answers; `-`, `.` or an
empty item is silence: `--keys 1,-,3` presses 1, stays silent once, then presses 3. An item
`say:<words>` speaks instead (issue 14): `--keys 1,say:turvakoti` chooses Finnish, then says
"turvakoti", heard only where the language has speech input on.
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from ivr.cli.shell import format_option
from ivr.cli.shell import menus_option
from ivr.cli.shell import open_simulation
from ivr.core.phone import KEYPAD
from ivr.core.phone import TRANSFER_OUTCOMES as OUTCOMES
from ivr.qa.scenarios import app_menus
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
@menus_option
@format_option
def call(keys: str | None, lang: str | None, outcome: str | None, menus_path: Path | None,
         fmt: str) -> None:
    """Place a simulated call through the webhook (no network, no Twilio account).

    \b
    Interactive by default: type keys and Enter; Enter alone is silence; say:<words>
    speaks; q hangs up. One-shot: --keys 2,1,-,3 presses 2 and 1, stays silent once,
    presses 3, and prints the transcript (-, . or an empty item is silence; an item
    say:<words> is spoken, e.g. --keys 1,say:turvakoti).
    """
    presses = parse_keys(keys)
    app = open_simulation(menus_path)
    menus = app_menus(app)
    if lang is not None and lang not in menus.languages:
        raise click.BadParameter(f"{lang!r}; one of: {', '.join(menus.languages)}",
                                 param_hint="--lang")
    interactive = presses is None
    chooser = _ask_outcome if interactive and outcome is None else None
    show = interactive and fmt == "text"
    phone = place_call(app, outcome=outcome or "completed", choose_outcome=chooser,
                       on_event=_echo if show else None)
    phone.start()
    if lang is not None and phone.waiting:
        phone.press(menus.languages[lang].key)
    if interactive:
        _converse(phone)
    else:
        _one_shot(phone, presses or [])
    _finish(phone, fmt, show)


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
