"""The lawyers' services: assigning, reassigning and declining, booking sessions, editing the
roster and the profiles. Every refusal names its reason and leaves the database as it was."""

from __future__ import annotations

import datetime as dt

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from mediation import policy
from mediation.cases import services as case_services
from mediation.common.errors import Conflict, NotPermitted, Refused, ValidationFailed
from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.lawyers.proposal import next_working_day
from mediation.lawyers.services import (
    case_assign_lawyer,
    conflict_declare,
    lawyer_decline,
    lawyer_profile_save,
    roster_add,
    roster_exception_add,
    roster_remove,
    session_schedule,
)
from mediation.models import Case, DutyRoster, MediationSession, RosterException
from tests.cases.unchanged import last_event_id, new_events, nothing_written
from tests.factories import credit_code, make_user, make_venue
from tests.lawyers.factories import lawyer_rows, licence, make_lawyer, new_case, on_roster
from workflows import is_working_day

REASON = "该律师熟悉此类案件"


@pytest.fixture
def scene(app):
    """A mediator of 长春, a workroom there, and a referred case of 南关区 with no lawyer yet."""
    mediator = make_user("mediator", "220100")
    venue = make_venue("220100")
    uscc = credit_code()
    case = new_case(mediator, venue=venue, employer_uscc=uscc)
    return mediator, venue, case


def assign(case: Case, actor, lawyer, **options) -> None:
    with force_locale("en"):
        case_assign_lawyer(case=case, actor=actor, lawyer=lawyer, expected_version=case.version, **options)


# --- assigning a lawyer ---------------------------------------------------------------------

def _lawyer_who_is(kind: str, case: Case, mediator) -> object:
    if kind == "inactive":
        return make_lawyer(active=False)
    if kind == "outside":
        return make_lawyer("222400")
    if kind == "second":
        return make_lawyer(name="Z律师")  # "A律师", made by the test, is the first proposal
    lawyer = make_lawyer("222400" if kind.startswith("outside") else "220100", name="Y律师")
    if kind.endswith("declared"):
        conflict_declare(actor=lawyer, lawyer=lawyer, employer_uscc=case.employer.uscc)
    else:
        # No service records who acted for an employer yet: set it on an earlier case directly.
        earlier = new_case(mediator, venue=None, employer_uscc=case.employer.uscc)
        earlier.employer_agent_id = lawyer.id
    db.session.commit()
    return lawyer


ASSIGN_REFUSALS = [
    ("an inactive lawyer", "inactive", {"reason": REASON}, "lawyer_id", "not active"),
    ("outside the region, no override", "outside", {"reason": REASON}, "lawyer_id", "outside the case's region"),
    ("outside the region, override but no reason", "outside", {"region_override": True}, "reason", "reason"),
    ("a declared conflict, even with the override", "declared", {"region_override": True, "reason": REASON},
     "lawyer_id", "Declared a conflict of interest"),
    ("acted for the employer, even with the override", "agent", {"region_override": True, "reason": REASON},
     "lawyer_id", "acted for this employer"),
    ("outside the region and a declared conflict, with the override", "outside declared",
     {"region_override": True, "reason": REASON}, "lawyer_id", "Declared a conflict of interest"),
    ("outside the region and acted for the employer, with the override", "outside agent",
     {"region_override": True, "reason": REASON}, "lawyer_id", "acted for this employer"),
    ("not the first proposal, no reason", "second", {}, "reason", "reason"),
    ("not the first proposal, a blank reason", "second", {"reason": "   "}, "reason", "reason"),
]


@pytest.mark.parametrize("kind, options, field, words", [row[1:] for row in ASSIGN_REFUSALS],
                         ids=[row[0] for row in ASSIGN_REFUSALS])
def test_assigning_the_wrong_lawyer_is_refused_with_its_reason(scene, kind, options, field, words):
    mediator, _venue, case = scene
    make_lawyer(name="A律师")
    lawyer = _lawyer_who_is(kind, case, mediator)

    with nothing_written(ValidationFailed, case, field, also=lawyer_rows) as refused:
        assign(case, mediator, lawyer, **options)

    assert words in " ".join(refused.value.field_errors[field])


def test_an_outside_lawyer_with_the_override_and_a_reason_is_assigned_and_sees_the_case(scene):
    mediator, _venue, case = scene
    make_lawyer(name="A律师")
    outside = make_lawyer("222400")
    assert not policy.can_see_case(outside, case)
    since = last_event_id()

    assign(case, mediator, outside, region_override=True, reason=REASON)
    db.session.commit()

    assert case.lawyer_id == outside.id
    (event,) = new_events(since)
    assert (event.action, event.note, event.detail["region_override"]) == ("assign_lawyer", REASON, True)
    assert policy.can_see_case(outside, case) and policy.acting_role(outside, case) == "lawyer"
    assert db.session.scalars(policy.scoped_cases(outside).where(Case.id == case.id)).one() is case


def test_another_than_the_first_proposal_with_a_reason_is_assigned(scene):
    mediator, _venue, case = scene
    first = make_lawyer(name="A律师")
    second = make_lawyer(name="Z律师")
    since = last_event_id()

    assign(case, mediator, second, reason=REASON)

    (event,) = new_events(since)
    assert case.lawyer_id == second.id
    assert (event.note, event.detail["proposed_first"], event.detail["to"]) == (REASON, first.id, second.id)


def test_assign_reassign_and_decline_each_write_an_event(scene):
    mediator, _venue, case = scene
    first, second = make_lawyer(name="A律师"), make_lawyer(name="Z律师")
    since = last_event_id()

    assign(case, mediator, first)
    db.session.commit()
    assign(case, mediator, second, reason="第一位律师出差")
    db.session.commit()
    with force_locale("en"):
        lawyer_decline(case=case, actor=second, expected_version=case.version, reason="与雇主有业务往来")
    db.session.commit()

    assert case.lawyer_id is None
    events = [e for e in new_events(since) if e.case_id == case.id]
    assert [e.action for e in events] == ["assign_lawyer", "reassign_lawyer", "decline"]
    assert [e.actor_id for e in events] == [mediator.id, mediator.id, second.id]
    assert events[1].detail["from"] == first.id and events[2].note == "与雇主有业务往来"


def test_a_stale_version_is_a_conflict(scene):
    mediator, _venue, case = scene
    lawyer = make_lawyer()

    with nothing_written(Conflict, case):
        case_assign_lawyer(case=case, actor=mediator, lawyer=lawyer, expected_version=case.version - 1)


# --- declining ----------------------------------------------------------------------------------

DECLINE_REFUSALS = [
    ("another lawyer", "other_lawyer", REASON, NotPermitted, None),
    ("the mediator", "mediator", REASON, NotPermitted, None),
    ("no reason", "assigned", "", ValidationFailed, "reason"),
    ("a blank reason", "assigned", "  \n ", ValidationFailed, "reason"),
]


@pytest.mark.parametrize("who, reason, error, field", [row[1:] for row in DECLINE_REFUSALS],
                         ids=[row[0] for row in DECLINE_REFUSALS])
def test_only_the_assigned_lawyer_declines_and_gives_a_reason(scene, who, reason, error, field):
    mediator, _venue, case = scene
    lawyer = make_lawyer()
    assign(case, mediator, lawyer)
    db.session.commit()
    actor = {"other_lawyer": make_lawyer(), "mediator": mediator, "assigned": lawyer}[who]

    with nothing_written(error, case, field, also=lawyer_rows):
        lawyer_decline(case=case, actor=actor, expected_version=case.version, reason=reason)

    assert case.lawyer_id == lawyer.id


@pytest.mark.parametrize("declined", [False, True], ids=["never assigned", "declined"])
def test_mediation_cannot_start_without_a_lawyer(scene, declined):
    mediator, _venue, case = scene
    if declined:
        lawyer = make_lawyer()
        assign(case, mediator, lawyer)
        lawyer_decline(case=case, actor=lawyer, expected_version=case.version, reason="时间冲突")
        db.session.commit()

    with force_locale("en"), nothing_written(Refused, case) as refused:
        case_services.case_start_mediation(case=case, actor=mediator, expected_version=case.version)

    assert "without an assigned lawyer" in refused.value.message


# --- booking sessions -----------------------------------------------------------------------------

def session_day() -> dt.date:
    """A working day about a week ahead: on a rest day a rostered lawyer is off duty too (sessions.py)."""
    return next_working_day(today() + dt.timedelta(days=6))


@pytest.fixture
def booked(scene):
    """Two cases of one lawyer, who is on duty at the venue on the session day, and the first
    case booked from 9 to 11 that day."""
    mediator, venue, case = scene
    lawyer = make_lawyer()
    on_roster(lawyer, venue, session_day().weekday())
    other_case = new_case(mediator, venue=venue, lawyer=lawyer)
    assign(case, mediator, lawyer)
    db.session.commit()
    book(other_case, mediator, dt.time(9), dt.time(11))
    db.session.commit()
    return mediator, lawyer, case


def book(case: Case, actor, starts: dt.time, ends: dt.time, *, on_date: dt.date | None = None,
         override: str = "") -> MediationSession:
    with force_locale("en"):
        return session_schedule(case=case, actor=actor, expected_version=case.version,
                                on_date=on_date or session_day(), starts_at=starts, ends_at=ends,
                                override_reason=override)


OVERLAPS = [
    ("the same times", (9, 0), (11, 0)),
    ("starting inside", (10, 0), (12, 0)),
    ("ending inside", (8, 0), (10, 0)),
    ("inside", (9, 30), (10, 30)),
    ("around", (8, 0), (12, 0)),
]
ADJACENT = [("right after", (11, 0), (12, 0)), ("right before", (8, 0), (9, 0))]


@pytest.mark.parametrize("starts, ends", [row[1:] for row in OVERLAPS], ids=[row[0] for row in OVERLAPS])
def test_an_overlapping_booking_of_the_lawyer_is_refused(booked, starts, ends):
    mediator, _lawyer, case = booked
    with nothing_written(ValidationFailed, case, "starts_at", also=lawyer_rows) as refused:
        book(case, mediator, dt.time(*starts), dt.time(*ends))
    assert "already booked from 09:00 to 11:00" in refused.value.field_errors["starts_at"][0]


@pytest.mark.parametrize("starts, ends", [row[1:] for row in ADJACENT], ids=[row[0] for row in ADJACENT])
def test_an_adjacent_booking_is_allowed(booked, starts, ends):
    mediator, lawyer, case = booked
    session = book(case, mediator, dt.time(*starts), dt.time(*ends))
    db.session.commit()
    assert (session.lawyer_id, session.status, session.duty_override) == (lawyer.id, "scheduled", "")


def test_the_same_hours_on_another_duty_day_are_allowed(booked):
    mediator, _lawyer, case = booked
    weeks_on = (session_day() + dt.timedelta(days=7 * n) for n in range(1, 10))
    book(case, mediator, dt.time(9), dt.time(11), on_date=next(d for d in weeks_on if is_working_day(d)))
    db.session.commit()


def test_booking_off_duty_needs_a_reason_which_is_recorded(booked):
    mediator, _lawyer, case = booked
    off_day = session_day() + dt.timedelta(days=1)

    with nothing_written(ValidationFailed, case, "override_reason", also=lawyer_rows):
        book(case, mediator, dt.time(14), dt.time(15), on_date=off_day)

    since = last_event_id()
    session = book(case, mediator, dt.time(14), dt.time(15), on_date=off_day, override="当事人只有周末有空")
    db.session.commit()
    assert session.duty_override == "当事人只有周末有空"
    (event,) = new_events(since)
    assert (event.action, event.note, event.detail["duty_override"]) == ("schedule", "当事人只有周末有空", True)


def test_booking_on_duty_records_no_override(booked):
    mediator, _lawyer, case = booked
    since = last_event_id()
    session = book(case, mediator, dt.time(14), dt.time(15), override="不需要")
    db.session.commit()
    (event,) = new_events(since)
    assert session.duty_override == "" and event.detail["duty_override"] is False


# --- the roster ------------------------------------------------------------------------------------

def _roster_actor(who: str):
    return {"admin": lambda: make_user("admin", "220000"), "supervisor": lambda: make_user("supervisor", "220100"),
            "mediator": lambda: make_user("mediator", "220100"), "lawyer": lambda: make_lawyer(),
            "foreign supervisor": lambda: make_user("supervisor", "222400")}[who]()


ROSTER_REFUSALS = [
    ("an end before the start", "admin", {"ends_on": -1}, ValidationFailed, "ends_on"),
    ("no start", "admin", {"starts_on": None}, ValidationFailed, "starts_on"),
    ("a weekday out of range", "admin", {"weekday": 7}, ValidationFailed, "weekday"),
    ("the same weekday twice", "admin", {"weekday": "taken"}, ValidationFailed, "weekday"),
    ("an inactive lawyer", "admin", {"inactive": True}, ValidationFailed, "lawyer_id"),
    ("by a mediator", "mediator", {}, NotPermitted, None),
    ("by a lawyer", "lawyer", {}, NotPermitted, None),
    ("by a supervisor of another prefecture", "foreign supervisor", {}, NotPermitted, None),
]


@pytest.mark.parametrize("who, change, error, field", [row[1:] for row in ROSTER_REFUSALS],
                         ids=[row[0] for row in ROSTER_REFUSALS])
def test_bad_roster_entries_are_refused(app, who, change, error, field):
    venue = make_venue("220100")
    lawyer = make_lawyer(active=not change.get("inactive"))
    on_roster(make_lawyer(), venue, 2)  # another lawyer's Wednesday
    if change.get("weekday") == "taken":
        on_roster(lawyer, venue, 1)
    actor = _roster_actor(who)
    start = today()
    ends = change.get("ends_on")
    arguments = dict(weekday=1 if change.get("weekday") == "taken" else change.get("weekday", 1),
                     starts_on=change.get("starts_on", start),
                     ends_on=None if ends is None else start + dt.timedelta(days=ends))

    with nothing_written(error, None, field, also=lawyer_rows):
        roster_add(actor=actor, lawyer=lawyer, venue=venue, **arguments)


@pytest.mark.parametrize("who", ["admin", "supervisor"])
def test_admins_and_the_regions_supervisors_edit_the_roster(app, who):
    venue = make_venue("220102")
    lawyer = make_lawyer()
    actor = _roster_actor(who)

    entry = roster_add(actor=actor, lawyer=lawyer, venue=venue, weekday=4, starts_on=today(), ends_on=today())
    exception = roster_exception_add(actor=actor, lawyer=lawyer, venue=venue, on_date=today(), kind="leave")
    db.session.commit()
    assert (entry.weekday, entry.ends_on, exception.kind) == (4, today(), "leave")

    roster_remove(actor=actor, entry=entry)
    db.session.commit()
    assert db.session.scalars(select(DutyRoster)).all() == []


EXCEPTION_REFUSALS = [
    ("by a mediator", "mediator", {}, NotPermitted, None),
    ("by a supervisor of another prefecture", "foreign supervisor", {}, NotPermitted, None),
    ("an unknown kind", "admin", {"kind": "holiday"}, ValidationFailed, "kind"),
    ("no date", "admin", {"on_date": None}, ValidationFailed, "on_date"),
]


@pytest.mark.parametrize("who, change, error, field", [row[1:] for row in EXCEPTION_REFUSALS],
                         ids=[row[0] for row in EXCEPTION_REFUSALS])
def test_bad_roster_exceptions_are_refused(app, who, change, error, field):
    venue = make_venue("220100")
    lawyer = make_lawyer()
    actor = _roster_actor(who)
    arguments = {"on_date": today(), "kind": "leave", **change}

    with nothing_written(error, None, field, also=lawyer_rows):
        roster_exception_add(actor=actor, lawyer=lawyer, venue=venue, **arguments)

    assert db.session.scalars(select(RosterException)).all() == []


def test_a_mediator_cannot_remove_a_roster_entry(app):
    venue = make_venue("220100")
    entry = on_roster(make_lawyer(), venue, 0)
    mediator = make_user("mediator", "220100")
    with nothing_written(NotPermitted, None, also=lawyer_rows):
        roster_remove(actor=mediator, entry=entry)


# --- profiles ----------------------------------------------------------------------------------------

PROFILE_REFUSALS = [
    ("a licence number already registered", "taken", ValidationFailed, "licence_no", "already registered"),
    ("16 digits", "1" * 16, ValidationFailed, "licence_no", "17 digits"),
    ("18 digits", "1" * 18, ValidationFailed, "licence_no", "17 digits"),
    ("a letter", "1220120151000000X", ValidationFailed, "licence_no", "17 digits"),
    ("full-width digits", "１" * 17, ValidationFailed, "licence_no", "17 digits"),
    ("empty", "", ValidationFailed, "licence_no", "17 digits"),
]


@pytest.mark.parametrize("licence_no, error, field, words", [row[1:] for row in PROFILE_REFUSALS],
                         ids=[row[0] for row in PROFILE_REFUSALS])
def test_bad_licence_numbers_are_refused(app, licence_no, error, field, words):
    existing = make_lawyer()
    if licence_no == "taken":
        licence_no = existing.lawyer_profile.licence_no

    with force_locale("en"), nothing_written(error, None, field, also=lawyer_rows) as refused:
        lawyer_profile_save(actor=None, user=None, username="new_lawyer", full_name="新律师", region_code="220100",
                            password="correct-horse-battery", law_firm="吉林正义律师事务所", licence_no=licence_no,
                            languages=["zh"], specialties=[])

    assert words in refused.value.field_errors[field][0]


def test_a_lawyer_keeps_their_own_licence_number_on_update(app):
    lawyer = make_lawyer(languages=("zh",))
    kept = lawyer.lawyer_profile.licence_no
    lawyer_profile_save(actor=make_user("admin", "220000"), user=lawyer, law_firm="延边律师事务所", licence_no=kept,
                        languages=["zh", "ko"], specialties=["wages"])
    db.session.commit()
    assert (lawyer.lawyer_profile.languages, lawyer.lawyer_profile.law_firm) == (["zh", "ko"], "延边律师事务所")


def test_only_an_admin_manages_lawyers(app):
    supervisor = make_user("supervisor", "220100")
    with nothing_written(NotPermitted, None, also=lawyer_rows):
        lawyer_profile_save(actor=supervisor, user=None, username="x1", full_name="某律师",
                            region_code="220100", password="correct-horse-battery", law_firm="某律师事务所",
                            licence_no=licence(), languages=["zh"], specialties=[])


def test_a_lawyer_who_leaves_a_case_frees_its_booked_sessions(app):
    """Declining cancels the lawyer's scheduled sessions of that case, so the slot is free again."""
    from mediation.common.timeutil import today
    from mediation.lawyers.proposal import next_working_day
    from mediation.models import CaseEvent, MediationSession
    from tests.factories import make_case

    case = make_case("mediating", region="220102")
    day = next_working_day(today())
    session_schedule(case=case, actor=case.mediator, expected_version=None, on_date=day,
                     starts_at=dt.time(9), ends_at=dt.time(10), override_reason="临时安排")
    db.session.commit()
    lawyer = case.lawyer
    lawyer_decline(case=case, actor=lawyer, expected_version=None, reason="回避")
    db.session.commit()
    statuses = db.session.execute(
        select(MediationSession.status).where(MediationSession.case_id == case.id)).scalars()
    assert set(statuses) == {"cancelled"}
    event = db.session.execute(
        select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.action == "decline")).scalar_one()
    assert event.detail["sessions_cancelled"] == 1
