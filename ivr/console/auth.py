"""HTTP basic auth for the console: one user, one password, compared in constant time, and
wrong tries from one address slowed down (ivr/console/lockout.py)."""

from __future__ import annotations

import hmac
import math

from flask import Response
from flask import request

from ivr.console.lockout import Lockout

REALM = 'Basic realm="IVR operator console", charset="UTF-8"'


def refuse_unless_operator(user: str, password: str, lockout: Lockout) -> Response | None:
    """None for the operator; otherwise 401 asking the browser for the password, or 429
    while the client's address must wait after too many wrong tries."""
    address = request.remote_addr or ""
    wait = lockout.wait(address)
    if wait > 0:
        seconds = math.ceil(wait)
        return Response(f"Too many wrong passwords from this address: try again in {seconds} "
                        "s.\n", 429, {"Retry-After": str(seconds),
                                      "Content-Type": "text/plain; charset=utf-8"})
    auth = request.authorization
    given_user = (auth.username or "") if auth is not None else ""
    given_password = (auth.password or "") if auth is not None else ""
    # Both comparisons always run, so the time taken says nothing about which one failed.
    user_ok = hmac.compare_digest(given_user.encode(), user.encode())
    password_ok = hmac.compare_digest(given_password.encode(), password.encode())
    if auth is not None and auth.type == "basic" and user_ok and password_ok:
        lockout.succeeded(address)
        return None
    if auth is not None:  # a browser's first request sends none: that is no wrong try
        lockout.failed(address)
    return Response("The operator console needs its user name and password.\n", 401,
                    {"WWW-Authenticate": REALM, "Content-Type": "text/plain; charset=utf-8"})
