"""POST /api/v1/cases/{number}/personal-data: the full numbers for the case's mediator, lawyer
or an admin, recorded first; every refusal a problem document with nothing recorded."""

from __future__ import annotations

import pytest

from tests.api.conftest import assert_problem, field_errors
from tests.disclosure.conftest import access_rows
from tests.factories import make_case


def _url(case) -> str:  # noqa: ANN001
    return f"/api/v1/cases/{case.number}/personal-data"


def test_the_case_mediator_gets_the_full_numbers_and_the_viewing_is_recorded(api):
    case = make_case("mediating", region="220102", workers=2)
    user, client = api(user=case.mediator)

    response = client.post(_url(case), json={"purpose": "contact", "note": "电话通知开庭"})

    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert {(w["id"], w["id_number"], w["phone"]) for w in body["workers"]} == {
        (w.id, w.id_number, w.phone) for w in case.workers}
    assert body["access"]["purpose"] == "contact" and body["access"]["at"].endswith("+00:00")
    assert "no-store" in response.headers["Cache-Control"]
    assert access_rows() == [(user.id, case.id, "contact", "电话通知开庭", "api", "127.0.0.1")]


def test_a_retry_with_an_idempotency_key_is_a_new_viewing_not_a_replay(api):
    """A replayed answer would hand out the numbers without a record of that second viewing."""
    case = make_case("mediating", region="220102")
    _user, client = api(user=case.lawyer)
    for _ in range(2):
        assert client.post(_url(case), json={"purpose": "identity"},
                           headers={"Idempotency-Key": "same-key-1"}).status_code == 200
    assert len(access_rows()) == 2


@pytest.mark.parametrize("body, field", [
    ({}, "purpose"),
    ({"purpose": "curiosity"}, "purpose"),
    ({"purpose": 7}, "purpose"),
    ({"purpose": "other"}, "note"),
    ({"purpose": "contact", "note": "x" * 201}, "note"),
    ({"purpose": "contact", "case_id": 1}, "case_id"),
    ({"purpose": "contact", "user_id": 1}, "user_id"),
])
def test_bad_bodies_are_refused_on_their_field(api, body, field):
    case = make_case("mediating", region="220102")
    _user, client = api(user=case.mediator)
    response = client.post(_url(case), json=body)
    assert field in field_errors(response)
    assert case.workers[0].id_number not in response.get_data(as_text=True)
    assert access_rows() == []


def test_refusals_by_role_scope_token_and_media_type(api, anonymous):
    case = make_case("mediating", region="220102")
    _s, supervisor = api("supervisor", "220100")
    _m, other_mediator = api("mediator", "220100")
    _y, other_region = api("admin", "222400")
    _o, owner = api(user=case.mediator)

    assert_problem(supervisor.post(_url(case), json={"purpose": "contact"}), 403, "forbidden")
    assert_problem(other_mediator.post(_url(case), json={"purpose": "contact"}), 403, "forbidden")
    assert_problem(other_region.post(_url(case), json={"purpose": "contact"}), 404, "not_found")
    assert anonymous.post(_url(case), json={"purpose": "contact"}).status_code == 401
    assert_problem(owner.post(_url(case), data="purpose=contact",
                              headers={"Content-Type": "application/x-www-form-urlencoded"}),
                   415, "unsupported_media_type")
    assert owner.get(_url(case)).status_code == 405
    assert access_rows() == []
