"""The Content-Security-Policy in a real browser: Chromium reports every script, style or image
it refuses on the console; the pages of each kind must cause none, and their scripts still work.
Then the password change and the idle session end, as a person meets them."""

from __future__ import annotations

import pytest

from mediation.extensions import db
from mediation.settlements.services import agreement_generate
from tests.browser.test_case_journey import _sign_in
from tests.factories import VERIFY_URL, make_case, make_user

pytestmark = pytest.mark.browser


def _watch_csp(page) -> list[str]:  # noqa: ANN001
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.on("pageerror", lambda error: refused.append(str(error)))
    return refused


def test_pages_break_no_rule_of_the_policy(page, live_server):
    admin = make_user("admin", "220000", username="csp_admin")
    case = make_case("scheduled", region="220102", workers=3)
    agreement_generate(case=case, actor=admin, verify_url=VERIFY_URL)  # to be signed: the signatures page
    db.session.commit()
    number = case.number
    db.session.remove()  # end our transaction before the live server needs SQLite's write lock
    refused = _watch_csp(page)

    _sign_in(page, live_server, "csp_admin")
    response = page.goto(f"{live_server}/cases/new")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.click("#add-worker")  # intake.js, a static script, runs under the policy
    assert page.locator("#worker-grid tr.worker-row").count() == 2
    for path in (f"/cases/{number}", f"/cases/{number}/sign", "/statistics", "/risk", "/admin/users",
                 "/supervision", "/account/password", "/account/tokens", "/verify"):
        page.goto(f"{live_server}{path}")
        page.wait_for_load_state("load")
    page.goto(f"{live_server}/statistics")
    assert page.locator("#chart-regions").count() == 1  # the server-drawn SVG chart is shown
    page.goto(f"{live_server}/cases/{number}/sign")
    page.click("#select-all-parties")  # select-all.js
    assert page.locator("#parties input[type=checkbox]:not(:checked)").count() == 0
    assert refused == []


def test_a_person_changes_the_password_and_signs_in_with_the_new_one(page, live_server):
    make_user("mediator", "220100", username="pw_browser")
    db.session.remove()
    refused = _watch_csp(page)

    _sign_in(page, live_server, "pw_browser")
    page.click("#nav-password")
    page.fill("#current_password", "correct-horse-battery")
    page.fill("#new_password", "plum-blossom-river-42")
    page.fill("#confirm", "plum-blossom-river-42")
    page.click("#change-password")
    page.wait_for_selector(".alert-success")
    page.click("form[action='/logout'] button")
    page.wait_for_url(f"{live_server}/login")
    page.fill("#username", "pw_browser")
    page.fill("#password", "plum-blossom-river-42")
    page.click("#sign-in")
    page.wait_for_url(f"{live_server}/")
    assert refused == []
