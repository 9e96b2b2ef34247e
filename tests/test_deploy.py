"""The systemd unit and environment file in deploy/, as an operator installs them."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from ivr.settings import Settings
from ivr.web.factory import refusal
from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"
UNIT = DEPLOY / "ivr-webhook.service"


def unit_settings() -> dict[str, list[str]]:
    settings: dict[str, list[str]] = {}
    for line in UNIT.read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, value = line.split("=", 1)
            settings.setdefault(key, []).append(value)
    return settings


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="no systemd-analyze")
def test_the_unit_passes_systemd_analyze_verify(tmp_path):
    # Installed, /srv/ivr/app is the clone; here it is this one.
    unit = tmp_path / UNIT.name
    unit.write_text(UNIT.read_text(encoding="utf-8").replace("/srv/ivr/app", str(ROOT)),
                    encoding="utf-8")
    result = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_the_unit_runs_the_shipped_gunicorn_configuration_hardened():
    unit = unit_settings()
    (start,) = unit["ExecStart"]
    assert start.split()[1:] == ["--config", "/srv/ivr/app/gunicorn.conf.py",
                                 "--bind", "127.0.0.1:8000", "app:app"]
    assert unit["User"] == ["ivr"] and unit["NoNewPrivileges"] == ["yes"]
    assert unit["ProtectSystem"] == ["strict"] and unit["ReadWritePaths"] == ["/srv/ivr/data"]
    assert unit["CapabilityBoundingSet"] == [""]
    # gunicorn's exit status for settings the webhook refuses: no restart loop.
    assert unit["RestartPreventExitStatus"] == ["4"]


def test_the_unit_and_its_environment_file_make_settings_the_webhook_accepts():
    env = dict(re.findall(r"^([A-Z_]+)=(.*)$", (DEPLOY / "ivr.env.example").read_text(),
                          flags=re.MULTILINE))
    for value in unit_settings()["Environment"]:
        name, setting = value.split("=", 1)
        env[name] = setting
    documented = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    assert [name for name in env if f"`{name}`" not in documented] == []
    settings = Settings.from_env(env)
    assert refusal(settings) is None
    assert str(settings.menus_path) == "/srv/ivr/data/menus.yaml"
    del env["IVR_PUBLIC_URL"]
    assert refusal(Settings.from_env(env)) is not None


def test_every_setting_the_app_reads_is_in_the_deploy_guide():
    source = (ROOT / "ivr" / "settings.py").read_text(encoding="utf-8")
    names = sorted(set(re.findall(r'"((?:IVR|TWILIO)_[A-Z_]+)"', source)))
    table = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8").split("## Environment")[1]
    assert "IVR_ALLOW_UNSIGNED" in names
    assert [name for name in names if f"`{name}`" not in table] == []


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def clone(tmp_path):
    """A clone as docs/deploy.md sets one up: deploy/ and the .venv of make, with an
    operator's data folder beside it."""
    (tmp_path / "app" / "deploy").mkdir(parents=True)
    shutil.copy2(DEPLOY / "check-deploy", tmp_path / "app" / "deploy" / "check-deploy")
    data = tmp_path / "data"
    data.mkdir()
    shutil.copyfile(ROOT / "menus.yaml", data / "menus.yaml")
    shutil.copytree(ROOT / "seeds", data / "seeds")
    return tmp_path


def check_deploy(clone, url):
    # As docs/deploy.md shows it: from a shell whose PATH has no venv (issue 23 item 10).
    env = {"PATH": "/usr/bin:/bin", "TWILIO_AUTH_TOKEN": "token",
           "IVR_MENUS": str(clone / "data" / "menus.yaml")}
    return subprocess.run([str(clone / "app" / "deploy" / "check-deploy"), url], env=env,
                          cwd=clone, capture_output=True, text=True, timeout=120)


def test_check_deploy_runs_the_ivr_of_its_clone_without_the_venv_on_path(clone):
    venv = clone / "app" / ".venv" / "bin"
    venv.mkdir(parents=True)
    (venv / "ivr").symlink_to(Path(sys.executable).parent / "ivr")
    url = f"http://127.0.0.1:{_closed_port()}"
    result = check_deploy(clone, url)
    assert result.returncode == 1
    assert result.stdout.splitlines()[-1].startswith(f"{clone}/data/menus.yaml: ok (")
    assert result.stderr.splitlines()[-1] == f"check-deploy: {url}/healthz is not ok"


def test_check_deploy_without_any_ivr_says_how_to_make_one(clone):
    result = check_deploy(clone, "https://ivr.example.org")
    assert (result.returncode, result.stdout, result.stderr) == (
        1, "", f"check-deploy: no ivr in {clone}/app/.venv/bin or on PATH (run make python "
               f".venv/.runtime in {clone}/app)\n")
