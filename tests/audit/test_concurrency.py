"""Two people appending to one case's history at the same moment never fork its chain: the second
meets the case's version check (a Conflict, nothing written) and the chain stays one line."""

from __future__ import annotations

import threading

import pytest

from mediation.audit.verify import verify_history
from mediation.cases import services
from mediation.common.errors import Conflict
from mediation.extensions import db
from mediation.models import Case
from tests.audit.conftest import chain_of
from tests.factories import make_case

# Slow path: two threads write through sessions of their own, so each must see what the
# other committed.
pytestmark = pytest.mark.real_commits


def _append(case: Case) -> None:
    services.session_record(case=case, actor=case.mediator, expected_version=None, held_on=None,
                            outcome="continued", attendees="双方", notes="同时记录")


def test_two_appends_racing_on_one_case_give_one_event_and_one_conflict(app):
    """Both writers hold the same version when they flush; on PostgreSQL the second flush waits
    for the first writer's row lock, then finds the version gone."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite writers take the database's write lock at BEGIN IMMEDIATE and never overlap; "
                    "the interleaved case is test_an_append_from_a_stale_version_is_a_conflict")
    case = make_case("mediating")
    case_id, length = case.id, case.history_length
    db.session.rollback()
    both_loaded = threading.Barrier(2, timeout=30)
    outcomes: list[str] = []

    def writer() -> None:
        with app.app_context():  # a session of its own
            try:
                mine = db.session.get(Case, case_id)
                mine.mediator  # noqa: B018 - everything read before the race
                both_loaded.wait()
                _append(mine)
                db.session.commit()
                outcomes.append("appended")
            except Conflict:
                db.session.rollback()
                outcomes.append("conflict")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["appended", "conflict"]
    assert [e.seq for e in chain_of(case_id)] == list(range(1, length + 2))
    assert verify_history(db.session.connection()).broken is None


def test_an_append_from_a_stale_version_is_a_conflict(app):
    """The same race interleaved, on both backends: I read the case, someone else appends and
    commits, then I append from what I read."""
    case = make_case("mediating")
    length = case.history_length
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()  # the case stays loaded, as in a request; no transaction (SQLite's lock) held
    finally:
        session.expire_on_commit = True
    other = threading.Thread(target=_append_elsewhere, args=(app, case.id))
    other.start()
    other.join(timeout=60)
    with pytest.raises(Conflict):
        _append(case)
    db.session.rollback()
    assert [e.seq for e in chain_of(case.id)] == list(range(1, length + 2))
    assert verify_history(db.session.connection()).broken is None


def _append_elsewhere(app, case_id: int) -> None:  # noqa: ANN001
    with app.app_context():  # another request, with a session of its own
        _append(db.session.get(Case, case_id))
        db.session.commit()
        db.session.remove()
