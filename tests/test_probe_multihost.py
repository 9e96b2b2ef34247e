"""`ivr probe` through Debian's nginx (the shipped site) to two webhook hosts, as the timer
runs it: it passes while both answer right, and fails on every call once one host answers
wrong (it serves a menus.yaml whose wording differs). Bounded: a few calls, seconds."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner
from prometheus_client.parser import text_string_to_metric_families

from ivr.cli import cli
from tests import gunicornproc
from tests import multihost
from tests.conftest import AUTH_TOKEN
from tests.conftest import MAIN_LABEL_EN
from tests.conftest import ROOT
from tests.conftest import saved

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not multihost.NGINX, reason="needs Debian's nginx (make test)"),
]
PROBE = dict(re.findall(r'^(IVR_PROBE_[A-Z]+)="?(.*?)"?$',
                        (ROOT / "deploy" / "ivr.env.example").read_text(encoding="utf-8"),
                        flags=re.MULTILINE))
"""What the shipped environment file sets the probe to press and hear."""


@pytest.fixture(scope="module")
def line(tmp_path_factory):
    """Two hosts, each with its own copy of the menus (statistics off: not counted here)."""
    folder = tmp_path_factory.mktemp("probe-multihost")

    def env_for(host: multihost.Host, public_url: str) -> dict[str, str]:
        own = folder / host.name
        own.mkdir()
        return gunicornproc.webhook_env(own, AUTH_TOKEN, public_url, IVR_STATS_URL="off")

    with multihost.balanced_hosts(folder, env_for) as (balancer, hosts):
        yield balancer, hosts, folder


def probe_env(balancer: multihost.Balancer, metrics: Path) -> dict[str, str]:
    """ivr-probe.service's settings: the env file's, with this line's URL and files."""
    return {**PROBE, "TWILIO_AUTH_TOKEN": AUTH_TOKEN, "IVR_PUBLIC_URL": balancer.url,
            "IVR_MENUS": str(ROOT / "menus.yaml"), "IVR_PROBE_METRICS": str(metrics),
            "REQUESTS_CA_BUNDLE": str(balancer.cert)}


def versions(url: str) -> set[str]:
    return {requests.get(url + "/healthz", timeout=10).json()["menus_version"]
            for _ in range(4)}


def test_the_probe_passes_through_both_hosts(line, tmp_path, monkeypatch):
    balancer, hosts, _ = line
    start = len(balancer.log())
    metrics = tmp_path / "ivr_probe.prom"
    for name, value in probe_env(balancer, metrics).items():
        monkeypatch.setenv(name, value)
    result = CliRunner(mix_stderr=False).invoke(cli, ["probe"])
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.startswith(f"probe of {balancer.url}: answered as expected")
    multihost.wait_for_log(balancer, start + 8)
    assert {u for u in balancer.upstreams(start)} == {h.upstream for h in hosts}
    values = {s.name: s.value for f in text_string_to_metric_families(metrics.read_text())
              for s in f.samples}
    assert values["ivr_probe_success"] == 1


def test_a_host_answering_wrong_fails_the_probe_on_every_call(line, tmp_path, monkeypatch):
    balancer, hosts, folder = line
    copy = folder / hosts[0].name / "menus.yaml"
    original = copy.read_text(encoding="utf-8")
    wrong = original
    # What the probe must hear in the main menu and in the topic menu, said otherwise.
    for said, instead in ((f"en: {MAIN_LABEL_EN}\n", "en: help from a host answering wrong\n"),
                          ("en: safe housing\n", "en: housing from a host answering wrong\n")):
        assert wrong.count(said) == 1, said
        wrong = wrong.replace(said, instead)
    for name, value in probe_env(balancer, tmp_path / "ivr_probe.prom").items():
        monkeypatch.setenv(name, value)
    (before,) = versions(balancer.url)
    try:
        saved(copy, wrong)
        deadline = time.monotonic() + 20
        while len(versions(balancer.url)) < 2:
            assert time.monotonic() < deadline
            time.sleep(0.2)
        time.sleep(0.5)  # every worker of host A has reloaded (its interval is 0.2 s)
        missing = []
        for _ in range(2):  # the second call's steps land on the other host of each pair
            requests.get(balancer.url + "/healthz", timeout=10)
            result = CliRunner(mix_stderr=False).invoke(cli, ["probe"])
            assert result.exit_code == 1, result.stdout
            found = re.fullmatch(rf"Error: probe of {re.escape(balancer.url)} failed: did not "
                                 r"hear '(.*)' \(the call: transferred to \+358295463177 "
                                 r"\(completed\)\)\n", result.stderr)
            assert found, result.stderr
            missing.append(found[1])
        # The main menu's words were missing once, the topic menu's the other time.
        assert sorted(missing) == sorted(PROBE["IVR_PROBE_EXPECT"].split("|"))
    finally:
        saved(copy, original)
        deadline = time.monotonic() + 20
        while versions(balancer.url) != {before}:
            assert time.monotonic() < deadline
            time.sleep(0.2)
