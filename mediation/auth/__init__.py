"""Sign-in: Flask-Login wiring; the session carries "<user id>:<session token>", an API request a bearer token."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import LoginManager

from mediation.api.auth import load_token_user
from mediation.api.problems import in_api
from mediation.extensions import db
from mediation.models import User


def load_user(session_id: str) -> User | None:
    if in_api():
        return None  # the API takes bearer tokens only, never a cookie (not even a remember-me one)
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_token != token or not user.active:
        return None  # signed out elsewhere, password changed, or deactivated
    return user


def configure_login(manager: LoginManager) -> None:
    manager.user_loader(load_user)
    manager.request_loader(load_token_user)
    manager.login_view = "auth.login"
    manager.login_message = _l("Please sign in to continue.")
    manager.login_message_category = "warning"
    manager.session_protection = "strong"
