"""`ivr twilio configure|check`: the numbers' voice settings set and read back through the
twilio library's REST client, with a fake at its HTTP boundary that answers as the
IncomingPhoneNumbers API does; the fallback document fetched over real HTTPS."""

from __future__ import annotations

import json
import logging
import ssl
import threading
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer

import pytest
import requests
from click.testing import CliRunner
from twilio.http import HttpClient
from twilio.http.response import Response

from ivr.cli import cli
from tests import multihost

SID = "AC" + "0123456789abcdef" * 2
TOKEN = "number-test-token"
NUMBER = "+358931585000"
OTHER = "+358931585001"
PN = {NUMBER: "PN" + "1" * 32, OTHER: "PN" + "2" * 32}
API = f"https://api.twilio.com/2010-04-01/Accounts/{SID}/IncomingPhoneNumbers"
VOICE = "https://ivr.example.org/voice"
FORM_TO_JSON = {
    "VoiceUrl": "voice_url", "VoiceMethod": "voice_method",
    "VoiceFallbackUrl": "voice_fallback_url", "VoiceFallbackMethod": "voice_fallback_method",
    "StatusCallback": "status_callback", "VoiceApplicationSid": "voice_application_sid",
    "VoiceCallerIdLookup": "voice_caller_id_lookup",
}


def bought(number: str, **settings: object) -> dict[str, object]:
    """A number as Twilio lists it just after it was bought (its demo voice URL), changed by
    `settings`."""
    return {"account_sid": SID, "sid": PN[number], "phone_number": number,
            "friendly_name": number, "voice_url": "https://demo.twilio.com/welcome/voice/",
            "voice_method": "POST", "voice_fallback_url": "", "voice_fallback_method": "POST",
            "status_callback": "", "status_callback_method": "POST",
            "voice_application_sid": "", "voice_caller_id_lookup": False, "trunk_sid": None,
            "voice_receive_mode": "voice", "sms_url": "", "sms_method": "POST",
            "api_version": "2010-04-01", "capabilities": {"voice": True, "sms": True},
            "uri": f"/2010-04-01/Accounts/{SID}/IncomingPhoneNumbers/{PN[number]}.json",
            **settings}


class FakeTwilioApi(HttpClient):
    """The twilio client's HTTP layer, answering as IncomingPhoneNumbers does; no network."""

    def __init__(self, *numbers: dict[str, object], status: int = 200,
                 refuse_update: bool = False, down: bool = False) -> None:
        super().__init__(logging.getLogger("tests.fake_twilio"), is_async=False)
        self.numbers = {str(n["sid"]): dict(n) for n in numbers}
        self.status = status
        self.refuse_update = refuse_update
        self.down = down
        self.requests: list[dict[str, object]] = []

    def request(self, method, uri, params=None, data=None, headers=None, auth=None,
                timeout=None, allow_redirects=False):
        self.requests.append({"method": method, "uri": uri, "params": dict(params or {}),
                              "data": dict(data or {}), "auth": auth})
        if self.down:
            raise requests.ConnectionError("Failed to resolve 'api.twilio.com'")
        if self.status == 401:
            return Response(401, json.dumps({"code": 20003, "message": "Authenticate",
                                             "more_info": "https://www.twilio.com/docs/errors/20003",
                                             "status": 401}))
        if method == "GET":
            wanted = (params or {}).get("PhoneNumber", "")
            # The API matches a pattern: the number itself and longer ones beginning with it.
            listed = [n for n in self.numbers.values() if str(n["phone_number"]).startswith(wanted)]
            return Response(200, json.dumps({
                "incoming_phone_numbers": listed, "page": 0, "page_size": 50, "start": 0,
                "end": len(listed) - 1, "next_page_uri": None, "previous_page_uri": None,
                "uri": f"/2010-04-01/Accounts/{SID}/IncomingPhoneNumbers.json"}))
        if self.refuse_update:
            return Response(400, json.dumps({
                "code": 21502, "message": "Invalid callback url", "status": 400,
                "more_info": "https://www.twilio.com/docs/errors/21502"}))
        number = self.numbers[uri.rsplit("/", 1)[1].removesuffix(".json")]
        for form, value in (data or {}).items():
            number[FORM_TO_JSON[form]] = value == "true" if form == "VoiceCallerIdLookup" \
                else value
        return Response(200, json.dumps(number))

    def updates(self) -> list[dict[str, object]]:
        return [r for r in self.requests if r["method"] == "POST"]


class FallbackHost:
    """A static host on 127.0.0.1 over HTTPS, answering every POST as `answer` says."""

    def __init__(self, folder) -> None:
        cert, key = multihost.self_signed(folder)
        self.cert = cert
        self.answer = (200, "text/xml", fallback_document())
        host = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                status, kind, body = host.answer
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self.server.server_address[1]}/ivr-fallback.xml"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def fallback_document() -> bytes:
    result = CliRunner(mix_stderr=False).invoke(cli, ["fallback", "--caller-id", NUMBER])
    assert result.exit_code == 0, result.stderr
    return result.stdout.encode("utf-8")


@pytest.fixture(scope="module")
def static_host(tmp_path_factory):
    host = FallbackHost(tmp_path_factory.mktemp("fallback"))
    yield host
    host.server.shutdown()


@pytest.fixture
def env(monkeypatch, static_host):
    static_host.answer = (200, "text/xml", fallback_document())
    values = {"TWILIO_ACCOUNT_SID": SID, "TWILIO_AUTH_TOKEN": TOKEN,
              "IVR_TWILIO_NUMBERS": NUMBER, "IVR_PUBLIC_URL": "https://ivr.example.org",
              "IVR_FALLBACK_URL": static_host.url, "REQUESTS_CA_BUNDLE": str(static_host.cert)}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


def twilio(fake: FakeTwilioApi, *args: str):
    return CliRunner(mix_stderr=False).invoke(cli, ["twilio", *args],
                                              obj={"twilio_http_client": fake})


def listing(number: str = NUMBER) -> dict[str, object]:
    return {"method": "GET", "uri": f"{API}.json", "params": {"PhoneNumber": number},
            "data": {}, "auth": (SID, TOKEN)}


def test_configure_sends_exactly_the_settings_that_differ_then_nothing(env):
    fake = FakeTwilioApi(bought(NUMBER, voice_method="GET", voice_caller_id_lookup=True,
                                status_callback="https://old.example.org/status"))
    result = twilio(fake, "configure")
    assert result.exit_code == 0, result.stderr
    assert fake.requests == [listing(), {
        "method": "POST", "uri": f"{API}/{PN[NUMBER]}.json", "params": {},
        "data": {"VoiceUrl": VOICE, "VoiceMethod": "POST",
                 "VoiceFallbackUrl": env["IVR_FALLBACK_URL"], "StatusCallback": "",
                 "VoiceCallerIdLookup": "false"},
        "auth": (SID, TOKEN)}]
    assert result.stdout.splitlines() == [
        f"{NUMBER}: set 5 settings",
        "  VoiceUrl (A call comes in): 'https://demo.twilio.com/welcome/voice/' -> "
        f"'{VOICE}'",
        "  VoiceMethod (A call comes in, HTTP): 'GET' -> 'POST'",
        f"  VoiceFallbackUrl (Primary handler fails): empty -> '{env['IVR_FALLBACK_URL']}'",
        "  StatusCallback (Call status changes): 'https://old.example.org/status' -> empty",
        "  VoiceCallerIdLookup (Caller Name Lookup): on -> off",
    ]
    again = twilio(fake, "configure")
    assert again.exit_code == 0
    assert again.stdout == f"{NUMBER}: already as set here; nothing sent\n"
    assert fake.requests[2:] == [listing()]


def test_dry_run_prints_the_change_and_only_reads(env):
    fake = FakeTwilioApi(bought(NUMBER))
    result = twilio(fake, "configure", "--dry-run")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"{NUMBER}: would set 2 settings (--dry-run: nothing sent)",
        f"  VoiceUrl (A call comes in): 'https://demo.twilio.com/welcome/voice/' -> '{VOICE}'",
        f"  VoiceFallbackUrl (Primary handler fails): empty -> '{env['IVR_FALLBACK_URL']}'",
    ]
    assert fake.requests == [listing()]


def test_check_after_configure_says_all_is_as_set_and_where_the_fallback_is(env):
    fake = FakeTwilioApi(bought(NUMBER), bought(OTHER))
    env_numbers = f"{NUMBER}, {OTHER}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IVR_TWILIO_NUMBERS", env_numbers)
        assert twilio(fake, "configure").exit_code == 0
        assert len(fake.updates()) == 2
        result = twilio(fake, "check")
    assert result.exit_code == 0, result.stdout + result.stderr
    fallback = env["IVR_FALLBACK_URL"]
    assert result.stdout.splitlines() == [
        f"{NUMBER}: as set here (calls: POST {VOICE}; fallback: POST {fallback})",
        f"{OTHER}: as set here (calls: POST {VOICE}; fallback: POST {fallback})",
        f"fallback document {fallback}: TwiML, answered to POST, on 127.0.0.1, not on the "
        "webhook's host ivr.example.org",
    ]
    assert len(fake.updates()) == 2  # check only reads


def test_check_says_what_differs_and_a_fallback_on_the_webhooks_own_host(env):
    fake = FakeTwilioApi(bought(NUMBER, voice_url=VOICE,
                                voice_fallback_url="https://ivr.example.org/ivr-fallback.xml",
                                voice_application_sid="AP" + "3" * 32))
    result = twilio(fake, "check")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:5] == [
        f"{NUMBER}: differs from the settings here (`ivr twilio configure` sets it):",
        "  VoiceFallbackUrl (Primary handler fails): 'https://ivr.example.org/ivr-fallback.xml'"
        f", should be '{env['IVR_FALLBACK_URL']}'",
        f"  VoiceApplicationSid (Configure with: TwiML App): 'AP{'3' * 32}', should be empty",
        "  its fallback URL is on the webhook's own host ivr.example.org: an outage of the "
        "webhook would take the fallback down with it",
        f"fallback document {env['IVR_FALLBACK_URL']}: TwiML, answered to POST, on 127.0.0.1, "
        "not on the webhook's host ivr.example.org",
    ]
    assert fake.updates() == []


@pytest.mark.parametrize(("answer", "said"), [
    ((405, "text/html", b"<html>405 Not Allowed</html>"),
     "it answers a POST with HTTP 405, so Twilio would play its own error (serve it to POST: "
     "docs/deploy.md, \"The fallback document\")"),
    ((200, "text/plain", None),
     "it is served as 'text/plain', not text/xml (Twilio reads only XML as TwiML)"),
    ((200, "text/xml", b"<Response><Say>cut"),
     "it is not XML (no element found: line 1, column 18); upload the output of `ivr "
     "fallback` whole"),
])
def test_check_says_why_twilio_could_not_use_the_fallback_document(env, static_host, answer,
                                                                   said):
    fake = FakeTwilioApi(bought(NUMBER))
    assert twilio(fake, "configure").exit_code == 0
    status, kind, body = answer
    static_host.answer = (status, kind, body or fallback_document())
    result = twilio(fake, "check")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[-1] == f"fallback document {env['IVR_FALLBACK_URL']}: {said}"


REQUIRED = ["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "IVR_TWILIO_NUMBERS", "IVR_PUBLIC_URL",
            "IVR_FALLBACK_URL"]


@pytest.mark.parametrize("command", ["configure", "check"])
def test_every_missing_variable_is_one_line_and_nothing_is_sent(env, monkeypatch, command):
    for name in REQUIRED:
        monkeypatch.delenv(name)
    fake = FakeTwilioApi(bought(NUMBER))
    result = twilio(fake, command)
    assert result.exit_code == 1
    assert [line.split(" is not set (")[0] for line in result.stderr.splitlines()] == [
        f"Error: {name}" for name in REQUIRED]
    assert fake.requests == []


@pytest.mark.parametrize(("name", "value", "said"), [
    ("TWILIO_AUTH_TOKEN", "", "TWILIO_AUTH_TOKEN is not set (the account's auth token, the one "
     "the webhook checks signatures with)"),
    ("TWILIO_ACCOUNT_SID", "SK" + "0" * 32, f"TWILIO_ACCOUNT_SID='SK{'0' * 32}' is not an "
     "account SID (AC and 32 hex digits, from the Twilio console's home page)"),
    ("IVR_TWILIO_NUMBERS", "040 123 4567", "IVR_TWILIO_NUMBERS: '040 123 4567' is not a phone "
     "number in international form (+ and the country code, e.g. +358XXXXXXXXX)"),
    ("IVR_TWILIO_NUMBERS", " , ", "IVR_TWILIO_NUMBERS=',' holds no number (the helpline's "
     "Twilio number in international form, e.g. +358XXXXXXXXX)"),
    ("IVR_PUBLIC_URL", "http://ivr.example.org", "IVR_PUBLIC_URL='http://ivr.example.org' is "
     "not an https URL (the URL Twilio calls, as the webhook has it, e.g. "
     "https://ivr.example.org; Twilio needs https with a certificate it trusts)"),
    ("IVR_FALLBACK_URL", "https://IVR.example.org:8443/ivr-fallback.xml",
     "IVR_FALLBACK_URL='https://IVR.example.org:8443/ivr-fallback.xml' is on the webhook's own "
     "host ivr.example.org: an outage of the webhook would take it down too (host it "
     "elsewhere: docs/deploy.md, \"The fallback document\")"),
])
def test_a_bad_variable_is_one_line_naming_it_and_the_fix(env, monkeypatch, name, value, said):
    monkeypatch.setenv(name, value)
    fake = FakeTwilioApi(bought(NUMBER))
    result = twilio(fake, "configure")
    assert (result.exit_code, result.stderr) == (1, f"Error: {said}\n")
    assert fake.requests == []


def test_a_wrong_token_is_one_line(env):
    result = twilio(FakeTwilioApi(status=401), "configure")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: Twilio refused TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN (HTTP 401, error 20003): "
        "check both are the same account's, as the console shows them\n")


def test_only_the_number_itself_counts_not_a_longer_one_it_begins(env):
    fake = FakeTwilioApi(bought(OTHER, phone_number=NUMBER + "1"))
    result = twilio(fake, "check")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {NUMBER} is not a number of the account {SID} (check IVR_TWILIO_NUMBERS, and "
        "that TWILIO_ACCOUNT_SID is the account that owns it)\n")


def test_a_number_on_a_sip_trunk_is_left_alone(env):
    fake = FakeTwilioApi(bought(NUMBER, trunk_sid="TK" + "4" * 32))
    result = twilio(fake, "configure")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {NUMBER} is on the SIP trunk TK{'4' * 32}: Twilio sends its calls to the "
        "trunk, never to a voice URL (remove it from the trunk in the console, Elastic SIP "
        "Trunking > the trunk > Numbers)\n")
    assert fake.updates() == []


def test_a_refused_change_or_no_network_is_one_line(env):
    refused = FakeTwilioApi(bought(NUMBER), refuse_update=True)
    result = twilio(refused, "configure")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == ("Error: Twilio answered HTTP 400, error 21502: Unable to update "
                             "record: Invalid callback url\n")
    assert len(refused.updates()) == 1
    offline = twilio(FakeTwilioApi(down=True), "check")
    assert (offline.exit_code, offline.stdout) == (1, "")
    assert offline.stderr == (
        "Error: cannot reach the Twilio API (ConnectionError: Failed to resolve "
        "'api.twilio.com'); check the network and try again\n")
