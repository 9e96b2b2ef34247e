"""The console's password: refused at start when weak, wrong tries slowed down per address
and logged once a minute without the password (issue 22 item 12)."""

from __future__ import annotations

import logging
import subprocess
from dataclasses import replace

import pytest
from click.testing import CliRunner

from ivr.app import create_app
from ivr.cli import cli
from ivr.console.lockout import MAX_WAIT
from ivr.console.lockout import Lockout
from ivr.settings import Settings
from ivr.settings import SettingsError
from tests import gunicornproc
from tests.conftest import AUTH_TOKEN
from tests.conftest import PUBLIC_URL
from tests.conftest import ROOT
from tests.test_console import OPERATOR
from tests.test_console import PASSWORD
from tests.test_console import basic

WRONG = basic("operator", "not the passphrase")
ATTACKER = {"REMOTE_ADDR": "203.0.113.9"}


def too_short(length):
    return (f"IVR_CONSOLE_PASSWORD is {length} character{'s' if length != 1 else ''} long, and "
            "a console password needs at least 12: use a long random passphrase "
            "(docs/console.md), or unset IVR_CONSOLE_PASSWORD")


@pytest.mark.parametrize("password", ["x", "s3cret", "elevenchars"])
def test_a_short_password_is_refused_without_saying_it(password):
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({"IVR_CONSOLE_PASSWORD": password})
    assert str(refused.value) == too_short(len(password))
    assert password not in str(refused.value)


def test_twelve_characters_are_enough():
    assert Settings.from_env({"IVR_CONSOLE_PASSWORD": "twelve chars"}).console_password == (
        "twelve chars")


def test_ivr_serve_refuses_a_short_password_in_one_line(monkeypatch, menus_file):
    monkeypatch.setenv("IVR_MENUS", str(menus_file))
    monkeypatch.setenv("IVR_CONSOLE_PASSWORD", "x")
    result = CliRunner().invoke(cli, ["serve"])
    assert (result.exit_code, result.output) == (1, f"Error: {too_short(1)}\n")


@pytest.mark.slow
def test_gunicorn_refuses_a_short_password_in_one_line(tmp_path):
    env = gunicornproc.webhook_env(tmp_path, AUTH_TOKEN, PUBLIC_URL, IVR_CONSOLE_PASSWORD="x")
    port = gunicornproc.free_port()
    result = subprocess.run([gunicornproc.GUNICORN, "-b", f"127.0.0.1:{port}", "app:app"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 4
    assert [ln for ln in result.stderr.splitlines() if ln.startswith("ivr:")] == [
        f"ivr: refusing to serve: {too_short(1)}"]


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def console(settings):
    app = create_app(replace(settings, console_password=PASSWORD))
    clock = Clock()
    app.extensions["ivr.console.lockout"].clock = clock
    client = app.test_client()
    client.clock = clock
    return client


def status(console, headers, address=ATTACKER):
    return console.get("/console/", headers=headers, environ_base=address).status_code


def test_after_five_wrong_tries_even_the_right_password_waits(console):
    assert [status(console, WRONG) for _ in range(5)] == [401] * 5
    answer = console.get("/console/", headers=OPERATOR, environ_base=ATTACKER)
    assert (answer.status_code, answer.headers["Retry-After"]) == (429, "1")
    assert b"menu" not in answer.data.lower()
    console.clock.now += 1
    assert status(console, OPERATOR) == 200


def test_each_wrong_try_past_the_free_ones_doubles_the_wait_up_to_five_minutes(console):
    waits = []
    for _ in range(16):
        assert status(console, WRONG) == 401
        answer = console.get("/console/", environ_base=ATTACKER)  # no try: how long to wait
        waits.append(int(answer.headers.get("Retry-After", 0)))
        console.clock.now += waits[-1]
    assert waits == [0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]
    assert MAX_WAIT == 300


def test_the_right_password_starts_the_address_again(console):
    for _ in range(4):
        status(console, WRONG)
    assert status(console, OPERATOR) == 200
    assert [status(console, WRONG) for _ in range(5)] == [401] * 5


def test_another_address_is_not_held_back(console):
    for _ in range(8):
        status(console, WRONG)
    assert status(console, WRONG) == 429
    assert status(console, OPERATOR, {"REMOTE_ADDR": "127.0.0.1"}) == 200


def test_a_request_without_a_password_is_no_wrong_try(console):
    # A browser asks first without one, then again with what the operator types.
    assert [status(console, {}) for _ in range(10)] == [401] * 10
    assert status(console, OPERATOR) == 200


def test_wrong_tries_are_logged_once_a_minute_per_address_without_the_password(console,
                                                                                caplog):
    with caplog.at_level(logging.WARNING, logger="ivr.console.lockout"):
        for _ in range(30):
            status(console, WRONG)
            console.clock.now += 2
        for _ in range(3):
            status(console, WRONG, {"REMOTE_ADDR": "198.51.100.7"})
    lines = [r.getMessage() for r in caplog.records]
    assert lines == [
        "console: wrong user name or password from 203.0.113.9 (1 in a row)",
        "console: wrong user name or password from 198.51.100.7 (1 in a row)",
    ]
    console.clock.now += 60
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="ivr.console.lockout"):
        status(console, WRONG)
    assert [r.getMessage() for r in caplog.records] == [
        # 10 wrong tries were checked in the minute (the rest waited): this is the 11th.
        "console: wrong user name or password from 203.0.113.9 (11 in a row; its next try "
        "is checked in 64 s)"]
    assert "not the passphrase" not in caplog.text and PASSWORD not in caplog.text


def test_the_addresses_kept_are_bounded_the_longest_quiet_forgotten_first():
    clock = Clock()
    lockout = Lockout(clock, limit=3)
    for address in ("a", "b", "c", "d"):
        for _ in range(6):
            lockout.failed(address)
        clock.now += 1
    assert len(lockout) == 3
    assert lockout.wait("a") == 0 and lockout.wait("d") > 0


def test_an_address_quiet_for_a_quarter_of_an_hour_starts_again():
    clock = Clock()
    lockout = Lockout(clock)
    for _ in range(12):
        lockout.failed("a")
    assert lockout.wait("a") == 128
    clock.now += 900
    assert lockout.wait("a") == 0 and len(lockout) == 0
