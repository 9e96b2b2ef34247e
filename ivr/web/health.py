"""/healthz for any monitor, /healthz/details for the operators on this machine only.

The public answer says how things stand (status, the live version, since when, how many
problems) and never why: a problem quotes menus.yaml and a path on this server, which are no
business of whoever can reach the webhook (issue 22 item 13). The details answer only a
client on this machine that came through no proxy: `curl http://127.0.0.1:8000/healthz/details`
on the host; the shipped nginx site does not pass the path, and a proxy would add its
X-Forwarded-For anyway. The console's status page shows the same problems behind its password.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

from flask import Flask
from flask import Response
from flask import abort
from flask import jsonify
from flask import request

from ivr.menus.problems import Problem
from ivr.web.menustore import MenuStore
from ivr.web.menustore import describe

PROXY_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_FORWARDED", "HTTP_X_REAL_IP", "HTTP_VIA")
"""Any of these says a proxy passed the request on: then the client is not this machine."""


def init_app(app: Flask, store: MenuStore) -> None:
    """Register /healthz and /healthz/details for `store`."""
    app.add_url_rule("/healthz", "health", lambda: jsonify(health(store)))
    app.add_url_rule("/healthz/details", "health_details", lambda: _details(store))


def health(store: MenuStore) -> dict[str, object]:
    """What the public /healthz says: how things stand and how many errors, not which."""
    status = store.status()  # (after a reload check: the version below is the one it is of)
    menus, prompts = store.current(), store.prompts()
    return {
        "status": status,
        "menus_version": menus.version,
        "loaded_at": store.loaded_at,
        "problems": {"rejected_edit": _errors(store.rejected),
                     "seeds": _errors(store.seeds.problems())},
        "prompts": {"version": prompts.version, "count": len(prompts)},
    }


def details(store: MenuStore) -> dict[str, object]:
    """health() and the problems themselves, as `ivr validate` prints them."""
    return {
        **health(store),
        "menus_path": str(store.menus_path),
        "last_reload_error": describe(store.rejected) or None,
        "seeds_missing": describe(store.seeds.problems()) or None,
    }


def _errors(problems: tuple[Problem, ...]) -> int:
    return sum(1 for problem in problems if problem.severity == "error")


def from_this_machine(environ: Mapping[str, object]) -> bool:
    """The client is on this machine and talks to the server directly (no proxy between)."""
    if any(header in environ for header in PROXY_HEADERS):
        return False
    address = environ.get("REMOTE_ADDR")
    if address == "":
        return True  # a unix socket (gunicorn gives no address): only this machine has it
    try:
        ip = ipaddress.ip_address(str(address))
    except ValueError:
        return False
    mapped = ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) else None
    return (mapped or ip).is_loopback


def _details(store: MenuStore) -> Response:
    if not from_this_machine(request.environ):
        abort(404)  # as for any path this server does not have
    return jsonify(details(store))
