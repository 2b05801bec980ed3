"""Fixtures: one app per database backend (SQLite always, PostgreSQL when TEST_DATABASE_URL is
set), built once per run with the schema from the real migrations; each test runs in a SAVEPOINT
of an outer transaction that is rolled back at its end, or, for the tests marked `real_commits`,
commits for real and has every table but the regions emptied afterwards. Test users get cheap
password hashes and factory cases a cheap agreement PDF unless a test asks for the real one.

Under pytest-xdist every worker has databases of its own: a SQLite file in its own temporary
folder, and `<TEST_DATABASE_URL's database>_<worker>` on PostgreSQL."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from urllib.parse import urlsplit

import flask_babel
import pytest
from flask import current_app, g, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import create_engine, make_url, text
from werkzeug.datastructures import MultiDict
from werkzeug.security import generate_password_hash

from mediation import create_app, register_operations
from mediation.audit.guard import events_unguarded
from mediation.extensions import db, limiter
from mediation.models import User
from mediation.regions.tree import regions_load
from mediation.web import submissions
from mediation.web.commit import commit

register_operations()  # the operations table, which tests parametrize over at collection

TEST_PASSWORD = "correct-horse-battery"
KEPT_TABLES = {"region", "alembic_version"}
# Test users' passwords: the production method (scrypt:32768:8:1) costs a tenth of a second per
# user and per sign-in, most of many tests' time. Checking a password stays the real code, and
# tests/security/test_passwords.py puts the real one back to prove the production method.
CHEAP_PASSWORD_METHOD = "pbkdf2:sha256:1"


def _backends() -> list[str]:
    backends = ["sqlite"]
    if os.environ.get("TEST_DATABASE_URL"):
        backends.append("postgresql")
    elif os.environ.get("CI") == "true":
        raise pytest.UsageError("CI=true but TEST_DATABASE_URL is not set: the PostgreSQL tests must run in CI")
    return backends


def worker_name() -> str:
    """The pytest-xdist worker ("gw0", "gw1"...), or "" when the tests run in one process."""
    return os.environ.get("PYTEST_XDIST_WORKER", "")


def postgres_url() -> str:
    """TEST_DATABASE_URL, or under pytest-xdist the worker's own database `<name>_<worker>`,
    created from it when missing."""
    base = make_url(os.environ["TEST_DATABASE_URL"])
    worker = worker_name()
    if not worker:
        return base.render_as_string(hide_password=False)
    url = base.set(database=f"{base.database}_{worker}")
    engine = create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        if connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database}) is None:
            connection.execute(text(f'CREATE DATABASE "{url.database}"'))
    engine.dispose()
    return url.render_as_string(hide_password=False)


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


def pytest_configure(config) -> None:  # noqa: ANN001
    config.addinivalue_line(
        "markers", "real_commits: the test's writes must be committed for real (seen by other connections, "
                   "threads or processes); the tables are emptied afterwards instead of a rollback")
    config.addinivalue_line(
        "markers", "real_agreement_pdf: factory cases get their real agreement PDF, not the cheap stand-in")


@pytest.fixture(scope="session", autouse=True)
def compiled_translations() -> None:
    from mediation.cli.translations import compile_catalogues

    compile_catalogues()


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashes():
    """Every user the tests make gets a cheap hash: the one switch for the whole suite."""
    from mediation.models import user

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(user, "generate_password_hash",
                      lambda password, method=None: generate_password_hash(password, method=CHEAP_PASSWORD_METHOD))
        yield


@pytest.fixture(autouse=True)
def agreement_pdf_kind(request):
    """Factory cases past settlement get a cheap stand-in agreement (still stored and hashed as a
    document) unless the test is marked real_agreement_pdf."""
    from tests import factories

    factories.REAL_AGREEMENT_PDF = request.node.get_closest_marker("real_agreement_pdf") is not None
    yield
    factories.REAL_AGREEMENT_PDF = False


@pytest.fixture(scope="session", params=_backends())
def database_uri(request, tmp_path_factory) -> str:
    if request.param == "sqlite":
        uri = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    else:
        uri = postgres_url()
        _reset_postgres(uri)
    app = create_app(base_config(uri))
    with app.app_context():
        upgrade()  # the schema comes from the migrations, as in production
        regions_load()
        db.session.commit()
        db.engine.dispose()
    return uri


class SubmissionTokens:
    """A test client that puts a fresh one-time token (mediation/web/submissions.py) into a form
    it posts without one, as the rendered form would carry, for the many tests that post form
    data directly and are not about tokens. A test about tokens posts its own (an empty one
    too), or sets `fill_submission_tokens = False`."""

    fill_submission_tokens = True

    def open(self, *args, **kwargs):  # noqa: ANN002, ANN003
        if (self.fill_submission_tokens and kwargs.get("method") == "POST" and args and isinstance(args[0], str)
                and kwargs.get("json") is None):
            kwargs["data"] = self._with_token(urlsplit(args[0]).path, kwargs.get("data"))
        return super().open(*args, **kwargs)

    def _with_token(self, path: str, data):  # noqa: ANN001, ANN202
        if data is None:
            data = {}
        if path.startswith("/api/") or not isinstance(data, dict | MultiDict) or submissions.FIELD in data:
            return data
        with self.session_transaction() as session:
            user_id, _, _token = str(session.get("_user_id") or "").partition(":")
        if not user_id.isdigit():
            return data  # nobody signed in: no token to carry
        with self.application.app_context():
            token = submissions.issue(int(user_id), path)
        data = data.copy()
        data[submissions.FIELD] = token
        return data


class FreshRequestClient(SubmissionTokens, FlaskClient):
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


@pytest.fixture(scope="session")
def session_app(database_uri):
    """The app on the backend's database, built once per run (create_app costs 0.17 s)."""
    app = create_app(base_config(database_uri))
    app.test_client_class = FreshRequestClient
    # Sessions joined to the test's outer transaction (see `app`) take a SAVEPOINT of their own,
    # so their commit and rollback stay inside it.
    db.session.session_factory.configure(join_transaction_mode="create_savepoint")
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def app(session_app, request):
    """The session's app, with a fresh app context and its config restored after the test.

    By default the test's database work happens in one outer transaction on one connection, which
    every session of this thread on this database joins with a SAVEPOINT (SQLAlchemy's "Joining a
    Session into an External Transaction"), rolled back at the end: nothing to empty. Tests
    marked `real_commits` commit for real and pay for emptying the tables afterwards."""
    app = session_app
    config = dict(app.config)
    # The browser tests' live server answers from threads and connections of its own.
    real_commits = any(request.node.get_closest_marker(name) for name in ("real_commits", "browser"))
    with app.app_context():
        if real_commits:
            yield app
            db.session.rollback()
            _empty_tables()
            db.session.remove()
        else:
            # Outside a request, mediation/sqlite.py begins with BEGIN IMMEDIATE: the test holds
            # SQLite's write lock for its length, which only its own connection needs.
            connection = db.engine.connect()
            outer = connection.begin()
            patch = pytest.MonkeyPatch()
            _join_sessions(patch, connection, app.config["SQLALCHEMY_DATABASE_URI"])
            try:
                yield app
            finally:
                db.session.remove()
                patch.undo()
                outer.rollback()
                connection.close()
    app.config.clear()
    app.config.update(config)
    app.test_client_class = FreshRequestClient


def _join_sessions(monkeypatch, connection, uri: str) -> None:  # noqa: ANN001
    """Bind every session of this thread on the test's database (the test's own, those of the
    request-scoped clients' app contexts, those of another app made by make_app) to `connection`."""
    original = FlaskSession.get_bind
    thread = threading.get_ident()

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):  # noqa: ANN001, ANN202
        if (bind is None and threading.get_ident() == thread
                and current_app.config["SQLALCHEMY_DATABASE_URI"] == uri):
            return connection
        return original(self, mapper, clause, bind, **kwargs)

    monkeypatch.setattr(FlaskSession, "get_bind", get_bind)


def _empty_tables() -> None:
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEPT_TABLES]
    # The database refuses to remove case events (mediation/audit/guard.py): lifted for this
    # transaction only, the one place besides the benchmarks and a restore that may.
    # DELETE, children first, on both backends: PostgreSQL's TRUNCATE of some forty tables makes
    # new files and syncs them to disk, a tenth of a second and more per test, for a few rows.
    with events_unguarded(db.session.connection()):
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


# --- the view tests' plumbing, shared by every folder that drives the pages or the API ---

class RequestScopedClient(SubmissionTokens, FlaskClient):
    """Runs every request in an app context of its own, as a real server does.

    The `app` fixture keeps one app context pushed for the whole test, and Flask reuses it for
    each request: Flask-Login would then keep the first signed-in user in `g` for every later
    request of the test, whatever cookie it carries, and sign-out tests could not fail.
    The test's own transaction ends first, as another process's would: outside a request
    SQLite begins with BEGIN IMMEDIATE, and a transaction left open would lock the request out.
    """

    def open(self, *args, **kwargs):  # noqa: ANN002, ANN003
        if has_app_context():
            commit()  # the test's own writes end at the commit point, as a request's do
        with self.application.app_context():
            return super().open(*args, **kwargs)



@pytest.fixture
def _request_scoped_clients(app):
    """The app's test clients run each request in an app context of its own (autouse for the
    view tests: tests/web/conftest.py, and the folders that import it from there)."""
    app.test_client_class = RequestScopedClient



def english(client: FlaskClient) -> FlaskClient:
    """Pages in English, so the assertions read the messages' source text."""
    with client.session_transaction() as session:
        session["lang"] = "en"
    return client



@pytest.fixture
def new_client(app, _request_scoped_clients):
    """Another browser: a client with no cookie but the language."""
    return lambda: english(app.test_client())



def login(client: FlaskClient, user: User | str, password: str = TEST_PASSWORD):
    username = user if isinstance(user, str) else user.username
    return client.post("/login", data={"username": username, "password": password})



@pytest.fixture
def signed_in(app, new_client):
    """signed_in(role, region) -> (user, client): a new user signed in on a client of its own;
    signed_in(user=existing) signs in an existing user."""

    from tests.factories import make_user

    def factory(role: str = "mediator", region: str = "220100", *, user: User | None = None):
        user = user or make_user(role, region)
        browser = new_client()
        assert login(browser, user).status_code == 302
        return user, browser

    return factory



@pytest.fixture
def make_app(database_uri):
    """Another app on the same database, with config overrides (CSRF on, rate limits on)."""
    made, limiter_was_enabled = [], limiter.enabled

    def factory(**overrides):
        other = create_app(base_config(database_uri, **overrides))
        other.test_client_class = RequestScopedClient
        made.append(other)
        return other

    yield factory
    for other in made:
        with other.app_context():
            db.engine.dispose()
    limiter.enabled = limiter_was_enabled  # one Limiter serves every app: the last init_app set it



def sync() -> None:
    """End the test's own transaction so its next read sees what the requests committed."""
    db.session.rollback()


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
