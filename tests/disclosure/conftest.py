"""The disclosure tests use both the pages' signed-in browsers and the API's token clients."""

from __future__ import annotations

from sqlalchemy import select

from mediation.extensions import db
from mediation.models import PersonalDataAccess
from tests.api.conftest import anonymous, api  # noqa: F401  (fixtures, registered by being imported here)
from tests.web.conftest import (  # noqa: F401
    _request_scoped_clients,
    client,
    sync,
)


def access_rows() -> list[tuple]:
    """Every access record as stored: (user, case, purpose, note, channel, address), read afresh."""
    sync()
    return [tuple(row) for row in db.session.execute(
        select(PersonalDataAccess.user_id, PersonalDataAccess.case_id, PersonalDataAccess.purpose,
               PersonalDataAccess.note, PersonalDataAccess.channel, PersonalDataAccess.remote_addr)
        .order_by(PersonalDataAccess.id))]
