"""Run-time settings of the web app, read from the environment (see README)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    menus_path: Path = ROOT / "menus.yaml"
    prompts_dir: Path = ROOT / "prompts"
    auth_token: str | None = None
    """Twilio auth token; when set every webhook request must be signed."""
    public_base_url: str | None = None
    """The URL Twilio calls, e.g. https://ivr.example.org; signatures are checked against it."""
    proxy_hops: int = 0
    """How many TLS-terminating proxies in front of the app to trust X-Forwarded-* from."""
    prompts_base_url: str | None = None
    """Serve prompt audio from this base URL (a CDN) instead of the app's /audio/."""
    allow_offline_prompts: bool = False
    """Play espeak (robotic) renders to callers; only for demos and the QA page."""
    playground: bool = False
    """Serve the QA keypad page at /playground."""
    playground_password: str | None = None
    caller_id: str | None = None
    """The number the info line sees on transfers; default: the helpline number called."""
    reload_interval: float = 2.0
    """Seconds between checks of menus.yaml and the prompts manifest for changes."""

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        return cls(
            menus_path=Path(env.get("IVR_MENUS", ROOT / "menus.yaml")),
            prompts_dir=Path(env.get("IVR_PROMPTS_DIR", ROOT / "prompts")),
            auth_token=env.get("TWILIO_AUTH_TOKEN") or None,
            public_base_url=env.get("IVR_PUBLIC_URL") or None,
            proxy_hops=int(env.get("IVR_PROXY_HOPS", "0") or 0),
            prompts_base_url=env.get("IVR_PROMPTS_URL") or None,
            allow_offline_prompts=_flag(env.get("IVR_ALLOW_OFFLINE_PROMPTS")),
            playground=_flag(env.get("IVR_PLAYGROUND")),
            playground_password=env.get("IVR_PLAYGROUND_PASSWORD") or None,
            caller_id=env.get("IVR_CALLER_ID") or None,
            reload_interval=float(env.get("IVR_RELOAD_INTERVAL", "2") or 2),
        )
