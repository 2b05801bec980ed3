"""Voiding a payment recorded in error: never deleted, marked voided with who, when and why; the
ledger, the installments, the statistics and a locked period's drift follow."""

from __future__ import annotations

import datetime as dt
import re
from unittest import mock

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from mediation.common.errors import Conflict, NotPermitted, Refused, ValidationFailed
from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.models import CaseEvent, Installment, Payment, PaymentAllocation, Region
from mediation.settlements import services as settlement_services
from mediation.settlements.schedule import InstallmentInput, schedule_set
from mediation.settlements.services import agreement_generate
from mediation.settlements.signing import required_parties, signature_record
from mediation.settlements.voiding import payment_void, reallocation
from mediation.stats import period as periods
from mediation.stats import summary
from mediation.stats.locks import compare, report_lock
from mediation.web.commit import commit
from tests.cases.unchanged import english, nothing_written
from tests.factories import VERIFY_URL, make_case, make_user, stand_in_agreement_pdf
from tests.settlements.test_agreement_services import pay
from tests.web.conftest import follow, page, reload_case, sync

DAY = dt.timedelta(days=1)
REASON = "银行退票，款项未到账"


def void(case, payment, reason=REASON, actor=None, **kwargs):  # noqa: ANN001, ANN003, ANN201
    voided = payment_void(case=case, actor=actor or case.mediator, expected_version=kwargs.pop("version", None),
                          payment_id=kwargs.pop("payment_id", payment.id if payment else None), reason=reason)
    commit()
    return voided


def in_two_installments(case, first_due: dt.date, second_due: dt.date) -> None:  # noqa: ANN001
    """Schedule the (one) worker's 12,000.00 yuan as 5,000.00 and 7,000.00, then make it take effect."""
    worker = case.workers[0]
    schedule_set(case=case, actor=case.mediator, expected_version=None, rows=[
        InstallmentInput(worker_id=worker.id, due_on=first_due, amount_fen=500_000),
        InstallmentInput(worker_id=worker.id, due_on=second_due, amount_fen=700_000)])
    with mock.patch.object(settlement_services, "agreement_pdf", stand_in_agreement_pdf):
        agreement_generate(case=case, actor=case.mediator, verify_url=VERIFY_URL)
    signature_record(case=case, actor=case.mediator, expected_version=None, parties=required_parties(case),
                     signed_on=case.settled_on)
    commit()


def paid_per_installment(case) -> list[tuple[int, int]]:  # noqa: ANN001
    sync()
    return [(i.seq, i.paid_fen) for i in db.session.scalars(
        select(Installment).where(Installment.case_id == case.id).order_by(Installment.seq))]


# --- the service ----------------------------------------------------------------------------------

def test_a_voided_payment_stays_on_record_marked_and_counts_nowhere(app):
    case = make_case("effective")
    worker = case.workers[0]
    kept = pay(case, worker, 300_00)
    wrong = pay(case, worker, 500_00)

    void(case, wrong)

    sync()
    row = db.session.get(Payment, wrong.id)
    assert row is not None and row.voided_at is not None  # never deleted
    assert (row.voided_by_id, row.void_reason) == (case.mediator_id, REASON)
    case = reload_case(case)
    assert [p.id for p in case.payments] == [kept.id]
    assert [p.id for p in case.payment_records] == [kept.id, wrong.id]
    assert (case.paid_fen, case.outstanding_fen) == (300_00, case.agreed_fen - 300_00)
    assert db.session.scalar(select(func.count()).select_from(PaymentAllocation)
                             .where(PaymentAllocation.payment_id == wrong.id)) == 0
    event = case.events[-1]
    assert (event.action, event.note, event.actor_id) == ("void_payment", REASON, case.mediator_id)
    assert event.detail["payment_id"] == wrong.id and event.detail["amount_fen"] == 500_00
    assert event.detail["before"]["paid_fen"] == 800_00 and event.detail["after"]["paid_fen"] == 300_00


def test_the_remaining_payments_are_allocated_again_and_the_overdue_status_follows(app):
    case = make_case("settled", started_on=today() - 20 * DAY)
    in_two_installments(case, first_due=today() - DAY, second_due=today() + 30 * DAY)
    worker = case.workers[0]
    first = pay(case, worker, 500_00 * 10, paid_on=today() - 5 * DAY)  # the first installment in full
    pay(case, worker, 200_00 * 10, paid_on=today() - 2 * DAY)  # toward the second
    assert paid_per_installment(case) == [(1, 500_000), (2, 200_000)]
    assert not reload_case(case).has_overdue_installment

    void(case, first)

    # as if the first had never been recorded: the later payment settles the oldest installment
    assert paid_per_installment(case) == [(1, 200_000), (2, 0)]
    case = reload_case(case)
    assert case.has_overdue_installment  # the first installment fell due yesterday, 3,000.00 unpaid
    assert case.outstanding_fen == 1_000_000


def test_reallocation_follows_the_order_of_payment_and_of_due_dates():
    installments = [mock.Mock(id=1, due_on=dt.date(2026, 3, 1), seq=2, amount_fen=300),
                    mock.Mock(id=2, due_on=dt.date(2026, 1, 1), seq=1, amount_fen=200)]
    late = mock.Mock(id=7, paid_on=dt.date(2026, 2, 1), amount_fen=250)
    early = mock.Mock(id=9, paid_on=dt.date(2026, 1, 5), amount_fen=100)
    parts = [(p.id, i.id, part) for p, i, part in reallocation(installments, [late, early])]
    assert parts == [(9, 2, 100), (7, 2, 100), (7, 1, 150)]


def test_voiding_twice_is_refused_and_writes_nothing(app):
    case = make_case("effective")
    payment = pay(case, case.workers[0], 500_00)
    void(case, payment)
    with force_locale("en"), nothing_written(Refused, case, "payment_id") as refused:
        payment_void(case=case, actor=case.mediator, expected_version=None, payment_id=payment.id, reason="再次作废")
    assert "already voided" in english(refused.value.message)


@pytest.mark.parametrize("change, error, field", [
    ({"reason": ""}, ValidationFailed, "reason"),
    ({"reason": "   "}, ValidationFailed, "reason"),
    ({"reason": "理" * 2001}, ValidationFailed, "reason"),
    ({"payment_id": None}, ValidationFailed, "payment_id"),
    ({"payment_id": "1"}, ValidationFailed, "payment_id"),
    ({"payment_id": True}, ValidationFailed, "payment_id"),
    ({"payment_id": 2_000_000}, ValidationFailed, "payment_id"),
    ({"version": 0}, Conflict, None),
], ids=["empty reason", "blank reason", "reason too long", "no payment", "id as text",
        "id a boolean", "no such payment", "stale version"])
def test_bad_input_is_refused_naming_the_field_and_writes_nothing(app, change, error, field):
    case = make_case("effective")
    payment = pay(case, case.workers[0], 500_00)
    args = {"reason": REASON, "payment_id": payment.id, "version": None, **change}
    with nothing_written(error, case, field):
        payment_void(case=case, actor=case.mediator, expected_version=args["version"],
                     payment_id=args["payment_id"], reason=args["reason"])


def test_a_payment_of_another_case_is_not_this_cases(app):
    case, other = make_case("effective"), make_case("effective")
    theirs = pay(other, other.workers[0], 500_00)
    pay(case, case.workers[0], 500_00)
    with nothing_written(ValidationFailed, case, "payment_id"):
        payment_void(case=case, actor=case.mediator, expected_version=None, payment_id=theirs.id, reason=REASON)


def test_who_may_void(app):
    case = make_case("effective")
    payment = pay(case, case.workers[0], 500_00)
    for outsider in (make_user("supervisor", "220100"), make_user("lawyer", "220100"),
                     make_user("admin", "222400")):
        with nothing_written(NotPermitted, case):
            payment_void(case=case, actor=outsider, expected_version=None, payment_id=payment.id, reason=REASON)
    void(case, payment, actor=case.lawyer)  # the case's own lawyer may


def test_a_closed_case_is_not_reopened_to_void_a_payment(app):
    """Closed is the workflow's end: refused with what to do instead (voiding.py says why)."""
    case = make_case("closed")
    payment = case.payments[0]
    with force_locale("en"), nothing_written(Refused, case) as refused:
        payment_void(case=case, actor=case.mediator, expected_version=None, payment_id=payment.id, reason=REASON)
    assert "closed" in english(refused.value.message) and "new case" in english(refused.value.message)
    assert reload_case(case).state == "closed"


# --- the statistics ---------------------------------------------------------------------------------

def test_the_statistics_and_a_locked_periods_drift_follow(app):
    last_month = periods.containing("month", today().replace(day=1) - DAY)
    case = make_case("settled", region="220102", started_on=last_month.start)
    in_two_installments(case, first_due=last_month.start + DAY, second_due=last_month.start + 2 * DAY)
    payment = pay(case, case.workers[0], 400_000, paid_on=last_month.end)
    admin = make_user("admin", "220000")
    report = report_lock(actor=admin, region=db.session.get(Region, "220000"), period=last_month)
    commit()
    assert report.figures["total"]["recovered"] == 400_000
    assert summary.verify(db.session.connection()) == []

    void(case, payment)

    assert summary.verify(db.session.connection()) == []  # the kept summary equals a recomputation
    drift = compare(report)
    assert drift.now["recovered"] == 0 and "recovered" in drift.changed
    assert [number for number, _then, _now in drift.moved] == [case.number]


# --- the pages ----------------------------------------------------------------------------------------

def test_a_payment_recorded_in_error_can_be_voided_on_its_page(signed_in):
    mediator, browser = signed_in("mediator", "220100")
    case = make_case("effective", mediator=mediator)
    payment = pay(case, case.workers[0], 500_00)

    form = page(browser.get(f"/cases/{case.number}/void_payment?payment_id={payment.id}"))
    assert form.status == 200 and form.fields["payment_id"]  # the payment the ledger's link named
    assert re.search(rf'<option selected value="{payment.id}">|<option value="{payment.id}" selected', form.text)
    response = browser.post(f"/cases/{case.number}/void_payment", data={
        "version": form.value("version"), "payment_id": str(payment.id), "reason": REASON})

    assert response.status_code == 302, page(response).messages
    shown = follow(browser, response)
    assert "The payment has been voided." in shown.alerts
    case = reload_case(case)
    assert case.paid_fen == 0 and case.outstanding_fen == case.agreed_fen
    # the ledger keeps it, struck through, with who voided it and why
    assert re.search(rf'<tr data-payment="{payment.id}" class="voided[^"]*line-through', shown.text)
    assert REASON in shown.text and mediator.full_name in shown.text
    assert re.search(r'id="total-paid">0\.00<', shown.text)
    history = re.search(r'<ol class="timeline" id="history">.*?</ol>', shown.text, re.S).group(0)
    assert 'data-action="void_payment"' in history and "500.00" in history and REASON in history


@pytest.mark.parametrize("data, invalid", [
    ({"reason": ""}, "reason"), ({"reason": "理" * 2001}, "reason"), ({"payment_id": ""}, "payment_id"),
    ({"payment_id": "abc"}, "payment_id"),
])
def test_the_page_names_the_bad_field_and_writes_nothing(signed_in, data, invalid):
    mediator, browser = signed_in("mediator", "220100")
    case = make_case("effective", mediator=mediator)
    payment = pay(case, case.workers[0], 500_00)
    before = reload_case(case).version
    form = {"version": str(before), "payment_id": str(payment.id), "reason": REASON, **data}
    result = page(browser.post(f"/cases/{case.number}/void_payment", data=form))
    assert result.status == 400 and invalid in result.invalid, result.messages
    assert reload_case(case).version == before and reload_case(case).paid_fen == 500_00


def test_voiding_twice_on_the_page_is_a_conflict_with_the_reason(signed_in):
    mediator, browser = signed_in("mediator", "220100")
    case = make_case("effective", mediator=mediator)
    payment = pay(case, case.workers[0], 500_00)
    other = pay(case, case.workers[0], 100_00)  # so that the page still opens after the first void
    void(case, payment)
    result = page(browser.post(f"/cases/{case.number}/void_payment", data={
        "version": str(reload_case(case).version), "payment_id": str(payment.id), "reason": REASON}))
    assert result.status in (400, 409), result.messages  # no longer a choice of the form, or refused
    assert reload_case(case).paid_fen == other.amount_fen


def test_another_regions_case_is_not_found(signed_in):
    case = make_case("effective", region="222401")
    payment = pay(case, case.workers[0], 500_00)
    _admin, browser = signed_in("admin", "220100")
    response = browser.post(f"/cases/{case.number}/void_payment", data={
        "version": str(case.version), "payment_id": str(payment.id), "reason": REASON})
    assert response.status_code == 404
    sync()
    assert db.session.get(Payment, payment.id).voided_at is None
    assert db.session.scalar(select(func.count()).select_from(CaseEvent).where(
        CaseEvent.case_id == case.id, CaseEvent.action == "void_payment")) == 0
