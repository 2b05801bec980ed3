"""The token tests share the web tests' plumbing: requests in app contexts of their own, cheap
password hashes, users signed in on clients of their own, another app with CSRF on."""

from __future__ import annotations

from sqlalchemy import select

from mediation.extensions import db
from mediation.models import ApiToken
from tests.api.conftest import anonymous  # noqa: F401  (the expiry tests call the API without a session)
from tests.web.conftest import (  # noqa: F401  (fixtures, registered by being imported here)
    _request_scoped_clients,
    client,
)


def token_rows() -> list[tuple]:
    """Every token row as stored, read afresh (ends the test's transaction first)."""
    db.session.rollback()
    return [tuple(row) for row in db.session.execute(
        select(ApiToken.id, ApiToken.user_id, ApiToken.name, ApiToken.token_hash, ApiToken.prefix,
               ApiToken.last_used_at, ApiToken.revoked_at).order_by(ApiToken.id))]
