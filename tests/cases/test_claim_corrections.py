"""Correcting a worker's claims before settlement: amounts per claim kind, a kind added or
removed, with a reason and an event; refused once the case is settled."""

from __future__ import annotations

from tests.factories import make_case
from tests.web.conftest import page, reload_case


def test_a_claimed_amount_can_be_corrected_before_settlement(signed_in):
    mediator, browser = signed_in("mediator", "220100")
    case = make_case("mediating", mediator=mediator)
    worker = case.workers[0]

    response = browser.post(f"/cases/{case.number}/correct_claims", data={
        "version": str(case.version), f"claim-{worker.id}-wages": "11000.00",
        f"claim-{worker.id}-overtime": "800.00", "reason": "申请书金额笔误"})

    assert response.status_code == 302, page(response).messages
    case = reload_case(case)
    assert sorted((item.kind, item.claimed_fen) for item in case.claims) == [("overtime", 800_00), ("wages", 11000_00)]
