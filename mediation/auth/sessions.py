"""How long a browser session lasts: from sign-in at most PERMANENT_SESSION_LIFETIME, and
SESSION_IDLE_TIMEOUT without a request ends it sooner.

Both times are kept in the signed session cookie and checked on every request. A cookie's own
expiry is renewed by each response, so it cannot carry an absolute limit; and a copied cookie
keeps working until its user signs out or changes the password, which rotate the session token
on the user (see models/user.py), so a server-side end needs no session table.
"""

from __future__ import annotations

import time

from flask import Flask, current_app, flash, request, session
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from mediation.models import User

SEEN_RESOLUTION = 60  # seconds: record activity at most once a minute, not on every request


def _fresh_session() -> None:
    """An empty session that keeps only the language choice (no fixation, nothing stale)."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def session_begin(user: User) -> None:
    """Sign `user` in on a fresh session (at sign-in, and again after a password change)."""
    _fresh_session()
    login_user(user)
    now = int(time.time())
    session.permanent = True  # the cookie outlives the browser window, up to the lifetime
    session["auth_at"] = now
    session["seen_at"] = now


def session_end() -> None:
    logout_user()
    _fresh_session()


def _exempt() -> bool:
    # Static files are no sign of a person's activity; the API authenticates by bearer token
    # and leaves the session alone.
    endpoint = request.endpoint or ""
    return endpoint == "static" or endpoint.endswith(".static") or request.path.startswith("/api/")


def enforce_session_limits() -> None:
    if _exempt() or "_user_id" not in session:
        return
    now = int(time.time())
    auth_at, seen_at = session.get("auth_at"), session.get("seen_at")
    lifetime = current_app.permanent_session_lifetime.total_seconds()
    idle = current_app.config["SESSION_IDLE_TIMEOUT"]
    if (not isinstance(auth_at, int) or not isinstance(seen_at, int)
            or now - auth_at > lifetime or now - seen_at > idle):
        session_end()
        flash(_("Your session has expired: please sign in again."), "warning")
        return
    if now - seen_at >= SEEN_RESOLUTION:
        session["seen_at"] = now


def init_app(app: Flask) -> None:
    app.before_request(enforce_session_limits)
