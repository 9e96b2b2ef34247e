"""A seed file the live menus name goes missing: the server keeps serving (issue 22 item 1).

The last-good copy went live once, checked against seeds/ as it was then; a process that
starts after a seed file it names was removed, renamed or made unreadable serves it anyway,
and /healthz says "seeds_missing" until the seed is back. An edit that names the missing
seed is still refused, as `validate` refuses it.
"""

from __future__ import annotations

import os
import shutil
import signal
import time

import pytest
import requests

from ivr.app import create_app
from ivr.web.menustore import MenusUnavailable
from tests import gunicornproc
from tests.conftest import AUTH_TOKEN
from tests.conftest import CALL_FIELDS
from tests.conftest import EDIT_EN
from tests.conftest import EDITED_EN
from tests.conftest import MAIN_EN
from tests.conftest import PUBLIC_URL
from tests.conftest import ROOT
from tests.conftest import saved
from tests.conftest import sign
from tests.test_lastgood import main_menu_of
from tests.test_reload import rewrite

SEED = "001_c7b0a8f03332007c.txt"
"""The seed the shipped services name as their source (and one that gives the info line)."""
MISSING = f"no seed file named '{SEED}'"


@pytest.fixture
def seeds(menus_file):
    folder = menus_file.parent / "seeds"
    shutil.copytree(ROOT / "seeds", folder)
    return folder


def removed(seeds):
    (seeds / SEED).unlink()


def renamed(seeds):
    (seeds / SEED).rename(seeds / ("old-" + SEED))


def looped(seeds):
    # A symlink to itself: listing the folder shows the name, reading it fails (ELOOP).
    (seeds / SEED).unlink()
    os.symlink(SEED, seeds / SEED)


def health(client):
    return client.get("/healthz").get_json()


def details(client):
    return client.get("/healthz/details").get_json()


@pytest.mark.parametrize("lose", [removed, renamed, looped])
def test_a_worker_started_after_a_seed_is_gone_serves_the_live_version(settings, seeds, lose):
    version = health(create_app(settings).test_client())["menus_version"]
    lose(seeds)
    client = create_app(settings).test_client()  # a new worker: a HUP, a recycle, a crash
    assert MAIN_EN in main_menu_of(client)
    said = health(client)
    assert (said["status"], said["menus_version"]) == ("seeds_missing", version)
    assert said["problems"]["seeds"] > 0 and said["problems"]["rejected_edit"] == 0
    told = details(client)
    assert MISSING in told["seeds_missing"]
    assert told["last_reload_error"] is None  # the file is the live version: nothing refused


def test_healthz_says_so_while_running_and_ok_once_the_seed_is_back(settings, seeds, client):
    assert health(client)["status"] == "ok"
    removed(seeds)
    assert health(client)["status"] == "seeds_missing"
    assert details(client)["seeds_missing"].startswith(f"{settings.menus_path}:")
    shutil.copyfile(ROOT / "seeds" / SEED, seeds / SEED)
    said = health(client)
    assert (said["status"], said["problems"]) == ("ok", {"rejected_edit": 0, "seeds": 0})
    assert details(client)["seeds_missing"] is None


def test_an_edit_that_names_the_missing_seed_is_still_refused(settings, seeds, client):
    version = health(client)["menus_version"]
    removed(seeds)
    rewrite(settings.menus_path, *EDIT_EN)
    said = health(client)
    assert (said["status"], said["menus_version"]) == ("seeds_missing", version)
    assert said["problems"]["rejected_edit"] > 0
    assert MISSING in details(client)["last_reload_error"]
    # A worker starting now serves the last version that went live, not the edit.
    restarted = create_app(settings).test_client()
    assert health(restarted)["menus_version"] == version
    assert MISSING in details(restarted)["last_reload_error"]


def test_the_edit_goes_live_once_the_seed_is_back(settings, seeds, client):
    removed(seeds)
    rewrite(settings.menus_path, *EDIT_EN)
    assert health(client)["status"] == "seeds_missing"
    shutil.copyfile(ROOT / "seeds" / SEED, seeds / SEED)
    said = health(client)
    assert (said["status"], said["problems"]) == ("ok", {"rejected_edit": 0, "seeds": 0})
    assert EDITED_EN in main_menu_of(client)


def test_with_no_version_ever_live_a_missing_seed_still_refuses_the_start(settings, seeds):
    removed(seeds)
    with pytest.raises(MenusUnavailable, match=MISSING):
        create_app(settings)


def signed_call(base: str) -> str:
    """The main menu a caller who chose English hears, or raises."""
    path = "/voice/step?m=language"
    form = {**CALL_FIELDS, "Digits": "3"}
    answer = requests.post(base + path, data=form, timeout=5,
                           headers={"X-Twilio-Signature": sign(PUBLIC_URL + path, form)})
    answer.raise_for_status()
    return answer.text


def worker_pids(master: int) -> set[int]:
    children = f"/proc/{master}/task/{master}/children"
    with open(children, encoding="ascii") as listing:
        return {int(pid) for pid in listing.read().split()}


def until(condition, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not so after {seconds} s")
        time.sleep(0.1)


@pytest.mark.slow
def test_gunicorn_serves_on_after_a_seed_is_removed_and_the_master_is_hupped(tmp_path):
    """The outage of item 1, end to end: HUP (systemctl reload) and worker recycles."""
    port = gunicornproc.free_port()
    base = f"http://127.0.0.1:{port}"
    env = gunicornproc.webhook_env(tmp_path, AUTH_TOKEN, PUBLIC_URL, IVR_STATS_URL="off")
    log = tmp_path / "gunicorn.log"
    # --max-requests: each worker is replaced after a few requests, as after a crash.
    server = gunicornproc.start(env, f"127.0.0.1:{port}", ["--max-requests", "3"], log=log)
    try:
        gunicornproc.wait_listening("127.0.0.1", port, server)
        assert MAIN_EN in signed_call(base)
        (tmp_path / "seeds" / SEED).unlink()
        before = worker_pids(server.pid)
        server.send_signal(signal.SIGHUP)
        until(lambda: not worker_pids(server.pid) & before)
        for _ in range(12):  # every worker recycled at least once more
            assert MAIN_EN in signed_call(base)
        assert server.poll() is None, "the master is still up"
        said = requests.get(base + "/healthz", timeout=5).json()
        assert said["status"] == "seeds_missing"
        assert MISSING in requests.get(base + "/healthz/details", timeout=5).json()[
            "seeds_missing"]
        # An edit now is refused, and the live version goes on.
        saved(tmp_path / "menus.yaml", (tmp_path / "menus.yaml").read_text(
            encoding="utf-8").replace(*EDIT_EN))
        until(lambda: requests.get(base + "/healthz/details", timeout=5).json()[
            "last_reload_error"] is not None)
        assert MAIN_EN in signed_call(base)
    finally:
        gunicornproc.stop(server)
    assert "Worker failed to boot" not in log.read_text(encoding="utf-8")
