"""`ivr menus history|diff|rollback` through click's CliRunner, on versions a live store put
live (issue 20 item 5). A rollback is a publish: the checks of `ivr validate` against
today's seeds/, one atomic write, and the running server takes it like any edit."""

import errno
import json
import os
import shutil
import signal

import pytest
from click.testing import CliRunner

from ivr.app import create_app
from ivr.cli import cli
from ivr.web.history import History
from ivr.web.history import version_of
from ivr.web.menufile import check_version
from tests.conftest import EDIT_EN as EDIT
from tests.conftest import ROOT
from tests.conftest import saved
from tests.test_reload import rewrite


def ivr(*args):
    return CliRunner(mix_stderr=False).invoke(cli, list(args))


def live_version(client):
    return client.get("/healthz").get_json()["menus_version"]


@pytest.fixture
def client(settings, menus_file):
    """The running server, with the seeds/ beside its menus that sources are checked against."""
    shutil.copytree(ROOT / "seeds", menus_file.parent / "seeds")
    return create_app(settings).test_client()


@pytest.fixture
def versions(menus_file, client):
    """Two versions that went live on the running server: the shipped file, then an edit."""
    first, first_raw = live_version(client), menus_file.read_bytes()
    rewrite(menus_file, *EDIT)
    second = live_version(client)
    assert second != first
    return first, second, first_raw


def went_live(menus_file):
    return {e.version: e.went_live for e in History(menus_file).entries()}


def test_history_lists_the_versions_newest_first(menus_file, versions):
    first, second, _ = versions
    when = went_live(menus_file)
    result = ivr("menus", "history", "--menus", str(menus_file))
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (f"{second}  {when[second]}  reload  menus.yaml now\n"
                             f"{first}  {when[first]}  start\n")


def test_history_says_which_kept_copy_is_gone(menus_file, versions):
    first, second, _ = versions
    (menus_file.with_name(".menus.yaml.history") / f"{first}.yaml").unlink()
    result = ivr("menus", "history", "--menus", str(menus_file))
    when = went_live(menus_file)[first]
    assert result.stdout.splitlines()[1] == f"{first}  {when}  start   copy gone"
    assert "is gone" in ivr("menus", "rollback", first, "--menus", str(menus_file)).stderr


def test_history_in_json(menus_file, versions):
    first, second, _ = versions
    when = went_live(menus_file)
    result = ivr("menus", "history", "--menus", str(menus_file), "--format", "json")
    assert json.loads(result.stdout) == [
        {"version": second, "went_live": when[second], "how": "reload", "kept": True,
         "in_file_now": True},
        {"version": first, "went_live": when[first], "how": "start", "kept": True,
         "in_file_now": False}]


def test_history_says_when_the_file_holds_a_version_that_never_went_live(menus_file, versions,
                                                                         client):
    rewrite(menus_file, "    goto: needs_safety", "    goto: nowhere")
    assert client.get("/healthz").get_json()["status"] == "stale"
    result = ivr("menus", "history", "--menus", str(menus_file))
    assert result.exit_code == 0
    assert "menus.yaml now" not in result.stdout
    assert result.stderr == (f"{menus_file}: holds version {version_of(menus_file.read_bytes())}"
                             ", which has not gone live here\n")


def test_without_a_history_each_command_says_where_it_looked(tmp_path):
    menus_file = tmp_path / "menus.yaml"
    folder = tmp_path / ".menus.yaml.history"
    for args in (["history"], ["diff", "abcd"], ["rollback", "abcd"]):
        result = ivr("menus", *args, "--menus", str(menus_file))
        assert (result.exit_code, result.stdout) == (1, "")
        assert result.stderr == (
            f"Error: {folder}: no history there (the server keeps it beside the menus file it "
            "serves, from the first version that goes live; give that file with --menus or "
            "IVR_MENUS)\n")


def test_diff_shows_what_changed_from_one_version_to_another(menus_file, versions):
    first, second, _ = versions
    when = went_live(menus_file)
    result = ivr("menus", "diff", first[:4], second, "--menus", str(menus_file))
    assert (result.exit_code, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert lines[:2] == [f"--- {first} (went live {when[first]})",
                         f"+++ {second} (went live {when[second]})"]
    shipped = versions[2].decode("utf-8").splitlines()
    at = next(n for n, line in enumerate(shipped) if line.strip() == EDIT[0])
    indent = shipped[at][: -len(EDIT[0])]
    assert lines[2:] == [  # three lines of context either side, numbered from 1
        f"@@ -{at - 2},7 +{at - 2},7 @@", *(" " + line for line in shipped[at - 3:at]),
        f"-{indent}{EDIT[0]}", f"+{indent}{EDIT[1]}",
        *(" " + line for line in shipped[at + 1:at + 4])]


def test_diff_of_one_version_compares_it_with_the_file_as_it_is(menus_file, versions):
    first, second, _ = versions
    result = ivr("menus", "diff", second, "--menus", str(menus_file))
    assert (result.exit_code, result.stdout) == (0, "")  # the file is that version
    result = ivr("menus", "diff", first, "--menus", str(menus_file))
    assert result.stdout.splitlines()[1] == f"+++ menus.yaml now ({second})"


def write_index(menus_file, *versions):
    folder = menus_file.with_name(".menus.yaml.history")
    folder.mkdir()
    (folder / "index").write_text(
        "".join(f"2026-05-01T10:00:0{n}+00:00 {v} reload\n" for n, v in enumerate(versions)))


@pytest.mark.parametrize(("given", "message"), [
    ("abc", "'abc' is not a version: give 4 to 12 of its hex digits, as `ivr menus history` "
            "lists them"),
    ("abcg", "'abcg' is not a version: give 4 to 12 of its hex digits, as `ivr menus history` "
             "lists them"),
    ("abcd", "abcd could be abcd00000001 or abcd00000002: give more of it"),
    ("ABCD00000001", "{folder}/abcd00000001.yaml: the kept copy of version abcd00000001 is gone "
                     "(pick another version)"),
    ("abce", "no version abce went live here ({folder}; `ivr menus history` lists those that "
             "did)"),
])
def test_a_version_is_named_by_four_or_more_of_its_first_digits(tmp_path, given, message):
    menus_file = tmp_path / "menus.yaml"
    write_index(menus_file, "abcd00000001", "abcd00000002")
    folder = menus_file.with_name(".menus.yaml.history")
    for command in ("diff", "rollback"):
        result = ivr("menus", command, given, "--menus", str(menus_file))
        assert (result.exit_code, result.stdout) == (1, "")
        assert result.stderr == f"Error: {message.format(folder=folder)}\n"


def test_a_rollback_goes_live_on_the_running_server(menus_file, versions, client):
    first, second, first_raw = versions
    when = went_live(menus_file)
    result = ivr("menus", "rollback", first[:6], "--menus", str(menus_file))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        f"{menus_file}: now version {first} (went live here {when[first]}; was {second}); a "
        "running server serves it within a few seconds (/healthz menus_version)\n")
    warnings = len(check_version(menus_file, first_raw)[1])  # translations not yet reviewed
    assert warnings > 0
    assert result.stderr == (f"{menus_file}: {warnings} warning(s), as `ivr validate "
                             f"{menus_file}` shows\n")
    assert menus_file.read_bytes() == first_raw
    saved(menus_file)  # the few seconds: the server takes a file that has stood still
    assert live_version(client) == first
    index = [line.split(" ")[1:] for line in
             (menus_file.with_name(".menus.yaml.history") / "index").read_text().splitlines()]
    assert index == [[first, "start"], [second, "reload"], [first, "reload"]]


def test_a_rollback_to_what_the_file_holds_writes_nothing(menus_file, versions):
    _, second, _ = versions
    stamp = menus_file.stat()
    result = ivr("menus", "rollback", second, "--menus", str(menus_file))
    assert (result.exit_code, result.stdout) == (
        0, f"{menus_file}: already version {second}; nothing written\n")
    assert (menus_file.stat().st_ino, menus_file.stat().st_mtime_ns) == (stamp.st_ino,
                                                                         stamp.st_mtime_ns)


def test_a_version_that_no_longer_passes_with_todays_seeds_is_refused(menus_file, versions,
                                                                      client):
    first, second, first_raw = versions
    seeds = menus_file.parent / "seeds"
    (seeds / "001_c7b0a8f03332007c.txt").unlink()
    before = menus_file.read_bytes()
    result = ivr("menus", "rollback", first, "--menus", str(menus_file))
    assert (result.exit_code, result.stdout) == (1, "")
    line = next(n for n, text in enumerate(first_raw.decode().splitlines(), 1)
                if text == "    source: 001_c7b0a8f03332007c.txt")
    left = ", ".join(sorted(p.name for p in seeds.iterdir()))
    named = first_raw.decode().count("    source: 001_c7b0a8f03332007c.txt\n")
    assert result.stderr == (
        f"Error: version {first} no longer passes `ivr validate` with today's {seeds}: {named} "
        f"error(s), first {menus_file}:{line}:13: error: services[0].source: no seed file "
        f"named '001_c7b0a8f03332007c.txt' (the seed files are: {left}); menus.yaml is as it "
        "was\n")
    assert menus_file.read_bytes() == before
    assert live_version(client) == second


def test_a_rollback_keeps_an_edit_that_never_went_live(menus_file, versions, client):
    first, _, first_raw = versions
    rewrite(menus_file, "    goto: needs_safety", "    goto: nowhere")
    refused = menus_file.read_bytes()
    result = ivr("menus", "rollback", first, "--menus", str(menus_file))
    assert result.exit_code == 0, result.stderr
    spare = menus_file.with_name("menus.yaml.before-rollback")
    assert (f"{menus_file}: it held version {version_of(refused)}, which never went live here; "
            f"kept as {spare}\n") in result.stderr
    assert (spare.read_bytes(), menus_file.read_bytes()) == (refused, first_raw)
    saved(menus_file)
    health = client.get("/healthz").get_json()
    assert (health["status"], health["menus_version"]) == ("ok", first)


def test_a_damaged_kept_copy_is_refused(menus_file, versions):
    first, _, first_raw = versions
    kept = menus_file.with_name(".menus.yaml.history") / f"{first}.yaml"
    kept.write_bytes(first_raw[: len(first_raw) // 2])
    before = menus_file.read_bytes()
    result = ivr("menus", "rollback", first, "--menus", str(menus_file))
    assert (result.exit_code, result.stderr) == (
        1, f"Error: {kept}: damaged, it no longer holds version {first} (pick another "
           "version)\n")
    assert menus_file.read_bytes() == before


def leftovers(menus_file):
    return sorted(p.name for p in menus_file.parent.iterdir() if p.name.endswith(".part"))


def test_a_write_that_fails_half_way_leaves_the_file_as_it_was(menus_file, versions,
                                                               monkeypatch):
    first, second, _ = versions
    before = menus_file.read_bytes()
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, fd, mode):
            self.file = real_fdopen(fd, mode)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.file.close()

        def fileno(self):
            return self.file.fileno()

        def write(self, data):
            self.file.write(data[: len(data) // 2])
            self.file.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fdopen", FullDisk)
    result = ivr("menus", "rollback", first, "--menus", str(menus_file))
    monkeypatch.undo()
    assert (result.exit_code, result.stderr) == (
        1, f"Error: {menus_file}: cannot write it (No space left on device; run as the user the "
           "server runs as, in a folder it may write); it is as it was\n")
    assert menus_file.read_bytes() == before
    assert leftovers(menus_file) == []


def kill_at(point):
    """Patches (in a child process only) that SIGKILL it at `point` of writing menus.yaml."""
    import tempfile

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    if point == "temp file made":
        real_mkstemp = tempfile.mkstemp

        def mkstemp(*args, **kwargs):
            made = real_mkstemp(*args, **kwargs)
            die()
            return made

        tempfile.mkstemp = mkstemp
    elif point == "half written":
        real_fdopen = os.fdopen

        class Half:
            def __init__(self, fd, mode):
                self.file = real_fdopen(fd, mode)

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.file.close()

            def fileno(self):
                return self.file.fileno()

            def write(self, data):
                self.file.write(data[: len(data) // 2])
                self.file.flush()
                die()

        os.fdopen = Half
    else:
        real_replace = os.replace

        def replace(source, target):
            if point == "renamed":
                real_replace(source, target)
            die()

        os.replace = replace


@pytest.mark.parametrize(("point", "whole"), [
    ("temp file made", "old"), ("half written", "old"), ("written, not renamed", "old"),
    ("renamed", "new")])
def test_a_rollback_killed_at_any_point_leaves_the_file_whole(settings, menus_file, versions,
                                                              point, whole):
    first, second, first_raw = versions
    old = menus_file.read_bytes()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child is killed, or leaves at once
        try:
            kill_at(point)
            ivr("menus", "rollback", first, "--menus", str(menus_file))
        finally:
            os._exit(3)
    _, status = os.waitpid(child, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    assert menus_file.read_bytes() == {"old": old, "new": first_raw}[whole]
    saved(menus_file)  # stood still since: a worker started now reads it
    restarted = create_app(settings).test_client()
    assert live_version(restarted) == {"old": second, "new": first}[whole]
    # The next rollback finishes the job and removes what the killed one left.
    result = ivr("menus", "rollback", first, "--menus", str(menus_file))
    assert result.exit_code == 0, result.stderr
    assert menus_file.read_bytes() == first_raw
    assert leftovers(menus_file) == []
