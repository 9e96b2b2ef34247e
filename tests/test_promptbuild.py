"""The incremental build: the whole shipped catalogue with real espeak-ng, interruptions, edits."""

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ivr.cli import cli
from ivr.menus.loader import load_menus
from ivr.menus.loader import parse_menus
from ivr.prompts.audioformat import BadAudio
from ivr.prompts.audioformat import check_audio
from ivr.prompts.build import RecordingError
from ivr.prompts.build import build
from ivr.prompts.build import load_manifest
from ivr.prompts.build import locked
from ivr.prompts.build import record
from ivr.prompts.build import write_atomic
from ivr.prompts.catalogue import ESPEAK_TRIM
from ivr.prompts.catalogue import catalogue
from ivr.prompts.index import PromptIndex
from ivr.prompts.tts import EspeakEngine
from tests.promptfakes import Canned
from tests.promptfakes import FakeGoogle
from tests.promptfakes import espeak_mp3
from tests.promptfakes import wav

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.xdist_group("espeak")  # one worker renders the catalogue

MENUS_TEXT = (ROOT / "menus.yaml").read_text(encoding="utf-8")
MENUS = load_menus(ROOT / "menus.yaml")
NO_NETWORK = ("prompts build: no network for gTTS (translate.google.fi unreachable); "
              "render offline with --engine espeak\n")


class Counting:
    """An engine that counts what it is asked to render, and can fail on the n-th sentence."""

    def __init__(self, inner, fail_at=None, error=KeyboardInterrupt):
        self.name, self.jobs, self.inner = inner.name, 1, inner
        self.texts, self.fail_at, self.error = [], fail_at, error

    def render(self, text, settings):
        self.texts.append(text)
        if len(self.texts) == self.fail_at:
            raise self.error()
        return self.inner.render(text, settings)


def on_disk(folder):
    return sorted(p.name for p in folder.iterdir() if p.name not in ("manifest.json", ".lock"))


@pytest.fixture
def espeak_dir(espeak_catalogue):  # tests/espeakcatalogue.py, through conftest
    """The whole shipped catalogue rendered once with the real espeak-ng (then copied)."""
    return espeak_catalogue


@pytest.fixture
def prompts_dir(espeak_dir, tmp_path):
    copy = tmp_path / "prompts"
    shutil.copytree(espeak_dir, copy)
    return copy


def test_the_whole_catalogue_renders_to_valid_audio_of_plausible_length(espeak_dir):
    manifest = load_manifest(espeak_dir)
    assert sorted(manifest.files) == on_disk(espeak_dir)  # no temp file, nothing unlisted
    assert sorted((e.lang, e.text) for e in manifest.files.values()) == sorted(
        (line.lang, line.text) for line in catalogue(MENUS))
    for name, entry in manifest.files.items():
        seconds = check_audio((espeak_dir / name).read_bytes())
        assert seconds == pytest.approx(entry.seconds, abs=0.001)
        # espeak-ng speaks about 10-17 characters a second; allow a wide margin either way
        assert len(entry.text) / 30 < seconds < len(entry.text) / 5 + 1.0, (name, entry.text)
        assert entry.engine == "espeak"
        assert entry.voice == {"voice": MENUS.languages[entry.lang].espeak_voice,
                               "rate": "185", "trim": ESPEAK_TRIM, "mp3": "lame -m m -b 32"}


def test_a_second_build_renders_nothing(prompts_dir):
    engine = Counting(EspeakEngine())
    result = build(MENUS, prompts_dir, engine)
    assert (engine.texts, result.rendered, len(result.plan.done)) == ([], [], len(catalogue(MENUS)))


def test_changing_one_sentence_in_one_language_re_renders_exactly_that_one(prompts_dir):
    edited = parse_menus(MENUS_TEXT.replace("sv: Det valet finns inte.", "sv: Det valet saknas."))
    engine = Counting(EspeakEngine())
    result = build(edited, prompts_dir, engine, prune=True)
    assert engine.texts == ["Det valet saknas."]
    assert len(result.rendered) == 1 and len(result.pruned) == 1
    texts = {e.text for e in load_manifest(prompts_dir).files.values() if e.lang == "sv"}
    assert "Det valet saknas." in texts and "Det valet finns inte." not in texts
    assert sorted(load_manifest(prompts_dir).files) == on_disk(prompts_dir)


def test_an_interrupted_build_keeps_what_it_finished_and_leaves_no_broken_file(tmp_path):
    folder = tmp_path / "prompts"
    engine = Counting(Canned(), fail_at=3)
    with pytest.raises(KeyboardInterrupt):
        build(MENUS, folder, engine, langs=["en"])
    assert len(load_manifest(folder).files) == 2
    assert sorted(load_manifest(folder).files) == on_disk(folder)
    again = Counting(Canned())
    build(MENUS, folder, again, langs=["en"])
    assert len(again.texts) == len(catalogue(MENUS, ["en"])) - 2


def test_a_whole_file_the_manifest_missed_is_taken_in_not_rendered_again(prompts_dir):
    manifest = json.loads((prompts_dir / "manifest.json").read_text())
    name = sorted(manifest["files"])[0]
    del manifest["files"][name]  # as if killed between the file's rename and the manifest's
    (prompts_dir / "manifest.json").write_text(json.dumps(manifest))
    (prompts_dir / ".x.mp3.abc.part").write_bytes(b"half")  # and a temp file of a killed run
    engine = Counting(EspeakEngine())
    result = build(MENUS, prompts_dir, engine)
    assert (engine.texts, result.adopted) == ([], [name])
    assert sorted(load_manifest(prompts_dir).files) == on_disk(prompts_dir)


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_audio_and_manifest_get_the_mode_of_any_new_file(tmp_path, monkeypatch, umask, mode):
    # mkstemp's 0600 would hide them from a webhook running as another user.
    monkeypatch.setattr("ivr.atomicfile.UMASK", umask)
    folder = tmp_path / "prompts"
    build(MENUS, folder, Canned(), langs=["en"])
    take = tmp_path / "take.wav"
    take.write_bytes(wav(1.0))
    record(MENUS, folder, "en", "For English, press 3.", take)
    modes = {p.name: p.stat().st_mode & 0o777 for p in folder.iterdir() if p.name != ".lock"}
    assert len(modes) == len(catalogue(MENUS, ["en"])) + 2
    assert set(modes.values()) == {mode}


def test_the_umask_is_read_as_the_process_has_it():
    from ivr.atomicfile import UMASK
    from ivr.atomicfile import _umask

    mask = os.umask(0o077)
    try:
        assert _umask() == 0o077
    finally:
        os.umask(mask)
    assert UMASK == mask == _umask()


def test_bad_audio_never_reaches_its_final_name(tmp_path):
    target = tmp_path / "fi-gtts-0123456789abcdef0123.mp3"
    with pytest.raises(BadAudio):
        write_atomic(target, b"<html>" * 500)
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def google(monkeypatch):
    fake = FakeGoogle(espeak_mp3("Tervetuloa."))
    fake.install(monkeypatch)
    monkeypatch.setattr("time.sleep", lambda seconds: None)  # the retries' backoff
    return fake


def run_cli(*args):
    return CliRunner(mix_stderr=False).invoke(cli, ["prompts", *args])


def test_a_network_lost_on_the_fifth_of_ten_keeps_four_and_the_next_run_does_six(google, tmp_path):
    folder = tmp_path / "prompts"
    # Finnish only: the other languages would add 1,400 renders and nothing to the case.
    assert run_cli("build", "--dir", str(folder), "--lang", "fi").exit_code == 0
    assert len(google.requests) == len(catalogue(MENUS, ["fi"]))
    # Take ten Finnish sentences out again: these are the ten prompts to render.
    manifest = json.loads((folder / "manifest.json").read_text())
    ten = [n for n in sorted(manifest["files"]) if n.startswith("fi-")][:10]
    for name in ten:
        del manifest["files"][name]
        (folder / name).unlink()
    (folder / "manifest.json").write_text(json.dumps(manifest))
    google.requests.clear()
    google.script, google.then = ["ok"] * 4, "down"

    result = run_cli("build", "--dir", str(folder), "--lang", "fi")

    assert result.exit_code == 1
    assert result.stderr == ("prompts build: no network for gTTS (translate.google.fi "
                             "unreachable); 4 of 10 rendered and kept; render offline with "
                             "--engine espeak\n")
    assert result.stdout == ""
    listed = load_manifest(folder).files
    assert sorted(listed) == on_disk(folder)
    assert len(set(ten) & set(listed)) == 4
    google.requests.clear()
    google.then = "ok"
    assert run_cli("build", "--dir", str(folder), "--lang", "fi").exit_code == 0
    assert len(google.requests) == 6
    assert set(ten) <= set(load_manifest(folder).files)


def test_no_network_at_all_is_one_line_and_exit_1(google, tmp_path):
    google.then = "down"
    result = run_cli("build", "--dir", str(tmp_path / "prompts"))
    # Four sentences are in flight at once; whichever language's request fails first names
    # its pinned host (.fi, .se or .co.uk), so the line is compared with that one.
    host = re.search(r"translate\.google\.(fi|se|co\.uk) unreachable", result.stderr)
    assert host, result.stderr
    expected = NO_NETWORK.replace("translate.google.fi", f"translate.google.{host[1]}")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", expected)
    assert len(google.requests) == 4 * 4  # the 4 sentences in flight, each tried 4 times


def test_a_human_recording_wins_and_survives_rebuilds_and_prune(prompts_dir, tmp_path):
    take = tmp_path / "tervetuloa.wav"
    take.write_bytes(wav(2.0))
    name = record(MENUS, prompts_dir, "fi", "Suomeksi, paina 1.", take)
    assert name.startswith("fi-human-") and name.endswith(".wav")
    engine = Counting(EspeakEngine())
    result = build(MENUS, prompts_dir, engine, prune=True)
    assert (engine.texts, result.pruned) == ([], [])
    assert (prompts_dir / name).exists()
    index = PromptIndex.load(prompts_dir, allow_offline=True)
    assert index.lookup("Suomeksi, paina 1.", "fi") == name
    # A new take replaces the old one (a new name: Twilio's cache cannot serve the old one).
    take.write_bytes(wav(2.5))
    newer = record(MENUS, prompts_dir, "fi", "Suomeksi, paina 1.", take)
    assert newer != name and not (prompts_dir / name).exists()


def test_a_recording_must_be_of_a_sentence_callers_hear_and_be_audio(prompts_dir, tmp_path):
    take = tmp_path / "take.wav"
    take.write_bytes(wav(2.0))
    with pytest.raises(RecordingError) as error:
        record(MENUS, prompts_dir, "fi", "Suomeksi paina 1", take)
    assert str(error.value) == ("no caller hears 'Suomeksi paina 1' in fi "
                                "(did you mean 'Suomeksi, paina 1.'?)")
    take.write_bytes(b"RIFF" + bytes(2000))
    with pytest.raises(RecordingError) as error:
        record(MENUS, prompts_dir, "fi", "Suomeksi, paina 1.", take)
    assert str(error.value) == "take.wav: not WAV audio (starts b'RIFF\\x00\\x00\\x00\\x00')"


def test_a_second_writer_of_the_same_folder_is_refused_in_one_line(tmp_path):
    folder = tmp_path / "prompts"
    with locked(folder):
        result = CliRunner(mix_stderr=False).invoke(
            cli, ["prompts", "build", "--engine", "espeak", "--dir", str(folder)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {folder}: another prompts build or record is running\n"
    assert sorted(p.name for p in folder.iterdir()) == [".lock"]
