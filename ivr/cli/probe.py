"""`ivr probe`: one whole signed call to the public URL, judged, for a timer every few minutes.

The call is `ivr call --url`'s (the simulator's Call over HttpCallClient, signed with
TWILIO_AUTH_TOKEN), so it goes wherever Twilio's requests go: the proxy, any host. It fails,
in one line and exit 1, when a request gets no answer, an HTTP error or no TwiML, or when
words it must hear are not heard; deploy/ivr-probe.service runs it, and --metrics leaves a
Prometheus textfile for node_exporter (ivr/ops/probemetrics.py).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import click
import requests

from ivr.cli import shell
from ivr.cli.call import parse_keys
from ivr.core.model import Menus
from ivr.core.phone import TEST_CALL_NUMBER
from ivr.ops import probemetrics
from ivr.qa.httpclient import HttpCallClient
from ivr.qa.keypath import Answer
from ivr.qa.keypath import walk
from ivr.qa.listener import listener_for
from ivr.qa.simulator import DEFAULT_CALLER
from ivr.qa.simulator import Call

BROKEN = ("error", "loop", "dead_end")
"""Endings no caller should meet: no answer or no TwiML, a loop, TwiML that stops."""


SIGNATURE_REFUSED = (" (the server refused the signature: TWILIO_AUTH_TOKEN here and there, or "
                     "its IVR_PUBLIC_URL and the URL called, differ)")


class Phrases(click.ParamType):
    """Words the call must hear; in the environment, several separated by '|'."""

    name = "words"
    envvar_list_splitter = "|"


@click.command()
@click.option("--url", envvar="IVR_PROBE_URL",
              help="The public URL to call (default: $IVR_PROBE_URL, else $IVR_PUBLIC_URL).")
@click.option("--keys", envvar="IVR_PROBE_KEYS", required=True,
              help="The keys to press, as for `ivr call` (e.g. 3,1,1,1,3; $IVR_PROBE_KEYS).")
@click.option("--expect", "expected", type=Phrases(), multiple=True, envvar="IVR_PROBE_EXPECT",
              help="Words the call must hear; repeat for more ($IVR_PROBE_EXPECT: separated "
              "by |).")
@click.option("--metrics", type=click.Path(dir_okay=False, path_type=Path),
              envvar="IVR_PROBE_METRICS",
              help="Write the result here as a Prometheus textfile ($IVR_PROBE_METRICS).")
@shell.menus_option
def probe(url: str | None, keys: str, expected: tuple[str, ...], metrics: Path | None,
          menus_path: Path | None) -> None:
    """Place one signed call through the public URL and check it is answered as expected.

    \b
    Exit 0 and one line when it was; exit 1 and one line saying why when not. The local
    menus (and prompts manifest) say what the server's answers mean, as for `ivr call --url`.
    """
    target = _target(url)
    presses = parse_keys(keys) or []
    begun, started = time.time(), time.monotonic()
    try:
        problem = _problem(target, presses, [p for p in expected if p.strip()], menus_path)
    except click.ClickException as error:  # the menus here cannot be read
        problem = error.message
    seconds = time.monotonic() - started
    if metrics is not None:
        run = probemetrics.ProbeRun(problem is None, begun + seconds, seconds)
        shell.write_output(metrics, probemetrics.render(run, _previous(metrics)))
    if problem is not None:
        raise click.ClickException(f"probe of {target} failed: {problem}")
    click.echo(f"probe of {target}: answered as expected (keys {keys}, {seconds:.1f} s)")


def _target(url: str | None) -> str:
    url = url or shell.settings().public_base_url
    if not url:
        raise click.UsageError("no URL to call: give --url, or set IVR_PROBE_URL or "
                               "IVR_PUBLIC_URL")
    if not url.startswith(("http://", "https://")):
        raise click.BadParameter(f"{url!r} is not a URL such as https://ivr.example.org",
                                 param_hint="--url")
    return url.rstrip("/")


def _previous(metrics: Path) -> str:
    """The file the last run left ('' if none, or unreadable: it is replaced whole anyway)."""
    try:
        return metrics.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _problem(url: str, presses: list[Answer], expected: list[str], menus_path: Path | None
             ) -> str | None:
    """Why the call was not answered as expected, in one line; None when it was."""
    path = shell.menus_path(menus_path)
    phone = _phone(url, shell.load_menus_file(path), shell.prompts_dir(None, path))
    try:
        phone.start(url + "/voice")
        unpressed = walk(phone, presses)
    except requests.RequestException as error:
        return _no_answer(error)
    ending = phone.transcript.ending
    if ending is not None and ending.kind in BROKEN:
        refused = ending.detail.startswith("HTTP 403 ")
        return ending.describe() + (SIGNATURE_REFUSED if refused else "")
    if unpressed:
        rest = ",".join(given.written() for given in unpressed)
        return f"the call ended before the keys {rest}: {_ending(phone)}"
    heard = _words(" ".join(e.text or "" for e in phone.transcript.events if e.kind == "heard"))
    missing = [phrase for phrase in expected if _words(phrase) not in heard]
    if missing:
        return f"did not hear {missing[0]!r} (the call: {_ending(phone)})"
    return None


def _no_answer(error: requests.RequestException) -> str:
    # requests nests the reason in a long repr; the socket's own words are the useful part.
    reason = re.findall(r"\[Errno -?\d+\] ([^'\")]+)", str(error))
    where = f" from {error.request.url}" if error.request is not None else ""
    return f"no answer{where} ({type(error).__name__}" + (f": {reason[-1]})" if reason else ")")


def _phone(url: str, menus: Menus, prompts: Path) -> Call:
    client = HttpCallClient(shell.settings().auth_token, DEFAULT_CALLER, TEST_CALL_NUMBER)
    return Call(None, listener_for(menus, prompts), client=client, base_url=url)


def _ending(phone: Call) -> str:
    ending = phone.transcript.ending
    return ending.describe() if ending is not None else f"waiting for a key in {phone.where}"


def _words(text: str) -> str:
    """Compared without case and runs of spaces: a re-wrapped text says the same."""
    return " ".join(text.casefold().split())
