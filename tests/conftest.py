"""Fixtures: one app per database backend (SQLite always, PostgreSQL when TEST_DATABASE_URL is
set), the schema built by the real migrations, every table but the regions emptied after each
test, and factories that make users and cases through the services."""

from __future__ import annotations

import os
from pathlib import Path

import flask_babel
import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from mediation import create_app, register_operations
from mediation.audit.guard import events_unguarded
from mediation.extensions import db
from mediation.regions.tree import regions_load

register_operations()  # the operations table, which tests parametrize over at collection

TEST_PASSWORD = "correct-horse-battery"
KEPT_TABLES = {"region", "alembic_version"}


def _backends() -> list[str]:
    backends = ["sqlite"]
    if os.environ.get("TEST_DATABASE_URL"):
        backends.append("postgresql")
    elif os.environ.get("CI") == "true":
        raise pytest.UsageError("CI=true but TEST_DATABASE_URL is not set: the PostgreSQL tests must run in CI")
    return backends


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def base_config(database_uri: str, **overrides) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": database_uri,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SERVER_NAME": None,
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session", autouse=True)
def compiled_translations() -> None:
    from mediation.cli.translations import compile_catalogues

    compile_catalogues()


@pytest.fixture(scope="session", params=_backends())
def database_uri(request, tmp_path_factory) -> str:
    if request.param == "sqlite":
        uri = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    else:
        uri = os.environ["TEST_DATABASE_URL"]
        _reset_postgres(uri)
    app = create_app(base_config(uri))
    with app.app_context():
        upgrade()  # the schema comes from the migrations, as in production
        regions_load()
        db.session.commit()
        db.engine.dispose()
    return uri


class FreshRequestClient(FlaskClient):
    """A test client whose requests start with empty per-request caches.

    The `app` fixture keeps one app context open for the whole test (so tests can use the
    services and the session directly), and Flask reuses an open app context for requests:
    without this, `g` (Flask-Login's cached user) and Flask-Babel's cached locale would leak
    from one request into the next, which no real request ever sees.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            for name in list(vars(g)):
                delattr(g, name)
            flask_babel.refresh()
        return super().open(*args, **kwargs)


@pytest.fixture
def app(database_uri):
    app = create_app(base_config(database_uri))
    app.test_client_class = FreshRequestClient
    with app.app_context():
        yield app
        db.session.rollback()
        _empty_tables()
        db.session.remove()
        db.engine.dispose()


def _empty_tables() -> None:
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEPT_TABLES]
    # The database refuses to remove case events (mediation/audit/guard.py): lifted for this
    # transaction only, the one place besides the benchmarks and a restore that may.
    with events_unguarded(db.session.connection()):
        if db.engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client) -> None:
        self._client = client

    def login(self, username: str, password: str = TEST_PASSWORD):
        return self._client.post("/login", data={"username": username, "password": password})

    def logout(self):
        return self._client.post("/logout")


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def make_user(app):
    from tests.factories import make_user as factory

    return factory


@pytest.fixture
def make_case(app):
    from tests.factories import make_case as factory

    return factory


@pytest.fixture
def artifacts_dir() -> Path:
    path = Path(__file__).resolve().parent.parent / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path
