"""The access tests' world: built once per module and backend, on each pytest-xdist worker that
runs the module (making ten cases per prefecture through the services, with their PDFs, costs
seconds), emptied when the module is done.

The per-test fixtures of the page and API tests are offered here too (the signed-in clients
come from the root conftest), but not autouse: each requests `app`, whose context and
transaction are not the world's. test_mass_assignment.py asks for them by pytestmark."""

from __future__ import annotations

import pytest

from mediation import create_app
from mediation.extensions import db
from tests.api.conftest import api  # noqa: F401 (a fixture, offered to the tests here)
from tests.conftest import RequestScopedClient, _empty_tables, base_config


@pytest.fixture(scope="module")
def world(database_uri):
    from tests import factories
    from tests.access.world import build_world

    with pytest.MonkeyPatch.context() as patch:  # the world's agreements are read: real PDFs
        patch.setattr(factories, "REAL_AGREEMENT_PDF", True)
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
