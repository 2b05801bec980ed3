"""Migration 0015 gives each case its own workers: a worker shared by several cases becomes one row
per case, and every row that names the worker (claim items, payments, installments, signatures
and their party keys, the statistics' counted facts) moves to its case's own row. The history's
chains and the statistics' summary still verify afterwards, and the downgrade merges the rows
back. Like tests/audit/test_migration.py, it runs on a database of its own (a SQLite file, or a
schema of its own on PostgreSQL)."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text

from mediation import create_app
from mediation.audit.verify import verify_history
from mediation.extensions import db
from mediation.regions.tree import regions_load
from mediation.settlements.ledger import payment_record
from mediation.stats import summary
from tests.conftest import base_config

SCHEMA = "parties_migration_check"


@pytest.fixture
def own_database(database_uri, tmp_path):
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


def _run(url: str, *statements: str) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))
    engine.dispose()


def _rows(sql: str, **params) -> list[tuple]:
    return [tuple(row) for row in db.session.execute(text(sql), params).all()]


def _names_of_workers(table: str, case_id: int) -> set[tuple]:
    """(ID number, the case the named worker row belongs to) for every row of `table` of the case."""
    return set(_rows(f"SELECT w.id_number, w.case_id FROM {table} t JOIN worker w ON w.id = t.worker_id "
                     f"WHERE t.case_id = :case", case=case_id))


def test_0015_splits_shared_workers_and_moves_everything_that_names_them(own_database, monkeypatch):
    from tests import factories

    upgrade()
    regions_load()
    db.session.commit()
    first = factories.make_case("closed", region="220102", workers=2)  # paid, signed, scheduled
    person = first.workers[0].id_number
    monkeypatch.setattr(factories, "resident_id", lambda *a, **k: person)
    second = factories.make_case("effective", region="222401")  # the same person, in Yanbian
    monkeypatch.undo()
    payment_record(case=second, actor=second.mediator, expected_version=None, worker_id=second.workers[0].id,
                   amount_fen=10000, paid_on=None, method="cash")
    factories.make_case("intake", region="220102")  # a later worker row: the split's copy cannot reuse an id
    factories.commit()
    first_id, second_id = first.id, second.id
    db.session.remove()

    downgrade(revision="0014")  # one row per ID number, shared through case_worker, as 0014 kept them
    (shared,) = _rows("SELECT id FROM worker WHERE id_number = :n", n=person)
    assert _rows("SELECT case_id FROM case_worker WHERE worker_id = :w ORDER BY case_id", w=shared[0]) == [
        (first_id,), (second_id,)]
    assert set(_rows("SELECT party FROM agreement_signature WHERE case_id = :c AND party LIKE 'worker:%'",
                     c=second_id)) == {(f"worker:{shared[0]}",)}
    db.session.execute(text("UPDATE employer SET name = '后来的名称' WHERE id = "
                            "(SELECT employer_id FROM case_file WHERE id = :c)"), {"c": first_id})
    db.session.commit()
    db.session.remove()

    upgrade()

    for case_id, count in ((first_id, 2), (second_id, 1)):
        own = _rows("SELECT id, id_number FROM worker WHERE case_id = :c", c=case_id)
        assert len(own) == count
        for table in ("claim_item", "payment", "installment", "agreement_signature"):
            assert {owner for _number, owner in _names_of_workers(table, case_id)} == {case_id}, table
        assert _rows("SELECT COUNT(*) FROM agreement_signature WHERE case_id = :c AND party LIKE 'worker:%' "
                     "AND party <> 'worker:' || worker_id", c=case_id) == [(0,)]
    assert len(_rows("SELECT id FROM worker WHERE id_number = :n", n=person)) == 2
    assert _rows("SELECT employer_name, employer_uscc = (SELECT uscc FROM employer WHERE id = employer_id) "
                 "FROM case_file WHERE id = :c", c=first_id) == [("后来的名称", True)]
    connection = db.session.connection()
    assert "case_worker" not in db.inspect(connection).get_table_names()
    assert summary.verify(connection) == []
    assert verify_history(connection).broken is None
