"""`ivr probe`: a whole signed call over HTTP to a running webhook, judged; its Prometheus
textfile; the systemd service and timer that run it (deploy/)."""

from __future__ import annotations

import re
import shutil
import subprocess
import threading

import pytest
from click.testing import CliRunner
from prometheus_client.parser import text_string_to_metric_families
from werkzeug.serving import make_server

from ivr.app import create_app
from ivr.cli import cli
from ivr.qa.scenarios import simulation_app
from ivr.qa.simulator import place_call
from ivr.settings import Settings
from tests.conftest import AUTH_TOKEN
from tests.conftest import ROOT
from tests.gunicornproc import free_port

DEPLOY = ROOT / "deploy"
KEYS = "3,1,1,1,0"
"""English, safe housing: the whole country's read-out, its next service, then the info
line."""


@pytest.fixture(scope="module")
def heard() -> dict[str, str]:
    """What the shipped menus say first in each menu on KEYS (in-process): words to expect."""
    phone = place_call(simulation_app(ROOT / "menus.yaml"))
    phone.start()
    for key in KEYS.split(","):
        phone.press(key)
    said: dict[str, str] = {}
    for event in phone.transcript.events:
        if event.kind == "heard":
            said.setdefault(event.menu, event.text or "")
    return said


@pytest.fixture(scope="module")
def line(tmp_path_factory):
    """The webhook on the shipped menus, served over HTTP on 127.0.0.1 and signed."""
    folder = tmp_path_factory.mktemp("line")
    shutil.copyfile(ROOT / "menus.yaml", folder / "menus.yaml")
    shutil.copytree(ROOT / "seeds", folder / "seeds")
    url = f"http://127.0.0.1:{free_port()}"
    app = create_app(Settings(menus_path=folder / "menus.yaml", auth_token=AUTH_TOKEN,
                              public_base_url=url, stats_url=None))
    server = make_server("127.0.0.1", int(url.rsplit(":", 1)[1]), app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture
def env(monkeypatch):
    for name in ("IVR_PROBE_URL", "IVR_PROBE_KEYS", "IVR_PROBE_EXPECT", "IVR_PROBE_METRICS",
                 "IVR_PUBLIC_URL", "IVR_MENUS", "IVR_PROMPTS_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", AUTH_TOKEN)
    monkeypatch.chdir(ROOT)


def probe(*args: str, **env: str):
    return CliRunner(mix_stderr=False).invoke(cli, ["probe", *args], env=env or None)


def samples(path) -> dict[str, float]:
    """The file as node_exporter's textfile collector reads it (the Prometheus parser)."""
    text = path.read_text(encoding="utf-8")
    return {s.name: s.value for f in text_string_to_metric_families(text) for s in f.samples}


def test_a_line_answering_as_expected_passes_and_its_success_is_recorded(env, line, tmp_path,
                                                                         heard):
    metrics = tmp_path / "ivr_probe.prom"
    result = probe("--url", line, "--keys", KEYS, "--expect", heard["main"][:40],
                   "--expect", heard["services"][-60:], "--metrics", str(metrics))
    assert result.exit_code == 0, result.stderr
    assert re.fullmatch(rf"probe of {line}: answered as expected \(keys {KEYS}, \d+\.\d s\)\n",
                        result.stdout)
    assert result.stderr == ""
    got = samples(metrics)
    assert set(got) == {"ivr_probe_success", "ivr_probe_duration_seconds",
                        "ivr_probe_last_run_timestamp_seconds",
                        "ivr_probe_last_success_timestamp_seconds"}
    assert got["ivr_probe_success"] == 1
    assert got["ivr_probe_last_success_timestamp_seconds"] == got[
        "ivr_probe_last_run_timestamp_seconds"] > 1.7e9
    assert [p.name for p in tmp_path.iterdir()] == ["ivr_probe.prom"]  # no temp file left


def test_words_not_heard_fail_in_one_line_and_the_last_success_is_kept(env, line, tmp_path,
                                                                        heard):
    metrics = tmp_path / "ivr_probe.prom"
    assert probe("--url", line, "--keys", KEYS, "--metrics", str(metrics)).exit_code == 0
    succeeded = samples(metrics)["ivr_probe_last_success_timestamp_seconds"]
    result = probe("--url", line, "--keys", KEYS, "--expect", heard["main"][:40],
                   "--expect", "Main menu, answered wrong", "--metrics", str(metrics))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: probe of {line} failed: did not hear 'Main menu, answered wrong' (the call: "
        "transferred to +358295463177 (completed))\n")
    got = samples(metrics)
    assert got["ivr_probe_success"] == 0
    assert got["ivr_probe_last_success_timestamp_seconds"] == succeeded
    assert got["ivr_probe_last_run_timestamp_seconds"] > succeeded


def test_a_line_that_is_down_fails_in_one_line_and_never_succeeded(env, tmp_path):
    url = f"http://127.0.0.1:{free_port()}"
    metrics = tmp_path / "ivr_probe.prom"
    metrics.write_text("half a file, cut {\n", encoding="utf-8")
    result = probe("--url", url, "--keys", KEYS, "--metrics", str(metrics))
    assert result.exit_code == 1
    assert result.stderr == (f"Error: probe of {url} failed: no answer from {url}/voice "
                             "(ConnectionError: Connection refused)\n")
    got = samples(metrics)
    assert (got["ivr_probe_success"], got["ivr_probe_last_success_timestamp_seconds"]) == (0, 0)


def test_a_refused_signature_says_which_settings_differ(env, line, monkeypatch):
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", "not-the-token")
    result = probe("--url", line, "--keys", KEYS)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"Error: probe of {line} failed: error in start: HTTP 403 from POST {line}/voice (the "
        "server refused the signature: TWILIO_AUTH_TOKEN here and there, or its IVR_PUBLIC_URL "
        "and the URL called, differ)\n")


def test_a_call_that_ends_before_its_keys_fails(env, line):
    result = probe("--url", line, "--keys", "9,1")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: probe of {line} failed: the call ended before the keys 1: told to dial the "
        "emergency number, then hung up (in language)\n")


def test_the_shipped_environment_file_sets_a_probe_the_shipped_menus_pass(env, line, tmp_path):
    """deploy/ivr.env.example's IVR_PROBE_* as systemd reads them (the URL is the test's)."""
    settings = dict(re.findall(r'^(IVR_PROBE_[A-Z]+)="?(.*?)"?$',
                               (DEPLOY / "ivr.env.example").read_text(encoding="utf-8"),
                               flags=re.MULTILINE))
    assert set(settings) == {"IVR_PROBE_KEYS", "IVR_PROBE_EXPECT"}
    assert len(settings["IVR_PROBE_EXPECT"].split("|")) >= 2
    metrics = tmp_path / "ivr_probe.prom"
    result = probe(**settings, IVR_PUBLIC_URL=line, IVR_PROBE_METRICS=str(metrics))
    assert result.exit_code == 0, result.stderr
    assert samples(metrics)["ivr_probe_success"] == 1
    wrong = probe(**dict(settings, IVR_PROBE_EXPECT=settings["IVR_PROBE_EXPECT"] + "|not said"),
                  IVR_PUBLIC_URL=line)
    assert "did not hear 'not said'" in wrong.stderr


def test_a_metrics_file_that_cannot_be_written_is_one_line(env, line, tmp_path):
    metrics = tmp_path / "missing" / "ivr_probe.prom"
    result = probe("--url", line, "--keys", "3", "--metrics", str(metrics))
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {metrics}: cannot write it (No such file or directory; "
                             "check the folder exists and is writable)\n")


def test_without_a_url_it_says_where_to_set_one(env):
    result = probe("--keys", KEYS)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: no URL to call: give --url, or set IVR_PROBE_URL or IVR_PUBLIC_URL")


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="no systemd-analyze")
def test_the_probe_units_pass_systemd_analyze_verify(tmp_path):
    # Installed, /srv/ivr/app is the clone; here it is this one.
    for name in ("ivr-probe.service", "ivr-probe.timer"):
        text = (DEPLOY / name).read_text(encoding="utf-8")
        (tmp_path / name).write_text(text.replace("/srv/ivr/app", str(ROOT)), encoding="utf-8")
    result = subprocess.run(["systemd-analyze", "verify", str(tmp_path / "ivr-probe.service"),
                             str(tmp_path / "ivr-probe.timer")],
                            capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr) == (0, "")


def test_the_service_runs_the_probe_on_the_webhooks_menus_every_five_minutes():
    service = (DEPLOY / "ivr-probe.service").read_text(encoding="utf-8")
    timer = (DEPLOY / "ivr-probe.timer").read_text(encoding="utf-8")
    webhook = (DEPLOY / "ivr-webhook.service").read_text(encoding="utf-8")
    assert "\nExecStart=/srv/ivr/app/.venv/bin/ivr probe\n" in service
    for line in ("EnvironmentFile=/etc/ivr/ivr.env", "Environment=IVR_MENUS=",
                 "Environment=IVR_PROMPTS_DIR=", "User=", "ProtectSystem=strict"):
        (same,) = [x for x in webhook.splitlines() if x.startswith(line)]
        assert f"\n{same}\n" in service
    assert "\nOnCalendar=*:0/5\n" in timer and "\nType=oneshot\n" in service
