"""Voiding a payment recorded in error: never deleted, marked voided with who, when and why; the
ledger, the installments, the statistics and a locked period's drift follow."""

from __future__ import annotations

from tests.factories import make_case
from tests.settlements.test_agreement_services import pay
from tests.web.conftest import page, reload_case


def test_a_payment_recorded_in_error_can_be_voided_on_its_page(signed_in):
    mediator, browser = signed_in("mediator", "220100")
    case = make_case("effective", mediator=mediator)
    payment = pay(case, case.workers[0], 500_00)

    response = browser.post(f"/cases/{case.number}/void_payment", data={
        "version": str(reload_case(case).version), "payment_id": str(payment.id), "reason": "银行退票，款项未到账"})

    assert response.status_code == 302, page(response).messages
    case = reload_case(case)
    assert case.paid_fen == 0 and case.outstanding_fen == case.agreed_fen
