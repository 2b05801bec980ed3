"""Migration 0017 (voided payments, cancelled or moved sessions) on a database of its own: the rows
a deployment already holds are carried over (no payment voided, no reason), the payment's checks
survive SQLite's table rebuild, and the downgrade takes the columns away again.
"""

from __future__ import annotations

import datetime as dt

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import IntegrityError

from mediation import create_app
from mediation.extensions import db
from mediation.regions.tree import regions_load
from tests.conftest import base_config

SCHEMA = "corrections_migration_check"


def _run(url: str, *statements: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
    engine.dispose()


@pytest.fixture
def own_database(database_uri, tmp_path):
    """An app on an empty database of its own (as tests/audit/test_migration.py makes one)."""
    if database_uri.startswith("sqlite"):
        uri = f"sqlite:///{tmp_path / 'migration.sqlite3'}"
    else:
        _run(database_uri, f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE", f"CREATE SCHEMA {SCHEMA}")
        uri = f"{database_uri}?options=-csearch_path%3D{SCHEMA}"
    app = create_app(base_config(uri))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
    if not database_uri.startswith("sqlite"):
        _run(database_uri, f"DROP SCHEMA {SCHEMA} CASCADE")


def _columns(table: str) -> set[str]:
    return {column["name"] for column in sa_inspect(db.engine).get_columns(table)}


def test_existing_payments_and_sessions_are_carried_over_both_ways(own_database):
    from mediation.lawyers.services import session_schedule
    from tests.factories import make_case, pay_in_full

    # The rows are made by today's app at the head, then taken down to 0016 (as a deployment there
    # holds them) and up again: what 0017 finds, it must keep.
    upgrade()
    regions_load()
    db.session.commit()
    paid = make_case("effective")
    pay_in_full(paid)
    booked = make_case("mediating")
    session_schedule(case=booked, actor=booked.mediator, expected_version=None,
                     on_date=dt.date.today() + dt.timedelta(days=3), starts_at=dt.time(9), ends_at=dt.time(10),
                     override_reason="迁移测试")
    db.session.commit()
    payments = db.session.execute(text("SELECT id, case_id, amount_fen FROM payment ORDER BY id")).all()
    sessions = db.session.execute(text("SELECT id, case_id, status FROM mediation_session ORDER BY id")).all()
    db.session.remove()

    downgrade(revision="0016")
    assert not {"voided_at", "voided_by_id", "void_reason"} & _columns("payment")
    assert not {"change_reason", "rescheduled_from_id"} & _columns("mediation_session")
    upgrade()

    assert db.session.execute(text("SELECT id, case_id, amount_fen FROM payment ORDER BY id")).all() == payments
    assert db.session.execute(text("SELECT id, case_id, status FROM mediation_session ORDER BY id")).all() == sessions
    assert db.session.execute(text("SELECT count(*) FROM payment WHERE voided_at IS NOT NULL OR void_reason <> ''"
                                   " OR voided_by_id IS NOT NULL")).scalar_one() == 0
    assert db.session.execute(text("SELECT count(*) FROM mediation_session WHERE change_reason <> '' "
                                   "OR rescheduled_from_id IS NOT NULL")).scalar_one() == 0
    with pytest.raises(IntegrityError):  # the payment's checks survived the rebuild
        db.session.execute(text("UPDATE payment SET amount_fen = 0"))
    db.session.rollback()
    with pytest.raises(IntegrityError):  # and the new foreign key holds
        db.session.execute(text("UPDATE payment SET voided_by_id = 999999"))
        db.session.flush()
        db.session.commit()
    db.session.rollback()
