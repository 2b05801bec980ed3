"""A mediator asks to see a worker's full ID number, gives the reason, reads it; the supervisor
then finds that viewing in the records. Chromium, CSRF on, as a person meets it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError

from mediation.common.identity import mask_id_number
from mediation.extensions import db
from tests.browser.test_case_journey import _sign_in
from tests.factories import make_case, make_user

pytestmark = pytest.mark.browser


def _settled_content(page) -> str:  # noqa: ANN001
    """The document once Chromium has finished putting up its "send the form again?" page."""
    for _ in range(50):
        page.wait_for_load_state("load")
        try:
            return page.content()
        except PlaywrightError:  # still navigating to the error page
            page.wait_for_timeout(100)
    raise AssertionError("the page never settled")


def test_a_mediator_shows_the_full_numbers_and_the_supervisor_sees_the_record(page, live_server):
    mediator = make_user("mediator", "220100", username="pii_mediator")
    make_user("supervisor", "220100", username="pii_supervisor")
    case = make_case("mediating", region="220102", mediator=mediator)
    number, id_number = case.number, case.workers[0].id_number
    db.session.remove()  # end our transaction before the live server needs SQLite's write lock

    _sign_in(page, live_server, "pii_mediator")
    page.goto(f"{live_server}/cases/{number}")
    claims = page.locator("#claims-table").inner_text()
    assert mask_id_number(id_number) in claims and id_number not in page.content()
    page.click("[data-action=show-personal-data]")
    page.click("[data-action=show-personal-data]")  # submitted without a reason: refused on the field
    assert page.locator(".invalid-feedback").count() == 1 and id_number not in page.content()
    page.select_option("#purpose", "contact")
    page.click("[data-action=show-personal-data]")
    page.wait_for_selector("#access-recorded")
    assert page.locator("#personal-data .id-number").first.inner_text() == id_number
    # The numbers came in the answer to a POST, marked no-store: going back and forth in the
    # history does not bring them back from a cache (Chromium asks to send the form again).
    page.goto(f"{live_server}/cases/{number}")
    with pytest.raises(PlaywrightError, match="ERR_CACHE_MISS"):
        page.go_back()
    assert id_number not in _settled_content(page)
    page.goto(f"{live_server}/cases/{number}")
    page.click("form[action='/logout'] button")

    _sign_in(page, live_server, "pii_supervisor")
    page.click("#nav-access-records")
    records = page.locator("#access-records tbody").inner_text()
    assert number in records and "pii_mediator" in records and id_number not in page.content()
