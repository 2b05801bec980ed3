"""Bearer tokens: the only way into the API.

The API is exempt from CSRF (a script has no form to carry a token), so it must never accept
the session cookie instead: a cross-site form could otherwise act with a signed-in browser.
Flask-Login finds the user of a request in two documented ways, each kept to its side:

- the session (its user_loader, mediation/auth): under /api/v1 the session is always empty,
  whatever cookie comes with the request (ApiSessionInterface opens none and saves none), so a
  cookie alone is anonymous there;
- `Authorization: Bearer <token>` (its request_loader, `load_token_user`), under /api/v1 only,
  so a token alone on a page is anonymous.

`authenticate` then turns an anonymous API request into a 401 problem before any view runs.
"""

from __future__ import annotations

import logging

from flask import Request, g, has_request_context, request
from flask.sessions import SecureCookieSessionInterface
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import InternalError, OperationalError

from mediation.api.problems import ApiProblem, in_api
from mediation.common.timeutil import CHINA
from mediation.models import User
from mediation.tokens.services import token_lookup, token_touch, token_use_due
from mediation.web.commit import abandon, commit

log = logging.getLogger("mediation.api")
PUBLIC_PATHS = frozenset({"/api/v1/openapi.json"})
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="api"'}


def _bearer(req: Request) -> str | None:
    scheme, _, token = (req.headers.get("Authorization") or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def load_token_user(req: Request) -> User | None:
    """Flask-Login's request_loader: the user of the bearer token, under /api/v1 only."""
    raw = _bearer(req) if in_api() else None
    return user_for_token(raw) if raw else None


def user_for_token(raw: str) -> User | None:
    """The active user a live bearer token stands for, or None; its use is recorded (at most
    once a minute). Call it before the request's own work: it commits (see `_record_use`).
    An expired token leaves its expiry on `g`, for `authenticate` to say why it is refused."""
    token, expired_at = token_lookup(raw)
    if token is None:
        if expired_at is not None and has_request_context():
            g.api_token_expired_at = expired_at
        return None
    user = token.user
    if token_use_due(token):
        _record_use(token.id)
    return user


def _record_use(token_id: int) -> None:
    """Commit the token's last use at once, before the request's own work: a read-only API call
    commits nothing, and its last use must not be lost with it. The lookup's transaction is ended
    first, so that on SQLite the update begins a transaction of its own, which waits for the write
    lock instead of failing on a stale read. Recording the use is not worth failing a request
    for: a busy or read-only database skips it."""
    try:
        commit()
        token_touch(token_id=token_id)
        commit()
    except (OperationalError, InternalError):  # InternalError: PostgreSQL read-only (25006)
        abandon()
        log.warning("could not record the use of API token id %s", token_id)


def authenticate() -> None:
    """before_request for the whole app: under /api/v1, the bearer token's user or a 401.

    Asking for the user here, before the view, also looks the token up before the request's own
    work, as `_record_use` wants (it commits the token's last use)."""
    if not in_api() or request.path in PUBLIC_PATHS or current_user.is_authenticated:
        return
    expired_at = g.get("api_token_expired_at")
    if expired_at is not None:
        raise ApiProblem(401, "token_expired", _l(
            "This API token expired on %(date)s: make a new one on the API tokens page.",
            date=expired_at.astimezone(CHINA).date().isoformat()), headers=CHALLENGE)
    detail = (_l("This API token is unknown, revoked, or its user is inactive.") if _bearer(request)
              else _l("Send your API token as \"Authorization: Bearer <token>\"."))
    raise ApiProblem(401, "unauthorized", detail, headers=CHALLENGE)


class ApiSessionInterface(SecureCookieSessionInterface):
    """Cookie sessions for the pages; none for the API, which is stateless and cookie-free."""

    def open_session(self, app, req):  # noqa: ANN001, ANN201
        if in_api():
            return self.session_class()  # empty: Flask-Login finds no signed-in user in it
        return super().open_session(app, req)

    def save_session(self, app, session, response) -> None:  # noqa: ANN001
        if in_api():
            return
        super().save_session(app, session, response)
