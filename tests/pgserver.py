"""A real PostgreSQL server for the tests: Debian's `postgresql`, started once per session.

Interface (other test modules import these fixtures by name):

- `postgres_server` (session): the URL of the server's `postgres` database, as
  `postgresql+psycopg://postgres@127.0.0.1:<port>/postgres`. The server runs from a fresh
  data folder in /tmp with trust authentication on 127.0.0.1 only, and is stopped (and the
  folder removed) at the end of the session.
- `postgres_url` (function): the URL of a new, empty database on that server, so tests do
  not see each other's tables.
- `new_database(server_url, name)`: the same as a function, for module-scoped fixtures.

PostgreSQL refuses to run as root, so as root it runs as the `postgres` user (runuser);
otherwise as the current user. `make test` installs the package (Makefile DEBS); without
it these fixtures fail with that hint rather than skip.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

START_TIMEOUT = 60


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]))
    if not found:
        pytest.fail("PostgreSQL is not installed: run `make test` (it installs Debian's "
                    "postgresql) or apt-get install postgresql", pytrace=False)
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """Start a throw-away PostgreSQL; yield its URL; stop it at the end of the session."""
    bin_dir = _bin_dir()
    # Not under pytest's tmp folder: that is private to root, and the server runs as postgres.
    folder = Path(tempfile.mkdtemp(prefix="ivr-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    port = _free_port()
    run = dict(check=True, capture_output=True, text=True, timeout=START_TIMEOUT)
    subprocess.run(_as_owner([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres",
                              "--auth=trust", "--encoding=UTF8", "--no-sync"]), **run)
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off"
    pg_ctl = [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log")]
    try:
        subprocess.run(_as_owner([*pg_ctl, "-o", options, "-w", "start"]), **run)
    except subprocess.CalledProcessError as error:
        log = (folder / "server.log").read_text(errors="replace")
        pytest.fail(f"PostgreSQL did not start: {error.stderr}\n{log}", pytrace=False)
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_owner([*pg_ctl, "-m", "fast", "-w", "stop"]), capture_output=True,
                       timeout=START_TIMEOUT)
        shutil.rmtree(folder, ignore_errors=True)


def new_database(server_url: str, name: str | None = None) -> str:
    """Create an empty database on the server; return its URL."""
    name = name or f"t_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return sa.engine.make_url(server_url).set(database=name).render_as_string(
        hide_password=False)


@pytest.fixture
def postgres_url(postgres_server: str) -> str:
    """A new, empty database of the session's server, for one test."""
    return new_database(postgres_server)
