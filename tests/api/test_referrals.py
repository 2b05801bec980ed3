"""Creating a case is taking in a referral: once per (channel, reference), whatever the retries,
and every bad input refused with the field named and nothing written."""

from __future__ import annotations

import pytest
from stdnum.cn import ric

from mediation.cases import intake, referrals
from mediation.common.identity import mask_id_number
from mediation.extensions import db
from mediation.models import Case
from tests.api.conftest import assert_problem, counts, field_errors, referral
from tests.factories import resident_id
from tests.web.conftest import bad_check_character


def test_a_referral_becomes_a_case_in_intake(api):
    user, client = api("mediator", "220100")
    body = referral(workers=2)
    response = client.post("/api/v1/cases", json=body)
    assert response.status_code == 201, response.get_json()
    case = response.get_json()
    assert response.headers["Location"] == f"/api/v1/cases/{case['number']}"
    assert case["state"] == "intake" and case["channel"] == "court" and case["referral_ref"] == body["referral_ref"]
    assert case["region"]["code"] == "220102" and case["worker_count"] == 2
    assert case["totals"]["claimed"] == "16000.00"
    assert [c["claimed"] for c in case["claims"]] == ["8000.00", "8000.00"]
    assert case["workers"][0]["id_number"] == mask_id_number(body["workers"][0]["id_number"])  # masked, even here
    assert case["assignment"]["mediator"]["id"] == user.id
    assert case["warnings"] == []
    assert client.get(response.headers["Location"]).get_json() == {k: v for k, v in case.items() if k != "warnings"}


def test_a_repeated_referral_returns_the_case_it_made(api):
    _user, client = api("mediator", "220100")
    body = referral()
    first = client.post("/api/v1/cases", json=body)
    before = counts()
    again = client.post("/api/v1/cases", json=body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["number"] == first.get_json()["number"]
    assert counts() == before
    # the reference with the other channel is another referral: of the same worker and employer,
    # so a likely duplicate, taken in once confirmed
    assert_problem(client.post("/api/v1/cases", json={**body, "channel": "hr"}), 409, "confirmation_required")
    assert client.post("/api/v1/cases", json={**body, "channel": "hr", "confirm": True}).status_code == 201


def test_a_colleague_retrying_the_referral_gets_the_same_case(api):
    _user, client = api("mediator", "220100")
    _other, colleague = api("admin", "220000")
    body = referral()
    number = client.post("/api/v1/cases", json=body).get_json()["number"]
    response = colleague.post("/api/v1/cases", json=body)
    assert response.status_code == 200 and response.get_json()["number"] == number


def test_a_referral_registered_in_another_region_is_not_revealed(api):
    _user, changchun = api("mediator", "220100")
    _other, yanbian = api("mediator", "222400")
    body = referral()
    number = changchun.post("/api/v1/cases", json=body).get_json()["number"]
    before = counts()
    response = yanbian.post("/api/v1/cases", json={**body, "region_code": "222401"})
    problem = assert_problem(response, 409, "duplicate_referral")
    assert number not in problem["detail"]
    assert counts() == before


def test_a_concurrent_copy_that_wins_the_insert_race_is_returned(api, monkeypatch):
    """Both copies passed the look-up before either committed: the loser's insert fails on the
    unique (channel, reference) and it answers with the winner's case, not a 500."""
    _user, client = api("mediator", "220100")
    body = referral()
    winner = client.post("/api/v1/cases", json=body).get_json()["number"]
    real_validate, looks = intake.validate_intake, []

    def blind_to_the_winner(actor, data):  # noqa: ANN001, ANN202
        errors, *rest = real_validate(actor, data)
        errors.fields.pop("referral_ref", None)  # as if the winner had not committed yet
        return (errors, *rest)

    real_registered = referrals.registered_referral

    def first_look_misses(*args):  # noqa: ANN002, ANN202
        looks.append(args)
        return None if len(looks) == 1 else real_registered(*args)

    monkeypatch.setattr(intake, "validate_intake", blind_to_the_winner)
    monkeypatch.setattr(referrals, "registered_referral", first_look_misses)
    before = counts()
    # confirmed: the winner's case is a likely duplicate of it, a warning the loser went past
    response = client.post("/api/v1/cases", json={**body, "confirm": True})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["number"] == winner
    assert len(looks) == 2  # the failed insert made it look again
    assert counts() == before


def test_a_copy_registered_between_the_look_up_and_the_service_is_returned(api, monkeypatch):
    _user, client = api("mediator", "220100")
    body = referral()
    winner = client.post("/api/v1/cases", json=body).get_json()["number"]
    real_registered, looks = referrals.registered_referral, []

    def first_look_misses(*args):  # noqa: ANN002, ANN202
        looks.append(args)
        return None if len(looks) == 1 else real_registered(*args)

    monkeypatch.setattr(referrals, "registered_referral", first_look_misses)
    response = client.post("/api/v1/cases", json=body)
    assert response.status_code == 200 and response.get_json()["number"] == winner


def test_only_mediators_and_admins_take_in_cases_and_only_in_their_region(api):
    body = referral()
    for role in ("lawyer", "supervisor"):
        _user, client = api(role, "220100")
        assert_problem(client.post("/api/v1/cases", json=body), 403, "forbidden")
    _user, yanbian = api("mediator", "222400")
    before = counts()
    assert_problem(yanbian.post("/api/v1/cases", json=body), 403, "forbidden")  # Changchun's region
    assert counts() == before


def _wrong_id(number: str) -> str:
    return number[:-1] + ("0" if number[-1] != "0" else "1")


def _with_worker(body: dict, index: int = 0, **changes) -> dict:  # noqa: ANN003
    body["workers"][index].update(changes)
    return body


BAD = {
    # wrong JSON types
    "channel a number": (lambda b: {**b, "channel": 5}, "channel"),
    "workers not a list": (lambda b: {**b, "workers": "工人甲"}, "workers"),
    "employer not an object": (lambda b: {**b, "employer": ["x"]}, "employer"),
    "amount a JSON number": (lambda b: _with_worker(b, claims=[{"kind": "wages", "amount": 8000}]),
                             "workers/0/claims/0/amount"),
    "venue id a string": (lambda b: {**b, "venue_id": "3"}, "venue_id"),
    "venue id absurd": (lambda b: {**b, "venue_id": 10**20}, "venue_id"),
    "received_on not a date": (lambda b: {**b, "received_on": "2026-02-30"}, "received_on"),
    "name a number": (lambda b: _with_worker(b, name=12), "workers/0/name"),
    # the wrong kinds of value the intake service no longer checks itself (tests/cases/test_intake.py)
    "employer name a number": (lambda b: {**b, "employer": {**b["employer"], "name": 123}}, "employer/name"),
    "region code a number": (lambda b: {**b, "region_code": 220102}, "region_code"),
    "received_on a number": (lambda b: {**b, "received_on": 20240101}, "received_on"),
    "received_on a datetime": (lambda b: {**b, "received_on": "2024-01-01T09:30:00"}, "received_on"),
    "unknown field": (lambda b: {**b, "lawyer": "张律师"}, "lawyer"),
    "walk-in is no referral": (lambda b: {**b, "channel": "walk_in"}, "channel"),
    # missing
    "no reference": (lambda b: {k: v for k, v in b.items() if k != "referral_ref"}, "referral_ref"),
    "blank reference": (lambda b: {**b, "referral_ref": "   "}, "referral_ref"),
    "no workers": (lambda b: {**b, "workers": []}, "workers"),
    "no claims": (lambda b: _with_worker(b, claims=[]), "workers/0/claims"),
    # unknown codes
    "unknown region": (lambda b: {**b, "region_code": "999999"}, "region_code"),
    "unknown venue": (lambda b: {**b, "venue_id": 999999}, "venue_id"),
    "unknown claim kind": (lambda b: _with_worker(b, claims=[{"kind": "bonus", "amount": "1.00"}]),
                           "workers/0/claims/0/kind"),
    # checksums
    "ID number check digit": (lambda b: _with_worker(b, id_number=_wrong_id(b["workers"][0]["id_number"])),
                              "workers/0/id_number"),
    "ID number birth date": (lambda b: _with_worker(b, id_number=(lambda s: s + ric.calc_check_digit(s + "0"))(
        "22010219850230001")), "workers/0/id_number"),
    "USCC check character": (lambda b: {**b, "employer": {**b["employer"],
                                                          "uscc": bad_check_character(b["employer"]["uscc"])}},
                             "employer/uscc"),
    "USCC format": (lambda b: {**b, "employer": {**b["employer"], "uscc": "not-a-credit-code"}}, "employer/uscc"),
    "phone": (lambda b: _with_worker(b, phone="12345"), "workers/0/phone"),
    # duplicated rows
    "the same worker twice": (lambda b: {**b, "workers": [b["workers"][0], dict(b["workers"][0])]},
                              "workers/1/id_number"),
    "the same claim kind twice": (lambda b: _with_worker(b, claims=[{"kind": "wages", "amount": "1.00"},
                                                                    {"kind": "wages", "amount": "2.00"}]),
                                  "workers/0/claims/1/kind"),
    # lengths and amounts
    "over-long reference": (lambda b: {**b, "referral_ref": "R" * 65}, "referral_ref"),
    "over-long name": (lambda b: _with_worker(b, name="张" * 65), "workers/0/name"),
    "over-long summary": (lambda b: {**b, "summary": "x" * 4001}, "summary"),
    "NUL in a name": (lambda b: _with_worker(b, name="张\x00三"), "workers/0/name"),
    "negative amount": (lambda b: _with_worker(b, claims=[{"kind": "wages", "amount": "-5.00"}]),
                        "workers/0/claims/0/amount"),
    "zero amount": (lambda b: _with_worker(b, claims=[{"kind": "wages", "amount": "0"}]),
                    "workers/0/claims/0/amount"),
    "absurd amount": (lambda b: _with_worker(b, claims=[{"kind": "wages", "amount": "99999999.00"}]),
                      "workers/0/claims/0/amount"),
    "three decimals": (lambda b: _with_worker(b, claims=[{"kind": "wages", "amount": "1.005"}]),
                       "workers/0/claims/0/amount"),
    "a future date": (lambda b: {**b, "received_on": "2999-01-01"}, "received_on"),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_input_names_the_field_and_writes_nothing(api, case):
    _user, client = api("mediator", "220100")
    make, field = BAD[case]
    before = counts()
    errors = field_errors(client.post("/api/v1/cases", json=make(referral())))
    assert field in errors, errors
    # whole sentences: a lazy message once reached the problem as one row per character
    assert all(len(message) > 3 for messages in errors.values() for message in messages), errors
    assert counts() == before


def test_every_failing_field_is_listed_at_once(api):
    _user, client = api("mediator", "220100")
    body = referral(workers=2)
    body["workers"][1]["id_number"] = _wrong_id(body["workers"][1]["id_number"])
    body["employer"]["uscc"] = bad_check_character(body["employer"]["uscc"])
    body["region_code"] = "999999"
    errors = field_errors(client.post("/api/v1/cases", json=body))
    assert {"workers/1/id_number", "region_code"} <= set(errors)


def test_a_worker_on_record_under_another_name_needs_a_confirmation(api):
    _user, client = api("mediator", "220100")
    body = referral()
    number = client.post("/api/v1/cases", json=body).get_json()["number"]
    again = referral()
    again["workers"][0]["id_number"] = body["workers"][0]["id_number"]
    again["workers"][0]["name"] = "别人"
    before = counts()
    problem = assert_problem(client.post("/api/v1/cases", json=again), 409, "confirmation_required")
    assert [row["field"] for row in problem["errors"]] == ["workers/0/name"]
    assert number in problem["errors"][0]["message"]  # a case of the client's own region: named
    assert counts() == before
    made = client.post("/api/v1/cases", json={**again, "confirm": True})
    assert made.status_code == 201 and made.get_json()["workers"][0]["name"] == "别人"


def test_another_regions_worker_is_not_named_to_the_api(api):
    """Finding 1 through the API: a Yanbian referral with a Changchun worker's ID number."""
    _user, changchun = api("mediator", "220100")
    body = referral()
    body["workers"][0]["name"] = "韩萍"
    body["workers"][0]["phone"] = "13812345678"
    number = changchun.post("/api/v1/cases", json=body).get_json()["number"]
    _other, yanbian = api("mediator", "222400")
    probe = referral(region="222401")
    probe["workers"][0].update(id_number=body["workers"][0]["id_number"], name="金哲", phone="")
    probe["employer"].update(uscc=body["employer"]["uscc"], name="延边某公司")
    response = yanbian.post("/api/v1/cases", json=probe)
    problem = assert_problem(response, 409, "confirmation_required")
    text = response.get_data(as_text=True)
    for secret in ("韩萍", number, "13812345678", body["employer"]["name"]):
        assert secret not in text
    assert sorted(row["field"] for row in problem["errors"]) == ["employer/name", "workers/0/id_number",
                                                                 "workers/0/name"]
    made = yanbian.post("/api/v1/cases", json={**probe, "confirm": True})
    assert made.status_code == 201
    assert made.get_json()["workers"][0]["phone"] is None  # nothing of Changchun's record


def test_a_body_that_is_not_json_or_not_an_object_is_refused_and_writes_nothing(api):
    _user, client = api("mediator", "220100")
    before = counts()
    assert_problem(client.post("/api/v1/cases", data="{not json", content_type="application/json"),
                   400, "malformed_json")
    assert_problem(client.post("/api/v1/cases", data="channel=court", content_type="application/x-www-form-urlencoded"),
                   415, "unsupported_media_type")
    assert_problem(client.post("/api/v1/cases", data=b"\xff\xfe", content_type="application/json"),
                   400, "malformed_json")
    assert "" in field_errors(client.post("/api/v1/cases", json=[referral()]))
    assert "" in field_errors(client.post("/api/v1/cases", json="referral"))
    assert "channel" in field_errors(client.post("/api/v1/cases"))  # no body at all
    assert counts() == before


def test_a_body_over_the_size_limit_is_413(app, api):
    _user, client = api("mediator", "220100")
    big = referral(summary="x" * (app.config["MAX_CONTENT_LENGTH"] + 1))
    assert_problem(client.post("/api/v1/cases", json=big), 413, "payload_too_large")


def test_a_collective_referral_of_many_workers(api):
    _user, client = api("mediator", "220100")
    response = client.post("/api/v1/cases", json=referral(workers=12))
    assert response.status_code == 201
    assert response.get_json()["collective"] is True
    number = response.get_json()["number"]
    assert db.session.query(Case).filter_by(number=number).one().worker_count == 12


def test_the_id_numbers_of_workers_with_unknown_birth_places_are_accepted(api):
    _user, client = api("mediator", "220100")
    body = referral()
    body["workers"][0]["id_number"] = resident_id(area="229999")
    response = client.post("/api/v1/cases", json=body)
    assert response.status_code == 201
    [warning] = response.get_json()["warnings"]  # as the page flashes it
    assert "229999" in warning
