"""menus.yaml changes go live without a restart; a broken one never does."""

import datetime
import logging
import os
import re
import shutil
import time

import pytest

from ivr.app import create_app
from ivr.web.menustore import MenuStore
from ivr.web.menustore import MenusUnavailable
from tests.conftest import EDIT_EN
from tests.conftest import EDITED_EN
from tests.conftest import MAIN_EN
from tests.conftest import saved


def rewrite(path, old, new, count=-1):
    text = path.read_text(encoding="utf-8")
    assert old in text
    saved(path, text.replace(old, new, count))


def main_menu(signed_post):
    return signed_post("/voice/step?m=language", {"Digits": "3"}).get_data(as_text=True)


def test_a_valid_change_goes_live_for_the_next_step(signed_post, menus_file, client):
    assert MAIN_EN in main_menu(signed_post)
    before = client.get("/healthz").get_json()["menus_version"]
    rewrite(menus_file, *EDIT_EN)
    assert EDITED_EN in main_menu(signed_post)
    health = client.get("/healthz/details").get_json()
    assert health["menus_version"] != before
    assert health["last_reload_error"] is None


def test_a_broken_file_keeps_the_last_valid_menus_answering(
    signed_post, menus_file, client, caplog
):
    version = client.get("/healthz").get_json()["menus_version"]
    rewrite(menus_file, EDIT_EN[0], "en: [unclosed")
    rewrite(menus_file, "    goto: needs_safety", "    goto: nowhere")
    with caplog.at_level(logging.ERROR, logger="ivr.web.menustore"):
        for _ in range(3):
            assert MAIN_EN in main_menu(signed_post)
    health = client.get("/healthz/details").get_json()
    assert health["menus_version"] == version
    assert health["last_reload_error"]
    assert health["status"] == "stale"
    rejected = [r for r in caplog.records if "menus not reloaded" in r.getMessage()]
    assert len(rejected) == 1, "the reason is logged once per file content"
    assert f"still serving version {version}" in rejected[0].getMessage()


def test_a_deleted_file_keeps_the_last_valid_menus_answering(signed_post, menus_file, client):
    menus_file.unlink()
    assert MAIN_EN in main_menu(signed_post)
    assert "cannot read" in client.get("/healthz/details").get_json()["last_reload_error"]


def test_fixing_the_file_clears_the_error(signed_post, menus_file, client):
    good = menus_file.read_text(encoding="utf-8")
    saved(menus_file, "menus: [")
    main_menu(signed_post)
    assert client.get("/healthz/details").get_json()["last_reload_error"]
    rewrite_to = good.replace(*EDIT_EN)
    saved(menus_file, rewrite_to)
    assert EDITED_EN in main_menu(signed_post)
    health = client.get("/healthz/details").get_json()
    assert (health["status"], health["last_reload_error"]) == ("ok", None)


def test_the_file_is_checked_at_most_every_interval(menus_file, tmp_path):
    now = [0.0]
    store = MenuStore(menus_file, tmp_path / "prompts", interval=2.0, clock=lambda: now[0])
    version = store.menus().version
    rewrite(menus_file, *EDIT_EN)
    now[0] = 1.9
    assert store.menus().version == version
    now[0] = 2.0
    assert store.menus().version != version


def test_a_broken_file_at_start_up_is_a_clear_error(settings, menus_file):
    menus_file.write_text("languages: [", encoding="utf-8")
    with pytest.raises(MenusUnavailable, match=r"cannot serve .*menus\.yaml"):
        create_app(settings)


def where(path, needle):
    """`file:line:col` of the first value after `needle` in the file."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return f"{path}:{number}:{line.index(needle) + len(needle) + 1}"
    raise AssertionError(needle)


FORWARDING = ("warning: call.emergency_forwarding: callers will be put through to the emergency "
              "number (Twilio does not route 112 in Finland; keep this false unless your "
              "carrier does)")


def warnings(caplog):
    # Leaving out the shipped file's honest review-status warnings (issue 10): which
    # languages are unreviewed changes with the languages, not with what is tested here.
    return [r.getMessage() for r in caplog.records
            if r.name == "ivr.web.menustore" and r.levelno == logging.WARNING
            and "not reviewed by a fluent speaker" not in r.getMessage()]


def test_warnings_are_logged_once_when_a_version_goes_live(settings, menus_file, caplog):
    today = datetime.date.today().isoformat()
    fresh = re.sub(r"checked: \d{4}-\d\d-\d\d", f"checked: {today}",
                   menus_file.read_text(encoding="utf-8"))  # none stale, whenever this runs
    menus_file.write_text(fresh, encoding="utf-8")
    rewrite(menus_file, "emergency_forwarding: false", "emergency_forwarding: true")
    with caplog.at_level(logging.WARNING, logger="ivr.web.menustore"):
        client = create_app(settings).test_client()
        client.get("/healthz")
        assert warnings(caplog) == [f"{where(menus_file, 'emergency_forwarding: ')}: {FORWARDING}"]
        caplog.clear()
        os.utime(menus_file)  # touched, not changed: the same version, no new warnings
        client.get("/healthz")
        rewrite(menus_file, f"checked: {today}", "checked: 2020-01-02", count=1)
        for _ in range(3):
            client.get("/healthz")
        assert warnings(caplog) == [
            f"{where(menus_file, 'emergency_forwarding: ')}: {FORWARDING}",
            f"{where(menus_file, 'checked: ')}: warning: services[0].checked: last checked "
            "2020-01-02, more than a year ago (check the entry against its source and update "
            "the date)",
        ]


def test_a_rejected_file_logs_its_error_not_warnings(settings, menus_file, client, caplog):
    with caplog.at_level(logging.WARNING, logger="ivr.web.menustore"):
        rewrite(menus_file, "emergency_forwarding: false", "emergency_forwarding: maybe")
        for _ in range(2):
            client.get("/healthz")
    assert warnings(caplog) == []
    rejected = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert len(rejected) == 1 and "call.emergency_forwarding" in rejected[0]


def health(client):
    answer = client.get("/healthz/details").get_json()
    return answer["status"], answer["menus_version"], answer["last_reload_error"]


def break_menus(menus_file, client):
    """A rejected edit: healthz goes stale."""
    text = menus_file.read_text(encoding="utf-8")
    saved(menus_file, text.replace("goto: needs_safety", "goto: nowhere", 1))
    status, _, error = health(client)
    assert status == "stale" and "no menu named 'nowhere'" in error


def undo_in_place(path, good, tmp_path):
    saved(path, good)


def copy_back(path, good, tmp_path):
    backup = tmp_path / "backup.yaml"
    backup.write_text(good, encoding="utf-8")
    shutil.copy(backup, path)
    saved(path)


def checkout(path, good, tmp_path):
    # git checkout writes a new file and renames it over the old one.
    fresh = tmp_path / ".menus.yaml.new"
    fresh.write_text(good, encoding="utf-8")
    os.replace(fresh, path)
    saved(path)


@pytest.mark.parametrize("restore", [undo_in_place, copy_back, checkout])
def test_restoring_the_live_content_clears_stale(menus_file, client, tmp_path, restore):
    good = menus_file.read_text(encoding="utf-8")
    _, version, _ = health(client)
    break_menus(menus_file, client)
    restore(menus_file, good, tmp_path)
    assert health(client) == ("ok", version, None)


def test_restoring_a_deleted_file_clears_stale(menus_file, client, tmp_path):
    good = menus_file.read_text(encoding="utf-8")
    _, version, _ = health(client)
    menus_file.unlink()
    assert health(client)[0] == "stale"
    undo_in_place(menus_file, good, tmp_path)
    assert health(client) == ("ok", version, None)


PRONOUNCED = "โมนิกาไนเซ็ต จุด เอฟไอ"
"""monikanaiset.fi as menus.yaml's last section (the Thai pronunciations) has it said."""


def half_written(text):
    """The shipped menus as an editor writing in place leaves them just before the file's
    last section (the Thai voice's pronunciations): valid, but not the same version."""
    return text[: text.rindex("\n  th:\n") + 1]


def readout(signed_post):
    """The first page of the Thai read-out of safe housing in the capital region."""
    answer = signed_post("/voice/step?m=region&l=th&n=safe_housing", {"Digits": "1"})
    return answer.get_data(as_text=True)


def test_a_file_still_being_written_does_not_go_live(menus_file, client, signed_post):
    # An editor writing in place, caught before the file's last section: what is there is
    # valid, but the Thai voice has lost how to say a web address (issue 8 item 6).
    text = menus_file.read_text(encoding="utf-8")
    assert PRONOUNCED in readout(signed_post)
    _, version, _ = health(client)
    menus_file.write_text(half_written(text), encoding="utf-8")
    for _ in range(3):
        assert PRONOUNCED in readout(signed_post)
        assert health(client) == ("ok", version, None)
    saved(menus_file)  # the write stopped a while ago: whatever is there now is the edit
    assert PRONOUNCED not in readout(signed_post)
    assert "monikanaiset" in readout(signed_post)
    assert health(client)[1] != version


def test_a_change_goes_live_once_it_stood_still_even_with_an_mtime_in_the_future(
    menus_file, tmp_path
):
    now = [100.0]
    store = MenuStore(menus_file, tmp_path / "prompts", interval=0.0, clock=lambda: now[0])
    version = store.menus().version
    rewrite(menus_file, *EDIT_EN)
    ahead = time.time() + 3600  # a copy from a machine whose clock is an hour ahead
    os.utime(menus_file, (ahead, ahead))
    assert store.menus().version == version
    now[0] += 0.9
    assert store.menus().version == version
    now[0] += 0.1
    assert store.menus().version != version
