"""Sign-in and sign-out: messages, safe redirects, throttling, cookie flags, sessions that end."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest
from limits import parse

from mediation.extensions import db
from tests.conftest import TEST_PASSWORD
from tests.factories import make_user
from tests.web.conftest import english, login, page


def _path(response) -> str:
    return urlsplit(response.headers["Location"]).path


@pytest.mark.parametrize("username, password", [
    ("known", "wrong-password-123"),
    ("nobody-by-this-name", TEST_PASSWORD),
    ("inactive", TEST_PASSWORD),
])
def test_a_failed_sign_in_gets_401_and_a_message(client, username, password):
    make_user("mediator", username="known")
    inactive = make_user("mediator", username="inactive")
    inactive.active = False
    db.session.commit()

    result = page(login(client, username, password))

    assert result.status == 401
    assert "Wrong username or password." in result.alerts
    assert client.get("/").status_code == 302  # still signed out


def test_a_blank_form_gets_400_and_names_the_fields(client):
    result = page(client.post("/login", data={"username": "", "password": ""}))
    assert result.status == 400
    assert {"username", "password"} <= result.invalid


def test_signing_in_redirects_to_the_case_list(client):
    user = make_user("mediator")
    response = login(client, user)
    assert response.status_code == 302 and _path(response) == "/"
    assert user.full_name in client.get("/").get_data(as_text=True)


def test_sign_in_follows_a_next_page_on_this_site(client):
    user = make_user("mediator")
    response = client.post("/login?next=/cases/new", data={"username": user.username, "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/cases/new"


@pytest.mark.parametrize("target", [
    "//evil.example", "//evil.example/cases", "///evil.example", "https://evil.example/",
    "http:/evil.example", "/\\evil.example", "/\t/evil.example", "javascript:alert(1)",
])
def test_sign_in_refuses_to_redirect_off_site(client, target):
    user = make_user("mediator")
    response = client.post("/login", query_string={"next": target},
                           data={"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    # read the Location as a browser does: tabs and newlines dropped, "\\" taken for "/"
    location = re.sub(r"[\t\n\r]", "", response.headers["Location"]).replace("\\", "/")
    resolved = urlsplit(urljoin("http://localhost/login", location))
    assert (resolved.scheme, resolved.netloc) == ("http", "localhost"), location


@pytest.mark.parametrize("url", ["/", "/cases/new", "/cases/220102-2026-00001", "/admin/users", "/admin/employers"])
def test_pages_need_a_signed_in_user(client, url):
    response = client.get(url)
    assert response.status_code == 302 and _path(response) == "/login"


def test_the_session_cookie_is_http_only_and_same_site_lax(client):
    user = make_user("mediator")
    response = login(client, user)
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    attributes = {part.strip().lower() for part in cookie.split(";")}
    assert "httponly" in attributes
    assert "samesite=lax" in attributes


def test_signing_in_starts_a_fresh_session(client):
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    login(client, make_user("mediator"))
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["lang"] == "en"  # the language choice survives


def test_signing_out_makes_the_old_session_cookie_useless(client, new_client):
    login(client, make_user("mediator"))
    old_cookie = client.get_cookie("session").value
    replay = new_client()
    replay.set_cookie("session", old_cookie)
    assert replay.get("/").status_code == 200  # the copied cookie works while signed in

    response = client.post("/logout")
    assert response.status_code == 302 and _path(response) == "/login"

    replay = new_client()
    replay.set_cookie("session", old_cookie)
    response = replay.get("/")
    assert response.status_code == 302 and _path(response) == "/login"


def test_signing_out_ends_the_sessions_on_other_devices(new_client):
    user = make_user("lawyer")
    office, phone = new_client(), new_client()
    login(office, user)
    login(phone, user)
    assert phone.get("/").status_code == 200
    office.post("/logout")
    assert _path(phone.get("/")) == "/login"


def test_sign_out_needs_a_post(client):
    login(client, make_user("mediator"))
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200


def test_failed_sign_ins_are_throttled_per_account_then_per_address(make_app):
    """With the limits of the configuration: an account is locked after its failures even for
    the right password; other accounts from the same address go on until the address limit."""
    limited = make_app(RATELIMIT_ENABLED=True)
    per_account = parse(limited.config["LOGIN_ATTEMPTS_PER_ACCOUNT"]).amount
    per_address = parse(limited.config["LOGIN_ATTEMPTS_PER_ADDRESS"]).amount
    assert per_account < per_address
    target, bystander = make_user("mediator"), make_user("mediator")

    def attempt(username: str, password: str) -> int:  # a new browser each time, same address
        return login(english(limited.test_client()), username, password).status_code

    for _ in range(per_account):
        assert attempt(target.username, "wrong-password-123") == 401
    locked = page(login(english(limited.test_client()), target.username, TEST_PASSWORD))
    assert locked.status == 429
    assert "Too many attempts" in locked.text
    assert attempt(bystander.username, TEST_PASSWORD) == 302  # another account is not locked

    failures = per_account
    guess = 0
    while failures < per_address:  # other accounts, each staying under its own limit
        for _ in range(min(per_account - 1, per_address - failures)):
            assert attempt(f"guess{guess}", "wrong-password-123") == 401
            failures += 1
        guess += 1
    assert attempt(bystander.username, TEST_PASSWORD) == 429
