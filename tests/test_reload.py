"""menus.yaml changes go live without a restart; a broken one never does."""

import logging
import os

import pytest

from ivr import create_app
from ivr.menustore import MenuStore
from ivr.menustore import MenusUnavailable

MAIN_EN = "Main menu. Choose the help you need."


def rewrite(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    # Make sure the change is seen even on file systems with coarse timestamps.
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))


def main_menu(signed_post):
    return signed_post("/voice/step?m=language", {"Digits": "3"}).get_data(as_text=True)


def test_a_valid_change_goes_live_for_the_next_step(signed_post, menus_file, client):
    assert MAIN_EN in main_menu(signed_post)
    before = client.get("/healthz").get_json()["menus_version"]
    rewrite(menus_file, "en: Main menu. Choose the help you need.", "en: Main menu. Pick one.")
    assert "Main menu. Pick one." in main_menu(signed_post)
    health = client.get("/healthz").get_json()
    assert health["menus_version"] != before
    assert health["last_reload_error"] is None


def test_a_broken_file_keeps_the_last_valid_menus_answering(
    signed_post, menus_file, client, caplog
):
    version = client.get("/healthz").get_json()["menus_version"]
    rewrite(menus_file, "en: Main menu. Choose the help you need.", "en: [unclosed")
    rewrite(menus_file, "    goto: needs_safety", "    goto: nowhere")
    with caplog.at_level(logging.ERROR, logger="ivr.menustore"):
        for _ in range(3):
            assert MAIN_EN in main_menu(signed_post)
    health = client.get("/healthz").get_json()
    assert health["menus_version"] == version
    assert health["last_reload_error"]
    rejected = [r for r in caplog.records if "menus not reloaded" in r.getMessage()]
    assert len(rejected) == 1, "the reason is logged once per file content"
    assert f"still serving version {version}" in rejected[0].getMessage()


def test_a_deleted_file_keeps_the_last_valid_menus_answering(signed_post, menus_file, client):
    menus_file.unlink()
    assert MAIN_EN in main_menu(signed_post)
    assert "cannot read" in client.get("/healthz").get_json()["last_reload_error"]


def test_fixing_the_file_clears_the_error(signed_post, menus_file, client):
    good = menus_file.read_text(encoding="utf-8")
    menus_file.write_text("menus: [", encoding="utf-8")
    main_menu(signed_post)
    assert client.get("/healthz").get_json()["last_reload_error"]
    rewrite_to = good.replace("Choose the help you need.", "Choose.")
    menus_file.write_text(rewrite_to, encoding="utf-8")
    assert "Main menu. Choose." in main_menu(signed_post)
    assert client.get("/healthz").get_json()["last_reload_error"] is None


def test_the_file_is_checked_at_most_every_interval(menus_file, tmp_path):
    now = [0.0]
    store = MenuStore(menus_file, tmp_path / "prompts", interval=2.0, clock=lambda: now[0])
    version = store.menus().version
    rewrite(menus_file, "Choose the help you need.", "Choose.")
    now[0] = 1.9
    assert store.menus().version == version
    now[0] = 2.0
    assert store.menus().version != version


def test_a_broken_file_at_start_up_is_a_clear_error(settings, menus_file):
    menus_file.write_text("languages: [", encoding="utf-8")
    with pytest.raises(MenusUnavailable, match=r"cannot serve .*menus\.yaml"):
        create_app(settings)
