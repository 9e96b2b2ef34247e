"""The prompts core: content-hash names, the manifest, build plans and audio checks (issue 4)."""

import dataclasses
import hashlib
import json
from pathlib import Path

import pytest

from ivr.cli.prompts import counts_by_language
from ivr.core import script
from ivr.core.script import Line
from ivr.menus.loader import load_menus
from ivr.menus.loader import parse_menus
from ivr.prompts.audioformat import BadAudio
from ivr.prompts.audioformat import check_audio
from ivr.prompts.audioformat import mp3_seconds
from ivr.prompts.audioformat import wav_seconds
from ivr.prompts.catalogue import Entry
from ivr.prompts.catalogue import Manifest
from ivr.prompts.catalogue import ManifestError
from ivr.prompts.catalogue import best_file
from ivr.prompts.catalogue import catalogue
from ivr.prompts.catalogue import is_prompt_name
from ivr.prompts.catalogue import parse_manifest
from ivr.prompts.catalogue import plan_build
from ivr.prompts.catalogue import render_manifest
from ivr.prompts.catalogue import render_name
from ivr.prompts.catalogue import voice_settings
from tests.promptfakes import wav

ROOT = Path(__file__).resolve().parent.parent
MENUS_TEXT = (ROOT / "menus.yaml").read_text(encoding="utf-8")
MENUS = load_menus(ROOT / "menus.yaml")
FI = {"lang": "fi", "tld": "fi"}
# One MPEG-2 Layer III frame header: 32 kb/s, 22,050 Hz, mono, no padding (lame's espeak output).
FRAME = bytes([0xFF, 0xF3, 0x40, 0xC4]) + bytes(100)  # 72 * 32000 // 22050 = 104 bytes


def mp3(frames: int) -> bytes:
    return FRAME * frames


def test_a_file_name_is_the_hash_of_engine_voice_language_and_text():
    key = '["gtts", {"lang": "fi", "tld": "fi"}, "fi", "Suomeksi, paina 1."]'
    digest = hashlib.sha256(key.encode()).hexdigest()[:20]
    assert render_name("gtts", FI, "fi", "Suomeksi, paina 1.") == f"fi-gtts-{digest}.mp3"


@pytest.mark.parametrize("change", [
    ("espeak", FI, "fi", "Suomeksi, paina 1."),
    ("gtts", {"lang": "fi", "tld": "com"}, "fi", "Suomeksi, paina 1."),
    ("gtts", FI, "sv", "Suomeksi, paina 1."),
    ("gtts", FI, "fi", "Suomeksi, paina 2."),
])
def test_any_change_of_engine_voice_language_or_text_gives_a_new_name(change):
    assert render_name(*change) != render_name("gtts", FI, "fi", "Suomeksi, paina 1.")


def test_voice_settings_come_from_the_menus_languages():
    assert voice_settings("gtts", MENUS.languages["sv"]) == {"lang": "sv", "tld": "se"}
    assert voice_settings("gtts", MENUS.languages["en"]) == {"lang": "en", "tld": "co.uk"}
    assert voice_settings("espeak", MENUS.languages["en"]) == {
        "voice": "en-gb",
        "rate": "185",
        "trim": "silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse pad 0 0.1",
        "mp3": "lame -m m -b 32"}
    with pytest.raises(ValueError, match="unknown engine 'say' \\(choose from gtts, espeak\\)"):
        voice_settings("say", MENUS.languages["en"])


@pytest.mark.parametrize("name, ok", [
    ("fi-gtts-0123456789abcdef0123.mp3", True),
    ("en-human-0123456789abcdef0123.wav", True),
    ("../fi-gtts-0123456789abcdef0123.mp3", False),
    (".fi-gtts-0123456789abcdef0123.mp3.x.part", False),
    ("manifest.json", False),
    ("fi-gtts-0123456789abcdef0123.ogg", False),
])
def test_only_names_of_the_right_shape_are_prompt_files(name, ok):
    assert is_prompt_name(name) is ok


def test_the_catalogue_is_every_line_a_caller_hears_limited_to_the_languages_asked():
    assert catalogue(MENUS) == script.every_line(MENUS)
    assert {line.lang for line in catalogue(MENUS, ["sv"])} == {"sv"}
    fi = catalogue(MENUS, ["fi"])
    others = [code for code in MENUS.languages if code != "fi"]
    assert len(catalogue(MENUS, others)) == len(catalogue(MENUS)) - len(fi)


def test_the_manifest_is_json_with_one_sorted_line_per_file_that_reads_back_the_same():
    manifest = Manifest({
        "sv-gtts-bbbbbbbbbbbbbbbbbbbb.mp3": Entry(
            "sv", "Hej.", "gtts", {"tld": "se", "lang": "sv"}, 1.0),
        "fi-espeak-aaaaaaaaaaaaaaaaaaaa.mp3": Entry(
            "fi", "Hätä.", "espeak", {"voice": "fi"}, 0.5004),
    })
    text = render_manifest(manifest)
    assert text == (
        '{"version": 1, "files": {\n'
        '"fi-espeak-aaaaaaaaaaaaaaaaaaaa.mp3": {"lang": "fi", "text": "Hätä.", '
        '"engine": "espeak", '
        '"voice": {"voice": "fi"}, "seconds": 0.5},\n'
        '"sv-gtts-bbbbbbbbbbbbbbbbbbbb.mp3": {"lang": "sv", "text": "Hej.", "engine": "gtts", '
        '"voice": {"lang": "sv", "tld": "se"}, "seconds": 1.0}\n'
        '}}\n'
    )
    assert parse_manifest(text).files["sv-gtts-bbbbbbbbbbbbbbbbbbbb.mp3"] == Entry(
        "sv", "Hej.", "gtts", {"lang": "sv", "tld": "se"}, 1.0)
    assert parse_manifest("") == Manifest()
    assert parse_manifest(render_manifest(Manifest())) == Manifest()


@pytest.mark.parametrize("text, message", [
    ("[1, 2]", "manifest.json is not a prompts manifest: "
               "list indices must be integers or slices, not str"),
    ('{"files": {"x": {}}}', "manifest.json is not a prompts manifest: 'lang'"),
    (json.dumps({"files": {"../../etc/passwd": {"lang": "fi", "text": "x", "engine": "gtts",
                                                "voice": {}, "seconds": 1}}}),
     "manifest.json: not a prompt file name: '../../etc/passwd'"),
])
def test_a_broken_manifest_is_an_error_not_an_empty_one(text, message):
    with pytest.raises(ManifestError) as error:
        parse_manifest(text)
    assert str(error.value) == message


def rendered(menus, engine, lines):
    """A manifest with a render of every line, as a finished build leaves it."""
    files = {}
    for line in lines:
        settings = voice_settings(engine, menus.languages[line.lang])
        files[render_name(engine, settings, line.lang, line.text)] = Entry(
            line.lang, line.text, engine, settings, 1.0)
    return Manifest(files)


def test_with_nothing_rendered_every_line_is_to_do_in_catalogue_order():
    plan = plan_build(MENUS, Manifest(), set(), "gtts")
    assert [job.line for job in plan.todo] == catalogue(MENUS)
    first = plan.todo[0]
    assert first.settings == {"lang": "fi", "tld": "fi"}
    assert first.name == render_name("gtts", first.settings, "fi", first.line.text)
    assert (plan.done, plan.stale, plan.unused, plan.absent) == ([], [], [], [])


def test_a_full_build_leaves_nothing_to_do_and_a_file_gone_from_disk_is_to_do_again():
    manifest = rendered(MENUS, "gtts", catalogue(MENUS))
    present = set(manifest.files)
    assert plan_build(MENUS, manifest, present, "gtts").todo == []
    gone = sorted(present)[0]
    plan = plan_build(MENUS, manifest, present - {gone}, "gtts")
    assert [job.name for job in plan.todo] == [gone]
    assert plan.absent == [gone]


def test_changing_one_sentence_in_one_language_makes_one_job_and_one_unused_file():
    old_text = "Tätä valintaa ei ole."
    manifest = rendered(MENUS, "gtts", catalogue(MENUS))
    edited = parse_menus(MENUS_TEXT.replace(f"fi: {old_text}", "fi: Valintaa ei ole."))
    plan = plan_build(edited, manifest, set(manifest.files), "gtts")
    assert [job.line for job in plan.todo] == [Line("Valintaa ei ole.", "fi")]
    assert [manifest.files[n].text for n in plan.unused] == [old_text]
    assert plan.stale == []


def test_a_new_tld_makes_every_line_of_that_language_stale():
    manifest = rendered(MENUS, "gtts", catalogue(MENUS))
    sv = dataclasses.replace(MENUS.languages["sv"], gtts_tld="com")
    menus = dataclasses.replace(MENUS, languages={**MENUS.languages, "sv": sv})
    plan = plan_build(menus, manifest, set(manifest.files), "gtts")
    assert {job.line.lang for job in plan.todo} == {"sv"}
    assert len(plan.stale) == len(plan.todo) == len(plan.unused) == len(catalogue(MENUS, ["sv"]))
    counts = counts_by_language(plan, menus)
    sv, fi = len(catalogue(MENUS, ["sv"])), len(catalogue(MENUS, ["fi"]))
    assert counts["sv"] == {
        "prompts": sv, "recorded": 0, "rendered": 0, "stale": sv, "missing": 0}
    assert counts["fi"] == {
        "prompts": fi, "recorded": 0, "rendered": fi, "stale": 0, "missing": 0}


def test_a_recorded_line_is_not_rendered_and_a_recording_nobody_hears_is_not_unused():
    line = catalogue(MENUS)[0]
    manifest = Manifest({
        "fi-human-0123456789abcdef0123.mp3": Entry(line.lang, line.text, "human", {}, 2.0),
        "fi-human-1123456789abcdef0123.mp3": Entry("fi", "Vanha lause.", "human", {}, 2.0),
    })
    plan = plan_build(MENUS, manifest, set(manifest.files), "espeak")
    assert plan.recorded == [line]
    assert line not in [job.line for job in plan.todo]
    assert plan.unused == []
    assert plan.unused_recordings == ["fi-human-1123456789abcdef0123.mp3"]


def test_limiting_to_a_language_leaves_the_other_languages_files_alone():
    manifest = rendered(MENUS, "gtts", catalogue(MENUS, ["fi"]))
    edited = parse_menus(MENUS_TEXT.replace("fi: Tätä valintaa ei ole.", "fi: Ei ole."))
    plan = plan_build(edited, manifest, set(manifest.files), "gtts", ["sv"])
    assert {job.line.lang for job in plan.todo} == {"sv"}
    assert plan.unused == []


def test_the_caller_hears_human_then_gtts_then_espeak_only_if_offline_voices_are_allowed():
    entries = {
        "fi-espeak-0123456789abcdef0123.mp3": Entry("fi", "Hei.", "espeak", {}, 1.0),
        "fi-gtts-0123456789abcdef0123.mp3": Entry("fi", "Hei.", "gtts", {}, 1.0),
        "fi-human-0123456789abcdef0123.mp3": Entry("fi", "Hei.", "human", {}, 1.0),
    }
    manifest = Manifest(entries)
    names = sorted(entries)
    assert best_file(manifest, set(names), "fi", "Hei.", False) == names[2]
    assert best_file(manifest, set(names[:2]), "fi", "Hei.", False) == names[1]
    assert best_file(manifest, {names[0]}, "fi", "Hei.", False) is None
    assert best_file(manifest, {names[0]}, "fi", "Hei.", True) == names[0]
    assert best_file(manifest, set(names), "sv", "Hei.", True) is None


def test_mp3_playing_time_is_counted_from_its_frames():
    assert mp3_seconds(mp3(100)) == pytest.approx(100 * 576 / 22050)
    id3 = b"ID3\x04\x00\x00\x00\x00\x00\x05" + b"tagzz"
    assert mp3_seconds(id3 + mp3(100)) == pytest.approx(100 * 576 / 22050)
    assert mp3_seconds(mp3(50) + mp3(50)) == mp3_seconds(mp3(100))  # gTTS joins streams
    assert mp3_seconds(mp3(100) + FRAME[:50]) == pytest.approx(100 * 576 / 22050)  # cut tail


@pytest.mark.parametrize("data", [
    b"",
    b"<html><body>Our systems have detected unusual traffic</body></html>" * 20,
    mp3(5) + b"junk" * 200 + mp3(5),
    bytes(4000),
])
def test_what_is_not_an_mp3_has_no_playing_time(data):
    assert mp3_seconds(data) is None


@pytest.mark.parametrize("data, message", [
    (b"", "empty audio (0 bytes)"),
    (mp3(3), "too small to be speech (312 bytes)"),
    (b"<html>" + bytes(2000), "not MP3 audio (starts b'<html>\\x00\\x00')"),
    (mp3(8), "too short to be speech (0.21 s)"),
])
def test_check_audio_says_what_is_wrong(data, message):
    with pytest.raises(BadAudio) as error:
        check_audio(data)
    assert str(error.value) == message


def test_wav_playing_time_comes_from_its_header():
    assert wav_seconds(wav(1.5)) == 1.5
    assert check_audio(wav(1.5), ".wav") == 1.5
    assert wav_seconds(mp3(100)) is None
    with pytest.raises(BadAudio, match=r"not WAV audio"):
        check_audio(mp3(100), ".wav")


def test_a_sentences_files_follow_every_change_of_the_manifest():
    # for_line is indexed (a build asks it for each of ~1,600 sentences); the index must
    # never answer from before a change, however the files are changed.
    import random

    manifest = Manifest({})
    chance = random.Random(7)
    for _ in range(2000):
        name, lang, text = f"f{chance.randrange(30)}.mp3", chance.choice("ab"), chance.choice("xyz")
        entry = Entry(lang, text, chance.choice(["espeak", "gtts"]), {}, 1.0)
        step = chance.randrange(5)
        if step == 0:
            manifest.files[name] = entry
        elif step == 1:
            manifest.files.pop(name, None)
        elif step == 2 and name in manifest.files:
            del manifest.files[name]
        elif step == 3:
            manifest.files.update({name: entry})
        else:
            manifest.files.setdefault(name, entry)
        for lang in "ab":
            for text in "xyz":
                assert manifest.for_line(lang, text) == {
                    n: e for n, e in manifest.files.items() if (e.lang, e.text) == (lang, text)}
    manifest.files = {"new.mp3": Entry("a", "x", "gtts", {}, 1.0)}  # replaced outright
    assert list(manifest.for_line("a", "x")) == ["new.mp3"]
