"""The API tokens page: a new token is shown once, lists show its prefix only, revoking is for
the owner and their administrators, and every POST needs the page's CSRF token."""

from __future__ import annotations

import re

import pytest

from mediation.api.auth import user_for_token
from mediation.extensions import db
from mediation.models import ApiToken
from mediation.tokens.services import hash_token, token_issue
from tests.conftest import TEST_PASSWORD
from tests.factories import make_user
from tests.tokens.conftest import token_rows
from tests.web.conftest import english, follow, page

NEW_TOKEN = re.compile(r'id="new-token-value">(med_[A-Za-z0-9_-]+)<')


def issued_for(user, name: str = "script") -> tuple[ApiToken, str]:
    token, raw = token_issue(user=user, actor=user, name=name)
    db.session.commit()
    return token, raw


def create(browser, name: str = "court platform", **extra):
    return page(browser.post("/account/tokens", data={"name": name, **extra}))


def revoked(token: ApiToken) -> bool:
    db.session.rollback()
    return db.session.get(ApiToken, token.id).revoked_at is not None


def test_the_page_needs_a_signed_in_user(client):
    response = client.get("/account/tokens")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_every_signed_in_user_finds_the_page_in_the_menu(signed_in):
    for role in ("mediator", "lawyer", "supervisor", "admin"):
        _user, browser = signed_in(role)
        shown = page(browser.get("/account/tokens"))
        assert shown.status == 200
        assert 'id="nav-tokens"' in shown.text and "No API tokens yet." in shown.text


def test_a_new_token_is_shown_once_and_then_only_its_prefix(signed_in):
    user, browser = signed_in("mediator")
    response = browser.post("/account/tokens", data={"name": "court platform"})
    assert response.headers["Cache-Control"] == "no-store"  # kept out of every cache
    made = page(response)
    assert made.status == 200
    (raw,) = NEW_TOKEN.findall(made.text)
    assert "it will not be shown again" in made.text
    assert made.value("name") == ""  # the form is ready for another one
    (row,) = token_rows()
    assert row[1] == user.id and row[3] == hash_token(raw) and raw not in row
    assert user_for_token(raw).id == user.id

    with browser.session_transaction() as session:  # not in a flash message: the cookie
        assert raw not in repr(dict(session))
    listed = page(browser.get("/account/tokens"))
    assert raw not in listed.text and 'id="new-token"' not in listed.text
    assert f"<code>{raw[:8]}…</code>" in listed.text and "court platform" in listed.text
    assert raw[:9] not in listed.text  # no more of it than the prefix


def test_a_token_without_a_name_is_refused_and_nothing_written(signed_in):
    _user, browser = signed_in("mediator")
    for name in ("", "   ", "n" * 81):
        refused = create(browser, name=name)
        assert refused.status == 400
        assert "name" in refused.invalid
        assert not NEW_TOKEN.search(refused.text)
    assert token_rows() == []


def test_the_twenty_first_live_token_is_refused(signed_in):
    user, browser = signed_in("mediator")
    for index in range(20):
        issued_for(user, f"script {index}")
    refused = create(browser)
    assert refused.status == 409
    assert "at most 20 live API tokens" in refused.messages
    assert len(token_rows()) == 20


def test_the_owner_revokes_a_token(signed_in):
    user, browser = signed_in("mediator")
    token, raw = issued_for(user, "old script")
    listed = page(browser.get("/account/tokens"))
    assert listed.enabled_actions == ["revoke"]
    done = follow(browser, browser.post(f"/account/tokens/{token.id}/revoke"))
    assert "The token “old script” has been revoked" in done.messages
    assert revoked(token) and user_for_token(raw) is None
    assert done.enabled_actions == [] and "Revoked on" in done.text

    again = page(browser.post(f"/account/tokens/{token.id}/revoke"))
    assert again.status == 409 and "This token was already revoked." in again.text


@pytest.mark.parametrize("role", ["mediator", "supervisor"])
def test_nobody_revokes_someone_elses_token(signed_in, role):
    token, raw = issued_for(make_user("mediator", "220102"))
    _other, browser = signed_in(role, "220000")
    assert browser.post(f"/account/tokens/{token.id}/revoke").status_code == 404
    assert browser.post("/account/tokens/999999/revoke").status_code == 404
    assert not revoked(token) and user_for_token(raw) is not None


def test_an_administrator_sees_and_revokes_a_users_tokens(signed_in):
    owner = make_user("mediator", "220102")
    token, raw = issued_for(owner, "platform")
    _admin, browser = signed_in("admin", "220100")
    assert f'href="/account/tokens/users/{owner.id}"' in browser.get(f"/admin/users/{owner.id}").get_data(as_text=True)
    listed = page(browser.get(f"/account/tokens/users/{owner.id}"))
    assert listed.status == 200 and "platform" in listed.text and f"{raw[:8]}…" in listed.text
    assert "new-token-form" not in listed.text  # an administrator does not make another user's tokens
    response = browser.post(f"/account/tokens/{token.id}/revoke")
    assert response.headers["Location"].endswith(f"/account/tokens/users/{owner.id}")
    assert revoked(token) and user_for_token(raw) is None


def test_the_users_tokens_page_is_for_administrators_of_their_region(signed_in):
    owner = make_user("mediator", "220102")
    token, _raw = issued_for(owner)
    _far, far_admin = signed_in("admin", "222400")
    assert far_admin.get(f"/account/tokens/users/{owner.id}").status_code == 404
    assert far_admin.post(f"/account/tokens/{token.id}/revoke").status_code == 404
    _peer, mediator = signed_in("mediator", "220100")
    assert mediator.get(f"/account/tokens/users/{owner.id}").status_code == 403
    assert not revoked(token)


# --- with CSRF protection on, as in production ------------------------------------------

@pytest.fixture
def protected(make_app):
    return make_app(WTF_CSRF_ENABLED=True)


def _csrf(browser, url: str) -> str:
    token = page(browser.get(url)).value("csrf_token")
    assert token
    return token


def test_creating_and_revoking_need_the_pages_csrf_token(protected):
    user = make_user("mediator", "220102")
    browser = english(protected.test_client())
    assert browser.post("/login", data={"username": user.username, "password": TEST_PASSWORD,
                                        "csrf_token": _csrf(browser, "/login")}).status_code == 302

    assert create(browser).status == 400
    assert create(browser, csrf_token="forged").status == 400
    assert token_rows() == []
    made = create(browser, csrf_token=_csrf(browser, "/account/tokens"))
    assert made.status == 200 and NEW_TOKEN.search(made.text)

    (row,) = token_rows()
    assert browser.post(f"/account/tokens/{row[0]}/revoke").status_code == 400
    assert token_rows()[0][6] is None
    response = browser.post(f"/account/tokens/{row[0]}/revoke", data={"csrf_token": _csrf(browser, "/account/tokens")})
    assert response.status_code == 302
    assert token_rows()[0][6] is not None
