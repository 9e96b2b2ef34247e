"""gunicorn serves only where a buffering proxy stands in front (issue 22 item 4).

40 clients sending a body slowly left calls unanswered on a gunicorn reached directly (2 x 16
threads), and gunicorn has no timeout for a slow body; behind the shipped nginx site 150 had no
effect. So the shipped gunicorn.conf.py refuses to listen on an address others can reach
unless IVR_BEHIND_PROXY=1 says only such a proxy can reach it.
"""

from __future__ import annotations

import http.client
import socket
import subprocess
import time
import urllib.parse

import pytest

from tests import gunicornproc
from tests.conftest import AUTH_TOKEN
from tests.conftest import PUBLIC_URL
from tests.conftest import ROOT
from tests.conftest import sign
from tests.test_gunicorn import FORM
from tests.test_gunicorn import STEP
from tests.test_gunicorn import signed_step

pytestmark = pytest.mark.slow


def refusal(where: str) -> str:
    return (f"ivr: refusing to serve: listening on {where}, which clients can reach directly, "
            "and a few dozen that send slowly would hold every worker thread; bind 127.0.0.1 "
            "or a unix socket behind a proxy that buffers whole requests "
            "(deploy/nginx-ivr.conf), or set IVR_BEHIND_PROXY=1 where only such a proxy can "
            "reach this address (docs/deploy.md)\n")


class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path: str) -> None:
        super().__init__("localhost", timeout=5)
        self.path = path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(5)
        self.sock.connect(self.path)


def test_every_interface_is_refused_in_one_line(tmp_path):
    env = gunicornproc.webhook_env(tmp_path, AUTH_TOKEN, PUBLIC_URL)
    port = gunicornproc.free_port()
    result = subprocess.run([gunicornproc.GUNICORN, "-b", f"0.0.0.0:{port}", "app:app"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 4
    assert [ln + "\n" for ln in result.stderr.splitlines() if ln.startswith("ivr:")] == [
        refusal(f"http://0.0.0.0:{port}")]


def test_every_interface_is_served_once_told_only_a_proxy_reaches_it(tmp_path):
    env = gunicornproc.webhook_env(tmp_path, AUTH_TOKEN, PUBLIC_URL, IVR_BEHIND_PROXY="1")
    port = gunicornproc.free_port()
    process = gunicornproc.start(env, f"0.0.0.0:{port}", log=tmp_path / "gunicorn.log")
    try:
        gunicornproc.wait_listening("127.0.0.1", port, process)
        assert signed_step(port)[0] == 200
    finally:
        gunicornproc.stop(process)


def test_a_unix_socket_is_served_without_being_told(tmp_path):
    env = gunicornproc.webhook_env(tmp_path, AUTH_TOKEN, PUBLIC_URL)
    path = tmp_path / "ivr.sock"
    process = gunicornproc.start(env, f"unix:{path}", log=tmp_path / "gunicorn.log")
    try:
        connection = UnixConnection(str(path))
        for _ in range(200):
            if path.exists() or process.poll() is not None:
                break
            time.sleep(0.05)
        headers = {"X-Twilio-Signature": sign(PUBLIC_URL + STEP, FORM),
                   "Content-Type": "application/x-www-form-urlencoded"}
        connection.request("POST", STEP, urllib.parse.urlencode(FORM), headers)
        assert connection.getresponse().status == 200
        # Only this machine reaches a unix socket: the operator's details answer there
        # (issue 22 item 13), unless a proxy says it passed the request on.
        for forwarded, status in (({}, 200), ({"X-Forwarded-For": "203.0.113.9"}, 404)):
            connection = UnixConnection(str(path))
            connection.request("GET", "/healthz/details", headers=forwarded)
            answer = connection.getresponse()
            assert (answer.status, b"menus_path" in answer.read()) == (status, status == 200)
    finally:
        gunicornproc.stop(process)
