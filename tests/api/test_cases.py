"""Reading cases: the list (filters, pages, scope) and one case (everything about it, masked
as the case page masks it)."""

from __future__ import annotations

import pytest

from mediation.common.identity import mask_id_number
from tests.api.conftest import assert_problem, field_errors
from tests.factories import make_case, make_user


def test_the_list_shows_the_cases_in_scope_newest_first_with_money_as_yuan_strings(api):
    mine = make_case("intake", region="220102")
    make_case("intake", region="222401")  # Yanbian: not Changchun's
    _user, client = api("supervisor", "220100")
    response = client.get("/api/v1/cases")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["total"] == 1 and body["page"] == 1 and body["pages"] == 1
    [item] = body["items"]
    assert item["number"] == mine.number
    assert item["claimed"] == "12000.00" and item["agreed"] == "0.00"
    assert item["received_on"] == mine.received_on.isoformat()
    assert item["region"]["code"] == "220102"


def test_the_case_reads_with_parties_claims_assignment_schedule_payments_and_history(api):
    case = make_case("effective", region="220102")
    _user, client = api(user=case.mediator)
    response = client.get(f"/api/v1/cases/{case.number}")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["number"] == case.number and body["state"] == "settled"
    assert body["workers"][0]["id_number"] == mask_id_number(case.workers[0].id_number)  # even for its mediator
    assert body["claims"][0]["agreed"] == "12000.00"
    assert body["assignment"]["lawyer"]["id"] == case.lawyer_id
    assert body["schedule"]["installments"][0]["amount"] == "12000.00"
    assert body["agreement"]["version"] == 1
    assert [e["action"] for e in body["history"]][:3] == ["intake", "assign", "refer"]
    assert "close" not in body["available_actions"]


def _numbers(response) -> list[str]:  # noqa: ANN001
    assert response.status_code == 200, response.get_json()
    return [item["number"] for item in response.get_json()["items"]]


def test_the_list_filters_like_the_case_list_page(api):
    intake = make_case("intake", region="220102")
    mediating = make_case("mediating", region="220103")
    _user, client = api("supervisor", "220100")
    assert _numbers(client.get("/api/v1/cases?state=mediating")) == [mediating.number]
    assert _numbers(client.get("/api/v1/cases?region=220102")) == [intake.number]
    assert set(_numbers(client.get("/api/v1/cases?region=220100"))) == {intake.number, mediating.number}
    assert _numbers(client.get(f"/api/v1/cases?q={intake.number}")) == [intake.number]
    assert _numbers(client.get("/api/v1/cases?q=工人1&state=intake")) == [intake.number]
    assert _numbers(client.get(f"/api/v1/cases?employer={intake.employer.uscc.lower()}")) == [intake.number]
    assert _numbers(client.get("/api/v1/cases?channel=hr")) == []
    assert _numbers(client.get("/api/v1/cases?overdue=overdue")) == []
    assert _numbers(client.get("/api/v1/cases?q=%25")) == []  # a LIKE wildcard is matched as itself


def test_the_list_pages(api):
    made = [make_case("intake", region="220102") for _ in range(3)]
    _user, client = api("supervisor", "220100")
    first = client.get("/api/v1/cases?per_page=2").get_json()
    second = client.get("/api/v1/cases?per_page=2&page=2").get_json()
    assert (first["total"], first["pages"], len(first["items"]), len(second["items"])) == (3, 2, 2, 1)
    assert {i["number"] for i in first["items"] + second["items"]} == {c.number for c in made}
    beyond = client.get("/api/v1/cases?page=9").get_json()
    assert beyond["items"] == [] and beyond["total"] == 3


@pytest.mark.parametrize("query, field", [
    ("page=0", "page"), ("page=x", "page"), ("per_page=101", "per_page"), ("per_page=-1", "per_page"),
    ("state=lost", "state"), ("channel=mail", "channel"), ("overdue=yes", "overdue"), ("q=" + "x" * 65, "q"),
    ("region=999999", "region"), ("q=%00", "q"), ("page=99999999999999999999", "page"),
])
def test_bad_list_filters_are_named(api, query, field):
    _user, client = api("supervisor", "220100")
    assert field in field_errors(client.get(f"/api/v1/cases?{query}"))


def test_a_prefecture_user_reaches_no_case_of_another_prefecture_by_any_filter_or_url(api):
    theirs = make_case("mediating", region="222401")  # Yanbian
    mine = make_case("intake", region="220102")
    for role in ("supervisor", "mediator", "admin", "lawyer"):
        _user, client = api(role, "220100")
        assert _numbers(client.get("/api/v1/cases")) == [mine.number]
        assert _numbers(client.get(f"/api/v1/cases?q={theirs.number}")) == []
        assert _numbers(client.get(f"/api/v1/cases?employer={theirs.employer.uscc}")) == []
        assert_problem(client.get("/api/v1/cases?region=222401"), 404, "not_found")
        assert_problem(client.get("/api/v1/cases?region=220000"), 404, "not_found")  # the province above
        assert_problem(client.get(f"/api/v1/cases/{theirs.number}"), 404, "not_found")
        assert_problem(client.get(f"/api/v1/cases/{theirs.number}/agreement.pdf"), 404, "not_found")


def test_a_province_user_sees_every_prefecture(api):
    cases = {make_case("intake", region=code).number for code in ("220102", "222401")}
    _user, client = api("supervisor", "220000")
    assert set(_numbers(client.get("/api/v1/cases"))) == cases


def test_id_numbers_and_phones_are_masked_for_every_reader_as_on_the_case_page(api):
    """Even the case's own mediator reads masked numbers here: the full ones come only from the
    recorded POST .../personal-data (tests/disclosure)."""
    case = make_case("mediating", region="220102")
    worker = case.workers[0]
    masked = {"id_number": worker.id_number[:6] + "********" + worker.id_number[-4:],
              "phone": worker.phone[:3] + "****" + worker.phone[-4:]}
    readers = {"the case's mediator": case.mediator, "the case's lawyer": case.lawyer,
               "an administrator": make_user("admin", "220000"),
               "a supervisor": make_user("supervisor", "220100"),
               "another mediator": make_user("mediator", "220100"),
               "another lawyer": make_user("lawyer", "220100")}
    for name, user in readers.items():
        _user, client = api(user=user)
        body = client.get(f"/api/v1/cases/{case.number}").get_json()
        assert {key: body["workers"][0][key] for key in ("id_number", "phone")} == masked, name
        listed = client.get("/api/v1/cases").get_json()["items"]
        assert listed and worker.id_number not in str(listed), name


def test_available_actions_follow_the_role(api):
    case = make_case("mediating")
    _m, mediator = api(user=case.mediator)
    _s, supervisor = api("supervisor", "220100")
    assert {"settle", "fail", "withdraw", "extend"} <= set(
        mediator.get(f"/api/v1/cases/{case.number}").get_json()["available_actions"])
    assert supervisor.get(f"/api/v1/cases/{case.number}").get_json()["available_actions"] == []


@pytest.mark.real_commits  # it counts every statement on the engine: the test's SAVEPOINTs would count too
def test_the_list_reads_a_page_in_a_fixed_number_of_statements(api):
    """Each item's paid total comes from payments loaded with the page, not a query per case."""
    from sqlalchemy import event

    from mediation.extensions import db

    _user, client = api("supervisor", "220100")

    def statements_for_list() -> int:
        seen = []
        listen = lambda conn, cursor, statement, *rest: seen.append(statement)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listen)
        try:
            assert client.get("/api/v1/cases?per_page=100").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listen)
        return len(seen)

    make_case("effective", region="220102")
    statements_for_list()  # the token's first use is recorded once: not part of the count
    with_one = statements_for_list()
    for _ in range(4):
        make_case("effective", region="220102")
    assert statements_for_list() == with_one
