"""The systemd unit and environment file in deploy/, as an operator installs them."""

from __future__ import annotations

import re
import shutil
import subprocess

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
