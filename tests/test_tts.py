"""The engines: gTTS faked at its HTTP boundary (reference appendix A.3), espeak-ng for real."""

import subprocess
from pathlib import Path

import pytest

from ivr.menus.loader import load_menus
from ivr.prompts.audioformat import mp3_seconds
from ivr.prompts.catalogue import voice_settings
from ivr.prompts.tts import EspeakEngine
from ivr.prompts.tts import GttsEngine
from ivr.prompts.tts import NoNetwork
from ivr.prompts.tts import RenderError
from tests.promptfakes import FakeGoogle
from tests.promptfakes import espeak_mp3

MENUS = load_menus(Path(__file__).resolve().parent.parent / "menus.yaml")


@pytest.fixture(scope="module")
def mp3_bytes():
    return espeak_mp3("Tervetuloa.")


@pytest.fixture
def google(mp3_bytes, monkeypatch):
    fake = FakeGoogle(mp3_bytes)
    fake.install(monkeypatch)
    return fake


def engine(**kw):
    sleeps = []
    return GttsEngine(sleep=sleeps.append, **kw), sleeps


@pytest.mark.parametrize("lang, host", [
    ("fi", "translate.google.fi"), ("sv", "translate.google.se"), ("en", "translate.google.co.uk")])
def test_each_language_asks_its_pinned_google_domain_in_its_language(google, mp3_bytes, lang, host):
    gtts, _ = engine()
    settings = voice_settings("gtts", MENUS.languages[lang])
    data, seconds = gtts.render("Hello there.", settings)
    assert data == mp3_bytes
    assert seconds == mp3_seconds(mp3_bytes)
    assert google.requests == [(host, "Hello there.", lang)]


def test_a_long_sentence_is_split_where_gtts_splits_it_and_the_parts_joined(google, mp3_bytes):
    gtts, _ = engine()
    text = ("Jos olet vaarassa tai joku valvoo puheluitasi, lopeta puhelu heti, "
            "soita hätänumeroon 112 omasta puhelimestasi, ja kerro missä olet.")
    data, seconds = gtts.render(text, {"lang": "fi", "tld": "fi"})
    assert [sent for _, sent, _ in google.requests] == [
        "Jos olet vaarassa tai joku valvoo puheluitasi",
        "lopeta puhelu heti",
        "soita hätänumeroon 112 omasta puhelimestasi",
        "ja kerro missä olet.",  # gTTS keeps the full stop of its last part
    ]
    assert data == mp3_bytes * 4
    assert seconds == pytest.approx(4 * mp3_seconds(mp3_bytes))


def test_a_failed_request_is_retried_with_growing_waits(google, mp3_bytes):
    google.script = ["down", "500", "ok"]
    gtts, sleeps = engine(backoff=0.5)
    assert gtts.render("Hei.", {"lang": "fi", "tld": "fi"})[0] == mp3_bytes
    assert len(google.requests) == 3
    assert sleeps == [0.5, 1.0]


def test_no_network_at_all_is_reported_as_such_after_the_retries(google):
    google.script = ["down"] * 4
    gtts, sleeps = engine(retries=3)
    with pytest.raises(NoNetwork) as error:
        gtts.render("Hei.", {"lang": "fi", "tld": "fi"})
    assert str(error.value) == "no network for gTTS (translate.google.fi unreachable)"
    assert len(google.requests) == 4
    assert sleeps == [1.0, 2.0, 4.0]


def test_a_refused_request_is_not_retried(google):
    google.script = ["403"]
    gtts, sleeps = engine()
    with pytest.raises(RenderError) as error:
        gtts.render("Hei.", {"lang": "fi", "tld": "fi"})
    assert str(error.value) == ("403 (Forbidden) from TTS API. Probable cause: Bad token or "
                                "upstream API changes (after 1 tries)")
    assert sleeps == []


@pytest.mark.parametrize("answer, message", [
    ("zero", "gTTS returned empty audio (0 bytes) (after 3 tries)"),
    ("no-audio-line", "gTTS returned empty audio (0 bytes) (after 3 tries)"),
    ("html", "gTTS returned not MP3 audio (starts b'<!doctyp') (after 3 tries)"),
])
def test_empty_or_non_audio_answers_that_gtts_lets_through_are_caught(google, answer, message):
    google.script = [answer] * 3
    gtts, _ = engine(retries=2)
    with pytest.raises(RenderError) as error:
        gtts.render("Hei.", {"lang": "fi", "tld": "fi"})
    assert str(error.value) == message


def test_a_bad_answer_then_a_good_one_is_fine(google, mp3_bytes):
    google.script = ["zero", "ok"]
    gtts, _ = engine()
    assert gtts.render("Hei.", {"lang": "fi", "tld": "fi"})[0] == mp3_bytes


def test_espeak_renders_a_small_mono_mp3_of_plausible_length():
    data, seconds = EspeakEngine().render("Jos olet vaarassa, lopeta puhelu ja soita 112.",
                                          voice_settings("espeak", MENUS.languages["fi"]))
    assert data[:4] == bytes([0xFF, 0xF3, 0x40, 0xC4])  # MPEG-2 Layer III, 32 kb/s, 22.05 kHz, mono
    assert 3.0 < seconds < 6.0
    assert len(data) == pytest.approx(seconds * 32000 / 8, rel=0.05)


def test_espeak_takes_text_that_looks_like_an_option_as_text():
    data, seconds = EspeakEngine().render("--help", {"voice": "en-gb", "mp3": "lame -m m -b 32"})
    assert 0.3 < seconds < 2.0


def test_a_missing_espeak_says_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RenderError) as error:
        EspeakEngine().render("Hei.", {"voice": "fi", "mp3": "lame -m m -b 32"})
    assert str(error.value) == "espeak-ng is not installed (apt-get install espeak-ng sox lame)"


def test_the_playing_time_we_count_matches_soxi(tmp_path):
    settings = {"voice": "fi", "mp3": "lame -m m -b 32"}
    data, seconds = EspeakEngine().render("Suomeksi, paina 1.", settings)
    (tmp_path / "a.mp3").write_bytes(data)
    soxi = subprocess.run(["soxi", "-D", str(tmp_path / "a.mp3")], capture_output=True, text=True,
                          check=True)
    assert seconds == pytest.approx(float(soxi.stdout), abs=0.03)
