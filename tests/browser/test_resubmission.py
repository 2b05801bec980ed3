"""Back and submit again, in Chromium, as a person does it after a slow answer: the intake, a
payment, a session booked and signatures recorded. Chromium fetches the no-store form page
again and puts back what was typed; the second submission must write nothing and lead to
what the first one led to, saying so. A fresh visit to the form then writes again."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from mediation.extensions import db
from mediation.models import Case, MediationSession, Payment, Signature
from tests.browser.test_case_journey import _sign_in
from tests.factories import credit_code, make_case, make_user, resident_id

pytestmark = pytest.mark.browser

ALREADY_SENT = "此表单已经提交过，没有再次记录。"


def _count(model, **where) -> int:  # noqa: ANN001
    """Rows of `model` as committed; the read ends at once (SQLite's write lock is the server's)."""
    try:
        return db.session.scalar(select(func.count()).select_from(model).filter_by(**where))
    finally:
        db.session.remove()


def _alerts(page) -> str:  # noqa: ANN001
    return " | ".join(page.locator("[role=alert]").all_inner_texts())


def _landed(page) -> None:  # noqa: ANN001
    """Wait for the case page the form leads to; if the form came back instead, say why."""
    page.wait_for_selector("#case-number, .invalid-feedback, [role=alert]")
    if page.locator("#case-number").count() == 0:
        feedback = page.locator(".invalid-feedback").all_inner_texts()
        raise AssertionError(f"the form came back: {_alerts(page)} {feedback}")


def _back_and_submit(page, button: str, restored: str, value: str) -> None:  # noqa: ANN001
    """Back to the filled-in form (checking Chromium restored what was typed) and send it again."""
    page.go_back()
    page.wait_for_selector(button)
    assert page.input_value(restored) == value  # the form as the user left it
    page.click(button)
    _landed(page)


def test_back_and_resubmit_writes_nothing_twice(page, live_server):
    mediator = make_user("mediator", "220100", username="med_resubmit")
    effective = make_case("effective", mediator=mediator)
    mediating = make_case("mediating", mediator=mediator)
    scheduled = make_case("scheduled", mediator=mediator)
    paying, booking, signing = effective.number, mediating.number, scheduled.number
    paying_id, booking_id, signing_id = effective.id, mediating.id, scheduled.id
    worker_id, signer = effective.workers[0].id, f"worker:{scheduled.workers[0].id}"
    db.session.remove()  # end our transaction before the live server needs SQLite's write lock
    _sign_in(page, live_server, "med_resubmit")
    cases_before = _count(Case)

    # A walk-in intake: one case, however often it is sent.
    page.click("#nav-new-case")
    page.select_option("#channel", "walk_in")
    page.select_option("#region_code", "220102")
    page.fill("#employer_name", "长春重复提交测试有限公司")
    page.fill("#employer_uscc", credit_code(7301))
    page.fill("#workers-0-name", "回退甲")
    page.fill("#workers-0-id_number", resident_id(301))
    page.fill("#workers-0-wages", "3000.00")
    page.click("#submit-intake")
    _landed(page)
    first_case = page.inner_text("#case-number")
    assert _count(Case) == cases_before + 1
    _back_and_submit(page, "#submit-intake", "#employer_name", "长春重复提交测试有限公司")
    assert page.inner_text("#case-number") == first_case  # the first case's page, not a new one
    assert ALREADY_SENT in _alerts(page)
    assert _count(Case) == cases_before + 1

    # A payment: recorded once; a fresh visit to the form records the next one.
    page.goto(f"{live_server}/cases/{paying}")
    page.click('[data-action="payment"]')
    page.select_option("#worker_id", str(worker_id))
    page.fill("#amount", "1000.00")
    page.click("#confirm-action")
    _landed(page)
    assert _count(Payment, case_id=paying_id) == 1
    _back_and_submit(page, "#confirm-action", "#amount", "1000.00")
    assert page.url.endswith(f"/cases/{paying}") and ALREADY_SENT in _alerts(page)
    assert _count(Payment, case_id=paying_id) == 1 and page.inner_text("#total-paid") == "1,000.00"
    page.click('[data-action="payment"]')
    page.select_option("#worker_id", str(worker_id))
    page.fill("#amount", "1000.00")
    page.click("#confirm-action")
    _landed(page)
    assert _count(Payment, case_id=paying_id) == 2 and ALREADY_SENT not in _alerts(page)

    # A session booked outside the lawyer's duty days (the reason is typed, and put back).
    page.goto(f"{live_server}/cases/{booking}")
    page.click('[data-action="schedule"]')
    page.fill("#override_reason", "双方只能在这天到场")
    page.click("#confirm-action")
    _landed(page)
    assert _count(MediationSession, case_id=booking_id, status="scheduled") == 1
    _back_and_submit(page, "#confirm-action", "#override_reason", "双方只能在这天到场")
    assert page.url.endswith(f"/cases/{booking}") and ALREADY_SENT in _alerts(page)
    assert _count(MediationSession, case_id=booking_id, status="scheduled") == 1

    # One signature on the agreement, recorded once.
    page.goto(f"{live_server}/cases/{signing}")
    page.click('[data-action="generate_agreement"]')
    page.wait_for_selector('#documents-table tr[data-kind="agreement"]')
    page.click('[data-action="sign"]')
    page.check(f'#parties input[value="{signer}"]')
    page.click("#confirm-action")
    _landed(page)
    assert _count(Signature, case_id=signing_id) == 1
    # Back: the worker who signed is no longer offered, and Chromium puts the tick back by
    # position, on the box now first (the employer's): sent again on main, that recorded a
    # signature nobody gave.
    page.go_back()
    page.wait_for_selector("#confirm-action")
    page.click("#confirm-action")
    _landed(page)
    assert page.url.endswith(f"/cases/{signing}") and ALREADY_SENT in _alerts(page)
    assert _count(Signature, case_id=signing_id) == 1


TOKEN = "input[name=submission_token]"


def _pay_once(page, base: str, number: str, worker_id: int) -> tuple[str, str]:  # noqa: ANN001
    """Open the payment form, note its token and case version, and record a payment."""
    page.goto(f"{base}/cases/{number}")
    page.click('[data-action="payment"]')
    token, version = page.input_value(TOKEN), page.input_value("input[name=version]")
    page.select_option("#worker_id", str(worker_id))
    page.fill("#amount", "10.00")
    page.click("#confirm-action")
    _landed(page)
    page.go_back()
    page.wait_for_selector("#confirm-action")
    return token, version


def test_what_chromium_puts_back_on_back(page, live_server, browser):
    """The mechanism the tokens rely on (mediation/web/submissions.py): on Back Chromium fetches
    the no-store form anew, with a new token and the case's new version in its attributes, then
    puts back only values that differ from their defaults and never a type=hidden one. The
    token, made a typed value by static/js/submission.js, comes back; the hidden version does
    not (which is why the version check never caught a resubmission). A new visit gets a new
    token; without JavaScript, Back does too."""
    mediator = make_user("mediator", "220100", username="med_restore")
    case = make_case("effective", mediator=mediator)
    number, worker_id = case.number, case.workers[0].id
    db.session.remove()
    _sign_in(page, live_server, "med_restore")

    first, version = _pay_once(page, live_server, number, worker_id)
    assert page.input_value(TOKEN) == first and page.get_attribute(TOKEN, "value") != first
    assert page.eval_on_selector(TOKEN, "input => input.defaultValue") == ""  # the script's doing
    assert page.input_value("input[name=version]") != version  # type=hidden: the new page's value
    assert page.input_value("#amount") == "10.00"
    page.click('#action-form a.btn-link')  # Cancel: back to the case, then a new visit to the form
    page.click('[data-action="payment"]')
    assert page.input_value(TOKEN) not in ("", first)

    without_script = browser.new_context(locale="zh-CN", java_script_enabled=False)
    plain = without_script.new_page()
    _sign_in(plain, live_server, "med_restore")
    served, _version = _pay_once(plain, live_server, number, worker_id)
    assert plain.input_value(TOKEN) == plain.get_attribute(TOKEN, "value") != served  # a fresh token
    without_script.close()
