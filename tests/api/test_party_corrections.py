"""Correcting a party's details through the API: the same service as the page (only the details
sent change), bad input 422 naming the field, an ended case 409, nothing written on failure."""

from __future__ import annotations

from tests.api.conftest import assert_problem, counts, field_errors
from tests.factories import make_case


def _url(case) -> str:  # noqa: ANN001
    return f"/api/v1/cases/{case.number}/actions/correct_party"


def test_the_employer_as_the_case_recorded_it_is_corrected(api):
    case = make_case("mediating", region="220102")
    other = make_case("mediating", region="220102")
    _user, client = api(user=case.mediator)
    response = client.post(_url(case), json={"expected_version": case.version, "party": "employer",
                                             "name": "长春更正有限公司", "address": "长春市", "reason": "执照名称"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["employer"]["name"] == "长春更正有限公司" and body["employer"]["address"] == "长春市"
    assert body["employer"]["uscc"] == case.employer.uscc  # not sent: kept
    assert body["history"][-1]["action"] == "correct_party" and body["history"][-1]["note"] == "执照名称"
    assert client.get(f"/api/v1/cases/{other.number}").get_json()["employer"]["name"] == "长春测试机械有限公司"


def test_a_workers_id_number_is_checked(api):
    case = make_case("mediating", region="220102", workers=2)
    _user, client = api(user=case.mediator)
    before = counts()
    worker = f"worker:{case.workers[0].id}"
    for body, field in (({"id_number": "220102198506150001"}, "id_number"),
                        ({"id_number": case.workers[1].id_number}, "id_number"),
                        ({"name": ""}, "name"), ({"uscc": "91220101MA0000000X"}, "uscc")):
        assert field in field_errors(client.post(_url(case), json={"party": worker, "reason": "更正", **body}))
    assert "reason" in field_errors(client.post(_url(case), json={"party": worker, "name": "新名字"}))
    assert "salary" in field_errors(client.post(_url(case), json={"party": worker, "salary": "1", "reason": "x"}))
    assert counts() == before


def test_an_ended_case_is_refused(api):
    case = make_case("closed", region="220102")
    _user, client = api(user=case.mediator)
    assert_problem(client.post(_url(case), json={"party": "employer", "name": "新名称", "reason": "更正"}),
                   409, "refused")
