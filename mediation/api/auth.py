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

from flask import Request, request
from flask.sessions import SecureCookieSessionInterface
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from mediation.api.problems import ApiProblem, in_api
from mediation.models import User
from mediation.tokens.services import user_for_token

PUBLIC_PATHS = frozenset({"/api/v1/openapi.json"})
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="api"'}


def _bearer(req: Request) -> str | None:
    scheme, _, token = (req.headers.get("Authorization") or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def load_token_user(req: Request) -> User | None:
    """Flask-Login's request_loader: the user of the bearer token, under /api/v1 only."""
    raw = _bearer(req) if in_api() else None
    return user_for_token(raw) if raw else None


def authenticate() -> None:
    """before_request for the whole app: under /api/v1, the bearer token's user or a 401.

    Asking for the user here, before the view, also looks the token up before the request's own
    work, as `user_for_token` wants (it may commit the token's last use)."""
    if not in_api() or request.path in PUBLIC_PATHS or current_user.is_authenticated:
        return
    detail = (_l("This API token is unknown, revoked, or its user is inactive.") if _bearer(request)
              else _l("Send your API token as \"Authorization: Bearer <token>\"."))
    raise ApiProblem(401, "unauthorized", detail, headers=CHALLENGE)


def api_user() -> User:
    """The token's user itself, not Flask-Login's proxy. The other API modules use current_user;
    this stays for mediation/api/actions.py until its rework."""
    return current_user._get_current_object()


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
