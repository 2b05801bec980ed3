"""Migration 0011 chains the events a database already holds: the chains it computes are the very
ones the app writes, and the guard is in place afterwards (and after db.create_all() too).

It runs on a database of its own: a SQLite file, or a schema of its own in the PostgreSQL test
database (the shared schema must stay at the head revision for the other tests).
"""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, select, text
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.exc import IntegrityError

from mediation import create_app
from mediation.audit.verify import verify_history
from mediation.extensions import db
from mediation.models import Case, CaseEvent
from mediation.regions.tree import regions_load
from tests.conftest import base_config

SCHEMA = "audit_migration_check"


@pytest.fixture
def own_database(database_uri, tmp_path):
    """An app on an empty database of its own, its context pushed; yields the app."""
    if database_uri.startswith("sqlite"):
        uri = f"sqlite:///{tmp_path / 'migration.sqlite3'}"
    else:
        base = database_uri  # the worker's own database under pytest-xdist
        _run(base, f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE", f"CREATE SCHEMA {SCHEMA}")
        uri = f"{base}?options=-csearch_path%3D{SCHEMA}"
    app = create_app(base_config(uri))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
    if not database_uri.startswith("sqlite"):
        _run(database_uri, f"DROP SCHEMA {SCHEMA} CASCADE")


def _run(url: str, *statements: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
    engine.dispose()


def _chains() -> tuple[list[tuple], list[tuple]]:
    events = db.session.execute(select(CaseEvent.id, CaseEvent.case_id, CaseEvent.seq, CaseEvent.prev_hash,
                                       CaseEvent.hash).order_by(CaseEvent.id)).all()
    heads = db.session.execute(select(Case.id, Case.history_length, Case.history_head_hash).order_by(Case.id)).all()
    return [tuple(e) for e in events], [tuple(h) for h in heads]


def test_the_migration_chains_existing_events_as_the_app_does(own_database):
    from tests.factories import make_case

    upgrade()
    regions_load()
    db.session.commit()
    for state in ("closed", "referred", "intake"):
        make_case(state)
    written = _chains()
    db.session.remove()

    downgrade(revision="0010")  # the events as they were before chains: no seq, no hashes, no guard
    with db.engine.begin() as connection:
        connection.execute(text("INSERT INTO case_file (number, channel, region_code, employer_id, state, "
                                "language, summary, worker_count, received_on, extended, written_off_fen, "
                                "outcome_reason, created_at, updated_at, version, due_is_approximate) "
                                "SELECT 'NO-HISTORY', channel, region_code, employer_id, state, language, summary, "
                                "worker_count, received_on, extended, written_off_fen, outcome_reason, created_at, "
                                "updated_at, 1, due_is_approximate FROM case_file WHERE id = 1"))
        connection.execute(text("UPDATE case_event SET note = note"))  # no guard at 0010
    upgrade()

    events, heads = _chains()
    assert events == written[0]
    assert heads == [*written[1], (heads[-1][0], 0, "0" * 64)]  # a case with no events: an empty chain
    verdict = verify_history(db.session.connection())
    assert verdict.broken is None and verdict.cases == 4
    with pytest.raises(IntegrityError, match="append-only"):
        db.session.execute(text("UPDATE case_event SET note = 'x'"))
    db.session.rollback()


def test_a_schema_made_by_create_all_has_the_guard_too(own_database):
    from tests.factories import make_case

    db.create_all()
    regions_load()
    db.session.commit()
    case = make_case("referred")
    with pytest.raises(IntegrityError, match="append-only"):
        db.session.execute(text("DELETE FROM case_event WHERE case_id = :id"), {"id": case.id})
    db.session.rollback()
    assert verify_history(db.session.connection()).broken is None


def test_migration_0013_makes_the_audit_log_guarded_with_its_head_and_removes_them_again(own_database):
    from mediation.audit.log_verify import verify_log
    from tests.factories import make_user

    upgrade()
    regions_load()
    db.session.commit()
    assert db.session.execute(text("SELECT id, length, hash FROM audit_head")).all() == [(1, 0, "0" * 64)]
    make_user("admin", "220100")
    with pytest.raises(IntegrityError, match="audit_entry is append-only"):
        db.session.execute(text("UPDATE audit_entry SET action = 'x'"))
    db.session.rollback()
    assert verify_log(db.session.connection()).entries == 1
    db.session.remove()

    downgrade(revision="0012")
    tables = set(sa_inspect(db.engine).get_table_names())
    assert not {"audit_entry", "audit_head"} & tables and "case_event" in tables
    upgrade()


def test_a_schema_made_by_create_all_guards_the_audit_log_too(own_database):
    from tests.factories import make_user

    db.create_all()
    regions_load()
    db.session.commit()
    make_user("admin", "220100")  # no head row yet: the first append makes it
    with pytest.raises(IntegrityError, match="audit_entry is append-only"):
        db.session.execute(text("DELETE FROM audit_entry"))
    db.session.rollback()
