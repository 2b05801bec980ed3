"""Corrections in a real browser: the mediator corrects a worker's claims before settlement, the
case is settled and paid, a payment recorded in error is voided from the ledger's own link; the
claims table, the ledger (struck-through row, totals, installments) and the history follow."""

from __future__ import annotations

import datetime as dt

import pytest

from mediation.cases import services
from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.models import Case
from tests.browser.test_agreement_journey import _act, _pay, _submit
from tests.browser.test_case_journey import _sign_in
from tests.factories import make_case, make_effective, make_user

pytestmark = pytest.mark.browser


def _history_top(page) -> tuple[str, str]:  # noqa: ANN001
    first = page.locator("#history li").first
    return first.get_attribute("data-action"), first.inner_text()


def test_a_claim_corrected_and_a_payment_voided(page, live_server, artifacts_dir):
    mediator = make_user("mediator", "220100", username="med_corrections")
    case = make_case("mediating", mediator=mediator, started_on=today() - dt.timedelta(days=20))
    number, worker_id, username = case.number, case.workers[0].id, mediator.username
    db.session.remove()  # end our transaction before the live server needs SQLite's write lock
    case_url = f"{live_server}/cases/{number}"

    _sign_in(page, live_server, username)
    page.goto(case_url)
    assert "12,000.00" in page.inner_text("#claims-table tfoot")

    # The wages were 11,000.00, not 12,000.00, and overtime of 800.00 was left out.
    _act(page, "correct_claims")
    assert page.input_value(f"#claim-{worker_id}-wages") == "12000.00"
    page.fill(f"#claim-{worker_id}-wages", "11000.00")
    page.fill(f"#claim-{worker_id}-overtime", "800.00")
    page.fill("#reason", "申请书金额笔误")
    _submit(page)
    assert page.locator("#claims-table tbody tr").count() == 2
    assert "11,800.00" in page.inner_text("#claims-table tfoot")
    action, text = _history_top(page)
    assert action == "correct_claims" and "申请书金额笔误" in text

    # Settled on the corrected claims, its agreement in effect (through the services meanwhile).
    settled = db.session.execute(db.select(Case).where(Case.number == number)).scalar_one()
    services.case_settle(case=settled, actor=settled.mediator, expected_version=None,
                         settled_on=settled.mediation_started_on,
                         agreed_fen={item.id: item.claimed_fen for item in settled.claims})
    make_effective(settled, due_on=today() + dt.timedelta(days=20))
    db.session.commit()
    db.session.remove()

    page.goto(case_url)
    _pay(page, worker_id, "2000.00")  # recorded in error: the transfer came back
    _pay(page, worker_id, "500.00")
    assert page.inner_text("#total-paid") == "2,500.00"
    first = page.locator("#payments-table tbody tr.counted").first
    payment_id = first.get_attribute("data-payment")

    first.locator('[data-action="void_payment"]').click()
    page.wait_for_selector("#action-form")
    assert page.input_value("#payment_id") == payment_id  # the row's link chose it
    page.fill("#reason", "银行退票，款项未到账")
    page.click("#confirm-action")
    page.wait_for_selector("#case-number")

    voided = page.locator(f'#payments-table tr[data-payment="{payment_id}"]')
    assert "voided" in voided.get_attribute("class") and "line-through" in voided.get_attribute("class")
    assert "银行退票，款项未到账" in page.inner_text(f'#payments-table tr[data-voided="{payment_id}"]')
    assert page.inner_text("#total-paid") == "500.00" and page.inner_text("#total-outstanding") == "11,300.00"
    assert page.locator("#schedule-table tbody tr").first.locator("td").nth(4).inner_text() == "500.00"
    action, text = _history_top(page)
    assert action == "void_payment" and "2,000.00" in text and "银行退票，款项未到账" in text
    page.screenshot(path=str(artifacts_dir / "corrections-journey.png"), full_page=True)

    db.session.expire_all()
    case = db.session.execute(db.select(Case).where(Case.number == number)).scalar_one()
    assert (case.claimed_fen, case.paid_fen, len(case.payment_records)) == (1_180_000, 50_000, 2)
    db.session.remove()
