"""A real PostgreSQL server for the tests: Debian's `postgresql`, started once per session.

Interface (other test modules import these fixtures by name):

- `postgres_server` (session): the URL of the server's `postgres` database, as
  `postgresql+psycopg://postgres@127.0.0.1:<port>/postgres`. The server runs from a fresh
  data folder in /tmp with trust authentication on 127.0.0.1 only, and is stopped (and the
  folder removed) at the end of the session.
- `postgres_url` (function): the URL of a new, empty database on that server, so tests do
  not see each other's tables.
- `new_database(server_url, name)`: the same as a function, for module-scoped fixtures.
- `running_server(listen)`: a server of one's own on given addresses, as a context manager
  (the multi-host test and the soak bench reach it from network namespaces).

PostgreSQL refuses to run as root, so as root it runs as the `postgres` user (runuser);
otherwise as the current user. `make test` installs the package (Makefile DEBS); without
it these fixtures fail with that hint rather than skip.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from collections.abc import Sequence
from pathlib import Path

import pytest
import sqlalchemy as sa

START_TIMEOUT = 60


class PostgresFailed(Exception):
    """The server would not start; the message holds its log."""


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]))
    if not found:
        raise PostgresFailed("PostgreSQL is not installed: run `make test` (it installs "
                             "Debian's postgresql) or apt-get install postgresql")
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _run(command: list[str]) -> None:
    subprocess.run(command, check=True, capture_output=True, text=True, timeout=START_TIMEOUT)


def _as_owner(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@contextlib.contextmanager
def running_server(listen: Sequence[str] = ("127.0.0.1",), clients: Sequence[str] = ()
                   ) -> Iterator[str]:
    """A throw-away PostgreSQL on `listen` (addresses of this machine), for local clients.

    Yields the URL of its `postgres` database on the first address. Loopback is trusted,
    and each of `clients` (addresses in network namespaces, tests/multihost.py) as a /32:
    nobody beyond those links can log in, and the server listens on no wildcard.
    """
    bin_dir = _bin_dir()
    # Not under pytest's tmp folder: that is private to root, and the server runs as postgres.
    folder = Path(tempfile.mkdtemp(prefix="ivr-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    port = _free_port()
    _run(_as_owner([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres",
                    "--auth=trust", "--encoding=UTF8", "--no-sync"]))
    with open(data / "pg_hba.conf", "a", encoding="utf-8") as hba:
        for address in clients:
            hba.write(f"host all all {address}/32 trust\n")
    options = f"-c listen_addresses={','.join(listen)} -p {port} -k {folder} -c fsync=off"
    pg_ctl = [str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log")]
    try:
        _run(_as_owner([*pg_ctl, "-o", options, "-w", "start"]))
    except subprocess.CalledProcessError as error:
        log = (folder / "server.log").read_text(errors="replace")
        shutil.rmtree(folder, ignore_errors=True)
        raise PostgresFailed(f"PostgreSQL did not start: {error.stderr}\n{log}") from None
    try:
        yield f"postgresql+psycopg://postgres@{listen[0]}:{port}/postgres"
    finally:
        subprocess.run(_as_owner([*pg_ctl, "-m", "fast", "-w", "stop"]), capture_output=True,
                       timeout=START_TIMEOUT)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """Start a throw-away PostgreSQL on 127.0.0.1; yield its URL; stop it at the end."""
    try:
        with running_server() as url:
            yield url
    except PostgresFailed as error:
        pytest.fail(str(error), pytrace=False)


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
