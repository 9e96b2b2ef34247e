"""Random states, digits and fields thrown at the webhook: never a 5xx, always TwiML or 4xx."""

import shutil
import urllib.parse
import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from ivr.app import create_app
from ivr.menus.loader import load_menus
from ivr.settings import Settings
from tests.conftest import AUTH_TOKEN
from tests.conftest import CALL_FIELDS
from tests.conftest import PUBLIC_URL
from tests.conftest import ROOT
from tests.conftest import sign

MENUS = load_menus(ROOT / "menus.yaml")
KNOWN = (
    ["language", "", "0", "-1", "99", "100", "a.b", "main.main"]
    + list(MENUS.menus) + list(MENUS.languages) + list(MENUS.needs) + list(MENUS.regions)
)
PATHS = ["/voice", "/voice/step", "/voice/dial-done", "/voice/whisper", "/healthz", "/nope"]
PARAMS = ["m", "l", "n", "r", "b", "s", "w", "x"]
FIELDS = ["Digits", "DialCallStatus", "SpeechResult", "From", "CallSid", "digits", ""]

values = st.one_of(st.sampled_from(KNOWN), st.text(max_size=30))
queries = st.dictionaries(st.sampled_from(PARAMS), values, max_size=7)
forms = st.dictionaries(
    st.one_of(st.sampled_from(FIELDS), st.text(max_size=10)),
    st.one_of(st.sampled_from(list("0123456789*#") + ["completed", "busy", ""]), st.text()),
    max_size=6,
)
FIXTURES = [HealthCheck.function_scoped_fixture]
requests = st.tuples(st.sampled_from(PATHS), queries, forms, st.sampled_from(["POST", "GET"]))


@pytest.fixture(scope="module")
def apps(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("fuzz")
    shutil.copyfile(ROOT / "menus.yaml", tmp / "menus.yaml")
    base = dict(menus_path=tmp / "menus.yaml", prompts_dir=tmp / "prompts", reload_interval=60)
    unsigned = create_app(Settings(**base, allow_unsigned=True)).test_client()
    signed = create_app(Settings(**base, auth_token=AUTH_TOKEN, public_base_url=PUBLIC_URL))
    return unsigned, signed.test_client()


def check(response):
    assert response.status_code < 500, response.data
    if response.status_code == 200 and response.mimetype == "text/xml":
        assert ET.fromstring(response.data).tag == "Response"
    elif response.status_code == 200:
        assert response.mimetype == "application/json"
    else:
        assert 400 <= response.status_code < 500


@settings(max_examples=300, deadline=None, suppress_health_check=FIXTURES)
@given(calls=st.lists(requests, min_size=1, max_size=5))
def test_random_requests_never_get_a_5xx(apps, calls):
    unsigned, signed = apps
    for path, query, form, method in calls:
        url = path + ("?" + urllib.parse.urlencode(query) if query else "")
        check(unsigned.open(url, method=method, data=form))
        headers = {"X-Twilio-Signature": sign(PUBLIC_URL + url, form)}
        check(signed.open(url, method=method, data=form, headers=headers))


@settings(max_examples=200, deadline=None, suppress_health_check=FIXTURES)
@given(query=queries, digits=st.text(max_size=4))
def test_any_state_and_digits_answer_with_a_gather_a_dial_or_a_hangup(apps, query, digits):
    _, signed = apps
    url = "/voice/step" + ("?" + urllib.parse.urlencode(query) if query else "")
    form = {**CALL_FIELDS, "Digits": digits}
    headers = {"X-Twilio-Signature": sign(PUBLIC_URL + url, form)}
    response = signed.post(url, data=form, headers=headers)
    assert response.status_code == 200
    tags = [verb.tag for verb in ET.fromstring(response.data)]
    # A menu listens; anything else says something (before a language is chosen, in every
    # language: several Says) and then transfers or hangs up. Nothing after the last verb.
    assert tags == ["Gather", "Redirect"] or (
        tags[-1] in ("Dial", "Hangup") and len(tags) > 1 and set(tags[:-1]) == {"Say"}), tags
