"""A bad edit published to two hosts behind Debian's nginx (the shipped site) and undone with
`ivr menus rollback` on each, as docs/deploy.md says: each host keeps its own history of what
went live there (two workers each, one line per change), the probe fails while the bad edit
is live and passes again after the rollback (issue 20 item 5). Bounded: seconds."""

import time
from collections.abc import Callable

import pytest
import requests
from click.testing import CliRunner

from ivr.cli import cli
from tests import gunicornproc
from tests import multihost
from tests.conftest import AUTH_TOKEN
from tests.conftest import EDIT_EN
from tests.conftest import saved
from tests.test_probe_multihost import probe_env

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not multihost.NGINX, reason="needs Debian's nginx (make test)"),
]
GOOD, BAD = (f"{text}\n" for text in EDIT_EN)
"""A line of the menus the probe (deploy/ivr.env.example) must hear, and an edit of it."""
SETTLED = 0.5
"""Longer than the hosts' IVR_RELOAD_INTERVAL (0.2 s): every worker has reloaded."""


@pytest.fixture
def line(tmp_path):
    """Two hosts, each with its own copy of the menus and seeds (statistics off)."""

    def env_for(host: multihost.Host, public_url: str) -> dict[str, str]:
        own = tmp_path / host.name
        own.mkdir()
        return gunicornproc.webhook_env(own, AUTH_TOKEN, public_url, IVR_STATS_URL="off")

    with multihost.balanced_hosts(tmp_path, env_for) as (balancer, hosts):
        yield balancer, [tmp_path / host.name / "menus.yaml" for host in hosts]


def serving(url: str, wanted: Callable[[set[str]], bool] = lambda found: len(found) == 1
            ) -> set[str]:
    """The versions /healthz reports over both hosts, once they are as `wanted`."""
    deadline = time.monotonic() + 20
    while True:
        found = {requests.get(url + "/healthz", timeout=10).json()["menus_version"]
                 for _ in range(4)}
        if wanted(found):
            time.sleep(SETTLED)
            return found
        assert time.monotonic() < deadline, found
        time.sleep(0.2)


def ivr(*args):
    return CliRunner(mix_stderr=False).invoke(cli, list(args))


def test_a_bad_edit_on_both_hosts_is_rolled_back_on_each(line, tmp_path, monkeypatch):
    balancer, copies = line
    for name, value in probe_env(balancer, tmp_path / "ivr_probe.prom").items():
        monkeypatch.setenv(name, value)
    (good,) = serving(balancer.url)
    original = copies[0].read_text(encoding="utf-8")
    assert original.count(GOOD) == 1
    for copy in copies:  # published as docs/deploy.md does: every host in one go
        saved(copy, original.replace(GOOD, BAD))
    (bad,) = serving(balancer.url, lambda found: len(found) == 1 and good not in found)
    assert bad != good
    assert ivr("probe").exit_code == 1  # the line no longer says what callers must hear

    for copy in copies:  # `ssh ivr@host ivr menus rollback ...`, one host after the other
        listed = ivr("menus", "history", "--menus", str(copy))
        assert [row.split()[0] for row in listed.stdout.splitlines()] == [bad, good]
        result = ivr("menus", "rollback", good[:6], "--menus", str(copy))
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith(f"{copy}: now version {good} (went live here ")
    serving(balancer.url, lambda found: found == {good})
    result = ivr("probe")
    assert (result.exit_code, result.stderr) == (0, "")

    for copy in copies:  # each host's own history, one line per change for its two workers
        index = (copy.with_name(".menus.yaml.history") / "index").read_text().splitlines()
        assert [row.split(" ")[1:] for row in index] == [
            [good, "start"], [bad, "reload"], [good, "reload"]]
