"""The database itself refuses to change or remove a case event (mediation/audit/guard.py), on
SQLite and PostgreSQL alike, while new events are still written; only `events_unguarded`, for
test and benchmark clean-ups, lifts it, and only inside its own transaction."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import IntegrityError

from mediation.audit.guard import events_unguarded
from mediation.cases import services
from mediation.extensions import db
from mediation.models import Case, CaseEvent
from tests.audit.conftest import chain_of
from tests.factories import make_case

# Slow path: the guard's triggers are lifted and put back (DDL on SQLite) and its refusals
# end transactions; these run on committed rows as the app's requests do.
pytestmark = pytest.mark.real_commits

REFUSED = "case_event is append-only"


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(CaseEvent))


def test_an_update_of_an_event_is_refused(app):
    event = chain_of(make_case("referred").id)[0]
    with pytest.raises(IntegrityError, match=REFUSED):
        db.session.execute(update(CaseEvent).where(CaseEvent.id == event.id).values(note="改过的记录"))
    db.session.rollback()
    event.note = "改过的记录"  # through the ORM too
    with pytest.raises(IntegrityError, match=REFUSED):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(CaseEvent, event.id).note == ""


def test_a_delete_of_an_event_is_refused(app):
    case = make_case("referred")
    before = _count()
    with pytest.raises(IntegrityError, match=REFUSED):
        db.session.execute(delete(CaseEvent).where(CaseEvent.case_id == case.id))
    db.session.rollback()
    db.session.delete(chain_of(case.id)[-1])
    with pytest.raises(IntegrityError, match=REFUSED):
        db.session.flush()
    db.session.rollback()
    assert _count() == before


def test_deleting_a_case_with_a_history_is_refused(app):
    """The cascade from case_file would remove its events: the guard stops it too."""
    case = make_case("intake")
    with pytest.raises(IntegrityError, match=REFUSED):
        db.session.execute(delete(Case).where(Case.id == case.id))
    db.session.rollback()
    assert db.session.get(Case, case.id) is not None


def test_a_truncate_of_the_events_is_refused_on_postgresql(app):
    make_case("intake")
    if db.engine.dialect.name != "postgresql":
        return  # SQLite has no TRUNCATE: a DELETE without WHERE fires the row trigger (above)
    with pytest.raises(IntegrityError, match=REFUSED):
        db.session.execute(text("TRUNCATE case_event"))
    db.session.rollback()
    assert _count() == 1


def test_new_events_are_still_written(app):
    case = make_case("mediating")
    before = len(chain_of(case.id))
    services.case_fail(case=case, actor=case.mediator, expected_version=None, reason="差距过大")
    db.session.commit()
    assert [e.action for e in chain_of(case.id)][before:] == ["fail"]


def test_events_unguarded_lifts_the_guard_for_its_transaction_only(app):
    case = make_case("referred")
    with events_unguarded(db.session.connection()):
        db.session.execute(update(CaseEvent).where(CaseEvent.case_id == case.id).values(note="维护"))
    with pytest.raises(IntegrityError, match=REFUSED):  # on again at once, in the same transaction
        db.session.execute(update(CaseEvent).where(CaseEvent.case_id == case.id).values(note="再改"))
    db.session.rollback()
    assert {e.note for e in chain_of(case.id)} == {""}  # the rollback undid the lifted change too


def test_a_failure_inside_events_unguarded_rolls_back_to_the_guard(app):
    case = make_case("referred")
    with pytest.raises(ZeroDivisionError), events_unguarded(db.session.connection()):
        db.session.execute(delete(CaseEvent).where(CaseEvent.case_id == case.id))
        1 / 0  # noqa: B018
    db.session.rollback()
    assert len(chain_of(case.id)) == 3  # intake, assign, refer
    with pytest.raises(IntegrityError, match=REFUSED):
        db.session.execute(delete(CaseEvent).where(CaseEvent.case_id == case.id))
    db.session.rollback()


def test_the_same_seq_cannot_be_taken_twice_in_a_case(app):
    """Whatever slipped past the case's version check could not fork the chain."""
    last = chain_of(make_case("referred").id)[-1]
    db.session.add(CaseEvent(case_id=last.case_id, seq=last.seq, prev_hash=last.prev_hash, hash=last.hash,
                             action="fork", note="", detail={}))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
