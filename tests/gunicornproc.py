"""Real gunicorn servers of the webhook (tests, bench), with the shipped gunicorn.conf.py."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = str(Path(sys.executable).parent / "gunicorn")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def webhook_env(folder: Path, token: str, public_url: str, **extra: str) -> dict[str, str]:
    """A production environment on a copy of the shipped menus in `folder`; extend at will."""
    menus = folder / "menus.yaml"
    if not menus.exists():
        shutil.copyfile(ROOT / "menus.yaml", menus)
        # The sources each service names are checked beside the menus file, as validate does.
        shutil.copytree(ROOT / "seeds", folder / "seeds", dirs_exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "IVR_"))}
    env.update(TWILIO_AUTH_TOKEN=token, IVR_PUBLIC_URL=public_url, IVR_MENUS=str(menus),
               IVR_PROMPTS_DIR=str(folder / "prompts"), IVR_RELOAD_INTERVAL="0.2")
    env.update(extra)
    return env


def start(env: Mapping[str, str], bind: str, args: Sequence[str] = (),
          prefix: Sequence[str] = (), log: Path | None = None) -> subprocess.Popen[bytes]:
    """gunicorn app:app in the repository root (so gunicorn.conf.py applies) on `bind`.

    `prefix` runs it inside something, e.g. ["ip", "netns", "exec", "ns1"].
    """
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - closed with the process
    return subprocess.Popen([*prefix, GUNICORN, "-b", bind, *args, "app:app"], cwd=ROOT,
                            env=dict(env), stdout=out, stderr=out, start_new_session=True)


def wait_listening(host: str, port: int, process: subprocess.Popen[bytes] | None = None,
                   seconds: float = 20, prefix: Sequence[str] = ()) -> None:
    """Until a TCP connection to host:port succeeds (from inside `prefix` if given)."""
    deadline = time.monotonic() + seconds
    probe = [*prefix, sys.executable, "-c",
             f"import socket; socket.create_connection(({host!r}, {port}), 0.5).close()"]
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise AssertionError(f"gunicorn exited with {process.returncode} before listening")
        if prefix:
            if subprocess.run(probe, capture_output=True, timeout=10).returncode == 0:
                return
        else:
            try:
                socket.create_connection((host, port), timeout=0.5).close()
                return
            except OSError:
                pass
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on {host}:{port} after {seconds} s")


def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    """Stop the server and every worker it started (its own process group)."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
