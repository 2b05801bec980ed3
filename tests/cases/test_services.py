"""Case services after intake: states, roles, regions, guards, clocks, events and bad arguments.

Every refusal must raise the right ServiceError and leave the database as it was.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

import workflows
from mediation.admin.services import user_update, venue_save
from mediation.cases import services
from mediation.common.errors import NotPermitted, Refused, ValidationFailed
from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.models import MediationSession, Payment
from mediation.settlements import ledger
from tests.cases.calls import NOTE, READY, SERVICES, owed_to, prepared, ready_case
from tests.cases.unchanged import last_event_id, new_events, nothing_written
from tests.factories import make_case, make_effective, make_user, make_venue

STATES = ["intake", "referred", "mediating", "settled", "enforcing", "failed", "withdrawn", "rejected", "closed"]
WRONG_STATE = [(t, s) for t, trigger in workflows.TRIGGERS.items() for s in STATES if s not in trigger.sources]


@pytest.mark.parametrize("trigger, state", WRONG_STATE)
def test_a_trigger_the_state_does_not_allow_is_refused(app, trigger, state):
    case = make_case(state)
    call = prepared(trigger, case, case.mediator)
    with nothing_written(Refused, case):
        call()


@pytest.mark.parametrize("trigger", list(workflows.TRIGGERS))
def test_each_state_change_writes_exactly_one_event(app, trigger):
    case = ready_case(trigger)
    from_state, version, since = case.state, case.version, last_event_id()
    prepared(trigger, case, case.mediator)()
    db.session.commit()
    dest = workflows.TRIGGERS[trigger].dest
    assert case.state == (from_state if dest == "=" else dest) and case.version > version
    changes = [e for e in new_events(since) if e.to_state is not None]
    assert len(changes) == 1
    event = changes[0]
    assert (event.case_id, event.actor_id, event.action) == (case.id, case.mediator.id, trigger)
    assert (event.from_state, event.to_state) == (from_state, case.state)
    assert event.note == ("" if trigger in ("start_mediation", "apply_confirmation", "enforce") else NOTE)
    # refer also records the venue and lawyer it sets, as an assignment without a state change
    assert [e.action for e in new_events(since) if e.to_state is None] == (["assign"] if trigger == "refer" else [])


ACTORS = {
    "supervisor": lambda: make_user("supervisor", "220000"),
    "yanbian-mediator": lambda: make_user("mediator", "222400"),
    "unassigned-lawyer": lambda: make_user("lawyer", "220100"),
}


@pytest.mark.parametrize("service", list(SERVICES))
@pytest.mark.parametrize("who", list(ACTORS))
def test_outsiders_may_not_act(app, who, service):
    case = ready_case(service)
    call = prepared(service, case, ACTORS[who]())
    with nothing_written(NotPermitted, case):
        call()


@pytest.mark.parametrize("service", ["refer", "reject", "assign"])
def test_the_assigned_lawyer_may_not_refer_reject_or_assign(app, service):
    case = make_case(READY[service])
    services.case_assign(case=case, actor=case.mediator, expected_version=None, venue=None,
                         lawyer=make_user("lawyer", "220100"))
    db.session.commit()
    call = prepared(service, case, case.lawyer)
    with nothing_written(NotPermitted, case):
        call()


def test_the_assigned_lawyer_can_take_a_case_from_referral_to_closing(app):
    case = make_case("referred")
    lawyer, since = case.lawyer, last_event_id()
    for service in ("start_mediation", "session", "extend", "settle", "payment", "close"):
        if service == "payment":
            make_effective(case, actor=lawyer)
        prepared(service, case, lawyer)()
        db.session.commit()
    assert case.state == "closed" and case.outstanding_fen == 0
    assert {e.actor_id for e in new_events(since)} == {lawyer.id}


def later(days: int):
    return lambda case: today() + dt.timedelta(days=days)


def before_received(case):
    return case.received_on - dt.timedelta(days=1)


def before_started(case):
    return case.mediation_started_on - dt.timedelta(days=1)


def first_item(value):
    return lambda case: {case.claims[0].id: value}


LONG = "长" * (services.MAX_NOTE + 1)
# What a service refuses itself. A value of the wrong type (a date as text, days as "5", an amount
# as a float) never reaches it: the page's form and the API's schema refuse it, naming the field
# (tests/web/test_case_actions.py, tests/api/test_actions.py, tests/api/test_payments_documents.py).
BAD_ARGUMENTS = [
    ("refer", {"venue": None}, "venue_id"),
    ("refer", {"referred_on": later(1)}, "referred_on"),
    ("refer", {"referred_on": before_received}, "referred_on"),
    ("refer", {"note": LONG}, "note"),
    ("assign", {"lawyer": lambda case: make_user("mediator", "220100")}, "lawyer_id"),
    ("assign", {"lawyer": lambda case: make_user("lawyer", "222400")}, "lawyer_id"),
    ("assign", {"venue": lambda case: make_venue("222400")}, "venue_id"),
    ("assign", {"reason": LONG}, "reason"),
    ("start_mediation", {"started_on": later(1)}, "started_on"),
    ("start_mediation", {"started_on": before_received}, "started_on"),
    *[("extend", {"days": days}, "days") for days in (0, 16, -1)],
    *[("extend", {"agreement": text}, "agreement") for text in ("", "   ", None, LONG)],
    ("settle", {"agreed_fen": {}}, "agreed-{item}"),
    *[("settle", {"agreed_fen": first_item(v)}, "agreed-{item}") for v in (None, -1, 10**15)],
    ("settle", {"agreed_fen": lambda case: {case.claims[0].id: 100, 987654: 100}}, "agreed"),
    ("settle", {"settled_on": later(1)}, "settled_on"),
    ("settle", {"settled_on": before_started}, "settled_on"),
    ("settle", {"note": LONG}, "note"),
    *[(t, {"reason": r}, "reason") for t in ("fail", "withdraw", "reject") for r in ("", None, LONG)],
    ("fail", {"ended_on": later(1)}, "ended_on"),
    ("fail", {"ended_on": before_started}, "ended_on"),
    ("reject", {"ended_on": before_received}, "ended_on"),
    ("close", {"closed_on": later(1)}, "closed_on"),
    ("close", {"closed_on": lambda case: case.settled_on - dt.timedelta(days=1)}, "closed_on"),
    ("close", {"note": LONG}, "note"),
    *[("session", {"outcome": o}, "outcome") for o in ("great", None, "")],
    ("session", {"attendees": "人" * 501}, "attendees"),
    ("session", {"notes": LONG}, "notes"),
    ("session", {"held_on": later(1)}, "held_on"),
    ("session", {"held_on": before_started}, "held_on"),
    *[("payment", {"amount_fen": a}, "amount") for a in (0, -100, 10**15, None)],
    ("payment", {"amount_fen": lambda case: owed_to(case, case.workers[0]) + 1}, "amount"),
    *[("payment", {"worker_id": w}, "worker_id") for w in (987654, "abc", None)],
    *[("payment", {"method": m}, "method") for m in ("bitcoin", None)],
    ("payment", {"receipt_no": "R" * 65}, "receipt_no"),
    ("payment", {"paid_on": later(1)}, "paid_on"),
    ("payment", {"paid_on": lambda case: case.settled_on - dt.timedelta(days=1)}, "paid_on"),
]


@pytest.mark.parametrize("service, overrides, field", BAD_ARGUMENTS)
def test_bad_arguments_are_refused_naming_the_field(app, service, overrides, field):
    case = ready_case(service)
    call = prepared(service, case, case.mediator, **overrides)
    with nothing_written(ValidationFailed, case, field.format(item=case.claims[0].id)):
        call()


@pytest.mark.parametrize("started_ago", [0, 3, 20])
def test_start_mediation_sets_the_statutory_deadline(app, started_ago):
    case = make_case("referred")
    started_on = today() - dt.timedelta(days=started_ago)
    services.case_start_mediation(case=case, actor=case.mediator, expected_version=None, started_on=started_on)
    db.session.commit()
    deadline = workflows.mediation_deadline(started_on)
    assert (case.mediation_started_on, case.mediation_due_on) == (started_on, deadline.due_on)
    assert case.due_is_approximate is deadline.approximate and case.mediation_due_on > started_on


def test_mediation_cannot_start_without_a_lawyer(app):
    case = make_case("intake")
    services.case_refer(case=case, actor=case.mediator, expected_version=None, venue=make_venue("220100"))
    db.session.commit()
    with nothing_written(Refused, case):
        services.case_start_mediation(case=case, actor=case.mediator, expected_version=None)


@pytest.mark.parametrize("days", [1, 15])
def test_extend_works_once_with_an_agreement(app, days):
    case = make_case("mediating")
    previous = case.mediation_due_on
    services.case_extend(case=case, actor=case.mediator, expected_version=None, days=days, agreement=NOTE)
    db.session.commit()
    assert case.extended and case.mediation_due_on == workflows.extended_deadline(previous, days).due_on
    with nothing_written(Refused, case):
        services.case_extend(case=case, actor=case.mediator, expected_version=None, days=1, agreement=NOTE)


def test_settle_refuses_a_zero_total_and_keeps_no_amounts(app):
    case = make_case("mediating", workers=2)
    with nothing_written(Refused, case):
        services.case_settle(case=case, actor=case.mediator, expected_version=None,
                             agreed_fen={item.id: 0 for item in case.claims})
    assert [item.agreed_fen for item in case.claims] == [None, None]


def test_settle_records_every_agreed_amount(app):
    case = make_case("mediating", workers=2)
    agreed = {case.claims[0].id: 0, case.claims[1].id: case.claims[1].claimed_fen // 2}
    services.case_settle(case=case, actor=case.mediator, expected_version=None, agreed_fen=agreed)
    db.session.commit()
    assert case.state == "settled" and case.settled_on == today()
    assert {item.id: item.agreed_fen for item in case.claims} == agreed
    assert case.outstanding_fen == sum(agreed.values())


def test_close_waits_until_every_fen_is_paid(app):
    case = make_case("effective", workers=2)
    first, second = case.workers
    ledger.payment_record(case=case, actor=case.mediator, expected_version=None, worker_id=first.id,
                            amount_fen=owed_to(case, first), paid_on=None, method="cash")
    db.session.commit()
    assert case.outstanding_fen == owed_to(case, second) > 0
    with nothing_written(Refused, case):
        services.case_close(case=case, actor=case.mediator, expected_version=None)
    with nothing_written(ValidationFailed, case, "amount"):  # the first worker is paid in full
        ledger.payment_record(case=case, actor=case.mediator, expected_version=None, worker_id=first.id,
                                amount_fen=1, paid_on=None, method="cash")
    for part in (owed_to(case, second) - 100, 100):  # installments
        ledger.payment_record(case=case, actor=case.mediator, expected_version=None, worker_id=second.id,
                                amount_fen=part, paid_on=None, method="bank_transfer")
        db.session.commit()
    assert case.paid_fen == case.agreed_fen and case.outstanding_fen == 0
    with nothing_written(Refused, case):  # nothing is owed any more
        ledger.payment_record(case=case, actor=case.mediator, expected_version=None, worker_id=second.id,
                                amount_fen=1, paid_on=None, method="cash")
    services.case_close(case=case, actor=case.mediator, expected_version=None)
    db.session.commit()
    assert case.state == "closed"
    assert db.session.scalar(select(func.count()).select_from(Payment)) == 3


@pytest.mark.parametrize("service, state", [("session", "referred"), ("session", "settled"),
                                            ("payment", "mediating"), ("payment", "closed"),
                                            ("assign", "mediating"), ("assign", "closed")])
def test_sessions_payments_and_assignments_only_in_their_states(app, service, state):
    case = make_case(state)
    call = prepared(service, case, case.mediator)
    with nothing_written(Refused, case):
        call()


def test_a_session_is_logged_and_bumps_the_version(app):
    case = make_case("mediating")
    version, since = case.version, last_event_id()
    session = prepared("session", case, case.mediator, outcome="agreement")()
    db.session.commit()
    assert case.version == version + 1 and case.state == "mediating"
    assert db.session.get(MediationSession, session.id).outcome == "agreement"
    assert [(e.action, e.from_state, e.to_state) for e in new_events(since)] == [("session", None, None)]


def test_an_inactive_lawyer_or_venue_cannot_be_assigned(app):
    case = make_case("intake")
    admin = make_user("admin", "220000")
    lawyer = make_user("lawyer", "220100")
    user_update(actor=admin, user=lawyer, full_name=lawyer.full_name, role="lawyer", region_code="220100",
                active=False)
    venue = make_venue("220100")
    venue_save(actor=admin, venue=venue, name=venue.name, kind=venue.kind, region_code="220100", active=False)
    db.session.commit()
    with nothing_written(ValidationFailed, case, "lawyer_id"):
        services.case_assign(case=case, actor=case.mediator, expected_version=None, venue=None, lawyer=lawyer)
    with nothing_written(ValidationFailed, case, "venue_id"):
        services.case_assign(case=case, actor=case.mediator, expected_version=None, venue=venue, lawyer=None)
