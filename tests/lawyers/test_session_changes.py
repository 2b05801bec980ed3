"""Cancelling or rescheduling a booked session: a reason, an event, the slot freed or moved with
the same checks as booking, and the old time kept on record."""

from __future__ import annotations

import datetime as dt

from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.lawyers.proposal import next_working_day
from mediation.lawyers.services import session_schedule
from tests.factories import make_case
from tests.web.conftest import page, reload_case


def test_a_booked_session_can_be_cancelled_with_a_reason(signed_in):
    mediator, browser = signed_in("mediator", "220100")
    case = make_case("mediating", mediator=mediator)
    session = session_schedule(case=case, actor=mediator, expected_version=None,
                               on_date=next_working_day(today()), starts_at=dt.time(9), ends_at=dt.time(10),
                               override_reason="临时安排")
    db.session.commit()

    response = browser.post(f"/cases/{case.number}/cancel_session", data={
        "version": str(reload_case(case).version), "session_id": str(session.id), "reason": "申请人生病"})

    assert response.status_code == 302, page(response).messages
    assert reload_case(case).sessions[0].status == "cancelled"
