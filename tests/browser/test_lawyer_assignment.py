"""In a real browser: a mediator assigns the first proposed lawyer to a referred case, and the
case shows up on that lawyer's workroom page."""

from __future__ import annotations

import datetime as dt

import pytest

from mediation.cases import services
from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.lawyers.proposal import next_working_day
from mediation.lawyers.services import lawyer_profile_save, roster_add
from tests.browser.test_case_journey import _sign_in
from tests.factories import intake_input, make_user, make_venue

pytestmark = pytest.mark.browser


def _lawyer(username: str, licence: str, *, languages: list[str]) -> int:
    user = lawyer_profile_save(actor=None, user=None, username=username, full_name=f"律师{username}",
                               region_code="220100", password="correct-horse-battery", law_firm="吉林正义律师事务所",
                               licence_no=licence, languages=languages, specialties=["wages"])
    return user.id


def test_mediator_assigns_the_proposed_lawyer_who_sees_it_in_the_workroom(page, live_server, artifacts_dir):
    admin = make_user("admin", "220000")
    mediator = make_user("mediator", "220100", username="med_assign")
    venue = make_venue("220100")
    on_duty = _lawyer("on_duty", "12201201510000001", languages=["zh"])
    _lawyer("off_duty", "12201201510000002", languages=["zh"])
    session_day = next_working_day(today())
    roster_add(actor=admin, lawyer=db.session.get(type(admin), on_duty), venue=venue,
               weekday=session_day.weekday(), starts_on=today() - dt.timedelta(days=7))
    from mediation.cases.intake import case_intake

    case, _ = case_intake(actor=mediator, data=intake_input(region="220102"))
    services.case_refer(case=case, actor=mediator, expected_version=None, venue=venue)
    db.session.commit()
    number = case.number
    db.session.remove()  # free SQLite's write lock for the live server

    _sign_in(page, live_server, "med_assign")
    page.goto(f"{live_server}/cases/{number}")
    page.click('a[data-action="lawyer"]')
    page.fill("#proposal-date", session_day.isoformat())
    page.click("#update-proposal")
    first = page.locator("tr.proposal-row").first
    assert first.get_attribute("data-lawyer") == str(on_duty)
    first.locator("input[type=radio]").check()
    page.click("#confirm-assign")
    page.wait_for_selector("#case-lawyer")
    assert "律师on_duty" in page.inner_text("#case-lawyer")
    page.click("form[action$='/logout'] button")

    _sign_in(page, live_server, "on_duty")
    page.click("#nav-workroom")
    page.wait_for_selector("#my-cases")
    assert number in page.inner_text("#my-cases")
    page.screenshot(path=str(artifacts_dir / "lawyer-workroom.png"), full_page=True)
