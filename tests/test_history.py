"""Every version of menus.yaml that goes live is kept beside it, with when and how (issue 20
item 5): content-addressed by the version /healthz reports, one line per change however many
workers take it, bounded, and never a version the checks refused."""

import datetime
import logging
import threading
import time

from ivr.app import create_app
from ivr.web import history as history_module
from ivr.web.history import History
from ivr.web.history import version_of
from ivr.web.menustore import MenuStore
from tests.conftest import EDIT_EN as EDIT
from tests.test_reload import rewrite


def index_lines(menus_file):
    return (menus_file.with_name(".menus.yaml.history") / "index").read_text().splitlines()


def kept_files(menus_file):
    return sorted(p.name for p in menus_file.with_name(".menus.yaml.history").iterdir()
                  if p.suffix == ".yaml")


def live_version(client):
    return client.get("/healthz").get_json()["menus_version"]


def test_each_version_that_goes_live_is_kept_with_when_and_how(menus_file, client):
    first, first_raw = live_version(client), menus_file.read_bytes()
    rewrite(menus_file, *EDIT)
    second = live_version(client)
    assert second != first
    lines = [line.split(" ") for line in index_lines(menus_file)]
    assert [(version, how) for _, version, how in lines] == [(first, "start"),
                                                              (second, "reload")]
    for went_live, _, _ in lines:
        when = datetime.datetime.fromisoformat(went_live)
        assert when.utcoffset() == datetime.timedelta(0)
        assert abs(datetime.datetime.now(datetime.UTC) - when) < datetime.timedelta(minutes=1)
    # Named by the version the server reports, and holding those very bytes.
    assert kept_files(menus_file) == sorted([f"{first}.yaml", f"{second}.yaml"])
    folder = menus_file.with_name(".menus.yaml.history")
    assert (folder / f"{first}.yaml").read_bytes() == first_raw
    assert (folder / f"{second}.yaml").read_bytes() == menus_file.read_bytes()
    assert version_of(first_raw) == first


def test_an_edit_the_checks_refuse_never_enters_the_history(menus_file, client):
    before = index_lines(menus_file), kept_files(menus_file)
    rewrite(menus_file, "    goto: needs_safety", "    goto: nowhere")
    assert client.get("/healthz").get_json()["status"] == "stale"
    assert (index_lines(menus_file), kept_files(menus_file)) == before


def test_several_workers_record_one_line_per_change(menus_file, tmp_path):
    workers = [MenuStore(menus_file, tmp_path / "prompts", interval=0.0) for _ in range(2)]
    rewrite(menus_file, *EDIT)
    for worker in workers:
        worker.menus()
    MenuStore(menus_file, tmp_path / "prompts")  # a worker restarted on the same file
    assert [line.split(" ")[2] for line in index_lines(menus_file)] == ["start", "reload"]


def test_workers_taking_one_change_at_the_same_moment_record_it_once(tmp_path, monkeypatch):
    menus_file = tmp_path / "menus.yaml"
    History(menus_file).record(b"old: 1\n", "start")
    real_write = history_module.write_atomic

    def slow_disk(path, data, check=None):
        time.sleep(0.05)  # each worker still writing the version when the others look
        real_write(path, data, check)

    monkeypatch.setattr(history_module, "write_atomic", slow_disk)
    workers = [threading.Thread(target=History(menus_file).record, args=(b"new: 2\n", "reload"))
               for _ in range(6)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert [line.split(" ")[2] for line in index_lines(menus_file)] == ["start", "reload"]


def test_going_back_to_an_earlier_version_is_a_change_of_its_own(menus_file, client):
    original = menus_file.read_text(encoding="utf-8")
    first = live_version(client)
    rewrite(menus_file, *EDIT)
    live_version(client)
    rewrite(menus_file, EDIT[1], EDIT[0])
    assert live_version(client) == first
    assert [line.split(" ")[1] for line in index_lines(menus_file)][::2] == [first, first]
    assert menus_file.read_text(encoding="utf-8") == original


def test_only_the_last_versions_are_kept_and_whole_files_pruned(tmp_path):
    menus_file = tmp_path / "menus.yaml"
    history = History(menus_file, keep=3)
    raws = [f"version: {n}\n".encode() for n in range(5)]
    for raw in raws:
        history.record(raw, "reload")
    kept = [version_of(raw) for raw in raws[-3:]]
    assert [entry.version for entry in history.entries()] == kept
    assert kept_files(menus_file) == sorted(f"{v}.yaml" for v in kept)
    for raw in raws[-3:]:
        assert history.read(version_of(raw)) == raw
    history.record(raws[0], "reload")  # pruned, then live again: kept again
    assert [entry.version for entry in history.entries()] == [*kept[1:], version_of(raws[0])]
    assert len(kept_files(menus_file)) == 3


def test_a_version_file_a_killed_worker_left_half_written_is_removed(tmp_path):
    menus_file = tmp_path / "menus.yaml"
    history = History(menus_file)
    history.record(b"one: 1\n", "start")
    cut = history.folder / f".{version_of(b'two: 2')}.yaml.999999999.x.part"
    cut.write_bytes(b"two")  # pid 999999999 is no process: its writer is gone
    history.record(b"three: 3\n", "reload")
    assert not cut.exists()


def test_a_line_cut_short_by_a_kill_is_skipped_and_the_next_stands_on_its_own(tmp_path):
    menus_file = tmp_path / "menus.yaml"
    history = History(menus_file)
    history.record(b"one: 1\n", "start")
    index = history.folder / "index"
    with open(index, "a", encoding="ascii") as cut:
        cut.write("2026-05-01T10:00:00+00:00 " + version_of(b"two: 2\n")[:7])
    history.record(b"three: 3\n", "reload")
    assert [(e.version, e.how) for e in history.entries()] == [
        (version_of(b"one: 1\n"), "start"), (version_of(b"three: 3\n"), "reload")]


def test_a_folder_that_cannot_keep_the_history_is_logged_once_and_serving_goes_on(
    settings, menus_file, caplog
):
    folder = menus_file.with_name(".menus.yaml.history")
    folder.write_text("not a folder")  # mkdir fails as on a read-only data folder
    with caplog.at_level(logging.WARNING, logger="ivr.web.history"):
        client = create_app(settings).test_client()
        first = live_version(client)
        rewrite(menus_file, *EDIT)
        assert live_version(client) != first
    assert [r.getMessage() for r in caplog.records if r.name == "ivr.web.history"] == [
        f"cannot keep the history of the menus at {folder} (File exists): the versions going "
        "live are not kept for `ivr menus rollback`"]
    assert client.get("/healthz").get_json()["status"] == "ok"
