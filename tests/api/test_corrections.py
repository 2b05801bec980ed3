"""The corrections through the API: correcting claims, voiding a payment, cancelling or moving a
session. Each with a reason; bad input names the field (422) and writes nothing; a state that does
not allow it is 409, another region's case 404, a stale version 409 conflict."""

from __future__ import annotations

import datetime as dt

import pytest

from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.lawyers.proposal import next_working_day
from mediation.lawyers.services import session_schedule
from mediation.settlements.ledger import payment_record
from tests.api.conftest import assert_problem, counts, field_errors
from tests.factories import make_case
from tests.web.conftest import reload_case


def url(case, name: str) -> str:  # noqa: ANN001
    return f"/api/v1/cases/{case.number}/actions/{name}"


def _paid(case):  # noqa: ANN001, ANN202
    payment = payment_record(case=case, actor=case.mediator, expected_version=None, worker_id=case.workers[0].id,
                             amount_fen=500_00, paid_on=None, method="bank_transfer")
    db.session.commit()
    return payment


def _booked(case):  # noqa: ANN001, ANN202
    session = session_schedule(case=case, actor=case.mediator, expected_version=None,
                               on_date=next_working_day(today()), starts_at=dt.time(9), ends_at=dt.time(10),
                               override_reason="临时安排")
    db.session.commit()
    return session


def _ready(name: str, region: str = "220102"):  # noqa: ANN202
    """(case, a valid body) for the correction `name`."""
    if name == "correct_claims":
        case = make_case("mediating", region=region)
        claims = [{"worker_id": case.workers[0].id, "kind": "wages", "amount": "11000.00"},
                  {"worker_id": case.workers[0].id, "kind": "overtime", "amount": "800.00"}]
        return case, {"claims": claims, "reason": "申请书金额笔误"}
    if name == "void_payment":
        case = make_case("effective", region=region)
        return case, {"payment_id": _paid(case).id, "reason": "银行退票"}
    case = make_case("mediating", region=region)
    body = {"session_id": _booked(case).id, "reason": "当事人请假"}
    if name == "reschedule_session":
        body.update(on_date=(today() + dt.timedelta(days=3)).isoformat(), starts_at="14:00", ends_at="15:30",
                    override_reason="双方只能这天")
    return case, body


NAMES = ["correct_claims", "void_payment", "cancel_session", "reschedule_session"]


@pytest.mark.parametrize("name", NAMES)
def test_each_correction_is_made_with_its_reason_on_record(api, name):
    case, body = _ready(name)
    _user, client = api(user=case.mediator)
    response = client.post(url(case, name), json={**body, "expected_version": reload_case(case).version})
    assert response.status_code == 200, response.get_json()
    history = response.get_json()["history"]
    assert history[-1]["action"] == name and history[-1]["note"] == body["reason"]


def test_a_voided_payment_is_read_back_marked(api):
    case, body = _ready("void_payment")
    _user, client = api(user=case.mediator)
    detail = client.post(url(case, "void_payment"), json=body).get_json()
    (payment,) = detail["payments"]
    assert payment["voided_at"] and payment["void_reason"] == "银行退票"
    assert detail["totals"]["paid"] == "0.00"
    assert_problem(client.post(url(case, "void_payment"), json=body), 409, "refused")  # voided once only


WRONG = {
    "no reason": ("void_payment", {"reason": None}, "reason"),
    "empty reason": ("cancel_session", {"reason": ""}, "reason"),
    "reason too long": ("correct_claims", {"reason": "理" * 2001}, "reason"),
    "reason a number": ("cancel_session", {"reason": 5}, "reason"),
    "payment id as text": ("void_payment", {"payment_id": "1"}, "payment_id"),
    "no such payment": ("void_payment", {"payment_id": 999_999}, "payment_id"),
    "session id a float": ("cancel_session", {"session_id": 1.5}, "session_id"),
    "no such session": ("reschedule_session", {"session_id": 999_999}, "session_id"),
    "time not a time": ("reschedule_session", {"starts_at": "nine"}, "starts_at"),
    "ends before it starts": ("reschedule_session", {"starts_at": "16:00"}, "ends_at"),
    "a day in the past": ("reschedule_session", {"on_date": "2020-01-01"}, "on_date"),
    "amount a number": ("correct_claims", {"claims": [{"worker_id": 0, "kind": "wages", "amount": 100}]},
                        "claims/0/amount"),
    "amount zero": ("correct_claims", {"claims": [{"worker_id": 0, "kind": "wages", "amount": "0.00"}]},
                    "claims/0/amount"),
    "amount absurd": ("correct_claims", {"claims": [{"worker_id": 0, "kind": "wages", "amount": "99999999.00"}]},
                      "claims/0/amount"),
    "unknown kind": ("correct_claims", {"claims": [{"worker_id": 0, "kind": "bonus", "amount": "1.00"}]},
                     "claims/0/kind"),
    "a kind twice": ("correct_claims", {"claims": [{"worker_id": 0, "kind": "wages", "amount": "1.00"},
                                                   {"worker_id": 0, "kind": "wages", "amount": "2.00"}]},
                     "claims/1/kind"),
    "another case's worker": ("correct_claims", {"claims": [{"worker_id": 0, "kind": "wages", "amount": "1.00"},
                                                            {"worker_id": 999_999, "kind": "wages", "amount": "1.00"}]},
                              "claims/1/amount"),
    "no claims": ("correct_claims", {"claims": []}, "claims"),
    "claims not a list": ("correct_claims", {"claims": {"wages": "1.00"}}, "claims"),
    "unknown field": ("void_payment", {"why": "x"}, "why"),
}


@pytest.mark.parametrize("case_name", list(WRONG), ids=list(WRONG))
def test_bad_input_names_the_field_and_writes_nothing(api, case_name):
    name, change, field = WRONG[case_name]
    case, body = _ready(name)
    if "claims" in change:  # worker 0 stands for the case's own worker
        change = {"claims": change["claims"] if not isinstance(change["claims"], list) else [
            {**row, "worker_id": case.workers[0].id if row["worker_id"] == 0 else row["worker_id"]}
            for row in change["claims"]]}
    body = {k: v for k, v in {**body, **change}.items() if v is not None}
    _user, client = api(user=case.mediator)
    before = counts()
    assert field in field_errors(client.post(url(case, name), json=body))
    assert counts() == before


@pytest.mark.parametrize("name", NAMES)
def test_a_stale_version_is_a_conflict(api, name):
    case, body = _ready(name)
    _user, client = api(user=case.mediator)
    before = counts()
    assert_problem(client.post(url(case, name), json={**body, "expected_version": case.version - 1}), 409, "conflict")
    assert counts() == before


@pytest.mark.parametrize("name", NAMES)
def test_another_regions_case_is_not_found(api, name):
    case, body = _ready(name, region="222401")
    _user, client = api("admin", "220100")
    before = counts()
    assert_problem(client.post(url(case, name), json=body), 404, "not_found")
    assert counts() == before


@pytest.mark.parametrize("name", NAMES)
def test_a_supervisor_may_not(api, name):
    case, body = _ready(name)
    _user, client = api("supervisor", "220100")
    before = counts()
    assert_problem(client.post(url(case, name), json=body), 403, "forbidden")
    assert counts() == before


def test_a_state_that_does_not_allow_it_is_refused(api):
    settled = make_case("settled")
    _user, client = api(user=settled.mediator)
    before = counts()
    claims = [{"worker_id": settled.workers[0].id, "kind": "wages", "amount": "1.00"}]
    problem = assert_problem(client.post(url(settled, "correct_claims"), json={"claims": claims, "reason": "x"}),
                             409, "refused")
    assert "settled" in problem["detail"]
    assert counts() == before
    closed = make_case("closed")
    _user, client = api(user=closed.mediator)
    before = counts()
    payment_id = closed.payments[0].id
    problem = assert_problem(client.post(url(closed, "void_payment"), json={"payment_id": payment_id, "reason": "x"}),
                             409, "refused")
    assert "closed" in problem["detail"]
    assert counts() == before
