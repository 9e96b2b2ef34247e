"""`python -m ivr prompts build|status|record` through click's runner: whole outputs, exit codes."""

import json
import re

import pytest
from click.testing import CliRunner

from ivr.cli import cli
from ivr.core import script
from ivr.menus.loader import load_menus
from ivr.prompts.audioformat import check_audio
from ivr.prompts.catalogue import catalogue
from tests.conftest import ROOT
from tests.promptfakes import MP3
from tests.promptfakes import espeak_mp3
from tests.promptfakes import render
from tests.promptfakes import wav

SECONDS = check_audio(MP3)
MENUS_TEXT = (ROOT / "menus.yaml").read_text(encoding="utf-8")
MENUS = load_menus(ROOT / "menus.yaml")
# Sentences per language: they change with the languages (each adds a whisper line in the
# agent's language), so they are counted, not written down (issue 10).
N = {lang: len(catalogue(MENUS, [lang])) for lang in MENUS.languages}
MENU_LINES = len(script.language_menu(MENUS))


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
    lines = result.stdout.splitlines()
    rows = ["lang   prompts  recorded      gtts  stale  missing"]
    for code in (language.code for language in MENUS.languages.values() if language.spoken):
        n = N[code]
        rendered = n if code == "en" else 0
        rows.append(f"{code:<6} {n:>7}         0  {rendered:>8}      0  {n - rendered:>7}")
    rows.append(f"also {N['fi']} files rendered with espeak")
    assert lines[:len(rows)] == rows
    menu = len(script.language_menu(MENUS))
    timing = next(line for line in lines if line.startswith("time to the language choice: "))
    assert f"({menu} sentences: " in timing
    # Only fi and en are rendered: sv's option comes after the unrendered sv notice. Beside
    # each option, the first contact after it over every need and region (issue 19).
    fi = re.escape(f"time to the fi option: {2 * SECONDS:.1f} s")
    assert [line for line in lines if re.fullmatch(
        fi + r"; first contact \d+\.\d s after it \(median\), \d+\.\d s at worst "
        r"\(\w+ in \w+\)", line)]
    assert "time to the sv option: not all rendered; first contact: not all rendered" in lines
    main = len(script.menu_prompt(MENUS, "main", "fi"))
    assert any(line.startswith("time to the end of the main menu in en: ")
               and f"({menu + main} sentences: " in line for line in lines)


@pytest.fixture(scope="module")
def every_language(tmp_path_factory):
    """Every offered language rendered with the fake espeak (status only reads it)."""
    folder = tmp_path_factory.mktemp("every-language") / "prompts"
    render(folder, "espeak", [language.code for language in MENUS.offered()])
    return folder


def test_status_json_gives_the_seconds_to_each_languages_option(every_language):
    folder = every_language
    result = run("status", "--dir", str(folder), "--engine", "espeak", "--format", "json")
    report = json.loads(result.stdout)
    choice = report["language_choice"]
    assert list(choice) == [language.code for language in MENUS.offered()]
    # Every fake render lasts SECONDS: the fi option is the 2nd sentence, sv's the 4th...
    lines = script.language_menu(MENUS)
    for code, seconds in choice.items():
        option = script.language_option(MENUS, code, MENUS.languages[code].keys[0])[-1]
        assert seconds == round((lines.index(option) + 1) * SECONDS, 2)
    assert report["recorded_only"]["so"] == {"recorded": 0, "sentences": N["fi"],
                                             "offered": False}
    assert report["languages"]["fi"]["rendered"] == N["fi"]


def test_status_json_gives_the_seconds_to_the_info_line_key_after_the_language_menu(
        every_language):
    folder = every_language
    result = run("status", "--dir", str(folder), "--engine", "espeak", "--format", "json")
    report = json.loads(result.stdout)
    menu = len(script.language_menu(MENUS))
    for language in MENUS.offered():
        lines = script.until_info_line_key(MENUS, language.code)
        # Every fake render lasts SECONDS; the key is said early in the main menu (issue 14).
        assert report["info_line_key"][language.code] == round(len(lines) * SECONDS, 1)
        assert len(lines) - menu <= 2, language.code


def test_status_reads_durations_from_the_files_not_the_manifest(folder):
    render(folder, "espeak", ["fi", "sv", "en"])
    longer = espeak_mp3("Tämä on paljon pidempi lause kuin tervetuloa.")
    for path in folder.glob("*.mp3"):
        path.write_bytes(longer)
    result = run("status", "--dir", str(folder), "--engine", "espeak", "--lang", "fi")
    assert result.stdout.splitlines()[:2] == [
        "lang   prompts  recorded    espeak  stale  missing",
        f"fi     {N['fi']:>7}         0  {N['fi']:>8}      0        0",
    ]
    assert f"time to the fi option: {2 * check_audio(longer):.1f} s" in result.stdout


def test_dry_run_lists_what_would_be_rendered_and_renders_nothing(folder):
    render(folder, "gtts", ["fi", "en"])
    result = run("build", "--dry-run", "--lang", "sv", "--dir", str(folder))
    lines = result.stdout.splitlines()
    assert result.exit_code == 0
    assert lines[0].startswith("render  sv-gtts-")
    assert lines[0].endswith(".mp3  sv  I nödfall, ring 1 1 2.")
    assert len(lines) == N["sv"] + 1
    assert lines[-1] == (f"would render {N['sv']} of {N['sv']} sentences with gtts "
                         "(0 recorded by hand)")
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
    assert lines[-1] == (f"would render 1 of {N['en']} sentences with gtts (0 recorded by hand), "
                         "remove 1 unused file")


def test_an_unknown_language_is_a_usage_error(folder):
    result = run("build", "--lang", "xx", "--dir", str(folder))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        f"Error: Invalid value for --lang: 'xx' is not one of {', '.join(MENUS.languages)}")


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
    assert f"en     {N['en']:>7}         1         0      0  {N['en'] - 1:>7}\n" in status
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
    # The English sentences of the language menu, but for its changed option, have gTTS.
    played = sum(1 for line in script.language_menu(MENUS) if line.lang == "en") - 1
    assert result.stdout.splitlines()[2:6] == [
        "also 1 file rendered with espeak",
        "2 files no sentence uses (remove: prompts build --prune)",
        "1 recording of sentences no caller hears now",
        f"time to the language choice: {played * SECONDS:.1f} s of audio ({MENU_LINES} "
        f"sentences: {played} gtts, {MENU_LINES - played} without audio not counted)",
    ]
