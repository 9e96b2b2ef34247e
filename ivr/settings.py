"""Run-time settings, read from the environment (docs/deploy.md lists every variable).

Defaults are relative to the current folder, never to where the package is installed: an
operator runs `ivr ...` in the folder that holds menus.yaml (and seeds/, prompts/, flows/).
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Callable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import NoReturn
from typing import TypeVar

T = TypeVar("T")
DEFAULT_MENUS = Path("menus.yaml")
STATS_FILE = "stats.sqlite3"
STATS_SPOOL = ".stats-spool"
MIN_CONSOLE_PASSWORD = 12
"""Characters a console password must have at least: one character was once accepted, and
basic auth has no second factor (issue 22 item 12; docs/console.md)."""
FLAG_WORDS = {"1": True, "true": True, "yes": True, "on": True,
              "0": False, "false": False, "no": False, "off": False, "": False}


class SettingsError(ValueError):
    """An environment variable whose value cannot be used; the message names it and the fix."""


@dataclass(frozen=True)
class Settings:
    menus_path: Path = DEFAULT_MENUS
    prompts_dir: Path = field(default=Path())
    """Rendered audio and its manifest; default: prompts/ beside the menus file."""
    auth_token: str | None = None
    """Twilio auth token; when set every webhook request must be signed."""
    public_base_url: str | None = None
    """The URL Twilio calls, e.g. https://ivr.example.org; required with a token."""
    proxy_hops: int = 0
    """How many proxies to trust X-Forwarded-For/-Proto from (never for the URL signed)."""
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
    console_password: str | None = None
    """Serve the operator console at /console/, behind HTTP basic auth with this password."""
    console_user: str = "operator"
    """The console's basic-auth user name."""
    stats_url: str | None = None
    """SQLAlchemy URL of the anonymous statistics store (docs/statistics.md); None: no
    counting. From the environment the default is stats.sqlite3 beside the menus file."""
    keep_history: bool = True
    """Keep each version of menus.yaml that goes live (ivr menus history); a simulated call
    (ivr call, flows, the console's and the QA page's twin) serves no one and keeps none."""
    stats_flush_seconds: float = 30.0
    """How often each worker adds its counts to the store: a crashed worker loses at most
    this many seconds of counts; a normal stop loses none."""
    stats_spool: Path | None = field(default=Path())
    """Where a worker keeps the counts a failed flush put back, so that a worker killed
    while the store is down loses no more than when it is up; default: .stats-spool/
    beside the menus file; None: in memory only (docs/statistics.md)."""
    allow_unsigned: bool = False
    """Answer unsigned requests when there is no auth token: local development only."""
    metrics_address: tuple[str, int] | None = None
    """Where the Prometheus metrics are served, (host, port); None: no metrics are kept."""
    log_format: str = "text"
    """"json": one JSON object per log line (docs/deploy.md lists the fields)."""

    def __post_init__(self) -> None:
        if self.prompts_dir == Path():
            object.__setattr__(self, "prompts_dir", self.menus_path.parent / "prompts")
        if self.stats_spool == Path():
            object.__setattr__(self, "stats_spool", Path(self.menus_path).parent / STATS_SPOOL)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Settings from IVR_* and TWILIO_AUTH_TOKEN; SettingsError names a bad value."""
        env = os.environ if env is None else env
        menus_path = Path(env.get("IVR_MENUS") or DEFAULT_MENUS)
        prompts = env.get("IVR_PROMPTS_DIR")
        return cls(
            menus_path=menus_path,
            prompts_dir=Path(prompts) if prompts else menus_path.parent / "prompts",
            auth_token=env.get("TWILIO_AUTH_TOKEN") or None,
            public_base_url=env.get("IVR_PUBLIC_URL") or None,
            proxy_hops=_read(env, "IVR_PROXY_HOPS", 0, _hops, "a whole number such as 1"),
            prompts_base_url=env.get("IVR_PROMPTS_URL") or None,
            allow_offline_prompts=_read(env, "IVR_ALLOW_OFFLINE_PROMPTS", False, _flag, "1 or 0"),
            playground=_read(env, "IVR_PLAYGROUND", False, _flag, "1 or 0"),
            playground_password=env.get("IVR_PLAYGROUND_PASSWORD") or None,
            caller_id=env.get("IVR_CALLER_ID") or None,
            reload_interval=_read(env, "IVR_RELOAD_INTERVAL", 2.0, _seconds,
                                  "seconds, such as 2 or 0.5"),
            console_password=_console_password(env.get("IVR_CONSOLE_PASSWORD") or None),
            console_user=_read(env, "IVR_CONSOLE_USER", "operator", _user,
                               "a user name without ':' or spaces"),
            stats_url=_read(env, "IVR_STATS_URL", _default_stats_url(menus_path), _stats_url,
                            "a SQLAlchemy URL such as postgresql+psycopg://host/ivr, or off"),
            stats_flush_seconds=_read(env, "IVR_STATS_FLUSH_SECONDS", 30.0, _flush_seconds,
                                      "seconds from 0.1 to 3600, such as 30"),
            stats_spool=_read(env, "IVR_STATS_SPOOL", _default_spool(menus_path),
                              _folder_or_off, "a folder, or off"),
            allow_unsigned=_read(env, "IVR_ALLOW_UNSIGNED", False, _flag, "1 or 0"),
            metrics_address=_read(env, "IVR_METRICS_ADDRESS", None, _address,
                                  "an address and port such as 127.0.0.1:8001"),
            log_format=_read(env, "IVR_LOG_FORMAT", "text", _log_format, "text or json"),
        )


def _read(env: Mapping[str, str], name: str, default: T, parse: Callable[[str], T],
          expected: str) -> T:
    raw = env.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return parse(raw.strip())
    except SettingsError:
        raise
    except ValueError:
        raise SettingsError(f"{name}={raw!r} is not {expected} (fix or unset {name})") from None


def _flag(value: str) -> bool:
    return FLAG_WORDS[value.lower()] if value.lower() in FLAG_WORDS else _no(value)


def _hops(value: str) -> int:
    hops = int(value)
    return hops if 0 <= hops <= 10 else _no(value)


def _seconds(value: str) -> float:
    seconds = float(value)
    return seconds if 0 <= seconds < 86400 else _no(value)


def _flush_seconds(value: str) -> float:
    seconds = float(value)
    return seconds if 0.1 <= seconds <= 3600 else _no(value)


def _user(value: str) -> str:
    # Basic auth sends "user:password"; a colon or a space in the name could never match.
    return value if not set(value) & {":", " ", "\t"} else _no(value)


def _console_password(value: str | None) -> str | None:
    # The message never holds the value: it goes to the journal and to the screen.
    if value is not None and len(value) < MIN_CONSOLE_PASSWORD:
        raise SettingsError(
            f"IVR_CONSOLE_PASSWORD is {len(value)} character{'s' if len(value) != 1 else ''} "
            f"long, and a console password needs at least {MIN_CONSOLE_PASSWORD}: use a long "
            "random passphrase (docs/console.md), or unset IVR_CONSOLE_PASSWORD")
    return value


def _default_spool(menus_path: Path) -> Path | None:
    return menus_path.parent / STATS_SPOOL


def _folder_or_off(value: str) -> Path | None:
    return None if value.lower() == "off" else Path(value)


def _address(value: str) -> tuple[str, int]:
    # An IP literal, so that what listens is what was written; never every interface
    # (0.0.0.0, ::), which includes the public one (issue 20 item 1).
    host, _, port = value.rpartition(":")
    host = "127.0.0.1" if host == "localhost" else host.removeprefix("[").removesuffix("]")
    number = int(port)
    if not 0 < number < 65536:
        _no(value)
    if ipaddress.ip_address(host).is_unspecified:
        raise SettingsError(
            f"IVR_METRICS_ADDRESS={value!r} listens on every interface, the public one too: "
            f"give 127.0.0.1:{number}, or this host's private address with the port open to "
            "Prometheus only")
    return host, number


def _log_format(value: str) -> str:
    return value.lower() if value.lower() in ("text", "json") else _no(value)


def _default_stats_url(menus_path: Path) -> str | None:
    return f"sqlite:///{menus_path.parent / STATS_FILE}"


def _stats_url(value: str) -> str | None:
    if value.lower() == "off":
        return None
    return value if re.match(r"^[a-z][a-z0-9+]*://", value, re.IGNORECASE) else _no(value)


def _no(value: str) -> NoReturn:
    raise ValueError(value)
