"""The six translated languages in the shipped menus.yaml: complete, faithful in what can be
checked by a machine, short enough to speak, in the right script, with voices that exist.

Faithfulness itself needs a fluent reader (docs/languages.md); these tests catch what a
translator's slip breaks: a lost or renamed {placeholder} crashes or silences a call, a changed
number or address sends a caller to the wrong place, a text in the wrong script is read out as
gibberish by the voice.
"""

import re
import shutil
import string
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from ivr.cli import cli
from ivr.core.speech import sentences
from ivr.menus import voices
from ivr.menus.kinds import Texts
from ivr.menus.schema import MENUS
from ivr.menus.schema import walk
from ivr.menus.textchecks import MAX_SENTENCE

ROOT = Path(__file__).parent.parent
OK = Path(__file__).parent / "data" / "menus_ok" / "menus.yaml"
NEW = ("ar", "ru", "th", "vi", "uk", "fr")
SCRIPT = {"ar": "ARABIC", "ru": "CYRILLIC", "uk": "CYRILLIC", "th": "THAI", "vi": "LATIN",
          "fr": "LATIN"}
# Combining marks only Vietnamese uses among Latin-script languages: dot below, hook, horn.
VIETNAMESE_MARKS = {"\u0323", "\u0309", "\u031b"}
NUMBER = re.compile(r"\d+")
ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:https?://)?[\w-]+(?:\.[\w-]+)+(?:/\S*)?")


def shipped() -> Any:
    return yaml.safe_load((ROOT / "menus.yaml").read_text(encoding="utf-8"))


MENUS_DATA = shipped()
ONLY_SOME_LANGUAGES = {
    ("texts", "language_other"): "said after the options in the greeting languages only",
    ("texts", "whisper_no_language"): "said to the agent, in call.agent_language only",
}
"""Texts no caller hears in one of the six languages, so they need no translation there."""
TEXTS = [(path, texts) for path, kind, texts in walk(MENUS, MENUS_DATA)
         if isinstance(kind, Texts) and tuple(path) not in ONLY_SOME_LANGUAGES]


def where(path: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in path)


def placeholders(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


def letters(text: str) -> str:
    return "".join(ch for ch in re.sub(r"\{\w+\}", "", text) if ch.isalpha())


def scripts(text: str) -> set[str]:
    return {unicodedata.name(ch).split()[0] for ch in letters(text)}


def test_the_walk_finds_every_caller_heard_text_of_the_file():
    # 19 texts, 9 needs, 8 regions, 12 service names and 12 descriptions, 11 menu texts today;
    # a new text must be translated too, which the tests below then ask for
    assert len(TEXTS) >= 71
    assert {path[0] for path, _ in TEXTS} == {"texts", "needs", "regions", "services", "menus"}


@pytest.mark.parametrize("lang", NEW)
def test_every_text_exists_in_the_language(lang):
    missing = [where(path) for path, texts in TEXTS if not str(texts.get(lang) or "").strip()]
    assert missing == []
    assert lang in MENUS_DATA["languages"]


@pytest.mark.parametrize("lang", NEW)
def test_placeholders_are_exactly_the_finnish_ones(lang):
    wrong = [(where(path), placeholders(texts["fi"]), placeholders(texts[lang]))
             for path, texts in TEXTS if placeholders(texts["fi"]) != placeholders(texts[lang])]
    assert wrong == []


@pytest.mark.parametrize("lang", NEW)
def test_service_texts_keep_every_number_and_address_of_the_finnish_text(lang):
    wrong = []
    for path, texts in TEXTS:
        if path[0] != "services":
            continue
        for pattern in (NUMBER, ADDRESS):
            fi, said = set(pattern.findall(texts["fi"])), set(pattern.findall(texts[lang]))
            if said != fi:
                wrong.append((where(path), sorted(fi), sorted(said)))
    assert wrong == []


@pytest.mark.parametrize("lang", NEW)
def test_the_emergency_texts_say_112(lang):
    for text_id in ("emergency_notice", "emergency"):
        assert re.search(r"(?<!\d)112(?!\d)", MENUS_DATA["texts"][text_id][lang])


@pytest.mark.parametrize("lang", NEW)
def test_no_sentence_is_longer_than_gtts_says_in_one_piece(lang):
    long = [(where(path), s) for path, texts in TEXTS for s in sentences(texts[lang])
            if len(s) > MAX_SENTENCE]
    assert long == []


@pytest.mark.parametrize("lang", NEW)
def test_the_language_option_and_name_are_in_the_languages_own_script(lang):
    entry = MENUS_DATA["languages"][lang]
    option = MENUS_DATA["texts"]["language_option"][lang]
    for text in (option, entry["name"], *entry["words"].values()):
        assert scripts(text) == {SCRIPT[lang]}, (text, scripts(text))
    marks = set(unicodedata.normalize("NFD", option))
    if lang == "vi":
        assert marks & VIETNAMESE_MARKS, "Vietnamese without its tone and vowel marks"
    if lang in ("uk", "ru"):  # the two Cyrillic languages must not be swapped
        found = set(letters(option))
        ukrainian, russian = bool(found & set("іїєґ")), bool(found & set("ыэъё"))
        assert (ukrainian, russian) == ((True, False) if lang == "uk" else (False, True))


def test_the_language_names_for_the_agent_are_finnish():
    agent = {lang: MENUS_DATA["languages"][lang]["agent_name"] for lang in NEW}
    assert agent == {"ar": "arabia", "ru": "venäjä", "th": "thai", "vi": "vietnam",
                     "uk": "ukraina", "fr": "ranska"}


@pytest.mark.parametrize("lang", NEW)
def test_the_twilio_voice_is_one_twilio_lists_for_its_language(lang):
    twilio = MENUS_DATA["languages"][lang]["twilio"]
    language, voice = twilio["language"], twilio["voice"]
    assert language in voices.SAY_LANGUAGES
    known = voices.polly_voices_for(language) + list(voices.GOOGLE_VOICES.get(language, ()))
    assert voice in known


def test_no_voice_problem_in_the_shipped_languages():
    assert list(voices.check_voices(MENUS_DATA)) == []


@pytest.mark.parametrize("lang", NEW)
def test_the_gtts_language_and_tld_are_the_installed_gttss(lang):
    from gtts.accents import accents  # the core may not import gtts; the test may
    from gtts.lang import tts_langs

    gtts = MENUS_DATA["languages"][lang]["gtts"]
    assert gtts["lang"] in tts_langs() and gtts["tld"] in accents


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_the_espeak_voices_are_installed():
    listed = subprocess.run(["espeak-ng", "--voices"], capture_output=True, text=True,
                            check=True).stdout.split("\n")[1:]
    names = {line.split()[1] for line in listed if line.strip()}
    assert {MENUS_DATA["languages"][lang]["espeak"] for lang in NEW} <= names


def validate_with_voice(tmp_path: Path, twilio: str) -> str:
    text = OK.read_text(encoding="utf-8")
    text = text.replace("twilio: {language: en-GB, voice: Polly.Amy}", twilio)
    (tmp_path / "menus.yaml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", "--today", "2026-11-25",
                                      str(tmp_path / "menus.yaml")], catch_exceptions=False)
    return result.output.replace(str(tmp_path) + "/", "")


def test_a_google_voice_twilio_does_not_have_is_a_warning_with_the_nearest(tmp_path):
    twilio = "twilio: {language: th-TH, voice: Google.th-TH-Standard-B}"
    output = validate_with_voice(tmp_path, twilio)
    assert output.splitlines()[0] == (
        "menus.yaml:14:38: warning: languages.en.twilio.voice: unknown Google voice "
        "'Google.th-TH-Standard-B' (did you mean 'Google.th-TH-Standard-A'?)")


def test_a_polly_voice_for_ukrainian_names_the_google_voices_there_are(tmp_path):
    output = validate_with_voice(tmp_path, "twilio: {language: uk-UA, voice: Polly.Tatyana}")
    assert output.splitlines()[0] == (
        "menus.yaml:14:38: error: languages.en.twilio.voice: Polly.Tatyana speaks ru-RU, not "
        "uk-UA (Twilio has no Polly voice for uk-UA; use Google.uk-UA-Standard-A, "
        "Google.uk-UA-Wavenet-A)")
