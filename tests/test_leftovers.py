"""Temp files of a killed writer do not stay (issue 22 item 13).

A temp file's name says which process writes it: `prompts status` reports the ones whose
writer is gone, the next build or recording removes every one, and the next write of the
same file (a last-good copy, menus.yaml) removes its own. SIGTERM and SIGHUP stop a build
the way ^C does, removing the file being written.
"""

import json
import os
import signal
import subprocess
import sys
import textwrap

import pytest
from click.testing import CliRunner

from ivr.atomicfile import leftovers
from ivr.atomicfile import write_atomic
from ivr.cli import cli
from ivr.prompts.build import build
from ivr.prompts.build import load_manifest
from tests.conftest import ROOT
from tests.promptfakes import MENUS
from tests.promptfakes import Canned


def dead_pid():
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def writer(folder):
    """A process writing prompts/manifest.json, stopped half-way until it is signalled."""
    code = textwrap.dedent(f"""
        import sys, time
        from pathlib import Path
        from ivr.atomicfile import write_atomic
        from ivr.prompts.lock import locked

        def wait(temp):
            print(temp.name, flush=True)
            time.sleep(60)

        folder = Path({str(folder)!r})
        with locked(folder):
            write_atomic(folder / "manifest.json", b"{{}}", check=wait)
    """)
    process = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    temp = process.stdout.readline().strip()
    assert temp.startswith(f".manifest.json.{process.pid}.") and temp.endswith(".part")
    return process, folder / temp


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_stop_a_writer_as_ctrl_c_does_leaving_no_temp_file(tmp_path, stop):
    folder = tmp_path / "prompts"
    process, temp = writer(folder)
    assert temp.exists()
    process.send_signal(stop)
    _, stderr = process.communicate(timeout=10)
    # Python ends on an uncaught ^C as if by SIGINT (the CLI says "Aborted!" and exits 1).
    assert process.returncode == -signal.SIGINT
    assert stderr.splitlines()[-1] == f"KeyboardInterrupt: {stop.name}"
    assert not temp.exists() and not (folder / "manifest.json").exists()


def test_a_writer_killed_hard_leaves_a_temp_file_status_reports_and_a_build_removes(tmp_path):
    folder = tmp_path / "prompts"
    process, temp = writer(folder)
    process.kill()
    process.communicate(timeout=10)
    assert temp.exists()  # kill -9 runs no cleanup
    being_written = folder / f".x.mp3.{os.getpid()}.abcdefgh.part"  # this process: alive
    being_written.write_bytes(b"half")
    result = CliRunner(mix_stderr=False).invoke(cli, ["prompts", "status", "--dir",
                                                      str(folder)])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == (
        f"1 temporary file left by a build or recording that was killed ({temp.name}): "
        "the next prompts build or record removes them")
    report = CliRunner(mix_stderr=False).invoke(cli, ["prompts", "status", "--dir",
                                                      str(folder), "--format", "json"])
    assert json.loads(report.stdout)["leftovers"] == [temp.name]
    being_written.unlink()
    build(MENUS, folder, Canned(), langs=["en"])
    assert sorted(p.name for p in folder.iterdir() if p.name.endswith(".part")) == []
    assert sorted(load_manifest(folder).files) == sorted(
        p.name for p in folder.iterdir() if p.suffix == ".mp3")


def test_the_next_write_of_a_file_removes_the_temp_files_of_its_dead_writers_only(tmp_path):
    dead, alive = dead_pid(), os.getpid()
    names = [
        f".menus.yaml.{dead}.abcdefgh.part",  # its writer was killed
        ".menus.yaml.abcdefgh.part",  # written before names said who writes them
        f".menus.yaml.{alive}.abcdefgh.part",  # being written
        f".other.yaml.{dead}.abcdefgh.part",  # another file's
    ]
    for name in names:
        (tmp_path / name).write_bytes(b"half")
    assert {p.name for p in leftovers(tmp_path, "menus.yaml")} == set(names[:2])
    write_atomic(tmp_path / "menus.yaml", b"whole")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [names[2], names[3], "menus.yaml"])
