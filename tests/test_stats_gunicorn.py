"""Several gunicorn workers count into one SQLite store: every call is there after a normal
shutdown, and gunicorn's log holds no caller number or call id."""

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest

from ivr.stats.report import report_data
from tests.conftest import AUTH_TOKEN
from tests.conftest import CALL_FIELDS
from tests.conftest import PUBLIC_URL
from tests.conftest import ROOT
from tests.conftest import sign
from tests.test_stats_webhook import SECRETS
from tests.test_stats_webhook import TODAY

CALLS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def post(port, path, data):
    form = {**CALL_FIELDS, **data}
    body = urllib.parse.urlencode(form)
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "X-Twilio-Signature": sign(PUBLIC_URL + path, form)}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("POST", path, body, headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status


@pytest.mark.slow
def test_several_workers_count_every_call_into_one_sqlite_file(tmp_path):
    shutil.copyfile(ROOT / "menus.yaml", tmp_path / "menus.yaml")
    port = free_port()
    env = {**os.environ, "TWILIO_AUTH_TOKEN": AUTH_TOKEN, "IVR_PUBLIC_URL": PUBLIC_URL,
           "IVR_MENUS": str(tmp_path / "menus.yaml"), "IVR_PROMPTS_DIR": str(tmp_path / "p")}
    env.pop("IVR_STATS_URL", None)  # the default: stats.sqlite3 beside the menus
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-w", "3", "-b", f"127.0.0.1:{port}",
         "--access-logfile", "-", "--chdir", str(ROOT), "app:app"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        for _ in range(CALLS):
            assert post(port, "/voice", {}) == 200
            assert post(port, "/voice/step?m=language", {"Digits": "3"}) == 200
    finally:
        server.send_signal(signal.SIGTERM)  # workers store what they counted as they exit
        log, _ = server.communicate(timeout=60)
    data = report_data(f"sqlite:///{tmp_path / 'stats.sqlite3'}", TODAY, TODAY, 1)
    assert (data["calls"], data["languages"]) == (CALLS, {"en": CALLS}), log
    assert "POST /voice" in log  # the access log was written, and is clean:
    for secret in SECRETS:
        assert secret not in log
