"""The webhook driven with Twilio-signed requests; responses asserted as whole TwiML."""

import dataclasses
import json

import pytest

from ivr.app import create_app
from ivr.core import flow
from ivr.menus.loader import load_menus
from ivr.web import twiml
from tests.conftest import MAIN_EN
from tests.conftest import PUBLIC_URL
from tests.conftest import ROOT

HEAD = '<?xml version="1.0" encoding="UTF-8"?>'
FI = 'language="fi-FI" voice="Polly.Suvi-Neural"'
SV = 'language="sv-SE" voice="Polly.Astrid"'
EN = 'language="en-GB" voice="Polly.Amy"'
STEP = PUBLIC_URL + "/voice/step"


def gather(query, says):
    url = f"{STEP}?{query}".replace("&", "&amp;")
    return (
        HEAD + f'<Response><Gather action="{url}" finishOnKey="" method="POST" numDigits="1" '
        f'timeout="6">{says}</Gather><Redirect method="POST">{url}</Redirect></Response>'
    )


# The language menu starts with the 112 notice and the fi/sv/en options and ends with what
# a caller whose language is not offered should do; between them, the other languages
# menus.yaml offers (any number: issue 10).
LANGUAGE_MENU_START = gather("m=language", "").split("</Gather>")[0] + (
    f"<Say {FI}>Hätätilanteessa soita 1 1 2. Suomeksi, paina 1.</Say>"
    f"<Say {SV}>I nödfall, ring 1 1 2. På svenska, tryck 2.</Say>"
    f"<Say {EN}>In an emergency, call 1 1 2. For English, press 3.</Say>"
)
LANGUAGE_MENU_END = (
    f"<Say {FI}>Jos kieltäsi ei mainittu, pysy linjalla. Sinut yhdistetään infopuhelimeen. "
    "Auttamisjärjestelmä tarjoaa tulkkausapua.</Say>"
    f"<Say {SV}>Om ditt språk inte nämndes, stanna kvar i linjen. Du kopplas till "
    "infotelefonen. Hjälpsystemet erbjuder tolkningshjälp.</Say>"
    f"<Say {EN}>If your language was not mentioned, stay on the line. You will be put "
    "through to the info line. The assistance system offers interpreting help.</Say>"
    '</Gather><Redirect method="POST">https://ivr.example.org/voice/step?m=language'
    "</Redirect></Response>"
)


def is_language_menu(xml):
    return xml.startswith(LANGUAGE_MENU_START) and xml.endswith(LANGUAGE_MENU_END)


def body(response):
    assert response.status_code == 200, response.data
    assert response.mimetype == "text/xml"
    assert response.headers["Content-Length"] == str(len(response.data))
    assert "Transfer-Encoding" not in response.headers
    return response.get_data(as_text=True)


def test_a_call_starts_with_the_language_menu(signed_post):
    assert is_language_menu(body(signed_post("/voice")))


def test_choosing_swedish_gives_the_main_menu_in_swedish(signed_post):
    assert body(signed_post("/voice/step?m=language", {"Digits": "2"})) == gather(
        "m=main&l=sv",
        f"<Say {SV}>Infotelefonen dygnet runt: tryck 0. I nödfall, ring 1 1 2. "
        "Tryggt boende, krisstöd, kvinnor och barn: tryck 1. "
        "Juridisk hjälp, uppehållstillstånd, papperslösa och återresa: tryck 2. "
        "Utnyttjande i arbetet, sexuellt utnyttjande och hälsa: tryck 3. "
        "Upprepa menyn: tryck stjärna. Föregående meny: tryck fyrkant. "
        "Infotelefonen dygnet runt: tryck 0. Hur du ringer nödnumret 1 1 2: tryck 9.</Say>",
    )


READOUT = "m=services&l=en&n=undocumented&r=joensuu&b=main.needs_legal"
"""Help for undocumented people in Joensuu, asked after the whole country's read-out."""
JOENSUU_KEYS = ("For the next service, press 1. For services in your region, press 2. "
                "To hear it again, press star. For the info line, press 0. ")


def test_the_read_out_says_the_choice_then_one_service_a_page_the_regions_own_first(
        signed_post):
    query = "m=region&l=en&n=undocumented&b=main.needs_legal.services"
    assert body(signed_post(f"/voice/step?{query}", {"Digits": "5"})) == gather(
        READOUT,
        f"<Say {EN}>Undocumented people, Joensuu. Global Clinic. Website: globalclinic dot fi. "
        + JOENSUU_KEYS
        + "For undocumented people. Multi-professional help from volunteers with health "
        "problems that are not urgent. Works in Helsinki, Turku, Lahti, Tampere, Joensuu and "
        "Oulu.</Say>",
    )
    assert body(signed_post(f"/voice/step?{READOUT}", {"Digits": "1"})) == gather(
        READOUT + "&i=1",
        f"<Say {EN}>The assistance system for victims of human trafficking. Phone: 0 2 9, "
        "5 4 6, 3 1 7 7. E-mail: ihmiskauppa dot auttamisjarjestelma at migri dot fi. Website: "
        "ihmiskauppa dot fi. "
        + JOENSUU_KEYS
        + "A public authority that helps victims of trafficking across Finland, even without a "
        "police report. It offers safe accommodation, health care services and legal help. "
        "Also interpretation, and support for returning home voluntarily. You get help even if "
        "you are in Finland illegally.</Say>",
    )


def test_the_read_out_pages_follow_the_directory_and_start_again_after_the_last(signed_post):
    menus = load_menus(ROOT / "menus.yaml")
    names = [s.name["en"] + "." for s in menus.services_for("undocumented", "joensuu")]
    assert names == ["Global Clinic.", "The assistance system for victims of human trafficking.",
                     "The Refugee Advice Centre, Pakolaisneuvonta.",
                     "The parishes' charity work."]
    for page, name in enumerate(names):
        step = f"/voice/step?{READOUT}" + (f"&i={page}" if page else "")
        said = body(signed_post(step, {"Digits": "*"}))
        assert [other for other in names if other in said] == [name], page
    last = f"/voice/step?{READOUT}&i={len(names) - 1}"
    assert body(signed_post(last, {"Digits": "1"})) == body(
        signed_post(f"/voice/step?{READOUT}", {"Digits": "*"}))


def test_a_silence_in_the_read_out_says_only_the_pages_keys(signed_post):
    assert body(signed_post(f"/voice/step?{READOUT}&i=1")) == gather(
        READOUT + "&s=1&i=1", f"<Say {EN}>I did not hear a choice. {JOENSUU_KEYS.strip()}</Say>")


def test_emergency_key_says_the_instruction_twice_and_hangs_up(signed_post):
    instruction = (
        "Om du är i fara, avsluta samtalet nu och ring nödnumret 1 1 2 från din egen telefon."
    )
    assert body(signed_post("/voice/step?m=main&l=sv", {"Digits": "9"})) == (
        HEAD + f"<Response><Say {SV}>{instruction} {instruction}</Say><Hangup /></Response>"
    )


def test_info_line_key_dials_the_info_line_with_a_whisper_and_a_dial_action(signed_post):
    assert body(signed_post("/voice/step?m=needs_legal&l=en&b=main", {"Digits": "0"})) == (
        HEAD + f"<Response><Say {EN}>Putting you through to the assistance system's 24-hour "
        "info line. You can call anonymously, and all calls are treated confidentially.</Say>"
        f'<Dial action="{PUBLIC_URL}/voice/dial-done?m=needs_legal&amp;l=en&amp;b=main" '
        'callerId="+358931585000" method="POST" timeout="30">'
        f'<Number method="POST" url="{PUBLIC_URL}/voice/whisper?l=en">+358295463177</Number>'
        "</Dial></Response>"
    )


def test_a_busy_info_line_is_told_and_the_menu_comes_back(signed_post):
    response = signed_post("/voice/dial-done?m=main&l=fi", {"DialCallStatus": "busy"})
    assert body(response) == gather(
        "m=main&l=fi",
        f"<Say {FI}>Infopuhelin on nyt varattu. Voit yrittää uudelleen tai soittaa itse "
        "numeroon 0 2 9, 5 4 6, 3 1 7 7. Ympärivuorokautinen infopuhelin: paina 0. "
        "Hätätilanteessa soita 1 1 2. "
        "Turvallinen asuminen, kriisiapu, naiset ja lapset: paina 1. "
        "Oikeudellinen apu, oleskelu, paperittomat ja kotiinpaluu: paina 2. "
        "Hyväksikäyttö työssä, seksuaalinen hyväksikäyttö ja terveys: paina 3. "
        "Toista valikko: paina tähteä. Edellinen valikko: paina risuaitaa. "
        "Ympärivuorokautinen infopuhelin: paina 0. "
        "Ohje hätänumeroon 1 1 2 soittamiseen: paina 9.</Say>",
    )


def test_an_answered_transfer_hangs_up_when_it_ends(signed_post):
    response = signed_post("/voice/dial-done?m=main&l=fi", {"DialCallStatus": "completed"})
    assert body(response) == HEAD + "<Response><Hangup /></Response>"


def test_the_agent_hears_the_callers_language(signed_post):
    assert body(signed_post("/voice/whisper?l=sv")) == (
        HEAD + f"<Response><Say {FI}>Puhelu ihmiskaupan uhrien puhelinvalikosta. "
        "Soittajan kieli: ruotsi.</Say></Response>"
    )


def test_silence_says_so_and_counts(signed_post):
    answer = body(signed_post("/voice/step?m=region&l=fi&n=work"))
    assert answer.startswith(HEAD + '<Response><Gather action="https://ivr.example.org/voice/'
                             'step?m=region&amp;l=fi&amp;n=work&amp;s=1"')
    assert f"<Say {FI}>En kuullut valintaa. Valitse alue." in answer


def test_silence_in_the_language_menu_puts_the_caller_through(signed_post):
    answer = body(signed_post("/voice/step?m=language"))
    assert "<Dial" in answer and "Yhdistän sinut auttamisjärjestelmän" in answer
    assert "/voice/whisper?l=" in answer
    assert body(signed_post("/voice/whisper?l=")) == (
        HEAD + f"<Response><Say {FI}>Puhelu ihmiskaupan uhrien puhelinvalikosta. "
        "Soittaja ei valinnut kieltä.</Say></Response>"
    )


@pytest.mark.parametrize(
    "query", ["", "m=nope", "m=main&l=xx", "s=abc", "m=%00%ff", "b=" + "x" * 5000]
)
def test_a_tampered_state_restarts_at_the_language_menu(signed_post, query):
    path = f"/voice/step?{query}" if query else "/voice/step"
    assert body(signed_post(path, {"Digits": "*"})) == body(signed_post("/voice"))


def test_healthz_reports_the_menus_version_and_no_error(client):
    health = client.get("/healthz").get_json()
    assert set(health) == {"status", "menus_version", "loaded_at", "problems", "prompts"}
    assert health["status"] == "ok"
    assert health["problems"] == {"rejected_edit": 0, "seeds": 0}
    assert len(health["menus_version"]) == 12


@pytest.mark.parametrize("path", ["/voice", "/voice/step", "/voice/dial-done", "/voice/whisper"])
def test_wrong_methods_are_405(client, path):
    assert client.get(path).status_code == 405
    assert client.put(path).status_code == 405


def test_a_huge_body_is_413(signed_post):
    huge = {"Digits": "1", "x": "a" * 100_000}
    assert signed_post("/voice/step?m=main&l=fi", huge).status_code == 413


@pytest.fixture
def unsigned_client(settings):
    app = create_app(dataclasses.replace(settings, auth_token=None, allow_unsigned=True))
    return app.test_client()


@pytest.mark.parametrize(
    ("content_type", "data"),
    [
        ("application/json", json.dumps({"Digits": "1"})),
        ("text/plain", "Digits=1"),
        ("multipart/form-data; boundary=x", "--x--garbage"),
        ("application/x-www-form-urlencoded", "Digits=%ff%fe&&=&Digits=2"),
        ("application/x-www-form-urlencoded", b"\xff\xfe\x00"),
    ],
)
def test_non_form_content_gets_twiml_or_a_4xx(unsigned_client, content_type, data):
    response = unsigned_client.post("/voice/step?m=main&l=en", data=data, content_type=content_type)
    assert response.status_code == 200 or 400 <= response.status_code < 500
    if response.status_code == 200:
        assert response.get_data(as_text=True).startswith(HEAD + "<Response>")


def test_an_internal_error_apologises_in_the_callers_language(signed_post, monkeypatch):
    def broken(*args):
        raise RuntimeError("boom")

    monkeypatch.setattr(flow, "next_turn", broken)
    assert body(signed_post("/voice/step?m=main&l=en", {"Digits": "1"})) == (
        HEAD + f"<Response><Say {EN}>We are sorry, something went wrong. Putting you through "
        'to the info line.</Say><Dial callerId="+358931585000" timeout="30">+358295463177</Dial>'
        f"<Say {EN}>You can try again, or call 0 2 9, 5 4 6, 3 1 7 7 yourself.</Say>"
        "<Hangup /></Response>"
    )


def test_if_even_the_apology_fails_the_last_resort_is_sent(signed_post, monkeypatch):
    def broken(*args):
        raise RuntimeError("boom")

    monkeypatch.setattr(flow, "next_turn", broken)
    monkeypatch.setattr(twiml, "render_apology", broken)
    response = signed_post("/voice/step?m=main&l=en", {"Digits": "1"})
    assert body(response).startswith(
        HEAD + f"<Response><Say {FI}>Pahoittelemme, tapahtui virhe."
    )
    assert '<Dial timeout="30">+358295463177</Dial>' in response.get_data(as_text=True)


def test_a_rendered_prompt_plays_from_the_audio_route(settings, monkeypatch):
    from ivr.prompts.index import PromptIndex

    files = {("en", MAIN_EN): "en-main-0123.mp3"}
    monkeypatch.setattr(PromptIndex, "load", classmethod(lambda cls, *a, **k: cls(files, "v1")))
    unsigned = dataclasses.replace(settings, auth_token=None, allow_unsigned=True)
    client = create_app(unsigned).test_client()
    text = body(client.post("/voice/step?m=language", data={"Digits": "3"}))
    assert (f'numDigits="1" timeout="6"><Say {EN}>For the 24-hour info line, press 0. In an '
            f"emergency, call 1 1 2.</Say><Play>{PUBLIC_URL}/audio/en-main-0123.mp3</Play>") in text
    assert (f"en-main-0123.mp3</Play><Say {EN}>For legal advice, residence, undocumented "
            "people or returning home, press 2.") in text
    assert client.get("/healthz").get_json()["prompts"] == {"version": "v1", "count": 1}


def test_prompts_on_a_cdn_play_from_there(settings, monkeypatch):
    from ivr.prompts.index import PromptIndex

    files = {("en", MAIN_EN): "en-main-0123.mp3"}
    monkeypatch.setattr(PromptIndex, "load", classmethod(lambda cls, *a, **k: cls(files, "v1")))
    cdn = dataclasses.replace(settings, auth_token=None, allow_unsigned=True,
                              prompts_base_url="https://cdn.example/p/")
    text = body(create_app(cdn).test_client().post("/voice/step?m=language", data={"Digits": "3"}))
    assert "<Play>https://cdn.example/p/en-main-0123.mp3</Play>" in text


def test_emergency_forwarding_dials_112_only_when_switched_on(settings, menus_file):
    text = menus_file.read_text(encoding="utf-8")
    menus_file.write_text(
        text.replace("emergency_forwarding: false", "emergency_forwarding: true"), encoding="utf-8"
    )
    unsigned = dataclasses.replace(settings, auth_token=None, allow_unsigned=True)
    client = create_app(unsigned).test_client()
    assert body(client.post("/voice/step?m=main&l=en", data={"Digits": "9"})) == (
        HEAD + f"<Response><Say {EN}>If you are in danger, end this call now and dial the "
        "emergency number 1 1 2 from your own phone.</Say>"
        f'<Dial action="{PUBLIC_URL}/voice/dial-done?m=main&amp;l=en" method="POST" '
        'timeout="30"><Number>112</Number></Dial></Response>'
    )
