"""Cancelling or rescheduling a booked session: a reason, an event, the slot freed or moved with
the same checks as booking (roster, leave, clashes, working days), and the old time kept on record."""

from __future__ import annotations

import datetime as dt

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from mediation.common.errors import Conflict, NotPermitted, Refused, ValidationFailed
from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.lawyers.proposal import next_working_day
from mediation.lawyers.services import session_schedule
from mediation.lawyers.sessions import session_cancel, session_reschedule
from mediation.models import MediationSession
from mediation.web.commit import commit
from tests.cases.unchanged import nothing_written
from tests.factories import make_case, make_user
from tests.lawyers.factories import lawyer_rows, on_roster, roster_change
from tests.web.conftest import follow, page, reload_case, sync
from workflows import is_working_day

REASON = "申请人生病"
DAY = dt.timedelta(days=1)


def working_day(after: dt.date) -> dt.date:
    return next_working_day(after)


def book(case, on_date: dt.date, starts=(9, 0), ends=(10, 0), override="") -> MediationSession:  # noqa: ANN001
    session = session_schedule(case=case, actor=case.mediator, expected_version=None, on_date=on_date,
                               starts_at=dt.time(*starts), ends_at=dt.time(*ends), override_reason=override)
    commit()
    return session


def sessions_of(case) -> list[tuple]:  # noqa: ANN001
    sync()
    return [(s.held_on, s.starts_at, s.status, s.rescheduled_from_id) for s in db.session.scalars(
        select(MediationSession).where(MediationSession.case_id == case.id).order_by(MediationSession.id))]


@pytest.fixture
def on_duty(app):
    """A mediating case whose lawyer is on the venue's roster on a working day next week, booked 9-10."""
    case = make_case("mediating")
    day = working_day(today() + 6 * DAY)
    on_roster(case.lawyer, case.venue, day.weekday())
    return case, day, book(case, day)


def move(case, session, on_date, starts=(14, 0), ends=(15, 0), override="", reason=REASON, **kwargs):  # noqa: ANN001, ANN003, ANN201
    moved = session_reschedule(case=case, actor=kwargs.get("actor", case.mediator),
                               expected_version=kwargs.get("version"), session_id=kwargs.get("session_id", session.id),
                               on_date=on_date, starts_at=dt.time(*starts), ends_at=dt.time(*ends), reason=reason,
                               override_reason=override)
    commit()
    return moved


# --- cancelling -------------------------------------------------------------------------------------

def test_cancelling_frees_the_slot_and_records_why(on_duty):
    case, day, session = on_duty
    session_cancel(case=case, actor=case.mediator, expected_version=None, session_id=session.id, reason=REASON)
    commit()
    assert sessions_of(case) == [(day, dt.time(9), "cancelled", None)]
    case = reload_case(case)
    assert case.sessions[0].change_reason == REASON
    event = case.events[-1]
    assert (event.action, event.note) == ("cancel_session", REASON)
    assert event.detail["before"]["on"] == day.isoformat() and event.detail["after"] == {"status": "cancelled"}
    other = make_case("mediating", lawyer=case.lawyer, venue=case.venue)
    book(other, day)  # the same slot, free again


@pytest.mark.parametrize("reason", ["", "  ", "理" * 2001, None])
def test_cancelling_needs_a_reason(on_duty, reason):
    case, _day, session = on_duty
    with nothing_written(ValidationFailed, case, "reason", also=lawyer_rows):
        session_cancel(case=case, actor=case.mediator, expected_version=None, session_id=session.id, reason=reason)


@pytest.mark.parametrize("session_id", [None, "1", True, 2_000_000])
def test_the_session_must_be_one_of_the_case(on_duty, session_id):
    case, _day, _session = on_duty
    with nothing_written(ValidationFailed, case, "session_id", also=lawyer_rows):
        session_cancel(case=case, actor=case.mediator, expected_version=None, session_id=session_id, reason=REASON)


def test_a_session_no_longer_booked_is_refused(on_duty):
    case, _day, session = on_duty
    session_cancel(case=case, actor=case.mediator, expected_version=None, session_id=session.id, reason=REASON)
    commit()
    with nothing_written(Refused, case, "session_id", also=lawyer_rows):
        session_cancel(case=case, actor=case.mediator, expected_version=None, session_id=session.id, reason=REASON)


def test_outsiders_and_a_stale_version_are_refused(on_duty):
    case, _day, session = on_duty
    with nothing_written(Conflict, case, also=lawyer_rows):
        session_cancel(case=case, actor=case.mediator, expected_version=case.version - 1, session_id=session.id,
                       reason=REASON)
    for outsider in (make_user("supervisor", "220100"), make_user("lawyer", "220100"),
                     make_user("admin", "222400")):
        with nothing_written(NotPermitted, case, also=lawyer_rows):
            session_cancel(case=case, actor=outsider, expected_version=None, session_id=session.id, reason=REASON)


# --- moving -----------------------------------------------------------------------------------------

def test_moving_books_the_new_time_and_keeps_the_old_one(on_duty):
    case, day, session = on_duty
    moved = move(case, session, day, starts=(14, 0), ends=(15, 0))
    assert sessions_of(case) == [(day, dt.time(9), "rescheduled", None), (day, dt.time(14), "scheduled", session.id)]
    assert moved.duty_override == ""
    event = reload_case(case).events[-1]
    assert (event.action, event.note) == ("reschedule_session", REASON)
    assert (event.detail["before"]["from"], event.detail["after"]["from"]) == ("09:00", "14:00")


def test_moving_checks_clashes_like_a_booking(on_duty):
    case, day, session = on_duty
    other = make_case("mediating", lawyer=case.lawyer, venue=case.venue)
    book(other, day, starts=(14, 0), ends=(16, 0))
    with force_locale("en"), nothing_written(ValidationFailed, case, "starts_at", also=lawyer_rows) as refused:
        move(case, session, day, starts=(15, 0), ends=(17, 0))
    assert "already booked from 14:00 to 16:00" in refused.value.field_errors["starts_at"][0]
    move(case, session, day, starts=(9, 30), ends=(10, 30))  # overlapping its own old time is fine


def test_moving_to_a_day_of_leave_or_off_the_roster_needs_a_reason(on_duty):
    case, day, session = on_duty
    roster_change(case.lawyer, case.venue, day + 7 * DAY, "leave")
    for off in (day + 7 * DAY, day + DAY):  # on leave; not on the roster that weekday
        with nothing_written(ValidationFailed, case, "override_reason", also=lawyer_rows):
            move(case, session, off)
    moved = move(case, session, day + DAY, override="双方只有这天有空")
    assert moved.duty_override == "双方只有这天有空"


def test_moving_to_a_day_that_is_no_working_day_needs_a_reason(on_duty):
    case, day, session = on_duty
    rest = next(day + n * DAY for n in range(1, 15) if not is_working_day(day + n * DAY))
    on_roster(case.lawyer, case.venue, rest.weekday())  # rostered that weekday, but it is a rest day
    with nothing_written(ValidationFailed, case, "override_reason", also=lawyer_rows):
        move(case, session, rest)


@pytest.mark.parametrize("change, field", [
    ({"on_date": "past"}, "on_date"), ({"on_date": None}, "on_date"), ({"starts": (11, 0), "ends": (10, 0)}, "ends_at"),
    ({"reason": ""}, "reason"), ({"reason": "理" * 2001}, "reason"), ({"same": True}, "on_date"),
])
def test_bad_moves_are_refused_naming_the_field(on_duty, change, field):
    case, day, session = on_duty
    args = {"on_date": day, "starts": (14, 0), "ends": (15, 0), "reason": REASON}
    change = dict(change)  # the parameter is shared by the runs on each database: never change it
    if change.pop("same", False):
        args.update(starts=(9, 0), ends=(10, 0))
    args.update(change)
    if args["on_date"] == "past":
        args["on_date"] = today() - DAY
    with nothing_written(ValidationFailed, case, field, also=lawyer_rows):
        move(case, session, args["on_date"], starts=args["starts"], ends=args["ends"], reason=args["reason"])


def test_a_session_of_an_ended_case_can_be_cancelled_but_not_moved(on_duty):
    case, day, session = on_duty
    from mediation.cases.services import case_fail

    case_fail(case=case, actor=case.mediator, expected_version=None, reason="差距过大")
    commit()
    with nothing_written(Refused, case, also=lawyer_rows):
        move(case, session, day)
    session_cancel(case=case, actor=case.mediator, expected_version=None, session_id=session.id, reason="调解终止")
    commit()
    assert sessions_of(case)[0][2] == "cancelled"


# --- the pages --------------------------------------------------------------------------------------

def test_a_booked_session_can_be_cancelled_with_a_reason(signed_in):
    mediator, browser = signed_in("mediator", "220100")
    case = make_case("mediating", mediator=mediator)
    session = book(case, working_day(today()), override="临时安排")
    shown = page(browser.get(f"/cases/{case.number}"))
    assert f'/cases/{case.number}/cancel_session?session_id={session.id}' in shown.text

    response = browser.post(f"/cases/{case.number}/cancel_session", data={
        "version": str(reload_case(case).version), "session_id": str(session.id), "reason": REASON})

    assert response.status_code == 302, page(response).messages
    assert "The session has been cancelled." in follow(browser, response).alerts
    assert reload_case(case).sessions[0].status == "cancelled"


def test_a_session_is_moved_on_its_page_and_both_times_show(signed_in):
    mediator, browser = signed_in("mediator", "220100")
    case = make_case("mediating", mediator=mediator)
    day = working_day(today())
    session = book(case, day, override="临时安排")
    url = f"/cases/{case.number}/reschedule_session"
    form = page(browser.get(f"{url}?session_id={session.id}"))
    assert form.status == 200 and form.value("on_date") == day.isoformat() and form.value("starts_at") == "09:00"

    later = working_day(day)
    data = {"version": form.value("version"), "session_id": str(session.id), "on_date": later.isoformat(),
            "starts_at": "14:00", "ends_at": "15:30", "reason": REASON}
    refused = page(browser.post(url, data=data))  # not on duty: the reason for it is asked
    assert refused.status == 400 and "override_reason" in refused.invalid
    response = browser.post(url, data={**data, "override_reason": "双方只有这天有空"})
    assert response.status_code == 302, page(response).messages
    shown = follow(browser, response)
    assert "The session has been moved." in shown.alerts
    assert 'data-status="rescheduled"' in shown.text and 'data-status="scheduled"' in shown.text
    assert later.isoformat() in shown.text and day.isoformat() in shown.text and REASON in shown.text


def test_another_regions_session_is_not_found(signed_in):
    case = make_case("mediating", region="222401")
    session = book(case, working_day(today()), override="临时安排")
    _admin, browser = signed_in("admin", "220100")
    response = browser.post(f"/cases/{case.number}/cancel_session", data={
        "version": str(case.version), "session_id": str(session.id), "reason": REASON})
    assert response.status_code == 404
    assert sessions_of(case)[0][2] == "scheduled"
