"""Only requests signed by Twilio for the public URL are answered; the rest get 403, empty."""

import dataclasses

import pytest
from twilio.request_validator import RequestValidator

from ivr.web import create_app
from tests.conftest import CALL_FIELDS
from tests.conftest import PUBLIC_URL
from tests.conftest import sign

PATH = "/voice/step?m=main&l=fi"
FORM = {**CALL_FIELDS, "Digits": "1"}


def test_twilios_published_test_vector_is_reproduced():
    params = {
        "CallSid": "CA1234567890ABCDE",
        "Caller": "+14158675309",
        "Digits": "1234",
        "From": "+14158675309",
        "To": "+18005551212",
    }
    url = "https://mycompany.com/myapp.php?foo=1&bar=2"
    expected = "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    assert RequestValidator("12345").compute_signature(url, params) == expected
    assert sign(url, params, token="12345") == expected


def forbidden(response):
    return response.status_code == 403 and response.data == b""


def test_a_correctly_signed_request_is_answered(client):
    headers = {"X-Twilio-Signature": sign(PUBLIC_URL + PATH, FORM)}
    response = client.post(PATH, data=FORM, headers=headers)
    assert response.status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Twilio-Signature": ""},
        {"X-Twilio-Signature": "RSOYDt4T1cUTdK1PDd93/VVr8B8="},
        {"X-Twilio-Signature": "not base64 at all \u00e4"},
        {"X-Twilio-Signature": sign(PUBLIC_URL + PATH, FORM, token="another-token")},
        {"X-Twilio-Signature": sign("http://ivr.example.org" + PATH, FORM)},
        {"X-Twilio-Signature": sign("https://evil.example.org" + PATH, FORM)},
        {"X-Twilio-Signature": sign(PUBLIC_URL + "/voice/step?m=main&l=sv", FORM)},
        {"X-Twilio-Signature": sign(PUBLIC_URL + PATH, {**FORM, "Digits": "9"})},
        {"X-Twilio-Signature": sign("http://localhost" + PATH, FORM)},
    ],
    ids=["missing", "empty", "forged", "junk", "other-token", "http", "other-host",
         "other-query", "other-digits", "internal-url"],
)
def test_forged_missing_and_wrong_url_signatures_are_refused(client, headers):
    assert forbidden(client.post(PATH, data=FORM, headers=headers))


@pytest.mark.parametrize("path", ["/voice", "/voice/dial-done?m=main&l=fi", "/voice/whisper?l=fi"])
def test_every_webhook_route_is_checked(client, path):
    assert forbidden(client.post(path, data=FORM))


def test_healthz_needs_no_signature(client):
    assert client.get("/healthz").status_code == 200


@pytest.fixture
def proxied_client(settings):
    """Behind one TLS proxy, with no public URL configured: X-Forwarded-* say what it is."""
    app = create_app(dataclasses.replace(settings, public_base_url=None, proxy_hops=1))
    return app.test_client()


FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "ivr.example.org"}


def test_behind_a_trusted_proxy_the_forwarded_url_is_checked(proxied_client):
    headers = {**FORWARDED, "X-Twilio-Signature": sign(PUBLIC_URL + PATH, FORM)}
    response = proxied_client.post(PATH, data=FORM, headers=headers)
    assert response.status_code == 200
    # The next step's URL is the public one too, so Twilio's next signature will match.
    assert f'action="{PUBLIC_URL}/voice/step?m=needs_safety' in response.get_data(as_text=True)


def test_forwarded_headers_are_ignored_without_trusted_hops(client, settings):
    app = create_app(dataclasses.replace(settings, public_base_url=None, proxy_hops=0))
    headers = {**FORWARDED, "X-Twilio-Signature": sign(PUBLIC_URL + PATH, FORM)}
    assert forbidden(app.test_client().post(PATH, data=FORM, headers=headers))


def test_without_a_token_nothing_is_checked(settings):
    app = create_app(dataclasses.replace(settings, auth_token=None))
    assert app.test_client().post(PATH, data=FORM).status_code == 200


@pytest.mark.parametrize("base", ["https://example.org/helpline", "https://example.org/ivr/X"])
def test_a_public_url_with_a_path_prefix_is_signed_and_linked_with_it(settings, base):
    app = create_app(dataclasses.replace(settings, public_base_url=base + "/"))
    headers = {"X-Twilio-Signature": sign(base + PATH, FORM)}
    response = app.test_client().post(PATH, data=FORM, headers=headers)
    assert response.status_code == 200
    assert f'action="{base}/voice/step?m=needs_safety' in response.get_data(as_text=True)
    headers = {"X-Twilio-Signature": sign(PUBLIC_URL + PATH, FORM)}
    assert forbidden(app.test_client().post(PATH, data=FORM, headers=headers))


def test_a_request_twilio_signed_over_the_url_with_port_443_is_answered(client):
    headers = {"X-Twilio-Signature": sign("https://ivr.example.org:443" + PATH, FORM)}
    assert client.post(PATH, data=FORM, headers=headers).status_code == 200


def test_a_signature_over_another_port_is_refused(client):
    headers = {"X-Twilio-Signature": sign("https://ivr.example.org:8443" + PATH, FORM)}
    assert forbidden(client.post(PATH, data=FORM, headers=headers))


def test_without_a_public_url_the_request_url_is_checked(settings):
    app = create_app(dataclasses.replace(settings, public_base_url=None))
    headers = {"X-Twilio-Signature": sign("http://localhost" + PATH, FORM)}
    assert app.test_client().post(PATH, data=FORM, headers=headers).status_code == 200


def test_a_signed_request_without_a_query_string_is_answered(client):
    headers = {"X-Twilio-Signature": sign(PUBLIC_URL + "/voice", CALL_FIELDS)}
    assert client.post("/voice", data=CALL_FIELDS, headers=headers).status_code == 200
