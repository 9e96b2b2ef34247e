"""HTTP basic auth for the console: one user, one password, compared in constant time."""

from __future__ import annotations

import hmac

from flask import Response
from flask import request

REALM = 'Basic realm="IVR operator console", charset="UTF-8"'


def refuse_unless_operator(user: str, password: str) -> Response | None:
    """None for the operator; otherwise 401 asking the browser for the password."""
    auth = request.authorization
    given_user = (auth.username or "") if auth is not None else ""
    given_password = (auth.password or "") if auth is not None else ""
    # Both comparisons always run, so the time taken says nothing about which one failed.
    user_ok = hmac.compare_digest(given_user.encode(), user.encode())
    password_ok = hmac.compare_digest(given_password.encode(), password.encode())
    if auth is not None and auth.type == "basic" and user_ok and password_ok:
        return None
    return Response("The operator console needs its user name and password.\n", 401,
                    {"WWW-Authenticate": REALM, "Content-Type": "text/plain; charset=utf-8"})
