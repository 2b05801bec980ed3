"""Payments and the agreement PDF through the API."""

from __future__ import annotations

import pytest

from mediation.extensions import db
from mediation.models import Payment
from tests.api.conftest import assert_problem, counts, field_errors
from tests.factories import make_case, make_user


def pay_url(case) -> str:  # noqa: ANN001
    return f"/api/v1/cases/{case.number}/payments"


def test_a_payment_is_recorded_and_read_back_with_the_case(api):
    case = make_case("effective")
    _user, client = api(user=case.mediator)
    worker = case.workers[0]
    response = client.post(pay_url(case), json={"worker_id": worker.id, "amount": "2000.50", "method": "bank_transfer",
                                                "receipt_no": "HD-001", "expected_version": case.version})
    assert response.status_code == 201, response.get_json()
    payment = response.get_json()
    assert payment["amount"] == "2000.50" and payment["worker_id"] == worker.id and payment["method"] == "bank_transfer"
    assert payment["recorded_at"].endswith("+00:00")
    detail = client.get(f"/api/v1/cases/{case.number}").get_json()
    assert detail["payments"] == [payment]
    assert detail["totals"]["paid"] == "2000.50" and detail["totals"]["outstanding"] == "9999.50"
    assert detail["schedule"]["installments"][0]["status"] == "partial"


PAYMENT_ERRORS = {
    "more than owed": ({"amount": "12000.01"}, "amount"),
    "zero": ({"amount": "0.00"}, "amount"),
    "negative": ({"amount": "-1.00"}, "amount"),
    "a number": ({"amount": 100}, "amount"),
    "a float": ({"amount": 100.0}, "amount"),
    "amount null": ({"amount": None}, "amount"),
    "worker id null": ({"worker_id": None}, "worker_id"),
    "receipt a number": ({"receipt_no": 12345}, "receipt_no"),
    "not this case's worker": ({"worker_id": 999_999}, "worker_id"),
    "worker id as text": ({"worker_id": "1"}, "worker_id"),
    "method": ({"method": "bitcoin"}, "method"),
    "receipt too long": ({"receipt_no": "R" * 65}, "receipt_no"),
    "future date": ({"paid_on": "2999-01-01"}, "paid_on"),
    "not this case's path": ({"enforcement_path_id": 999_999}, "enforcement_path_id"),
}


@pytest.mark.parametrize("name", list(PAYMENT_ERRORS), ids=list(PAYMENT_ERRORS))
def test_a_bad_payment_names_the_field_and_writes_nothing(api, name):
    case = make_case("effective")
    _user, client = api(user=case.mediator)
    changes, field = PAYMENT_ERRORS[name]
    body = {"worker_id": case.workers[0].id, "amount": "100.00", "method": "cash", **changes}
    before = counts()
    assert field in field_errors(client.post(pay_url(case), json=body))
    assert counts() == before


def test_payments_need_an_effective_agreement_and_a_case_worker(api):
    settled = make_case("settled")
    _user, client = api(user=settled.mediator)
    body = {"worker_id": settled.workers[0].id, "amount": "1.00", "method": "cash"}
    assert_problem(client.post(pay_url(settled), json=body), 409, "refused")
    effective = make_case("effective")
    _supervisor, supervisor = api("supervisor", "220100")
    body["worker_id"] = effective.workers[0].id
    assert_problem(supervisor.post(pay_url(effective), json=body), 403, "forbidden")
    _other, yanbian = api("admin", "222400")
    assert_problem(yanbian.post(pay_url(effective), json=body), 404, "not_found")


def test_a_payment_retried_with_its_key_is_recorded_once(api):
    case = make_case("effective")
    _user, client = api(user=case.mediator)
    body = {"worker_id": case.workers[0].id, "amount": "500.00", "method": "cash"}
    key = {"Idempotency-Key": "pay-2026-0001"}
    first = client.post(pay_url(case), json=body, headers=key)
    again = client.post(pay_url(case), json=body, headers=key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true" and again.get_json() == first.get_json()
    db.session.rollback()
    assert db.session.query(Payment).filter_by(case_id=case.id).count() == 1
    # without a key, the same body is a second payment: the key is what makes a retry safe
    assert client.post(pay_url(case), json=body).status_code == 201


@pytest.mark.real_agreement_pdf  # the download serves the agreement itself
def test_the_agreement_pdf_downloads_for_who_works_or_reviews_the_case(api):
    case = make_case("effective")
    for user in (case.mediator, case.lawyer, make_user("supervisor", "220100"), make_user("admin", "220000")):
        _user, client = api(user=user)
        response = client.get(f"/api/v1/cases/{case.number}/agreement.pdf")
        assert response.status_code == 200, (user.role, response.get_data()[:200])
        assert response.mimetype == "application/pdf" and response.data.startswith(b"%PDF-")
        assert "Set-Cookie" not in response.headers


def test_the_agreement_pdf_is_refused_or_missing_as_a_problem(api):
    case = make_case("effective")
    _stranger, stranger = api("lawyer", "220100")  # not assigned to it
    assert_problem(stranger.get(f"/api/v1/cases/{case.number}/agreement.pdf"), 403, "forbidden")
    _other, yanbian = api("admin", "222400")
    assert_problem(yanbian.get(f"/api/v1/cases/{case.number}/agreement.pdf"), 404, "not_found")
    settled = make_case("settled")
    _user, client = api(user=settled.mediator)
    assert_problem(client.get(f"/api/v1/cases/{settled.number}/agreement.pdf"), 404, "not_found")
