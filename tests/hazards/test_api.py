"""GET /api/v1/hazards: the hazards of the token's region subtree, filtered; in the OpenAPI document."""

from __future__ import annotations

from mediation.common.timeutil import today
from mediation.hazards import services
from tests.api.conftest import api, assert_problem  # noqa: F401 (a fixture, imported to be used here)
from tests.factories import make_user
from tests.hazards.conftest import hazard_input


def test_the_list_is_scoped_and_filtered(app, api):  # noqa: F811
    lawyer = make_user("lawyer", "220100")
    high = services.hazard_record(actor=lawyer, data=hazard_input(level="high", amount="1200.50"))
    services.hazard_add_step(hazard=high, actor=lawyer, expected_version=None, taken_on=today(), text="约谈")
    low = services.hazard_record(actor=lawyer, data=hazard_input(level="low"))
    services.hazard_close(hazard=low, actor=lawyer, expected_version=None, outcome="referred", closed_on=today())
    services.hazard_record(actor=make_user("lawyer", "222400"), data=hazard_input(region_code="222401"))
    _user, client = api("supervisor", "220100")
    body = client.get("/api/v1/hazards").get_json()
    assert body["total"] == 2 and {item["id"] for item in body["items"]} == {high.id, low.id}
    opened = client.get("/api/v1/hazards?status=open").get_json()
    [item] = opened["items"]
    assert (item["id"], item["amount"], item["level"], item["outcome"]) == (high.id, "1200.50", "high", None)
    assert item["steps"] == [{"seq": 1, "taken_on": today().isoformat(), "text": "约谈"}]
    assert client.get("/api/v1/hazards?level=low").get_json()["items"][0]["outcome"] == "referred"
    assert_problem(client.get("/api/v1/hazards?region=222400"), 404, "not_found")
    assert_problem(client.get("/api/v1/hazards?level=extreme"), 422, "validation_failed")


def test_it_is_in_the_document(app, api):  # noqa: F811
    _user, client = api("mediator")
    document = client.get("/api/v1/openapi.json").get_json()
    assert "get" in document["paths"]["/api/v1/hazards"]
    assert "HazardPage" in document["components"]["schemas"]
