"""Bearer tokens: the only way into the API.

The API is exempt from CSRF (a script has no form to carry a token), so it must never accept
the session cookie instead: a cross-site form could otherwise act with a signed-in browser.
Every request under /api/v1 starts as anonymous, whatever cookie it carries; a valid
`Authorization: Bearer <token>` makes the token's user the current user of this request only,
and the API's responses never write a session cookie (ApiSessionInterface).
"""

from __future__ import annotations

from flask import current_app, g, request
from flask.sessions import SecureCookieSessionInterface
from flask_babel import lazy_gettext as _l

from mediation.api.problems import ApiProblem, in_api
from mediation.models import User
from mediation.tokens.services import user_for_token

PUBLIC_PATHS = frozenset({"/api/v1/openapi.json"})
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="api"'}


def _bearer() -> str | None:
    scheme, _, token = (request.headers.get("Authorization") or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def authenticate() -> None:
    """before_request for the whole app: under /api/v1, the bearer token or nothing."""
    if not in_api():
        return
    manager = current_app.login_manager  # type: ignore[attr-defined]
    manager._update_request_context_with_user(None)  # anonymous: the session cookie is never read
    if request.path in PUBLIC_PATHS:
        return
    raw = _bearer()
    user = user_for_token(raw) if raw else None
    if user is None:
        detail = (_l("This API token is unknown, revoked, or its user is inactive.") if raw
                  else _l("Send your API token as \"Authorization: Bearer <token>\"."))
        raise ApiProblem(401, "unauthorized", detail, headers=CHALLENGE)
    manager._update_request_context_with_user(user)


def api_user() -> User:
    """The token's user (an API view runs only after authenticate() found one)."""
    return g._login_user


class ApiSessionInterface(SecureCookieSessionInterface):
    """Cookie sessions for the pages; none for the API, which is stateless and cookie-free."""

    def save_session(self, app, session, response) -> None:  # noqa: ANN001
        if in_api():
            return
        super().save_session(app, session, response)
