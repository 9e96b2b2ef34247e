"""Whole calls through Debian's nginx (the shipped site) to two webhook hosts, one killed.

Each host is a separate gunicorn (the shipped gunicorn.conf.py) in its own network
namespace; nginx balances them round robin, so consecutive steps of a call land on
different hosts, as they may on Twilio. Both count statistics into one PostgreSQL database
on this machine, reached through each namespace's link. Bounded: a few calls, a minute at
most.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import os
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from ivr.app import create_app
from ivr.cli import cli
from ivr.qa.httpclient import HttpCallClient
from ivr.qa.listener import listener_for
from ivr.qa.scenarios import app_menus
from ivr.qa.scenarios import simulation_app
from ivr.qa.simulator import DEFAULT_CALLED
from ivr.qa.simulator import DEFAULT_CALLER
from ivr.qa.simulator import Call
from ivr.qa.simulator import place_call
from ivr.settings import Settings
from ivr.stats.report import render_csv
from ivr.stats.report import report_data
from ivr.stats.store import StoreUnavailable
from tests import gunicornproc
from tests import multihost
from tests.conftest import AUTH_TOKEN
from tests.conftest import EDIT_EN
from tests.conftest import EDITED_EN
from tests.conftest import MAIN_EN
from tests.conftest import ROOT
from tests.conftest import saved
from tests.pgserver import new_database

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not multihost.NGINX, reason="needs Debian's nginx (make test)"),
]
# English, safe housing: the whole country's read-out, its next service, then the info line.
KEYS = ["3", "1", "1", "1", "0"]
# For the statistics: that call, the emergency key in English, and in Finnish help for
# undocumented people in Lahti (the whole country's read-out, the region, Lahti's), then the
# info line.
COUNTED = [KEYS, ["3", "9"], ["1", "2", "2", "2", "4", "0"]]
FLUSH_SECONDS = "0.5"
RELOAD_SETTLED = 0.5
"""Longer than the hosts' IVR_RELOAD_INTERVAL (0.2 s, tests/gunicornproc.py)."""


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("multihost")


@pytest.fixture(scope="module")
def hosts(folder):
    """Two webhook hosts; `host_env` below says what each one's environment holds."""
    made, spaces = multihost.make_hosts(2)
    yield made
    for host in made:
        host.stop()
    if spaces is not None:
        spaces.close()


@pytest.fixture(scope="module")
def statistics(hosts):
    """One PostgreSQL database for both hosts' statistics (its URL from this machine)."""
    with multihost.statistics_server(hosts) as server:
        yield new_database(server, "ivr_stats")


@pytest.fixture(scope="module")
def balancer(hosts, folder):
    balancer = multihost.Balancer(hosts, folder)
    yield balancer
    balancer.stop()


def host_env(folder: Path, host: multihost.Host, public_url: str, statistics: str
             ) -> dict[str, str]:
    """Each host's own environment: its own copy of the menus, the one public URL, the one
    statistics database (flushed often, so a report need not wait for a stop)."""
    own = folder / host.name
    own.mkdir(exist_ok=True)
    return gunicornproc.webhook_env(own, AUTH_TOKEN, public_url,
                                    IVR_STATS_URL=multihost.url_for(host, statistics),
                                    IVR_STATS_FLUSH_SECONDS=FLUSH_SECONDS)


@pytest.fixture(scope="module")
def running(hosts, balancer, folder, statistics):
    for host in hosts:
        host.start(host_env(folder, host, balancer.url, statistics), folder / f"{host.name}.log")
    for host in hosts:
        host.wait()
    balancer.start()
    return balancer


@pytest.fixture(autouse=True)
def _trust_the_test_certificate(monkeypatch, balancer):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(balancer.cert))
    monkeypatch.setenv("CURL_CA_BUNDLE", str(balancer.cert))


def remote_call(url: str) -> Call:
    menus = app_menus(simulation_app(ROOT / "menus.yaml"))
    client = HttpCallClient(AUTH_TOKEN, DEFAULT_CALLER, DEFAULT_CALLED)
    return Call(None, listener_for(menus), client=client, base_url=url)


def place_remote_calls(url: str, calls: list[list[str]]) -> None:
    for keys in calls:
        phone = remote_call(url)
        phone.start(url + "/voice")
        for key in keys:
            phone.press(key)
        assert phone.transcript.ending is not None, keys


def figures(table: str) -> Counter[tuple[str, ...]]:
    """Every count of a report in its CSV form (`ivr stats report --format csv`), by its
    figure, name, need, region and language; the period is no count."""
    rows = list(csv.reader(io.StringIO(table)))[1:]
    return Counter({tuple(row[:5]): int(row[5]) for row in rows if row[0] != "period"})


def in_process_figures(calls: list[list[str]], folder: Path) -> Counter[tuple[str, ...]]:
    """The counts of the same calls on one app with a store of its own."""
    url = f"sqlite:///{folder / 'one-host.sqlite3'}"
    app = create_app(Settings(menus_path=ROOT / "menus.yaml", stats_url=url,
                              allow_unsigned=True))
    for keys in calls:
        phone = place_call(app)
        phone.start()
        for key in keys:
            phone.press(key)
    assert app.extensions["ivr"].stats.flush()
    today = datetime.datetime.now(datetime.UTC).date()
    return figures(render_csv(report_data(url, today, today, 1)))


def today_figures(url: str) -> Counter[tuple[str, ...]]:
    today = datetime.datetime.now(datetime.UTC).date()
    return figures(render_csv(report_data(url, today, today, 1)))


def expected_transcript() -> dict[str, object]:
    """What the same keys give in-process, on one app: what every caller must hear."""
    phone = place_call(simulation_app(ROOT / "menus.yaml"))
    phone.start()
    for keys in KEYS:
        phone.press(keys)
    return phone.transcript.as_dict()


def test_the_shipped_site_passes_nginx_t(balancer):
    result = balancer.check()
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_consecutive_steps_of_a_call_land_on_different_hosts(running, hosts):
    start = len(running.log())
    phone = remote_call(running.url)
    phone.start(running.url + "/voice")
    for keys in KEYS:
        phone.press(keys)
    assert phone.transcript.as_dict() == expected_transcript()
    multihost.wait_for_log(running, start + 8)
    upstreams = running.upstreams(start)
    # /voice, five steps, the whisper, dial-done: round robin alternates every request.
    assert len(upstreams) == 8
    assert {u for u in upstreams} == {h.upstream for h in hosts}
    assert all(a != b for a, b in zip(upstreams, upstreams[1:], strict=False)), upstreams


def _readable(url: str) -> bool:
    try:
        today_figures(url)
    except StoreUnavailable:
        return False
    return True


def settled_figures(url: str) -> Counter[tuple[str, ...]]:
    """Today's figures once two reads a few flushes apart agree (earlier calls are in)."""
    deadline = time.monotonic() + 20
    # The hosts create the tables at their first flush, a moment after they answer.
    while not _readable(url):
        assert time.monotonic() < deadline, "no host created the statistics tables"
        time.sleep(0.2)
    last = today_figures(url)
    while True:
        time.sleep(float(FLUSH_SECONDS) * 3)
        now = today_figures(url)
        if now == last or time.monotonic() > deadline:
            return now
        last = now


def test_the_statistics_of_both_hosts_add_up_in_one_report(running, hosts, statistics,
                                                          folder):
    before = settled_figures(statistics)
    start = len(running.log())
    place_remote_calls(running.url, COUNTED)
    multihost.wait_for_log(running, start + 8 + 3 + 9)
    served = Counter(u for u in running.upstreams(start))
    assert set(served) == {h.upstream for h in hosts} and min(served.values()) >= 9, served
    expected = in_process_figures(COUNTED, folder)
    assert expected[("calls", "calls", "", "", "")] == 3
    assert expected[("languages", "fi", "", "", "fi")] == 1
    deadline = time.monotonic() + 20
    while (added := today_figures(statistics) - before) != expected:
        assert time.monotonic() < deadline, (added, expected)
        time.sleep(0.2)
    # The same figures from the command line, as an operator reads them.
    today = f"{datetime.datetime.now(datetime.UTC).date():%Y-%m-%d}"
    result = CliRunner().invoke(cli, ["stats", "report", "--store", statistics, "--from", today,
                                      "--to", today, "--min-count", "1", "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert figures(result.output) - before == expected


def live_versions(url: str, asks: int = 8) -> set[str]:
    """The menus versions /healthz reports over `asks` requests (round robin: both hosts)."""
    return {requests.get(url + "/healthz", timeout=10).json()["menus_version"]
            for _ in range(asks)}


def wait_for(url: str, wanted: Callable[[set[str]], bool]) -> set[str]:
    deadline = time.monotonic() + 20
    while not wanted(versions := live_versions(url)):
        assert time.monotonic() < deadline, versions
        time.sleep(0.2)
    return versions


def test_an_edit_that_reaches_one_host_first_leaves_every_call_whole(running, hosts, folder):
    """Each host serves its own copy of menus.yaml, and an edit is copied to one host, then
    the other (docs/deploy.md, "Publishing an edit"): calls meanwhile meet both versions."""
    copies = [folder / host.name / "menus.yaml" for host in hosts]
    original = copies[0].read_text(encoding="utf-8")
    edited = original.replace(*EDIT_EN)
    assert edited != original
    (before,) = wait_for(running.url, lambda versions: len(versions) == 1)
    try:
        saved(copies[0], edited)
        both = wait_for(running.url, lambda versions: len(versions) == 2)
        # Each worker reloads at its first request once its check interval (0.2 s) is
        # over: after this, every worker of host A answers in the new version.
        time.sleep(RELOAD_SETTLED)
        heard = []
        for parity in range(2):  # a request in between: the other host answers each step
            if parity:
                requests.get(running.url + "/healthz", timeout=10)
            phone = remote_call(running.url)
            phone.start(running.url + "/voice")
            for keys in KEYS:
                phone.press(keys)
            ending = phone.transcript.ending
            assert ending is not None and ending.kind == "transferred"
            heard.append(phone.transcript.as_dict())
        said = json.dumps(heard, ensure_ascii=False)
        assert EDITED_EN in said and MAIN_EN in said
        saved(copies[1], edited)
        (after,) = wait_for(running.url, lambda versions: len(versions) == 1)
        assert after != before and after in both
    finally:
        for copy in copies:
            saved(copy, original)
        wait_for(running.url, lambda versions: versions == {before})
        time.sleep(RELOAD_SETTLED)  # and no worker is left answering in the edited version


def test_calls_go_on_through_the_other_host_when_one_dies(running, hosts):
    calls = [remote_call(running.url) for _ in range(3)]
    for phone in calls:
        phone.start(running.url + "/voice")
        phone.press(KEYS[0])
    before = len(running.log())
    hosts[0].kill()
    for keys in KEYS[1:]:
        for phone in calls:
            phone.press(keys)
    late = remote_call(running.url)
    late.start(running.url + "/voice")
    for keys in KEYS:
        late.press(keys)
    expected = expected_transcript()
    for phone in [*calls, late]:
        assert phone.transcript.as_dict() == expected
    multihost.wait_for_log(running, before + 3 * 6 + 8)
    after = running.log()[before:]
    assert len(after) == 3 * 6 + 8
    assert all('" 200 ' in line for line in after), after
    # Every answer after the kill came from the surviving host; the step that met the dead
    # one first was sent again (nginx logs both: "502, 200", "dead, alive").
    upstreams = running.upstreams(before)
    assert {u.split(", ")[-1] for u in upstreams} == {hosts[1].upstream}
    assert f"{hosts[0].upstream}, {hosts[1].upstream}" in upstreams


def test_the_console_and_anything_else_are_not_public(running):
    for path in ("/console/", "/console/stats", "/playground", "/", "/healthz/details"):
        assert requests.get(running.url + path, timeout=10).status_code == 404


def test_forwarded_headers_from_a_client_are_overwritten(running):
    """A client's X-Forwarded-* cannot reach a host: the proxy sets or drops each one."""
    forged = {"X-Forwarded-Host": "other.example.org", "X-Forwarded-Prefix": "/other",
              "X-Forwarded-Proto": "http"}
    response = requests.post(running.url + "/voice", headers=forged, timeout=10)
    assert response.status_code == 403


def test_the_deploy_checks_pass_against_the_balanced_hosts(running, folder):
    env = {**os.environ, "TWILIO_AUTH_TOKEN": AUTH_TOKEN, "IVR_MENUS": str(ROOT / "menus.yaml"),
           "PATH": f"{Path(gunicornproc.GUNICORN).parent}:{os.environ['PATH']}"}
    result = subprocess.run([str(ROOT / "deploy" / "check-deploy"), running.url], env=env,
                            capture_output=True, text=True, timeout=120, cwd=folder)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-2:] == [
        f"{running.url}/healthz: ok",
        f"{running.url}: a signed test call was answered to the end",
    ]


def test_ivr_call_url_with_the_wrong_token_says_why(running, monkeypatch):
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "not-the-token")
    result = CliRunner().invoke(cli, ["call", "--url", running.url, "--keys", "3"])
    assert result.exit_code == 1
    assert "HTTP 403 from POST " + running.url + "/voice" in result.output
