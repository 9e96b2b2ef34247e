"""Webhook hosts, each in its own network namespace, and the shipped nginx site in front.

Everything stays on this machine: namespaces made here with veth pairs (addresses in
10.64.0.0/10 that exist only on those links), or 127.0.0.2 and 127.0.0.3 where namespaces
cannot be made; PostgreSQL for their statistics listens on this side of each link. Used by
tests/test_multihost.py and bench/bench_soak.py.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

import sqlalchemy as sa

from tests import gunicornproc
from tests import pgserver
from tests.gunicornproc import ROOT

SITE = ROOT / "deploy" / "nginx-ivr.conf"
PORT = 8000
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
"""Debian's nginx; /usr/sbin is not on a normal user's PATH."""


@dataclass
class Host:
    name: str
    address: str
    port: int = PORT
    """8000 in a namespace of its own; on a shared loopback address, any free port."""
    prefix: list[str] = field(default_factory=list)
    gateway: str = "127.0.0.1"
    """This machine's address as the host reaches it (a database here listens on it)."""
    process: subprocess.Popen[bytes] | None = None

    @property
    def upstream(self) -> str:
        return f"{self.address}:{self.port}"

    def start(self, env: dict[str, str], log: Path) -> None:
        # On its private address, reached only through the balancer (docs/deploy.md step 5).
        env = {**env, "IVR_BEHIND_PROXY": "1"}
        self.process = gunicornproc.start(env, self.upstream, prefix=self.prefix, log=log)

    def wait(self) -> None:
        gunicornproc.wait_listening(self.address, self.port, self.process)

    def kill(self) -> None:
        """As a crash would: SIGKILL to the master and every worker at once."""
        if self.process is not None:
            gunicornproc.stop(self.process, signal.SIGKILL)

    def stop(self) -> None:
        if self.process is not None:
            gunicornproc.stop(self.process)

    def worker_pids(self) -> list[int]:
        if self.process is None or self.process.poll() is not None:
            return []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def _run(*command: str) -> None:
    subprocess.run(command, check=True, capture_output=True, timeout=10)


class Namespaces:
    """Two network namespaces joined to this one by veth pairs; removed by close()."""

    def __init__(self, count: int) -> None:
        tag = os.getpid() % 16000
        self.names = [f"ivr{tag}{chr(97 + i)}" for i in range(count)]
        net = f"10.{64 + tag // 250}.{tag % 250}"
        self.hosts = []
        try:
            for i, name in enumerate(self.names):
                ours, theirs = f"{net}.{4 * i + 1}", f"{net}.{4 * i + 2}"
                _run("ip", "netns", "add", name)
                _run("ip", "link", "add", f"{name}0", "type", "veth", "peer", "name", f"{name}1")
                _run("ip", "link", "set", f"{name}1", "netns", name)
                _run("ip", "addr", "add", f"{ours}/30", "dev", f"{name}0")
                _run("ip", "link", "set", f"{name}0", "up")
                inside = ["ip", "netns", "exec", name]
                _run(*inside, "ip", "addr", "add", f"{theirs}/30", "dev", f"{name}1")
                _run(*inside, "ip", "link", "set", f"{name}1", "up")
                _run(*inside, "ip", "link", "set", "lo", "up")
                self.hosts.append(Host(f"host-{chr(97 + i)}", theirs, prefix=inside,
                                       gateway=ours))
        except (OSError, subprocess.SubprocessError):
            self.close()
            raise

    def close(self) -> None:
        for name in self.names:
            subprocess.run(["ip", "link", "del", f"{name}0"], capture_output=True, timeout=10)
            subprocess.run(["ip", "netns", "del", name], capture_output=True, timeout=10)


def make_hosts(count: int = 2) -> tuple[list[Host], Namespaces | None]:
    """Hosts in namespaces where this machine allows it, else on loopback addresses."""
    if os.geteuid() == 0 and shutil.which("ip"):
        try:
            spaces = Namespaces(count)
            return spaces.hosts, spaces
        except (OSError, subprocess.SubprocessError):
            pass
    return [Host(f"host-{chr(97 + i)}", f"127.0.0.{2 + i}", gunicornproc.free_port())
            for i in range(count)], None


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1, made here (REQUESTS_CA_BUNDLE and curl trust it)."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    return cert, key


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"deploy/nginx-ivr.conf no longer has {old!r} once"
    return text.replace(old, new)


def site_for(hosts: list[Host], tls_port: int, http_port: int, folder: Path) -> str:
    """The shipped site with this machine's addresses, ports, certificate and log."""
    cert, key = self_signed(folder)
    text = SITE.read_text(encoding="utf-8")
    upstreams = "\n    ".join(f"server {h.upstream} max_fails=1 fail_timeout=10s;" for h in hosts)
    text = _replace_once(text, "server 127.0.0.1:8000 max_fails=1 fail_timeout=10s;", upstreams)
    text = _replace_once(text, "listen 80;\n    listen [::]:80;", f"listen 127.0.0.1:{http_port};")
    text = _replace_once(text, "listen 443 ssl;\n    listen [::]:443 ssl;",
                         f"listen 127.0.0.1:{tls_port} ssl;")
    text = _replace_once(text, "/etc/letsencrypt/live/ivr.example.org/fullchain.pem", str(cert))
    text = _replace_once(text, "/etc/letsencrypt/live/ivr.example.org/privkey.pem", str(key))
    return _replace_once(text, "/var/log/nginx/ivr-access.log", str(folder / "access.log"))


class Balancer:
    """Debian's nginx with the shipped site, on 127.0.0.1 only."""

    def __init__(self, hosts: list[Host], folder: Path) -> None:
        self.folder = folder
        self.tls_port = gunicornproc.free_port()
        self.url = f"https://127.0.0.1:{self.tls_port}"
        self.cert = folder / "cert.pem"
        self.http_port = gunicornproc.free_port()
        site = folder / "site.conf"
        site.write_text(site_for(hosts, self.tls_port, self.http_port, folder), encoding="utf-8")
        temp = folder / "temp"
        temp.mkdir()
        main = folder / "nginx.conf"
        main.write_text(
            f"daemon off;\nworker_processes 1;\nuser root;\npid {folder}/nginx.pid;\n"
            f"error_log {folder}/error.log warn;\nevents {{ worker_connections 512; }}\n"
            f"http {{\n  access_log off;\n  client_body_temp_path {temp}/body;\n"
            f"  proxy_temp_path {temp}/proxy;\n  fastcgi_temp_path {temp}/fastcgi;\n"
            f"  uwsgi_temp_path {temp}/uwsgi;\n  scgi_temp_path {temp}/scgi;\n"
            f"  include {site};\n}}\n", encoding="utf-8")
        self.command = [NGINX or "nginx", "-p", str(folder), "-c", str(main)]
        self.process: subprocess.Popen[bytes] | None = None

    def check(self) -> subprocess.CompletedProcess[str]:
        """`nginx -t` on the configuration, as an operator runs it after editing the site."""
        return subprocess.run([*self.command, "-t"], capture_output=True, text=True, timeout=30)

    def start(self) -> None:
        self.process = subprocess.Popen(self.command, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL, start_new_session=True)
        gunicornproc.wait_listening("127.0.0.1", self.tls_port, self.process)

    def stop(self) -> None:
        if self.process is not None:
            gunicornproc.stop(self.process, signal.SIGQUIT)

    def log(self) -> list[str]:
        path = self.folder / "access.log"
        return path.read_text(encoding="utf-8").splitlines() if path.exists() else []

    def upstreams(self, since: int = 0) -> list[str]:
        """The upstream= field of each logged request after the first `since` lines."""
        return [line.split('upstream="')[1].rstrip('"') for line in self.log()[since:]]


def wait_for_log(balancer: Balancer, count: int, seconds: float = 5) -> None:
    """nginx writes a request's log line just after answering it."""
    deadline = time.monotonic() + seconds
    while len(balancer.log()) < count and time.monotonic() < deadline:
        time.sleep(0.02)


def statistics_server(hosts: list[Host]) -> contextlib.AbstractContextManager[str]:
    """PostgreSQL on this machine, listening where every host can reach it (and on loopback)."""
    listen = list(dict.fromkeys(["127.0.0.1", *(host.gateway for host in hosts)]))
    return pgserver.running_server(listen, [host.address for host in hosts])


def url_for(host: Host, database_url: str) -> str:
    """The database's URL as `host` reaches it: through its gateway."""
    return sa.engine.make_url(database_url).set(host=host.gateway).render_as_string(
        hide_password=False)


@contextlib.contextmanager
def balanced_hosts(folder: Path, env_for: Callable[[Host, str], dict[str, str]],
                   count: int = 2) -> Iterator[tuple[Balancer, list[Host]]]:
    """`count` webhook hosts behind the shipped site, running; each host's environment is
    env_for(host, the public URL). Everything is stopped, and namespaces removed, after."""
    hosts, spaces = make_hosts(count)
    balancer = Balancer(hosts, folder)
    try:
        for host in hosts:
            host.start(env_for(host, balancer.url), folder / f"{host.name}.log")
        for host in hosts:
            host.wait()
        balancer.start()
        yield balancer, hosts
    finally:
        balancer.stop()
        # Each graceful stop takes a second or two: both at once.
        stopping = [threading.Thread(target=host.stop) for host in hosts]
        for thread in stopping:
            thread.start()
        for thread in stopping:
            thread.join()
        if spaces is not None:
            spaces.close()
