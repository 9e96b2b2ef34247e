"""A process that starts while menus.yaml is broken serves the last valid menus (issue 8 item 1).

Each version that goes live is kept in .menus.yaml.last-good beside the file; a start with a
broken (or half-written) file serves that copy and says stale; only with no valid version at
all does it refuse to start.
"""

import logging
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from ivr.app import create_app
from ivr.web import menufile
from ivr.web.menustore import MenusUnavailable
from tests.conftest import AUTH_TOKEN
from tests.conftest import CALL_FIELDS
from tests.conftest import EDIT_EN
from tests.conftest import MAIN_EN
from tests.conftest import PUBLIC_URL
from tests.conftest import ROOT
from tests.conftest import sign
from tests.test_reload import half_written
from tests.test_reload import rewrite
from tests.test_reload import saved
from tests.test_serve import free_port

BROKEN_GOTO = "no menu named 'nowhere'"


def last_good(menus_file):
    return menus_file.with_name(".menus.yaml.last-good")


def broken(menus_file):
    rewrite(menus_file, "    goto: needs_safety", "    goto: nowhere")


def test_a_version_that_goes_live_is_kept_beside_the_file(menus_file, client):
    assert last_good(menus_file).read_bytes() == menus_file.read_bytes()
    rewrite(menus_file, *EDIT_EN)
    client.get("/healthz")
    assert last_good(menus_file).read_bytes() == menus_file.read_bytes()
    broken(menus_file)
    client.get("/healthz")
    assert b"goto: nowhere" not in last_good(menus_file).read_bytes()


def main_menu_of(client):
    """What a caller who chose English hears, through a signed request to `client`."""
    form = {**CALL_FIELDS, "Digits": "3"}
    path = "/voice/step?m=language"
    answer = client.post(path, data=form, headers={"X-Twilio-Signature": sign(PUBLIC_URL + path,
                                                                              form)})
    return answer.get_data(as_text=True)


def test_a_start_with_a_broken_file_serves_the_last_good_copy_and_says_stale(
    settings, menus_file, caplog
):
    version = create_app(settings).test_client().get("/healthz").get_json()["menus_version"]
    broken(menus_file)
    with caplog.at_level(logging.ERROR, logger="ivr.web.menustore"):
        client = create_app(settings).test_client()  # a new worker, after a crash or a HUP
    health = client.get("/healthz/details").get_json()
    assert (health["status"], health["menus_version"]) == ("stale", version)
    assert BROKEN_GOTO in health["last_reload_error"]
    assert MAIN_EN in main_menu_of(client)
    [logged] = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert logged.startswith(
        f"menus file not valid at start, serving the last-good copy {last_good(menus_file)} "
        f"(version {version}): {menus_file}:"
    )
    assert BROKEN_GOTO in logged


def test_fixing_the_file_after_such_a_start_goes_live(settings, menus_file):
    create_app(settings)
    broken(menus_file)
    client = create_app(settings).test_client()
    rewrite(menus_file, "    goto: nowhere", "    goto: needs_safety")
    rewrite(menus_file, *EDIT_EN)
    health = client.get("/healthz/details").get_json()
    assert (health["status"], health["last_reload_error"]) == ("ok", None)


def test_with_no_valid_version_at_all_the_start_is_refused(settings, menus_file):
    broken(menus_file)
    with pytest.raises(MenusUnavailable) as refused:
        create_app(settings)
    message = str(refused.value)
    assert message.startswith(f"cannot serve {menus_file}:\n{menus_file}:")
    assert BROKEN_GOTO in message
    assert message.endswith(
        f"(there is no last-good copy; run `ivr validate {menus_file}`)"
    )


def test_a_broken_last_good_copy_is_no_way_out(settings, menus_file):
    create_app(settings)
    broken(menus_file)
    saved(last_good(menus_file), "menus: [")
    with pytest.raises(MenusUnavailable, match=r"\.menus\.yaml\.last-good is not valid either"):
        create_app(settings)


def test_a_start_while_the_file_is_being_written_serves_the_last_good_copy(
    settings, menus_file
):
    version = create_app(settings).test_client().get("/healthz").get_json()["menus_version"]
    text = menus_file.read_text(encoding="utf-8")
    menus_file.write_text(half_written(text), encoding="utf-8")
    client = create_app(settings).test_client()
    health = client.get("/healthz").get_json()
    assert (health["status"], health["menus_version"]) == ("ok", version)
    saved(menus_file)
    assert client.get("/healthz").get_json()["menus_version"] != version


def test_a_folder_that_cannot_keep_the_copy_is_logged_once(settings, menus_file, monkeypatch,
                                                          caplog):
    def refuse(path, data, check=None):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(menufile, "write_atomic", refuse)
    with caplog.at_level(logging.WARNING, logger="ivr.web.menufile"):
        client = create_app(settings).test_client()
        rewrite(menus_file, *EDIT_EN)
        client.get("/healthz")
    assert [r.getMessage() for r in caplog.records if r.name == "ivr.web.menufile"] == [
        f"cannot keep a last-good copy of the menus at {last_good(menus_file)} (Permission "
        "denied): a restart while the menus file is broken would not start"
    ]
    assert client.get("/healthz").get_json()["status"] == "ok"


def get(base, path, form=None, attempts=1):
    """The body of a request to the server (signed POST if `form`), retrying while it boots."""
    for attempt in range(attempts):
        try:
            if form is None:
                request = urllib.request.Request(base + path)
            else:
                request = urllib.request.Request(
                    base + path, data=urllib.parse.urlencode(form).encode(), method="POST",
                    headers={"X-Twilio-Signature": sign(PUBLIC_URL + path, form)},
                )
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.read().decode()
        except (urllib.error.URLError, ConnectionError):
            if attempt == attempts - 1:
                raise
            time.sleep(0.2)
    raise AssertionError("unreachable")


@pytest.mark.slow
def test_gunicorn_keeps_serving_when_a_worker_restarts_on_a_broken_file(menus_file, tmp_path):
    """The outage of item 1, end to end: a new worker boots while the file is broken."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "IVR_"))}
    env.update(IVR_MENUS=str(menus_file), IVR_PROMPTS_DIR=str(tmp_path / "prompts"),
               TWILIO_AUTH_TOKEN=AUTH_TOKEN, IVR_PUBLIC_URL=PUBLIC_URL,
               IVR_RELOAD_INTERVAL="0", PYTHONPATH=str(ROOT))
    # --max-requests 2: the worker is replaced after two requests, as after a crash or a
    # worker timeout; cwd is tmp_path so no gunicorn.conf.py of the checkout is read.
    gunicorn = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}",
                "--workers", "1", "--max-requests", "2", "app:app"]
    server = subprocess.Popen(gunicorn, cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    try:
        assert '"status":"ok"' in get(base, "/healthz", attempts=100).replace(" ", "")
        broken(menus_file)
        assert '"status":"stale"' in get(base, "/healthz").replace(" ", "")
        # That was the worker's second request: a new worker boots on the broken file.
        form = {**CALL_FIELDS, "Digits": "3"}
        assert MAIN_EN in get(base, "/voice/step?m=language", form, attempts=100)
        assert server.poll() is None, "the master is still up"
        assert '"status":"stale"' in get(base, "/healthz", attempts=100).replace(" ", "")
    finally:
        server.send_signal(signal.SIGTERM)
        _, errors = server.communicate(timeout=30)
    assert "serving the last-good copy" in errors.decode()
