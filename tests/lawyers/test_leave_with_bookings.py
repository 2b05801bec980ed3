"""Leave on a day with booked sessions: the sessions are listed, with a link to move each, and the
leave is recorded only once someone confirms it (nothing is silently left double-booked)."""

from __future__ import annotations

import datetime as dt

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from mediation.common.errors import Refused
from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.lawyers.proposal import next_working_day
from mediation.lawyers.services import roster_exception_add, session_schedule
from mediation.models import RosterException
from tests.cases.unchanged import nothing_written
from tests.factories import make_case, make_user
from tests.lawyers.factories import lawyer_rows
from tests.web.conftest import page, sync


def leave_count() -> int:
    sync()
    return db.session.scalar(select(func.count()).select_from(RosterException))


@pytest.fixture
def booked_day(app):
    """A mediating case whose lawyer is booked at the case's venue on a working day soon."""
    case = make_case("mediating", region="220102")
    day = next_working_day(today() + dt.timedelta(days=3))
    session_schedule(case=case, actor=case.mediator, expected_version=None, on_date=day,
                     starts_at=dt.time(9, 30), ends_at=dt.time(11), override_reason="当事人只有这天有空")
    db.session.commit()
    return case, day


def test_leave_on_a_booked_day_names_the_sessions_and_writes_nothing_until_confirmed(booked_day):
    case, day = booked_day
    admin = make_user("admin", "220100")
    with force_locale("en"), nothing_written(Refused, case, "confirm_booked", also=lawyer_rows) as refused:
        roster_exception_add(actor=admin, lawyer=case.lawyer, venue=case.venue, on_date=day, kind="leave",
                             note="年假")
    message = refused.value.field_errors["confirm_booked"][0]
    assert case.number in message and "09:30" in message

    exception = roster_exception_add(actor=admin, lawyer=case.lawyer, venue=case.venue, on_date=day, kind="leave",
                                     note="年假", confirm_booked=True)
    db.session.commit()
    assert (exception.kind, exception.on_date) == ("leave", day)


def test_the_leave_page_lists_the_booked_sessions_with_a_link_to_move_each(booked_day, signed_in):
    case, day = booked_day
    _admin, browser = signed_in("admin", "220100")
    form = {"exception-lawyer_id": str(case.lawyer_id), "exception-on_date": day.isoformat(),
            "exception-kind": "leave", "exception-note": "年假"}
    before = leave_count()

    refused = page(browser.post(f"/venues/{case.venue_id}/exceptions", data=form))

    assert refused.status == 409, refused.messages
    assert leave_count() == before
    session_id = case.sessions[0].id
    assert f'href="/cases/{case.number}/reschedule_session?session_id={session_id}"' in refused.text
    assert "exception-confirm_booked" in refused.fields

    confirmed = browser.post(f"/venues/{case.venue_id}/exceptions", data={**form, "exception-confirm_booked": "y"})
    assert confirmed.status_code == 302
    assert leave_count() == before + 1


def test_leave_on_a_day_without_bookings_needs_no_confirmation(booked_day):
    case, day = booked_day
    admin = make_user("admin", "220100")
    roster_exception_add(actor=admin, lawyer=case.lawyer, venue=case.venue, on_date=day + dt.timedelta(days=1),
                         kind="leave")
    db.session.commit()


def test_a_confirmed_leave_records_the_sessions_it_left_booked(booked_day):
    from mediation.models import AuditEntry

    case, day = booked_day
    admin = make_user("admin", "220100")
    roster_exception_add(actor=admin, lawyer=case.lawyer, venue=case.venue, on_date=day, kind="leave",
                         confirm_booked=True)
    db.session.commit()
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "roster.exception")
                               .order_by(AuditEntry.id.desc())).first()
    assert entry.detail["sessions_booked"] == [case.sessions[0].id]


def test_an_extra_day_on_a_booked_day_needs_no_confirmation(booked_day):
    case, day = booked_day
    roster_exception_add(actor=make_user("admin", "220100"), lawyer=case.lawyer, venue=case.venue, on_date=day,
                         kind="extra")
    db.session.commit()


def test_the_confirmation_is_offered_only_once_sessions_are_listed(booked_day, signed_in):
    case, _day = booked_day
    _admin, browser = signed_in("admin", "220100")
    week = page(browser.get(f"/venues/{case.venue_id}/week"))
    assert week.status == 200 and "exception-confirm_booked" not in week.fields


def test_a_moved_session_no_longer_stands_in_the_way(booked_day, signed_in):
    """The flow the page offers: move the session (its link), then record the leave unasked."""
    case, day = booked_day
    _admin, browser = signed_in("admin", "220100")
    session = case.sessions[0]
    moved = browser.post(f"/cases/{case.number}/reschedule_session", data={
        "version": str(case.version), "session_id": str(session.id), "on_date": next_working_day(day).isoformat(),
        "starts_at": "09:30", "ends_at": "11:00", "reason": "律师休假", "override_reason": "律师休假改期"})
    assert moved.status_code == 302, page(moved).messages
    before = leave_count()
    recorded = browser.post(f"/venues/{case.venue_id}/exceptions", data={
        "exception-lawyer_id": str(case.lawyer_id), "exception-on_date": day.isoformat(), "exception-kind": "leave"})
    assert recorded.status_code == 302 and leave_count() == before + 1
