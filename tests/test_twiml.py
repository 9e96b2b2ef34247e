"""Each kind of Turn rendered to TwiML, asserted as the whole document."""

from ivr.core.callstate import CallState
from ivr.core.callstate import encode
from ivr.core.script import Line
from ivr.core.turns import Hangup
from ivr.core.turns import Listen
from ivr.core.turns import Transfer
from ivr.core.turns import Turn
from ivr.menus.loader import load_menus
from ivr.prompts.index import PromptIndex
from ivr.web.twiml import render_apology
from ivr.web.twiml import render_fallback
from ivr.web.twiml import render_turn
from ivr.web.twiml import render_whisper
from tests.conftest import ROOT

MENUS = load_menus(ROOT / "menus.yaml")
HEAD = '<?xml version="1.0" encoding="UTF-8"?>'
FI = 'language="fi-FI" voice="Polly.Suvi-Neural"'
EN = 'language="en-GB" voice="Polly.Amy"'
SV = 'language="sv-SE" voice="Polly.Astrid"'
NO_PROMPTS = PromptIndex()


class Links:
    caller_id = "+358931585000"

    def step(self, state):
        return "https://x/step?" + "&".join(f"{k}={v}" for k, v in encode(state).items())

    def dial_done(self, state):
        return "https://x/dial?" + "&".join(f"{k}={v}" for k, v in encode(state).items())

    def whisper(self, lang):
        return f"https://x/whisper?l={lang}"

    def audio(self, filename):
        return f"https://cdn/{filename}"


def render(turn, prompts=NO_PROMPTS):
    return render_turn(turn, MENUS, Links(), prompts).to_xml()


def test_listen_nests_the_lines_in_a_gather_that_a_redirect_follows():
    turn = Turn((Line("Hei.", "fi"), Line("Paina 1.", "fi"), Line("Hi.", "en")),
                Listen(CallState("main", "fi"), 6))
    assert render(turn) == (
        HEAD + '<Response><Gather action="https://x/step?m=main&amp;l=fi" finishOnKey="" '
        'method="POST" numDigits="1" timeout="6">'
        f"<Say {FI}>Hei. Paina 1.</Say><Say {EN}>Hi.</Say></Gather>"
        '<Redirect method="POST">https://x/step?m=main&amp;l=fi</Redirect></Response>'
    )


def test_a_recorded_sentence_plays_and_the_others_are_said():
    prompts = PromptIndex({("fi", "Paina 1."): "fi-0123abcd.mp3"})
    turn = Turn((Line("Hei.", "fi"), Line("Paina 1.", "fi"), Line("Hei taas.", "fi")), Hangup())
    assert render(turn, prompts) == (
        HEAD + f"<Response><Say {FI}>Hei.</Say><Play>https://cdn/fi-0123abcd.mp3</Play>"
        f"<Say {FI}>Hei taas.</Say><Hangup /></Response>"
    )


def test_a_transfer_dials_the_number_with_the_whisper_and_an_action():
    state = CallState("main", "sv")
    turn = Turn((Line("Kopplar.", "sv"),), Transfer("+358295463177", state, 30, "sv"))
    assert render(turn) == (
        HEAD + f"<Response><Say {SV}>Kopplar.</Say>"
        '<Dial action="https://x/dial?m=main&amp;l=sv" callerId="+358931585000" method="POST"'
        ' timeout="30">'
        '<Number method="POST" url="https://x/whisper?l=sv">+358295463177</Number></Dial>'
        "</Response>"
    )


def test_the_whisper_is_said_in_the_agent_language():
    assert render_whisper(MENUS, "en", NO_PROMPTS, Links()).to_xml() == (
        HEAD + f"<Response><Say {FI}>Puhelu ihmiskaupan uhrien puhelinvalikosta. "
        "Soittajan kieli: englanti.</Say></Response>"
    )


def test_the_apology_needs_no_webhook_after_it():
    assert render_apology(MENUS, "en").to_xml() == (
        HEAD + f"<Response><Say {EN}>We are sorry, something went wrong. Putting you through "
        'to the info line.</Say><Dial timeout="30">+358295463177</Dial>'
        f"<Say {EN}>You can try again, or call 0 2 9, 5 4 6, 3 1 7 7 yourself.</Say>"
        "<Hangup /></Response>"
    )


def test_the_fallback_document_speaks_every_language():
    assert render_fallback(MENUS).to_xml() == (
        HEAD + "<Response>"
        f"<Say {FI}>Pahoittelemme, tapahtui virhe. Yhdistän sinut infopuhelimeen. "
        "Hätätilanteessa soita 1 1 2.</Say>"
        f"<Say {SV}>Vi beklagar, ett fel inträffade. Jag kopplar dig till infotelefonen. "
        "I nödfall, ring 1 1 2.</Say>"
        f"<Say {EN}>We are sorry, something went wrong. Putting you through to the info line. "
        "In an emergency, call 1 1 2.</Say>"
        '<Dial timeout="30">+358295463177</Dial>'
        f"<Say {FI}>Voit yrittää uudelleen tai soittaa itse numeroon 0 2 9, 5 4 6, 3 1 7 7.</Say>"
        f"<Say {SV}>Du kan försöka igen eller själv ringa 0 2 9, 5 4 6, 3 1 7 7.</Say>"
        f"<Say {EN}>You can try again, or call 0 2 9, 5 4 6, 3 1 7 7 yourself.</Say>"
        "<Hangup /></Response>"
    )


def test_no_text_the_model_holds_can_make_a_document_twilio_cannot_read():
    import xml.etree.ElementTree as ET

    # validate refuses these at their line; a model built another way must not break TwiML.
    junk = "".join(chr(c) for c in (0, 1, 7, 8, 0x0B, 0x1B, 0x7F, 0x85, 0xFFFE, 0xFFFF))
    turn = Turn((Line(f"Hei{junk}.", "fi"), Line(f"\u2028Paina{junk} 1.", "fi")),
                Listen(CallState("main", "fi"), 6))
    root = ET.fromstring(render(turn).encode())
    said = [say.text for say in root.iter("Say")]
    assert said == ["Hei. Paina 1."]


def test_no_say_holds_more_bytes_than_its_voice_takes():
    from ivr.web.twiml import chunks
    from ivr.web.twiml import say_limit

    assert (say_limit("Polly.Tatyana"), say_limit("Google.th-TH-Standard-A")) == (3000, 5000)
    thai = "ระบบช่วยเหลือผู้เสียหายจากการค้ามนุษย์ช่วยได้แม้ไม่ได้แจ้งความกับตำรวจ"  # 3 bytes a letter
    sentences = [thai] * 60 + ["ก" * 2500]  # and one sentence over the limit with no space
    for limit in (3000, 5000):
        said = chunks(sentences, limit)
        assert all(len(text.encode()) <= limit for text in said)
        assert "".join(said).replace(" ", "") == "".join(sentences)
        # As few as fit: no two neighbours would fit in one.
        assert all(len(f"{a} {b}".encode()) > limit for a, b in zip(said, said[1:], strict=False))


def test_a_long_read_out_is_several_says_within_the_voices_limit():
    import xml.etree.ElementTree as ET

    long = tuple(Line("Виктор " * 80 + ".", "ru") for _ in range(10))  # ~10 KB of Cyrillic
    root = ET.fromstring(render(Turn(long, Listen(CallState("main", "ru"), 6))).encode())
    says = [say.text for say in root.iter("Say")]
    assert len(says) > 3 and all(len(text.encode()) <= 3000 for text in says)
