"""The shipped gunicorn.conf.py and app.py as gunicorn really runs them, on loopback."""

from __future__ import annotations

import http.client
import socket
import subprocess
import time
import urllib.parse
from pathlib import Path

import pytest

from tests import gunicornproc
from tests.conftest import AUTH_TOKEN
from tests.conftest import CALL_FIELDS
from tests.conftest import PUBLIC_URL
from tests.conftest import ROOT
from tests.conftest import sign

pytestmark = pytest.mark.slow
STEP = "/voice/step?m=main&l=en"
FORM = {**CALL_FIELDS, "Digits": "1"}


def signed_step(port: int, timeout: float = 5) -> tuple[int, float]:
    """(status, seconds) of one signed step, on a new connection as Twilio makes it."""
    headers = {"X-Twilio-Signature": sign(PUBLIC_URL + STEP, FORM),
               "Content-Type": "application/x-www-form-urlencoded"}
    start = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("POST", STEP, urllib.parse.urlencode(FORM), headers)
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    return response.status, time.perf_counter() - start


def dawdle(port: int) -> socket.socket:
    """A client that promises a 1000-byte body and sends 10 bytes of it, then waits."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.sendall(b"POST " + STEP.encode() + b" HTTP/1.1\r\nHost: ivr.example.org\r\n"
                 b"Content-Type: application/x-www-form-urlencoded\r\n"
                 b"Content-Length: 1000\r\n\r\nDigits=1&A")
    return sock


@pytest.fixture
def server(tmp_path):
    """The webhook under gunicorn with the shipped configuration, signatures on."""
    port = gunicornproc.free_port()
    env = gunicornproc.webhook_env(tmp_path, AUTH_TOKEN, PUBLIC_URL)
    process = gunicornproc.start(env, f"127.0.0.1:{port}", log=tmp_path / "gunicorn.log")
    gunicornproc.wait_listening("127.0.0.1", port, process)
    yield port
    gunicornproc.stop(process)


def test_slow_clients_do_not_delay_a_signed_step(server):
    assert signed_step(server)[0] == 200
    # More dawdlers than workers: each would hold a sync worker for 30 s (issue 8 item 3).
    slow = [dawdle(server) for _ in range(4)]
    try:
        time.sleep(0.3)
        timings = [signed_step(server, timeout=3) for _ in range(5)]
    finally:
        for sock in slow:
            sock.close()
    assert [status for status, _ in timings] == [200] * 5
    assert max(seconds for _, seconds in timings) < 0.5, timings


def run_refused(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    port = gunicornproc.free_port()
    command = [gunicornproc.GUNICORN, "-b", f"127.0.0.1:{port}", *args, "app:app"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60)


NO_TOKEN = ("ivr: refusing to serve: TWILIO_AUTH_TOKEN is not set, so anyone could drive "
            "calls: set it, or set IVR_ALLOW_UNSIGNED=1 for local development only\n")
NO_URL = ("ivr: refusing to serve: IVR_PUBLIC_URL is not set: signatures must be checked "
          "against the URL Twilio calls, not one a client names; set it, e.g. "
          "IVR_PUBLIC_URL=https://ivr.example.org\n")


@pytest.mark.parametrize(("drop", "reason"), [("TWILIO_AUTH_TOKEN", NO_TOKEN),
                                              ("IVR_PUBLIC_URL", NO_URL)])
def test_gunicorn_refuses_to_start_unsafe_in_one_line(tmp_path, drop, reason):
    env = gunicornproc.webhook_env(tmp_path, AUTH_TOKEN, PUBLIC_URL)
    del env[drop]
    result = run_refused(env)
    assert result.returncode == 4
    # The master's own log lines (starting, shutting down) surround the reason.
    assert [ln + "\n" for ln in result.stderr.splitlines() if ln.startswith("ivr:")] == [reason]


def test_app_py_refuses_even_without_the_configuration_file(tmp_path):
    env = gunicornproc.webhook_env(tmp_path, AUTH_TOKEN, PUBLIC_URL)
    del env["TWILIO_AUTH_TOKEN"]
    empty = tmp_path / "empty.conf.py"
    empty.write_text("", encoding="utf-8")
    result = run_refused(env, "-c", str(empty), "--workers", "2")
    assert result.returncode != 0
    assert NO_TOKEN in result.stderr
    # gunicorn halts rather than restart the worker for ever (its wording varies with timing).
    assert "App failed to load." in result.stderr


def test_the_development_switch_serves_unsigned(tmp_path: Path):
    env = gunicornproc.webhook_env(tmp_path, AUTH_TOKEN, PUBLIC_URL, IVR_ALLOW_UNSIGNED="1")
    del env["TWILIO_AUTH_TOKEN"]
    port = gunicornproc.free_port()
    process = gunicornproc.start(env, f"127.0.0.1:{port}")
    try:
        gunicornproc.wait_listening("127.0.0.1", port, process)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("POST", "/voice", "", {"Content-Length": "0"})
        assert connection.getresponse().status == 200
    finally:
        gunicornproc.stop(process)


def test_gunicorn_tells_systemd_it_is_ready(tmp_path):
    """deploy/ivr-webhook.service is Type=notify: systemd waits for READY=1 on its socket."""
    path = tmp_path / "notify"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(str(path))
    listener.settimeout(30)
    env = gunicornproc.webhook_env(tmp_path, AUTH_TOKEN, PUBLIC_URL, NOTIFY_SOCKET=str(path))
    port = gunicornproc.free_port()
    process = gunicornproc.start(env, f"127.0.0.1:{port}")
    try:
        message = listener.recv(4096).decode()
        assert message.startswith("READY=1")
        gunicornproc.wait_listening("127.0.0.1", port, process)
        assert signed_step(port)[0] == 200
    finally:
        gunicornproc.stop(process)
        listener.close()
