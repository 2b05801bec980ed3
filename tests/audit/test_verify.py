"""Every way the app writes events leaves an intact chain, and `flask audit verify` names the first
event altered or removed behind the app's back: which case, which seq, which event, what is wrong."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from mediation.audit import chain
from mediation.audit.verify import ALTERED, BROKEN, MISSING, verify_history
from mediation.cases import services
from mediation.common.timeutil import today
from mediation.enforcement.services import case_write_off, enforcement_outcome
from mediation.extensions import db
from mediation.imports.services import import_ledger
from mediation.lawyers.services import lawyer_decline, session_schedule
from mediation.models import AuditEntry, Case, CaseEvent
from mediation.settlements.ledger import payment_record
from tests.audit.conftest import chain_of, run_verify, tamper
from tests.factories import make_case, make_effective, make_user, pay_in_full
from tests.imports.conftest import ledger, to_csv

# Slow path: `flask audit verify` reads on a connection of its own (one snapshot), which sees
# only committed rows.
pytestmark = pytest.mark.real_commits

NOTE = "双方当事人同意"


def _journeys() -> list[Case]:
    """Cases taken through every service that writes an event."""
    full = make_case("mediating")
    services.session_record(case=full, actor=full.mediator, expected_version=None, held_on=None,
                            outcome="continued", attendees="申请人、被申请人", notes="第一次调解")
    services.case_extend(case=full, actor=full.lawyer, expected_version=None, days=5, agreement=NOTE)
    services.case_settle(case=full, actor=full.mediator, expected_version=None, settled_on=today(),
                         agreed_fen={item.id: item.claimed_fen for item in full.claims})
    make_effective(full)  # schedule, agreement PDF, signatures: the agreement takes effect
    pay_in_full(full)
    services.case_close(case=full, actor=full.mediator, expected_version=None)
    db.session.commit()

    enforced = make_case("enforcing")  # a judicial confirmation and a payment order, both refused
    for path in list(enforced.enforcement_paths):
        enforcement_outcome(case=enforced, actor=enforced.mediator, expected_version=None,
                            path_id=path.id, outcome="refused", outcome_on=None)
    case_write_off(case=enforced, actor=enforced.mediator, expected_version=None, reason=NOTE)
    db.session.commit()

    declined = make_case("referred")
    session_schedule(case=declined, actor=declined.mediator, expected_version=None,
                     on_date=today() + dt.timedelta(days=1), starts_at=dt.time(9), ends_at=dt.time(10),
                     override_reason="当事人只有这天有空")
    lawyer_decline(case=declined, actor=declined.lawyer, expected_version=None, reason="利益冲突")
    db.session.commit()
    return [full, enforced, declined, make_case("rejected"), make_case("withdrawn"), make_case("failed")]


def _assert_chained(case: Case) -> None:
    events = chain_of(case.id)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert [e.id for e in events] == sorted(e.id for e in events)  # seq follows the order of writing
    prev = chain.GENESIS
    for event in events:
        assert event.prev_hash == prev
        assert event.hash == chain.event_hash(prev, vars(event))
        prev = event.hash
    assert (case.history_length, case.history_head_hash) == (len(events), prev)


def test_every_service_writes_a_chained_history(app, runner):
    cases = _journeys()
    for case in cases:
        _assert_chained(case)
    actions = set(db.session.scalars(select(CaseEvent.action)))
    assert {"intake", "assign", "refer", "start_mediation", "session", "extend", "settle", "installments",
            "document", "sign", "agreement_effective", "payment", "close", "apply_confirmation", "enforce",
            "enforcement_outcome",
            "write_off", "schedule", "decline", "reject", "withdraw", "fail"} <= actions
    events = db.session.scalar(select(func.count()).select_from(CaseEvent))
    entries = db.session.scalar(select(func.count()).select_from(AuditEntry))  # the users the cases needed
    assert entries > 0
    result = run_verify(runner)
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines() == [f"{len(cases)} cases, {events} events: the history is intact.",
                                                  f"{entries} audit entries: the audit log is intact."]


def test_an_imported_ledger_is_chained_and_the_system_continues_its_chains(app, runner):
    importer, admin = make_user("supervisor", "220000"), make_user("admin", "220000")
    report = import_ledger(actor=importer, filename="台账.csv", file_bytes=to_csv(ledger()))
    db.session.commit()
    assert report.ok and report.imported == 5
    cases = db.session.scalars(select(Case)).all()
    for case in cases:
        _assert_chained(case)
        assert case.version == 1
    partly_paid = next(c for c in cases if c.referral_ref == "(2025)吉0102民初2号")
    payment_record(case=partly_paid, actor=admin, expected_version=None, worker_id=partly_paid.workers[0].id,
                   amount_fen=300_000, paid_on=today(), method="bank_transfer")
    db.session.commit()
    assert [e.action for e in chain_of(partly_paid.id)] == ["import", "payment"]
    _assert_chained(partly_paid)
    result = run_verify(runner)
    assert result.exit_code == 0 and "5 cases, 6 events: the history is intact." in result.output


# --- tampering ----------------------------------------------------------------------------------

def _victim() -> tuple[Case, list[CaseEvent]]:
    """A case of three events (intake, assign, refer), after an untouched one."""
    make_case("referred")
    case = make_case("referred")
    events = chain_of(case.id)
    assert len(events) == 3
    return case, events


def test_a_note_changed_behind_the_apps_back_is_named(app, runner):
    case, events = _victim()
    tamper("UPDATE case_event SET note = :note WHERE id = :id", note="未经同意", id=events[1].id)
    result = run_verify(runner)
    assert result.exit_code == 1
    assert f"case {case.number}, event seq 2 (id {events[1].id}): {ALTERED}" in result.output


def test_a_detail_changed_behind_the_apps_back_is_named(app, runner):
    case, events = _victim()
    tamper("UPDATE case_event SET detail = :detail WHERE id = :id", detail='{"venue_id": 999}', id=events[2].id)
    result = run_verify(runner, "--case", case.number)
    assert result.exit_code == 1
    assert f"case {case.number}, event seq 3 (id {events[2].id}): {ALTERED}" in result.output


def test_an_altered_event_with_its_hash_recomputed_breaks_the_next_link(app, runner):
    case, events = _victim()
    forged = {**vars(events[0]), "note": "伪造"}
    tamper("UPDATE case_event SET note = :note, hash = :hash WHERE id = :id", note="伪造",
           hash=chain.event_hash(events[0].prev_hash, forged), id=events[0].id)
    result = run_verify(runner)
    assert result.exit_code == 1
    assert f"case {case.number}, event seq 2 (id {events[1].id}): {BROKEN}" in result.output


def test_a_changed_prev_hash_is_named(app, runner):
    case, events = _victim()
    tamper("UPDATE case_event SET prev_hash = :prev WHERE id = :id", prev=chain.GENESIS, id=events[2].id)
    result = run_verify(runner)
    assert result.exit_code == 1
    assert f"case {case.number}, event seq 3 (id {events[2].id}): {BROKEN}" in result.output


def test_a_deleted_middle_event_is_named_as_a_gap(app, runner):
    case, events = _victim()
    tamper("DELETE FROM case_event WHERE id = :id", id=events[1].id)
    result = run_verify(runner)
    assert result.exit_code == 1
    assert (f"case {case.number}, event seq 2: {MISSING}: the next event present is seq 3 (id {events[2].id})"
            in result.output)


def test_a_deleted_last_event_is_named_by_the_cases_head(app, runner):
    case, events = _victim()
    tamper("DELETE FROM case_event WHERE id = :id", id=events[2].id)
    result = run_verify(runner)
    assert result.exit_code == 1
    assert f"case {case.number}, event seq 3: {MISSING}: the case records 3 events" in result.output


def test_a_case_whose_whole_history_is_gone_is_named(app, runner):
    case, _events = _victim()
    tamper("DELETE FROM case_event WHERE case_id = :id", id=case.id)
    result = run_verify(runner)
    assert result.exit_code == 1
    assert f"case {case.number}, event seq 1: {MISSING}: the case records 3 events; no event is present" \
        in result.output


def test_a_replaced_last_event_with_a_valid_hash_does_not_match_the_head(app, runner):
    case, events = _victim()
    last = events[2]
    forged = {**vars(last), "note": "另一个版本"}
    tamper("UPDATE case_event SET note = :note, hash = :hash WHERE id = :id", note="另一个版本",
           hash=chain.event_hash(last.prev_hash, forged), id=last.id)
    result = run_verify(runner)
    assert result.exit_code == 1
    assert f"case {case.number}, event seq 3 (id {last.id}): {MISSING}: the case's recorded head" in result.output


def test_verify_stops_at_the_first_break_and_can_check_one_case(app, runner):
    first, first_events = _victim()
    second, second_events = _victim()
    for event in (first_events[2], second_events[0]):
        tamper("UPDATE case_event SET note = 'x' WHERE id = :id", id=event.id)
    result = run_verify(runner)
    assert f"case {first.number}, event seq 3" in result.output and second.number not in result.output
    result = run_verify(runner, "--case", second.number)
    assert result.exit_code == 1 and f"case {second.number}, event seq 1" in result.output
    untouched = db.session.scalars(select(Case).order_by(Case.id)).first()
    result = run_verify(runner, "--case", untouched.number)
    assert result.exit_code == 0 and "1 cases, 3 events: the history is intact." in result.output


def test_verify_of_an_unknown_case_says_so(app, runner):
    result = run_verify(runner, "--case", "no-such-case")
    assert result.exit_code == 1 and "No case 'no-such-case'." in result.output


def test_the_walk_reads_the_cases_in_batches(app, monkeypatch):
    from mediation.audit import verify

    monkeypatch.setattr(verify, "CASES_PER_BATCH", 2)
    cases = [make_case("referred") for _ in range(5)]
    tamper("UPDATE case_event SET note = 'x' WHERE id = :id", id=chain_of(cases[-1].id)[0].id)
    verdict = verify_history(db.session.connection())
    assert (verdict.cases, verdict.events) == (5, 15)
    assert (verdict.broken.case_number, verdict.broken.seq, verdict.broken.problem) == (cases[-1].number, 1, ALTERED)
