"""The hazard pages through the test client: record, list with filters, add a step, close; refusals
re-render the form with the field marked and write nothing."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from mediation.common.timeutil import today
from mediation.extensions import db
from mediation.hazards import services
from mediation.models import Hazard, HazardStep
from tests.factories import credit_code, make_user
from tests.hazards.conftest import hazard_input


def form(**overrides) -> dict[str, str]:
    values = {"region_code": "220102", "employer_uscc": credit_code(), "employer_name": "页面测试有限公司",
              "source": "tip_off", "kind": "social_insurance", "level": "medium",
              "found_on": (today() - dt.timedelta(days=3)).isoformat(), "workers_affected": "12",
              "amount": "80,000.50", "description": "未缴社保"}
    values.update(overrides)
    return values


def hazards() -> int:
    return db.session.scalar(select(func.count()).select_from(Hazard))


def test_a_mediator_records_a_hazard_and_sees_it(app, signed_in):
    _user, browser = signed_in("mediator")
    response = browser.post("/hazards/new", data=form())
    assert response.status_code == 302
    hazard = db.session.scalars(select(Hazard)).one()
    assert hazard.amount_fen == 8_000_050 and hazard.kind == "social_insurance"
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "页面测试有限公司" in page and "80,000.50" in page and 'id="step-form"' in page


def test_bad_input_rerenders_with_the_field_marked(app, signed_in):
    _user, browser = signed_in("lawyer")
    for field, value, status in (("workers_affected", "0", 400), ("amount", "99999999999", 400),
                                 ("found_on", "yesterday", 400), ("kind", "fire", 400)):
        response = browser.post("/hazards/new", data=form(**{field: value}))
        assert response.status_code == status, field
        assert "is-invalid" in response.get_data(as_text=True), field
    assert hazards() == 0


def test_readers_cannot_record(app, signed_in):
    for role in ("supervisor", "admin"):
        _user, browser = signed_in(role)
        assert browser.get("/hazards/new").status_code == 403
        assert browser.post("/hazards/new", data=form()).status_code == 403
        assert browser.get("/hazards").status_code == 200
    assert hazards() == 0


def test_the_list_filters_and_scopes(app, signed_in):
    lawyer = make_user("lawyer", "220100")
    services.hazard_record(actor=lawyer, data=hazard_input(level="high", employer_name="高风险公司"))
    low = services.hazard_record(actor=lawyer, data=hazard_input(level="low", employer_name="低风险公司"))
    services.hazard_close(hazard=low, actor=lawyer, expected_version=None, outcome="resolved", closed_on=today())
    services.hazard_record(actor=make_user("lawyer", "222400"),
                           data=hazard_input(region_code="222401", employer_name="延边的公司"))
    _user, browser = signed_in("supervisor", "220100")
    every = browser.get("/hazards").get_data(as_text=True)
    assert "高风险公司" in every and "低风险公司" in every and "延边的公司" not in every
    opened = browser.get("/hazards?status=open").get_data(as_text=True)
    assert "高风险公司" in opened and "低风险公司" not in opened
    low_only = browser.get("/hazards?level=low").get_data(as_text=True)
    assert "低风险公司" in low_only and "高风险公司" not in low_only
    assert browser.get("/hazards?level=extreme").status_code == 400
    assert browser.get("/hazards?region=222401").status_code == 400  # not a region of the scope


def test_steps_and_closing_through_the_page(app, signed_in):
    user, browser = signed_in("lawyer")
    hazard = services.hazard_record(actor=user, data=hazard_input())
    version = hazard.version
    url = f"/hazards/{hazard.id}"
    response = browser.post(f"{url}/steps", data={"version": version, "taken_on": today().isoformat(),
                                                  "text": "约谈法定代表人"})
    assert response.status_code == 302
    stale = browser.post(f"{url}/steps", data={"version": version, "taken_on": today().isoformat(), "text": "旧页"})
    assert stale.status_code == 409
    empty = browser.post(f"{url}/steps", data={"version": version + 1, "taken_on": today().isoformat(), "text": ""})
    assert empty.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(HazardStep)) == 1
    no_case = browser.post(f"{url}/close", data={"version": version + 1, "outcome": "became_case",
                                                 "closed_on": today().isoformat(), "case_number": ""})
    assert no_case.status_code == 400 and "Enter the number of the case" in no_case.get_data(as_text=True)
    closed = browser.post(f"{url}/close", data={"version": version + 1, "outcome": "referred",
                                                "closed_on": today().isoformat()})
    assert closed.status_code == 302
    page = browser.get(url).get_data(as_text=True)
    assert "Referred to the labor inspectorate" in page and 'id="step-form"' not in page and "约谈法定代表人" in page


def test_another_regions_hazard_does_not_exist(app, signed_in):
    hazard = services.hazard_record(actor=make_user("lawyer", "222400"), data=hazard_input(region_code="222401"))
    _user, browser = signed_in("lawyer", "220100")
    assert browser.get(f"/hazards/{hazard.id}").status_code == 404
    assert browser.post(f"/hazards/{hazard.id}/steps", data={"version": hazard.version, "text": "x",
                                                             "taken_on": today().isoformat()}).status_code == 404
