"""Only requests signed by Twilio for the public URL are answered; the rest get 403, empty."""

import dataclasses

import pytest
from twilio.request_validator import RequestValidator

from ivr.app import create_app
from ivr.web.factory import UnsafeSettings
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


OTHER = "https://other.example.org"


@pytest.mark.parametrize("hops", [0, 1, 2])
@pytest.mark.parametrize(
    ("signed_url", "headers"),
    [
        (OTHER + PATH, {"X-Forwarded-Host": "other.example.org", "Host": "other.example.org"}),
        ("http://ivr.example.org" + PATH, {"X-Forwarded-Proto": "http"}),
        (PUBLIC_URL + "/other" + PATH, {"X-Forwarded-Prefix": "/other"}),
        (PUBLIC_URL + ":8443" + PATH, {"X-Forwarded-Port": "8443"}),
        (PUBLIC_URL + "/other" + PATH, {"SCRIPT_NAME": "/other"}),
    ],
    ids=["other-host", "http", "other-prefix", "other-port", "script-name"],
)
def test_a_signature_for_another_webhook_is_refused_whatever_the_headers_say(
    settings, hops, signed_url, headers
):
    """Signed by Twilio, for the same account, but for another URL: never ours (issue 8.5)."""
    app = create_app(dataclasses.replace(settings, proxy_hops=hops))
    client = app.test_client()
    forged = {**headers, "X-Twilio-Signature": sign(signed_url, FORM)}
    assert forbidden(client.post(PATH, data=FORM, headers=forged))
    # The same headers with Twilio's signature for our own URL: answered, and the links of
    # the answer (cached for every caller) are still our own.
    ours = {**headers, "X-Twilio-Signature": sign(PUBLIC_URL + PATH, FORM)}
    response = client.post(PATH, data=FORM, headers=ours)
    assert response.status_code == 200
    assert f'action="{PUBLIC_URL}/voice/step?m=needs_safety' in response.get_data(as_text=True)


def test_a_prefix_from_the_wsgi_server_changes_neither_the_check_nor_the_links(settings):
    client = create_app(settings).test_client()
    prefixed = {"X-Twilio-Signature": sign(PUBLIC_URL + "/other" + PATH, FORM)}
    assert forbidden(client.post(PATH, data=FORM, headers=prefixed,
                                 environ_overrides={"SCRIPT_NAME": "/other"}))
    ours = {"X-Twilio-Signature": sign(PUBLIC_URL + PATH, FORM)}
    response = client.post(PATH, data=FORM, headers=ours,
                           environ_overrides={"SCRIPT_NAME": "/other"})
    assert f'action="{PUBLIC_URL}/voice/step?m=needs_safety' in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"auth_token": None},
         "TWILIO_AUTH_TOKEN is not set, so anyone could drive calls: set it, or set "
         "IVR_ALLOW_UNSIGNED=1 for local development only"),
        ({"public_base_url": None},
         "IVR_PUBLIC_URL is not set: signatures must be checked against the URL Twilio calls, "
         "not one a client names; set it, e.g. IVR_PUBLIC_URL=https://ivr.example.org"),
        ({"public_base_url": "ivr.example.org"},
         "IVR_PUBLIC_URL='ivr.example.org' is not the URL Twilio calls; give scheme and host "
         "(and a path prefix if any), e.g. https://ivr.example.org"),
        ({"public_base_url": "https://ivr.example.org/?x=1"},
         "IVR_PUBLIC_URL='https://ivr.example.org/?x=1' is not the URL Twilio calls; give "
         "scheme and host (and a path prefix if any), e.g. https://ivr.example.org"),
    ],
    ids=["no-token", "no-public-url", "no-scheme", "query"],
)
def test_the_app_refuses_to_serve_unsafe_settings(settings, changes, reason):
    with pytest.raises(UnsafeSettings) as refused:
        create_app(dataclasses.replace(settings, **changes))
    assert str(refused.value) == reason


def test_without_a_token_only_the_development_switch_answers_unsigned(settings):
    app = create_app(dataclasses.replace(settings, auth_token=None, allow_unsigned=True))
    assert app.test_client().post(PATH, data=FORM).status_code == 200


def test_the_development_switch_does_not_turn_signatures_off(settings):
    app = create_app(dataclasses.replace(settings, allow_unsigned=True))
    assert forbidden(app.test_client().post(PATH, data=FORM))


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


def test_a_signed_request_without_a_query_string_is_answered(client):
    headers = {"X-Twilio-Signature": sign(PUBLIC_URL + "/voice", CALL_FIELDS)}
    assert client.post("/voice", data=CALL_FIELDS, headers=headers).status_code == 200
