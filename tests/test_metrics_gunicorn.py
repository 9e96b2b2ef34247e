"""The metrics and the JSON logs of a real gunicorn with the shipped gunicorn.conf.py (issue 20
items 1 and 2): two workers, signed calls, a scrape parsed by Prometheus's own parser, a
graceful restart of the workers, a refused edit; and the shipped nginx site, which reaches
no /metrics whatever the path says."""

from __future__ import annotations

import http.client
import http.server
import json
import os
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from prometheus_client.mmap_dict import MmapedDict
from prometheus_client.mmap_dict import mmap_key
from prometheus_client.parser import text_string_to_metric_families

from ivr.web.logformat import FIELDS
from tests import gunicornproc
from tests import multihost
from tests.conftest import AUTH_TOKEN
from tests.conftest import CALL_FIELDS
from tests.conftest import PUBLIC_URL
from tests.conftest import saved
from tests.conftest import sign

pytestmark = pytest.mark.slow
STEP = "/voice/step?m=main&l=en"
REQUESTS = "ivr_webhook_request_duration_seconds"


@dataclass
class Served:
    process: object
    port: int
    metrics_port: int
    folder: Path
    metrics_folder: Path

    def scrape(self) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
        url = f"http://127.0.0.1:{self.metrics_port}/metrics"
        with urllib.request.urlopen(url, timeout=5) as response:
            text = response.read().decode()
        return {(s.name, tuple(sorted(s.labels.items()))): s.value
                for family in text_string_to_metric_families(text) for s in family.samples}

    def workers(self) -> set[int]:
        pid = self.process.pid  # type: ignore[attr-defined]
        return {int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}


def value(scraped, name: str, **labels: str) -> float:
    return scraped.get((name, tuple(sorted(labels.items()))), 0.0)


def post(port: int, path: str, data: dict[str, str] | None = None) -> int:
    """A signed POST on a new connection, as Twilio makes each request."""
    form = {**CALL_FIELDS, **(data or {})}
    headers = {"X-Twilio-Signature": sign(PUBLIC_URL + path, form),
               "Content-Type": "application/x-www-form-urlencoded"}
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("POST", path, urllib.parse.urlencode(form), headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def leave_a_previous_runs_files(folder: Path) -> None:
    """What a server killed before it could clean up leaves: its counts must not be added."""
    folder.mkdir()
    old = MmapedDict(str(folder / "counter_999999.db"))
    old.write_value(mmap_key("ivr_answer_cache_lookups", "ivr_answer_cache_lookups_total",
                             ("result",), ("hit",), "old"), 1000.0, 0.0)
    old.close()
    (folder / "README").write_text("not prometheus-client's: left alone\n")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("metered")
    metrics_folder = folder / "metrics"
    leave_a_previous_runs_files(metrics_folder)
    port, metrics_port = gunicornproc.free_port(), gunicornproc.free_port()
    env = gunicornproc.webhook_env(
        folder, AUTH_TOKEN, PUBLIC_URL, IVR_METRICS_ADDRESS=f"127.0.0.1:{metrics_port}",
        PROMETHEUS_MULTIPROC_DIR=str(metrics_folder), IVR_LOG_FORMAT="json",
        IVR_STATS_FLUSH_SECONDS="0.2")
    process = gunicornproc.start(env, f"127.0.0.1:{port}", log=folder / "gunicorn.log")
    gunicornproc.wait_listening("127.0.0.1", port, process)
    gunicornproc.wait_listening("127.0.0.1", metrics_port, process)
    yield Served(process, port, metrics_port, folder, metrics_folder)
    gunicornproc.stop(process)


def wait_for(check, seconds: float = 10):
    deadline = time.monotonic() + seconds
    while not (result := check()) and time.monotonic() < deadline:
        time.sleep(0.1)
    return result


def test_two_workers_are_scraped_as_one_through_a_restart_and_a_refused_edit(served):
    assert post(served.port, "/voice") == 200
    assert [post(served.port, STEP, {"Digits": "1"}) for _ in range(5)] == [200] * 5
    health = json.loads(urllib.request.urlopen(
        f"http://127.0.0.1:{served.port}/healthz", timeout=5).read())
    scraped = served.scrape()
    assert value(scraped, f"{REQUESTS}_count", endpoint="voice", code="200") == 1
    assert value(scraped, f"{REQUESTS}_count", endpoint="step", code="200") == 5
    assert value(scraped, f"{REQUESTS}_bucket", endpoint="step", code="200", le="+Inf") == 5
    lookups = [value(scraped, "ivr_answer_cache_lookups_total", result=r)
               for r in ("hit", "miss")]
    # 6, not 1006: the previous run's file was removed at start (the README left alone).
    # Each worker works out a step once; which worker answers which request is gunicorn's.
    assert sum(lookups) == 6 and 2 <= lookups[1] <= 4
    assert sorted(p.name for p in served.metrics_folder.iterdir()
                  if not p.name.startswith(("counter_", "histogram_", "gauge_"))) == ["README"]
    assert not (served.metrics_folder / "counter_999999.db").exists()
    assert value(scraped, "ivr_menus_version_info", version=health["menus_version"]) == 1
    assert value(scraped, "ivr_menus_edit_refused") == 0
    assert wait_for(lambda: value(served.scrape(), "ivr_stats_flushes_total", result="ok") >= 2)

    # A graceful restart of every worker (systemctl reload): new processes, the counts
    # of the old ones kept, their live gauges gone.
    old = served.workers()
    os.kill(served.process.pid, signal.SIGHUP)  # type: ignore[attr-defined]
    assert wait_for(lambda: len(served.workers()) == 2 and not served.workers() & old)
    assert wait_for(lambda: post(served.port, STEP, {"Digits": "1"}) == 200)
    assert [post(served.port, STEP, {"Digits": "1"}) for _ in range(2)] == [200] * 2
    scraped = served.scrape()
    assert value(scraped, f"{REQUESTS}_count", endpoint="step", code="200") == 8
    assert value(scraped, "ivr_menus_version_info", version=health["menus_version"]) == 1
    assert [p.name for p in served.metrics_folder.glob("gauge_live*")
            if int(p.stem.rsplit("_", 1)[1]) in old] == []

    # An edit that cannot go live, while no call comes in: the gauge says so.
    menus = served.folder / "menus.yaml"
    saved(menus, menus.read_text(encoding="utf-8").replace("goto: region", "goto: regoin", 1))
    assert wait_for(lambda: value(served.scrape(), "ivr_menus_edit_refused") == 1)
    assert value(served.scrape(), "ivr_menus_version_info", version=health["menus_version"]) == 1
    # Not on the webhook's address, whatever is asked.
    assert urllib.request.urlopen(
        f"http://127.0.0.1:{served.port}/healthz", timeout=5).status == 200
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"http://127.0.0.1:{served.port}/metrics", timeout=5)
    assert missing.value.code == 404


def test_gunicorns_error_log_and_the_webhooks_are_json_lines(served):
    # A worker logs the menus' validate warnings a moment after gunicorn says it booted it.
    def started():
        log = (served.folder / "gunicorn.log").read_text(encoding="utf-8")
        return '"ivr.web.menustore"' in log and log.count("Booting worker") >= 2
    assert wait_for(started)
    lines = (served.folder / "gunicorn.log").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    assert {tuple(record) for record in records} <= {
        FIELDS[:5], FIELDS[:6]}, "fields are time, level, logger, process, message[, exception]"
    by_logger = {(r["logger"], r["level"]) for r in records}
    assert ("gunicorn.error", "INFO") in by_logger
    assert ("ivr.web.menustore", "WARNING") in by_logger  # a validate warning at start
    assert any(r["message"] == f"metrics served on http://127.0.0.1:{served.metrics_port}/metrics"
               for r in records)
    pids = {r["process"] for r in records if r["message"].startswith("Booting worker")}
    assert len(pids) >= 2


class Everything(http.server.BaseHTTPRequestHandler):
    """A webhook host that answers every path it is sent: what reaches it, nginx passed on."""

    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.seen.append(self.path)
        body = b"reached " + self.path.encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET  # noqa: N815

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.mark.skipif(not multihost.NGINX, reason="needs Debian's nginx (make test)")
def test_the_shipped_nginx_site_reaches_no_metrics_whatever_the_path(tmp_path):
    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Everything)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    host = multihost.Host("stub", "127.0.0.1", upstream.server_address[1])
    balancer = multihost.Balancer([host], tmp_path)
    balancer.start()
    try:
        def get(path: str) -> requests.Response:
            return requests.get(balancer.url + path, verify=str(balancer.cert), timeout=10)

        # It does pass the webhook's own paths on (the test can tell reached from not).
        assert get("/healthz").text == "reached /healthz"
        assert get("/audio/x.mp3").text == "reached /audio/x.mp3"
        for path in ("/metrics", "/metrics/", "//metrics", "/./metrics", "/METRICS",
                     "/voice/../metrics", "/audio/../metrics", "/audio/%2e%2e/metrics",
                     "/healthz/../metrics", "/%6detrics", "/console/../metrics",
                     "/metrics?name[]=ivr_apologies_total"):
            assert get(path).status_code == 404, path
        assert [seen for seen in Everything.seen if "etrics" in seen.lower()] == []
    finally:
        balancer.stop()
        upstream.shutdown()


def refused_start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [gunicornproc.GUNICORN, "-b", f"127.0.0.1:{gunicornproc.free_port()}", "app:app"]
    return subprocess.run(command, cwd=gunicornproc.ROOT, env=env, capture_output=True,
                          text=True, timeout=60)


def test_the_folder_made_for_the_metrics_is_removed_at_exit_and_on_a_refusal(tmp_path):
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = gunicornproc.webhook_env(tmp_path, AUTH_TOKEN, PUBLIC_URL, TMPDIR=str(temp),
                                   IVR_METRICS_ADDRESS=f"127.0.0.1:{gunicornproc.free_port()}")
    result = refused_start({**env, "TWILIO_AUTH_TOKEN": ""})
    assert result.returncode == 4, result.stderr
    assert list(temp.iterdir()) == []

    metrics_port = int(env["IVR_METRICS_ADDRESS"].rsplit(":", 1)[1])
    process = gunicornproc.start(env, f"127.0.0.1:{gunicornproc.free_port()}")
    try:
        gunicornproc.wait_listening("127.0.0.1", metrics_port, process)
        [made] = temp.iterdir()
        assert made.name.startswith("ivr-metrics-") and wait_for(lambda: any(made.iterdir()))
    finally:
        gunicornproc.stop(process)
    assert list(temp.iterdir()) == []


def test_a_metrics_folder_that_cannot_be_used_is_refused_in_one_line(tmp_path):
    taken = tmp_path / "metrics"
    taken.write_text("a file, not a folder\n")
    env = gunicornproc.webhook_env(tmp_path, AUTH_TOKEN, PUBLIC_URL,
                                   IVR_METRICS_ADDRESS=f"127.0.0.1:{gunicornproc.free_port()}",
                                   PROMETHEUS_MULTIPROC_DIR=str(taken))
    result = refused_start(env)
    assert result.returncode == 4
    assert [line for line in result.stderr.splitlines() if line.startswith("ivr:")] == [
        f"ivr: refusing to serve: PROMETHEUS_MULTIPROC_DIR={str(taken)!r} cannot hold the "
        "metrics (FileExistsError: File exists); give a folder only the server's user writes, "
        "or unset it"]
