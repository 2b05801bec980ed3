"""GET /api/v1/consultations: scoped, filtered, masked, and in the OpenAPI document."""

from __future__ import annotations

from tests.api.conftest import api, assert_problem, field_errors  # noqa: F401 (the api fixture)
from tests.consultations.helpers import make_consultation
from tests.factories import make_user


def test_the_list_is_scoped_and_the_phone_masked(api):  # noqa: F811
    lawyer = make_user("lawyer", "220102")
    mine = make_consultation(lawyer, channel="online")
    make_consultation(make_user("lawyer", "222401"), question="延边的咨询")
    _user, client = api("supervisor", "220100")
    response = client.get("/api/v1/consultations")
    assert response.status_code == 200
    body = response.get_json()
    assert [item["id"] for item in body["items"]] == [mine.id] and body["total"] == 1
    assert body["items"][0]["worker_phone"] == "139****5678"
    assert "13912345678" not in response.get_data(as_text=True)
    assert body["items"][0]["region"]["code"] == "220102" and body["items"][0]["case_number"] is None


def test_filters_and_refusals(api):  # noqa: F811
    lawyer, client = api("lawyer", "220102")
    make_consultation(lawyer, channel="online", topic="severance")
    make_consultation(make_user("mediator", "220102"), channel="hotline")
    assert client.get("/api/v1/consultations").get_json()["total"] == 2
    assert client.get("/api/v1/consultations?mine=true").get_json()["total"] == 1
    assert client.get("/api/v1/consultations?channel=online").get_json()["total"] == 1
    assert client.get("/api/v1/consultations?topic=severance&channel=hotline").get_json()["total"] == 0
    assert_problem(client.get("/api/v1/consultations?region=222400"), 404, "not_found")
    refused = client.get("/api/v1/consultations?channel=fax&from=yesterday")
    assert_problem(refused, 422, "validation_failed")
    assert {"channel", "from"} <= set(field_errors(refused))


def test_the_route_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert "get" in paths["/api/v1/consultations"]
