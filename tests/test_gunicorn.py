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


@pytest.fixture
def server_log(server, tmp_path):
    """The log of `server` once it answers."""
    assert signed_step(server)[0] == 200
    return tmp_path / "gunicorn.log"


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


UNSIGNED = ("ivr: WARNING: webhook signatures are NOT checked (IVR_ALLOW_UNSIGNED=1 and no "
            "TWILIO_AUTH_TOKEN): anyone who can reach this server can drive calls; for local "
            "development only, a real number needs TWILIO_AUTH_TOKEN and IVR_PUBLIC_URL "
            "(docs/deploy.md)")


def test_the_development_switch_serves_unsigned_and_says_so_loudly_at_start(tmp_path: Path):
    env = gunicornproc.webhook_env(tmp_path, AUTH_TOKEN, PUBLIC_URL, IVR_ALLOW_UNSIGNED="1")
    del env["TWILIO_AUTH_TOKEN"]
    port = gunicornproc.free_port()
    log = tmp_path / "gunicorn.log"
    process = gunicornproc.start(env, f"127.0.0.1:{port}", log=log)
    try:
        gunicornproc.wait_listening("127.0.0.1", port, process)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        connection.request("POST", "/voice", "", {"Content-Length": "0"})
        assert connection.getresponse().status == 200
    finally:
        gunicornproc.stop(process)
    lines = log.read_text(encoding="utf-8").splitlines()
    # Once, by the master, before it starts the workers (issue 22 item 13).
    assert [line for line in lines if "NOT checked" in line] == [UNSIGNED]
    assert lines.index(UNSIGNED) < next(i for i, ln in enumerate(lines) if "Booting worker" in ln)


def test_a_token_set_gives_no_warning(server_log):
    assert "NOT checked" not in server_log.read_text(encoding="utf-8")


def raw_request(port: int, head: str) -> bytes:
    """The whole answer to one request written byte for byte (headers a library would fix)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n")
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


@pytest.mark.parametrize("script_name", ["/nope", "/voice", "/healthz/x"])
def test_a_script_name_header_is_ignored_not_a_500(server, script_name):
    """gunicorn took a SCRIPT_NAME header from a loopback client as the app's mount point,
    and answered 500 when the path did not start with it (issue 22 item 13)."""
    answer = raw_request(server, f"GET /healthz HTTP/1.1\nHost: ivr.example.org\n"
                                 f"SCRIPT_NAME: {script_name}\nConnection: close\n")
    assert answer.startswith(b"HTTP/1.1 200 "), answer[:200]
    assert b'"status":' in answer
    body = urllib.parse.urlencode(FORM)
    answer = raw_request(server, f"POST {STEP} HTTP/1.1\nHost: ivr.example.org\n"
                                 f"SCRIPT_NAME: {script_name}\nPATH_INFO: /nope\n"
                                 "Content-Type: application/x-www-form-urlencoded\n"
                                 f"X-Twilio-Signature: {sign(PUBLIC_URL + STEP, FORM)}\n"
                                 f"Content-Length: {len(body)}\nConnection: close\n\n{body}")
    assert answer.startswith(b"HTTP/1.1 200 ") and b"<Gather" in answer, answer[:300]


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
