"""With CSRF protection on, as in production: a POST without the page's token is refused and
writes nothing; with the token parsed from the form it works."""

from __future__ import annotations

import pytest

from tests.conftest import TEST_PASSWORD
from tests.factories import make_case, make_user
from tests.web.conftest import english, events_of, intake_form, page, reload_case, row_counts


@pytest.fixture
def protected(make_app):
    return make_app(WTF_CSRF_ENABLED=True)


def _token(browser, url: str) -> str:
    token = page(browser.get(url)).value("csrf_token")
    assert token
    return token


def _signed_in(protected, user):
    browser = english(protected.test_client())
    response = browser.post("/login", data={"username": user.username, "password": TEST_PASSWORD,
                                            "csrf_token": _token(browser, "/login")})
    assert response.status_code == 302
    return browser


def test_sign_in_without_the_token_is_refused(protected):
    user = make_user("mediator")
    browser = english(protected.test_client())
    response = browser.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert browser.get("/").status_code == 302  # not signed in


def test_intake_without_the_token_writes_nothing_and_with_it_works(protected):
    browser = _signed_in(protected, make_user("mediator", "220100"))
    before = row_counts()

    refused = page(browser.post("/cases/new", data=intake_form()))
    assert refused.status == 400
    assert row_counts() == before

    forged = page(browser.post("/cases/new", data=intake_form(csrf_token="forged-token")))
    assert forged.status == 400
    assert row_counts() == before

    accepted = browser.post("/cases/new", data=intake_form(csrf_token=_token(browser, "/cases/new")))
    assert accepted.status_code == 302
    assert row_counts()["Case"] == before["Case"] + 1


def test_an_action_without_the_token_is_refused_and_with_it_works(protected):
    mediator = make_user("mediator", "220100")
    case = make_case("mediating", mediator=mediator)
    browser = _signed_in(protected, mediator)
    url = f"/cases/{case.number}/fail"
    data = {"version": str(case.version), "reason": "差距过大"}

    assert browser.post(url, data=data).status_code == 400
    assert reload_case(case).state == "mediating" and events_of(case)[-1] == "start_mediation"

    response = browser.post(url, data={**data, "csrf_token": _token(browser, url)})
    assert response.status_code == 302
    assert reload_case(case).state == "failed"


def test_sign_out_without_the_token_is_refused(protected):
    browser = _signed_in(protected, make_user("mediator", "220100"))
    assert browser.post("/logout").status_code == 400
    assert browser.get("/").status_code == 200  # still signed in

    response = browser.post("/logout", data={"csrf_token": _token(browser, "/")})
    assert response.status_code == 302
    assert browser.get("/").status_code == 302


def test_admin_forms_need_the_token(protected):
    browser = _signed_in(protected, make_user("admin", "220100"))
    data = {"username": "csrf.user", "full_name": "测试", "role": "mediator", "region_code": "220100",
            "active": "y", "password": "long-enough-password"}
    assert browser.post("/admin/users/new", data=data).status_code == 400
    assert "csrf.user" not in browser.get("/admin/users").get_data(as_text=True)
    token = _token(browser, "/admin/users/new")
    assert browser.post("/admin/users/new", data={**data, "csrf_token": token}).status_code == 302
    assert "csrf.user" in browser.get("/admin/users").get_data(as_text=True)
