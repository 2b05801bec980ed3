"""The audit log is one hash chain that `flask audit verify` walks after the case histories, naming the
first entry altered, missing or out of the chain; the database refuses to change or remove an entry
(SQLite and PostgreSQL alike); and two operations appending at once both land, one after the other."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import IntegrityError

from mediation.admin.services import user_update
from mediation.audit import chain
from mediation.audit.guard import events_unguarded
from mediation.audit.log_verify import ALTERED, BROKEN, MISSING, verify_log
from mediation.extensions import db
from mediation.models import AuditEntry, AuditHead, User
from tests.audit.conftest import run_verify, tamper
from tests.factories import make_case, make_user

# `flask audit verify` reads on a connection of its own, appends race from threads, and tampering
# lifts the guard's triggers: the writes must be committed for real, as in tests/audit/test_verify.py.
pytestmark = pytest.mark.real_commits

REFUSED = "audit_entry is append-only"


def log_entries() -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.seq)))


def _three() -> list[AuditEntry]:
    """Three entries: two users made, one changed."""
    admin, user = make_user("admin", "220100"), make_user("mediator", "220102")
    user_update(actor=admin, user=user, full_name="改名后", role="mediator", region_code="220102", active=True)
    db.session.commit()
    entries = log_entries()
    assert [e.action for e in entries] == ["user.create", "user.create", "user.update"]
    return entries


def test_the_entries_form_one_chain_and_the_head_follows_it(app, runner):
    entries = _three()
    prev = chain.GENESIS
    for seq, entry in enumerate(entries, start=1):
        assert (entry.seq, entry.prev_hash) == (seq, prev)
        assert entry.hash == chain.event_hash(prev, vars(entry), chain.AUDIT_CONTENT)
        prev = entry.hash
    head = db.session.get(AuditHead, 1)
    assert (head.length, head.hash) == (3, prev)
    make_case("referred")  # the case's people are users too: their entries continue the same chain
    result = run_verify(runner)
    assert result.exit_code == 0, result.output
    count = db.session.scalar(select(func.count()).select_from(AuditEntry))
    assert f"{count} audit entries: the audit log is intact." in result.output


def test_a_changed_detail_is_named(app, runner):
    entries = _three()
    tamper("UPDATE audit_entry SET detail = :detail WHERE id = :id", detail='{"username": "someone_else"}',
           id=entries[1].id)
    result = run_verify(runner)
    assert result.exit_code == 1
    assert f"audit entry seq 2 (id {entries[1].id}): {ALTERED}" in result.output
    assert "3 audit entries" not in result.output and "and 1 audit entries up to there" in result.output


def test_a_changed_actor_or_action_is_named(app, runner):
    entries = _three()
    tamper("UPDATE audit_entry SET action = 'user.create', actor_id = NULL WHERE id = :id", id=entries[2].id)
    result = run_verify(runner)
    assert result.exit_code == 1 and f"audit entry seq 3 (id {entries[2].id}): {ALTERED}" in result.output


def test_an_altered_entry_with_its_hash_recomputed_breaks_the_next_link(app, runner):
    entries = _three()
    forged = {**vars(entries[0]), "region_code": "220000"}
    tamper("UPDATE audit_entry SET region_code = '220000', hash = :hash WHERE id = :id",
           hash=chain.event_hash(entries[0].prev_hash, forged, chain.AUDIT_CONTENT), id=entries[0].id)
    result = run_verify(runner)
    assert result.exit_code == 1 and f"audit entry seq 2 (id {entries[1].id}): {BROKEN}" in result.output


def test_a_removed_entry_is_named(app, runner):
    entries = _three()
    tamper("DELETE FROM audit_entry WHERE id = :id", id=entries[1].id)
    result = run_verify(runner)
    assert result.exit_code == 1
    assert f"audit entry seq 2: {MISSING}: the next entry present is seq 3 (id {entries[2].id})" in result.output


def test_a_removed_last_entry_is_named_by_the_head(app, runner):
    entries = _three()
    tamper("DELETE FROM audit_entry WHERE id = :id", id=entries[2].id)
    result = run_verify(runner)
    assert result.exit_code == 1
    assert (f"audit entry seq 3: {MISSING}: the head records 3 entries; the last entry present is seq 2 "
            f"(id {entries[1].id})") in result.output


def test_a_changed_head_is_named(app, runner):
    entries = _three()
    tamper("UPDATE audit_head SET hash = :hash", hash=entries[1].hash)
    result = run_verify(runner)
    assert result.exit_code == 1 and f"audit entry seq 3 (id {entries[2].id}): {MISSING}" in result.output


def test_verifying_one_case_leaves_the_log_alone(app, runner):
    case = make_case("referred")
    entries = log_entries()
    tamper("UPDATE audit_entry SET detail = '{}' WHERE id = :id", id=entries[0].id)
    assert run_verify(runner, "--case", case.number).exit_code == 0
    assert run_verify(runner).exit_code == 1


def test_an_empty_log_is_intact(app):
    verdict = verify_log(db.session.connection())
    assert (verdict.entries, verdict.broken) == (0, None)


# --- the guard -----------------------------------------------------------------------------------

def test_an_update_of_an_entry_is_refused(app):
    entry = _three()[0]
    with pytest.raises(IntegrityError, match=REFUSED):
        db.session.execute(update(AuditEntry).where(AuditEntry.id == entry.id).values(action="user.update"))
    db.session.rollback()
    entry.detail = {}  # through the ORM too
    with pytest.raises(IntegrityError, match=REFUSED):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(AuditEntry, entry.id).detail["username"]


def test_a_delete_of_an_entry_is_refused(app):
    entries = _three()
    with pytest.raises(IntegrityError, match=REFUSED):
        db.session.execute(delete(AuditEntry).where(AuditEntry.id == entries[-1].id))
    db.session.rollback()
    db.session.delete(entries[0])
    with pytest.raises(IntegrityError, match=REFUSED):
        db.session.flush()
    db.session.rollback()
    assert len(log_entries()) == 3


def test_a_truncate_of_the_log_is_refused_on_postgresql(app):
    _three()
    if db.engine.dialect.name != "postgresql":
        return  # SQLite has no TRUNCATE: a DELETE without WHERE fires the row trigger (above)
    with pytest.raises(IntegrityError, match=REFUSED):
        db.session.execute(text("TRUNCATE audit_entry"))
    db.session.rollback()
    assert len(log_entries()) == 3


def test_events_unguarded_lifts_the_logs_guard_for_its_transaction_only(app):
    entries = _three()
    with events_unguarded(db.session.connection()):
        db.session.execute(update(AuditEntry).where(AuditEntry.id == entries[0].id).values(target_id=0))
    with pytest.raises(IntegrityError, match=REFUSED):
        db.session.execute(update(AuditEntry).where(AuditEntry.id == entries[0].id).values(target_id=1))
    db.session.rollback()
    assert db.session.get(AuditEntry, entries[0].id).target_id != 0


def test_the_same_seq_cannot_be_taken_twice(app):
    """Whatever slipped past the head row's lock could not fork the chain."""
    last = _three()[-1]
    db.session.add(AuditEntry(seq=last.seq, prev_hash=last.prev_hash, hash=last.hash, action="fork",
                              region_code="220100", target_kind="user", target_id=None, detail={}))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


# --- concurrency ---------------------------------------------------------------------------------

def test_two_operations_appending_at_once_both_land_in_one_chain(app, runner):
    """On PostgreSQL the second waits for the first's lock on the head row, then reads the new head;
    SQLite's writers never overlap (BEGIN IMMEDIATE). Neither fails, and the chain stays one line."""
    admin = make_user("admin", "220100")
    targets = [make_user("mediator", "220102").id for _ in range(2)]
    admin_id, before = admin.id, len(log_entries())
    db.session.rollback()
    ready = threading.Barrier(2, timeout=30)
    outcomes: list[str] = []

    def writer(user_id: int, name: str) -> None:
        with app.app_context():  # a session of its own
            try:
                actor, user = db.session.get(User, admin_id), db.session.get(User, user_id)
                user.region  # noqa: B018 - everything read before the race
                if db.engine.dialect.name == "postgresql":
                    ready.wait()
                user_update(actor=actor, user=user, full_name=name, role="mediator", region_code="220102",
                            active=True)
                db.session.commit()
                outcomes.append("saved")
            except Exception as error:  # reported by the assertion below
                db.session.rollback()
                outcomes.append(repr(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=writer, args=(user_id, f"同时{i}")) for i, user_id in enumerate(targets)]
    for thread in threads:
        thread.start()
        if db.engine.dialect.name != "postgresql":
            thread.join(timeout=60)
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes == ["saved", "saved"]
    assert [e.seq for e in log_entries()] == list(range(1, before + 3))
    assert run_verify(runner).exit_code == 0
