"""Password rules (length, common passwords, the username), the same wherever a password is set,
the user's own change-password page, and hashes made with an older method upgraded at sign-in."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from mediation.admin.services import user_create, user_update
from mediation.auth.passwords import password_problem
from mediation.common.errors import ValidationFailed
from mediation.extensions import db
from mediation.models import User
from tests.conftest import TEST_PASSWORD
from tests.factories import make_user
from tests.web.conftest import login, page, sync

NEW_PASSWORD = "plum-blossom-river-42"


@pytest.mark.parametrize("password, reason", [
    ("short-pw", "at least 10 characters"),
    ("", "at least 10 characters"),
    ("x" * 257, "At most 256"),
    ("password123", "most common passwords"),
    ("Password123", "most common passwords"),
    ("1234567890", "most common passwords"),
    ("qwertyuiop", "most common passwords"),
    ("woaini1314", "most common passwords"),  # common in China too
    ("zhangwei-2026-pass", "must not contain the username"),
    ("2026-ZhangWei-pass", "must not contain the username"),
])
def test_a_weak_password_is_refused_with_its_reason(app, password, reason):
    with app.test_request_context("/?lang=en"):
        assert reason in str(password_problem(password, username="zhangwei"))


@pytest.mark.parametrize("password", [TEST_PASSWORD, NEW_PASSWORD, "ab-longer-password"])
def test_a_good_password_passes(app, password):
    # a two-letter username is too short to count as "containing the username"
    assert password_problem(password, username="ab") is None


def test_creating_a_user_refuses_a_common_password_and_writes_nothing(app):
    with pytest.raises(ValidationFailed) as refused:
        user_create(actor=None, username="wang", full_name="王", role="mediator", region_code="220100",
                    password="iloveyou12")
    assert list(refused.value.field_errors) == ["password"]
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_an_administrator_cannot_set_a_password_containing_the_username(app):
    admin = make_user("admin", "220000")
    user = make_user("mediator", username="liming")
    with pytest.raises(ValidationFailed) as refused:
        user_update(actor=admin, user=user, full_name="李明", role="mediator", region_code="220100", active=True,
                    password="LiMing-2026-spring")
    assert list(refused.value.field_errors) == ["password"]


def test_the_admin_page_shows_the_common_password_message(signed_in):
    _admin, browser = signed_in("admin", "220000")
    result = page(browser.post("/admin/users/new", data={
        "username": "new.mediator", "full_name": "新调解员", "role": "mediator", "region_code": "220100",
        "active": "y", "password": "qwertyuiop123"}))
    assert result.status == 400 and "password" in result.invalid
    assert "most common passwords" in result.messages


def test_flask_users_create_refuses_a_common_password(runner):
    result = runner.invoke(args=["users", "create", "zhao", "--role", "mediator", "--region", "220100",
                                 "--password", "password1234"])
    assert result.exit_code != 0 and "password" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


# --- the change-password page ---------------------------------------------------------------

def _change(browser, current=TEST_PASSWORD, new=NEW_PASSWORD, confirm=None):  # noqa: ANN001, ANN202
    return browser.post("/account/password", data={
        "current_password": current, "new_password": new, "confirm": new if confirm is None else confirm})


def test_every_page_links_to_the_change_password_page(signed_in):
    _user, browser = signed_in("lawyer")
    assert 'href="/account/password"' in browser.get("/").get_data(as_text=True)
    result = page(browser.get("/account/password"))
    assert result.status == 200
    assert {"current_password", "new_password", "confirm"} <= set(result.fields)


def test_the_change_password_page_needs_a_signed_in_user(client):
    response = client.get("/account/password")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_changing_the_password_keeps_this_session_and_ends_the_others(signed_in, new_client):
    user, browser = signed_in("mediator")
    _same, phone = signed_in(user=user)

    response = _change(browser)
    assert response.status_code == 302
    assert "Your password has been changed" in page(browser.get(response.headers["Location"])).messages
    assert browser.get("/").status_code == 200  # this browser goes on, re-issued
    assert phone.get("/").status_code == 302  # the other device is signed out
    assert login(new_client(), user, TEST_PASSWORD).status_code == 401
    assert login(new_client(), user, NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize("form, field, message", [
    ({"current": "not-my-password-1"}, "current_password", "This is not your current password."),
    ({"new": "short"}, "new_password", "at least 10 characters"),
    ({"new": "abcdefghij1"}, "new_password", "most common passwords"),
    ({"new": TEST_PASSWORD}, "new_password", "must differ from the current one"),
    ({"confirm": "plum-blossom-river-43"}, "confirm", "The two new passwords differ."),
    ({"current": ""}, "current_password", "This field is required."),
])
def test_a_refused_change_names_the_field_and_keeps_the_password(signed_in, new_client, form, field, message):
    user, browser = signed_in("mediator")
    result = page(_change(browser, **form))
    assert result.status == 400
    assert field in result.invalid and message in result.messages
    assert browser.get("/").status_code == 200  # still signed in
    assert login(new_client(), user, TEST_PASSWORD).status_code == 302  # password unchanged


def test_a_change_password_containing_the_username_is_refused(signed_in):
    user, browser = signed_in("mediator")
    result = page(_change(browser, new=f"my-{user.username}-password"))
    assert result.status == 400 and "must not contain the username" in result.messages


# --- hashing ------------------------------------------------------------------------------------

def test_passwords_are_hashed_with_scrypt(app, monkeypatch):
    from mediation.models import user as user_module

    monkeypatch.setattr(user_module, "generate_password_hash", generate_password_hash)  # the real one
    user = make_user("mediator")
    assert user.password_hash.startswith("scrypt:32768:8:1$")
    assert TEST_PASSWORD not in user.password_hash


def test_an_older_hash_is_upgraded_at_sign_in_and_sessions_stay(app, monkeypatch, signed_in, new_client):
    from mediation.models import user as user_module

    monkeypatch.setattr(user_module, "generate_password_hash", generate_password_hash)  # the real one
    user = make_user("mediator")
    user.password_hash = generate_password_hash(TEST_PASSWORD, method="pbkdf2:sha256:600000")
    db.session.commit()
    _user, earlier = signed_in(user=user)  # this sign-in upgrades the hash

    sync()
    stored = db.session.get(User, user.id)
    assert stored.password_hash.startswith("scrypt:32768:8:1$")
    assert earlier.get("/").status_code == 200  # the upgrade ended no session
    assert login(new_client(), user, TEST_PASSWORD).status_code == 302
    assert login(new_client(), user, "wrong-password-123").status_code == 401
