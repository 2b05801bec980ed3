"""The access tests' world: built once per module and backend (making ten cases per prefecture
through the services, with their PDFs, costs seconds), emptied when the module is done.

The per-test fixtures of the page and API tests are offered here too, but not autouse: each
requests `app`, whose teardown empties the tables, which would take the world away from the
matrix. test_mass_assignment.py asks for them by pytestmark."""

from __future__ import annotations

import pytest
from werkzeug.security import generate_password_hash

from mediation import create_app
from mediation.extensions import db
from tests.api.conftest import api  # noqa: F401 (a fixture, offered to the tests here)
from tests.conftest import _empty_tables, base_config
from tests.web.conftest import RequestScopedClient, new_client, signed_in  # noqa: F401 (fixtures)


def _cheap_hash(password, method=None):  # noqa: ANN001, ANN202, ARG001
    return generate_password_hash(password, method="pbkdf2:sha256:1")


@pytest.fixture
def _request_scoped_clients(app):
    """As in tests/web/conftest.py, where it is autouse."""
    app.test_client_class = RequestScopedClient


@pytest.fixture
def _quick_password_hashes(monkeypatch):
    """As in tests/web/conftest.py, where it is autouse."""
    from mediation.models import user

    monkeypatch.setattr(user, "generate_password_hash", _cheap_hash)


@pytest.fixture(scope="module")
def world(database_uri):
    from mediation.models import user
    from tests.access.world import build_world

    with pytest.MonkeyPatch.context() as patch:  # cheap hashes, as tests/web/conftest.py does per test
        patch.setattr(user, "generate_password_hash", _cheap_hash)
        app = create_app(base_config(database_uri))
        app.test_client_class = RequestScopedClient
        with app.app_context():
            _empty_tables()  # whatever a crashed test left behind
            try:
                yield build_world(app)
            finally:
                db.session.rollback()
                _empty_tables()
                db.session.remove()
                db.engine.dispose()
