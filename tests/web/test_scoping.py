"""Who sees which case, as people meet it: the lists of a region subtree, the buttons a read-only
lawyer or supervisor does not get, the assigned lawyer acting. Every route × role × own, other
region or no session, with its status, is the access matrix's (tests/access/)."""

from __future__ import annotations

from sqlalchemy import select

from mediation.extensions import db
from mediation.models import Region
from tests.factories import make_case, make_user
from tests.web.conftest import action_form, events_of, intake_case, page


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
