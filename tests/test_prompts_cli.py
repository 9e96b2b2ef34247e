"""`python -m ivr prompts build|status|record` through click's runner: whole outputs, exit codes."""

import json

import pytest
from click.testing import CliRunner

from ivr.cli import cli
from ivr.prompts.audioformat import check_audio
from tests.conftest import ROOT
from tests.promptfakes import MP3
from tests.promptfakes import espeak_mp3
from tests.promptfakes import render
from tests.promptfakes import wav

SECONDS = check_audio(MP3)
MENUS_TEXT = (ROOT / "menus.yaml").read_text(encoding="utf-8")


def run(*args):
    return CliRunner(mix_stderr=False).invoke(cli, ["prompts", *args])


@pytest.fixture
def folder(tmp_path):
    return tmp_path / "prompts"


def test_status_counts_per_language_and_times_the_way_to_the_menus(folder):
    render(folder, "gtts", ["en"])
    render(folder, "espeak", ["fi"])
    result = run("status", "--dir", str(folder))
    assert result.exit_code == 0
    one = SECONDS
    assert result.stdout == (
        "lang   prompts  recorded      gtts  stale  missing\n"
        "fi         129         0         0      0      129\n"
        "sv         125         0         0      0      125\n"
        "en         125         0       125      0        0\n"
        "also 129 files rendered with espeak\n"
        f"time to the language choice: {4 * one:.1f} s of audio "
        "(6 sentences: 2 espeak, 2 gtts, 2 without audio not counted)\n"
        f"time to the end of the main menu in fi: {15 * one:.1f} s of audio "
        "(17 sentences: 13 espeak, 2 gtts, 2 without audio not counted)\n"
        f"time to the end of the main menu in sv: {4 * one:.1f} s of audio "
        "(17 sentences: 2 espeak, 2 gtts, 13 without audio not counted)\n"
        f"time to the end of the main menu in en: {15 * one:.1f} s of audio "
        "(17 sentences: 2 espeak, 13 gtts, 2 without audio not counted)\n"
        f"time to the info line's key in fi: {5 * one:.1f} s ({one:.1f} s after the language "
        "menu)\n"
        f"time to the info line's key in sv: {4 * one:.1f} s (0.0 s after the language menu)\n"
        f"time to the info line's key in en: {5 * one:.1f} s ({one:.1f} s after the language "
        "menu)\n"
    )


def test_status_json_gives_the_seconds_to_the_info_line_key_per_language(folder):
    render(folder, "espeak", ["fi", "sv", "en"])
    result = run("status", "--dir", str(folder), "--engine", "espeak", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["languages"]["fi"] == {"prompts": 129, "recorded": 0, "rendered": 129,
                                       "stale": 0, "missing": 0}
    # The language menu's six sentences, then the main menu's first: the info line's key.
    assert data["info_line_key"] == {lang: round(7 * SECONDS, 1) for lang in ("fi", "sv", "en")}


def test_status_reads_durations_from_the_files_not_the_manifest(folder):
    render(folder, "espeak", ["fi", "sv", "en"])
    longer = espeak_mp3("Tämä on paljon pidempi lause kuin tervetuloa.")
    for path in folder.glob("*.mp3"):
        path.write_bytes(longer)
    result = run("status", "--dir", str(folder), "--engine", "espeak", "--lang", "fi")
    assert result.stdout.splitlines()[:2] == [
        "lang   prompts  recorded    espeak  stale  missing",
        "fi         129         0       129      0        0",
    ]
    assert (f"time to the language choice: {6 * check_audio(longer):.1f} s of audio "
            "(6 sentences: 6 espeak)") in result.stdout


def test_dry_run_lists_what_would_be_rendered_and_renders_nothing(folder):
    render(folder, "gtts", ["fi", "en"])
    result = run("build", "--dry-run", "--lang", "sv", "--dir", str(folder))
    lines = result.stdout.splitlines()
    assert result.exit_code == 0
    assert lines[0].startswith("render  sv-gtts-")
    assert lines[0].endswith(".mp3  sv  I nödfall, ring 112.")
    assert len(lines) == 126
    assert lines[-1] == "would render 125 of 125 sentences with gtts (0 recorded by hand)"
    assert not list(folder.glob("sv-*"))


def test_dry_run_with_prune_lists_the_files_it_would_remove(folder, tmp_path):
    render(folder, "gtts", ["en"])
    menus = tmp_path / "menus.yaml"
    menus.write_text(MENUS_TEXT.replace("For English, press {key}.", "In English, press {key}."))
    result = run("build", "--dry-run", "--prune", "--lang", "en", "--dir", str(folder),
                 "--menus", str(menus))
    lines = result.stdout.splitlines()
    assert [line[:16] for line in lines] == ["render  en-gtts-", "remove  en-gtts-", lines[-1][:16]]
    assert lines[0].endswith("  en  In English, press 3.")
    assert lines[-1] == ("would render 1 of 125 sentences with gtts (0 recorded by hand), "
                         "remove 1 unused file")


def test_an_unknown_language_is_a_usage_error(folder):
    result = run("build", "--lang", "xx", "--dir", str(folder))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for --lang: 'xx' is not one of fi, sv, en")


def test_a_broken_manifest_stops_the_build_in_one_line(folder):
    folder.mkdir()
    (folder / "manifest.json").write_text("[]")
    result = run("build", "--engine", "espeak", "--dir", str(folder))
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {folder}/manifest.json is not a prompts manifest: "
                             "list indices must be integers or slices, not str\n")


def test_a_missing_menus_file_is_one_line(folder, tmp_path):
    result = run("status", "--dir", str(folder), "--menus", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {tmp_path / 'nope.yaml'}: no such file (run ivr in the "
                             "folder that holds menus.yaml, or give its path with --menus or "
                             "IVR_MENUS)\n")


def test_record_adds_a_human_take_and_remove_takes_it_away(folder, tmp_path):
    take = tmp_path / "take.wav"
    take.write_bytes(wav(1.5))
    result = run("record", "--lang", "en", "--text", "For English, press 3.", str(take),
                 "--dir", str(folder))
    assert result.exit_code == 0
    name = result.stdout.split(":")[0]
    assert result.stdout == (f"{name}: en 'For English, press 3.' "
                             "(recorded by hand; kept by build and --prune)\n")
    status = run("status", "--dir", str(folder), "--lang", "en").stdout
    assert "en         125         1         0      0      124\n" in status
    result = run("record", "--lang", "en", "--text", "For English, press 3.", "--remove",
                 "--dir", str(folder))
    assert result.stdout == "removed 1 recording of 'For English, press 3.' in en\n"
    assert not (folder / name).exists()


def test_record_refuses_a_sentence_nobody_hears(folder, tmp_path):
    take = tmp_path / "take.wav"
    take.write_bytes(wav(1.5))
    result = run("record", "--lang", "en", "--text", "For English press 3", str(take),
                 "--dir", str(folder))
    assert result.exit_code == 1
    assert result.stderr == ("Error: no caller hears 'For English press 3' in en "
                             "(did you mean 'For English, press 3.'?)\n")


def test_status_counts_one_file_in_the_singular(folder, tmp_path):
    render(folder, "gtts", ["en"])
    espeak = render(folder, "espeak", ["en"])
    keep = espeak[("en", "For English, press 3.")]
    manifest = json.loads((folder / "manifest.json").read_text())
    for name in espeak.values():
        if name != keep:
            del manifest["files"][name]
            (folder / name).unlink()
    (folder / "manifest.json").write_text(json.dumps(manifest))
    take = tmp_path / "take.wav"
    take.write_bytes(wav(1.5))
    assert run("record", "--lang", "en", "--text", "For English, press 3.", str(take),
               "--dir", str(folder)).exit_code == 0
    menus = tmp_path / "menus.yaml"
    menus.write_text(MENUS_TEXT.replace("For English, press {key}.", "In English, press {key}."))
    result = run("status", "--dir", str(folder), "--menus", str(menus), "--lang", "en")
    assert result.stdout.splitlines()[2:6] == [
        "also 1 file rendered with espeak",
        "2 files no sentence uses (remove: prompts build --prune)",
        "1 recording of sentences no caller hears now",
        f"time to the language choice: {SECONDS:.1f} s of audio "
        "(6 sentences: 1 gtts, 5 without audio not counted)",
    ]
