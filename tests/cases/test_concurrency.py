"""Concurrent edits of one case: optimistic locking turns a lost update into a Conflict.

On SQLite the app begins every write transaction with BEGIN IMMEDIATE, so only one connection
may hold a transaction at a time: the main session ends its transaction before a second
connection writes, and that connection commits and closes at once.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from mediation.cases import services
from mediation.common.errors import Conflict
from mediation.extensions import db
from mediation.models import Case
from tests.cases.calls import NOTE, SERVICES, prepared, ready_case
from tests.cases.unchanged import case_row, last_event_id, new_events, nothing_written, row_counts
from tests.factories import make_case


def end_transaction_keeping_loaded_rows() -> None:
    """Like a request that read the case, then waits while another request commits a change."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def bump_version_elsewhere(case_id: int) -> None:
    """Another request's committed edit, through a connection of its own."""
    with db.engine.connect() as connection:
        connection.execute(text("UPDATE case_file SET version = version + 1, summary = 'changed elsewhere' "
                                "WHERE id = :id"), {"id": case_id})
        connection.commit()


@pytest.mark.parametrize("service", list(SERVICES))
def test_an_older_expected_version_is_a_conflict(app, service):
    case = ready_case(service)
    call = prepared(service, case, case.mediator, expected_version=case.version - 1)
    with nothing_written(Conflict, case):
        call()


@pytest.mark.real_commits  # two sessions of their own, each on a connection of its own
def test_two_sessions_editing_one_case_raise_stale_data(app):
    case_id = make_case("mediating").id
    db.session.rollback()  # end the factory's read transaction before other connections write
    mine_session = Session(db.engine, expire_on_commit=False)
    their_session = Session(db.engine)
    try:
        mine = mine_session.get(Case, case_id)
        mine_session.commit()  # loaded, and no transaction (SQLite lock) held any more
        theirs = their_session.get(Case, case_id)
        theirs.summary = "theirs"
        their_session.commit()
        mine.summary = "mine"
        with pytest.raises(StaleDataError):
            mine_session.flush()
        mine_session.rollback()
    finally:
        mine_session.close()
        their_session.close()
    assert db.session.get(Case, case_id).summary == "theirs"


@pytest.mark.real_commits  # the other edit is committed on a connection of its own
@pytest.mark.parametrize("service", list(SERVICES))
def test_an_edit_committed_behind_the_services_back_is_a_conflict(app, service):
    case = ready_case(service)
    call = prepared(service, case, case.mediator)  # expected_version=None: only the flush can tell
    counts, since, row = row_counts(), last_event_id(), case_row(case.id)
    assert case.version == row["version"]  # the case row is loaded, as the request loaded it
    end_transaction_keeping_loaded_rows()
    bump_version_elsewhere(case.id)
    with pytest.raises(Conflict):
        call()
    db.session.rollback()
    assert row_counts() == counts and new_events(since) == []
    assert case_row(case.id) == {**row, "version": row["version"] + 1, "summary": "changed elsewhere"}


def test_the_loser_of_two_edits_from_one_version_gets_a_conflict(app):
    case = make_case("mediating")
    version = case.version
    services.case_extend(case=case, actor=case.lawyer, expected_version=version, days=5, agreement=NOTE)
    db.session.commit()
    with nothing_written(Conflict, case):
        services.case_fail(case=case, actor=case.mediator, expected_version=version, reason="差距过大")
