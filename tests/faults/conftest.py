"""Fixtures of the fault tests: databases of their own, never the suite's shared ones.

Each test gets a fresh database copied from a template built once per backend (the schema by
the migrations, the regions, a mediator with a password and an API token): a file copy on
SQLite, CREATE DATABASE ... TEMPLATE on a throwaway PostgreSQL cluster (cluster.py), which the
tests may stop, restart and make read-only. PostgreSQL runs, as in the rest of the suite, when
TEST_DATABASE_URL is set; then, and under CI=true, missing PostgreSQL binaries fail the tests.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask_babel import force_locale
from flask_migrate import upgrade

from mediation import create_app
from mediation.extensions import db
from tests.conftest import TEST_PASSWORD, base_config
from tests.factories import credit_code, resident_id
from tests.faults.cluster import Cluster, find_bin_dir

MEDIATOR = "fault_mediator"
_serials = itertools.count(1)


@dataclass
class Seeded:
    backend: str
    url: str
    token: str


def _backends() -> list[str]:
    return ["sqlite", "postgresql"] if os.environ.get("TEST_DATABASE_URL") else ["sqlite"]


@pytest.fixture(scope="session")
def pg_cluster():
    bin_dir = find_bin_dir()
    if bin_dir is None:
        message = "the PostgreSQL server binaries (initdb, pg_ctl) are not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true: {message}; the fault tests must run")
        pytest.skip(message)
    # not under pytest's folders: they are private to root, and the server runs as postgres
    root = Path(tempfile.mkdtemp(prefix="mediation-faults-pg-"))
    cluster = Cluster(bin_dir, root)
    cluster.init()
    yield cluster
    cluster.destroy()


def app_for(url: str, **overrides):
    """The app as deployed (TESTING off: every error handler on), on the given database."""
    return create_app(base_config(url, TESTING=False, **overrides))


def _seed(url: str) -> str:
    from mediation.admin.services import user_create
    from mediation.regions.tree import regions_load
    from mediation.tokens.services import token_issue

    app = create_app(base_config(url))
    with app.app_context():
        upgrade()
        regions_load()
        user = user_create(actor=None, username=MEDIATOR, full_name="故障调解员", role="mediator",
                           region_code="220100", password=TEST_PASSWORD)
        _row, raw = token_issue(user=user, actor=None, name="tests/faults")
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return raw


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Seeded:
    url = f"sqlite:///{tmp_path_factory.mktemp('faults') / 'template.sqlite3'}"
    return Seeded("sqlite", url, _seed(url))


@pytest.fixture(scope="session")
def pg_template(pg_cluster) -> Seeded:
    pg_cluster.sql("CREATE DATABASE faults_template")
    return Seeded("postgresql", pg_cluster.url("faults_template"), _seed(pg_cluster.url("faults_template")))


def _copy(template: Seeded, request, folder: Path) -> Seeded:  # noqa: ANN001
    if template.backend == "sqlite":
        path = folder / "mediation.sqlite3"
        shutil.copyfile(template.url.removeprefix("sqlite:///"), path)  # its engine is disposed: no WAL left
        return Seeded("sqlite", f"sqlite:///{path}", template.token)
    cluster = request.getfixturevalue("pg_cluster")
    name = f"faults_{next(_serials)}"
    cluster.sql(f"CREATE DATABASE {name} TEMPLATE faults_template")
    return Seeded("postgresql", cluster.url(name), template.token)


@pytest.fixture(params=_backends())
def seeded(request, tmp_path) -> Seeded:
    """A fresh copy of the template database for this test, on each backend."""
    return _copy(request.getfixturevalue(f"{'pg' if request.param == 'postgresql' else 'sqlite'}_template"),
                 request, tmp_path)


@pytest.fixture
def seeded_sqlite(request, sqlite_template, tmp_path) -> Seeded:
    return _copy(sqlite_template, request, tmp_path)


@pytest.fixture
def seeded_pg(request, tmp_path) -> Seeded:
    if "postgresql" not in _backends():
        pytest.skip("PostgreSQL runs when TEST_DATABASE_URL is set")
    return _copy(request.getfixturevalue("pg_template"), request, tmp_path)


def referral(ref: str, workers: int = 2, **overrides) -> dict:
    """A complete referral for the API, each worker with two claims."""
    return {
        "channel": "court", "referral_ref": ref, "region_code": "220102", "language": "zh",
        "received_on": (dt.date.today() - dt.timedelta(days=2)).isoformat(), "summary": "拖欠工资",
        "employer": {"name": "长春故障测试有限公司", "uscc": credit_code(), "legal_representative": "王法人",
                     "address": "长春市南关区"},
        "workers": [{"name": f"工人{n}", "id_number": resident_id(), "phone": "13912345678",
                     "claims": [{"kind": "wages", "amount": "8000.00"},
                                {"kind": "overtime", "amount": "1500.00"}]} for n in range(workers)],
    } | overrides


def translated(app, message, locale: str) -> str:  # noqa: ANN001
    """A message as a page in `locale` shows it."""
    with app.test_request_context(), force_locale(locale):
        return str(message)


def verify_commands(url: str) -> None:
    """`flask audit verify` and `flask stats verify` pass on the database."""
    app = create_app(base_config(url))
    runner = app.test_cli_runner()
    for command in (["audit", "verify"], ["stats", "verify"]):
        result = runner.invoke(args=command)
        assert result.exit_code == 0, (command, result.output)
    with app.app_context():
        db.engine.dispose()
