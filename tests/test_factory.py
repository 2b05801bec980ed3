"""The application factory and the smoke test of the factories."""

from mediation import create_app
from tests.conftest import base_config


def test_config_is_taken_from_the_test_mapping(database_uri):
    assert not create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x"}).config.get("WTF_CSRF_ENABLED") is False
    assert create_app(base_config(database_uri)).testing


def test_every_state_can_be_made(make_case):
    for state in ("intake", "referred", "mediating", "settled", "failed", "withdrawn", "rejected", "closed"):
        assert make_case(state).state == state
