"""Workflow triggers through the API: the services' rules (role 403, state 409 refused, stale
version 409 conflict), each trigger's fields validated, nothing written on failure, and
Idempotency-Key honoured."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy import select, update

import workflows
from mediation.common.timeutil import today, utcnow
from mediation.enforcement.services import enforcement_outcome
from mediation.extensions import db
from mediation.models import CaseEvent, IdempotencyKey
from tests.api.conftest import assert_problem, counts, field_errors
from tests.factories import make_case, make_effective, make_user, make_venue
from tests.web.conftest import reload_case


def url(case, trigger: str) -> str:  # noqa: ANN001
    return f"/api/v1/cases/{case.number}/actions/{trigger}"


def events(case) -> list[str]:  # noqa: ANN001
    db.session.rollback()
    return list(db.session.scalars(select(CaseEvent.action).where(CaseEvent.case_id == case.id)
                                   .order_by(CaseEvent.id)))


def test_a_case_walks_from_referral_to_settlement(api):
    case = make_case("intake", region="220102")
    lawyer, venue = make_user("lawyer", "220100"), make_venue("220100")
    _user, client = api(user=case.mediator)
    response = client.post(url(case, "refer"), json={"venue_id": venue.id, "lawyer_id": lawyer.id,
                                                     "expected_version": case.version, "note": "转交法院工作室"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["state"] == "referred"
    assert body["assignment"]["venue"] == {"id": venue.id, "name": venue.name}
    assert body["assignment"]["lawyer"]["id"] == lawyer.id
    assert "start_mediation" in body["available_actions"]
    started = client.post(url(case, "start_mediation"), json={"expected_version": body["version"]}).get_json()
    assert started["state"] == "mediating" and started["schedule"]["mediation_due_on"]
    extended = client.post(url(case, "extend"), json={"days": 5, "agreement": "双方同意延长"}).get_json()
    assert extended["schedule"]["extended"] is True
    claim = extended["claims"][0]
    settled = client.post(url(case, "settle"), json={"agreed": [{"claim_id": claim["id"], "amount": "9000.50"}],
                                                     "note": "达成协议"})
    assert settled.status_code == 200, settled.get_json()
    assert settled.get_json()["state"] == "settled"
    assert settled.get_json()["totals"]["agreed"] == "9000.50"
    assert events(case)[-4:] == ["refer", "start_mediation", "extend", "settle"]


@pytest.mark.parametrize("trigger", ["reject", "withdraw"])
def test_ending_a_case_needs_a_reason(api, trigger):
    case = make_case("intake")
    _user, client = api(user=case.mediator)
    before = counts()
    assert "reason" in field_errors(client.post(url(case, trigger), json={}))
    assert "reason" in field_errors(client.post(url(case, trigger), json={"reason": "   "}))
    assert "reason" in field_errors(client.post(url(case, trigger), json={"reason": "x" * 2001}))
    assert counts() == before
    response = client.post(url(case, trigger), json={"reason": "当事人撤回"})
    assert response.status_code == 200 and response.get_json()["state"] in ("rejected", "withdrawn")


def test_a_trigger_the_state_does_not_allow_is_refused_and_writes_nothing(api):
    case = make_case("intake")
    _user, client = api(user=case.mediator)
    before = counts()
    for trigger, body in (("start_mediation", {}), ("close", {}), ("fail", {"reason": "x"}),
                          ("extend", {"days": 3, "agreement": "同意"})):
        assert_problem(client.post(url(case, trigger), json=body), 409, "refused")
    assert counts() == before
    assert reload_case(case).state == "intake"


def test_a_guard_that_fails_is_refused_with_its_reason(api):
    case = make_case("referred")
    case.lawyer_id = None
    db.session.commit()
    _user, client = api(user=case.mediator)
    problem = assert_problem(client.post(url(case, "start_mediation"), json={}), 409, "refused")
    assert "lawyer" in problem["detail"]


@pytest.mark.parametrize("trigger", list(workflows.TRIGGERS))
def test_a_supervisor_may_fire_no_trigger(api, trigger):
    case = make_case("mediating")
    _user, client = api("supervisor", "220100")
    before = counts()
    assert_problem(client.post(url(case, trigger), json=_valid_body(trigger, case)), 403, "forbidden")
    assert counts() == before


def _valid_body(trigger: str, case) -> dict:  # noqa: ANN001
    return {"refer": {"venue_id": case.venue_id or 1}, "reject": {"reason": "x"}, "withdraw": {"reason": "x"},
            "fail": {"reason": "x"}, "extend": {"days": 1, "agreement": "x"},
            "settle": {"agreed": [{"claim_id": c.id, "amount": "1.00"} for c in case.claims]},
            "enforce": {"kind": "payment_order"}, "write_off": {"reason": "x"}}.get(trigger, {})


def test_a_lawyer_acts_only_on_the_cases_assigned_to_them(api):
    case = make_case("mediating")
    _other, stranger = api("lawyer", "220100")
    assert stranger.get(f"/api/v1/cases/{case.number}").status_code == 200  # reads it, in the region
    assert_problem(stranger.post(url(case, "fail"), json={"reason": "x"}), 403, "forbidden")
    _lawyer, assigned = api(user=case.lawyer)
    assert assigned.post(url(case, "fail"), json={"reason": "差距过大"}).get_json()["state"] == "failed"


@pytest.mark.parametrize("trigger", list(workflows.TRIGGERS))
def test_a_case_of_another_prefecture_is_not_found_for_any_trigger(api, trigger):
    case = make_case("mediating", region="222401")  # Yanbian
    _user, client = api("admin", "220100")  # Changchun's administrator
    before = counts()
    assert_problem(client.post(url(case, trigger), json=_valid_body(trigger, case)), 404, "not_found")
    assert counts() == before


def test_a_stale_version_is_a_conflict_and_writes_nothing(api):
    case = make_case("mediating")
    _user, client = api(user=case.mediator)
    seen = case.version
    client.post(url(case, "extend"), json={"days": 2, "agreement": "同意", "expected_version": seen})
    before = counts()
    assert_problem(client.post(url(case, "fail"), json={"reason": "x", "expected_version": seen}), 409, "conflict")
    assert counts() == before


def test_settle_names_the_row_of_each_bad_amount(api):
    case = make_case("mediating", workers=2)
    _user, client = api(user=case.mediator)
    first, second = (c.id for c in case.claims)
    before = counts()
    twice = [{"claim_id": first, "amount": "1.00"}, {"claim_id": first, "amount": "2.00"}]
    assert "agreed/1/claim_id" in field_errors(client.post(url(case, "settle"), json={"agreed": twice}))
    negative = [{"claim_id": first, "amount": "1.00"}, {"claim_id": second, "amount": "-1.00"}]
    assert "agreed/1/amount" in field_errors(client.post(url(case, "settle"), json={"agreed": negative}))
    assert "agreed" in field_errors(client.post(url(case, "settle"),
                                                json={"agreed": [{"claim_id": first, "amount": "1.00"}]}))
    unknown = [{"claim_id": first, "amount": "1.00"}, {"claim_id": second, "amount": "1.00"},
               {"claim_id": 2_000_000, "amount": "1.00"}]
    assert "agreed" in field_errors(client.post(url(case, "settle"), json={"agreed": unknown}))
    zero = [{"claim_id": first, "amount": "0"}, {"claim_id": second, "amount": "0.00"}]
    assert_problem(client.post(url(case, "settle"), json={"agreed": zero}), 409, "refused")  # the guard: total > 0
    assert counts() == before
    assert all(item.agreed_fen is None for item in reload_case(case).claims)


WRONG = {
    "days as text": ("extend", {"days": "5", "agreement": "x"}, "days"),
    "days too many": ("extend", {"days": 16, "agreement": "x"}, "days"),
    "days a fraction": ("extend", {"days": 1.5, "agreement": "x"}, "days"),
    "days a boolean": ("extend", {"days": True, "agreement": "x"}, "days"),
    "version negative": ("fail", {"reason": "x", "expected_version": -1}, "expected_version"),
    "version as text": ("fail", {"reason": "x", "expected_version": "3"}, "expected_version"),
    "reason a list": ("fail", {"reason": ["x"]}, "reason"),
    "unknown field": ("fail", {"reason": "x", "why": "y"}, "why"),
    "date not a date": ("start_mediation", {"started_on": "yesterday"}, "started_on"),
    "enforcement kind": ("enforce", {"kind": "seizure"}, "kind"),
    "agreed not a list": ("settle", {"agreed": {"1": "1.00"}}, "agreed"),
    # the wrong kinds of value the services no longer check themselves (tests/cases/test_services.py)
    "days a whole float": ("extend", {"days": 5.0, "agreement": "x"}, "days"),
    "days null": ("extend", {"days": None, "agreement": "x"}, "days"),
    "agreement null": ("extend", {"days": 5, "agreement": None}, "agreement"),
    "agreement a number": ("extend", {"days": 5, "agreement": 123}, "agreement"),
    "fail reason a number": ("fail", {"reason": 42}, "reason"),
    "withdraw reason a number": ("withdraw", {"reason": 42}, "reason"),
    "reject reason a number": ("reject", {"reason": 42}, "reason"),
    "referred_on a number": ("refer", {"venue_id": 1, "referred_on": 20240101}, "referred_on"),
    "started_on a datetime": ("start_mediation", {"started_on": "2030-01-01T08:00:00"}, "started_on"),
    "agreed amount a number": ("settle", {"agreed": [{"claim_id": 1, "amount": 100.5}]}, "agreed/0/amount"),
    "agreed amount null": ("settle", {"agreed": [{"claim_id": 1, "amount": None}]}, "agreed/0/amount"),
    "claims correction reason a number": ("correct_claims", {"claims": [], "reason": 7}, "reason"),
    "void reason a number": ("void_payment", {"payment_id": 1, "reason": 42}, "reason"),
    "confirmation date not a date": ("apply_confirmation", {"applied_on": "yesterday"}, "applied_on"),
    "confirmation court a number": ("apply_confirmation", {"court": 7}, "court"),
    "enforcement court a number": ("enforce", {"kind": "payment_order", "court": 7}, "court"),
}


@pytest.mark.parametrize("name", list(WRONG), ids=list(WRONG))
def test_wrong_types_name_the_field_and_write_nothing(api, name):
    trigger, body, field = WRONG[name]
    case = make_case("mediating")
    _user, client = api(user=case.mediator)
    before = counts()
    assert field in field_errors(client.post(url(case, trigger), json=body))
    assert counts() == before


def test_refer_checks_the_venue_and_the_lawyer(api):
    case = make_case("intake")
    _user, client = api(user=case.mediator)
    yanbian_venue, yanbian_lawyer = make_venue("222400"), make_user("lawyer", "222400")
    venue = make_venue("220100")
    before = counts()
    assert "venue_id" in field_errors(client.post(url(case, "refer"), json={"venue_id": 999_999}))
    assert "venue_id" in field_errors(client.post(url(case, "refer"), json={"venue_id": yanbian_venue.id}))
    assert "lawyer_id" in field_errors(client.post(url(case, "refer"), json={"venue_id": venue.id,
                                                                             "lawyer_id": yanbian_lawyer.id}))
    assert "lawyer_id" in field_errors(client.post(url(case, "refer"), json={"venue_id": venue.id,
                                                                             "lawyer_id": case.mediator_id}))
    assert "venue_id" in field_errors(client.post(url(case, "refer"), json={}))
    assert counts() == before


def test_the_body_must_be_json_but_may_be_empty(api):
    case = make_case("referred")
    _user, client = api(user=case.mediator)
    assert_problem(client.post(url(case, "start_mediation"), data="started_on=2026-01-01",
                               content_type="application/x-www-form-urlencoded"), 415, "unsupported_media_type")
    assert_problem(client.post(url(case, "start_mediation"), data="{", content_type="application/json"),
                   400, "malformed_json")
    for hostile in ('{"started_on": ' + "9" * 5000 + "}", "[" * 100_000 + "]" * 100_000):
        assert_problem(client.post(url(case, "start_mediation"), data=hostile, content_type="application/json"),
                       400, "malformed_json")
    response = client.post(url(case, "start_mediation"))
    assert response.status_code == 200 and response.get_json()["state"] == "mediating"


def test_enforcement_and_the_write_off(api):
    case = make_case("defaulted")
    _user, client = api(user=case.mediator)
    response = client.post(url(case, "enforce"), json={"kind": "payment_order",
                                                       "court": "长春市朝阳区人民法院"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["state"] == "enforcing" and body["enforcement_paths"][0]["outcome"] == "pending"
    assert_problem(client.post(url(case, "write_off"), json={"reason": "无财产可供执行"}), 409, "refused")
    case = reload_case(case)
    enforcement_outcome(case=case, actor=case.mediator, expected_version=None,
                        path_id=case.enforcement_paths[0].id, outcome="refused", outcome_on=today())
    db.session.commit()
    closed = client.post(url(case, "write_off"), json={"reason": "无财产可供执行"}).get_json()
    assert closed["state"] == "closed" and closed["totals"]["written_off"] == "12000.00"


def test_judicial_confirmation_is_applied_for_with_nothing_overdue(api):
    case = make_case("effective")  # in effect today, its installments due in 30 days
    _user, client = api(user=case.mediator)
    read = client.get(f"/api/v1/cases/{case.number}").get_json()
    assert "apply_confirmation" in read["available_actions"]
    assert read["agreement"]["judicial_confirmation_until"] == workflows.judicial_confirmation_deadline(
        case.agreement_effective_on).due_on.isoformat()
    assert "kind" in field_errors(client.post(url(case, "enforce"), json={"kind": "judicial_confirmation"}))
    assert_problem(client.post(url(case, "enforce"), json={"kind": "payment_order"}), 409, "refused")  # no default
    response = client.post(url(case, "apply_confirmation"), json={"court": "长春市朝阳区人民法院"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["state"] == "settled" and "apply_confirmation" not in body["available_actions"]
    assert [(p["kind"], p["outcome"], p["applied_on"]) for p in body["enforcement_paths"]] == [
        ("judicial_confirmation", "pending", today().isoformat())]
    before = counts()
    assert_problem(client.post(url(case, "apply_confirmation"), json={}), 409, "refused")  # one is pending
    assert "applied_on" in field_errors(client.post(url(case, "apply_confirmation"), json={"applied_on": "soon"}))
    assert counts() == before


def test_judicial_confirmation_after_its_30_days_is_refused_naming_the_last_day(api):
    case = make_case("settled", started_on=today() - dt.timedelta(days=60))
    make_effective(case, signed_on=today() - dt.timedelta(days=45), due_on=today() + dt.timedelta(days=5))
    db.session.commit()
    _user, client = api(user=case.mediator)
    before = counts()
    detail = assert_problem(client.post(url(case, "apply_confirmation"), json={}), 409, "refused")["detail"]
    assert workflows.judicial_confirmation_deadline(case.agreement_effective_on).due_on.isoformat() in detail
    assert counts() == before


# --- Idempotency-Key ------------------------------------------------------------------------

def test_a_retry_with_the_same_key_replays_the_first_answer_and_changes_nothing(api):
    case = make_case("mediating")
    _user, client = api(user=case.mediator)
    key = {"Idempotency-Key": "5f0c3c1e-retry"}
    first = client.post(url(case, "extend"), json={"days": 3, "agreement": "同意"}, headers=key)
    assert first.status_code == 200 and "Idempotent-Replayed" not in first.headers
    before = counts()
    again = client.post(url(case, "extend"), json={"days": 3, "agreement": "同意"}, headers=key)
    assert again.status_code == 200 and again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json()
    assert counts() == before
    assert events(case).count("extend") == 1


def test_the_same_key_for_another_request_is_refused(api):
    case = make_case("mediating")
    _user, client = api(user=case.mediator)
    key = {"Idempotency-Key": "k-1"}
    client.post(url(case, "extend"), json={"days": 3, "agreement": "同意"}, headers=key)
    before = counts()
    assert_problem(client.post(url(case, "extend"), json={"days": 4, "agreement": "同意"}, headers=key),
                   422, "idempotency_key_reused")
    assert_problem(client.post(url(case, "fail"), json={"reason": "x"}, headers=key), 422, "idempotency_key_reused")
    assert counts() == before


def test_a_key_still_in_flight_is_a_conflict(api):
    case = make_case("mediating")
    user, client = api(user=case.mediator)
    body = b'{"reason": "x"}'
    db.session.add(IdempotencyKey(user_id=user.id, key="busy", method="POST", path=url(case, "fail"),
                                  fingerprint=hashlib.sha256(body).hexdigest(), created_at=utcnow()))
    db.session.commit()
    before = counts()
    response = client.post(url(case, "fail"), data=body, content_type="application/json",
                           headers={"Idempotency-Key": "busy"})
    assert_problem(response, 409, "idempotency_key_in_flight")
    assert counts() == before


def test_a_failed_request_releases_its_key(api):
    case = make_case("intake")
    _user, client = api(user=case.mediator)
    key = {"Idempotency-Key": "try-again"}
    before = counts()
    assert_problem(client.post(url(case, "start_mediation"), json={}, headers=key), 409, "refused")
    assert "reason" in field_errors(client.post(url(case, "reject"), json={}, headers=key))
    assert counts() == before  # no key row kept either
    response = client.post(url(case, "reject"), json={"reason": "不属于受理范围"}, headers=key)
    assert response.status_code == 200 and "Idempotent-Replayed" not in response.headers


def test_keys_expire_after_a_day_and_belong_to_their_user(api):
    case = make_case("mediating")
    user, client = api(user=case.mediator)
    _admin, admin = api("admin", "220000")
    key = {"Idempotency-Key": "daily"}
    client.post(url(case, "extend"), json={"days": 1, "agreement": "同意"}, headers=key)
    # another user's same key is another key
    assert admin.post(url(case, "fail"), json={"reason": "x"}, headers=key).status_code == 200
    db.session.execute(update(IdempotencyKey).where(IdempotencyKey.user_id == user.id)
                       .values(created_at=utcnow() - dt.timedelta(hours=25)))
    db.session.commit()
    response = client.post(url(case, "withdraw"), json={"reason": "x"}, headers=key)
    assert_problem(response, 409, "refused")  # a new request now: the case has failed meanwhile


@pytest.mark.parametrize("key", ["", "has space", "x" * 256, "café"])
def test_a_malformed_key_is_refused(api, key):
    case = make_case("mediating")
    _user, client = api(user=case.mediator)
    before = counts()
    errors = field_errors(client.post(url(case, "fail"), json={"reason": "x"}, headers={"Idempotency-Key": key}))
    assert "Idempotency-Key" in errors
    assert counts() == before
