"""Bearer tokens are the only way in: no token, a wrong, revoked or orphaned token, or a
signed-in browser's cookie all get 401; the API never writes a cookie; CSRF does not apply."""

from __future__ import annotations

from pathlib import Path

import flask

import mediation
from mediation.extensions import db
from mediation.models import ApiToken
from mediation.tokens.services import token_revoke
from tests.api.conftest import ApiClient, assert_problem, counts, issue_token, referral
from tests.conftest import TEST_PASSWORD
from tests.factories import make_case, make_user
from tests.web.conftest import english


def _unauthorized(response) -> None:
    assert_problem(response, 401, "unauthorized")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_no_token_is_401_with_a_bearer_challenge(anonymous):
    _unauthorized(anonymous.get("/api/v1/cases"))
    _unauthorized(anonymous.get("/api/v1/stats/recovery?from=2026-01-01&to=2026-01-31"))
    _unauthorized(anonymous.get("/api/v1/no-such-thing"))  # no route is revealed either


def test_a_wrong_revoked_or_inactive_users_token_is_401(app, anonymous):
    user = make_user("mediator", "220100")
    raw = issue_token(user)
    client = ApiClient(anonymous.client, raw)
    assert client.get("/api/v1/cases").status_code == 200
    for wrong in (raw + "x", "med_" + "A" * 43, "Basic dXNlcjpwYXNz", "", "med_\u00e9"):
        _unauthorized(ApiClient(anonymous.client, wrong).get("/api/v1/cases"))
    _unauthorized(anonymous.get("/api/v1/cases", headers={"Authorization": f"Token {raw}"}))
    token = db.session.query(ApiToken).filter_by(user_id=user.id).one()
    token_revoke(token=token, actor=None)
    db.session.commit()
    _unauthorized(client.get("/api/v1/cases"))
    other = make_user("mediator", "220100")
    other_raw = issue_token(other)
    other.active = False
    db.session.commit()
    _unauthorized(ApiClient(anonymous.client, other_raw).get("/api/v1/cases"))


def test_a_signed_in_browsers_cookie_does_not_open_the_api(app, anonymous):
    """The API is exempt from CSRF, so a cookie must never stand in for the token."""
    user = make_user("mediator", "220100")
    browser = english(app.test_client())
    assert browser.post("/login", data={"username": user.username, "password": TEST_PASSWORD}).status_code == 302
    assert browser.get("/").status_code == 200  # signed in, for the pages
    before = counts()
    _unauthorized(browser.get("/api/v1/cases"))
    _unauthorized(browser.post("/api/v1/cases", json=referral()))
    assert counts() == before


def test_a_token_and_a_cookie_act_as_the_tokens_user(app, api):
    case = make_case("intake", region="222401")  # Yanbian
    _user, client = api("mediator", "220100")  # the token: Changchun
    yanbian = make_user("mediator", "222400")
    english(client.client).post("/login", data={"username": yanbian.username, "password": TEST_PASSWORD})
    assert_problem(client.get(f"/api/v1/cases/{case.number}"), 404, "not_found")


def test_api_responses_never_set_a_cookie(app, api):
    user, client = api("mediator", "220100")
    browser = client.client
    browser.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
    for response in (client.get("/api/v1/cases?lang=zh"), client.get("/api/v1/cases/220102-2026-99999"),
                     client.post("/api/v1/cases", json={}), client.get("/api/v1/openapi.json"),
                     ApiClient(browser, None).get("/api/v1/cases")):
        assert "Set-Cookie" not in response.headers, response.headers


def test_the_api_needs_no_csrf_token_when_csrf_is_on(make_app):
    protected = make_app(WTF_CSRF_ENABLED=True)
    user = make_user("mediator", "220100")
    client = ApiClient(protected.test_client(), issue_token(user))
    with protected.app_context():
        response = client.post("/api/v1/cases", json=referral())
    assert response.status_code == 201, response.get_json()


def test_messages_follow_accept_language_or_lang_and_default_to_chinese(api):
    _user, client = api("mediator", "220100")
    url = "/api/v1/cases/220102-2026-99999"
    assert client.get(url).get_json()["title"] == "Not found"
    chinese = client.get(url, headers={"Accept-Language": "zh-CN,zh;q=0.9"}).get_json()["title"]
    assert chinese != "Not found"
    assert client.get(url + "?lang=zh").get_json()["title"] == chinese
    assert client.get(url, headers={"Accept-Language": ""}).get_json()["title"] == chinese


def test_unknown_urls_and_methods_under_the_api_are_problems_and_pages_keep_their_html(app, api):
    _user, client = api("mediator", "220100")
    assert_problem(client.get("/api/v1/no-such-thing"), 404, "not_found")
    assert_problem(client.get("/api/v1/cases/not-a-number"), 404, "not_found")
    assert_problem(client.post("/api/v1/cases/220102-2026-00001/actions/no_such_trigger", json={}),
                   404, "not_found")
    response = client.open("/api/v1/cases", method="DELETE")
    assert_problem(response, 405, "method_not_allowed")
    assert "GET" in response.headers["Allow"]
    page = client.client.get("/no-such-page")
    assert page.status_code == 404 and page.mimetype == "text/html"


def test_a_remember_me_cookie_does_not_open_the_api_either(app, anonymous):
    """The app issues none, but one signed with the app's key would still name no API user."""
    from flask_login.utils import encode_cookie

    user = make_user("mediator", "220100")
    browser = anonymous.client
    with app.test_request_context():
        browser.set_cookie("remember_token", encode_cookie(user.get_id()))
    _unauthorized(browser.get("/api/v1/cases"))


def test_a_token_alone_does_not_sign_in_on_the_pages(app, api):
    _user, client = api("mediator", "220100")
    assert client.get("/api/v1/cases").status_code == 200
    page = client.client.get("/", headers=client.headers())
    assert page.status_code == 302 and "/login" in page.headers["Location"]


def test_the_session_of_an_api_request_is_empty_whatever_cookie_it_carries(app):
    user = make_user("mediator", "220100")
    browser = english(app.test_client())
    browser.post("/login", data={"username": user.username, "password": TEST_PASSWORD})
    cookie = {"Cookie": f"session={browser.get_cookie('session').value}"}
    with app.test_request_context("/api/v1/cases", headers=cookie):
        assert "_user_id" not in app.session_interface.open_session(app, flask.request)
    with app.test_request_context("/", headers=cookie):
        assert "_user_id" in app.session_interface.open_session(app, flask.request)


def test_no_private_part_of_flask_login_is_reached_into():
    """Flask-Login's user of the request is set through its documented loaders only."""
    root = Path(mediation.__file__).parent
    for path in root.rglob("*.py"):
        source = path.read_text()
        assert "_login_user" not in source and "_update_request_context_with_user" not in source, path
