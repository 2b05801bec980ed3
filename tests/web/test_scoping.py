"""Who sees which case: region subtrees (404 outside), read-only lawyers and supervisors (403)."""

from __future__ import annotations

import pytest
from flask import url_for
from sqlalchemy import select

from mediation import create_app
from mediation.cases.actions import ACTIONS
from mediation.extensions import db
from mediation.models import Region
from tests.conftest import base_config
from tests.factories import make_case, make_user
from tests.web.conftest import action_form, events_of, intake_case, page, reload_case

ROLES = ("mediator", "lawyer", "supervisor", "admin")
NO_DOCUMENT_YET = {"settlements.download"}
ARGUMENT_VALUES = {"kind": "agreement"}  # what a rule's argument takes where 1 would not fit


def case_routes() -> list:
    """Every page rule that names a case, from the app's own url_map, once per action name
    where the rule takes one (any other argument gets 1): a new case page is covered here
    without touching this file."""
    app = create_app(base_config("sqlite://"))
    routes = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "number" not in rule.arguments or rule.endpoint.startswith("api.") or rule.rule.startswith("/api/"):
            continue  # the JSON API signs in by token, not by cookie: its own tests scope it
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        others = {name: ARGUMENT_VALUES.get(name, 1) for name in rule.arguments - {"number", "action"}}
        for action in (sorted(ACTIONS) if "action" in rule.arguments else [None]):
            values = {**others, **({"action": action} if action else {})}
            routes.append(pytest.param(rule.endpoint, values, methods,
                                       id=f"{rule.endpoint}:{action}" if action else rule.endpoint))
    return routes


CASE_ROUTES = case_routes()


def test_the_route_table_covers_the_case_page_and_every_action():
    covered = {(p.values[0], p.values[1].get("action")) for p in CASE_ROUTES}
    assert ("cases.detail", None) in covered
    assert {("cases.act", name) for name in ACTIONS} <= covered


@pytest.mark.parametrize("endpoint, values, methods", CASE_ROUTES)
def test_a_case_outside_the_region_is_not_found_on_every_route(app, signed_in, endpoint, values, methods):
    """Users of Changchun (220100) guessing the URL of a Yanbian case (222401) get 404 for GET
    and POST, whatever their role; a province admin reaching the same URLs does not."""
    case = make_case("mediating", region="222401")
    outsiders = [signed_in(role, "220100") for role in ROLES]
    _, insider = signed_in("admin", "220000")
    before = (case.version, events_of(case))
    action = values.get("action")
    data = action_form(action, case) if action else {}
    with app.test_request_context():
        url = url_for(endpoint, number=case.number, **values)

    wrong = []
    for (user, browser) in outsiders:
        for method in methods:
            status = browser.open(url, method=method, data=data if method == "POST" else None).status_code
            if status != 404:
                wrong.append((user.role, method, status))
    assert wrong == []
    assert (reload_case(case).version, events_of(case)) == before
    if "GET" in methods:  # the province admin reaches the page (a POST might change the case)
        # a mediating case has no agreement PDF yet: tests/settlements/ download one in scope
        reachable = (404,) if endpoint in NO_DOCUMENT_YET else (200, 302)
        assert insider.get(url).status_code in reachable


def test_unknown_cases_and_actions_are_not_found(signed_in):
    mediator, browser = signed_in("mediator", "220100")
    case = make_case("intake", mediator=mediator)
    assert browser.get(f"/cases/{case.number}").status_code == 200
    assert browser.get("/cases/220102-1999-99999").status_code == 404
    assert browser.get(f"/cases/{case.number}/no_such_action").status_code == 404
    assert browser.post(f"/cases/{case.number}/no_such_action").status_code == 404


def test_a_province_user_sees_every_prefecture(signed_in):
    prefectures = list(db.session.scalars(select(Region.code).where(Region.level == "prefecture")))
    assert len(prefectures) == 11
    taker = make_user("mediator", "220000")
    cases = {code: intake_case(taker, region=code).number for code in prefectures}
    _, province = signed_in("supervisor", "220000")
    _, changchun = signed_in("supervisor", "220100")

    assert set(page(province.get("/")).case_numbers) == set(cases.values())
    for number in cases.values():
        assert province.get(f"/cases/{number}").status_code == 200
    assert page(changchun.get("/")).case_numbers == [cases["220100"]]


def test_a_prefecture_user_sees_only_its_own_subtree(signed_in):
    own = make_case("intake", region="220102")
    yanbian = make_case("intake", region="222401")
    _, browser = signed_in("supervisor", "220100")

    assert page(browser.get("/")).case_numbers == [own.number]
    for query in ({"region": "222400"}, {"region": "222401"}, {"q": yanbian.number},
                  {"region": "222400", "q": yanbian.number}):
        result = page(browser.get("/", query_string=query))
        assert yanbian.number not in result.case_numbers
        assert result.status in (200, 400)
    options = page(browser.get("/")).text
    assert 'value="220102"' in options and 'value="222400"' not in options  # the region filter


def test_an_unassigned_lawyer_reads_the_case_but_may_not_act(signed_in):
    case = make_case("mediating", region="220102")
    _, browser = signed_in("lawyer", "220100")
    result = page(browser.get(f"/cases/{case.number}"))
    assert result.status == 200 and case.number in result.text
    assert result.enabled_actions == []
    assert "/assign" not in result.text


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_an_unassigned_lawyer_gets_403_on_every_action(signed_in, action):
    case = make_case("mediating", region="220102")
    _, browser = signed_in("lawyer", "220100")
    url = f"/cases/{case.number}/{action}"
    assert browser.get(url).status_code == 403
    assert browser.post(url, data=action_form(action, case)).status_code == 403
    assert reload_case(case).state == "mediating"


def test_the_assigned_lawyer_may_act(signed_in):
    lawyer = make_user("lawyer", "220100")
    case = make_case("mediating", region="220102", lawyer=lawyer)
    _, browser = signed_in(user=lawyer)
    result = page(browser.get(f"/cases/{case.number}"))
    assert {"settle", "fail", "extend", "session"} <= set(result.enabled_actions)
    response = browser.post(f"/cases/{case.number}/session", data=action_form("session", case))
    assert response.status_code == 302
    assert events_of(case)[-1] == "session"


def test_a_supervisor_gets_no_action_buttons(signed_in):
    case = make_case("mediating", region="220102")
    _, browser = signed_in("supervisor", "220100")
    result = page(browser.get(f"/cases/{case.number}"))
    assert result.status == 200
    assert result.enabled_actions == [] and "btn-sm" not in result.text.split('id="case-actions"')[1].split("</div>")[0]
    assert "/assign" not in result.text


@pytest.mark.parametrize("state", ["intake", "settled"])  # where the assignment, payment and close are open
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_a_supervisor_gets_403_on_every_action(signed_in, venue, action, state):
    case = make_case(state, region="220102", venue=venue)
    _, browser = signed_in("supervisor", "220100")
    url = f"/cases/{case.number}/{action}"
    before = (case.version, events_of(case))
    assert browser.get(url).status_code == 403
    assert browser.post(url, data=action_form(action, case, venue_id=venue.id)).status_code == 403
    assert (reload_case(case).version, events_of(case)) == before
