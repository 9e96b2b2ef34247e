"""The webhook's Prometheus metrics in one process (issue 20 item 1): what each step, flush
and text message adds, the gauges of the live menus, and that no label names a caller.
tests/test_metrics_gunicorn.py scrapes them from a real gunicorn."""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import shutil
import socket
import urllib.request

import pytest
import requests
import yaml
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families
from twilio.http import HttpClient
from twilio.http.response import Response

from ivr.app import create_app
from ivr.app import twin_maker
from ivr.core import flow
from ivr.settings import Settings
from ivr.settings import SettingsError
from ivr.web.factory import create_webhook_app
from ivr.web.metrics import NoMetrics
from ivr.web.sms import TextSender
from tests.conftest import CALL_FIELDS
from tests.conftest import CALLER
from tests.conftest import EDIT_EN
from tests.conftest import PUBLIC_URL
from tests.conftest import ROOT
from tests.conftest import saved
from tests.conftest import sign
from tests.gunicornproc import free_port
from tests.promptfakes import wav

STEP = "/voice/step?m=main&l=en"
REQUESTS = "ivr_webhook_request_duration_seconds"
CALL_SID = CALL_FIELDS["CallSid"]


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Each sample of a scrape, parsed by Prometheus's own parser: (name, labels) -> value."""
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def scrape(app) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return samples(generate_latest(app.extensions["ivr"].metrics.registry).decode())


def value(scraped, name: str, **labels: str) -> float:
    return scraped[name, tuple(sorted(labels.items()))]


@pytest.fixture
def metered(settings, tmp_path):
    """The webhook app with metrics kept (its own registry; nothing listens)."""
    kept = dataclasses.replace(settings, metrics_address=("127.0.0.1", free_port()),
                               stats_url=f"sqlite:///{tmp_path / 'stats.sqlite3'}")
    app = create_webhook_app(kept, None)
    yield app
    app.extensions["ivr"].metrics.close()


@pytest.fixture
def post(metered):
    client = metered.test_client()

    def post(path: str, data: dict[str, str] | None = None, signature: str | None = None,
             **kwargs):
        form = {**CALL_FIELDS, **(data or {})}
        headers = {"X-Twilio-Signature": signature or sign(PUBLIC_URL + path, form)}
        return client.post(path, data=form, headers=headers, **kwargs)

    return post


def test_steps_are_counted_by_endpoint_and_status_with_their_time_and_cache(metered, post):
    assert post("/voice").status_code == 200
    for _ in range(3):
        assert post(STEP, {"Digits": "1"}).status_code == 200
    assert post("/voice/dial-done?m=main&l=en", {"DialCallStatus": "busy"}).status_code == 200
    assert post(STEP, {"Digits": "1"}, signature="forged").status_code == 403
    client = metered.test_client()
    assert client.post(STEP, data=b"Digits=1", content_type="text/plain").status_code == 415
    assert client.get("/voice/whisper?l=en").status_code == 405
    scraped = scrape(metered)
    requests_by = {(dict(labels)["endpoint"], dict(labels)["code"]): n
                   for (name, labels), n in scraped.items()
                   if name == f"{REQUESTS}_count" and n}
    assert requests_by == {("voice", "200"): 1, ("step", "200"): 3, ("dial_done", "200"): 1,
                           ("step", "403"): 1, ("step", "415"): 1, ("whisper", "405"): 1}
    assert 0 < value(scraped, f"{REQUESTS}_sum", endpoint="step", code="200") < 3
    assert value(scraped, f"{REQUESTS}_bucket", endpoint="step", code="200", le="+Inf") == 3
    # The second and third identical steps are answered from the cache.
    assert value(scraped, "ivr_answer_cache_lookups_total", result="hit") == 2
    assert value(scraped, "ivr_answer_cache_lookups_total", result="miss") == 3
    assert value(scraped, "ivr_apologies_total") == 0


def test_an_internal_error_is_counted_as_an_apology(metered, post, monkeypatch):
    def broken(*args):
        raise RuntimeError("engine bug")

    monkeypatch.setattr(flow, "next_turn", broken)
    response = post(STEP, {"Digits": "1"})
    assert response.status_code == 200 and b"<Dial" in response.data
    scraped = scrape(metered)
    assert value(scraped, "ivr_apologies_total") == 1
    assert value(scraped, f"{REQUESTS}_count", endpoint="step", code="200") == 1


def test_statistics_flushes_are_counted_ok_and_failed(settings, tmp_path):
    good = create_webhook_app(dataclasses.replace(
        settings, metrics_address=("127.0.0.1", 1),
        stats_url=f"sqlite:///{tmp_path / 'stats.sqlite3'}"), None)
    # A folder that does not exist: the store cannot be opened, and the calls go on.
    down = create_webhook_app(dataclasses.replace(
        settings, metrics_address=("127.0.0.1", 1),
        stats_url=f"sqlite:///{tmp_path / 'gone' / 'stats.sqlite3'}"), None)
    # The flush at start-up (it migrates the store), and the flusher thread's if it woke.
    for app, ok, failed in ((good, True, False), (down, False, True)):
        scraped = scrape(app)
        assert (value(scraped, "ivr_stats_flushes_total", result="ok") >= 1) is ok
        assert (value(scraped, "ivr_stats_flushes_total", result="failed") >= 1) is failed
        app.extensions["ivr"].metrics.close()
    before = value(scrape(down), "ivr_stats_flushes_total", result="failed")
    assert down.extensions["ivr"].stats.flush() is False
    assert value(scrape(down), "ivr_stats_flushes_total", result="failed") > before


class FakeMessagesApi(HttpClient):
    """The twilio client's HTTP layer answering as the Messages API does, or failing."""

    def __init__(self, status: int = 201, fail: bool = False) -> None:
        super().__init__(logging.getLogger("tests.fake_twilio"), is_async=False)
        self.status, self.fail = status, fail

    def request(self, method, uri, params=None, data=None, headers=None, auth=None,
                timeout=None, allow_redirects=False):
        if self.fail:
            raise requests.ConnectionError("no route to api.twilio.com")
        if self.status >= 400:
            return Response(self.status, json.dumps({"code": 21610, "status": self.status,
                                                     "message": "unsubscribed"}))
        return Response(self.status, json.dumps({"sid": "SM" + "0" * 32, "status": "queued"}))


def test_text_messages_are_counted_by_what_became_of_them(settings):
    sender = TextSender("AC" + "0" * 32, "token", "+358931585000")
    app = create_webhook_app(dataclasses.replace(settings, metrics_address=("127.0.0.1", 1)),
                             sender)
    sms = app.extensions["ivr"].sms
    results = ("sent", "no_number", "refused", "unreachable")
    for to, api, result in ((CALLER, FakeMessagesApi(), "sent"),
                            ("Anonymous", FakeMessagesApi(), "no_number"),
                            (CALLER, FakeMessagesApi(status=400), "refused"),
                            (CALLER, FakeMessagesApi(fail=True), "unreachable")):
        before = scrape(app)
        sms.http_client = api
        assert sms.send(to, "Pakolaisneuvonta, 09 2313 9300") is (result == "sent")
        after = scrape(app)
        assert {r: value(after, "ivr_text_messages_total", result=r)
                - value(before, "ivr_text_messages_total", result=r) for r in results} == {
            r: (1 if r == result else 0) for r in results}, result
    app.extensions["ivr"].metrics.close()


def test_the_gauges_follow_the_live_menus_and_a_refused_edit(metered, menus_file):
    context = metered.extensions["ivr"]
    first = context.store.current().version
    scraped = scrape(metered)
    assert value(scraped, "ivr_menus_version_info", version=first) == 1
    assert value(scraped, "ivr_menus_edit_refused") == 0

    text = menus_file.read_text(encoding="utf-8")
    saved(menus_file, text.replace("goto: region", "goto: regoin", 1))
    context.metrics.observe(context.store, context.cache)  # what the watch thread does
    scraped = scrape(metered)
    assert value(scraped, "ivr_menus_edit_refused") == 1
    assert value(scraped, "ivr_menus_version_info", version=first) == 1

    saved(menus_file, text.replace(*EDIT_EN))
    context.metrics.observe(context.store, context.cache)
    second = context.store.current().version
    scraped = scrape(metered)
    assert second != first
    assert value(scraped, "ivr_menus_edit_refused") == 0
    assert value(scraped, "ivr_menus_version_info", version=second) == 1
    assert value(scraped, "ivr_menus_version_info", version=first) == 0


def test_the_gauges_follow_an_edit_with_no_call_coming_in(settings, menus_file):
    app = create_webhook_app(dataclasses.replace(settings, metrics_address=("127.0.0.1", 1),
                                                 reload_interval=0.05), None)
    saved(menus_file, menus_file.read_text(encoding="utf-8").replace("goto: region",
                                                                      "goto: regoin", 1))
    refused = 0.0
    for _ in range(100):  # the watch thread looks every half second at the most
        refused = value(scrape(app), "ivr_menus_edit_refused")
        if refused:
            break
        app.extensions["ivr"].metrics._stop.wait(0.05)
    app.extensions["ivr"].metrics.close()
    assert refused == 1


def test_a_seed_document_gone_from_under_the_live_menus_shows(settings):
    seeds = settings.menus_path.parent / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    app = create_webhook_app(dataclasses.replace(settings, metrics_address=("127.0.0.1", 1)),
                             None)
    context = app.extensions["ivr"]
    assert value(scrape(app), "ivr_menus_seeds_missing") == 0
    next(seeds.glob("*.txt")).unlink()
    context.metrics.observe(context.store, context.cache)
    assert value(scrape(app), "ivr_menus_seeds_missing") == 1
    context.metrics.close()


def test_prompt_files_listed_but_missing_or_unplayable_are_counted(settings):
    folder = settings.prompts_dir
    folder.mkdir()
    entries = {}
    for name, content in (("en-human-00000000000000000001.wav", wav(1.0)),
                          ("en-human-00000000000000000002.wav", None),
                          ("en-human-00000000000000000003.wav", b"")):
        entries[name] = {"lang": "en", "text": name, "engine": "human", "voice": {},
                         "seconds": 1.0}
        if content is not None:
            (folder / name).write_bytes(content)
    (folder / "manifest.json").write_text(json.dumps({"files": entries}))
    app = create_webhook_app(dataclasses.replace(settings, metrics_address=("127.0.0.1", 1)),
                             None)
    assert value(scrape(app), "ivr_prompt_files_missing") == 2
    app.extensions["ivr"].metrics.close()


def test_no_label_names_a_call_or_a_caller(metered, post):
    post("/voice")
    post(STEP, {"Digits": "1", "SpeechResult": "help me"})
    post("/voice/step?m=needs_safety&l=en&b=main&s=1", {"Digits": "7"})
    text = generate_latest(metered.extensions["ivr"].metrics.registry).decode()
    assert CALLER not in text and CALL_SID not in text and "m=main" not in text
    labels: dict[str, set[str]] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            for name, label in sample.labels.items():
                labels.setdefault(name, set()).add(label)
    assert set(labels) == {"endpoint", "code", "le", "result", "version"}
    assert labels["endpoint"] == {"voice", "step", "dial_done", "whisper"}
    assert labels["code"] == {"200"}  # a refusal's series exists once one was answered
    assert labels["version"] == {metered.extensions["ivr"].store.current().version}


def test_one_process_serves_its_metrics_on_their_own_address_only(settings):
    port = free_port()
    app = create_app(dataclasses.replace(settings, metrics_address=("127.0.0.1", port)))
    server = app.extensions["ivr_metrics_server"]
    try:
        form = {**CALL_FIELDS}
        app.test_client().post("/voice", data=form,
                               headers={"X-Twilio-Signature": sign(PUBLIC_URL + "/voice", form)})
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
            scraped = samples(response.read().decode())
        assert value(scraped, f"{REQUESTS}_count", endpoint="voice", code="200") == 1
        # The webhook's own address has no such page.
        assert app.test_client().get("/metrics").status_code == 404
    finally:
        server.shutdown()
        server.server_close()
        app.extensions["ivr"].metrics.close()


def test_an_address_in_use_is_logged_and_the_calls_go_on(settings, caplog):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        app = create_app(dataclasses.replace(settings, metrics_address=("127.0.0.1", port)))
    assert "ivr_metrics_server" not in app.extensions
    assert [r.getMessage() for r in caplog.records if r.name == "ivr.app"] == [
        f"metrics not served: cannot listen on IVR_METRICS_ADDRESS 127.0.0.1:{port} "
        "(Address already in use); the calls are answered all the same"]
    form = {**CALL_FIELDS}
    response = app.test_client().post(
        "/voice", data=form, headers={"X-Twilio-Signature": sign(PUBLIC_URL + "/voice", form)})
    assert response.status_code == 200
    app.extensions["ivr"].metrics.close()


def test_a_metric_that_fails_never_reaches_a_call(metered, post, monkeypatch, caplog):
    metrics = metered.extensions["ivr"].metrics

    def full_disk(*args):
        raise OSError(28, "No space left on device")

    for child in (metrics._miss, metrics._hit):
        monkeypatch.setattr(child, "inc", full_disk)
    for child in metrics._requests.values():
        monkeypatch.setattr(child, "observe", full_disk)
    for _ in range(2):
        response = post(STEP, {"Digits": "1"})
        assert response.status_code == 200 and b"<Gather" in response.data
    failures = [r for r in caplog.records if r.name == "ivr.web.metrics"]
    assert [r.getMessage() for r in failures] == [
        "metrics could not be kept; the calls go on, the metrics may be short from now on"]


def test_metrics_are_off_without_an_address_and_in_the_console_twin(settings):
    assert create_webhook_app(settings, None).extensions["ivr"].metrics.registry is None
    twin = twin_maker(dataclasses.replace(settings, metrics_address=("127.0.0.1", free_port())),
                      None)()
    assert isinstance(twin.extensions["ivr"].metrics, NoMetrics)


@pytest.mark.parametrize(("raw", "address"), [
    ("127.0.0.1:8001", ("127.0.0.1", 8001)),
    ("localhost:8001", ("127.0.0.1", 8001)),
    ("[::1]:8001", ("::1", 8001)),
    ("10.0.0.11:9101", ("10.0.0.11", 9101)),
])
def test_a_metrics_address_is_read(raw, address):
    assert Settings.from_env({"IVR_METRICS_ADDRESS": raw}).metrics_address == address


@pytest.mark.parametrize(("raw", "message"), [
    ("8001", "IVR_METRICS_ADDRESS='8001' is not an address and port such as 127.0.0.1:8001 "
             "(fix or unset IVR_METRICS_ADDRESS)"),
    ("metrics.example.org:8001", "IVR_METRICS_ADDRESS='metrics.example.org:8001' is not an "
     "address and port such as 127.0.0.1:8001 (fix or unset IVR_METRICS_ADDRESS)"),
    ("127.0.0.1:0", "IVR_METRICS_ADDRESS='127.0.0.1:0' is not an address and port such as "
                    "127.0.0.1:8001 (fix or unset IVR_METRICS_ADDRESS)"),
    ("0.0.0.0:8001", "IVR_METRICS_ADDRESS='0.0.0.0:8001' listens on every interface, the "
     "public one too: give 127.0.0.1:8001, or this host's private address with the port "
     "open to Prometheus only"),
    ("[::]:8001", "IVR_METRICS_ADDRESS='[::]:8001' listens on every interface, the public one "
     "too: give 127.0.0.1:8001, or this host's private address with the port open to "
     "Prometheus only"),
])
def test_a_metrics_address_that_cannot_be_used_is_refused_in_one_line(raw, message):
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({"IVR_METRICS_ADDRESS": raw})
    assert str(refused.value) == message


def test_the_deploy_guide_shows_every_metric_and_names_no_other(metered):
    guide = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    section = guide.split("\n## Metrics")[1].split("\n## ")[0]
    families = text_string_to_metric_families(
        generate_latest(metered.extensions["ivr"].metrics.registry).decode())
    # (One process also shows each counter's _created time: not under gunicorn.)
    exported = {f.name + ("_total" if f.type == "counter" else "") for f in families
                if not f.name.endswith("_created")}
    table = set(re.findall(r"^\| `(ivr_[a-z_]+)` \|", section, re.MULTILINE))
    assert table == exported
    samples = {name + suffix for name in exported for suffix in ("", "_bucket", "_count", "_sum")}
    assert set(re.findall(r"\bivr_[a-z_]+", section)) - samples == set()
    blocks = re.findall(r"```yaml\n(.*?)```", section, re.DOTALL)
    rules = yaml.safe_load(blocks[1])["groups"][0]["rules"]
    assert yaml.safe_load(blocks[0])["scrape_configs"][0]["job_name"] == "ivr-webhook"
    assert all(set(rule) <= {"alert", "expr", "for"} and rule["expr"] for rule in rules)
